"""A read-only connection for reports: separate from the writer, so a report never
waits behind a batch (WAL lets readers and the writer work at the same time)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import aiosqlite

from bot.querylog.errors import LogMissingError, SchemaVersionError
from bot.querylog.schema import SCHEMA_VERSION, user_version

# Readers are not blocked by the writer in WAL mode; this covers a checkpoint
# or a migration running in another process.
READ_TIMEOUT_SECONDS = 5.0


@contextlib.asynccontextmanager
async def open_reader(path: Path) -> AsyncIterator[aiosqlite.Connection]:
    """A connection that cannot write, on a database at the current schema version."""
    if not path.is_file():
        # sqlite3.connect would create an empty file here; a report must not.
        raise LogMissingError(
            f"no query log at {path}; it is created when the bot first runs (FACTBOT_DB sets its location)"
        )
    conn = await aiosqlite.connect(path, timeout=READ_TIMEOUT_SECONDS)
    try:
        await conn.execute("PRAGMA query_only = ON")
        version = await user_version(conn)
        if version != SCHEMA_VERSION:
            raise SchemaVersionError(
                f"{path} is at query log schema v{version}, this factbot reads "
                f"v{SCHEMA_VERSION}; start the bot once to migrate it, or upgrade factbot"
            )
        yield conn
    finally:
        await conn.close()
