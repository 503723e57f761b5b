"""The PostgreSQL schema of the query log, versioned in `factbot_meta`.

It starts at the shape of SQLite schema v3 (see `schema.py`) with the same columns
in the same order, so a row, a spool line and every report are the same on both
back ends. Times stay fixed-width UTC text, as in SQLite: text order is time order,
the reports' `substr(ts, 1, 10)` is the day, and one report SQL serves both.
Text columns use the "C" collation so that ties in the reports are broken in code
point order whatever the server's default locale is, as SQLite does.

Migrations run under a transaction-scoped advisory lock, so two processes starting
together cannot both migrate; each bumps `schema_version` in the same transaction.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Awaitable, Callable

import asyncpg

from bot.querylog import heartbeat
from bot.querylog.errors import SchemaVersionError
from bot.querylog.schema import ROW_COLUMNS, SCHEMA_VERSION

# One advisory lock key for "the query log's schema" (any constant; this one spells 'fbql').
MIGRATION_LOCK = 0x6662716C

META_DDL = "CREATE TABLE IF NOT EXISTS factbot_meta (name text PRIMARY KEY, value text NOT NULL)"

V3_DDL = (
    """
    CREATE TABLE queries (
        id          bigserial PRIMARY KEY,
        uid         text COLLATE "C" NOT NULL UNIQUE,
        ts          text COLLATE "C" NOT NULL,
        surface     text COLLATE "C" NOT NULL,
        guild_id    bigint,
        channel_id  bigint,
        user_hash   text COLLATE "C",
        user_id     bigint,
        query       text COLLATE "C" NOT NULL,
        query_norm  text COLLATE "C" NOT NULL,
        place       text COLLATE "C",
        metric      text COLLATE "C",
        period      text COLLATE "C",
        status      text COLLATE "C" NOT NULL,
        fact_id     text COLLATE "C",
        score       double precision,
        latency_ms  double precision,
        error       text COLLATE "C",
        delivered   integer
    )
    """,
    "CREATE INDEX queries_ts ON queries (ts)",
    "CREATE INDEX queries_status_ts ON queries (status, ts)",
    "CREATE INDEX queries_fact_ts ON queries (fact_id, ts) WHERE fact_id IS NOT NULL",
    'CREATE TABLE autocomplete (day text COLLATE "C" PRIMARY KEY, count bigint NOT NULL)',
)

# The PostgreSQL type of each column of `ROW_COLUMNS`, for the unnest() insert.
COLUMN_TYPES: dict[str, str] = {
    "guild_id": "bigint",
    "channel_id": "bigint",
    "user_id": "bigint",
    "score": "float8",
    "latency_ms": "float8",
    "delivered": "int4",
}
INT_COLUMNS = frozenset(c for c, t in COLUMN_TYPES.items() if t in ("bigint", "int4"))
FLOAT_COLUMNS = frozenset(c for c, t in COLUMN_TYPES.items() if t == "float8")

# Rows go in as one statement whatever their number: one array per column, unnest()
# turns them back into rows, and ON CONFLICT makes a retried or replayed row a no-op.
# The status line ("INSERT 0 n") says how many were new.
INSERT_SQL = (
    f"INSERT INTO queries ({', '.join(ROW_COLUMNS)}) "
    "SELECT * FROM unnest("
    + ", ".join(f"${i}::{COLUMN_TYPES.get(c, 'text')}[]" for i, c in enumerate(ROW_COLUMNS, 1))
    + ") ON CONFLICT (uid) DO NOTHING"
)
INSERT_ONE_SQL = (
    f"INSERT INTO queries ({', '.join(ROW_COLUMNS)}) VALUES ("
    + ", ".join(f"${i}::{COLUMN_TYPES.get(c, 'text')}" for i, c in enumerate(ROW_COLUMNS, 1))
    + ") ON CONFLICT (uid) DO NOTHING"
)
AUTOCOMPLETE_SQL = (
    "INSERT INTO autocomplete (day, count) VALUES ($1, $2) "
    "ON CONFLICT (day) DO UPDATE SET count = autocomplete.count + excluded.count"
)
DELIVERY_SQL = (
    "UPDATE queries SET delivered = $1, "
    "error = CASE WHEN $2::text IS NULL THEN error ELSE coalesce(error || '; ', '') || $2::text END "
    "WHERE uid = $3"
)

Migration = Callable[[asyncpg.Connection], Awaitable[None]]


def numbered(sql: str) -> str:
    """SQL written with SQLite's `?` placeholders, with PostgreSQL's `$1, $2, ...` instead
    (for SQL shared by both back ends, which has no `?` inside a literal)."""
    counter = itertools.count(1)
    return re.sub(r"\?", lambda _: f"${next(counter)}", sql)


async def _to_v3(conn: asyncpg.Connection) -> None:
    for statement in V3_DDL:
        await conn.execute(statement)


# v4 as in SQLite: per-server settings (`/settings`). The bot keeps them in its local
# SQLite file today; the table is here so both back ends stand at one schema version.
V4_DDL = """
CREATE TABLE IF NOT EXISTS server_settings (
    guild_id    BIGINT  PRIMARY KEY,
    prefix      TEXT,
    channels    TEXT    NOT NULL DEFAULT '',
    ephemeral   INTEGER NOT NULL DEFAULT 0,
    updated_at  TEXT    NOT NULL
)
"""


async def _to_v4(conn: asyncpg.Connection) -> None:
    await conn.execute(V4_DDL)


# v5 as in SQLite: one heartbeat row per shard, from whichever process holds it (heartbeat.py).
V5_DDL = """
CREATE TABLE IF NOT EXISTS shard_heartbeats (
    shard_id    integer PRIMARY KEY,
    shard_count integer NOT NULL,
    process     text COLLATE "C" NOT NULL,
    guilds      integer NOT NULL,
    latency_ms  double precision,
    interval_s  double precision NOT NULL,
    seen_at     text COLLATE "C" NOT NULL
)
"""
# The heartbeat SQL is shared; only the placeholders differ.
HEARTBEAT_UPSERT_SQL = numbered(heartbeat.UPSERT_SQL)
HEARTBEAT_FORGET_SQL = numbered(heartbeat.FORGET_SQL)


async def _to_v5(conn: asyncpg.Connection) -> None:
    await conn.execute(V5_DDL)


# MIGRATIONS[v] takes the database from version v to the next; the first starts an
# empty database at v3 (there never was a PostgreSQL v1 or v2).
MIGRATIONS: dict[int, tuple[int, Migration]] = {0: (3, _to_v3), 3: (4, _to_v4), 4: (5, _to_v5)}


async def schema_version(conn: asyncpg.Connection) -> int:
    value = await conn.fetchval("SELECT value FROM factbot_meta WHERE name = 'schema_version'")
    return int(value) if value is not None else 0


async def migrate(conn: asyncpg.Connection) -> int:
    """Bring the database to `SCHEMA_VERSION`; returns the version it was found at."""
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)
        await conn.execute(META_DDL)
        found = version = await schema_version(conn)
        if found > SCHEMA_VERSION:
            raise SchemaVersionError(
                f"the query log is at schema v{found} but this factbot knows up to "
                f"v{SCHEMA_VERSION}; upgrade factbot or point FACTBOT_DATABASE_URL at another database"
            )
        while version < SCHEMA_VERSION:
            version, step = MIGRATIONS[version]
            await step(conn)
        if version != found:
            await conn.execute(
                "INSERT INTO factbot_meta (name, value) VALUES ('schema_version', $1) "
                "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                str(version),
            )
    return found
