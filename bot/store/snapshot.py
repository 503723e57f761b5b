"""The immutable snapshot of the fact store that every reader shares.

A reload builds a new snapshot and swaps one reference (see `bot.service.FactService`);
readers never see half a store.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.store.model import Fact, Source, Vocabulary


@dataclass(frozen=True)
class Store:
    vocabulary: Vocabulary
    sources: dict[str, Source]
    facts: tuple[Fact, ...]
    documents: dict[str, str]  # seed file name -> text
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

    def facts_for(self, place: str | None = None, metric: str | None = None) -> Iterable[Fact]:
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
