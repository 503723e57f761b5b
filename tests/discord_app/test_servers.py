"""Ephemeral answers, the message menu, slash-first start-up and per-server settings, on the wire."""

from __future__ import annotations

import logging
import sqlite3

import pytest

from bot.discord_app.client import SLASH_FIRST
from fakediscord import CallbackType, FakeConfig
from fakediscord.config import INTENT_GUILD_MEMBERS, INTENT_MESSAGE_CONTENT, PRIVILEGED_INTENTS
from tests.discord_app.conftest import StartBot
from tests.discord_app.harness import Harness, text_of
from tests.discord_app.test_slash import _slash, _text

pytestmark = pytest.mark.timeout(30)
EPHEMERAL = 1 << 6
MANAGE_GUILD = 1 << 5


def _flags(record: object) -> int:
    return int((getattr(record, "callback_data", None) or {}).get("flags") or 0)


# -- "Only me" -----------------------------------------------------------------------------


async def test_only_me_answers_ephemerally_and_the_default_is_public(factbot: Harness) -> None:
    public = await _slash(factbot, "trade", {"place": "Xizang", "period": "2023"})
    assert not _flags(public) & EPHEMERAL
    private = await _slash(factbot, "trade", {"place": "Xizang", "period": "2023", "only_me": True})
    assert _flags(private) & EPHEMERAL and "10 billion yuan" in _text(private)
    for name, options in (("fact", {"query": "gdp xinjiang 2024"}), ("figure", {"metric": "gdp", "place": "xinjiang"}),
                          ("sources", {})):  # fmt: skip
        record = await _slash(factbot, name, {**options, "only_me": True})
        assert _flags(record) & EPHEMERAL, name


async def test_a_server_can_make_only_me_the_default_and_a_user_can_still_post_publicly(factbot: Harness) -> None:
    fake = factbot.fake
    changed = await _slash(factbot, "settings", {"only_me": True}, user=fake.owner)
    assert "Settings changed" in _text(changed) and _flags(changed) & EPHEMERAL
    default = await _slash(factbot, "trade", {"place": "Xizang", "period": "2023"})
    assert _flags(default) & EPHEMERAL
    public = await _slash(factbot, "trade", {"place": "Xizang", "period": "2023", "only_me": False})
    assert not _flags(public) & EPHEMERAL


# -- the message menu ----------------------------------------------------------------------


async def test_look_up_figure_answers_the_figure_a_message_asks_about_ephemerally(factbot: Harness) -> None:
    fake = factbot.fake
    registered = {(c["name"], c["type"]) for c in fake.registered_commands()}
    assert ("Look up figure", 3) in registered
    message = await fake.send_message("anyone know how much xinjiang traded with belt and road countries in h1 2023?")
    iid = await fake.use_message_command("Look up figure", message)
    record = await fake.wait_for_interaction_response(iid)
    assert record.callback_type == CallbackType.CHANNEL_MESSAGE_WITH_SOURCE
    assert _flags(record) & EPHEMERAL
    assert "138.3 billion yuan" in _text(record)
    assert factbot.rows()[-1]["surface"] == "menu"


# -- slash-first: no Message Content intent -----------------------------------------------------


async def test_without_the_intent_the_bot_starts_says_so_once_and_serves_slash_mentions_and_dms(
    start_factbot: StartBot, caplog: pytest.LogCaptureFixture
) -> None:
    config = FakeConfig(intents_allowed=PRIVILEGED_INTENTS & ~INTENT_MESSAGE_CONTENT & ~INTENT_GUILD_MEMBERS)
    with caplog.at_level(logging.WARNING):
        async with start_factbot(config=config) as h:
            fake, bot = h.fake, h.bot
            identify = next(f for f in fake.gateway_log if f.op == 2)
            assert not int(identify.d["intents"]) & INTENT_MESSAGE_CONTENT  # it did not ask, so no 4014
            assert bot.slash_first and not bot.intents.message_content
            record = await _slash(h, "trade", {"place": "Xizang", "period": "2023"})
            assert "10 billion yuan" in _text(record)
            mention = await h.ask(f"{fake.bot_user.mention} trade xizang 2023")
            assert "10 billion yuan" in text_of(mention)
            dm = await h.ask("trade xinjiang 2023", guild=False)
            assert "357.33 billion yuan" in text_of(dm)
            await fake.send_message("!trade xizang 2023")  # arrives with empty content: no answer
            await h.ask("!sources", guild=False)
            answered = [p for p in fake.posted if p.channel_id == fake.channel_id and p.via == "channel"]
            assert len(answered) == 1  # the mention's only
    assert [r.getMessage() for r in caplog.records].count(SLASH_FIRST) == 1


async def test_a_mention_is_a_prefix_in_any_channel(factbot: Harness) -> None:
    fake = factbot.fake
    reply = await factbot.ask(f"<@{fake.bot_user.id}> trade xizang 2023")
    assert "10 billion yuan" in text_of(reply)
    reply = await factbot.ask(f"<@!{fake.bot_user.id}> !tourism tibet 2023")
    assert "55.1697 million" in text_of(reply)


# -- per-server settings ---------------------------------------------------------------------------


async def test_settings_need_manage_server_or_a_bot_admin(factbot: Harness) -> None:
    fake = factbot.fake
    registered = {c["name"]: c for c in fake.registered_commands()}
    assert int(registered["settings"]["default_member_permissions"]) == MANAGE_GUILD
    refused = await _slash(factbot, "settings", {"prefix": "?"})
    assert "Manage Server" in _text(refused) and _flags(refused) & EPHEMERAL
    assert "10 billion yuan" in text_of(await factbot.ask("!trade xizang 2023"))  # nothing changed
    shown = await _slash(factbot, "settings")  # looking is allowed
    assert "Prefix: !" in _text(shown)
    manager = await _slash(factbot, "settings", {"prefix": "?"}, member_permissions=MANAGE_GUILD)
    assert "Prefix: ?" in _text(manager)


async def test_a_server_prefix_replaces_the_default_there_and_survives_a_restart(start_factbot: StartBot) -> None:
    async with start_factbot() as h:
        fake = h.fake
        await _slash(h, "settings", {"prefix": "?"}, user=fake.owner)
        assert "10 billion yuan" in text_of(await h.ask("?trade xizang 2023"))
        await fake.send_message("!trade xizang 2023")
        assert "Source documents" in text_of(await h.ask("!sources", guild=False))  # DMs keep the default
        assert len([p for p in fake.posted if p.channel_id == fake.channel_id and p.via == "channel"]) == 1
        bad = await _slash(h, "settings", {"prefix": "/x"}, user=fake.owner)
        assert "cannot start with" in _text(bad)
    async with start_factbot() as again:  # the same database: the setting was stored
        assert "10 billion yuan" in text_of(await again.ask("?trade xizang 2023"))
        with sqlite3.connect(again.db) as conn:
            assert conn.execute("SELECT prefix FROM server_settings").fetchall() == [("?",)]


async def test_a_channel_allow_list_keeps_the_bot_to_those_channels(start_factbot: StartBot) -> None:
    async with start_factbot() as h:
        fake = h.fake
        (here, _), (other, _) = fake.guild.text_channels[:2]  # general, facts
        changed = await _slash(h, "settings", {"answer_here": True}, user=fake.owner, channel_id=here)
        assert f"Answers in: <#{here}>" in _text(changed)
        assert "10 billion yuan" in text_of(await h.ask("!trade xizang 2023", channel_id=here))
        await fake.send_message("!trade xizang 2023", channel_id=other)
        await fake.send_message(f"{fake.bot_user.mention} trade xizang 2023", channel_id=other)
        elsewhere = await _slash(h, "trade", {"place": "Xizang"}, channel_id=other)
        assert f"I answer in <#{here}>" in _text(elsewhere) and _flags(elsewhere) & EPHEMERAL
        assert "10 billion yuan" in text_of(await h.ask("!trade xizang 2023", channel_id=here))
        assert not [p for p in fake.posted if p.channel_id == other and p.via == "channel"]
        cleared = await _slash(h, "settings", {"every_channel": True}, user=fake.owner, channel_id=other)
        assert "Answers in: every channel" in _text(cleared)
        assert "10 billion yuan" in text_of(await h.ask("!trade xizang 2023", channel_id=other))


# -- zh-CN ------------------------------------------------------------------------------------------


async def test_synced_commands_carry_zh_cn_names_and_a_zh_cn_interaction_gets_a_zh_cn_frame(factbot: Harness) -> None:
    fake = factbot.fake
    registered = {c["name"]: c for c in fake.registered_commands()}
    trade = registered["trade"]
    assert trade["name_localizations"] == {"zh-CN": "贸易"}
    assert trade["description_localizations"]["zh-CN"].startswith("某地的对外贸易")
    options = {o["name"]: o for o in trade["options"]}
    assert options["place"]["name_localizations"] == {"zh-CN": "地区"}
    assert options["only_me"]["name_localizations"] == {"zh-CN": "仅自己可见"}
    menu = next(c for c in fake.registered_commands() if c["type"] == 3)
    assert menu["name_localizations"] == {"zh-CN": "查询数据"}

    iid = await fake.send_interaction_command("trade", {"place": "Xizang", "period": "2022"}, locale="zh-CN")
    nearest = _text(await fake.wait_for_interaction_response(iid))
    assert "没有以下数据：Xizang · foreign trade · 2022" in nearest
    assert "文件中最接近的数据（并非您所问的）：" in nearest
    assert "10 billion yuan" in nearest  # the figure as the document states it
    iid = await fake.send_interaction_command("trade", {"place": "Xizang", "period": "2023"}, locale="zh-CN")
    record = await fake.wait_for_interaction_response(iid)
    fields = {f["name"]: f["value"] for f in (record.callback_data or {})["embeds"][0]["fields"]}
    assert {"数据", "时期", "来源", "原文"} <= set(fields)
    assert "reached 10 billion yuan ($138.08 million) in 2023" in fields["原文"]  # the quote stays verbatim
    english = _text(await _slash(factbot, "trade", {"place": "Xizang", "period": "2022"}))
    assert "No figure for Xizang" in english and "没有" not in english
