"""User ids are hashed by default; the key is made once; old rows are purged."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import stat
from datetime import UTC, datetime, timedelta

from bot.querylog.privacy import HASH_HEX_CHARS, key_path_for
from tests.querylog.backends import Backend
from tests.querylog.helpers import rec

USER = 987654321098765432


async def test_user_ids_are_stored_as_a_keyed_hash_by_default(ql: Backend) -> None:
    log = await ql.open()
    assert await log.record(rec(user_id=USER))
    (row,) = ql.rows()
    secret = bytes.fromhex(key_path_for(ql.local).read_text().strip())
    expected = hmac.new(secret, str(USER).encode(), hashlib.sha256).hexdigest()[:HASH_HEX_CHARS]
    assert row["user_hash"] == expected
    assert row["user_id"] is None
    assert USER not in tuple(row) and str(USER) not in tuple(row)


async def test_raw_user_ids_are_stored_when_asked(ql: Backend) -> None:
    log = await ql.open(raw_user_ids=True)
    assert await log.record(rec(user_id=USER))
    assert ql.rows()[0]["user_id"] == USER


async def test_the_key_is_created_once_private_and_reused(ql: Backend) -> None:
    first = await ql.open()
    key_file = key_path_for(ql.local)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    content, inode = key_file.read_bytes(), key_file.stat().st_ino
    assert await first.record(rec(user_id=USER))
    await first.close()

    second = await ql.open()
    assert await second.record(rec(user_id=USER))
    assert (key_file.read_bytes(), key_file.stat().st_ino) == (content, inode)
    first_hash, second_hash = (r["user_hash"] for r in ql.rows())
    assert first_hash == second_hash  # the same user is the same user across restarts


async def test_rows_older_than_retention_are_purged_at_start_up(ql: Backend) -> None:
    now = datetime.now(UTC)
    old = rec("old", time=now - timedelta(days=91))
    recent = rec("recent", time=now - timedelta(days=89))
    first = await ql.open(retention_days=90)
    assert await first.record(old)
    assert await first.record(recent)
    await first.close()
    assert len(ql.rows()) == 2  # purging runs at start-up and daily, not per row

    await ql.open(retention_days=90)
    assert ql.uids() == [recent.uid]


async def test_rows_are_purged_periodically_while_running(ql: Backend) -> None:
    log = await ql.open(retention_days=30, purge_interval=0.05)
    old = rec("old", time=datetime.now(UTC) - timedelta(days=31))
    assert await log.record(old)
    while ql.uids():  # the periodic purge removes it (pytest-timeout guards the loop)
        await asyncio.sleep(0.05)


async def test_no_retention_keeps_everything(ql: Backend) -> None:
    ancient = rec("ancient", time=datetime(2001, 1, 1, tzinfo=UTC))
    first = await ql.open(retention_days=None)
    assert await first.record(ancient)
    await first.close()
    await ql.open(retention_days=None)
    assert ql.uids() == [ancient.uid]
