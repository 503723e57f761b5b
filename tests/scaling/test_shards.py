"""Two `factbot run` processes with disjoint shard ranges against the fake Discord, which
routes a guild's events to shard (guild_id >> 22) % shard_count and DMs to shard 0.
Each process answers only its own guilds, and only the shard-0 process answers DMs."""

from __future__ import annotations

import asyncio
import os
import socket
import sqlite3
import sys
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

import aiohttp
import pytest

from bot.discord_app.shards import shard_of
from fakediscord import FakeDiscord
from fakediscord.config import FakeConfig, FakeGuild
from fakediscord.ids import fixed_snowflake

pytestmark = pytest.mark.timeout(120)

def guild_at(timestamp: int, name: str) -> FakeGuild:
    """A guild whose ids carry `timestamp` in the snowflake's timestamp bits, which decide
    its shard: (id >> 22) % shard_count."""
    base = timestamp << 22
    return FakeGuild(id=base | 1, name=name, text_channels=((base | 2, "general"),), owner_id=fixed_snowflake(2),
                     bot_role_id=base | 3)  # fmt: skip


GUILD_ON_0 = guild_at(1_000_000, "Shard Zero")
GUILD_ON_1 = guild_at(1_000_001, "Shard One")


@asynccontextmanager
async def shard_process(fake: FakeDiscord, data_dir: Path, ids: str, **extra_env: str) -> AsyncIterator[Path]:
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DISCORD_TOKEN": fake.config.token,
        "FACTBOT_DISCORD_API_BASE": fake.api_base,
        "FACTBOT_DISCORD_GATEWAY_URL": fake.gateway_url,
        "FACTBOT_DATA_DIR": str(data_dir),
        "FACTBOT_LOG_LEVEL": "WARNING",
        "FACTBOT_COOLDOWN": "off",
        "FACTBOT_SHARD_COUNT": "2",
        "FACTBOT_SHARD_IDS": ids,
    }
    env.pop("FACTBOT_DB", None)
    env.pop("FACTBOT_DATABASE_URL", None)
    env.update(extra_env)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=data_dir, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    try:
        yield data_dir / "factbot.sqlite3"
    finally:
        if process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), 20)
            except TimeoutError:
                process.kill()
                await process.wait()


async def both_ready(fake: FakeDiscord) -> None:
    gateway = fake._gateway
    await fake.world.changes.wait_for(
        lambda: True if sum(1 for s in gateway.live_sessions if s.conn is not None) >= 2 else None,
        timeout=60,
        describe=lambda: "two shard sessions connected",
    )
    # a first answer on each side proves both stores are loaded
    for guild in (GUILD_ON_0, GUILD_ON_1):
        await fake.send_message("!trade xizang 2023 warmup", channel_id=guild.channel_id)
        await fake.wait_for_reply(guild.channel_id, timeout=30)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def logged(db: Path) -> list[tuple[int | None, str]]:
    with sqlite3.connect(db) as conn:
        return [(g, q) for g, q in conn.execute("SELECT guild_id, query FROM queries")]


async def test_two_processes_split_the_guilds_by_shard_and_only_shard_0_answers_dms(tmp_path: Path) -> None:
    assert (shard_of(GUILD_ON_0.id, 2), shard_of(GUILD_ON_1.id, 2)) == (0, 1)
    async with FakeDiscord(FakeConfig(guilds=(GUILD_ON_0, GUILD_ON_1))) as fake, AsyncExitStack() as stack:
        port = _free_port()
        db0 = await stack.enter_async_context(
            shard_process(fake, tmp_path / "p0", "0", FACTBOT_METRICS_PORT=str(port))
        )
        db1 = await stack.enter_async_context(shard_process(fake, tmp_path / "p1", "1"))
        await both_ready(fake)

        sent = {
            await fake.send_message("!trade xizang 2023 g0", channel_id=GUILD_ON_0.channel_id): "g0",
            await fake.send_message("!trade xinjiang 2023 g1", channel_id=GUILD_ON_1.channel_id): "g1",
        }
        for message_id in sent:
            await fake.wait_for_reply(predicate=lambda p, m=message_id: p.reference_id == m, timeout=30)
        dm_channel = fake.dm_channel_id()
        await fake.send_message("trade xizang 2023 dm", guild=False)
        await fake.wait_for_reply(dm_channel, timeout=30)
        await asyncio.sleep(0.5)  # a second, wrong answer would have arrived by now
        replies = [p.reference_id for p in fake.posted if p.reference_id in sent]
        assert sorted(replies) == sorted(sent)  # each guild message answered exactly once
        assert len([p for p in fake.posted if p.channel_id == dm_channel]) == 1  # and the DM once
        async with aiohttp.ClientSession() as http, http.get(f"http://127.0.0.1:{port}/metrics") as response:
            metrics = await response.text()
        assert 'factbot_shard_guilds{shard="0"} 1.0' in metrics
        assert 'factbot_shard_latency_seconds{shard="0"}' in metrics and 'shard="1"' not in metrics

    zero, one = logged(db0), logged(db1)
    assert {q.rsplit(" ", 1)[-1] for _, q in zero} == {"warmup", "g0", "dm"}
    assert {q.rsplit(" ", 1)[-1] for _, q in one} == {"warmup", "g1"}
    assert {g for g, _ in one} == {GUILD_ON_1.id}
    assert (None, "trade xizang 2023 dm") in zero
