"""The numbers curators read: what people ask, what the store cannot answer, how fast.

The window is the last `days` UTC calendar days, today included, up to `now`: with
days=7 on a Wednesday it starts at 00:00 UTC on the Thursday before. Whole days
make "queries per day" comparable from one day to the next.

Percentiles use the nearest-rank definition: p95 is the smallest latency that at
least 95 % of the queries did not exceed. Rows without a latency (migrated from
schema v1) are left out of the percentiles only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.querylog.readconn import ReadConnection
from bot.querylog.records import STATUSES, UNANSWERED_STATUSES, format_ts

TOP_N = 10

Counts = tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Stats:
    since: datetime
    until: datetime
    total: int
    users: int  # distinct users (by keyed hash)
    per_day: Counts  # every day of the window, oldest first, zeros included
    per_surface: Counts  # most used first
    per_status: Counts  # every known status in STATUSES order, zeros included
    top_queries: Counts  # normalized query text, most asked first
    top_facts: Counts  # fact ids served (answered or nearest), most served first
    top_unanswered: Counts  # normalized text of not_found and nearest queries
    latency_p50_ms: float | None
    latency_p95_ms: float | None
    autocomplete_per_day: Counts  # every day of the window, oldest first

    @property
    def days(self) -> int:
        return len(self.per_day)

    @property
    def autocomplete_total(self) -> int:
        return sum(n for _, n in self.autocomplete_per_day)

    def count(self, status: str) -> int:
        return dict(self.per_status).get(status, 0)

    def share(self, status: str) -> float:
        """The fraction (0..1) of the window's queries that had this status."""
        return self.count(status) / self.total if self.total else 0.0


def window(days: int, now: datetime | None = None) -> tuple[datetime, datetime]:
    """(since, until) of the last `days` UTC days up to `now`."""
    if days < 1:
        raise ValueError(f"days must be at least 1, not {days}")
    until = (now or datetime.now(UTC)).astimezone(UTC)
    midnight = until.replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight - timedelta(days=days - 1), until


def nearest_rank(percent: int, n: int) -> int:
    """The 1-based rank of the `percent`-th percentile among n sorted values."""
    return max(1, -(-percent * n // 100))


def _days(since: datetime, until: datetime) -> list[str]:
    out, day = [], since.date()
    while day <= until.date():
        out.append(day.isoformat())
        day += timedelta(days=1)
    return out


async def _pairs(conn: ReadConnection, sql: str, args: tuple[object, ...]) -> Counts:
    async with conn.execute(sql, args) as cursor:
        return tuple((str(key), int(n)) for key, n in await cursor.fetchall())


async def _percentile(
    conn: ReadConnection, where: str, args: tuple[object, ...], percent: int, n: int
) -> float | None:
    if n == 0:
        return None
    sql = (
        f"SELECT latency_ms FROM queries WHERE {where} AND latency_ms IS NOT NULL ORDER BY latency_ms LIMIT 1 OFFSET ?"
    )
    async with conn.execute(sql, (*args, nearest_rank(percent, n) - 1)) as cursor:
        row = await cursor.fetchone()
    return None if row is None else float(row[0])


async def compute_stats(
    conn: ReadConnection, days: int = 7, now: datetime | None = None, *, guild_id: int | None = None
) -> Stats:
    """The report on the window; with `guild_id`, on that server's queries only (autocomplete
    keystrokes are counted per day, not per server, so they stay global)."""
    since, until = window(days, now)
    where = "ts >= ? AND ts <= ?"
    args: tuple[object, ...] = (format_ts(since), format_ts(until))
    if guild_id is not None:
        where += " AND guild_id = ?"
        args = (*args, guild_id)

    async with conn.execute(
        f"SELECT count(*), count(DISTINCT user_hash), count(latency_ms) FROM queries WHERE {where}",
        args,
    ) as cursor:
        row = await cursor.fetchone()
    total, users, with_latency = (int(v) for v in row) if row is not None else (0, 0, 0)

    by_day = dict(await _pairs(conn, f"SELECT substr(ts, 1, 10), count(*) FROM queries WHERE {where} GROUP BY 1", args))
    per_surface = await _pairs(
        conn,
        f"SELECT surface, count(*) AS n FROM queries WHERE {where} GROUP BY surface ORDER BY n DESC, surface",
        args,
    )
    by_status = dict(await _pairs(conn, f"SELECT status, count(*) FROM queries WHERE {where} GROUP BY status", args))
    top = (
        f"SELECT query_norm, count(*) AS n FROM queries WHERE {where} {{extra}} "
        "GROUP BY query_norm ORDER BY n DESC, query_norm LIMIT ?"
    )
    top_queries = await _pairs(conn, top.format(extra=""), (*args, TOP_N))
    marks = ", ".join("?" for _ in UNANSWERED_STATUSES)
    top_unanswered = await _pairs(
        conn, top.format(extra=f"AND status IN ({marks})"), (*args, *UNANSWERED_STATUSES, TOP_N)
    )
    top_facts = await _pairs(
        conn,
        f"SELECT fact_id, count(*) AS n FROM queries WHERE {where} AND fact_id IS NOT NULL "
        "GROUP BY fact_id ORDER BY n DESC, fact_id LIMIT ?",
        (*args, TOP_N),
    )
    p50 = await _percentile(conn, where, args, 50, with_latency)
    p95 = await _percentile(conn, where, args, 95, with_latency)
    days_list = _days(since, until)
    by_day_ac = dict(
        await _pairs(
            conn,
            "SELECT day, count FROM autocomplete WHERE day >= ? AND day <= ?",
            (days_list[0], days_list[-1]),
        )
    )

    statuses = list(STATUSES) + sorted(set(by_status) - set(STATUSES))
    return Stats(
        since=since,
        until=until,
        total=total,
        users=users,
        per_day=tuple((d, by_day.get(d, 0)) for d in days_list),
        per_surface=per_surface,
        per_status=tuple((s, by_status.get(s, 0)) for s in statuses),
        top_queries=top_queries,
        top_facts=top_facts,
        top_unanswered=top_unanswered,
        latency_p50_ms=p50,
        latency_p95_ms=p95,
        autocomplete_per_day=tuple((d, by_day_ac.get(d, 0)) for d in days_list),
    )
