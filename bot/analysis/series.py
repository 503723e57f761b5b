"""A time series of one metric for one place: the dated figures, in order, each with its source.

Points are full years, partial periods (H1, January to November) and stocks
"as of" a date. Spans (cumulative totals, averages over several years) are
not points: they are kept in `spans` so that a reply can list them below the
table. When two documents state a figure for the same period, the most
precise one is the point and the others are kept as `also`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from bot.analysis.errors import AnalysisError
from bot.analysis.labels import midpoint, period_label
from bot.analysis.numbers import common_scale
from bot.analysis.resolve import parse_request, resolve_metric, resolve_place
from bot.answer import figure_text
from bot.query.engine import Engine
from bot.store.model import Fact, Source
from bot.store.periods import Period, PeriodKind
from bot.store.snapshot import Store

MAX_POINTS = 50  # a chart stays legible and its rendering time bounded
# A date ("November 2018") is when something happened, not a quantity to draw.
NOT_DRAWABLE_UNITS = frozenset({"date"})


@dataclass(frozen=True)
class SeriesPoint:
    fact: Fact
    source_number: int  # 1-based footnote number into `Series.sources`
    also: tuple[tuple[Fact, int], ...] = ()  # the same period stated by other facts, with footnote numbers

    @property
    def period(self) -> Period:
        return self.fact.period

    @property
    def label(self) -> str:
        return period_label(self.fact.period)

    @property
    def partial(self) -> bool:
        return self.fact.period.kind is PeriodKind.PARTIAL

    @property
    def as_of(self) -> bool:
        return self.fact.period.kind is PeriodKind.AS_OF

    @property
    def x(self) -> float:
        """Where the point sits on a time axis, in decimal years: the middle of its period."""
        return midpoint(self.fact.period)

    @property
    def value(self) -> float:
        return self.fact.value

    @property
    def figure(self) -> str:
        """The figure as its document states it."""
        return figure_text(self.fact)


@dataclass(frozen=True)
class Series:
    place: str
    metric: str
    place_name: str
    metric_name: str
    unit: str  # the unit key of the points
    unit_name: str  # "yuan", "percent", "" for counts
    scale: str  # the scale most figures are stated in: "billion", "" for none
    scale_factor: float
    points: tuple[SeriesPoint, ...]  # dated, ordered by their middle
    spans: tuple[tuple[Fact, int], ...]  # multi-year figures, not points; with footnote numbers
    other_units: tuple[tuple[Fact, int], ...]  # dated figures in another unit than the points'
    sources: tuple[Source, ...]  # footnote order: [1] is sources[0]
    dropped: int = 0  # points left out beyond MAX_POINTS (the oldest)

    @property
    def title(self) -> str:
        return f"{self.place_name} · {self.metric_name}"

    @property
    def axis_unit(self) -> str:
        """The unit the chart's axis is in: "billion yuan", "percent", "million"."""
        return " ".join(part for part in (self.scale, self.unit_name) if part)

    @property
    def chartable(self) -> bool:
        """At least two points: a single point is a sentence, not a chart."""
        return len(self.points) >= 2

    @property
    def has_partial(self) -> bool:
        return any(p.partial for p in self.points)


def _precision(fact: Fact) -> int:
    return sum(c.isdigit() for c in fact.figure)


def series_keys(
    store: Store, place: str, metric: str, *, within: Period | None = None, max_points: int = MAX_POINTS
) -> Series:
    """The series of `metric` for `place` (store keys), optionally only the periods `within` a span.

    It may have no points at all; `Series.chartable` says whether it is worth a chart.
    """
    facts = store.by_place_metric.get((place, metric), ())
    if within is not None:
        first, last = within.start.ordinal, within.end.ordinal
        facts = tuple(f for f in facts if first <= f.period.start.ordinal and f.period.end.ordinal <= last)
    dated = [f for f in facts if f.period.kind is not PeriodKind.SPAN and f.unit not in NOT_DRAWABLE_UNITS]
    units = Counter(f.unit for f in dated)
    # the unit most figures use; on a tie, the unit of the latest figure
    unit = max(units, key=lambda u: (units[u], max(f.period.end.ordinal for f in dated if f.unit == u)), default="")
    by_period: dict[Period, list[Fact]] = {}
    for fact in dated:
        if fact.unit == unit:
            by_period.setdefault(fact.period, []).append(fact)
    ordered = sorted(by_period, key=lambda p: (midpoint(p), p.months))
    dropped = max(0, len(ordered) - max_points)
    ordered = ordered[dropped:]

    sources: list[str] = []

    def number(fact: Fact) -> int:
        if fact.doc not in sources:
            sources.append(fact.doc)
        return sources.index(fact.doc) + 1

    points = []
    for period in ordered:
        same = sorted(by_period[period], key=lambda f: (-_precision(f), f.doc, f.id))
        main = same[0]
        points.append(SeriesPoint(main, number(main), tuple((f, number(f)) for f in same[1:])))
    spans = tuple((f, number(f)) for f in facts if f.period.kind is PeriodKind.SPAN)
    others = tuple((f, number(f)) for f in dated if f.unit != unit)
    unit_entry = store.vocabulary.units.get(unit)
    unit_name = "" if unit == "count" else unit_entry.name if unit_entry else unit
    scale, factor = common_scale(p.fact for p in points)
    return Series(
        place=place,
        metric=metric,
        place_name=store.place_name(place),
        metric_name=store.metric_name(metric),
        unit=unit,
        unit_name=unit_name,
        scale=scale,
        scale_factor=factor,
        points=tuple(points),
        spans=spans,
        other_units=others,
        sources=tuple(store.sources[doc] for doc in sources),
        dropped=dropped,
    )


def series(engine: Engine, metric: str, place: str) -> Series:
    """The series for two pieces of text, as a slash command sends them (names, aliases, typos or keys)."""
    place_key = resolve_place(engine, place)
    return series_keys(engine.store, place_key, resolve_metric(engine, metric, (place_key,)))


def series_text_request(engine: Engine, text: str) -> Series:
    """The series for one line of text: "trade xinjiang", as `!series` receives it."""
    request = parse_request(engine, text, places=1, command="series")
    if request.period is not None and request.period.kind is not PeriodKind.SPAN:
        raise AnalysisError(
            "series shows every period the documents have; leave the period out "
            f"(or ask 'trade xinjiang {request.period.text}' for one figure)."
        )
    return series_keys(engine.store, request.places[0], request.metric, within=request.period)
