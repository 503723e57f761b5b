"""Writing: group commit, what record() promises, graceful close, value checks."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from bot.querylog import (
    QUERY_MAX_CHARS,
    InvalidRecordError,
    QueryLog,
    QueryRecord,
    SchemaVersionError,
)
from tests.querylog.backends import Backend
from tests.querylog.conftest import OpenLog
from tests.querylog.helpers import rec, scalar


async def test_a_thousand_concurrent_records_make_a_thousand_rows_in_few_commits(ql: Backend) -> None:
    # A generous wait: this test is about counts, not about speed.
    log = await ql.open(record_wait=60.0)
    records = [rec(f"query {i}", user_id=i % 37) for i in range(1000)]

    results = await asyncio.gather(*(log.record(r) for r in records))

    assert all(results)
    assert sorted(ql.uids()) == sorted(r.uid for r in records)
    assert log.commits * 10 <= len(records), f"{log.commits} commits for 1000 rows"
    assert (log.pending, log.spooled, log.dropped) == (0, 0, 0)


async def test_a_row_is_visible_to_other_connections_when_record_returns_true(ql: Backend) -> None:
    log = await ql.open(record_wait=60.0)
    for i in range(5):
        r = rec(f"q{i}")
        assert await log.record(r)
        assert ql.uids()[-1] == r.uid


async def test_graceful_close_under_load_keeps_every_recorded_query(ql: Backend) -> None:
    log = await ql.open()
    recorded: list[str] = []
    stop = asyncio.Event()

    async def producer(k: int) -> None:
        i = 0
        while not stop.is_set():
            r = rec(f"producer {k} query {i}")
            recorded.append(r.uid)
            await log.record(r)
            i += 1

    producers = [asyncio.create_task(producer(k)) for k in range(20)]
    while log.commits < 5:  # close in the middle of the stream, not before it
        await asyncio.sleep(0.01)
    await log.close()
    in_db_at_close = set(ql.uids())
    await asyncio.sleep(0.05)  # producers keep calling record() on the closed log
    stop.set()
    await asyncio.gather(*producers)

    # Healthy database: everything recorded before close() began is in the database;
    # what came later was spooled and is replayed at the next start.
    assert len(in_db_at_close) > 0
    assert log.dropped == 0
    reopened = await ql.open()
    assert sorted(ql.uids()) == sorted(recorded)
    assert reopened.replayed == log.spooled == len(recorded) - len(in_db_at_close)


async def test_close_is_idempotent_and_record_after_close_returns_false(ql: Backend) -> None:
    log = await ql.open()
    await log.close()
    await log.close()
    assert await log.record(rec("late")) is False
    assert log.spooled == 1


async def test_flush_waits_until_queued_rows_are_committed(ql: Backend) -> None:
    log = await ql.open(record_wait=0.0)  # callers do not wait at all
    results = await asyncio.gather(*(log.record(rec(f"q{i}")) for i in range(50)))
    assert not any(results)  # zero wait: nobody saw the commit ...
    assert await log.flush(timeout=60)
    assert len(ql.rows()) == 50  # ... but every row arrived


async def test_cancelled_caller_does_not_lose_its_row(ql: Backend) -> None:
    log = await ql.open()
    r = rec("cancelled")

    async def caller() -> bool:
        return await log.record(r)

    task = asyncio.create_task(caller())
    await asyncio.sleep(0)  # the row is queued
    task.cancel()
    assert await log.flush(timeout=60)
    assert ql.uids() == [r.uid]


async def test_every_field_is_stored_and_the_query_is_capped(ql: Backend) -> None:
    log = await ql.open(raw_user_ids=True)
    long_query = "  GDP   of Kashgar " + "x" * 1000
    r = QueryRecord(
        surface="dm",
        query=long_query,
        status="nearest",
        guild_id=1,
        channel_id=2,
        user_id=3,
        place="Kashgar",
        metric="gdp",
        period="2023",
        fact_id="f-1",
        score=0.75,
        latency_ms=12.5,
        error=None,
    )
    assert await log.record(r)
    (row,) = ql.rows()
    assert row["query"] == long_query[:QUERY_MAX_CHARS]
    assert row["query_norm"].startswith("gdp of kashgar x")
    assert row["ts"] == r.time.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    expected = {
        "uid": r.uid,
        "surface": "dm",
        "guild_id": 1,
        "channel_id": 2,
        "user_id": 3,
        "place": "Kashgar",
        "metric": "gdp",
        "period": "2023",
        "status": "nearest",
        "fact_id": "f-1",
        "score": 0.75,
        "latency_ms": 12.5,
        "error": None,
    }
    assert {k: row[k] for k in expected} == expected


async def test_autocomplete_keystrokes_are_counted_not_logged(ql: Backend) -> None:
    log = await ql.open()
    log.count_autocomplete()
    log.count_autocomplete(4)
    await log.close()  # counts are flushed at close (or with the next batch)
    assert ql.rows() == []
    assert ql.scalar("SELECT sum(count) FROM autocomplete") == 5


async def test_the_database_uses_wal_and_creates_its_directory(open_log: OpenLog, db: Path) -> None:
    assert not db.parent.exists()
    await open_log()
    assert scalar(db, "PRAGMA journal_mode") == "wal"


@pytest.mark.parametrize(
    "fields",
    [
        {"status": "maybe"},
        {"surface": ""},
        {"time": datetime(2024, 1, 1)},  # naive: local or UTC? refused
    ],
)
def test_invalid_records_are_refused(fields: dict[str, object]) -> None:
    with pytest.raises(InvalidRecordError):
        rec(**fields)


async def test_a_file_that_is_not_a_database_is_refused_at_open(db: Path) -> None:
    db.parent.mkdir(parents=True)
    db.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(SchemaVersionError) as info:
        await QueryLog.open(db)
    assert "not a readable SQLite database" in str(info.value)
    assert isinstance(info.value.__cause__, sqlite3.DatabaseError)
