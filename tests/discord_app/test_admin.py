"""Reload, sync and stats: who may use them, and what they do."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from fakediscord import FakeConfig, FakeUser, InteractionRecord, fixed_snowflake
from tests.discord_app.conftest import StartBot
from tests.discord_app.harness import Harness, text_of
from tests.helpers import copy_store

pytestmark = pytest.mark.timeout(30)

FACT_FILE = "000_xizang_trade_milestone.yaml"


def _edit(facts_dir: Path, old: str, new: str, name: str = FACT_FILE) -> None:
    path = facts_dir / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _record_text(record: InteractionRecord) -> str:
    messages = [record.callback_data or {}] + [f.payload for f in record.followups]
    parts: list[str] = []
    for data in messages:
        parts.append(str(data.get("content") or ""))
        for embed in data.get("embeds") or []:
            parts += [embed.get("title") or "", embed.get("description") or ""]
    return "\n".join(parts)


async def test_owner_reload_swaps_the_store_and_replies_with_the_diff(start_factbot: StartBot, tmp_path: Path) -> None:
    paths = copy_store(tmp_path)
    async with start_factbot(paths=paths) as h:
        assert "document prints" in text_of(await h.ask("!trade xizang 2023"))  # now cached
        _edit(paths.facts_dir, "The document prints the dollar", "The article prints the dollar")
        reply = await h.ask("!reload", author=h.fake.owner)
        text = text_of(reply)
        assert "Reloaded the fact store" in text and "changed 1: xizang.trade_total.2023" in text
        assert "article prints" in text_of(await h.ask("!trade xizang 2023"))


async def test_non_admin_reload_is_refused_politely_and_logged(
    factbot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    before = factbot.bot.service.engine
    reply = await factbot.ask("!reload")
    assert "Sorry, only the bot's owners and admins can use !reload" in text_of(reply)
    assert factbot.bot.service.engine is before
    ref = factbot.querylog.user_ref(factbot.fake.tester.id)
    assert any("refused !reload" in r.getMessage() and ref in r.getMessage() for r in caplog.records)
    # the database stores a keyed hash of the user id, and so does the log: never the raw id
    assert str(factbot.fake.tester.id) not in caplog.text


async def test_broken_yaml_is_refused_with_file_and_line_and_the_old_store_serves(
    start_factbot: StartBot, tmp_path: Path
) -> None:
    paths = copy_store(tmp_path)
    async with start_factbot(paths=paths) as h:
        _edit(paths.facts_dir, "    place: xizang\n", "    place: [xizang\n")
        text = text_of(await h.ask("!reload", author=h.fake.owner))
        assert "Reload refused, the old store keeps serving" in text
        assert re.search(rf"{re.escape(FACT_FILE)}:\d+: invalid YAML", text), text
        assert "10 billion yuan" in text_of(await h.ask("!trade xizang 2023"))


async def test_slash_reload_by_admin_id_and_refused_for_others(start_factbot: StartBot) -> None:
    stranger = FakeUser(fixed_snowflake(40), "stranger")
    config = FakeConfig(extra_users=(stranger,))
    async with start_factbot(config=config, admin_ids=[config.tester.id]) as h:
        iid = await h.fake.send_interaction_command("reload")
        record = await h.fake.wait_for_interaction_response(iid, lambda r: bool(r.followups))
        assert "Reloaded the fact store: no changes" in _record_text(record)
        iid = await h.fake.send_interaction_command("reload", user=stranger)
        refused = await h.fake.wait_for_interaction_response(iid)
        assert "Sorry, only the bot's owners and admins can use /reload" in _record_text(refused)
        assert refused.callback_data is not None and refused.callback_data.get("flags") == 64  # ephemeral


async def test_every_team_member_may_reload(start_factbot: StartBot) -> None:
    defaults = FakeConfig()
    config = FakeConfig(team_member_ids=(defaults.owner.id, defaults.tester.id))
    async with start_factbot(config=config) as h:
        assert h.bot.owner_ids >= {defaults.owner.id, defaults.tester.id}
        assert "Reloaded the fact store" in text_of(await h.ask("!reload"))


async def test_stats_embed_with_the_csv_attached_goes_to_the_admin_privately(factbot: Harness) -> None:
    fake = factbot.fake
    await factbot.ask("!trade xizang 2023")
    await factbot.ask("!trade atlantis 2023")
    notice = await factbot.ask("!stats 7", author=fake.owner)
    # the channel gets a notice, never the report nor the rows
    assert "direct message" in text_of(notice) and not notice.attachments
    reply = await fake.wait_for_reply(fake.dm_channel_id(fake.owner))
    (embed,) = reply.embeds
    assert embed["title"].startswith("Queries, last 7 days")
    assert {"Overview", "Per surface", "Status"} <= {f["name"] for f in embed["fields"]}
    (csv_file,) = reply.attachments
    assert csv_file.filename.startswith("factbot-queries-7d")
    lines = csv_file.data.decode().splitlines()
    assert len(lines) == 3 and "!trade atlantis 2023" in lines[2]
    refused = await factbot.ask("!stats")
    assert "Sorry" in text_of(refused) and not refused.attachments


async def test_slash_stats(factbot: Harness) -> None:
    fake = factbot.fake
    iid = await fake.send_interaction_command("stats", {"days": 3}, user=fake.owner)
    record = await fake.wait_for_interaction_response(iid, lambda r: bool(r.followups))
    (followup,) = record.followups
    assert followup.embeds[0]["title"].startswith("Queries, last 3 days")
    assert followup.attachments[0].filename.startswith("factbot-queries-3d")
    # unsharded, the bot is shard 0 of 1, with every server it is in
    shards = {f["name"]: f["value"] for f in followup.embeds[0]["fields"]}["Shards"]
    assert f"1 shard(s) of 1: 1 live, 0 stale; {len(fake.config.guilds)} servers on live shards" in shards
    (line,) = [line.split() for line in shards.splitlines() if line.startswith("#")]
    assert line[:4] == ["#0", "live", str(len(fake.config.guilds)), "servers"]


async def test_start_up_syncs_only_when_the_command_tree_changed(start_factbot: StartBot, tmp_path: Path) -> None:
    put = re.compile(r"^/applications/\d+/commands$")
    async with start_factbot() as first:
        assert [r.method for r in first.fake.requests if put.match(r.path)] == ["PUT"]
    assert (tmp_path / "data" / "command_tree.sha256").is_file()
    async with start_factbot() as second:
        assert not [r for r in second.fake.requests if put.match(r.path)]
        assert not second.fake.registered_commands()
        reply = await second.ask("!sync", author=second.fake.owner)
        assert "Synced 11 slash commands" in text_of(reply)
        assert len(second.fake.registered_commands()) == 12  # 11 slash commands and the message menu


async def test_dev_guild_gets_the_commands_instantly(start_factbot: StartBot) -> None:
    config = FakeConfig()
    guild_id = config.guilds[0].id
    async with start_factbot(config=config, dev_guild=guild_id) as h:
        assert {c["name"] for c in h.fake.registered_commands(guild_id)} >= {"trade", "fact"}
        assert not h.fake.registered_commands()
