"""Schema versioning: a v1 file (made with the v1 DDL) is migrated forward at start-up."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.querylog import SCHEMA_VERSION, QueryLog, SchemaVersionError
from bot.querylog.privacy import key_path_for, load_or_create_key
from bot.querylog.records import format_ts
from bot.querylog.schema import V1_DDL
from tests.querylog.conftest import OpenLog
from tests.querylog.helpers import rec, rows, scalar

# Recent, so that the retention purge at start-up keeps them.
YESTERDAY = format_ts(datetime.now(UTC) - timedelta(days=1))
V1_ROWS = [
    # ts, surface, guild, channel, user, query, place, metric, period, status, fact, score
    (
        YESTERDAY,
        "prefix",
        10,
        20,
        123456789012345678,
        "GDP  of Kashgar",
        "Kashgar",
        "gdp",
        "2023",
        "answered",
        "f-1",
        0.9,
    ),
    (YESTERDAY, "slash", None, None, None, "rainfall in lhasa", None, None, None, "not_found", None, None),
]


def make_v1_file(db: Path) -> None:
    db.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(db)
    conn.executescript(V1_DDL)
    conn.executemany(
        "INSERT INTO queries (ts, surface, guild_id, channel_id, user_id, query, place, metric,"
        " period, status, fact_id, score) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        V1_ROWS,
    )
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()


async def test_a_v1_file_is_migrated_and_raw_user_ids_become_hashes(open_log: OpenLog, db: Path) -> None:
    make_v1_file(db)
    log = await open_log()

    assert scalar(db, "PRAGMA user_version") == SCHEMA_VERSION == 5
    migrated = rows(db)
    assert len(migrated) == 2
    first, second = migrated
    key = load_or_create_key(key_path_for(db))
    assert first["user_hash"] == key.hash(123456789012345678)
    assert first["user_id"] is None  # the raw id is gone from the file
    assert "123456789012345678" not in repr([tuple(r) for r in migrated])
    assert (first["uid"], second["uid"]) == ("v1-1", "v1-2")
    assert first["query_norm"] == "gdp of kashgar"
    assert (first["latency_ms"], first["error"]) == (None, None)
    assert (first["ts"], first["status"], first["fact_id"], first["score"]) == (YESTERDAY, "answered", "f-1", 0.9)
    assert second["user_hash"] is None
    # And the migrated file takes new rows.
    assert await log.record(rec("after migration", latency_ms=3.0, error="boom", status="error"))
    assert rows(db)[-1]["error"] == "boom"
    assert scalar(db, "SELECT count(*) FROM autocomplete") == 0
    assert scalar(db, "SELECT count(*) FROM shard_heartbeats") == 0  # v5's table is there


async def test_a_v1_file_keeps_raw_user_ids_when_configured(open_log: OpenLog, db: Path) -> None:
    make_v1_file(db)
    await open_log(raw_user_ids=True)
    assert rows(db)[0]["user_id"] == 123456789012345678


async def test_a_fresh_file_is_created_at_the_current_version(open_log: OpenLog, db: Path) -> None:
    await open_log()
    assert scalar(db, "PRAGMA user_version") == SCHEMA_VERSION
    indexes = {
        r[0]
        for r in sqlite3.connect(db).execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'queries_%'"
        )
    }
    assert indexes == {"queries_ts", "queries_status_ts", "queries_fact_ts"}


async def test_a_file_from_a_newer_factbot_is_refused(db: Path) -> None:
    db.parent.mkdir(parents=True)
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(SchemaVersionError, match="upgrade factbot"):
        await QueryLog.open(db)
