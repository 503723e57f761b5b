from __future__ import annotations

from datetime import date

import pytest

from bot.query.periods import extract_period
from bot.query.text import fold


@pytest.mark.parametrize(
    ("query", "period", "rest"),
    [
        ("trade xizang 2023", "2023", "trade xizang"),
        ("H1 2023 xinjiang", "2023-H1", "xinjiang"),
        ("xinjiang trade in the first half of 2023", "2023-H1", "xinjiang trade in"),
        ("2023 first half", "2023-H1", ""),
        ("Jan-Apr 2024", "2024-01/2024-04", ""),
        ("January to April 2024", "2024-01/2024-04", ""),
        ("from January to November 2023", "2023-01/2023-11", ""),
        ("first 11 months of 2023", "2023-01/2023-11", ""),
        ("the first eleven months of 2023", "2023-01/2023-11", ""),
        ("from 2022 to 2024", "2022/2024", ""),
        ("between 2022 and 2024", "2022/2024", ""),
        ("2022-24", "2022/2024", ""),
        ("2015 to November 2023", "2015/2023-11", ""),
        ("by the end of 2023", "2023", ""),
        ("Q3 2023", "2023-Q3", ""),
        ("November 2023", "2023-11", ""),
        ("2023-H1", "2023-H1", ""),
        ("2024-01/2024-04", "2024-01/2024-04", ""),
        ("xizang tourism takings '23", "2023", "xizang tourism takings"),
        ("trade fy23", "2023", "trade"),
        ("trade 1h23", "2023-H1", "trade"),
        ("trade h1 '23", "2023-H1", "trade"),
        ("trade 1H2023", "2023-H1", "trade"),
    ],
)
def test_period_phrases(query: str, period: str, rest: str) -> None:
    found = extract_period(fold(query))
    assert found.period is not None
    assert found.period.text == period
    assert found.rest == rest


def test_relative_years_resolve_against_today() -> None:
    found = extract_period("trade last year", today=date(2024, 5, 1))
    assert found.period is not None and found.period.text == "2023"
    assert found.relative


def test_since_leaves_the_end_open() -> None:
    found = extract_period("electricity transmitted since 2015", today=date(2026, 1, 1))
    assert found.period is not None and found.period.start.year == 2015
    assert found.open_end


def test_no_period_and_latest() -> None:
    assert extract_period("trade xizang").period is None
    assert extract_period("latest gdp xinjiang").latest


@pytest.mark.parametrize(
    ("query", "period"),
    [
        ("新疆2023年上半年进出口", "2023-H1"),
        ("喀什2023年前11个月外贸", "2023-01/2023-11"),
        ("西藏2024年1-4月外贸", "2024-01/2024-04"),
        ("西藏2023年GDP", "2023"),
        # a month is a month, with its year or beside it, never the whole year
        ("喀什2023年12月外贸", "2023-12"),
        ("喀什 12月 2023 外贸", "2023-12"),
        ("西藏 1-4月 2024 外贸", "2024-01/2024-04"),
        ("喀什综保区 2023 前11月 进出口", "2023-01/2023-11"),
    ],
)
def test_chinese_period_phrases(query: str, period: str) -> None:
    from bot.query.periods import chinese_periods

    found = extract_period(chinese_periods(fold(query)))
    assert found.period is not None and found.period.text == period
