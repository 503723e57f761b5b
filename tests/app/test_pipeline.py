"""The one way through: what each kind of request means, and the one row it is logged as."""

from __future__ import annotations

import pytest

from bot.answer import Answer
from bot.app.commands import CommandRouter, TextReply
from bot.app.pipeline import Pipeline, Request
from bot.querylog import QueryRecord
from bot.service import FactService
from tests.helpers import real_engine, real_paths


class ListSink:
    def __init__(self) -> None:
        self.rows: list[QueryRecord] = []

    def record(self, rec: QueryRecord) -> bool:
        self.rows.append(rec)
        return True


@pytest.fixture
def sink() -> ListSink:
    return ListSink()


@pytest.fixture
def pipeline(sink: ListSink) -> Pipeline:
    return Pipeline(CommandRouter(FactService(real_paths(), real_engine())), sink)


def test_a_console_line_a_prefix_command_and_a_slash_command_mean_the_same(pipeline: Pipeline) -> None:
    console = pipeline.handle(Request("!trade xizang 2023", "console"))
    prefix = pipeline.handle(Request("!trade xizang 2023", "prefix", 1, 2, 3, command="trade", args="xizang 2023"))
    slash = pipeline.handle(Request("trade xizang 2023", "slash", 1, 2, 3, command="trade", args="xizang 2023"))
    figures = {o.answer.fact.fact.figure for o in (console, prefix, slash) if o.answer and o.answer.fact}
    assert figures == {"10 billion yuan"}
    assert {o.record.fact_id for o in (console, prefix, slash)} == {"xizang.trade_total.2023"}


def test_every_request_is_one_row_with_its_surface_ids_and_parse(pipeline: Pipeline, sink: ListSink) -> None:
    outcome = pipeline.handle(Request("!trade xizang 2023", "prefix", user_id=7, channel_id=8, guild_id=9,
                                      command="trade", args="xizang 2023"))  # fmt: skip
    assert sink.rows == [outcome.record]
    row = outcome.record
    assert (row.surface, row.query) == ("prefix", "!trade xizang 2023")
    assert (row.user_id, row.channel_id, row.guild_id) == (7, 8, 9)
    assert (row.place, row.metric, row.period, row.status) == ("xizang", "trade_total", "2023", "answered")
    assert row.latency_ms is not None and row.latency_ms >= 0


def test_a_question_is_never_read_as_a_command(pipeline: Pipeline) -> None:
    reply = pipeline.answer(Request.question("help", "cli")).reply
    assert isinstance(reply, Answer)  # the engine's answer, not the command list
    assert isinstance(pipeline.answer(Request("!help", "console")).reply, TextReply)


def test_one_long_input_policy_for_every_surface(pipeline: Pipeline, sink: ListSink) -> None:
    long = "how much did xizang trade " * 20
    for request in (Request.question(long, "cli"), Request("!fact " + long, "prefix", command="fact", args=long),
                    Request(long, "console"), Request.question(long, "slash")):  # fmt: skip
        outcome = pipeline.handle(request)
        assert outcome.answer is not None and outcome.answer.status.value == "not_found"
        assert "at most 500 characters" in outcome.answer.message
        assert (outcome.record.status, outcome.record.error) == ("not_found", "too long")
    assert len(sink.rows) == 4


def test_a_bug_while_answering_is_an_apology_and_an_error_row(pipeline: Pipeline, sink: ListSink) -> None:
    def broken(question: str) -> Answer:
        raise RuntimeError("boom")

    pipeline.router.ask = broken  # type: ignore[method-assign]
    outcome = pipeline.handle(Request.question("trade xizang 2023", "button"))
    assert isinstance(outcome.error, RuntimeError)
    assert isinstance(outcome.reply, TextReply) and "something went wrong" in outcome.reply.text
    assert sink.rows[-1].status == "error" and "boom" in (sink.rows[-1].error or "")


def test_help_and_usage_are_rows_of_answered_text(pipeline: Pipeline) -> None:
    assert pipeline.answer(Request("!help", "console")).record.status == "answered"
    usage = pipeline.answer(Request("!source", "console")).record
    assert (usage.status, usage.error) == ("answered", "usage")


def test_a_repeated_question_is_answered_from_the_cache_and_still_logged(pipeline: Pipeline, sink: ListSink) -> None:
    first = pipeline.handle(Request.question("trade  xizang 2023", "slash", user_id=1))
    again = pipeline.handle(Request.question("Trade xizang 2023", "button", user_id=2))
    assert again.reply is first.reply and pipeline.cache.hits == 1
    assert [(r.surface, r.user_id, r.fact_id) for r in sink.rows] == [
        ("slash", 1, "xizang.trade_total.2023"), ("button", 2, "xizang.trade_total.2023"),
    ]  # fmt: skip


def test_lines_and_admin_commands_are_never_cached(pipeline: Pipeline) -> None:
    pipeline.answer(Request("!trade xizang 2023", "console"))
    pipeline.answer(Request("!trade xizang 2023", "console"))
    pipeline.answer(Request("!sources", "prefix", command="sources"))
    pipeline.answer(Request("!sources", "prefix", command="sources"))
    assert pipeline.cache.hits == 0 and pipeline.cache.misses == 0


def test_a_reload_or_a_new_day_empties_the_cache() -> None:
    from datetime import date

    from bot.app.pipeline import ReplyCache

    days = iter([date(2026, 1, 1), date(2026, 1, 1), date(2026, 1, 2), date(2026, 1, 2), date(2026, 1, 2)])
    service = FactService(real_paths(), real_engine())
    pipeline = Pipeline(CommandRouter(service), cache=ReplyCache(today=lambda: next(days)))
    ask = Request.question("trade xizang 2023", "cli")
    pipeline.answer(ask)
    pipeline.answer(ask)
    assert pipeline.cache.hits == 1
    pipeline.answer(ask)  # the next day
    assert pipeline.cache.misses == 2
    service._engine = type(service.engine)(service.store)  # what a reload does: a new engine
    pipeline.answer(ask)
    assert pipeline.cache.misses == 3
    pipeline.answer(ask)
    assert pipeline.cache.hits == 2
