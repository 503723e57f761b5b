"""The values the fact store is made of. All frozen: a store is a snapshot."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.query.lexicon import Lexicon
from bot.store.periods import Period


@dataclass(frozen=True)
class Unit:
    key: str
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Place:
    key: str
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    within: str | None = None


@dataclass(frozen=True)
class Metric:
    key: str
    name: str
    aliases: tuple[str, ...] = ()
    description: str = ""
    # metrics to offer when this one has no figure ("exports" -> the trade total)
    related: tuple[str, ...] = ()


@dataclass(frozen=True)
class Source:
    file: str
    title: str
    publisher: str
    date: str
    date_note: str = ""
    relative_dates: tuple[tuple[str, str], ...] = ()

    @property
    def short(self) -> str:
        return f"{self.title} ({self.publisher}, {self.date})"


@dataclass(frozen=True)
class Change:
    """A stated change: "up 83.7 percent year-on-year", "a 5.2-fold increase from 2012"."""

    kind: str  # yoy | since | fold | average_annual | total
    figure: str
    value: float | None = None
    base: str | None = None  # the period the change is measured from, when stated


@dataclass(frozen=True)
class Fact:
    id: str
    place: str
    metric: str
    period: Period
    value: float
    unit: str
    figure: str
    quote: str
    doc: str
    qualifier: str | None = None
    change: Change | None = None
    equivalent: str | None = None  # another currency as printed: "about 10.75 billion U.S. dollars"
    note: str | None = None
    file: str = ""
    line: int = 0
    tags: tuple[str, ...] = field(default=())

    @property
    def figure_with_qualifier(self) -> str:
        """The figure with its qualifier, unless the figure already says it."""
        if self.qualifier and self.qualifier.lower() not in self.figure.lower():
            return f"{self.qualifier} {self.figure}"
        return self.figure


@dataclass(frozen=True)
class Vocabulary:
    places: dict[str, Place]
    metrics: dict[str, Metric]
    units: dict[str, Unit]
    lexicon: Lexicon = field(default_factory=Lexicon)  # how questions talk about them
