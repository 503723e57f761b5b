"""The engine's rules, proven on the committed store."""

from __future__ import annotations

from bot.answer import Status
from tests.helpers import real_engine


def test_year_query_prefers_the_full_year_figure() -> None:
    answer = real_engine().ask("trade xinjiang 2023")
    assert answer.status is Status.ANSWERED
    assert answer.fact is not None
    assert answer.fact.fact.figure == "357.33 billion yuan"
    assert answer.fact.fact.period.text == "2023"


def test_partial_period_answers_a_year_only_when_alone_and_says_which_months() -> None:
    answer = real_engine().ask("trade kashgar 2023")
    assert answer.status is Status.ANSWERED
    assert answer.fact is not None
    assert answer.fact.fact.figure == "77.15 billion yuan"
    assert "January to November 2023" in answer.message
    assert "no figure for the whole of 2023" in answer.message


def test_another_period_is_offered_as_nearest_never_as_the_answer() -> None:
    answer = real_engine().ask("trade xizang 2022")
    assert answer.status is Status.NEAREST
    assert answer.fact is None
    assert answer.message.startswith("No figure for Xizang · foreign trade · 2022.")
    assert "Nearest figure" in answer.message and "10 billion yuan" in answer.message
    assert answer.alternatives[0].fact.period.text == "2023"


def test_a_partial_period_does_not_answer_a_different_partial_period() -> None:
    answer = real_engine().ask("xizang trade H1 2024")
    assert answer.status is Status.NEAREST
    assert answer.alternatives[0].fact.figure == "2.8 billion yuan"


def test_a_place_without_figures_is_said_plainly() -> None:
    answer = real_engine().ask("trade qinghai 2023")
    assert answer.status is not Status.ANSWERED
    assert "no figures for Qinghai" in answer.message


def test_a_partner_country_is_not_answered_with_the_total() -> None:
    answer = real_engine().ask("Xizang trade with Nepal 2023")
    assert answer.status is Status.NEAREST
    assert "Nepal" in answer.message


def test_several_places_are_ambiguous_and_listed() -> None:
    answer = real_engine().ask("trade 2023")
    assert answer.status is Status.AMBIGUOUS
    places = {alt.fact.place for alt in answer.alternatives}
    assert {"xizang", "xinjiang"} <= places


def test_unknown_subject_is_not_found_with_suggestions() -> None:
    answer = real_engine().ask("population of xinjiang")
    assert answer.status is Status.NOT_FOUND
    assert answer.suggestions
    # every suggestion is itself an answerable query
    for suggestion in answer.suggestions:
        assert real_engine().ask(suggestion).status is Status.ANSWERED, suggestion


def test_nonsense_and_empty_input_get_clear_answers() -> None:
    assert real_engine().ask("").status is Status.NOT_FOUND
    assert real_engine().ask("   ").message.startswith("Empty question")
    assert real_engine().ask("qwzx plorb").status is Status.NOT_FOUND


def test_a_4000_character_message_gets_a_clear_answer() -> None:
    answer = real_engine().ask("trade xizang 2023 " + "blah " * 800)
    assert answer.status is Status.ANSWERED
    assert answer.message.startswith("(Your message has 4017 characters; I read the first 500.)")


def test_two_documents_stating_one_figure_are_both_shown() -> None:
    answer = real_engine().ask("tourism tibet 2023")
    assert answer.status is Status.ANSWERED
    assert answer.fact is not None
    figures = {answer.fact.fact.figure, *(a.fact.figure for a in answer.alternatives)}
    assert figures == {"55.1697 million domestic and foreign tourist arrivals", "55.17 million visitors"}
    assert "55.17 million visitors" in answer.message


def test_a_span_query_over_yearly_figures_gives_the_series() -> None:
    answer = real_engine().ask("xinjiang trade from 2022 to 2024")
    assert answer.status is Status.ANSWERED
    for figure in ("246.36 billion yuan", "357.33 billion yuan", "435.11 billion yuan"):
        assert figure in answer.message


def test_json_contract_keys_and_verbatim_figure() -> None:
    data = real_engine().ask("trade xizang 2023").to_json()
    assert set(data) >= {"query", "status", "interpretation", "answer", "alternatives", "score"}
    assert set(data["interpretation"]) == {"place", "metric", "period"}
    answer = data["answer"]
    assert set(answer) >= {"fact_id", "text", "value", "unit", "period", "place", "figure", "doc", "quote"}
    assert answer["figure"] in answer["text"]
    assert answer["value"] == 10_000_000_000
    assert answer["doc"] == "000_420446585237be89.txt"
    for alternative in data["alternatives"]:
        assert set(alternative) == {"fact_id", "text"}


def test_every_fact_is_reachable_by_its_own_suggestion_query() -> None:
    engine = real_engine()
    unreachable = []
    for fact in engine.store.facts:
        answer = engine.ask(engine.suggestion(fact))
        shown = [answer.fact.fact] if answer.fact else []
        shown += [a.fact for a in answer.alternatives]
        if fact not in shown:
            unreachable.append((fact.id, engine.suggestion(fact), answer.status.value))
    assert unreachable == []


def test_no_period_gives_the_latest_full_year_and_mentions_a_newer_partial_figure() -> None:
    answer = real_engine().ask("trade xizang")
    assert answer.status is Status.ANSWERED
    assert answer.fact is not None and answer.fact.fact.figure == "10 billion yuan"
    assert "January to April 2024: 2.8 billion yuan" in answer.message
    kashi = real_engine().ask("trade kashgar")  # no full year at all: the latest partial figure
    assert kashi.fact is not None and kashi.fact.fact.figure == "77.15 billion yuan"


def test_the_whole_year_asked_explicitly_takes_no_partial_figure() -> None:
    for query in ("kashi trade for the whole of 2023", "kashgar full-year 2023 trade"):
        answer = real_engine().ask(query)
        assert answer.status is Status.NEAREST, query
        assert answer.alternatives[0].fact.figure == "77.15 billion yuan"
    assert real_engine().ask("full year 2023 trade xinjiang").status is Status.ANSWERED


def test_a_metric_the_documents_lack_offers_its_related_metric_as_nearest() -> None:
    answer = real_engine().ask("tibet exports 2023")
    assert answer.status is Status.NEAREST
    assert answer.message.startswith("No figure for Xizang · exports · 2023.")
    assert answer.alternatives[0].fact.id == "xizang.trade_total.2023"
