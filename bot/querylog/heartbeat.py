"""Shard heartbeats: which process holds which shard, with its servers and latency, as
every process of the bot last reported it to the shared database.

Each running bot writes one row per shard it holds (`shard_heartbeats`, schema v5)
every `interval_s` seconds through the query log's writer, so a report read in any
process, or by `factbot stats`, covers every process sharing the database: the
PostgreSQL server with FACTBOT_DATABASE_URL, or the SQLite file on one host. A shard
is only written while its gateway connection is open, so a shard whose process died
or lost Discord stops being refreshed and shows as stale after `STALE_INTERVALS` of
its own interval. Shards below the shard count that no process ever reported are
missing. Rows nobody refreshed for `FORGET_SECONDS` are deleted by the next write
(a shard count that was lowered leaves no ghosts).

Times are the writing host's UTC clock, in the query log's fixed-width text: hosts
that share a database keep their clocks in sync (NTP), and three intervals of margin
absorb the rest. No discord.py here: the Discord adapter turns its shards into
`ShardBeat` values (bot/discord_app/heartbeat.py).
"""

from __future__ import annotations

import math
import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.querylog.readconn import ReadConnection
from bot.querylog.records import format_ts

# A shard not refreshed for three of its intervals has missed two beats: not a hiccup.
STALE_INTERVALS = 3
FORGET_SECONDS = 86_400.0

# The columns of a heartbeat row, in the order of `ShardBeat.row()`.
COLUMNS: tuple[str, ...] = ("shard_id", "shard_count", "process", "guilds", "latency_ms", "interval_s", "seen_at")
_UPDATE = ", ".join(f"{c} = excluded.{c}" for c in COLUMNS[1:])
# One row per shard: the process that holds it now overwrites whoever held it before.
UPSERT_SQL = (
    f"INSERT INTO shard_heartbeats ({', '.join(COLUMNS)}) VALUES ({', '.join('?' for _ in COLUMNS)}) "
    f"ON CONFLICT (shard_id) DO UPDATE SET {_UPDATE}"
)
FORGET_SQL = "DELETE FROM shard_heartbeats WHERE seen_at < ?"
SELECT_SQL = f"SELECT {', '.join(COLUMNS)} FROM shard_heartbeats ORDER BY shard_id"

Row = tuple[int, int, str, int, float | None, float, str]


def this_process() -> str:
    """How a process names itself to the others: host and pid (compose: set `hostname:`)."""
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True)
class ShardBeat:
    """One shard as one process saw it at `seen_at`."""

    shard_id: int
    shard_count: int
    process: str
    guilds: int
    latency_ms: float | None  # None: no heartbeat round trip measured yet
    interval_s: float
    seen_at: datetime

    def row(self) -> Row:
        latency = self.latency_ms if self.latency_ms is not None and math.isfinite(self.latency_ms) else None
        return (
            self.shard_id, self.shard_count, self.process, self.guilds, latency, self.interval_s,
            format_ts(self.seen_at),
        )  # fmt: skip


@dataclass(frozen=True)
class ShardState:
    beat: ShardBeat
    age_s: float  # seconds since it was last written, at the time of the report

    @property
    def stale(self) -> bool:
        return self.age_s > STALE_INTERVALS * self.beat.interval_s


@dataclass(frozen=True)
class Fleet:
    """Every shard the database knows of, at `now`."""

    now: datetime
    shards: tuple[ShardState, ...]  # by shard id

    @property
    def live(self) -> tuple[ShardState, ...]:
        return tuple(s for s in self.shards if not s.stale)

    @property
    def stale(self) -> tuple[ShardState, ...]:
        return tuple(s for s in self.shards if s.stale)

    @property
    def shard_count(self) -> int:
        """The total the live processes run with (if none is live, the last one known)."""
        counted = self.live or self.shards
        return max((s.beat.shard_count for s in counted), default=0)

    @property
    def missing(self) -> tuple[int, ...]:
        """Shard ids below the shard count that no process has reported."""
        known = {s.beat.shard_id for s in self.shards}
        return tuple(i for i in range(self.shard_count) if i not in known)

    @property
    def guilds(self) -> int:
        """Servers on live shards: what the bot serves now."""
        return sum(s.beat.guilds for s in self.live)


def _parse_ts(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


async def read_fleet(conn: ReadConnection, now: datetime | None = None) -> Fleet:
    """The heartbeats in the database, judged at `now` (the reader's clock)."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    async with conn.execute(SELECT_SQL) as cursor:
        rows = list(await cursor.fetchall())
    states = []
    for shard_id, count, process, guilds, latency, interval, seen in rows:
        beat = ShardBeat(
            shard_id=int(shard_id), shard_count=int(count), process=str(process), guilds=int(guilds),
            latency_ms=None if latency is None else float(latency), interval_s=float(interval),
            seen_at=_parse_ts(str(seen)),
        )  # fmt: skip
        states.append(ShardState(beat, max(0.0, (now - beat.seen_at).total_seconds())))
    return Fleet(now, tuple(states))


def forget_before(now: datetime | None = None) -> str:
    """The `seen_at` below which a row is deleted."""
    return format_ts((now or datetime.now(UTC)) - timedelta(seconds=FORGET_SECONDS))
