"""The bot's side of shard heartbeats: every FACTBOT_HEARTBEAT_SECONDS, each shard of
this process whose gateway connection is open is written to the shared database (its
servers and latency), so that `!stats` in any process, and `factbot stats`, list every
shard of every process (bot/querylog/heartbeat.py has the rows and their staleness).

A shard that is not connected is not written: a process that died or lost Discord
goes stale by itself, with nothing to clean up. The loop is woken early when the bot
becomes ready, and `beat()` writes at once (the stats command calls it, so the
process answering shows its own shards as they are now).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from collections.abc import Callable
from datetime import UTC, datetime

from bot.querylog import QueryLog
from bot.querylog.heartbeat import ShardBeat, this_process

log = logging.getLogger(__name__)

# (shard id, shard count, gateway latency in s, servers) per connected shard
ShardReport = Callable[[], list[tuple[int, int, float, int]]]


class ShardHeartbeat:
    def __init__(self, querylog: QueryLog, shards: ShardReport, interval: float, process: str | None = None) -> None:
        self._log = querylog
        self._shards = shards
        self._interval = interval
        self.process = process or this_process()
        self._poke = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="shard-heartbeat")

    def poke(self) -> None:
        """Beat now rather than at the end of the interval (the shards just connected)."""
        self._poke.set()

    def beats(self, now: datetime | None = None) -> list[ShardBeat]:
        moment = now or datetime.now(UTC)
        return [self._beat(*shard, moment) for shard in self._shards()]

    def _beat(self, shard_id: int, count: int, latency: float, guilds: int, moment: datetime) -> ShardBeat:
        # discord.py's latency is NaN (or inf) before the first heartbeat round trip
        latency_ms = latency * 1000 if math.isfinite(latency) else None
        return ShardBeat(shard_id, count, self.process, guilds, latency_ms, self._interval, moment)

    async def beat(self, timeout: float | None = None) -> bool:
        """Write this process's connected shards now; True once written. False when the
        database did not take them within `timeout` (the write is then given up: the next
        beat carries newer figures)."""
        try:
            return await asyncio.wait_for(self._log.report_shards(self.beats()), timeout)
        except TimeoutError:
            return False

    async def _run(self) -> None:
        # The flag, not only the cancellation, ends the loop: Python 3.11's wait_for drops
        # a cancel that arrives as its future completes, and close() would then wait forever.
        while not self._stopping:
            if not await self.beat(timeout=self._interval):
                log.debug("shard heartbeat not written within %.0f s", self._interval)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._poke.wait(), self._interval)
            self._poke.clear()

    async def close(self) -> None:
        self._stopping = True
        task, self._task = self._task, None
        if task is not None:
            self._poke.set()
            task.cancel()
            await asyncio.wait({task})  # not `await task`: its CancelledError is not the caller's
