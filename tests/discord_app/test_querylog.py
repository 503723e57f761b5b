"""Every query from every surface is in the query log, committed before its reply goes out."""

from __future__ import annotations

import sqlite3

import pytest

from bot.app.commands import Reply
from fakediscord.http_utils import Reply as HttpReply
from fakediscord.http_utils import rate_limited
from tests.discord_app.harness import Harness, db_rows, text_of

pytestmark = pytest.mark.timeout(30)


async def test_each_surface_writes_exactly_its_rows(factbot: Harness) -> None:
    fake = factbot.fake
    await factbot.ask("!trade xizang 2023")
    await factbot.ask("How much did Xinjiang trade with Belt and Road countries in H1 2023?", guild=False)
    iid = await fake.send_interaction_command("trade", {"place": "Atlantis", "period": "2023"})
    slash = await fake.wait_for_interaction_response(iid)
    button = next(c for row in (slash.callback_data or {})["components"] for c in row["components"])
    original = fake.message(slash.original_message_id or 0)
    click = await fake.click_button(original, button["custom_id"])
    await fake.wait_for_interaction_response(click)
    autocomplete = await fake.send_autocomplete("trade", {"place": "tib"}, focused="place")
    await fake.wait_for_interaction_response(autocomplete)

    rows = factbot.rows()
    assert [(r["surface"], r["status"]) for r in rows] == [
        ("prefix", "answered"),
        ("dm", "answered"),
        ("slash", "nearest"),
        ("button", "answered"),
    ]
    prefix, dm, slash_row, button_row = rows
    assert prefix["query"] == "!trade xizang 2023"
    assert (prefix["place"], prefix["metric"], prefix["period"]) == ("xizang", "trade_total", "2023")
    assert prefix["fact_id"] == "xizang.trade_total.2023" and prefix["score"] > 0.9
    assert prefix["guild_id"] == fake.guild_id and prefix["channel_id"] == fake.channel_id
    assert prefix["user_hash"] and prefix["user_id"] is None  # hashed by default
    assert prefix["latency_ms"] is not None and prefix["latency_ms"] >= 0
    assert dm["guild_id"] is None and dm["channel_id"] == fake.dm_channel_id()
    assert dm["metric"] == "trade_belt_and_road" and dm["period"] == "2023-H1"
    assert slash_row["query"] == "trade Atlantis 2023"
    assert button_row["query"] == button["custom_id"].removeprefix("fb:ask:")
    assert all(r["error"] is None for r in rows)


async def test_autocomplete_keystrokes_are_counted_not_logged(factbot: Harness) -> None:
    fake = factbot.fake
    for typed in ("t", "ti", "tib"):
        iid = await fake.send_autocomplete("trade", {"place": typed}, focused="place")
        await fake.wait_for_interaction_response(iid)
    await factbot.querylog.close()  # writes the pending counts
    assert factbot.rows() == []
    conn = sqlite3.connect(factbot.db)
    try:
        assert conn.execute("SELECT SUM(count) FROM autocomplete").fetchone()[0] == 3
    finally:
        conn.close()


async def test_a_reply_is_sent_only_after_its_row_is_committed(factbot: Harness) -> None:
    fake, db = factbot.fake, factbot.db
    rows_when_replying: list[int] = []

    def look_then_retry() -> HttpReply:
        # called when the bot's reply arrives: what does the database hold at that moment?
        rows_when_replying.append(len(db_rows(db)))
        return rate_limited(0.01)  # discord.py retries; the retry is answered normally

    fake.fail_with("POST", rf"^/channels/{fake.channel_id}/messages$", look_then_retry)
    assert "10 billion yuan" in text_of(await factbot.ask("!trade xizang 2023"))
    fake.fail_with("POST", r"^/interactions/\d+/[^/]+/callback$", look_then_retry)
    iid = await fake.send_interaction_command("fact", {"query": "gdp xinjiang 2024"})
    await fake.wait_for_interaction_response(iid)
    assert rows_when_replying == [1, 2]


async def test_a_handler_error_is_logged_as_error_and_the_user_gets_an_apology(
    factbot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(name: str, args: str) -> Reply:
        raise RuntimeError("the engine broke")

    monkeypatch.setattr(factbot.bot.router, "run", broken)
    reply = await factbot.ask("!trade xizang 2023")
    text = text_of(reply)
    assert "Sorry, something went wrong" in text
    assert "Traceback" not in text and "the engine broke" not in text
    (row,) = factbot.rows()
    assert row["status"] == "error" and "the engine broke" in row["error"]
    assert [str(e) for e in factbot.bot.handler_errors] == ["the engine broke"]
    factbot.bot.handler_errors.clear()  # expected here; the fixture fails on any other
