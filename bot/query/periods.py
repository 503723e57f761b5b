"""Find the period a query asks about: "2023", "H1 2023", "first half of 2023",
"Jan-Apr 2024", "first 11 months of 2023", "from 2022 to 2024", "last year".

`extract_period` returns the period (in the store's grammar, see
`bot.store.periods`) and the query text with the period phrase removed, so
that "2023" is not mistaken for part of a place or metric name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from bot.query.prefilter import Prefilter
from bot.store.periods import Period, PeriodError, parse_period

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9,
    "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}  # fmt: skip
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_ORDINAL_PARTS = {
    ("first", "half"): "H1", ("1st", "half"): "H1", ("second", "half"): "H2",
    ("2nd", "half"): "H2", ("latter", "half"): "H2",
    ("first", "quarter"): "Q1", ("1st", "quarter"): "Q1", ("second", "quarter"): "Q2",
    ("2nd", "quarter"): "Q2", ("third", "quarter"): "Q3", ("3rd", "quarter"): "Q3",
    ("fourth", "quarter"): "Q4", ("4th", "quarter"): "Q4", ("last", "quarter"): "Q4",
}  # fmt: skip

_M = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_Y = r"((?:19|20)\d{2})"
_TO = r"\s*(?:-|to|through|thru|till|until|and)\s*"
_OF = r"(?:\s*(?:of|in|,)\s*(?:the\s+year\s+)?)?\s*"
_N = r"(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"


@dataclass(frozen=True)
class PeriodMatch:
    period: Period | None
    rest: str  # the query without the period phrase
    relative: bool = False  # "last year", "this year": resolved against today
    latest: bool = False  # "latest", "to date", "currently": the newest figure
    open_end: bool = False  # "since 2015": a span whose end the query leaves open
    whole_year: bool = False  # "the whole of 2023", "full-year 2023": no partial figure will do
    part: tuple[int, int] | None = None  # months of a part of a year with no year ("H1", "Jan-Apr")


def _num(token: str) -> int:
    return int(token) if token.isdigit() else _NUMBER_WORDS[token]


def _month(token: str) -> int:
    return _MONTHS[token.rstrip(".")[:3] if token[:3] != "sep" else "sep"]


def _range(year1: int, m1: int, year2: int, m2: int) -> str:
    if year1 == year2:
        if m1 == 1 and m2 == 12:
            return str(year1)
        if m1 == m2:
            return f"{year1:04d}-{m1:02d}"
        return f"{year1:04d}-{m1:02d}/{year2:04d}-{m2:02d}"
    start = str(year1) if m1 == 1 else f"{year1:04d}-{m1:02d}"
    end = str(year2) if m2 == 12 else f"{year2:04d}-{m2:02d}"
    return f"{start}/{end}"


def _part(year: str, part: str) -> str:
    return f"{year}-{part.upper()}"


# Each rule: a pattern and a function from its match to a canonical period.
_Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]
_RULES: list[_Rule] = [
    # canonical forms typed by people who read the store: 2023-H1, 2024-01/2024-04
    (re.compile(r"\b((?:19|20)\d{2}(?:-\d{2})?)\s*/\s*((?:19|20)\d{2}(?:-\d{2})?)\b"), lambda m: f"{m[1]}/{m[2]}"),
    (re.compile(rf"\b{_Y}\s*-?\s*(h[12]|q[1-4])\b"), lambda m: _part(m[1], m[2])),
    (re.compile(rf"\b([12])h\s*{_Y}\b"), lambda m: _part(m[2], f"h{m[1]}")),
    (re.compile(rf"\b(h[12]|q[1-4])\s*(?:of\s+)?{_Y}\b"), lambda m: _part(m[2], m[1])),
    # first 11 months of 2023 / first four months of 2024
    (re.compile(rf"\b(?:the\s+)?first\s+{_N}\s+months?{_OF}{_Y}\b"),
     lambda m: _range(int(m[2]), 1, int(m[2]), _num(m[1]))),
    (re.compile(rf"\b{_Y}{_OF}(?:the\s+)?first\s+{_N}\s+months?\b"),
     lambda m: _range(int(m[1]), 1, int(m[1]), _num(m[2]))),
    # first half of 2023 / 2023 first half
    (re.compile(rf"\b(?:the\s+)?(first|1st|second|2nd|latter|third|3rd|fourth|4th|last)\s+(half|quarter){_OF}{_Y}\b"),
     lambda m: _part(m[3], _ORDINAL_PARTS[m[1], m[2]])),
    (re.compile(rf"\b{_Y}{_OF}(?:the\s+)?(first|1st|second|2nd|third|3rd|fourth|4th)\s+(half|quarter)\b"),
     lambda m: _part(m[1], _ORDINAL_PARTS[m[2], m[3]])),
    # Jan 2015 to Nov 2023 / 2015 to November 2023 / from 2022 to 2024
    (re.compile(rf"\b(?:from\s+|between\s+)?(?:{_M}\s+)?{_Y}{_TO}(?:{_M}\s+)?{_Y}\b"),
     lambda m: _range(int(m[2]), _month(m[1]) if m[1] else 1, int(m[4]), _month(m[3]) if m[3] else 12)),
    # Jan-Apr 2024 / January to April 2024 / from January to November 2023
    (re.compile(rf"\b(?:from\s+|between\s+)?{_M}{_TO}{_M}{_OF}{_Y}\b"),
     lambda m: _range(int(m[3]), _month(m[1]), int(m[3]), _month(m[2]))),
    (re.compile(rf"\b{_Y}\s*,?\s*{_M}{_TO}{_M}\b"),
     lambda m: _range(int(m[1]), _month(m[2]), int(m[1]), _month(m[3]))),
    # 2022-24 (two-digit end year)
    (re.compile(r"\b(20\d{2})\s*-\s*(\d{2})\b(?!\s*[-/])"),
     lambda m: _range(int(m[1]), 1, 2000 + int(m[2]), 12) if int(m[2]) > int(m[1][2:]) else m[1]),
    # a month: November 2023 / 2023-11
    (re.compile(rf"\b{_M}\s*,?\s*{_Y}\b"), lambda m: _range(int(m[2]), _month(m[1]), int(m[2]), _month(m[1]))),
    (re.compile(rf"\b{_Y}-(0[1-9]|1[0-2])\b"), lambda m: f"{m[1]}-{m[2]}"),
    # two-digit years where the form leaves no doubt: '23, FY23, H1 '23, 1H23
    (re.compile(r"\b(h[12]|q[1-4])\s*'?(\d{2})\b(?!\d)"), lambda m: _part(f"20{m[2]}", m[1])),
    (re.compile(r"\b([12])h\s*'?(\d{2})\b(?!\d)"), lambda m: _part(f"20{m[2]}", f"h{m[1]}")),
    (re.compile(r"(?:\bfy\s*|')(\d{2})\b(?!\d)"), lambda m: f"20{m[1]}"),
    # a year, with or without "end of", "in", "for", "fy"
    (re.compile(rf"\b(?:(?:by\s+)?(?:the\s+)?end\s+of\s+|year[-\s]end\s+|fy\s*)?{_Y}(?:\s*year[-\s]end)?\b"),
     lambda m: m[1]),
]  # fmt: skip

_WHOLE_YEAR = re.compile(
    r"\b(?:(?:the\s+)?(?:whole|entire|full|complete)(?:\s+|-)(?:year\s+(?:of\s+)?)?(?:of\s+)?|all\s+of\s+)(?=(?:19|20)\d{2}\b)"
    r"|\b(?:full|whole|entire)[-\s]year\b"
)
_LONE_YEAR = re.compile(r"\b((?:19|20)\d{2})\b")
_FISCAL_YEAR = re.compile(r"\bfy\s*'?(?:(?:19|20)\d{2}|\d{2})\b")
_SINCE = re.compile(rf"\b(?:since|after|from)\s+{_Y}\b(?!\s*(?:-|(?:to|through|until|till|thru)\b))")
# "rose 83.7 percent in 2023 compared with 2022" (read as "in 2023 since 2022"): the change in that
# year, or over the years between, not a span left open at 2022
_YEAR_SINCE = re.compile(rf"\b(?:in\s+)?{_Y}\s+since\s+{_Y}\b")
_RELATIVE = re.compile(r"\b(last|previous|past|this|current)\s+year\b")
_LATEST = re.compile(r"\b(latest|most recent|newest|to date|so far|currently|current|now|recent)\b")
_SPACES = re.compile(r"\s{2,}")


def _cut(text: str, *matches: re.Match[str]) -> str:
    """The text without what the matches read (they do not overlap)."""
    kept, at = [], 0
    for match in sorted(matches, key=lambda m: m.start()):
        kept.append(text[at : match.start()])
        at = match.end()
    kept.append(text[at:])
    return _SPACES.sub(" ", " ".join(kept)).strip()


_CJK_NUMBERS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
                "十一": 11, "十二": 12}  # fmt: skip
_CJK_RULES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    # "2015年到2023年11月": from a year to a month; "2022年至2024年": from a year to a year
    (re.compile(r"(\d{4})\s*年?\s*[到至~—-]\s*(\d{4})\s*年\s*(\d{1,2})\s*月"),
     lambda m: f" {m[1]}-01/{m[2]}-{int(m[3]):02d} "),
    (re.compile(r"(\d{4})\s*年?\s*[到至~—-]\s*(\d{4})\s*年"), lambda m: f" {m[1]} to {m[2]} "),
    (re.compile(r"(\d{4})\s*年?\s*(?:以来|至今)"), lambda m: f" since {m[1]} "),
    (re.compile(r"(\d{4})\s*年\s*上半年"), lambda m: f" h1 {m[1]} "),
    (re.compile(r"(\d{4})\s*年\s*下半年"), lambda m: f" h2 {m[1]} "),
    (re.compile(r"(\d{4})\s*年\s*前\s*(\d{1,2}|十一|十二|[一二两三四五六七八九十])\s*个?\s*月"),
     lambda m: f" first {_CJK_NUMBERS.get(m[2], m[2])} months of {m[1]} "),
    (re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*[-—~至到]\s*(\d{1,2})\s*月"),
     lambda m: f" {m[1]}-{int(m[2]):02d}/{m[1]}-{int(m[3]):02d} "),
    (re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月"), lambda m: f" {_month_name(m[2])} {m[1]} "),
    (re.compile(r"(\d{4})\s*年"), lambda m: f" {m[1]} "),
    # months said without their year ("1-4月 2024", "12月 2023"): the year is read beside them
    (re.compile(r"前\s*(\d{1,2}|十一|十二|[一二两三四五六七八九十])\s*个?\s*月"),
     lambda m: f" first {_CJK_NUMBERS.get(m[1], m[1])} months "),
    (re.compile(r"(?<!\d)(\d{1,2})\s*[-—~至到]\s*(\d{1,2})\s*月"),
     lambda m: f" {_month_name(m[1])}-{_month_name(m[2])} "),
    (re.compile(r"(?<!\d)(\d{1,2})\s*月"), lambda m: f" {_month_name(m[1])} "),
]  # fmt: skip

_MONTH_ABBREVIATIONS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _month_name(number: str) -> str:
    """ "12" -> "dec"; a number that is no month stays as written, and reads as no period."""
    month = int(number)
    return _MONTH_ABBREVIATIONS[month - 1] if 1 <= month <= 12 else f"{number}月"


def chinese_periods(text: str) -> str:
    """Rewrite Chinese period phrases ("2023年上半年", "2023年前11个月") in the English forms below."""
    if "年" not in text and "月" not in text and "以来" not in text and "至今" not in text:
        return text  # every rule needs the year's 年, a month's 月, or "since" (以来, 至今)
    for pattern, build in _CJK_RULES:
        text = pattern.sub(build, text)
    return text


# Every period phrase has a digit or one of these words; a question with none names no period.
_MAYBE_PERIOD = re.compile(
    r"\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|year|latest|most recent|newest|to date|so far"
    r"|current|now|recent|fy)"
)


Span = tuple[int, int]
# the rules whose required words ("first", "half", a month) the text lacks are not tried
_RULE_FILTER = Prefilter(pattern for pattern, _ in _RULES)


def _search(pattern: re.Pattern[str], text: str, skip: Sequence[Span]) -> re.Match[str] | None:
    """The first match outside the `skip` spans (context clauses: "... completed in December 2011")."""
    if not skip:
        return pattern.search(text)
    for match in pattern.finditer(text):
        if not any(start <= match.start() < end for start, end in skip):
            return match
    return None


def marked_spans(text: str, marks: tuple[str, str] | None) -> list[Span]:
    """The spans of `text` between an opening and a closing mark (context clauses)."""
    if marks is None or marks[0] not in text:
        return []
    opening, closing = (re.escape(m) for m in marks)
    return [m.span() for m in re.finditer(rf"{opening}.*?(?:{closing}|$)", text)]


def extract_period(text: str, today: date | None = None, context: tuple[str, str] | None = None) -> PeriodMatch:
    """Find the first period phrase in already-folded `text` (see `bot.query.text.fold`).

    A phrase between the `context` marks is not the period asked: it dates the
    context ("the project completed in December 2011").
    """
    if not _MAYBE_PERIOD.search(text):
        return PeriodMatch(None, text)
    skip = marked_spans(text, context)
    match = _search(_YEAR_SINCE, text, skip)
    if match is not None and int(match[2]) < int(match[1]):
        year, base = int(match[1]), int(match[2])
        asked = str(year) if year == base + 1 else f"{base}/{year}"
        return PeriodMatch(parse_period(asked), _cut(text, match))
    match = _search(_SINCE, text, skip)
    if match is not None:
        year = int(match[1])
        end = max((today or date.today()).year, year + 1)
        return PeriodMatch(parse_period(f"{year}/{end}"), _cut(text, match), open_end=True)
    # "the whole of 2023", "full-year 2023", and a fiscal year ("FY23"), which is a whole year too
    # (said in a context clause, "I know the full-year 2024 figures might not be out", it asks nothing)
    whole_year = _search(_WHOLE_YEAR, text, skip) is not None or _search(_FISCAL_YEAR, text, skip) is not None
    if whole_year:
        text = _WHOLE_YEAR.sub(" ", text)
        skip = marked_spans(text, context)
    for i in _RULE_FILTER.candidates(text):
        pattern, build = _RULES[i]
        match = _search(pattern, text, skip)
        if match is None:
            continue
        try:
            period = parse_period(build(match))
        except (PeriodError, KeyError):
            continue
        if whole_year and period.start.year == period.end.year and (period.start.month, period.end.month) != (1, 12):
            # "I have the first-half 2023 number, but I need the full year ... for 2023": the
            # whole year asked is the year said on its own, not the part said beside it
            for lone in _LONE_YEAR.finditer(text):
                outside = not match.start() <= lone.start() < match.end()
                if outside and int(lone[1]) == period.start.year and not any(a <= lone.start() < b for a, b in skip):
                    return PeriodMatch(parse_period(lone[1]), _cut(text, match, lone), whole_year=True)
        return PeriodMatch(period, _cut(text, match), whole_year=whole_year)
    match = _search(_RELATIVE, text, skip)
    if match is not None:
        year = (today or date.today()).year
        if match[1] in {"last", "previous", "past"}:
            year -= 1
        return PeriodMatch(parse_period(str(year)), _cut(text, match), relative=True)
    match = _search(_LATEST, text, skip)
    if match is not None:
        return PeriodMatch(None, _cut(text, match), latest=True)
    part = _yearless_part(text, skip)
    if part is not None:
        months, match = part
        return PeriodMatch(None, _cut(text, match), part=months)
    return PeriodMatch(None, text)


_HALVES = {"h1": (1, 6), "1h": (1, 6), "h2": (7, 12), "2h": (7, 12), "q1": (1, 3), "q2": (4, 6), "q3": (7, 9),
           "q4": (10, 12)}  # fmt: skip
_YEARLESS_RULES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], tuple[int, int]]]] = [
    (re.compile(r"\b(h[12]|[12]h|q[1-4])\b"), lambda m: _HALVES[m[1]]),
    (re.compile(r"\b(?:the\s+)?(first|1st|second|2nd|latter)\s+half\b"),
     lambda m: (1, 6) if m[1] in {"first", "1st"} else (7, 12)),
    (re.compile(r"\b(?:the\s+)?first\s+(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven)\s+months\b"),
     lambda m: (1, _num(m[1]))),
    (re.compile(rf"\b{_M}{_TO}{_M}"), lambda m: (_month(m[1]), _month(m[2]))),
]  # fmt: skip


def _yearless_part(text: str, skip: Sequence[Span]) -> tuple[tuple[int, int], re.Match[str]] | None:
    """A part of a year named without its year ("xinjiang h1 trade", "tibet trade jan-apr")."""
    for pattern, months in _YEARLESS_RULES:
        match = _search(pattern, text, skip)
        if match is not None:
            first, last = months(match)
            if 1 <= first <= last <= 12 and (first, last) != (1, 12):
                return (first, last), match
    return None
