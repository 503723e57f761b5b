"""How a period is named in a table, on a chart and where it sits on a time axis."""

from __future__ import annotations

import re

from bot.store.periods import MONTH_NAMES, Period, PeriodKind

_AS_OF_YEAR = re.compile(r"^as of (\d{4})$")
_PARTS = {(1, 6): "H1", (7, 12): "H2", (1, 3): "Q1", (4, 6): "Q2", (7, 9): "Q3", (10, 12): "Q4"}


def period_label(period: Period) -> str:
    """`Period.label()`, except that "as of 2024" stays "as of 2024".

    The store keeps a bare-year stock as December of that year so that it can
    be ordered; printing "as of December 2024" would claim a month the
    document never states.
    """
    match = _AS_OF_YEAR.match(period.text)
    return f"as of {match[1]}" if match else period.label()


def short_part(period: Period) -> str:
    """Which part of its year a partial period covers, short enough for a chart label: "H1", "Jan–Nov"."""
    start, end = period.start, period.end
    named = _PARTS.get((start.month, end.month))
    if named:
        return named
    if start == end:
        return MONTH_NAMES[start.month - 1][:3]
    return f"{MONTH_NAMES[start.month - 1][:3]}–{MONTH_NAMES[end.month - 1][:3]}"


def months_text(period: Period) -> str:
    """ "eleven months", "the full year": how much of a year a figure covers, for a person."""
    if period.kind is PeriodKind.YEAR:
        return "the full year"
    if period.kind is PeriodKind.AS_OF:
        return "a level at one date"
    count = period.months
    return f"{_NUMBER_WORDS.get(count, str(count))} month" + ("s" if count != 1 else "")


def midpoint(period: Period) -> float:
    """The middle of the period as a decimal year: 2023 -> 2023.5, H1 2023 -> 2023.25.

    A stock "as of" a month sits in the middle of that month. Partial periods
    are drawn here, inside their year, never on the year's own position.
    """
    return (period.start.ordinal + period.end.ordinal + 1) / 24


_NUMBER_WORDS = {
    1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight",
    9: "nine", 10: "ten", 11: "eleven",
}  # fmt: skip
