"""Text that is not valid Unicode, through the real client and the fake Discord: it is made
valid before the engine, the log or the reply sees it, and the query log writer lives on."""

from __future__ import annotations

import pytest

from tests.discord_app.harness import Harness, text_of

pytestmark = pytest.mark.timeout(30)


async def test_a_lone_surrogate_in_a_message_is_answered_logged_and_does_not_kill_the_writer(
    factbot: Harness,
) -> None:
    fake = factbot.fake
    # json.dumps writes the lone half as "\ud83d", exactly what the defect report sent
    reply = await factbot.ask("!trade \ud83d xizang 2023")
    assert "10 billion yuan" in text_of(reply)
    reply = await factbot.ask("!trade xizang 2023")
    assert "10 billion yuan" in text_of(reply)
    await fake.send_message("\ud83d\ude00 \udcff gdp xinjiang", guild=False)
    await fake.wait_for_reply(fake.dm_channel_id(fake.tester))
    assert await factbot.querylog.flush(timeout=5)
    queries = [r["query"] for r in factbot.rows()]
    assert queries == ["!trade \ufffd xizang 2023", "!trade xizang 2023", "\U0001f600 \ufffd gdp xinjiang"]
    assert factbot.querylog.spooled == 0 and factbot.querylog.rejected == 0
    assert factbot.querylog.available


async def test_a_lone_surrogate_in_a_slash_option_is_answered_and_logged(factbot: Harness) -> None:
    fake = factbot.fake
    iid = await fake.send_interaction_command("fact", {"query": "trade xizang 2023 \udc80"})
    record = await fake.wait_for_interaction_response(iid)
    assert record.callback_data is not None
    assert await factbot.querylog.flush(timeout=5)
    assert [r["query"] for r in factbot.rows()] == ["trade xizang 2023 \ufffd"]
    assert factbot.querylog.spooled == 0
