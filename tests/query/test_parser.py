from __future__ import annotations

import pytest

from tests.helpers import real_engine


@pytest.mark.parametrize(
    ("query", "place", "metric"),
    [
        ("trade xizang 2023", "xizang", "trade_total"),
        ("trade Tibet 2023", "xizang", "trade_total"),
        ("TAR imports and exports", "xizang", "trade_total"),
        ("西藏 trade 2023", "xizang", "trade_total"),
        ("xinjang trade", "xinjiang", "trade_total"),
        ("kashgr import and export value", "kashi", "trade_total"),
        ("Kashgar Comprehensive Bonded Zone trade", "kashi_bonded_zone", "trade_total"),
        ("kashgr bonded zone trade", "kashi_bonded_zone", "trade_total"),
        ("tourisim tibet", "xizang", "tourist_arrivals"),
        ("how many visitors did Tibet welcome", "xizang", "tourist_arrivals"),
        ("tourism revenue tibet", "xizang", "tourism_revenue"),
        ("How much did Xizang's trade grow", "xizang", "trade_growth"),
        ("How much did Xinjiang trade with Belt and Road countries", "xinjiang", "trade_belt_and_road"),
        ("What share of Xinjiang's trade did the FTZ account for", "xinjiang_ftz", "trade_share"),
        ("Qinghai-Xizang grid investment", "qinghai_xizang_grid", "grid_investment"),
        ("instaled power capacity tibet", "xizang", "installed_power_capacity"),
    ],
)
def test_places_and_metrics_from_typos_synonyms_and_questions(query: str, place: str, metric: str) -> None:
    parsed = real_engine().parser.parse(query)
    assert parsed.place == place
    assert parsed.metric == metric


def test_words_nothing_explains_are_kept_as_remaining() -> None:
    parsed = real_engine().parser.parse("rainfall of xinjiang")
    assert parsed.place == "xinjiang"
    assert parsed.metric is None
    assert parsed.remaining == ("rainfall",)


def test_a_specific_place_wins_over_the_region_containing_it() -> None:
    parsed = real_engine().parser.parse("Kashi in Xinjiang trade")
    assert [hit.place for hit in parsed.places] == ["kashi"]


@pytest.mark.parametrize(
    ("query", "place", "metric"),
    [
        ("新疆2024年进出口总额", "xinjiang", "trade_total"),
        ("喀什贸易伙伴", "kashi", "trade_partners"),
        ("西藏旅游收入", "xizang", "tourism_revenue"),
        ("青海2023年GDP", "qinghai", "gdp"),
    ],
)
def test_chinese_place_and_metric_names(query: str, place: str, metric: str) -> None:
    parsed = real_engine().parser.parse(query)
    assert parsed.place == place
    assert parsed.metric == metric


def test_a_question_about_a_share_is_not_read_as_the_whole() -> None:
    parsed = real_engine().parser.parse("What share of Xizang's GDP did the core digital economy industries make up?")
    assert parsed.metric == "digital_economy_share"
