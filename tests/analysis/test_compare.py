"""`compare`: each side's figure as stated, the engine's period rules, and arithmetic labelled as the bot's."""

from __future__ import annotations

import pytest

from bot.analysis import COMPUTED_LABEL, AnalysisError, SideStatus, compare, compare_text, comparison_text
from tests.analysis.helpers import Row, tiny_engine
from tests.helpers import real_engine


def test_both_full_years_give_the_stated_figures_and_a_labelled_ratio_and_difference() -> None:
    result = compare_text(real_engine(), "trade xizang xinjiang 2023")
    xizang, xinjiang = result.sides
    assert (xizang.place, xinjiang.place) == ("xizang", "xinjiang")
    assert xizang.fact is not None and xizang.fact.figure == "10 billion yuan"
    assert xinjiang.fact is not None and xinjiang.fact.figure == "357.33 billion yuan"
    assert xizang.source is not None and xizang.source.publisher == "Global Times"
    assert xinjiang.source is not None and xinjiang.source.publisher == "China Daily"
    computed = result.computed
    assert computed is not None
    assert computed.difference_text == "347.33 billion yuan"  # from the values, to the finer figure's precision
    assert computed.ratio_text == "35.7"
    assert (computed.higher, computed.lower) == ("Xinjiang", "Xizang")
    assert not computed.periods_differ
    text = comparison_text(result)
    assert COMPUTED_LABEL in text and "the sources do not state this" in text
    assert "35.7 times" in text and "347.33 billion yuan" in text


def test_a_year_prefers_xinjiangs_full_year_over_its_h1_figure() -> None:
    result = compare_text(real_engine(), "trade xinjiang xizang 2023")
    xinjiang = result.sides[0]
    assert xinjiang.fact is not None
    assert xinjiang.fact.period.text == "2023"
    assert xinjiang.figure == "357.33 billion yuan"
    assert not xinjiang.partial_fallback


def test_asking_for_h1_gives_the_h1_figure_and_says_the_other_side_has_none() -> None:
    result = compare_text(real_engine(), "trade xinjiang xizang H1 2023")
    xinjiang, xizang = result.sides
    assert xinjiang.fact is not None and xinjiang.figure == "149.62 billion yuan"
    assert xizang.status is SideStatus.OTHER_PERIOD and xizang.fact is None
    assert result.computed is None
    text = comparison_text(result)
    assert "Xizang: no figure for H1 2023" in text
    assert "Nearest (not compared)" in text


def test_eleven_months_against_a_full_year_is_said_and_flagged_in_the_arithmetic() -> None:
    result = compare_text(real_engine(), "compare trade kashi xinjiang 2023")
    kashi, xinjiang = result.sides
    assert kashi.fact is not None and kashi.fact.period.text == "2023-01/2023-11"
    assert kashi.partial_fallback  # the only 2023 figure Kashi has
    assert xinjiang.fact is not None and xinjiang.fact.period.text == "2023"
    assert result.periods_differ
    assert any("periods differ" in n and "eleven months" in n and "full year 2023" in n for n in result.notes)
    assert result.computed is not None and result.computed.periods_differ
    text = comparison_text(result)
    assert "January to November 2023 (eleven months): 77.15 billion yuan" in text
    assert "not like for like" in text


def test_a_missing_side_is_said_and_the_other_side_still_shown() -> None:
    result = compare_text(real_engine(), "compare trade xizang qinghai 2023")
    xizang, qinghai = result.sides
    assert xizang.fact is not None and xizang.figure == "10 billion yuan ($138.08 million)"
    assert qinghai.status is SideStatus.NO_FIGURES and qinghai.fact is None
    assert result.computed is None and result.answered == 1
    text = comparison_text(result)
    assert "Xizang, 2023: 10 billion yuan" in text
    assert "Qinghai: the documents have no figure for foreign trade." in text
    assert "Only one side has a figure" in text


def test_different_units_give_no_ratio_and_no_conversion() -> None:
    engine = tiny_engine(
        [Row("alpha", "exports", "2023", 5e9, "yuan", "5 billion yuan"),
         Row("beta", "exports", "2023", 2e9, "usd", "2 billion U.S. dollars")]
    )  # fmt: skip
    result = compare_text(engine, "exports alpha beta 2023")
    assert [s.figure for s in result.sides] == ["5 billion yuan", "2 billion U.S. dollars"]
    assert result.computed is None and result.unit is None
    assert any("units differ" in n and "never converts currencies" in n for n in result.notes)
    assert "times" not in comparison_text(result)


def test_ranks_are_shown_side_by_side_without_arithmetic() -> None:
    engine = tiny_engine(
        [Row("alpha", "standing", "2023", 3, "rank", "3rd place"), Row("beta", "standing", "2023", 9, "rank", "9th")]
    )
    result = compare_text(engine, "standing alpha beta 2023")
    assert result.answered == 2 and result.computed is None
    assert any("no ratio or difference" in n for n in result.notes)


def test_percentages_differ_in_percentage_points() -> None:
    result = compare_text(real_engine(), "trade growth xizang kashi 2023")
    assert result.computed is not None
    assert result.computed.difference_text == "57.5 percentage points"  # 138.3 - 80.8


def test_a_bound_makes_the_computed_results_approximate() -> None:
    result = compare_text(real_engine(), "gdp xizang xinjiang")  # Xizang: "nearly 240 billion yuan"
    assert result.computed is not None and result.computed.approximate
    assert result.computed.difference_text == "1.81 trillion yuan"
    assert "about 1.81 trillion yuan" in result.computed.sentence()
    assert any("bound or an approximation: nearly 240 billion yuan" in n for n in result.notes)


def test_without_a_period_the_latest_year_both_have_is_compared() -> None:
    result = compare_text(real_engine(), "trade xizang xinjiang")
    assert result.asked is not None and result.asked.text == "2023"
    assert any("No period given: comparing 2023" in n for n in result.notes)


def test_aliases_typos_and_store_keys_resolve_in_separate_fields() -> None:
    by_name = compare(real_engine(), "foreign trade", "Tibet", "kashgr", "first 11 months of 2023")
    assert [s.place for s in by_name.sides] == ["xizang", "kashi"]
    by_key = compare(real_engine(), "trade_total", "xizang", "kashi", "2023")
    assert by_key.metric == by_name.metric == "trade_total"
    assert compare_text(real_engine(), "trade xinjang 西藏 2023").sides[1].place == "xizang"


def test_a_place_inside_the_other_is_kept_as_its_own_side() -> None:
    # the engine's parser keeps only the more specific of "kashi" and "xinjiang"; a comparison needs both
    result = compare_text(real_engine(), "trade xinjiang kashi 2023")
    assert [s.place for s in result.sides] == ["xinjiang", "kashi"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("trade xizang atlantis", "'atlantis' is not a place I know"),
        ("trade xizang", "Compare needs two places; I found only Xizang"),
        ("bananas xizang xinjiang", "is not a metric I know"),
        ("trade xizang tibet", "not Xizang twice"),
        ("trade xizang xinjiang kashi", "takes two places; I found 3"),
    ],
)
def test_requests_that_cannot_be_answered_raise_a_clear_error(text: str, message: str) -> None:
    with pytest.raises(AnalysisError) as caught:
        compare_text(real_engine(), text)
    assert message in str(caught.value)


def test_an_unknown_place_or_period_in_a_field_is_an_error_with_suggestions() -> None:
    assert compare(real_engine(), "trade", "xizang", "Xinjaing Uygur").sides[1].place == "xinjiang"  # a typo
    with pytest.raises(AnalysisError) as caught:
        compare(real_engine(), "trade", "xizang", "Narnia", None)
    assert caught.value.message == "'Narnia' is not a place I know."
    assert "Xinjiang" in caught.value.suggestions
    with pytest.raises(AnalysisError):
        compare(real_engine(), "trade", "xizang", "xinjiang", "sometime")
