"""The dev evaluation set: accuracy thresholds from the brief."""

from __future__ import annotations

from tests.eval.evaluate import evaluate, load_cases, rate
from tests.helpers import real_engine


def test_dev_set_is_large_and_varied() -> None:
    cases = load_cases()
    assert len(cases) >= 150
    assert sum(c.expect == "not_answered" for c in cases) >= 30


def test_answerable_queries_get_the_right_figure_95_percent() -> None:
    outcomes = evaluate(real_engine(), load_cases())
    ok, total = rate(outcomes, "answered")
    misses = [(o.case.query, o.answer.status.value) for o in outcomes if o.case.expect == "answered" and not o.ok]
    assert ok / total >= 0.95, misses


def test_out_of_corpus_queries_are_not_answered_95_percent() -> None:
    outcomes = evaluate(real_engine(), load_cases())
    ok, total = rate(outcomes, "not_answered")
    wrong = [(o.case.query, o.answer.message[:100]) for o in outcomes if o.case.expect == "not_answered" and not o.ok]
    assert ok / total >= 0.95, wrong
