"""The SQLite schema and its forward migrations, versioned by `PRAGMA user_version`.

History
- v1 (the first release): `queries` with an integer id, the raw Discord user id,
  no latency, no error text and no autocomplete counters.
- v2: every row has a `uid` (a UUID) so that a retried batch or a replayed spool
  line is inserted once (`INSERT OR IGNORE`); the user is stored as a keyed hash
  (`user_hash`) and the raw id only when the operator asked for it; `query_norm`
  groups the same question typed differently; `latency_ms` and `error` columns;
  an `autocomplete` table of per-day keystroke counts; indexes for the reports.
- v3: `delivered`: whether the reply reached the user (1), failed to (0, with the
  send error in `error`), or is not known (NULL: the process stopped before it knew,
  or the row predates v3).
- v4: `server_settings`: per-server settings changed through `/settings` (prefix,
  the channels the bot answers in, replies visible only to the asker by default).
  Not query rows, but the bot's one database is where they belong.
- v5: `shard_heartbeats`: one row per shard, written by the process that holds it
  (its servers, gateway latency, when it was last seen), so `!stats` and
  `factbot stats` show every process's shards (see `heartbeat.py`).

Each migration runs in one transaction together with its `user_version` bump, so
a crash leaves the file at the old version or the new one, never between.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import aiosqlite

from bot.querylog.errors import SchemaVersionError

# Kept verbatim: the tests build a v1 file from it to prove the v1 -> v2 path.
V1_DDL = """
CREATE TABLE queries (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    ts          TEXT    NOT NULL,
    surface     TEXT    NOT NULL,
    guild_id    INTEGER,
    channel_id  INTEGER,
    user_id     INTEGER,
    query       TEXT    NOT NULL,
    place       TEXT,
    metric      TEXT,
    period      TEXT,
    status      TEXT    NOT NULL,
    fact_id     TEXT,
    score       REAL
);
CREATE INDEX queries_ts ON queries (ts);
"""

V2_QUERIES_DDL = """
CREATE TABLE queries_v2 (
    id          INTEGER PRIMARY KEY,
    uid         TEXT    NOT NULL UNIQUE,
    ts          TEXT    NOT NULL,
    surface     TEXT    NOT NULL,
    guild_id    INTEGER,
    channel_id  INTEGER,
    user_hash   TEXT,
    user_id     INTEGER,
    query       TEXT    NOT NULL,
    query_norm  TEXT    NOT NULL,
    place       TEXT,
    metric      TEXT,
    period      TEXT,
    status      TEXT    NOT NULL,
    fact_id     TEXT,
    score       REAL,
    latency_ms  REAL,
    error       TEXT
)
"""

# v1 rows get a deterministic uid so that running the copy twice could not
# duplicate them, and their raw user id goes through the same keyed hash as new
# rows (or is kept when raw ids are configured).
V2_COPY_V1 = """
INSERT INTO queries_v2 (uid, ts, surface, guild_id, channel_id, user_hash, user_id, query,
                        query_norm, place, metric, period, status, fact_id, score)
SELECT 'v1-' || id, ts, surface, guild_id, channel_id, factbot_user_hash(user_id),
       CASE WHEN factbot_keep_raw() THEN user_id END, query, factbot_norm(query),
       place, metric, period, status, fact_id, score
FROM queries
"""

V2_AFTER_COPY = (
    "DROP TABLE queries",
    "ALTER TABLE queries_v2 RENAME TO queries",
    # Every report filters on a time window first.
    "CREATE INDEX queries_ts ON queries (ts)",
    # Share of statuses and "top unanswered" read one status over the window.
    "CREATE INDEX queries_status_ts ON queries (status, ts)",
    "CREATE INDEX queries_fact_ts ON queries (fact_id, ts) WHERE fact_id IS NOT NULL",
    "CREATE TABLE autocomplete (day TEXT PRIMARY KEY, count INTEGER NOT NULL) WITHOUT ROWID",
)

SCHEMA_VERSION = 5

# The columns `INSERT_SQL` fills, in the order of `records.to_row`.
ROW_COLUMNS: tuple[str, ...] = (
    "uid",
    "ts",
    "surface",
    "guild_id",
    "channel_id",
    "user_hash",
    "user_id",
    "query",
    "query_norm",
    "place",
    "metric",
    "period",
    "status",
    "fact_id",
    "score",
    "latency_ms",
    "error",
    "delivered",
)
REQUIRED_COLUMNS: frozenset[str] = frozenset({"uid", "ts", "surface", "query", "query_norm", "status"})

INSERT_SQL = f"INSERT OR IGNORE INTO queries ({', '.join(ROW_COLUMNS)}) VALUES ({', '.join('?' for _ in ROW_COLUMNS)})"
# Small batches go in as one multi-row INSERT: a single statement is its own
# transaction in autocommit mode, so the commit costs one trip to the writer thread
# instead of three (BEGIN, executemany, COMMIT). SQLite allows 32,766 parameters.
SINGLE_STATEMENT_ROWS = 256


def insert_rows_sql(n: int) -> str:
    """One INSERT statement for `n` rows."""
    one = f"({', '.join('?' for _ in ROW_COLUMNS)})"
    return f"INSERT OR IGNORE INTO queries ({', '.join(ROW_COLUMNS)}) VALUES {', '.join([one] * n)}"


AUTOCOMPLETE_SQL = (
    "INSERT INTO autocomplete (day, count) VALUES (?, ?) ON CONFLICT (day) DO UPDATE SET count = count + excluded.count"
)


@dataclass(frozen=True)
class MigrationContext:
    """What a migration may need from the running log: how user ids are stored."""

    hash_user: Callable[[int | None], str | None]
    normalize: Callable[[str], str]
    keep_raw_user_ids: bool


Migration = Callable[[aiosqlite.Connection, MigrationContext], Awaitable[None]]


async def _to_v1(conn: aiosqlite.Connection, ctx: MigrationContext) -> None:
    for statement in V1_DDL.split(";"):
        if statement.strip():
            await conn.execute(statement)


async def _to_v2(conn: aiosqlite.Connection, ctx: MigrationContext) -> None:
    await conn.create_function("factbot_user_hash", 1, ctx.hash_user, deterministic=True)
    await conn.create_function("factbot_norm", 1, ctx.normalize, deterministic=True)
    await conn.create_function("factbot_keep_raw", 0, lambda: ctx.keep_raw_user_ids)
    await conn.execute(V2_QUERIES_DDL)
    await conn.execute(V2_COPY_V1)
    for statement in V2_AFTER_COPY:
        await conn.execute(statement)


async def _to_v3(conn: aiosqlite.Connection, ctx: MigrationContext) -> None:
    await conn.execute("ALTER TABLE queries ADD COLUMN delivered INTEGER")


SERVER_SETTINGS_DDL = """
CREATE TABLE server_settings (
    guild_id    INTEGER PRIMARY KEY,
    prefix      TEXT,
    channels    TEXT    NOT NULL DEFAULT '',
    ephemeral   INTEGER NOT NULL DEFAULT 0,
    updated_at  TEXT    NOT NULL
)
"""


async def _to_v4(conn: aiosqlite.Connection, ctx: MigrationContext) -> None:
    await conn.execute(SERVER_SETTINGS_DDL)


# WITHOUT ROWID: a handful of rows looked up and rewritten by their shard id.
SHARD_HEARTBEATS_DDL = """
CREATE TABLE shard_heartbeats (
    shard_id    INTEGER PRIMARY KEY,
    shard_count INTEGER NOT NULL,
    process     TEXT    NOT NULL,
    guilds      INTEGER NOT NULL,
    latency_ms  REAL,
    interval_s  REAL    NOT NULL,
    seen_at     TEXT    NOT NULL
) WITHOUT ROWID
"""


async def _to_v5(conn: aiosqlite.Connection, ctx: MigrationContext) -> None:
    await conn.execute(SHARD_HEARTBEATS_DDL)


# Marks a row's reply delivered or not, after the row itself was written.
DELIVERY_SQL = (
    "UPDATE queries SET delivered = ?, "
    "error = CASE WHEN ? IS NULL THEN error ELSE coalesce(error || '; ', '') || ? END WHERE uid = ?"
)

# MIGRATIONS[n] takes a database from version n to n + 1.
MIGRATIONS: tuple[Migration, ...] = (_to_v1, _to_v2, _to_v3, _to_v4, _to_v5)
assert len(MIGRATIONS) == SCHEMA_VERSION


async def user_version(conn: aiosqlite.Connection) -> int:
    async with conn.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row is not None else 0


async def migrate(conn: aiosqlite.Connection, ctx: MigrationContext) -> int:
    """Bring the database to `SCHEMA_VERSION`; returns the version it was found at.

    `conn` must be in autocommit mode (isolation_level=None): each step opens its own
    `BEGIN IMMEDIATE` so that two processes starting together cannot both migrate.
    """
    found = await user_version(conn)
    if found > SCHEMA_VERSION:
        raise SchemaVersionError(
            f"the query log is at schema v{found} but this factbot knows up to "
            f"v{SCHEMA_VERSION}; upgrade factbot or point FACTBOT_DB at another file"
        )
    version = found
    while version < SCHEMA_VERSION:
        await conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-read under the write lock: another process may have migrated meanwhile.
            version = await user_version(conn)
            if version < SCHEMA_VERSION:
                await MIGRATIONS[version](conn, ctx)
                version += 1
                await conn.execute(f"PRAGMA user_version = {version}")
            await conn.execute("COMMIT")
        except BaseException:
            await conn.rollback()
            raise
    return found
