"""Query log throughput: a burst of concurrent `record()` calls against the floor.

The floor is what SQLite itself can do: the same rows, prepared in advance, in one
`executemany` and one transaction on a fresh file with the same schema and pragmas
(WAL, synchronous=NORMAL). The QueryLog figure counts from the first `record()`
of the burst until every row is committed (`flush()`), so it includes turning
records into rows (user-id hashing included), the hand-off to the writer
thread and waking every caller (`record()` returns a future, so 10,000 waiting
callers cost no task each). Each round uses fresh temporary files; the
machine is shared, so the median and the best of a few rounds are shown.

    .venv/bin/python bench/bench_querylog.py
"""

from __future__ import annotations

import asyncio
import platform
import sqlite3
import statistics
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.querylog import STATUSES, QueryLog, QueryRecord
from bot.querylog.privacy import key_path_for, load_or_create_key
from bot.querylog.records import Row, to_row
from bot.querylog.schema import INSERT_SQL

ROWS = 10_000
ROUNDS = 5
TARGET_RATIO = 0.5
SURFACES = ("slash", "prefix", "dm", "button", "console", "cli")


@dataclass(frozen=True)
class Burst:
    seconds: float
    commits: int
    returned_true: int


def _records(n: int) -> list[QueryRecord]:
    start = datetime.now(UTC) - timedelta(hours=1)
    return [
        QueryRecord(
            surface=SURFACES[i % len(SURFACES)],
            query=f"gdp of kashgar in {2000 + i % 25} please {i % 97}",
            status=STATUSES[i % len(STATUSES)],
            guild_id=1_000_000_000_000_000 + i % 3,
            channel_id=2_000_000_000_000_000 + i % 11,
            user_id=3_000_000_000_000_000 + i % 500,
            place="Kashgar",
            metric="gdp",
            period=str(2000 + i % 25),
            fact_id=f"fact-{i % 40}",
            score=0.5 + (i % 50) / 100,
            latency_ms=float(i % 200),
            time=start + timedelta(milliseconds=i),
        )
        for i in range(n)
    ]


async def _querylog_burst(path: Path, records: list[QueryRecord]) -> Burst:
    log = await QueryLog.open(path)
    try:
        commits_before = log.commits
        t0 = time.perf_counter()
        results = await asyncio.gather(*(log.record(rec) for rec in records))
        # On a slow moment some callers may have stopped waiting (record_wait);
        # the clock stops when every row is committed, not when callers return.
        flushed = await log.flush(timeout=120)
        seconds = time.perf_counter() - t0
        if not flushed or log.spooled or log.dropped:
            raise RuntimeError(
                f"burst not fully committed: {log.pending} pending, {log.spooled} spooled, {log.dropped} dropped"
            )
        return Burst(seconds, log.commits - commits_before, sum(results))
    finally:
        await log.close()


async def _make_schema(path: Path) -> None:
    log = await QueryLog.open(path)
    await log.close()


def _raw_floor(path: Path, rows: list[Row]) -> float:
    asyncio.run(_make_schema(path))
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        t0 = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(INSERT_SQL, rows)
        conn.execute("COMMIT")
        return time.perf_counter() - t0
    finally:
        conn.close()


def _rows_for(records: list[QueryRecord], key_dir: Path) -> list[Row]:
    key = load_or_create_key(key_path_for(key_dir / "rows.sqlite3"))
    return [to_row(rec, user_hash=key.hash_or_none(rec.user_id), user_id=None) for rec in records]


def _rate(seconds: float) -> str:
    return f"{ROWS / seconds:>9,.0f} rows/s"


def run() -> list[str]:
    bursts: list[Burst] = []
    floors: list[float] = []
    with tempfile.TemporaryDirectory(prefix="bench-querylog-") as tmp:
        root = Path(tmp)
        for i in range(ROUNDS):
            records = _records(ROWS)  # fresh uids each round
            rows = _rows_for(records, root)
            # Alternate the order so that neither side always runs on a warmer machine.
            if i % 2:
                floors.append(_raw_floor(root / f"raw-{i}.sqlite3", rows))
                bursts.append(asyncio.run(_querylog_burst(root / f"log-{i}.sqlite3", records)))
            else:
                bursts.append(asyncio.run(_querylog_burst(root / f"log-{i}.sqlite3", records)))
                floors.append(_raw_floor(root / f"raw-{i}.sqlite3", rows))
    log_median = statistics.median(b.seconds for b in bursts)
    floor_median = statistics.median(floors)
    ratio = floor_median / log_median
    commits = sorted({b.commits for b in bursts})
    returned = min(b.returned_true for b in bursts)
    return [
        f"querylog: {ROWS:,} rows per round, {ROUNDS} rounds; Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}",
        f"  QueryLog.record() x{ROWS:,} concurrent: median {_rate(log_median)}, "
        f"best {_rate(min(b.seconds for b in bursts))}; commits per burst {commits}; "
        f"at least {returned:,} of {ROWS:,} returned True",
        f"  raw executemany, one transaction:     median {_rate(floor_median)}, best {_rate(min(floors))}",
        f"  ratio QueryLog / raw (medians): {ratio:.2f} (target >= {TARGET_RATIO})",
    ]


if __name__ == "__main__":
    for line in run():
        print(line)
