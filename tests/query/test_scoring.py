"""The scoring model on its own: one score, one decision with a threshold and a margin."""

from __future__ import annotations

from dataclasses import replace

from bot.query.scoring import ANSWER_THRESHOLD, TIE_MARGIN, Candidate, Features, Verdict, decide, score

CLEAR = Features(place=1.0, alias=1.0, explained=1.0, evidence=0.0, rank=1.0, heads=True, conflict=False)


def candidate(metric: str, features: Features, *blockers: str) -> Candidate:
    return Candidate(metric, features, score(features), blockers)


def test_a_full_reading_scores_one_and_each_shortfall_lowers_it() -> None:
    assert score(CLEAR) == 1.0
    for shortfall in (
        replace(CLEAR, place=0.8),
        replace(CLEAR, alias=0.6),
        replace(CLEAR, explained=0.6),
        replace(CLEAR, rank=0.8),
        replace(CLEAR, kind=False),
    ):
        assert score(shortfall) < 1.0


def test_an_unhonoured_head_word_or_a_conflict_scores_nothing() -> None:
    assert score(replace(CLEAR, heads=False)) == 0.0
    assert score(replace(CLEAR, conflict=True)) == 0.0


def test_the_fact_quote_makes_up_part_of_what_the_reading_leaves_unexplained() -> None:
    half = replace(CLEAR, explained=0.5)
    assert score(half) < score(replace(half, evidence=1.0)) < score(CLEAR)


def test_decide_answers_a_strong_candidate_clear_of_its_rivals() -> None:
    decision = decide([candidate("gdp", CLEAR), candidate("gdp_growth", replace(CLEAR, explained=0.5))])
    assert decision.verdict is Verdict.ANSWER and decision.best.metric == "gdp"


def test_decide_calls_two_close_candidates_ambiguous() -> None:
    close = replace(CLEAR, explained=(TIE_MARGIN + 1.0) / 2)
    decision = decide([candidate("a", CLEAR), candidate("b", close)])
    assert decision.verdict is Verdict.AMBIGUOUS
    assert [r.metric for r in decision.rivals] == ["b"]


def test_decide_offers_a_weak_candidate_as_a_guess() -> None:
    weak = replace(CLEAR, explained=ANSWER_THRESHOLD * 0.9)
    assert decide([candidate("a", weak)]).verdict is Verdict.WEAK


def test_a_blocked_candidate_is_never_answered_however_well_it_scores() -> None:
    decision = decide([candidate("a", CLEAR, "the documents do not print a sum")])
    assert decision.verdict is Verdict.BLOCKED
    assert decision.reason == "the documents do not print a sum"
