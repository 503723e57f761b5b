"""Compare one metric between two places: each side's figure as stated, and what the bot computes.

Each side is chosen with the engine's own period rules (`select_period`): a
year query prefers the full-year figure and falls back to a partial period
only when that is the only figure for the year. The two figures are never
adjusted: no currency conversion, no re-rounding. A ratio and a difference are
computed only when both sides are answered in the same unit, and they are
labelled as the bot's arithmetic, not the sources' statement.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.analysis.errors import AnalysisError
from bot.analysis.labels import months_text, period_label
from bot.analysis.numbers import format_computed, format_ratio, is_approximate, resolution
from bot.analysis.resolve import parse_request, resolve_metric, resolve_period, resolve_place
from bot.answer import Status, figure_text
from bot.query.engine import Engine, select_period
from bot.store.model import Fact, Source
from bot.store.periods import Period, PeriodKind
from bot.store.snapshot import Store

# Units whose values are positions or dates: subtracting or dividing them means nothing.
NO_ARITHMETIC_UNITS = frozenset({"rank", "date"})
COMPUTED_LABEL = "Computed by factbot from the two stated figures (the sources do not state this)"


class SideStatus(StrEnum):
    ANSWERED = "answered"  # a figure for the asked period (or a partial one, when it is the only one)
    OTHER_PERIOD = "other_period"  # figures exist, none for the asked period
    AMBIGUOUS = "ambiguous"  # several partial figures for the asked year, no full-year one
    NO_FIGURES = "no_figures"  # the documents have nothing for this place and metric


@dataclass(frozen=True)
class Side:
    """One place's side of a comparison."""

    place: str
    place_name: str
    status: SideStatus
    fact: Fact | None = None  # the figure, when answered
    source: Source | None = None
    others: tuple[Fact, ...] = ()  # nearest or competing figures when not answered (never used in arithmetic)
    partial_fallback: bool = False  # a partial period answers a year query: no full-year figure exists

    @property
    def answered(self) -> bool:
        return self.fact is not None

    @property
    def figure(self) -> str | None:
        """The figure as its document states it, with qualifier and printed equivalent."""
        return figure_text(self.fact) if self.fact is not None else None

    @property
    def period(self) -> Period | None:
        return self.fact.period if self.fact is not None else None


@dataclass(frozen=True)
class Computed:
    """The bot's arithmetic on two stated figures. Never a figure of the sources."""

    difference: float  # larger minus smaller, in the unit
    difference_text: str  # "347.33 billion yuan", "57.5 percentage points"
    ratio: float | None  # larger / smaller; None when a value is zero or negative
    ratio_text: str  # "35.7"
    higher: str | None  # display name of the place with the larger value; None when equal
    lower: str | None
    approximate: bool  # a figure is a bound ("over 20"): the results are too
    periods_differ: bool

    def sentence(self) -> str:
        about = "about " if self.approximate else ""
        if self.higher is None:
            return f"{COMPUTED_LABEL}: the two figures are equal."
        parts = []
        if self.ratio is not None:
            parts.append(f"{self.higher}'s figure is {about}{self.ratio_text} times {self.lower}'s")
        parts.append(f"the difference is {about}{self.difference_text} ({self.higher} higher)")
        text = f"{COMPUTED_LABEL}: " + "; ".join(parts) + "."
        if self.periods_differ:
            text += " The periods differ, so this is not like for like."
        return text


@dataclass(frozen=True)
class Comparison:
    metric: str
    metric_name: str
    unit: str | None  # the shared unit key, when both sides are answered in one unit
    asked: Period | None  # the period asked, or the one chosen when none was given
    sides: tuple[Side, Side]
    notes: tuple[str, ...]  # sentences: the period chosen, periods that differ, units that differ
    computed: Computed | None

    @property
    def title(self) -> str:
        a, b = self.sides
        period = f" · {period_label(self.asked)}" if self.asked is not None else ""
        return f"{_capital(self.metric_name)}: {a.place_name} vs {b.place_name}{period}"

    @property
    def periods_differ(self) -> bool:
        a, b = self.sides
        return a.period is not None and b.period is not None and a.period != b.period

    @property
    def answered(self) -> int:
        """How many sides have a figure (0, 1 or 2)."""
        return sum(side.answered for side in self.sides)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _side(store: Store, place: str, metric: str, asked: Period | None, open_end: bool) -> Side:
    name = store.place_name(place)
    facts = store.by_place_metric.get((place, metric), ())
    selection = select_period(facts, asked, open_end=open_end)
    if selection.status is Status.NOT_FOUND:
        return Side(place, name, SideStatus.NO_FIGURES)
    if selection.status is Status.AMBIGUOUS:
        return Side(place, name, SideStatus.AMBIGUOUS, others=selection.facts)
    if selection.status is Status.ANSWERED and selection.note != "series":
        fact = selection.facts[0]
        return Side(
            place, name, SideStatus.ANSWERED, fact, store.source_of(fact),
            partial_fallback=selection.note == "partial",
        )  # fmt: skip
    # "series": a span asked and only yearly figures inside it, which is no single figure for the span
    return Side(place, name, SideStatus.OTHER_PERIOD, others=selection.facts)


def _default_period(store: Store, places: tuple[str, str], metric: str) -> Period | None:
    """With no period asked: the latest full year both places have, else the latest period both have."""
    sets = [{f.period for f in store.by_place_metric.get((p, metric), ())} for p in places]
    common = sets[0] & sets[1]
    years = [p for p in common if p.kind is PeriodKind.YEAR]
    pool = years or [p for p in common if p.kind is not PeriodKind.SPAN]
    return max(pool, key=lambda p: (p.end.ordinal, p.months)) if pool else None


def _unit_name(store: Store, unit: str) -> str:
    if unit == "percent":
        return "percentage points"  # a difference of two percentages
    if unit == "count":
        return ""  # "90" trade partners: the metric names what is counted
    found = store.vocabulary.units.get(unit)
    return found.name if found else unit


def _computed(store: Store, a: Side, b: Side) -> Computed | None:
    fa, fb = a.fact, b.fact
    if fa is None or fb is None or fa.unit != fb.unit or fa.unit in NO_ARITHMETIC_UNITS:
        return None
    (high, high_value), (low, low_value) = sorted(((a, fa.value), (b, fb.value)), key=lambda s: -s[1])
    difference = high_value - low_value
    # exact arithmetic on the stated values, shown as finely as the finer figure is stated
    number = format_computed(difference, min(resolution(fa), resolution(fb)))
    ratio = high_value / low_value if low_value > 0 else None
    return Computed(
        difference=difference,
        difference_text=f"{number} {_unit_name(store, fa.unit)}".strip(),
        ratio=ratio,
        ratio_text=format_ratio(ratio) if ratio is not None else "",
        higher=high.place_name if difference else None,
        lower=low.place_name if difference else None,
        approximate=is_approximate(fa) or is_approximate(fb),
        periods_differ=fa.period != fb.period,
    )


def _notes(store: Store, comparison_asked: Period | None, chosen: bool, a: Side, b: Side) -> list[str]:
    notes: list[str] = []
    if chosen and comparison_asked is not None:
        notes.append(f"No period given: comparing {period_label(comparison_asked)}, the latest period both have.")
    elif chosen and a.fact is not None and b.fact is not None:
        notes.append("No period given, and no period with a figure for both: each side shows its latest figure.")
    if a.fact is not None and b.fact is not None:
        if a.fact.period != b.fact.period:
            notes.append(
                f"The periods differ: {a.place_name}'s figure covers {_covers(a.fact.period)}, "
                f"{b.place_name}'s {_covers(b.fact.period)}."
            )
        if a.fact.unit != b.fact.unit:
            notes.append(
                f"The units differ ({_unit_label(store, a.fact.unit)} and {_unit_label(store, b.fact.unit)}): "
                "no ratio or difference, and factbot never converts currencies or units."
            )
        elif a.fact.unit in NO_ARITHMETIC_UNITS:
            notes.append(f"Both are {_unit_label(store, a.fact.unit)}s: no ratio or difference is meaningful.")
        for side in (a, b):
            if side.fact is not None and is_approximate(side.fact):
                notes.append(f"{side.place_name}'s figure is a bound or an approximation: {figure_text(side.fact)}.")
    return notes


def _covers(period: Period) -> str:
    if period.kind is PeriodKind.YEAR:
        return f"the full year {period.start.year}"
    if period.kind is PeriodKind.PARTIAL:
        return f"{period_label(period)} ({months_text(period)})"
    return period_label(period)


def _unit_label(store: Store, unit: str) -> str:
    found = store.vocabulary.units.get(unit)
    return found.name if found else unit


def compare_keys(
    store: Store, metric: str, places: tuple[str, str], period: Period | None = None, *, open_end: bool = False
) -> Comparison:
    """The comparison of `metric` between two places (store keys), for `period` or the latest common one."""
    if places[0] == places[1]:
        raise AnalysisError(f"Name two different places to compare, not {store.place_name(places[0])} twice.")
    chosen = period is None
    asked = _default_period(store, places, metric) if chosen else period
    a, b = (_side(store, place, metric, asked, open_end) for place in places)
    computed = _computed(store, a, b)
    same_unit = a.fact is not None and b.fact is not None and a.fact.unit == b.fact.unit
    unit = a.fact.unit if same_unit and a.fact is not None else None
    return Comparison(
        metric=metric,
        metric_name=store.metric_name(metric),
        unit=unit,
        asked=asked,
        sides=(a, b),
        notes=tuple(_notes(store, asked, chosen, a, b)),
        computed=computed,
    )


def compare(engine: Engine, metric: str, place_a: str, place_b: str, period: str | None = None) -> Comparison:
    """The comparison for four pieces of text, as a slash command sends them (names, aliases, typos or keys)."""
    places = (resolve_place(engine, place_a), resolve_place(engine, place_b))
    metric_key = resolve_metric(engine, metric, places)
    asked, open_end = resolve_period(engine, period)
    return compare_keys(engine.store, metric_key, places, asked, open_end=open_end)


def compare_text(engine: Engine, text: str) -> Comparison:
    """The comparison for one line of text: "trade xizang xinjiang 2023", as `!compare` receives it."""
    request = parse_request(engine, text, places=2, command="compare")
    a, b = request.places
    return compare_keys(engine.store, request.metric, (a, b), request.period, open_end=request.open_end)
