"""Suggestions as a person sees them, from every adapter: once each, human periods, on topic."""

from __future__ import annotations

import pytest

from bot.app.commands import CommandRouter
from bot.app.pipeline import Pipeline, Request
from bot.app.suggestions import human_periods
from bot.service import FactService
from tests.helpers import real_engine, real_paths


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(CommandRouter(FactService(real_paths(), real_engine())))


def suggestions(pipeline: Pipeline, text: str) -> tuple[str, ...]:
    answer = pipeline.answer(Request.question(text, "cli")).answer
    assert answer is not None
    return answer.suggestions


def test_the_same_suggestion_is_offered_once(pipeline: Pipeline) -> None:
    offered = suggestions(pipeline, "foreign tourists xizang 2023")
    assert offered.count("tourist arrivals Xizang 2023") == 1
    assert len(offered) == len({s.casefold() for s in offered})


def test_periods_are_written_as_people_write_them(pipeline: Pipeline) -> None:
    offered = suggestions(pipeline, "trade xizang 2022")
    assert "foreign trade Xizang January to April 2024" in offered
    assert not any("/" in s for s in offered)
    assert human_periods("gdp 2023-H1 and 2023 and 2015/2023") == "gdp H1 2023 and 2023 and 2015 to 2023"


def test_a_labelled_suggestion_still_answers_what_it_names(pipeline: Pipeline) -> None:
    answer = pipeline.answer(Request.question("foreign trade Xizang January to April 2024", "button")).answer
    assert answer is not None and answer.answered and answer.fact is not None
    assert answer.fact.fact.period.label() == "January to April 2024"


def test_nothing_unrelated_is_suggested(pipeline: Pipeline) -> None:
    answer = pipeline.answer(Request.question("population of mars", "cli")).answer
    assert answer is not None and answer.status.value == "not_found"
    assert answer.suggestions == ()
    assert "cookware" not in answer.message and "Did you mean" not in answer.message
    related = suggestions(pipeline, "population of xinjiang")
    assert related and all("Xinjiang" in s for s in related)
