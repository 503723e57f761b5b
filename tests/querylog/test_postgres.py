"""What only the PostgreSQL back end has to prove: a server killed during a burst loses
no replied row, processes share one key, the password never reaches a log line, and a
database of an older schema is migrated forward with its rows."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import pytest

from bot.querylog import SCHEMA_VERSION, pgschema
from bot.querylog.heartbeat import ShardBeat
from bot.querylog.postgres import PgQueryLog, redact
from tests.pgserver import PgServer, running_server
from tests.querylog.backends import Backend
from tests.querylog.helpers import rec

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def own_server() -> Iterator[PgServer]:
    """A server of this test's own, because the test kills it."""
    with running_server() as server:
        yield server


async def test_killing_the_server_during_a_burst_loses_no_replied_row(own_server: PgServer, tmp_path: Path) -> None:
    dsn = own_server.create_database()
    local = tmp_path / "factbot.sqlite3"
    # A small queue, so that the outage overflows it into the spool.
    log = await PgQueryLog.start(dsn, local, record_wait=0.2, max_pending=200)
    replied: list[str] = []
    answered_while_down = 0
    down = asyncio.Event()
    stop = asyncio.Event()

    async def user(k: int) -> None:
        nonlocal answered_while_down
        i = 0
        while not stop.is_set():
            r = rec(f"user {k} query {i}", user_id=k)
            await log.record(r)  # True or False, the reply goes out either way
            replied.append(r.uid)
            if down.is_set():
                answered_while_down += 1
            i += 1
            await asyncio.sleep(0.005)

    users = [asyncio.create_task(user(k)) for k in range(20)]
    while log.commits < 10:
        await asyncio.sleep(0.01)
    await asyncio.to_thread(own_server.kill)
    down.set()
    await asyncio.sleep(2.0)  # answers go on while the server is dead
    assert not log.available
    await asyncio.to_thread(own_server.start)
    down.clear()
    await asyncio.sleep(0.5)
    stop.set()
    await asyncio.gather(*users)
    assert await log.flush(timeout=60)
    await log.close()

    assert answered_while_down > 200, answered_while_down
    assert log.spooled > 0  # the outage overflowed the queue ...
    assert log.dropped == 0
    reopened = await PgQueryLog.start(dsn, local)  # ... and the spool is replayed
    try:
        stored = Backend("postgresql", local, dsn).uids()
        assert sorted(stored) == sorted(replied)  # every replied row, exactly once
    finally:
        await reopened.close()


async def test_two_processes_hash_a_user_the_same_way(pg_server: PgServer, tmp_path: Path) -> None:
    dsn = pg_server.create_database()
    first = await PgQueryLog.start(dsn, tmp_path / "a" / "factbot.sqlite3")
    second = await PgQueryLog.start(dsn, tmp_path / "b" / "factbot.sqlite3")
    try:
        assert await first.record(rec(user_id=42))
        assert await second.record(rec(user_id=42))
    finally:
        await first.close()
        await second.close()
    hashes = {row["user_hash"] for row in Backend("postgresql", tmp_path, dsn).rows()}
    assert len(hashes) == 1 and None not in hashes


async def test_an_unreachable_server_does_not_stop_start_up_and_hides_the_password(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    dsn = "postgresql://factbot:s3cret@127.0.0.1:1/factbot"  # nothing listens on port 1
    with caplog.at_level(logging.WARNING, logger="bot.querylog"):
        log = await PgQueryLog.start(dsn, tmp_path / "factbot.sqlite3", record_wait=0.05)
        try:
            assert await log.record(rec("while down")) is False
            assert not log.available
        finally:
            await log.close()
    assert log.spooled == 1
    assert "s3cret" not in caplog.text and "127.0.0.1:1" in caplog.text
    assert redact(dsn) == "postgresql://factbot:***@127.0.0.1:1/factbot"


async def test_a_v4_database_is_migrated_to_v5_with_its_rows_kept(pg_server: PgServer, tmp_path: Path) -> None:
    dsn = pg_server.create_database()
    conn = await asyncpg.connect(dsn)
    try:  # the database as factbot with schema v4 left it, one query row in it
        await conn.execute(pgschema.META_DDL)
        for step in (0, 3):
            await pgschema.MIGRATIONS[step][1](conn)
        await conn.execute("INSERT INTO factbot_meta (name, value) VALUES ('schema_version', '4')")
        await conn.execute(
            "INSERT INTO queries (uid, ts, surface, query, query_norm, status) "
            "VALUES ('v4-row', '2099-01-01T00:00:00.000000Z', 'slash', 'q', 'q', 'answered')"
        )
    finally:
        await conn.close()
    log = await PgQueryLog.start(dsn, tmp_path / "factbot.sqlite3", retention_days=None)
    try:
        assert await log.report_shards([ShardBeat(0, 1, "here:1", 3, 12.5, 30.0, datetime.now(UTC))])
        assert [(s.beat.shard_id, s.beat.guilds) for s in (await log.shards()).shards] == [(0, 3)]
    finally:
        await log.close()
    backend = Backend("postgresql", tmp_path, dsn)
    assert backend.scalar("SELECT value FROM factbot_meta WHERE name = 'schema_version'") == str(SCHEMA_VERSION) == "5"
    assert backend.uids() == ["v4-row"]
