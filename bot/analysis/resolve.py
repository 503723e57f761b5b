"""Text to store keys: places, a metric and a period, through the engine's own parser.

The engine's parser is built to answer one question about one place, so when
a query names a place and a place inside it ("kashi xinjiang") it keeps only
the more specific one. A comparison needs both, so `find_places` parses
again with the places already found taken out, until no new place appears.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

from bot.analysis.errors import AnalysisError
from bot.query.engine import MAX_QUERY_CHARS, METRIC_MIN_COVERAGE, Engine
from bot.query.parser import MetricHit, ParsedQuery, PlaceHit
from bot.query.scoring import TIE_MARGIN
from bot.query.text import fold, words
from bot.store.periods import Period

MAX_SUGGESTIONS = 5


@dataclass(frozen=True)
class Request:
    """What a free-text request names, in the order the person typed the places."""

    places: tuple[str, ...]  # place keys
    metric: str  # metric key
    period: Period | None
    open_end: bool = False  # "since 2015": a span whose end is left open


def _clean(text: str) -> str:
    # store keys ("kashi_bonded_zone") are accepted wherever names are: autocomplete sends keys.
    # Cut like the engine cuts a question: no request needs more, and parsing stays bounded.
    return " ".join(text.replace("_", " ").split())[:MAX_QUERY_CHARS]


def _parse(engine: Engine, text: str) -> ParsedQuery:
    return engine.parser.parse(text, engine.today)


def _without(text: str, hit: PlaceHit) -> str:
    """`text` with the words that named `hit` taken out once each."""
    if hit.text and hit.text in text and not re.fullmatch(r"[\w\s-]+", hit.text, re.ASCII):
        return text.replace(hit.text, " ", 1)  # a name in Chinese script, found as a substring
    for word in hit.text.split():
        text = re.sub(rf"(?<![\w-]){re.escape(word)}(?![\w-])", " ", text, count=1)
    return text


def _position(text: str, hit: PlaceHit) -> int:
    first = hit.text.split()[0] if hit.text.split() else hit.text
    found = re.search(rf"(?<![\w-]){re.escape(first)}(?![\w-])", text)
    return found.start() if found else text.find(first) if first in text else len(text)


def find_places(engine: Engine, text: str) -> tuple[list[PlaceHit], ParsedQuery]:
    """Every place a text names, in typed order (repeats included), and the parse of the whole text."""
    folded = engine.parser.spell(fold(_clean(text)))  # positions in the words as the parser reads them
    # the parser drops the period phrase before it looks for places; do the same for positions
    parsed = _parse(engine, folded)
    hits = list(parsed.places)
    rest = folded
    for hit in hits:
        rest = _without(rest, hit)
    # words of the asked metric's aliases: "national" in "national rank" is not China
    top = parsed.metrics[0].metric if parsed.metrics else None
    metric_words = {t for a in engine.index.aliases if a.metric == top for t in a.tokens}
    for _ in range(4):  # each round finds the places the previous one dropped as containing another
        # a place named twice comes back too: "xizang xizang" must not read as one place
        found = [h for h in _parse(engine, rest).places if not all(w in metric_words for w in words(h.text))]
        if not found:
            break
        for hit in found:
            rest = _without(rest, hit)
        hits.extend(found)
    hits.sort(key=lambda h: _position(folded, h))
    return hits, parsed


def _place_suggestions(
    engine: Engine, text: str, metric: str | None = None, exclude: Sequence[str] = ()
) -> tuple[str, ...]:
    """Places to offer: close spellings first, else the places with figures (for `metric`), most figures first."""
    store = engine.store
    names = sorted({store.place_name(p) for p in engine.places_with_facts if p not in exclude})
    close = process.extract(
        text, names, scorer=fuzz.ratio, processor=utils.default_process, limit=MAX_SUGGESTIONS, score_cutoff=70
    )
    if text.strip() and close:
        return tuple(name for name, _, _ in close)
    counts: dict[str, int] = {}
    for place, key in store.by_place_metric:
        if (metric is None or key == metric) and place not in exclude:
            counts[place] = counts.get(place, 0) + store.pair_counts[place, key]
    ranked = sorted(counts, key=lambda p: (-counts[p], store.place_name(p)))
    return tuple(store.place_name(p) for p in ranked[:MAX_SUGGESTIONS])


def resolve_place(engine: Engine, text: str) -> str:
    """One place key from its name, an alias or a typo ("tibet" -> "xizang", "kashgr" -> "kashi")."""
    cleaned = _clean(text)
    if cleaned.replace(" ", "_") in engine.store.vocabulary.places:
        return cleaned.replace(" ", "_")
    hits, _ = find_places(engine, cleaned)
    if not hits:
        raise AnalysisError(f"'{text.strip()}' is not a place I know.", _place_suggestions(engine, cleaned))
    return hits[0].place


def resolve_period(engine: Engine, text: str | None) -> tuple[Period | None, bool]:
    """A period phrase ("2023", "H1 2023", "first 11 months of 2023") and whether its end is open."""
    if text is None or not text.strip():
        return None, False
    parsed = _parse(engine, fold(text[:MAX_QUERY_CHARS]))
    if parsed.period is None:
        raise AnalysisError(
            f"'{text.strip()}' is not a period I can read.", ("2023", "H1 2023", "first 11 months of 2023")
        )
    return parsed.period, parsed.open_end


def choose_metric(engine: Engine, hits: Sequence[MetricHit], places: Sequence[str]) -> str | None:
    """The metric a text names, preferring among near-equal readings one the places have figures for."""
    readings = [m for m in hits if m.coverage >= METRIC_MIN_COVERAGE]
    if not readings:
        return None
    top = readings[0]
    close = [m for m in readings if m.score >= top.score * TIE_MARGIN]
    pairs = engine.store.by_place_metric
    for wanted in (all, any):
        for hit in close:
            if places and wanted((p, hit.metric) in pairs for p in places):
                return hit.metric
    return top.metric


def resolve_metric(engine: Engine, text: str, places: Sequence[str] = ()) -> str:
    """One metric key from its name or an alias ("trade" -> "trade_total"); `places` break near-ties."""
    cleaned = _clean(text)
    if cleaned.replace(" ", "_") in engine.store.vocabulary.metrics:
        return cleaned.replace(" ", "_")
    metric = choose_metric(engine, _parse(engine, fold(cleaned)).metrics, places)
    if metric is None:
        raise AnalysisError(f"'{text.strip()}' is not a metric I know.", _metric_suggestions(engine, places))
    return metric


def _metric_suggestions(engine: Engine, places: Sequence[str]) -> tuple[str, ...]:
    """Metrics to offer: those all the places have (else any of them), the most figures first."""
    store = engine.store
    sets = [engine.metrics_by_place.get(p, set()) for p in places]
    keys = (set.intersection(*sets) or set.union(*sets)) if sets else set(engine.places_by_metric)
    counts = {m: sum(store.pair_counts.get((p, m), 0) for p in places) for m in keys}
    ranked = sorted(keys, key=lambda m: (-counts[m], store.metric_name(m).lower()))
    return tuple(store.metric_name(m) for m in ranked[:MAX_SUGGESTIONS])


def parse_request(engine: Engine, text: str, *, places: int, command: str) -> Request:
    """A whole request typed as one line: "trade xizang xinjiang 2023" (places=2), "trade xinjiang" (places=1)."""
    hits, parsed = find_places(engine, text)
    usage = f"Usage: {command} METRIC {'PLACE PLACE [PERIOD]' if places == 2 else 'PLACE'}."
    leftover = " ".join(parsed.remaining)
    keys = tuple(dict.fromkeys(h.place for h in hits))
    names = ", ".join(engine.store.place_name(k) for k in keys)
    metric = choose_metric(engine, parsed.metrics, keys)
    if len(keys) < places <= len(hits):
        raise AnalysisError(f"Name two different places to compare, not {names} twice. {usage}")
    if len(keys) < places:
        found = f"; I found only {names}" if keys else "; I found none"
        unknown = f" '{leftover}' is not a place I know." if leftover else ""
        raise AnalysisError(
            f"{_capital(command)} needs {_count(places)}{found}.{unknown} {usage}",
            _place_suggestions(engine, leftover, metric, exclude=keys),
        )
    if len(keys) > places:
        raise AnalysisError(f"{_capital(command)} takes {_count(places)}; I found {len(keys)}: {names}. {usage}")
    if metric is None:
        what = f"'{leftover}' is not a metric I know." if leftover else "No metric named."
        raise AnalysisError(f"{what} {usage}", _metric_suggestions(engine, keys))
    return Request(keys, metric, parsed.period, parsed.open_end)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _count(places: int) -> str:
    return "two places" if places == 2 else "one place"
