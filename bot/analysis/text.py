"""Plain-text renderings of a comparison and a series: one block, for the CLI, the console and Discord.

Lines stay short and the series table is aligned with spaces, so that the
Discord side can put it in a code block unchanged.
"""

from __future__ import annotations

import textwrap

from bot.analysis.compare import Comparison, Side, SideStatus
from bot.analysis.labels import months_text, period_label
from bot.analysis.series import Series
from bot.answer import figure_text, source_text
from bot.store.model import Fact
from bot.store.periods import PeriodKind

WIDTH = 100  # wrap long sentences; a Discord code block is about this wide on a desktop


def _wrap(text: str, indent: str = "  ") -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent + "  ")


def _listing(facts: tuple[Fact, ...], limit: int = 3) -> str:
    return "; ".join(f"{period_label(f.period)}: {figure_text(f)}" for f in facts[:limit])


def side_text(side: Side, comparison: Comparison) -> str:
    """One side: its period, the figure as stated and its source; or why there is none."""
    metric = comparison.metric_name
    asked = period_label(comparison.asked) if comparison.asked is not None else "any period"
    if side.fact is not None and side.source is not None:
        period = side.fact.period
        extra = f" ({months_text(period)})" if period.kind is PeriodKind.PARTIAL else ""
        text = f"{side.place_name}, {period_label(period)}{extra}: {side.figure}."
        if side.partial_fallback:
            text += f" The documents give no figure for the whole of {period.start.year}."
        return f"{text} Source: {source_text(side.source)}"
    if side.status is SideStatus.NO_FIGURES:
        return f"{side.place_name}: the documents have no figure for {metric}."
    if side.status is SideStatus.AMBIGUOUS:
        parts = _listing(side.others)
        return f"{side.place_name}: no single figure for {asked}; the documents give parts of it: {parts}."
    nearest = f" Nearest (not compared): {_listing(side.others, 2)}." if side.others else ""
    return f"{side.place_name}: no figure for {asked}.{nearest}"


def comparison_text(comparison: Comparison) -> str:
    """The whole comparison as one block of text."""
    lines = [comparison.title]
    for side in comparison.sides:
        lines.extend(_wrap(side_text(side, comparison)))
    for note in comparison.notes:
        lines.extend(_wrap(note))
    if comparison.computed is not None:
        lines.extend(_wrap(comparison.computed.sentence()))
    elif comparison.answered == 1:
        lines.extend(_wrap("Only one side has a figure: nothing to compute."))
    elif comparison.answered == 0:
        lines.extend(_wrap("Neither side has a figure: nothing to compare."))
    return "\n".join(lines)


def _table(rows: list[tuple[str, str, str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(2)]
    return [f"  {a:<{widths[0]}}  {b:<{widths[1]}}  {c}".rstrip() for a, b, c in rows]


def series_text(series: Series) -> str:
    """The series as a short table (period, figure as stated, source), with footnotes and notes."""
    if not series.points:
        what = f"{series.metric_name} in {series.place_name}"
        lines = [f"The documents have no dated figure for {what}."]
        if series.spans:
            lines.append("They state only figures over several years:")
            lines.extend(f"  {period_label(f.period)}: {figure_text(f)} [{n}]" for f, n in series.spans)
            lines.extend(_footnotes(series))
        return "\n".join(lines)
    unit = f" ({series.axis_unit})" if series.axis_unit else ""
    lines = [f"{series.title}{unit}"]
    if not series.chartable:
        point = series.points[0]
        lines.append(f"Only one period is known, so there is no chart: {point.label}.")
    rows = [("Period", "Figure as stated", "Source")]
    for point in series.points:
        label = f"{point.label} (partial)" if point.partial else point.label
        rows.append((label, point.figure, f"[{point.source_number}]"))
        for fact, number in point.also:
            rows.append(("", f"also stated as {figure_text(fact)}", f"[{number}]"))
    lines.extend(_table(rows))
    if series.spans:
        lines.append("Not points of the series (figures over several years):")
        lines.extend(f"  {period_label(f.period)}: {figure_text(f)} [{n}]" for f, n in series.spans)
    if series.other_units:
        lines.append("In another unit, not drawn:")
        lines.extend(f"  {period_label(f.period)}: {figure_text(f)} [{n}]" for f, n in series.other_units)
    if series.dropped:
        lines.append(f"{series.dropped} older period(s) left out: a series shows at most {len(series.points)}.")
    lines.extend(_footnotes(series))
    if series.has_partial:
        lines.extend(_wrap("Partial periods cover part of a year: they are not comparable with full years.", ""))
    return "\n".join(lines)


def _footnotes(series: Series) -> list[str]:
    return [f"[{i}] {source_text(source)}" for i, source in enumerate(series.sources, 1)]
