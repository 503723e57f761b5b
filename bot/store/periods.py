"""The canonical period grammar used in the fact store.

A period in YAML is one of:

    2023                 the calendar year
    2023-H1, 2023-Q3     a half or a quarter
    2023-05              one month
    2024-01/2024-04      a run of months (January to April 2024)
    2012/2023            a span of years (averages, cumulative totals, "from X to Y")
    2015/2023-11         a span ending in a month (2015 to November 2023)
    as of 2025-03        a stock with no stated period, as of a document's date

Every period is reduced to an inclusive range of months so that the engine can
compare them; `kind` says how a person would read it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


class PeriodError(ValueError):
    """A period string that does not follow the grammar."""


class PeriodKind(StrEnum):
    YEAR = "year"
    PARTIAL = "partial"  # part of one calendar year
    SPAN = "span"  # several years
    AS_OF = "as_of"  # a stock at a point in time


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @property
    def ordinal(self) -> int:
        return self.year * 12 + self.month - 1

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class Period:
    text: str
    kind: PeriodKind
    start: Month
    end: Month

    @property
    def years(self) -> range:
        return range(self.start.year, self.end.year + 1)

    @property
    def months(self) -> int:
        return self.end.ordinal - self.start.ordinal + 1

    def covers_year(self, year: int) -> bool:
        return self.start.year <= year <= self.end.year

    def overlaps(self, other: Period) -> bool:
        return self.start.ordinal <= other.end.ordinal and other.start.ordinal <= self.end.ordinal

    def label(self) -> str:
        """How a person reads the period: "2023", "H1 2023", "January to April 2024"."""
        start, end = self.start, self.end
        if self.kind is PeriodKind.YEAR:
            return str(start.year)
        if self.kind is PeriodKind.AS_OF:
            if _RE_ASOF_YEAR.match(self.text):
                return f"as of {end.year}"
            return f"as of {MONTH_NAMES[end.month - 1]} {end.year}"
        if self.kind is PeriodKind.SPAN:
            first = str(start.year) if start.month == 1 else _month_label(start)
            last = str(end.year) if end.month == 12 else _month_label(end)
            return f"{first} to {last}"
        if start == end:
            return _month_label(start)
        half_or_quarter = _NAMED_PARTS.get((start.month, end.month))
        if half_or_quarter:
            return f"{half_or_quarter} {start.year}"
        return f"{MONTH_NAMES[start.month - 1]} to {MONTH_NAMES[end.month - 1]} {end.year}"

    def coverage_note(self) -> str:
        """For partial periods: which months the figure covers."""
        if self.kind is not PeriodKind.PARTIAL:
            return ""
        first, last = MONTH_NAMES[self.start.month - 1], MONTH_NAMES[self.end.month - 1]
        if self.start == self.end:
            return f"covers {first} {self.start.year} only"
        return f"covers {first} to {last} {self.end.year} only"

    def __str__(self) -> str:
        return self.text


_NAMED_PARTS = {(1, 6): "H1", (7, 12): "H2", (1, 3): "Q1", (4, 6): "Q2", (7, 9): "Q3", (10, 12): "Q4"}
_PARTS = {"H1": (1, 6), "H2": (7, 12), "Q1": (1, 3), "Q2": (4, 6), "Q3": (7, 9), "Q4": (10, 12)}

_YEAR = r"(\d{4})"
_MONTH = r"(\d{4})-(\d{2})"
_RE_YEAR = re.compile(rf"^{_YEAR}$")
_RE_PART = re.compile(rf"^{_YEAR}-(H[12]|Q[1-4])$")
_RE_MONTH = re.compile(rf"^{_MONTH}$")
_RE_ASOF_YEAR = re.compile(rf"^as of {_YEAR}$")
_RE_ASOF = re.compile(rf"^as of (?:{_MONTH}|{_YEAR})$")


def _month_label(month: Month) -> str:
    return f"{MONTH_NAMES[month.month - 1]} {month.year}"


def _month(year: str, month: str, raw: str) -> Month:
    value = Month(int(year), int(month))
    if not 1 <= value.month <= 12:
        raise PeriodError(f"month {month} in {raw!r} is not 01-12")
    return value


def _endpoint(part: str, raw: str, *, is_start: bool) -> Month:
    if m := _RE_YEAR.match(part):
        return Month(int(m[1]), 1 if is_start else 12)
    if m := _RE_MONTH.match(part):
        return _month(m[1], m[2], raw)
    raise PeriodError(f"{part!r} in {raw!r} is neither YYYY nor YYYY-MM")


def parse_period(raw: str | int) -> Period:
    """Parse a period in the store's canonical grammar (see the module docstring)."""
    text = str(raw).strip()
    if m := _RE_YEAR.match(text):
        year = int(m[1])
        return Period(text, PeriodKind.YEAR, Month(year, 1), Month(year, 12))
    if m := _RE_PART.match(text):
        year = int(m[1])
        first, last = _PARTS[m[2]]
        return Period(text, PeriodKind.PARTIAL, Month(year, first), Month(year, last))
    if m := _RE_MONTH.match(text):
        month = _month(m[1], m[2], text)
        return Period(text, PeriodKind.PARTIAL, month, month)
    if m := _RE_ASOF.match(text):
        point = Month(int(m[3]), 12) if m[3] else _month(m[1], m[2], text)
        return Period(text, PeriodKind.AS_OF, point, point)
    if "/" in text:
        left, _, right = text.partition("/")
        start = _endpoint(left, text, is_start=True)
        end = _endpoint(right, text, is_start=False)
        if end.ordinal < start.ordinal:
            raise PeriodError(f"{text!r} ends before it starts")
        if start.year == end.year:
            if start.month == 1 and end.month == 12:
                raise PeriodError(f"{text!r} is a whole year: write {start.year}")
            return Period(text, PeriodKind.PARTIAL, start, end)
        return Period(text, PeriodKind.SPAN, start, end)
    raise PeriodError(
        f"{text!r} is not a period: use YYYY, YYYY-H1, YYYY-Q1, YYYY-MM, "
        "YYYY-MM/YYYY-MM, YYYY/YYYY, YYYY/YYYY-MM or 'as of YYYY-MM'"
    )
