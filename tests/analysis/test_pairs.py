"""Autocomplete helpers: what the store can answer, within Discord's limits, as keys the commands accept."""

from __future__ import annotations

from bot.analysis import (
    answerable_pairs,
    comparable_metrics,
    compare,
    metric_choices,
    place_choices,
    series,
)
from tests.helpers import real_engine


def test_series_pairs_have_a_dated_point_and_the_charts_have_two() -> None:
    store = real_engine().store
    pairs = answerable_pairs(store)
    first = pairs[0]
    assert (first.place, first.metric, first.points) == ("xinjiang", "trade_total", 4)
    assert first.label == "foreign trade · Xinjiang (4 periods)"
    charts = {(p.place, p.metric) for p in answerable_pairs(store, min_points=2)}
    assert ("kashi", "trade_total") not in charts  # one partial period and a span: no chart
    assert ("xizang", "trade_total") in charts
    assert all(p.points >= 1 for p in pairs) and ("xizang", "trade_total") in {(p.place, p.metric) for p in pairs}


def test_comparable_metrics_have_two_places() -> None:
    metrics = comparable_metrics(real_engine().store)
    trade = next(m for m in metrics if m.metric == "trade_total")
    assert {key for _, key in trade.places} >= {"xizang", "xinjiang", "kashi"}
    assert all(len(m.places) >= 2 for m in metrics)


def test_choices_fit_discord_and_their_values_work_as_command_input() -> None:
    engine = real_engine()
    store = engine.store
    metrics = metric_choices(store, "trad", for_compare=True)
    places = place_choices(store, "", metric="trade_total")
    assert 0 < len(metrics) <= 25 and 0 < len(places) <= 25
    assert all(len(c.name) <= 100 and len(c.value) <= 100 for c in [*metrics, *places])
    assert metrics[0].value == "trade_total"
    keys = [c.value for c in places]
    assert compare(engine, metrics[0].value, keys[0], keys[1]).metric == "trade_total"
    for choice in metric_choices(store, "", place="xinjiang"):
        assert series(engine, choice.value, "xinjiang").points
    assert [c.value for c in place_choices(store, "kash")][:2] == ["kashi", "kashi_bonded_zone"]
