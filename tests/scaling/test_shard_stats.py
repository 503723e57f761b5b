"""`!stats` lists every shard of every process: each `factbot run` writes a heartbeat row per
shard it holds to the shared database, and the report reads them all.

Two processes with disjoint shards on one real PostgreSQL: `!stats` answered by either
shows both shards with their servers; once one process stops, `factbot stats` marks its
shard stale. And one process holding both shards on SQLite shows both as well."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import sys
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from bot.discord_app.shards import shard_of
from fakediscord import FakeDiscord
from fakediscord.config import FakeConfig
from tests.pgserver import PgServer
from tests.scaling.test_shards import GUILD_ON_0, GUILD_ON_1, both_ready, guild_at, shard_process

pytestmark = pytest.mark.timeout(150)

# a second server on shard 0, so the two shards hold different numbers of servers
GUILD_ON_0_TOO = guild_at(1_000_002, "Shard Zero Too")
CONFIG = FakeConfig(guilds=(GUILD_ON_0, GUILD_ON_1, GUILD_ON_0_TOO))
# short, so the test need not wait long for a first row or for a stopped process to go stale
BEAT = {"FACTBOT_HEARTBEAT_SECONDS": "0.5"}


async def _until(check: Any, what: str, timeout: float = 30.0) -> Any:
    """Poll `check()` (a coroutine function) until it returns something truthy."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        found = await check()
        if found:
            return found
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.1)


async def _rows_for(read: Any, n: int) -> list[Any] | None:
    rows = await read()
    return rows if len(rows) >= n else None


def _shards_field(posted: Any) -> list[str]:
    (embed,) = posted.embeds
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    return [line for line in fields["Shards"].splitlines() if not line.startswith("```")]


def _shard_line(lines: list[str], shard: int) -> list[str]:
    (line,) = [line for line in lines if line.split()[0] == f"#{shard}"]
    return line.split()


async def _report(fake: FakeDiscord, channel_id: int) -> list[str]:
    """`!stats 1 all` by the owner in `channel_id`; the report arrives by DM."""
    await fake.send_message("!stats 1 all", channel_id=channel_id, author=fake.owner)
    await fake.wait_for_reply(channel_id, timeout=30)  # "I sent you the report in a direct message"
    return _shards_field(await fake.wait_for_reply(fake.dm_channel_id(fake.owner), timeout=30))


async def test_stats_in_either_process_lists_the_shards_of_both_from_postgresql(
    pg_server: PgServer, tmp_path: Path
) -> None:
    assert [shard_of(g.id, 2) for g in CONFIG.guilds] == [0, 1, 0]
    dsn = pg_server.create_database()

    async def heartbeat_rows() -> list[asyncpg.Record]:
        conn = await asyncpg.connect(dsn)
        try:
            exists = await conn.fetchval("SELECT to_regclass('shard_heartbeats') IS NOT NULL")
            return list(await conn.fetch("SELECT * FROM shard_heartbeats ORDER BY shard_id")) if exists else []
        finally:
            await conn.close()

    async with FakeDiscord(CONFIG) as fake, AsyncExitStack() as stack:
        common = {"FACTBOT_DATABASE_URL": dsn, **BEAT}
        await stack.enter_async_context(shard_process(fake, tmp_path / "p0", "0", **common))
        one = AsyncExitStack()
        await one.enter_async_context(shard_process(fake, tmp_path / "p1", "1", **common))
        stack.push_async_callback(one.aclose)
        await both_ready(fake)
        rows = await _until(lambda: _rows_for(heartbeat_rows, 2), "a heartbeat row from each process")
        assert [(r["shard_id"], r["shard_count"], r["guilds"]) for r in rows] == [(0, 2, 2), (1, 2, 1)]
        assert rows[0]["process"] != rows[1]["process"]  # two processes wrote them

        for channel in (GUILD_ON_0.channel_id, GUILD_ON_1.channel_id):  # answered by process 0, then 1
            lines = await _report(fake, channel)
            assert lines[0] == "2 shard(s) of 2: 2 live, 0 stale; 3 servers on live shards"
            zero, one_ = _shard_line(lines, 0), _shard_line(lines, 1)
            assert zero[1:4] == ["live", "2", "servers"] and one_[1:4] == ["live", "1", "servers"]
            assert zero[-1] == rows[0]["process"] and one_[-1] == rows[1]["process"]

        await one.aclose()  # process 1 stops: its shard is no longer refreshed
        env = {**os.environ, "FACTBOT_DATABASE_URL": dsn, "FACTBOT_DATA_DIR": str(tmp_path / "cli")}

        async def cli_says_stale() -> str | None:
            done = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "stats", "--days", "1", env=env,
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            )  # fmt: skip
            out, err = await done.communicate()
            assert done.returncode == 0, err.decode()
            text = out.decode()
            return text if "1 live, 1 stale" in text else None

        text = await _until(cli_says_stale, "factbot stats to show shard 1 stale", timeout=60)
        lines = [line.strip() for line in text.splitlines()]
        assert any(line.startswith("#0") and " live " in line for line in lines)
        assert any(line.startswith("#1") and " STALE " in line for line in lines)
        assert "2 shard(s) of 2: 1 live, 1 stale; 2 servers on live shards" in text


async def test_one_process_with_both_shards_on_sqlite_lists_each_shard(tmp_path: Path) -> None:
    async with FakeDiscord(CONFIG) as fake, shard_process(fake, tmp_path / "p", "0-1", **BEAT) as db:
        await both_ready(fake)
        lines = await _report(fake, GUILD_ON_1.channel_id)
        assert lines[0] == "2 shard(s) of 2: 2 live, 0 stale; 3 servers on live shards"
        zero, one = _shard_line(lines, 0), _shard_line(lines, 1)
        assert (zero[2], one[2]) == ("2", "1")
        assert zero[-1] == one[-1]  # one process holds both
    with sqlite3.connect(db) as conn:
        stored = conn.execute("SELECT shard_id, shard_count, guilds FROM shard_heartbeats ORDER BY 1").fetchall()
    assert stored == [(0, 2, 2), (1, 2, 1)]
