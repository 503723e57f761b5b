"""The query log on PostgreSQL: a burst of 10,000 concurrent `record()` calls through
`PgQueryLog` against the floor, asyncpg's `copy_records_to_table` of the same rows in
one transaction, on the same server in the same run.

Needs a server: `FACTBOT_BENCH_DATABASE_URL=postgresql://...` (an empty database the
bench may write to; it creates its tables there). Without it the line says so.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

import asyncpg

from bench.bench_querylog import ROUNDS, ROWS, _records, _rows_for
from bot.querylog.postgres import PgQueryLog, redact
from bot.querylog.schema import ROW_COLUMNS

ENV = "FACTBOT_BENCH_DATABASE_URL"


async def _burst(dsn: str, local: Path) -> tuple[float, int]:
    log = await PgQueryLog.start(dsn, local)
    try:
        records = _records(ROWS)
        before = log.commits
        t0 = time.perf_counter()
        await asyncio.gather(*(log.record(rec) for rec in records))
        if not await log.flush(timeout=120) or log.spooled or log.dropped:
            raise RuntimeError("burst not fully committed")
        return time.perf_counter() - t0, log.commits - before
    finally:
        await log.close()


async def _floor(dsn: str, local: Path) -> float:
    rows = _rows_for(_records(ROWS), local.parent)
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("CREATE TEMP TABLE floor (LIKE queries INCLUDING DEFAULTS)")
        t0 = time.perf_counter()
        async with conn.transaction():
            await conn.copy_records_to_table("floor", records=rows, columns=list(ROW_COLUMNS))
        return time.perf_counter() - t0
    finally:
        await conn.close()


async def _run(dsn: str) -> list[str]:
    bursts, floors, commits = [], [], set()
    with tempfile.TemporaryDirectory(prefix="bench-querylog-pg-") as tmp:
        local = Path(tmp) / "factbot.sqlite3"
        for _ in range(ROUNDS):
            seconds, n = await _burst(dsn, local)
            bursts.append(seconds)
            commits.add(n)
            floors.append(await _floor(dsn, local))
    log_median, floor_median = statistics.median(bursts), statistics.median(floors)
    return [
        f"querylog on PostgreSQL ({redact(dsn)}): {ROWS:,} rows per round, {ROUNDS} rounds",
        f"  PgQueryLog.record() x{ROWS:,} concurrent: median {ROWS / log_median:,.0f} rows/s; "
        f"commits per burst {sorted(commits)}",
        f"  raw copy_records_to_table, one transaction: median {ROWS / floor_median:,.0f} rows/s",
        f"  ratio PgQueryLog / raw (medians): {floor_median / log_median:.2f}",
    ]


def run() -> list[str]:
    dsn = os.environ.get(ENV)
    if not dsn:
        return [f"querylog on PostgreSQL: skipped (set {ENV} to an empty database to measure it)"]
    return asyncio.run(_run(dsn))


if __name__ == "__main__":
    print("\n".join(run()))
