"""The database unavailable: replies go on, rows wait in memory or in the spool, and
arrive when the database is back; nothing is dropped without a count and a warning."""

from __future__ import annotations

import asyncio
import logging
import shutil
import sqlite3
from pathlib import Path

import pytest

from bot.querylog import QueryLog
from bot.querylog.spool import spool_path_for
from tests.querylog.conftest import OpenLog
from tests.querylog.helpers import make_read_only, rec, uids


async def test_locked_database_record_returns_false_and_rows_arrive_after_unlock(open_log: OpenLog, db: Path) -> None:
    log = await open_log()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        records = [rec(f"while locked {i}") for i in range(5)]
        # The lock is held until after this returns, so returning at all (False)
        # proves the wait is bounded; waiting for the commit would never end.
        results = await asyncio.gather(*(log.record(r) for r in records))
        assert results == [False] * 5
        assert log.pending == 5
        assert not log.available
    finally:
        holder.rollback()
        holder.close()
    assert await log.flush(timeout=60)
    assert sorted(uids(db)) == sorted(r.uid for r in records)
    assert (log.pending, log.spooled, log.dropped) == (0, 0, 0)
    assert await log.record(rec("after unlock"))


async def test_read_only_database_file_rows_wait_then_arrive(open_log: OpenLog, db: Path) -> None:
    first = await open_log()
    await first.close()
    restore = make_read_only(db)
    try:
        log = await open_log(max_pending=3)
        records = [rec(f"read-only {i}") for i in range(5)]
        results = await asyncio.gather(*(log.record(r) for r in records))
        assert results == [False] * 5  # replies go on
        assert (log.pending, log.spooled, log.dropped) == (3, 2, 0)
    finally:
        restore()
    # Writable again: the writer reconnects (a connection opened on a read-only
    # file stays read-only), writes the queue and replays the spool.
    assert await log.flush(timeout=60)
    while log.replayed < 2:
        await asyncio.sleep(0.05)
    assert sorted(uids(db)) == sorted(r.uid for r in records)
    assert not spool_path_for(db).exists()


async def test_read_only_directory_drops_only_with_a_count_and_a_warning(
    open_log: OpenLog, db: Path, caplog: pytest.LogCaptureFixture
) -> None:
    first = await open_log()
    await first.close()  # the database (and the key) exist; -wal and -shm do not
    restore = make_read_only(db.parent)
    try:
        with caplog.at_level(logging.WARNING, logger="bot.querylog"):
            log = await open_log(max_pending=2)
            records = [rec(f"read-only dir {i}") for i in range(5)]
            results = await asyncio.gather(*(log.record(r) for r in records))
        assert results == [False] * 5
        # Two wait in memory; the spool cannot be created either, so three are lost,
        # and they are counted and logged.
        assert (log.pending, log.spooled, log.dropped) == (2, 0, 3)
        assert "DROPPED" in caplog.text
    finally:
        restore()
    assert await log.flush(timeout=60)
    assert sorted(uids(db)) == sorted(r.uid for r in records[:2])


async def test_queue_overflow_goes_to_the_spool_and_is_replayed_exactly_once(open_log: OpenLog, db: Path) -> None:
    log = await open_log(max_pending=5, close_timeout=0.2)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        records = [rec(f"overflow {i}") for i in range(20)]
        results = await asyncio.gather(*(log.record(r) for r in records))
        assert results == [False] * 20
        assert (log.pending, log.spooled) == (5, 15)
        await log.close()  # still locked: the five queued rows are spooled too
        assert (log.pending, log.spooled, log.dropped) == (0, 20, 0)
    finally:
        holder.rollback()
        holder.close()
    spool = spool_path_for(db)
    assert len(spool.read_text().splitlines()) == 20
    assert uids(db) == []
    saved = spool.with_name("saved-spool")
    shutil.copy(spool, saved)

    replaying = await open_log()  # replayed at the next start
    assert replaying.replayed == 20
    assert not spool.exists()
    await replaying.close()
    # A crash after the replay's commit but before the spool is deleted means the
    # same lines are replayed again: they must not be inserted twice.
    shutil.copy(saved, spool)
    again = await open_log()
    assert again.replayed == 0
    assert sorted(uids(db)) == sorted(r.uid for r in records)


async def test_a_torn_spool_line_is_quarantined_and_the_rest_replayed(
    open_log: OpenLog, db: Path, caplog: pytest.LogCaptureFixture
) -> None:
    first = await open_log(max_pending=1)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        records = [rec(f"torn {i}") for i in range(4)]
        await asyncio.gather(*(first.record(r) for r in records))
    finally:
        holder.rollback()
        holder.close()
    await first.close()
    spool = spool_path_for(db)
    # A process killed mid-append leaves half a line at the end.
    with spool.open("a") as f:
        f.write('{"uid":"half-a-li')
    with caplog.at_level(logging.WARNING, logger="bot.querylog"):
        log = await open_log()
    assert log.replayed == 3  # the three rows that overflowed (the fourth was queued)
    assert (log.rejected, log.dropped) == (1, 0)  # kept aside, not lost
    assert "unreadable" in caplog.text
    assert "half-a-li" in log.rejected_path.read_text()
    assert sorted(uids(db)) == sorted(r.uid for r in records)


async def test_spool_appends_after_a_torn_line_are_not_glued_to_it(db: Path) -> None:
    from bot.querylog.records import to_row
    from bot.querylog.spool import Spool

    spool = Spool(spool_path_for(db))
    db.parent.mkdir(parents=True)
    spool.path.write_text('{"uid":"torn')
    row = to_row(rec("after torn"), user_hash=None, user_id=None)
    spool.append([row])
    chunk = spool.read_chunk(spool.path, 0, 100)
    assert (len(chunk.rows), chunk.bad_lines) == (1, 1)


async def test_open_succeeds_while_the_database_is_locked_and_catches_up(db: Path) -> None:
    db.parent.mkdir(parents=True)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # a brand-new file, locked before the bot starts
    try:
        log = await QueryLog.open(db)  # does not raise: the writer keeps trying
        r = rec("locked at start")
        assert await log.record(r) is False
    finally:
        holder.rollback()
        holder.close()
    try:
        assert await log.flush(timeout=60)  # schema created, then the row written
        assert uids(db) == [r.uid]
    finally:
        await log.close()


async def test_a_row_neither_database_nor_spool_can_take_is_counted_and_logged(
    open_log: OpenLog, db: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Needs no privileges (unlike the read-only directory test): a directory where
    # the spool file should be makes every append fail.
    log = await open_log(max_pending=1)
    spool_path_for(db).mkdir()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with caplog.at_level(logging.WARNING, logger="bot.querylog"):
            records = [rec(f"nowhere {i}") for i in range(3)]
            results = await asyncio.gather(*(log.record(r) for r in records))
        assert results == [False] * 3
        assert (log.pending, log.spooled, log.dropped) == (1, 0, 2)
        assert log.drop_incidents == 1
        with caplog.at_level(logging.WARNING, logger="bot.querylog"):
            more = [rec(f"nowhere more {i}") for i in range(50)]
            await asyncio.gather(*(log.record(r) for r in more))
        # one incident, one warning: a full disk must not write a warning per row
        assert (log.dropped, log.drop_incidents) == (52, 1)
        assert caplog.text.count("DROPPED") == 1
    finally:
        holder.rollback()
        holder.close()
    assert await log.flush(timeout=60)
    assert uids(db) == [records[0].uid]
    assert "52 row(s) were dropped in that incident" in caplog.text
