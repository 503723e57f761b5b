"""Autocomplete choices from the vocabulary and the store. No discord.py in here.

Discord sends the option being typed on every keystroke and wants at most 25
choices of at most 100 characters within 3 seconds, without deferring. So the
candidates are built once per store snapshot (`catalog_for(engine)`, rebuilt
after a reload) and each keystroke is one `rapidfuzz.process.extract` over a
few hundred short labels.

Scoring is for text being *typed*: a label that starts with the input wins,
then a word of the label that starts with it ("tib" -> "Qinghai-Tibet grid"),
then a typo in such a prefix ("kashgr" -> "Kashgar"). Plain `WRatio` was
measured and rejected: it scores "tib" 90 against every "...-Tibet grid"
project, so the place people mean (Tibet = Xizang) drowned among them.
Choices only name places and metrics the store has figures for: offering a
place the documents never mention would only lead to "no figure".
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process, utils

from bot.query.engine import Engine
from bot.render.choices import MAX_CHOICES, Choice, clip
from bot.store.periods import Period, PeriodKind
from bot.store.snapshot import metric_counts, place_counts

SCORE_CUTOFF = 70.0


def typing_score(query: str, choice: str, **_: Any) -> float:
    """How well `choice` continues what was typed; both already lower-cased by `default_process`."""
    if not query:
        return 0.0
    if choice.startswith(query):
        return 100.0
    n = len(query)
    best = fuzz.ratio(query, choice[:n]) - 8  # a typo in the first word
    start = choice.find(" ") + 1
    while start > 0:
        word_start = choice[start:]
        word_score = 92.0 if word_start.startswith(query) else fuzz.ratio(query, word_start[:n]) - 12
        best = max(best, word_score)
        start = choice.find(" ", start) + 1
    # several words in another order ("bonded zone kashi")
    if " " in query:
        best = max(best, fuzz.token_set_ratio(query, choice) - 10)
    return best


@dataclass(frozen=True)
class _Label:
    text: str  # what is matched: a name or an alias
    key: str  # the place or metric it stands for


def _rank(
    current: str,
    labels: list[_Label],
    *,
    allowed: set[str] | None,
    weight: Callable[[str], int],
    display: Callable[[str, str], str],
    value: Callable[[str], str],
    default: Iterable[str],
) -> list[Choice]:
    """Best label per key, best keys first; `default` order when nothing was typed."""
    text = current.strip()
    if not text:
        keys = [k for k in default if allowed is None or k in allowed]
        return [Choice(clip(display(k, "")), clip(value(k))) for k in keys[:MAX_CHOICES]]
    pool = [label for label in labels if allowed is None or label.key in allowed]
    hits = process.extract(
        text,
        [label.text for label in pool],
        scorer=typing_score,
        processor=utils.default_process,
        score_cutoff=SCORE_CUTOFF,
        limit=None,
    )
    best: dict[str, tuple[float, str]] = {}
    for _, score, index in hits:
        label = pool[index]
        seen = best.get(label.key)
        if seen is None or score > seen[0] or (score == seen[0] and len(label.text) < len(seen[1])):
            best[label.key] = (score, label.text)
    # equal scores: the label closest in length to what was typed ("kashgr" is Kashgar,
    # not Kashgar bonded zone), then the key with more facts
    order = sorted(best, key=lambda k: (-best[k][0], len(best[k][1]), -weight(k), k))
    return [Choice(clip(display(k, best[k][1])), clip(value(k))) for k in order[:MAX_CHOICES]]


class Catalog:
    """The autocomplete candidates of one store snapshot."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        store = engine.store
        self.store = store
        self.place_facts = place_counts(store)
        self.metric_facts = metric_counts(store)
        vocab = store.vocabulary
        self.place_labels = [
            _Label(text, key)
            for key in self.place_facts
            for text in dict.fromkeys((vocab.places[key].name, *vocab.places[key].aliases))
        ]
        self.metric_labels = [
            _Label(text, key)
            for key in self.metric_facts
            for text in dict.fromkeys((vocab.metrics[key].name, *vocab.metrics[key].aliases))
        ]
        self.doc_labels = [
            _Label(f"{i} {source.title} {source.publisher} {source.date} {source.file}", source.file)
            for i, source in enumerate(store.sources.values(), 1)
        ]
        self.doc_numbers = {name: i for i, name in enumerate(store.sources, 1)}

    # -- resolving what was typed in another option ---------------------------

    def resolve_place(self, text: str | None) -> str | None:
        if not text or not text.strip():
            return None
        return self.engine.parser.parse(text).place

    def resolve_metric(self, text: str | None) -> str | None:
        if not text or not text.strip():
            return None
        # a chosen autocomplete value is a metric's name (or key): take it as it is
        wanted = text.strip().casefold()
        for metric in self.store.vocabulary.metrics.values():
            if wanted in (metric.name.casefold(), metric.key):
                return metric.key
        return self.engine.parser.parse(text).metric

    # -- choices ------------------------------------------------------------------

    def places(self, current: str, *, metric: str | None = None, among: Sequence[str] | None = None) -> list[Choice]:
        """Places with figures (for `metric` if it names one), by name or alias: "tib" -> Xizang (Tibet).

        `among` (place keys) replaces that filter for callers with a narrower one, such as
        the places a chart can be drawn for; its order is the order when nothing is typed.
        """
        allowed: set[str] | None
        if among is not None:
            allowed = set(among)
        else:
            metric_key = self.resolve_metric(metric)
            found = self.engine.places_by_metric.get(metric_key) if metric_key else None
            allowed = set(found) if found else None
        names = self.store.place_name

        def display(key: str, matched: str) -> str:
            name = names(key)
            return name if not matched or matched == name else f"{name} ({matched})"

        return _rank(
            current,
            self.place_labels,
            allowed=allowed,
            weight=lambda k: self.place_facts[k],
            display=display,
            value=names,
            default=among if among is not None else sorted(self.place_facts, key=lambda k: (-self.place_facts[k], k)),
        )

    def metrics(self, current: str, *, place: str | None = None) -> list[Choice]:
        """Metrics with figures (for `place` if it names one), by name or alias."""
        place_key = self.resolve_place(place)
        allowed = self.engine.metrics_by_place.get(place_key) if place_key else None
        names = self.store.metric_name

        def display(key: str, matched: str) -> str:
            name = names(key)
            return name if not matched or matched.casefold() == name.casefold() else f"{name} ({matched})"

        return _rank(
            current,
            self.metric_labels,
            allowed=set(allowed) if allowed else None,
            weight=lambda k: self.metric_facts[k],
            display=display,
            value=names,
            default=sorted(self.metric_facts, key=lambda k: (-self.metric_facts[k], k)),
        )

    def periods(self, current: str, *, place: str | None = None, metric: str | None = None) -> list[Choice]:
        """The periods the store has figures for, for this place and metric as far as they are known.

        The value is the period as a person writes it ("January to November
        2023"), which the engine reads back; newest first.
        """
        place_key, metric_key = self.resolve_place(place), self.resolve_metric(metric)
        periods = self.store.periods(place=place_key, metric=metric_key)
        labels: dict[str, Period] = {}
        for period in sorted(periods, key=lambda p: (-p.end.ordinal, -p.start.ordinal, p.text)):
            labels.setdefault(period.label(), period)
        ordered = list(labels)
        text = current.strip()
        if not text:
            return [Choice(clip(label), clip(label)) for label in ordered[:MAX_CHOICES]]
        folded = utils.default_process(text)
        scored = []
        for position, label in enumerate(ordered):
            period = labels[label]
            forms = [utils.default_process(label), utils.default_process(period.text)]
            if period.kind is PeriodKind.YEAR or period.kind is PeriodKind.PARTIAL:
                forms.append(str(period.start.year))
            score = max(
                100.0 if folded in form else max(typing_score(folded, form), fuzz.partial_ratio(folded, form) - 15)
                for form in forms
            )
            if score >= SCORE_CUTOFF:
                scored.append((-score, position, label))
        return [Choice(clip(label), clip(label)) for _, _, label in sorted(scored)[:MAX_CHOICES]]

    def documents(self, current: str) -> list[Choice]:
        """Source documents by number, title words, publisher or file name; the value is the file name."""
        sources = self.store.sources

        def display(name: str, _: str) -> str:
            return f"{self.doc_numbers[name]}. {sources[name].short}"

        return _rank(
            current,
            self.doc_labels,
            allowed=None,
            weight=lambda name: self.store.doc_counts.get(name, 0),
            display=display,
            value=lambda name: name,
            default=list(sources),
        )


_catalogs: weakref.WeakKeyDictionary[Engine, Catalog] = weakref.WeakKeyDictionary()


def catalog_for(engine: Engine) -> Catalog:
    """The catalog of this engine's store, built on first use (a reload brings a new engine)."""
    catalog = _catalogs.get(engine)
    if catalog is None:
        catalog = _catalogs[engine] = Catalog(engine)
    return catalog
