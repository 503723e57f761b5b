"""The query log on PostgreSQL, through asyncpg: for several processes sharing one log.

`PgQueryLog` is `QueryLog` (the bounded queue, the waiters, the spool, the
quarantine, the delivery patches, the counters) with the database side replaced:

- one writer connection; a batch is one transaction: every queued row in one
  `INSERT ... SELECT * FROM unnest(...) ON CONFLICT (uid) DO NOTHING` (one array per
  column, one round trip whatever the batch size), the autocomplete counts and the
  delivery outcomes beside it;
- the row is committed before `record()` says True, as with SQLite;
- when the server is unreachable (refused, killed, restarting) the rows wait in
  memory and then go to the local spool file, which is replayed when the server is
  back; the row's `uid` makes a replayed row a no-op if it was already written;
- a row the server refuses whatever happens (a NUL character, a wrong type in a
  spool line) is quarantined row by row, under savepoints;
- the user-id key lives in the database (`factbot_meta`), so every process hashes a
  user the same way; it is cached in `<local>.userkey` for a start while the server
  is down;
- the reports run the same SQL as SQLite's through `PgReader`.

The local files (spool, quarantine, key cache) are named after `local_path`, the
SQLite path the process would otherwise use: one per process, in its data dir.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import re
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from bot.querylog import heartbeat, pgschema
from bot.querylog.errors import SchemaVersionError
from bot.querylog.log import (
    _UID,
    AUTOCOMPLETE_FLUSH_SECONDS,
    CLOSE_TIMEOUT_SECONDS,
    MAX_BATCH_ROWS,
    MAX_PENDING_ROWS,
    PURGE_INTERVAL_SECONDS,
    RECORD_WAIT_SECONDS,
    SPOOL_CHUNK_ROWS,
    QueryLog,
    _with_delivery,
    prepare_local,
)
from bot.querylog.privacy import KEY_BYTES, UserKey, key_path_for
from bot.querylog.readconn import ReadConnection
from bot.querylog.records import Row, format_ts
from bot.querylog.schema import ROW_COLUMNS, SCHEMA_VERSION

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_SECONDS = 5.0
# A statement that takes longer than this is treated like a lost server: back off, retry.
COMMAND_TIMEOUT_SECONDS = 10.0

# What means "the server is not there or not usable now": retried with backoff.
DB_ERRORS: tuple[type[Exception], ...] = (asyncpg.PostgresError, asyncpg.InterfaceError, OSError, TimeoutError)

# A row at fault, not the server: a value of the wrong type or one PostgreSQL text
# cannot hold; retrying never helps, so such rows are quarantined.
_ROW_ERRORS: tuple[type[BaseException], ...] = (
    asyncpg.DataError,
    asyncpg.IntegrityConstraintViolationError,
    UnicodeError,
    OverflowError,
    TypeError,
)
_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1


def is_row_error(exc: BaseException) -> bool:
    return isinstance(exc, _ROW_ERRORS)


def redact(dsn: str) -> str:
    """The URL with its password cut out: what messages may show."""
    parts = urlsplit(dsn)
    if parts.password is None:
        return dsn
    netloc = re.sub(r":[^@:]*@", ":***@", parts.netloc, count=1)
    return urlunsplit(parts._replace(netloc=netloc))


def pg_row_problem(row: Sequence[Any]) -> str | None:
    """Why PostgreSQL would refuse `row`, or None. Stricter than SQLite, which stores any
    value in any column: here an integer column takes integers only."""
    if len(row) != len(ROW_COLUMNS):
        return f"{len(row)} values for {len(ROW_COLUMNS)} columns"
    for column, value in zip(ROW_COLUMNS, row, strict=True):
        if value is None:
            continue
        if column in pgschema.INT_COLUMNS:
            if isinstance(value, bool) or not isinstance(value, int):
                return f"{column}: a {type(value).__name__} where an integer belongs"
            if not _INT_MIN <= value <= _INT_MAX:
                return f"{column}: integer out of the 64-bit range"
        elif column in pgschema.FLOAT_COLUMNS:
            if isinstance(value, bool) or not isinstance(value, int | float):
                return f"{column}: a {type(value).__name__} where a number belongs"
        elif not isinstance(value, str):
            return f"{column}: a {type(value).__name__} where text belongs"
        elif "\x00" in value:
            return f"{column}: PostgreSQL text cannot hold a NUL character"
        else:
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                return f"{column}: not valid UTF-8 text ({exc.reason})"
    return None


def _columns(rows: Sequence[Row]) -> list[list[Any]]:
    """Rows as one list per column, for the unnest() insert. Floats in a float column
    may arrive as ints (JSON writes 2.0 as 2.0, but a hand-edited spool may not)."""
    columns = [list(values) for values in zip(*rows, strict=True)] if rows else [[] for _ in ROW_COLUMNS]
    for i, column in enumerate(ROW_COLUMNS):
        if column in pgschema.FLOAT_COLUMNS:
            columns[i] = [None if v is None else float(v) for v in columns[i]]
    return columns


def _inserted(status: str) -> int:
    # "INSERT 0 12": oid, then the number of rows inserted
    try:
        return int(status.rsplit(" ", 1)[-1])
    except ValueError:
        return 0


class PgCursor:
    def __init__(self, records: list[asyncpg.Record]) -> None:
        self._records = records

    async def fetchone(self) -> tuple[Any, ...] | None:
        return tuple(self._records[0]) if self._records else None

    async def fetchall(self) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self._records]


class PgReader:
    """An asyncpg connection with the aiosqlite `execute` shape the reports use;
    `?` placeholders become `$1, $2, ...` (the report SQL has no `?` in literals)."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    @contextlib.asynccontextmanager
    async def _run(self, sql: str, parameters: Iterable[Any] | None) -> AsyncIterator[PgCursor]:
        yield PgCursor(await self._conn.fetch(pgschema.numbered(sql), *(parameters or ())))

    def execute(
        self, sql: str, parameters: Iterable[Any] | None = None
    ) -> contextlib.AbstractAsyncContextManager[PgCursor]:
        return self._run(sql, parameters)


@contextlib.asynccontextmanager
async def open_pg_reader(dsn: str) -> AsyncIterator[PgReader]:
    """A read-only connection for reports, on a database at the current schema."""
    conn = await asyncpg.connect(dsn, timeout=CONNECT_TIMEOUT_SECONDS, command_timeout=COMMAND_TIMEOUT_SECONDS)
    try:
        await conn.execute("SET default_transaction_read_only = on")
        exists = await conn.fetchval("SELECT to_regclass('factbot_meta') IS NOT NULL")
        version = await pgschema.schema_version(conn) if exists else 0
        if version != SCHEMA_VERSION:
            raise SchemaVersionError(
                f"{redact(dsn)} is at query log schema v{version}, this factbot reads "
                f"v{SCHEMA_VERSION}; start the bot once to create or migrate it, or upgrade factbot"
            )
        yield PgReader(conn)
    finally:
        await conn.close()


class PgQueryLog(QueryLog):
    """The query log on a PostgreSQL server. Create it with `await PgQueryLog.start(dsn, local_path)`."""

    DB_ERRORS = DB_ERRORS

    def __init__(self, dsn: str, local_path: Path, key: UserKey, **options: Any) -> None:
        super().__init__(local_path, key, **options)
        self.dsn = dsn
        self.where = redact(dsn)
        self._pg: asyncpg.Connection | None = None

    @classmethod
    async def start(
        cls,
        dsn: str,
        local_path: Path | str,
        *,
        raw_user_ids: bool = False,
        retention_days: int | None = 90,
        record_wait: float = RECORD_WAIT_SECONDS,
        max_pending: int = MAX_PENDING_ROWS,
        close_timeout: float = CLOSE_TIMEOUT_SECONDS,
        purge_interval: float = PURGE_INTERVAL_SECONDS,
    ) -> PgQueryLog:
        """Connect (creating or migrating the schema, replaying the local spool) and start the
        writer. A server that is down does not stop the bot: rows wait and spool until it is
        back. Raises `SchemaVersionError` for a database a newer factbot wrote."""
        local, key = await prepare_local(local_path, retention_days, max_pending, record_wait, close_timeout)
        qlog = cls(
            dsn,
            local,
            key,
            raw_user_ids=raw_user_ids,
            retention_days=retention_days,
            record_wait=record_wait,
            max_pending=max_pending,
            close_timeout=close_timeout,
            purge_interval=purge_interval,
        )
        try:
            await qlog._step()
        except SchemaVersionError:
            await qlog._disconnect()
            raise
        except DB_ERRORS as exc:
            await qlog._on_write_error(exc)
        qlog._writer = asyncio.create_task(qlog._run(), name="querylog-writer:postgresql")
        qlog._writer.add_done_callback(qlog._writer_done)
        return qlog

    def _connected(self) -> bool:
        return self._pg is not None

    @property
    def available(self) -> bool:
        return self._pg is not None and self._down_since is None

    # ------------------------------------------------------------------ database

    async def _connect(self) -> None:
        conn = await asyncpg.connect(self.dsn, timeout=CONNECT_TIMEOUT_SECONDS, command_timeout=COMMAND_TIMEOUT_SECONDS)
        try:
            # Durability as SQLite's: a commit returns once the server has it in its WAL.
            found = await pgschema.migrate(conn)
            await self._adopt_shared_key(conn)
        except BaseException:
            with contextlib.suppress(*DB_ERRORS):
                await conn.close(timeout=1)
            raise
        if found < SCHEMA_VERSION:
            log.info("query log: %s set up at schema v%d (found v%d)", self.where, SCHEMA_VERSION, found)
        self._pg = conn

    async def _adopt_shared_key(self, conn: asyncpg.Connection) -> None:
        """Every process hashes user ids with the database's key; the first to connect
        puts its own there. The local file caches it for a start without the server."""
        mine = self._key.secret.hex()
        await conn.execute(
            "INSERT INTO factbot_meta (name, value) VALUES ('user_key', $1) ON CONFLICT (name) DO NOTHING", mine
        )
        shared = await conn.fetchval("SELECT value FROM factbot_meta WHERE name = 'user_key'")
        if shared == mine:
            return
        secret = bytes.fromhex(shared)
        if len(secret) != KEY_BYTES:
            raise SchemaVersionError(f"{self.where}: factbot_meta.user_key is not a factbot user-id key")
        if self._committed_rows or self._queue:
            log.warning(
                "query log: this process started without the server and hashed user ids with its own key; "
                "rows from now on use the shared key of %s",
                self.where,
            )
        self._key = UserKey(secret)
        self._user_hashes.clear()
        await asyncio.to_thread(_write_key, key_path_for(self.path), shared)

    async def _disconnect(self) -> None:
        conn, self._pg = self._pg, None
        if conn is not None:
            with contextlib.suppress(*DB_ERRORS):
                await conn.close(timeout=1)

    def _require_pg(self) -> asyncpg.Connection:
        if self._pg is None or self._pg.is_closed():
            self._pg = None
            raise asyncpg.InterfaceError("query log connection is not open")
        return self._pg

    async def _step(self) -> None:
        """One round of work (as `QueryLog._step`); raises one of `DB_ERRORS` when the
        server is unreachable or refuses it."""
        if self._pg is None:
            await self._connect()
        if self._queue or self._deliveries or self._autocomplete_is_due():
            await self._commit_batch()
        await self._write_beats()
        if self._purge_is_due():
            await self._purge()
        if self._spool_waiting and not self._closing:
            await self._replay_spool()
        if self._down_since is not None:
            log.info("query log: writing to %s again after %.1f s", self.where, time.monotonic() - self._down_since)
            self._down_since = None

    async def _on_write_error(self, exc: Exception) -> None:
        if self._down_since is None:
            self._down_since = time.monotonic()
            log.warning(
                "query log: cannot write to %s (%s: %s); %d row(s) wait in memory (at most %d, "
                "then in %s) and are written when it is back",
                self.where,
                type(exc).__name__,
                exc,
                len(self._queue),
                self._max_pending,
                self._spool.path,
            )
        # A connection that failed is not trusted again: the next try reconnects.
        await self._disconnect()

    async def _commit_batch(self) -> None:
        conn = self._require_pg()
        batch = list(itertools.islice(self._queue, MAX_BATCH_ROWS))
        counts, self._autocomplete = self._autocomplete, Counter()
        self._autocomplete_due = None
        deliveries, self._deliveries = self._deliveries, {}
        if deliveries and batch:
            batch = [(_with_delivery(row, deliveries.pop(row[_UID], None)), waiter) for row, waiter in batch]
        updates = [(int(ok), error, uid) for uid, (ok, error) in deliveries.items()]
        rows = [row for row, _ in batch]
        try:
            if any(pg_row_problem(row) is not None for row in rows):
                await self._insert_or_quarantine_pg(conn, rows, counts, updates)
            else:
                try:
                    async with conn.transaction():
                        if rows:
                            await conn.execute(pgschema.INSERT_SQL, *_columns(rows))
                        if counts:
                            await conn.executemany(pgschema.AUTOCOMPLETE_SQL, list(counts.items()))
                        if updates:
                            await conn.executemany(pgschema.DELIVERY_SQL, updates)
                except BaseException as exc:
                    if not is_row_error(exc):
                        raise
                    # a fault the checks did not foresee: find the row one by one
                    await self._insert_or_quarantine_pg(conn, rows, counts, updates)
        except BaseException:
            # Not written: counts and deliveries go back for the next try.
            self._deliveries = {**{uid: (bool(ok), err) for ok, err, uid in updates}, **self._deliveries}
            self._autocomplete.update(counts)
            if self._autocomplete:
                self._autocomplete_due = time.monotonic() + AUTOCOMPLETE_FLUSH_SECONDS
            raise
        self._batch_written(batch)

    async def _insert_or_quarantine_pg(
        self,
        conn: asyncpg.Connection,
        rows: list[Row],
        counts: Counter[str],
        updates: list[tuple[int, str | None, str]],
    ) -> int:
        """One transaction, each row under its own savepoint; rows the server refuses are
        quarantined. Returns how many rows were inserted."""
        inserted = 0
        rejected: list[tuple[Row, str]] = []
        async with conn.transaction():
            for row in rows:
                problem = pg_row_problem(row)
                if problem is None:
                    try:
                        async with conn.transaction():
                            inserted += _inserted(await conn.execute(pgschema.INSERT_ONE_SQL, *row))
                    except BaseException as exc:
                        if not is_row_error(exc):
                            raise
                        problem = f"{type(exc).__name__}: {exc}"
                if problem is not None:
                    rejected.append((row, problem))
            if counts:
                await conn.executemany(pgschema.AUTOCOMPLETE_SQL, list(counts.items()))
            if updates:
                await conn.executemany(pgschema.DELIVERY_SQL, updates)
        await self._reject_rows(rejected)
        return inserted

    async def _purge(self) -> None:
        assert self._retention_days is not None
        conn = self._require_pg()
        cutoff = format_ts(datetime.now(UTC) - timedelta(days=self._retention_days))
        async with conn.transaction():
            purged = _inserted(await conn.execute("DELETE FROM queries WHERE ts < $1", cutoff))
            await conn.execute("DELETE FROM autocomplete WHERE day < $1", cutoff[:10])
        self._next_purge = time.monotonic() + self._purge_interval
        if purged > 0:
            log.info("query log: purged %d row(s) older than %d days", purged, self._retention_days)

    async def _replay_spool(self) -> None:
        conn = self._require_pg()
        try:
            while (path := await asyncio.to_thread(self._spool.claim)) is not None:
                offset, inserted, bad = 0, 0, 0
                while True:
                    chunk = await asyncio.to_thread(self._spool.read_chunk, path, offset, SPOOL_CHUNK_ROWS)
                    if chunk.rows:
                        rows = list(chunk.rows)
                        if any(pg_row_problem(row) is not None for row in rows):
                            inserted += await self._insert_or_quarantine_pg(conn, rows, Counter(), [])
                        else:
                            try:
                                async with conn.transaction():
                                    inserted += _inserted(await conn.execute(pgschema.INSERT_SQL, *_columns(rows)))
                            except BaseException as exc:
                                if not is_row_error(exc):
                                    raise
                                inserted += await self._insert_or_quarantine_pg(conn, rows, Counter(), [])
                    await self._reject_lines(chunk.rejected, path)
                    bad += chunk.bad_lines
                    offset = chunk.next_offset
                    if chunk.done:
                        break
                await asyncio.to_thread(self._spool.finish, path)
                self._replayed += inserted
                log.info("query log: replayed %d row(s) from %s (%d line(s) quarantined)", inserted, path, bad)
        except OSError as exc:
            if isinstance(exc, ConnectionError | TimeoutError):
                raise  # the server, not the spool file: the writer backs off and retries
            log.warning("query log: cannot replay the spool %s (%s); will try at next start", self._spool.path, exc)
        self._spool_waiting = False

    async def _store_beats(self, rows: list[heartbeat.Row]) -> None:
        conn = self._require_pg()
        async with conn.transaction():
            await conn.execute(pgschema.HEARTBEAT_FORGET_SQL, heartbeat.forget_before())
            await conn.executemany(pgschema.HEARTBEAT_UPSERT_SQL, rows)

    # ------------------------------------------------------------------- read API

    def _reader(self) -> contextlib.AbstractAsyncContextManager[ReadConnection]:
        # the reports (stats, shards, CSV) are QueryLog's, read through this connection
        return open_pg_reader(self.dsn)


def _write_key(path: Path, hex_key: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(hex_key + "\n")
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)
