"""`series`: the dated figures of one metric and place, in order, each with its own source."""

from __future__ import annotations

import pytest

from bot.analysis import MAX_POINTS, AnalysisError, series, series_keys, series_text, series_text_request
from tests.analysis.helpers import Row, tiny_engine
from tests.helpers import real_engine


def test_xinjiang_trade_is_three_years_and_a_partial_h1_at_its_midpoint() -> None:
    found = series_text_request(real_engine(), "trade xinjiang")
    assert [p.label for p in found.points] == ["2022", "H1 2023", "2023", "2024"]
    assert [p.fact.figure for p in found.points] == [
        "246.36 billion yuan", "149.62 billion yuan", "357.33 billion yuan", "435.11 billion yuan",
    ]  # fmt: skip
    assert [p.partial for p in found.points] == [False, True, False, False]
    assert [p.x for p in found.points] == [2022.5, 2023.25, 2023.5, 2024.5]  # H1 sits inside 2023, not on it
    assert (found.axis_unit, found.chartable) == ("billion yuan", True)


def test_points_from_several_documents_carry_their_own_source() -> None:
    found = series_text_request(real_engine(), "trade xinjiang")
    assert [p.source_number for p in found.points] == [1, 2, 1, 1]
    assert [s.publisher for s in found.sources] == ["China Daily", "Xinjiang news site (publisher not printed)"]
    text = series_text(found)
    assert "H1 2023 (partial)  149.62 billion yuan                [2]" in text
    assert "[2] Xinjiang’s Foreign Trade Surges" in text
    assert "not comparable with full years" in text


def test_a_single_period_means_no_chart_and_the_reply_says_so_and_gives_it() -> None:
    found = series(real_engine(), "trade", "kashgar")
    assert len(found.points) == 1 and not found.chartable
    text = series_text(found)
    assert "Only one period is known, so there is no chart: January to November 2023." in text
    assert "77.15 billion yuan" in text
    # the cumulative 2015-2023 total is not a point, and is listed below the table
    assert [f.period.text for f, _ in found.spans] == ["2015/2023-11"]
    assert "Not points of the series" in text and "2015 to November 2023: 237.58 billion yuan" in text


def test_one_period_stated_by_two_documents_is_one_point_with_the_other_wording_kept() -> None:
    found = series_text_request(real_engine(), "tourism revenue tibet")
    assert len(found.points) == 1
    point = found.points[0]
    assert point.fact.figure == "65.146 billion yuan"  # the more precise statement is the point
    assert [f.figure for f, _ in point.also] == ["65.1 billion yuan"]
    assert "also stated as 65.1 billion yuan" in series_text(found)


def test_a_place_without_figures_has_an_empty_series() -> None:
    found = series_text_request(real_engine(), "trade qinghai")
    assert found.points == () and not found.chartable
    assert series_text(found) == "The documents have no dated figure for foreign trade in Qinghai."


def test_a_span_restricts_the_series_and_a_single_period_is_refused() -> None:
    found = series_text_request(real_engine(), "trade xinjiang 2022 to 2023")
    assert [p.label for p in found.points] == ["2022", "H1 2023", "2023"]
    with pytest.raises(AnalysisError, match="leave the period out"):
        series_text_request(real_engine(), "trade xinjiang 2023")


def test_a_long_series_keeps_the_latest_points_only() -> None:
    rows = [Row("alpha", "output", str(year), year - 1900, "tons", f"{year - 1900} tons") for year in range(1950, 2010)]
    found = series_keys(tiny_engine(rows).store, "alpha", "output")
    assert len(found.points) == MAX_POINTS == 50
    assert found.dropped == 10 and found.points[0].label == "1960"
    assert "10 older period(s) left out" in series_text(found)


def test_figures_without_a_scale_word_get_a_readable_axis() -> None:
    found = series_text_request(real_engine(), "drinking water capacity tibet")  # 700,000 tons; 5.8 million tons
    assert found.axis_unit == "million tons"
    assert [p.label for p in found.points] == ["2012", "as of 2024"]  # not "as of December 2024"
    assert found.points[1].as_of
