from __future__ import annotations

from bot.store.lint import vocabulary_warnings
from bot.store.model import Metric, Vocabulary


def test_metrics_whose_aliases_read_the_same_are_reported() -> None:
    vocabulary = Vocabulary(
        places={},
        units={},
        metrics={
            "area": Metric("area", "land area", ("area",)),
            "ftz_areas": Metric("ftz_areas", "FTZ areas", ("areas",)),
            "gdp": Metric("gdp", "GDP", ("economic output",)),
        },
    )
    warnings = vocabulary_warnings(vocabulary)
    assert len(warnings) == 1
    assert "area ('area')" in warnings[0] and "ftz_areas ('areas')" in warnings[0]


def test_distinct_aliases_give_no_warning() -> None:
    vocabulary = Vocabulary(places={}, units={}, metrics={"gdp": Metric("gdp", "GDP", ("economic output",))})
    assert vocabulary_warnings(vocabulary) == []
