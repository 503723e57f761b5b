"""Edits and deletes of a question follow through to its answer, seen on the wire."""

from __future__ import annotations

import pytest

from bot.discord_app.followup import RecentReplies
from tests.discord_app.harness import Harness, text_of

pytestmark = pytest.mark.timeout(30)


async def test_editing_the_question_edits_the_answer_with_a_patch(factbot: Harness) -> None:
    fake = factbot.fake
    question = await fake.send_message("!trade xizang 2022")
    reply = await fake.wait_for_reply(fake.channel_id)
    assert "No figure for Xizang" in text_of(reply) and reply.components
    await fake.edit_user_message(question, "!trade xizang 2023")
    request = await fake.wait_for_request("PATCH", rf"/channels/{fake.channel_id}/messages/{reply.id}$")
    assert request.status == 200
    edited = fake.message(reply.id)
    assert "10 billion yuan" in edited["embeds"][0]["fields"][0]["value"]
    assert edited["components"] == []  # the old suggestion buttons are gone
    assert len([p for p in fake.posted if p.via == "channel"]) == 1  # no second answer
    rows = factbot.rows()
    assert [r["status"] for r in rows] == ["nearest", "answered"]  # the edit is logged like a question


async def test_an_edit_that_changes_nothing_in_the_text_is_ignored(factbot: Harness) -> None:
    fake = factbot.fake
    question = await fake.send_message("!trade xizang 2023")
    await fake.wait_for_reply(fake.channel_id)
    await fake.edit_user_message(question, "!trade xizang 2023")  # e.g. Discord added a link preview
    await fake.send_message("!sources")
    await fake.wait_for_reply(fake.channel_id)
    assert not [r for r in fake.requests if r.method == "PATCH"]


async def test_deleting_the_question_deletes_the_answer(factbot: Harness) -> None:
    fake = factbot.fake
    question = await fake.send_message("!trade xizang 2023")
    reply = await fake.wait_for_reply(fake.channel_id)
    await fake.delete_user_message(question)
    request = await fake.wait_for_request("DELETE", rf"/channels/{fake.channel_id}/messages/{reply.id}$")
    assert request.status == 204
    assert reply.id not in fake.world.messages
    assert fake.deleted_by_bot() == [reply.id]


async def test_an_edit_that_no_longer_asks_removes_the_answer(factbot: Harness) -> None:
    fake = factbot.fake
    question = await fake.send_message("!trade xizang 2023")
    reply = await fake.wait_for_reply(fake.channel_id)
    await fake.edit_user_message(question, "never mind, found it")
    await fake.wait_for_request("DELETE", rf"/channels/{fake.channel_id}/messages/{reply.id}$")


async def test_edits_in_a_dm_follow_too(factbot: Harness) -> None:
    fake = factbot.fake
    channel = fake.dm_channel_id()
    question = await fake.send_message("trade xinjiang 2023", guild=False)
    reply = await fake.wait_for_reply(channel)
    await fake.edit_user_message(question, "trade xizang 2023")
    edit = await fake.wait_for_edit(reply.id)
    assert "10 billion yuan" in str(edit.payload)


class _Message:
    def __init__(self, message_id: int) -> None:
        self.id = message_id
        self.content = "q"
        self.channel = type("C", (), {"id": 1})()


def test_the_map_of_recent_answers_is_bounded() -> None:
    replies = RecentReplies(size=3)
    for i in range(10):
        replies.remember(_Message(i), 100 + i)  # type: ignore[arg-type]
    assert len(replies) == 3
    assert replies.get(0) is None and replies.get(9) is not None and replies.get(9).reply_id == 109  # type: ignore[union-attr]
