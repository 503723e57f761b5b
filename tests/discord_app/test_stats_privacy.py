"""`!stats` and `/stats`: the report and its rows go to the admin privately, a server's
report covers that server only unless an owner asks for all, and CSV cells are never formulas."""

from __future__ import annotations

import csv
import io

import pytest

from bot.querylog.export import safe_cell, to_csv
from fakediscord import FakeConfig, FakeGuild, PostedMessage, fixed_snowflake
from tests.discord_app.conftest import StartBot
from tests.discord_app.harness import text_of

pytestmark = pytest.mark.timeout(30)

GUILD_A = FakeGuild(fixed_snowflake(10), "A", ((fixed_snowflake(11), "general"),), fixed_snowflake(2),
                    fixed_snowflake(13))  # fmt: skip
GUILD_B = FakeGuild(fixed_snowflake(20), "B", ((fixed_snowflake(21), "general"),), fixed_snowflake(2),
                    fixed_snowflake(23))  # fmt: skip
CONFIG = FakeConfig(guilds=(GUILD_A, GUILD_B))


def _csv_queries(posted: PostedMessage) -> list[str]:
    (attachment,) = posted.attachments
    return [row["query"] for row in csv.DictReader(io.StringIO(attachment.data.decode()))]


async def test_stats_in_a_server_goes_by_dm_and_covers_that_server_only(start_factbot: StartBot) -> None:
    async with start_factbot(config=CONFIG, admin_ids=[fixed_snowflake(3)]) as h:
        fake, admin = h.fake, h.fake.tester  # an admin by FACTBOT_ADMIN_IDS, not an owner
        await h.ask("!trade xizang 2023 in A", channel_id=GUILD_A.channel_id)
        await h.ask("!trade xizang 2023 in B", channel_id=GUILD_B.channel_id)
        await h.ask("trade xizang 2023 a private question", guild=False)
        notice = await h.ask("!stats 7", author=admin, channel_id=GUILD_A.channel_id)
        assert "direct message" in text_of(notice)
        assert not notice.attachments and "Queries, last" not in text_of(notice)
        report = await fake.wait_for_reply(fake.dm_channel_id(admin))
        assert report.embeds[0]["title"].endswith("(this server)")
        assert _csv_queries(report) == ["!trade xizang 2023 in A"]
        # nothing from any report ever reached a server channel
        for posted in fake.posted:
            if posted.channel_id in (GUILD_A.channel_id, GUILD_B.channel_id):
                assert not posted.attachments and "private question" not in text_of(posted)

        refused = await h.ask("!stats 7 all", author=admin, channel_id=GUILD_A.channel_id)
        assert "Only the bot's owners" in text_of(refused) and not refused.attachments

        await h.ask("!stats 7 all", author=fake.owner, channel_id=GUILD_A.channel_id)
        everything = await fake.wait_for_reply(fake.dm_channel_id(fake.owner))
        assert "a private question" in " ".join(_csv_queries(everything))
        assert len(_csv_queries(everything)) >= 3


async def test_slash_stats_is_ephemeral_and_scoped_to_the_server(start_factbot: StartBot) -> None:
    async with start_factbot(config=CONFIG) as h:
        fake = h.fake
        await h.ask("!trade xizang 2023 in A", channel_id=GUILD_A.channel_id)
        await h.ask("!trade xizang 2023 in B", channel_id=GUILD_B.channel_id)
        iid = await fake.send_interaction_command("stats", {"days": 7}, user=fake.owner, channel_id=GUILD_B.channel_id)
        record = await fake.wait_for_interaction_response(iid, lambda r: bool(r.followups))
        assert int((record.callback_data or {}).get("flags") or 0) & 64  # the deferral was ephemeral
        (followup,) = record.followups
        assert followup.ephemeral
        assert _csv_queries(followup) == ["!trade xizang 2023 in B"]


async def test_csv_cells_that_a_spreadsheet_would_evaluate_are_neutralised(start_factbot: StartBot) -> None:
    hostile = ['=HYPERLINK("http://evil.example","click")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx"]
    async with start_factbot() as h:
        for text in hostile:
            await h.ask(f"!fact {text}")  # the whole message is logged, so the cell starts with "!"
            await h.ask(text, guild=False)  # a DM question is logged as typed: the cell starts with the trigger
        await h.ask("!stats 7 all", author=h.fake.owner)
        report = await h.fake.wait_for_reply(h.fake.dm_channel_id(h.fake.owner))
    cells = [cell for row in csv.reader(io.StringIO(report.attachments[0].data.decode())) for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "'" + hostile[0] in cells


def test_safe_cell_follows_owasp() -> None:
    assert [safe_cell(v) for v in ("=1+1", "+1", "-1", "@x", "\t1", "\r1", "ok", "", 1.5, -3, None)] == [
        "'=1+1", "'+1", "'-1", "'@x", "'\t1", "'\r1", "ok", "", 1.5, -3, None
    ]  # fmt: skip
    text = to_csv([("=cmd",) + ("",) * 15])
    assert "'=cmd" in text
