"""Shards across processes: `FACTBOT_SHARD_COUNT` and `FACTBOT_SHARD_IDS` run the bot as
discord.py's `AutoShardedBot` over those shards of the total.

Discord routes a guild's events to shard `(guild_id >> 22) % shard_count` and direct
messages to shard 0 only, so the process that holds shard 0 serves DMs.

IDENTIFY is rate-limited per `max_concurrency` bucket (`shard_id % max_concurrency`):
one IDENTIFY per bucket per 5 s across every process of the bot. With the query log
on PostgreSQL, a session-level advisory lock per bucket is the shared lock: a shard
takes its bucket's lock before identifying and lets it go 5 s later, so processes
starting together queue up instead of being refused. Without PostgreSQL (one host,
one process) discord.py's own wait in `before_identify_hook` does the job.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import discord
from discord.ext import commands

from bot.config import Settings
from bot.discord_app.client import FactBot

log = logging.getLogger(__name__)

IDENTIFY_INTERVAL_SECONDS = 5.0
# Discord's max_concurrency is 1 unless the bot is very large ("big bot sharding").
DEFAULT_MAX_CONCURRENCY = 1
# Advisory lock keys: this base plus the bucket number.
IDENTIFY_LOCK_BASE = 0x66620000


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard Discord sends a guild's events to."""
    return (guild_id >> 22) % shard_count


class IdentifyGate:
    """The cross-process IDENTIFY lock on PostgreSQL, one advisory lock per bucket."""

    def __init__(self, dsn: str, max_concurrency: int = DEFAULT_MAX_CONCURRENCY) -> None:
        self._dsn = dsn
        self._max_concurrency = max_concurrency
        self._conn: Any = None
        self._guard = asyncio.Lock()

    async def before_identify(self, shard_id: int) -> None:
        import asyncpg

        bucket = shard_id % self._max_concurrency
        async with self._guard:
            if self._conn is None or self._conn.is_closed():
                self._conn = await asyncpg.connect(self._dsn, timeout=10)
            await self._conn.execute("SELECT pg_advisory_lock($1)", IDENTIFY_LOCK_BASE + bucket)
        # hold it through this IDENTIFY and Discord's 5 s, then let the next one go
        asyncio.get_running_loop().call_later(
            IDENTIFY_INTERVAL_SECONDS, lambda: asyncio.ensure_future(self._release(bucket))
        )

    async def _release(self, bucket: int) -> None:
        async with self._guard:
            if self._conn is not None and not self._conn.is_closed():
                await self._conn.execute("SELECT pg_advisory_unlock($1)", IDENTIFY_LOCK_BASE + bucket)

    async def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                await self._conn.close(timeout=2)
            self._conn = None


class ShardedFactBot(FactBot, commands.AutoShardedBot):
    """FactBot over the shards the settings name, in this process."""

    def __init__(self, settings: Settings, *args: Any, **kwargs: Any) -> None:
        super().__init__(settings, *args, shard_count=settings.shard_count, shard_ids=settings.shard_ids, **kwargs)
        self._gate = IdentifyGate(settings.database_url) if settings.database_url else None

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        if self._gate is None or shard_id is None:
            await super().before_identify_hook(shard_id, initial=initial)
            return
        try:
            await self._gate.before_identify(shard_id)
        except (OSError, TimeoutError, discord.DiscordException) as exc:
            log.warning("identify lock unavailable (%s); waiting as one process would", exc)
            await super().before_identify_hook(shard_id, initial=initial)
        except Exception as exc:  # asyncpg errors: the lock is a courtesy, never a reason not to connect
            log.warning("identify lock failed (%s: %s); waiting as one process would", type(exc).__name__, exc)
            await super().before_identify_hook(shard_id, initial=initial)

    async def close(self) -> None:
        await super().close()
        if self._gate is not None:
            await self._gate.close()

    def connected_shards(self) -> list[tuple[int, int, float, int]]:
        count = self.shard_count or 1
        return [
            (shard_id, count, latency, guilds)
            for shard_id, latency, guilds in self.shard_report()
            if (shard := self.get_shard(shard_id)) is not None and not shard.is_closed()
        ]

    def shard_report(self) -> list[tuple[int, float, int]]:
        """(shard id, gateway latency in s, guilds) for each shard of this process."""
        counts: dict[int, int] = {}
        for guild in self.guilds:
            counts[guild.shard_id] = counts.get(guild.shard_id, 0) + 1
        return [(sid, latency, counts.get(sid, 0)) for sid, latency in self.latencies]
