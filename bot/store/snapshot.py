"""The immutable snapshot of the fact store that every reader shares.

`Store` is what readers see. Two kinds provide it:

- `EagerStore`: every fact in memory, with its indexes. The committed store (a
  few hundred facts) and any store under `bot.store.compiled.LAZY_MIN_FACTS` is one.
- `bot.store.lazy.LazyStore`: a large store served from its compiled SQLite
  snapshot; what the engine needs to build its index is read at start, the facts
  of one (place, metric) when a question asks for them.

Both answer every attribute alike. Callers that need something about *all* facts
(which places have figures, the units of each metric, the words of the quotes,
how many facts a document has) use the summaries below (`pair_counts`,
`doc_counts`, `metric_units`, `quote_words`, `periods`, `period_counts`) rather than walking
`facts`, which on a lazy store means reading every row.

A reload builds a new snapshot and swaps one reference (see `bot.service.FactService`);
readers never see half a store.
"""

from __future__ import annotations

import hashlib
import re
from abc import ABC, abstractmethod
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from bot.query.text import words
from bot.store.model import Fact, Source, Vocabulary
from bot.store.periods import Period, PeriodKind

Pair = tuple[str, str]  # (place, metric)


def fact_digest(fact: Fact) -> bytes:
    """What a fact says, hashed: two stores' facts of one id differ exactly when their digests do.

    Where a fact sits in its file (`file`, `line`) is not part of what it says. The
    digest is stored with each row of a lazy snapshot, so a reload compares two large
    stores without reading either's facts.
    """
    change = fact.change
    # plain values only (a period is its text, which it is parsed from): a dataclass's repr costs ten times more
    said = (fact.id, fact.place, fact.metric, fact.period.text, fact.value, fact.unit, fact.figure, fact.quote,
            fact.doc, fact.qualifier, change and (change.kind, change.figure, change.value, change.base),
            fact.equivalent, fact.note)  # fmt: skip
    return hashlib.blake2b(repr(said).encode("utf-8", "surrogatepass"), digest_size=16).digest()


def quote_words_of(quotes: Iterable[str]) -> frozenset[str]:
    """The alphabetic words of the quotes: the speller knows the store's own words by these.

    `words` folds character by character, so it runs once per distinct
    whitespace-separated token, not once per quote: a million quotes share a few
    hundred thousand tokens. Folding never joins across whitespace, and the
    punctuation `words` splits at splits a token alike, so the words are the same.
    """
    tokens = {token for quote in quotes for token in quote.split()}
    return frozenset(w for token in tokens for w in words(token) if w.isalpha())


def speaker_names_of(documents: Iterable[str], cues: frozenset[str]) -> frozenset[str]:
    """Names the documents give as a speaker ("said Erkin Tuniyaz, chairman of ..."), lower-cased.

    A capitalised word (not after a full stop) within three words of a cue (lexicon
    `speaker_cues`): a question that names one says who said it, not what the figure
    is about.
    """
    names: set[str] = set()
    if not cues:
        return frozenset()
    cue = re.compile(r"(?<![a-z'-])(?:" + "|".join(sorted(map(re.escape, cues))) + r")(?![a-z'-])")
    for text in documents:
        lowered = text.lower()
        if len(lowered) != len(text):  # a character whose lower case is longer: offsets would drift
            lowered = "".join(c.lower()[:1] or c for c in text)
        # the three words either side of each cue: a document is long, and most of it is no cue
        for match in cue.finditer(lowered):
            at, end = match.start(), match.end()
            before = list(_WORD.finditer(text, max(0, at - 60), at))[-3:]
            after = list(_WORD.finditer(text, end, end + 60))[:3]
            for word in (*before, *after):
                said = word.group()
                if said[0].isupper() and text[max(0, word.start() - 4) : word.start()].rstrip()[-1:] not in _ENDS:
                    names.add(said.lower())  # capitalised, and not because a sentence begins
    return frozenset(names)


_ENDS = ("", ".", "?", "!")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")


class Store(ABC):
    vocabulary: Vocabulary
    sources: Mapping[str, Source]
    facts: Sequence[Fact]  # in load order (files sorted by name, facts in file order)
    documents: Mapping[str, str]  # seed file name -> text
    by_id: Mapping[str, Fact]
    # a pair's facts by period start; pairs in the order their first fact was loaded
    by_place_metric: Mapping[tuple[str, str], tuple[Fact, ...]]
    by_doc: Mapping[str, tuple[Fact, ...]]

    # -- summaries of all facts, cheap on both kinds ----------------------------
    @property
    @abstractmethod
    def pair_counts(self) -> Mapping[tuple[str, str], int]:
        """Facts per (place, metric), in the order of `by_place_metric`."""

    @property
    @abstractmethod
    def doc_counts(self) -> Mapping[str, int]:
        """Facts per document that has any, in the order of `by_doc`."""

    @property
    @abstractmethod
    def metric_units(self) -> Mapping[str, frozenset[str]]:
        """The units each metric's facts are stated in."""

    @property
    @abstractmethod
    def quote_words(self) -> frozenset[str]:
        """`quote_words_of` every fact's quote."""

    @property
    @abstractmethod
    def speaker_names(self) -> frozenset[str]:
        """`speaker_names_of` the documents, with the lexicon's speaker cues."""

    @abstractmethod
    def periods(self, place: str | None = None, metric: str | None = None) -> set[Period]:
        """The distinct periods of the facts of `place` and `metric` (either may be None: any)."""

    @abstractmethod
    def period_counts(self, skip_kinds: frozenset[PeriodKind], skip_units: frozenset[str]) -> Mapping[Pair, int]:
        """Per (place, metric), how many distinct periods its facts state, leaving out the facts of
        those kinds or in those units (what a chart can draw, for `bot.analysis.pairs`)."""

    def digests(self) -> Mapping[str, bytes]:
        """`fact_digest` of every fact, by id (for comparing two stores on reload)."""
        return {f.id: fact_digest(f) for f in self.facts}

    # -- lookups ------------------------------------------------------------------
    def facts_for(self, place: str | None = None, metric: str | None = None) -> Iterable[Fact]:
        """The facts of a place, a metric or both, in load order (a pair's: by period start)."""
        if place is not None and metric is not None:
            return self.by_place_metric.get((place, metric), ())
        return (
            f
            for f in self.facts
            if (place is None or f.place == place) and (metric is None or f.metric == metric)
        )

    def source_of(self, fact: Fact) -> Source:
        return self.sources[fact.doc]

    def place_name(self, key: str) -> str:
        place = self.vocabulary.places.get(key)
        return place.name if place else key

    def metric_name(self, key: str) -> str:
        metric = self.vocabulary.metrics.get(key)
        return metric.name if metric else key


@dataclass(frozen=True, eq=True)
class EagerStore(Store):
    """Every fact in memory: the committed store, and any small one."""

    vocabulary: Vocabulary
    sources: dict[str, Source]
    facts: tuple[Fact, ...]
    documents: dict[str, str]
    by_id: dict[str, Fact] = field(init=False)
    by_place_metric: dict[tuple[str, str], tuple[Fact, ...]] = field(init=False)
    by_doc: dict[str, tuple[Fact, ...]] = field(init=False)

    def __post_init__(self) -> None:
        pairs: defaultdict[tuple[str, str], list[Fact]] = defaultdict(list)
        docs: defaultdict[str, list[Fact]] = defaultdict(list)
        for fact in self.facts:
            pairs[fact.place, fact.metric].append(fact)
            docs[fact.doc].append(fact)
        object.__setattr__(self, "by_id", {f.id: f for f in self.facts})
        object.__setattr__(
            self,
            "by_place_metric",
            {k: tuple(sorted(v, key=lambda f: f.period.start.ordinal)) for k, v in pairs.items()},
        )
        object.__setattr__(self, "by_doc", {k: tuple(v) for k, v in docs.items()})

    # cached_property writes the instance's __dict__ directly, which a frozen dataclass allows
    @cached_property
    def pair_counts(self) -> dict[tuple[str, str], int]:
        return {k: len(v) for k, v in self.by_place_metric.items()}

    @cached_property
    def doc_counts(self) -> dict[str, int]:
        return {k: len(v) for k, v in self.by_doc.items()}

    @cached_property
    def metric_units(self) -> dict[str, frozenset[str]]:
        units: dict[str, set[str]] = {}
        for fact in self.facts:
            units.setdefault(fact.metric, set()).add(fact.unit)
        return {k: frozenset(v) for k, v in units.items()}

    @cached_property
    def quote_words(self) -> frozenset[str]:
        return quote_words_of(f.quote for f in self.facts)

    @cached_property
    def speaker_names(self) -> frozenset[str]:
        return speaker_names_of(self.documents.values(), self.vocabulary.lexicon.speaker_cues)

    def periods(self, place: str | None = None, metric: str | None = None) -> set[Period]:
        return {f.period for f in self.facts_for(place=place, metric=metric)}

    def period_counts(self, skip_kinds: frozenset[PeriodKind], skip_units: frozenset[str]) -> dict[Pair, int]:
        return {
            key: len({f.period for f in facts if f.period.kind not in skip_kinds and f.unit not in skip_units})
            for key, facts in self.by_place_metric.items()
        }


def place_counts(store: Store) -> Counter[str]:
    """Facts per place, places in the order their first fact was loaded."""
    counts: Counter[str] = Counter()
    for (place, _), n in store.pair_counts.items():
        counts[place] += n
    return counts


def metric_counts(store: Store) -> Counter[str]:
    """Facts per metric, metrics in the order their first fact was loaded."""
    counts: Counter[str] = Counter()
    for (_, metric), n in store.pair_counts.items():
        counts[metric] += n
    return counts
