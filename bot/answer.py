"""The `Answer` value object and its renderings (one line of text, JSON).

Every adapter (command line, console, Discord) shows an `Answer`; none of them
decides what a query means.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from bot.store.model import Fact, Source
from bot.store.periods import PeriodKind
from bot.store.snapshot import Store


class Status(StrEnum):
    ANSWERED = "answered"
    NEAREST = "nearest"
    AMBIGUOUS = "ambiguous"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class FactView:
    """A fact as shown to a person: the fact, its source and its one-line text."""

    fact: Fact
    source: Source
    place: str
    metric: str
    text: str

    @property
    def title(self) -> str:
        return f"{self.place} · {self.metric} · {self.fact.period.label()}"

    def to_json(self) -> dict[str, Any]:
        fact = self.fact
        return {
            "fact_id": fact.id,
            "text": self.text,
            "value": fact.value,
            "unit": fact.unit,
            "period": fact.period.label(),
            "place": self.place,
            "metric": self.metric,
            "figure": fact.figure,
            "qualifier": fact.qualifier,
            "doc": fact.doc,
            "source": {"title": self.source.title, "publisher": self.source.publisher, "date": self.source.date},
            "quote": fact.quote,
            "note": fact.note,
        }


@dataclass(frozen=True)
class Interpretation:
    """What the engine understood: display names and store keys."""

    place: str | None = None
    metric: str | None = None
    period: str | None = None  # a label: "2023", "H1 2023", "the first 11 months of 2023"
    place_key: str | None = None
    metric_key: str | None = None
    period_code: str | None = None  # the store's grammar: "2023-H1"

    @property
    def title(self) -> str:
        parts = [p for p in (self.place, self.metric, self.period) if p]
        return " · ".join(parts) if parts else "your question"


@dataclass(frozen=True)
class Answer:
    query: str
    status: Status
    interpretation: Interpretation
    message: str  # the line a person reads, whatever the status
    fact: FactView | None = None
    alternatives: tuple[FactView, ...] = ()
    suggestions: tuple[str, ...] = ()  # queries a person may run next (buttons)
    score: float = 0.0
    remaining: tuple[str, ...] = field(default=())

    @property
    def answered(self) -> bool:
        return self.status is Status.ANSWERED

    def to_json(self) -> dict[str, Any]:
        interp = self.interpretation
        return {
            "query": self.query,
            "status": self.status.value,
            "interpretation": {"place": interp.place, "metric": interp.metric, "period": interp.period},
            "answer": self.fact.to_json() if self.fact else None,
            "alternatives": [{"fact_id": a.fact.id, "text": a.text} for a in self.alternatives],
            "suggestions": list(self.suggestions),
            "message": self.message,
            "score": round(self.score, 3),
        }


# -- rendering -----------------------------------------------------------


def _change_text(fact: Fact) -> str:
    change = fact.change
    if change is None or change.figure in fact.figure:
        return ""
    if change.kind == "yoy":
        direction = "down" if change.value is not None and change.value < 0 else "up"
        return f"{direction} {change.figure} year-on-year"
    if change.kind == "fold":
        return f"a {change.figure} increase" + (f" from {change.base}" if change.base else "")
    if change.kind == "average_annual":
        since = f" since {change.base}" if change.base else ""
        return f"average annual growth of {change.figure}{since}"
    if change.base:
        return f"{change.figure} since {change.base}"
    return change.figure


def figure_text(fact: Fact) -> str:
    """The figure as the document states it, with its qualifier and printed equivalent."""
    text = fact.figure
    qualifier = fact.qualifier
    if qualifier == "record":
        text = f"{text} (a record)"
    elif qualifier and qualifier.lower() not in text.lower():
        text = f"{qualifier} {text}"
    if fact.equivalent:
        equivalent = fact.equivalent.strip()
        text += f" {equivalent}" if equivalent.startswith("(") else f" ({equivalent})"
    return text


def source_text(source: Source) -> str:
    return f"{source.title} ({source.publisher}, {source.date})"


def fact_line(fact: Fact, store: Store, *, with_source: bool = True) -> str:
    """One line: place · metric · period: figure, change. Source."""
    title = f"{store.place_name(fact.place)} · {store.metric_name(fact.metric)} · {fact.period.label()}"
    line = f"{title}: {figure_text(fact)}"
    change = _change_text(fact)
    if change:
        line += f", {change}"
    if fact.period.kind is PeriodKind.PARTIAL and fact.unit != "date":  # a date is not a partial year
        line += f" ({fact.period.coverage_note()})"
    if with_source:
        line += f". Source: {source_text(store.source_of(fact))}"
    return line


def view(fact: Fact, store: Store, *, extra: str = "") -> FactView:
    text = fact_line(fact, store)
    if extra:
        text = f"{text}. {extra}"
    return FactView(
        fact=fact,
        source=store.source_of(fact),
        place=store.place_name(fact.place),
        metric=store.metric_name(fact.metric),
        text=text,
    )
