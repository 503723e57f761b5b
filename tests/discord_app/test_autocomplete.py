"""Autocomplete choices from the store, without Discord: limits, fuzzy matching, values the engine reads."""

from __future__ import annotations

import pytest

from bot.answer import Status
from bot.discord_app.autocomplete import Catalog, catalog_for
from bot.render.choices import CHOICE_CHARS, MAX_CHOICES
from tests.helpers import real_engine


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return catalog_for(real_engine())


def _within_limits(choices: list[object]) -> None:
    assert len(choices) <= MAX_CHOICES
    for choice in choices:
        assert 1 <= len(choice.name) <= CHOICE_CHARS  # type: ignore[attr-defined]
        assert 1 <= len(choice.value) <= CHOICE_CHARS  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("tib", "Xizang"),
        ("Tibet", "Xizang"),
        ("xinj", "Xinjiang"),
        ("kashgr", "Kashi"),
        ("ftz", "China (Xinjiang) Pilot Free Trade Zone"),
    ],
)
def test_places_match_names_aliases_and_typos(catalog: Catalog, typed: str, first: str) -> None:
    choices = catalog.places(typed)
    _within_limits(choices)
    assert choices[0].value == first


def test_an_alias_match_shows_the_alias(catalog: Catalog) -> None:
    assert catalog.places("tib")[0].name == "Xizang (Tibet)"


def test_nothing_typed_lists_places_with_figures_and_no_others(catalog: Catalog) -> None:
    choices = catalog.places("")
    _within_limits(choices)
    assert {"Xizang", "Xinjiang", "Kashi"} <= {c.value for c in choices}
    assert "Lhasa" not in {c.value for c in choices}  # in the vocabulary, but no figure


def test_unrelated_text_offers_nothing(catalog: Catalog) -> None:
    assert catalog.places("zzzzqqq") == []


def test_metrics_are_limited_to_what_the_place_has(catalog: Catalog) -> None:
    tibet = {c.value for c in catalog.metrics("", place="Tibet")}
    assert "tourist arrivals" in tibet
    assert all(c.value != "trade with Belt and Road countries" for c in catalog.metrics("belt", place="Tibet"))
    assert catalog.metrics("touris", place="Tibet")[0].value in {"tourist arrivals", "tourism revenue"}


def test_periods_are_those_the_store_has_for_the_place(catalog: Catalog) -> None:
    kashgar = [c.value for c in catalog.periods("", place="kashgar", metric="trade")]
    assert "January to November 2023" in kashgar
    xinjiang = [c.value for c in catalog.periods("", place="Xinjiang", metric="trade")]
    assert xinjiang[0] == "2024"  # newest first
    assert "H1 2023" in xinjiang
    assert [c.value for c in catalog.periods("h1", place="Xinjiang", metric="trade")] == ["H1 2023"]


def test_every_period_choice_reads_back_as_that_figure(catalog: Catalog) -> None:
    """A chosen period is submitted as typed text; the engine must find the same fact with it."""
    engine = real_engine()
    store = engine.store
    for (place, metric), facts in store.by_place_metric.items():
        choices = catalog.periods("", place=store.place_name(place), metric=store.metric_name(metric))
        _within_limits(choices)
        for fact in facts:
            label = fact.period.label()
            assert label in {c.value for c in choices}
            answer = engine.ask(f"{store.metric_name(metric)} {store.place_name(place)} {label}")
            assert answer.status is Status.ANSWERED, (fact.id, answer.message)
            assert answer.fact is not None and answer.fact.fact.period == fact.period, fact.id


def test_documents_by_number_and_title_words(catalog: Catalog) -> None:
    assert catalog.documents("5")[0].value.startswith("004_")
    assert catalog.documents("global times")[0].value.startswith("000_")
    _within_limits(catalog.documents(""))


def test_catalog_is_built_once_per_engine() -> None:
    engine = real_engine()
    assert catalog_for(engine) is catalog_for(engine)
