"""Per-user cooldowns, through the real client: one budget across prefix, slash and DM,
one notice per window (not one per message), admins exempt."""

from __future__ import annotations

import asyncio

import pytest

from bot.config import ConfigError, Settings
from tests.discord_app.conftest import StartBot
from tests.discord_app.harness import text_of

pytestmark = pytest.mark.timeout(30)


async def _settle(seconds: float = 0.3) -> None:
    await asyncio.sleep(seconds)  # let the bot handle what was sent before counting replies


async def test_a_flood_gets_five_answers_and_one_notice(start_factbot: StartBot) -> None:
    async with start_factbot(cooldown_rate=5, cooldown_per=60) as h:
        fake = h.fake
        for i in range(12):
            await fake.send_message(f"!trade xizang 2023 n{i}")
        await fake.wait_until(lambda: len(fake.posted) >= 6 or None, 10, "replies")
        await _settle()
        texts = [text_of(p) for p in fake.posted]
        assert sum("10 billion yuan" in t for t in texts) == 5
        assert sum("faster than I can answer" in t for t in texts) == 1
        assert len(texts) == 6
        assert h.bot.cooldown.refused == 7


async def test_the_budget_is_shared_by_prefix_dm_and_slash(start_factbot: StartBot) -> None:
    async with start_factbot(cooldown_rate=3, cooldown_per=60) as h:
        fake = h.fake
        assert "10 billion yuan" in text_of(await h.ask("!trade xizang 2023"))
        await fake.send_message("trade xizang 2023", guild=False)
        assert "10 billion yuan" in text_of(await fake.wait_for_reply(fake.dm_channel_id(fake.tester)))
        iid = await fake.send_interaction_command("trade", {"place": "xizang", "period": "2023"})
        assert "10 billion yuan" in str((await fake.wait_for_interaction_response(iid)).callback_data)
        # the fourth query, by any route, is over the budget
        iid = await fake.send_interaction_command("trade", {"place": "xizang", "period": "2023"})
        record = await fake.wait_for_interaction_response(iid)
        assert "faster than I can answer" in str(record.callback_data)
        assert int((record.callback_data or {}).get("flags") or 0) & 64  # ephemeral
        await fake.send_message("trade xizang 2023", guild=False)  # already told in this window
        await _settle()
        dm = [p for p in fake.posted if p.channel_id == fake.dm_channel_id(fake.tester)]
        assert len(dm) == 1


async def test_admins_are_exempt(start_factbot: StartBot) -> None:
    async with start_factbot(cooldown_rate=2, cooldown_per=60) as h:
        for _ in range(6):
            assert "10 billion yuan" in text_of(await h.ask("!trade xizang 2023", author=h.fake.owner))


async def test_the_budget_comes_back_after_the_window(start_factbot: StartBot) -> None:
    # a window long enough that a loaded machine still asks twice within it
    async with start_factbot(cooldown_rate=1, cooldown_per=2.0) as h:
        assert "10 billion yuan" in text_of(await h.ask("!trade xizang 2023"))
        assert "faster than I can answer" in text_of(await h.ask("!trade xizang 2023"))
        await asyncio.sleep(2.1)
        assert "10 billion yuan" in text_of(await h.ask("!trade xizang 2023"))


def test_the_cooldown_is_configurable() -> None:
    assert (Settings.from_env({"FACTBOT_COOLDOWN": "3/7"}).cooldown_rate, 3) == (3, 3)
    assert Settings.from_env({"FACTBOT_COOLDOWN": "3/7"}).cooldown_per == 7.0
    assert Settings.from_env({"FACTBOT_COOLDOWN": "off"}).cooldown_rate == 0
    assert (Settings.from_env({}).cooldown_rate, Settings.from_env({}).cooldown_per) == (5, 10.0)
    with pytest.raises(ConfigError):
        Settings.from_env({"FACTBOT_COOLDOWN": "lots"})


async def test_a_dm_of_just_the_prefix_gets_an_answer(start_factbot: StartBot) -> None:
    async with start_factbot() as h:
        await h.fake.send_message("!", guild=False)
        reply = await h.fake.wait_for_reply(h.fake.dm_channel_id(h.fake.tester))
        assert "!help" in text_of(reply)


async def test_suggestion_buttons_count_against_the_same_budget(start_factbot: StartBot) -> None:
    async with start_factbot(cooldown_rate=1, cooldown_per=60) as h:
        reply = await h.ask("!trade atlantis 2023")
        button = next(c for row in reply.components for c in row["components"])
        iid = await h.fake.click_button(reply, button["custom_id"])
        record = await h.fake.wait_for_interaction_response(iid)
        assert "faster than I can answer" in str(record.callback_data)
        assert int((record.callback_data or {}).get("flags") or 0) & 64
