"""`QueryLog`: the queue in front of SQLite and the single task that writes it.

How a row travels: `record()` turns the `QueryRecord` into a row, appends it to an
in-memory queue, wakes the writer task and waits, at most `record_wait` seconds,
for the commit. The writer takes everything queued at that moment (up to
`MAX_BATCH_ROWS`) and writes it with one `executemany` and one `COMMIT` through
aiosqlite, whose own thread does the blocking SQLite work; the event loop never
waits on SQLite. Rows that arrive while a batch is being written form the next
batch, so a burst of N queries costs a handful of commits, not N (group commit).

When the database cannot be written (another process holds the write lock, the
file is read-only, the disk is full), the batch stays at the head of the queue
and the writer retries with exponential backoff; `record()` gives up waiting
after `record_wait` and returns False so the reply is not held back. The queue
is bounded by `max_pending`; a row that finds it full goes to the spool file
(see `spool.py`), and so does whatever is still queued when `close()` runs out
of time. A row that cannot be spooled either is counted in `dropped` and logged
as a warning, once per incident (a full disk must not write a warning per row):
nothing disappears silently.

A row the database refuses whatever happens (text SQLite cannot encode, an integer
beyond 64 bits, a wrong type in a spool line) is quarantined in `<db>.rejected.jsonl`
(see `quarantine.py`), counted in `rejected` and warned about, rather than retried
forever in front of the good rows.

The writer also keeps this process's shard heartbeats (`report_shards`, see
`heartbeat.py`): the newest report is written in the next round, never spooled.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import sqlite3
import time
from collections import Counter, deque
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType

import aiosqlite

from bot.querylog.errors import QueryLogError, SchemaVersionError
from bot.querylog.export import to_csv, window_rows, write_csv
from bot.querylog.heartbeat import FORGET_SQL, UPSERT_SQL, Fleet, ShardBeat, forget_before, read_fleet
from bot.querylog.heartbeat import Row as BeatRow
from bot.querylog.privacy import UserKey, key_path_for, load_or_create_key
from bot.querylog.quarantine import Quarantine, is_row_error, rejected_path_for, row_problem
from bot.querylog.readconn import ReadConnection
from bot.querylog.reader import open_reader
from bot.querylog.records import ERROR_MAX_CHARS, QueryRecord, Row, format_ts, normalize_query, to_row
from bot.querylog.schema import (
    AUTOCOMPLETE_SQL,
    DELIVERY_SQL,
    INSERT_SQL,
    ROW_COLUMNS,
    SCHEMA_VERSION,
    SINGLE_STATEMENT_ROWS,
    MigrationContext,
    insert_rows_sql,
    migrate,
)
from bot.querylog.spool import Spool, spool_path_for
from bot.querylog.stats import Stats, compute_stats

log = logging.getLogger(__name__)

# How long `record()` waits for its commit before it lets the reply go on.
# Discord wants an interaction answered (or deferred) within 3 s; half a second
# of logging is the most we are willing to add to a reply on a bad day.
RECORD_WAIT_SECONDS = 0.5
# Rows held in memory while the database is unavailable (a few MB at most);
# beyond this they go to the spool file.
MAX_PENDING_ROWS = 10_000
# Rows per transaction: big enough for any burst, small enough that one commit
# does not hold the write lock for long.
MAX_BATCH_ROWS = 10_000
# How long `close()` keeps trying to write queued rows before spooling them.
CLOSE_TIMEOUT_SECONDS = 5.0
# SQLite's own wait for a lock held by another process, per attempt. Short,
# because the writer retries on its own schedule and meanwhile collects rows.
BUSY_TIMEOUT_SECONDS = 0.2
BACKOFF_MIN_SECONDS = 0.05
BACKOFF_MAX_SECONDS = 2.0
# Autocomplete counts are flushed with the next batch, or after this long.
AUTOCOMPLETE_FLUSH_SECONDS = 10.0
PURGE_INTERVAL_SECONDS = 86_400.0
SPOOL_CHUNK_ROWS = 5_000
# Recent users' hashes are kept: the same people ask most of the questions.
USER_HASH_CACHE = 10_000

# Lock contention is temporary and the connection stays good; any other error
# (read-only file, I/O error, disk full) gets a fresh connection on the next try,
# because a connection opened on a read-only file stays read-only forever.
_BUSY_CODES = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})
_NOT_A_DATABASE_CODES = frozenset({sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT})

_Pending = tuple[Row, asyncio.Future[bool]]
# (delivered, error) of a reply, waiting to be written to its row
_Delivery = tuple[bool, str | None]
_UID, _ERROR, _DELIVERED = (ROW_COLUMNS.index(c) for c in ("uid", "error", "delivered"))


def _give_up(waiter: asyncio.Future[bool]) -> None:
    if not waiter.done():
        waiter.set_result(False)


def _with_delivery(row: Row, delivery: _Delivery | None) -> Row:
    if delivery is None:
        return row
    delivered, error = delivery
    patched = list(row)
    patched[_DELIVERED] = int(delivered)
    if error is not None:
        patched[_ERROR] = f"{row[_ERROR]}; {error}" if row[_ERROR] else error
    return tuple(patched)


def _error_code(exc: Exception) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    # Extended codes (SQLITE_BUSY_SNAPSHOT, ...) carry the primary code in the low byte.
    return code & 0xFF if isinstance(code, int) else None


@contextlib.asynccontextmanager
async def _write_transaction(conn: aiosqlite.Connection) -> AsyncIterator[None]:
    """BEGIN IMMEDIATE (the write lock up front, so the transaction cannot fail half-way
    on a lock), COMMIT on success, rolled back on any error, which is raised on."""
    await conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        await conn.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error, ValueError):
            await conn.rollback()
        raise


async def prepare_local(
    path: Path | str, retention_days: int | None, max_pending: int, record_wait: float, close_timeout: float
) -> tuple[Path, UserKey]:
    """Check the options, make the local directory and load (or create) the user-id key:
    what every back end does before it connects."""
    if retention_days is not None and retention_days < 1:
        raise ValueError(f"retention_days must be at least 1, or None to keep rows forever, not {retention_days}")
    if max_pending < 1 or record_wait < 0 or close_timeout < 0:
        raise ValueError("max_pending must be positive; record_wait and close_timeout >= 0")
    local = Path(path)
    try:
        await asyncio.to_thread(local.parent.mkdir, parents=True, exist_ok=True)
    except OSError as exc:
        raise QueryLogError(f"cannot create the directory of {local}: {exc}") from exc
    return local, await asyncio.to_thread(load_or_create_key, key_path_for(local))


class QueryLog:
    """The query log of one database file. Create it with `await QueryLog.open(path)`.

    `postgres.PgQueryLog` is the same queue, spool and quarantine in front of a
    PostgreSQL server; it overrides the database side (connect, batch, purge, replay,
    reads) and `DB_ERRORS`, the exceptions that mean "the database is unavailable".
    """

    # What the writer treats as the database being unavailable: back off and retry.
    DB_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error,)

    def __init__(
        self,
        path: Path,
        key: UserKey,
        *,
        raw_user_ids: bool,
        retention_days: int | None,
        record_wait: float,
        max_pending: int,
        close_timeout: float,
        purge_interval: float,
    ) -> None:
        self.path = path
        # How messages name the database (PostgreSQL: the server, without its password).
        self.where = str(path)
        self._key = key
        self._raw_user_ids = raw_user_ids
        self._retention_days = retention_days
        self._record_wait = record_wait
        self._max_pending = max_pending
        self._close_timeout = close_timeout
        self._purge_interval = purge_interval
        self._spool = Spool(spool_path_for(path))
        self._quarantine = Quarantine(rejected_path_for(path))

        self._queue: deque[_Pending] = deque()
        self._insert_sql: dict[int, str] = {}  # multi-row INSERT statements by row count
        self._deadlines: deque[tuple[float, asyncio.Future[bool]]] = deque()
        self._expiry: asyncio.TimerHandle | None = None
        self._user_hashes: dict[int, str] = {}
        self._wake = asyncio.Event()
        self._progress = asyncio.Event()
        self._conn: aiosqlite.Connection | None = None
        self._writer: asyncio.Task[None] | None = None
        self._writer_failed = False
        self._closing = False
        self._closed = False
        self._down_since: float | None = None
        self._next_purge = 0.0
        self._spool_waiting = True
        self._autocomplete: Counter[str] = Counter()
        self._autocomplete_due: float | None = None
        self._deliveries: dict[str, _Delivery] = {}
        # the newest shard heartbeats not yet written, and who waits for them
        self._beats: list[BeatRow] | None = None
        self._beat_waiters: list[asyncio.Future[bool]] = []

        self._enqueued_rows = 0
        self._committed_rows = 0
        self._commits = 0
        self._spooled = 0
        self._dropped = 0
        self._drop_incidents = 0
        self._dropping_since: int | None = None  # `dropped` when the current incident began
        self._replayed = 0
        self._rejected = 0

    # ----------------------------------------------------------------- start/stop

    @classmethod
    async def open(
        cls,
        path: Path | str,
        *,
        raw_user_ids: bool = False,
        retention_days: int | None = 90,
        record_wait: float = RECORD_WAIT_SECONDS,
        max_pending: int = MAX_PENDING_ROWS,
        close_timeout: float = CLOSE_TIMEOUT_SECONDS,
        purge_interval: float = PURGE_INTERVAL_SECONDS,
    ) -> QueryLog:
        """Open (creating, migrating, purging and replaying the spool) and start the writer.

        A database that is merely unavailable does not stop the bot: `open()` returns
        and the writer keeps trying. It raises `SchemaVersionError` for a file that a
        newer factbot wrote or that is not a database, and `UserKeyError` when the
        user-id key cannot be read or created.
        """
        db_path, key = await prepare_local(path, retention_days, max_pending, record_wait, close_timeout)
        qlog = cls(
            db_path,
            key,
            raw_user_ids=raw_user_ids,
            retention_days=retention_days,
            record_wait=record_wait,
            max_pending=max_pending,
            close_timeout=close_timeout,
            purge_interval=purge_interval,
        )
        try:
            # The first round of work (connect, migrate, purge, replay the spool) runs
            # here, so that a usable database is ready when open() returns.
            await qlog._step()
        except sqlite3.Error as exc:
            if _error_code(exc) in _NOT_A_DATABASE_CODES:
                await qlog._disconnect()
                raise SchemaVersionError(
                    f"{db_path} is not a readable SQLite database ({exc}); move it aside "
                    "or set FACTBOT_DB to another file"
                ) from exc
            await qlog._on_write_error(exc)
        except BaseException:
            # aiosqlite's thread is not a daemon: a connection left open here would keep
            # the process alive after the error, so `factbot run` would neither serve nor exit.
            await qlog._disconnect()
            raise
        qlog._writer = asyncio.create_task(qlog._run(), name=f"querylog-writer:{db_path.name}")
        qlog._writer.add_done_callback(qlog._writer_done)
        return qlog

    async def close(self) -> None:
        """Write what is queued (for at most `close_timeout`), spool the rest, stop."""
        if self._closing:
            return
        self._closing = True
        self._wake.set()
        writer = self._writer
        if writer is not None:
            done, _ = await asyncio.wait({writer}, timeout=self._close_timeout)
            if not done:
                writer.cancel()
                await asyncio.wait({writer})
        self._closed = True
        leftovers = [_with_delivery(row, self._deliveries.pop(row[_UID], None)) for row, _ in self._queue]
        if self._deliveries:
            log.warning("query log: %d delivery outcome(s) not written at close", len(self._deliveries))
            self._deliveries.clear()
        for _, waiter in self._queue:
            _give_up(waiter)
        self._queue.clear()
        # heartbeats are worth their moment only: not spooled
        self._beats = None
        for waiter in self._beat_waiters:
            _give_up(waiter)
        self._beat_waiters.clear()
        self._deadlines.clear()
        if self._expiry is not None:
            self._expiry.cancel()
            self._expiry = None
        if leftovers:
            log.warning(
                "query log: %s still unavailable at close; spooling %d row(s) to %s",
                self.path,
                len(leftovers),
                self._spool.path,
            )
            await self._spool_rows(leftovers)
        lost = sum(self._autocomplete.values())
        if lost:
            log.warning("query log: %d autocomplete count(s) not written at close", lost)
        await self._disconnect()
        self._progress.set()

    async def __aenter__(self) -> QueryLog:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    # ------------------------------------------------------------------ write API

    def record(self, rec: QueryRecord) -> asyncio.Future[bool]:
        """Log one query: `await log.record(rec)` is True once its row is committed (or, for
        a row SQLite can never store, quarantined), False if that did not happen within
        `record_wait` (the row is kept, or spooled, and written later).

        A plain method returning a future rather than a coroutine: awaiting it costs
        no task of its own, which is most of what a burst of queries spends here.
        """
        row = to_row(
            rec,
            user_hash=self._hash_user(rec.user_id),
            user_id=rec.user_id if self._raw_user_ids else None,
        )
        loop = asyncio.get_running_loop()
        if self._closed or self._writer_failed or len(self._queue) >= self._max_pending:
            return asyncio.ensure_future(self._spool_instead(row))
        waiter: asyncio.Future[bool] = loop.create_future()
        self._queue.append((row, waiter))
        self._enqueued_rows += 1
        # One timer for all waiters rather than one each: deadlines are in queue
        # order, so the timer only ever needs to fire for the oldest one.
        deadline = loop.time() + self._record_wait
        self._deadlines.append((deadline, waiter))
        if self._expiry is None:
            self._expiry = loop.call_at(deadline, self._expire)
        self._wake.set()
        # If the caller stops waiting the row stays queued and is still written.
        return waiter

    async def _spool_instead(self, row: Row) -> bool:
        # the row goes to the spool now; a delivery marked later must find it there
        await self._spool_rows([row])
        return False

    def user_ref(self, user_id: int) -> str:
        """How log lines name a user: a prefix of the same keyed hash the database stores,
        so an operator can find the user's rows without the log holding the raw id."""
        hashed = self._hash_user(user_id)
        return f"user#{hashed[:12]}" if hashed else "user#?"

    def _hash_user(self, user_id: int | None) -> str | None:
        if user_id is None:
            return None
        hashed = self._user_hashes.get(user_id)
        if hashed is None:
            if len(self._user_hashes) >= USER_HASH_CACHE:
                self._user_hashes.clear()
            hashed = self._user_hashes[user_id] = self._key.hash(user_id)
        return hashed

    def _expire(self) -> None:
        """Give up on waiters whose deadline passed, then wait for the next one."""
        self._expiry = None
        loop = asyncio.get_running_loop()
        now = loop.time()
        while self._deadlines and self._deadlines[0][0] <= now:
            _give_up(self._deadlines.popleft()[1])
        if self._deadlines:
            self._expiry = loop.call_at(self._deadlines[0][0], self._expire)

    def mark_delivery(self, uid: str, delivered: bool, error: str | None = None) -> None:
        """Record whether the reply to the row `uid` reached the user (after `record()`).

        Written with the next batch; a row still queued is patched before it is written,
        so the order of the two calls does not matter. A row that already went to the
        spool keeps `delivered` NULL (not known), which is what the log then knows.
        """
        if self._closed:
            log.warning("query log: delivery of %s (%s) not recorded: the log is closed", uid, error or "sent")
            return
        self._deliveries[uid] = (delivered, None if error is None else error[:ERROR_MAX_CHARS])
        self._wake.set()

    def count_autocomplete(self, n: int = 1) -> None:
        """Count autocomplete keystrokes (per UTC day); they are not logged as queries."""
        if n < 1 or self._closed:
            return
        self._autocomplete[datetime.now(UTC).strftime("%Y-%m-%d")] += n
        if self._autocomplete_due is None:
            self._autocomplete_due = time.monotonic() + AUTOCOMPLETE_FLUSH_SECONDS
            self._wake.set()

    def report_shards(self, beats: Sequence[ShardBeat]) -> asyncio.Future[bool]:
        """Write this process's shard heartbeats in the writer's next round; a newer report
        replaces one not yet written. True once written, False if the log closed first.

        Through the writer rather than a connection of its own: SQLite keeps one writer,
        and the rows reach a database the writer has already migrated.
        """
        waiter: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        if self._closing or self._writer_failed:
            waiter.set_result(False)
            return waiter
        self._beats = [beat.row() for beat in beats]
        # a waiter that stopped waiting (timed out, cancelled) is forgotten here, so a
        # database that is down for a day does not collect a waiter per beat
        self._beat_waiters = [w for w in self._beat_waiters if not w.done()]
        self._beat_waiters.append(waiter)
        self._wake.set()
        return waiter

    async def _write_beats(self) -> None:
        rows, waiters = self._beats, self._beat_waiters
        if rows is None:
            return
        self._beat_waiters = []
        try:
            if rows:  # a process with no shard connected has nothing to say yet
                await self._store_beats(rows)
        except BaseException:
            self._beat_waiters = waiters + self._beat_waiters
            raise
        if self._beats is rows:  # not replaced by a newer report meanwhile
            self._beats = None
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(True)

    async def _store_beats(self, rows: list[BeatRow]) -> None:
        conn = self._require_conn()
        async with _write_transaction(conn):
            await conn.execute(FORGET_SQL, (forget_before(),))
            await conn.executemany(UPSERT_SQL, rows)

    async def flush(self, timeout: float | None = None) -> bool:
        """Wait until every row queued before this call is committed. False on timeout
        or if the log closed first (then the rows are in the spool)."""
        target = self._enqueued_rows

        async def committed() -> bool:
            while self._committed_rows < target and not self._closed:
                await self._progress.wait()
            return self._committed_rows >= target

        try:
            return await asyncio.wait_for(committed(), timeout)
        except TimeoutError:
            return False

    # ------------------------------------------------------------------- read API

    def _reader(self) -> AbstractAsyncContextManager[ReadConnection]:
        """A read-only connection of its own, so a report never waits behind a batch."""
        return open_reader(self.path)

    async def stats(self, days: int = 7, now: datetime | None = None, *, guild_id: int | None = None) -> Stats:
        """Report on the last `days` UTC days (today included), through its own connection;
        with `guild_id`, on that server's queries only."""
        async with self._reader() as conn:
            return await compute_stats(conn, days, now, guild_id=guild_id)

    async def shards(self, now: datetime | None = None) -> Fleet:
        """Every shard of every process sharing this database, as last reported."""
        async with self._reader() as conn:
            return await read_fleet(conn, now)

    async def export_csv(self, days: int = 7, now: datetime | None = None, *, guild_id: int | None = None) -> str:
        """The raw rows of the window as CSV text with a header row (formula cells neutralised)."""
        async with self._reader() as conn:
            return to_csv(await window_rows(conn, days, now, guild_id=guild_id))

    async def write_csv(self, dest: Path, days: int = 7, now: datetime | None = None) -> int:
        """Write the window's rows as CSV to `dest`; returns the number of rows."""
        async with self._reader() as conn:
            rows = await window_rows(conn, days, now)
        await asyncio.to_thread(write_csv, to_csv(rows), dest)
        return len(rows)

    # ------------------------------------------------------------------- counters

    @property
    def pending(self) -> int:
        """Rows queued in memory, not yet committed."""
        return len(self._queue)

    @property
    def commits(self) -> int:
        """Transactions that committed query rows (or autocomplete counts)."""
        return self._commits

    @property
    def spooled(self) -> int:
        """Rows written to the spool file by this process."""
        return self._spooled

    @property
    def dropped(self) -> int:
        """Rows lost: neither the database nor the spool could take them."""
        return self._dropped

    @property
    def drop_incidents(self) -> int:
        """Times rows started being dropped (each warned about once)."""
        return self._drop_incidents

    @property
    def rejected(self) -> int:
        """Rows (or spool lines) the database can never take, moved to the quarantine file."""
        return self._rejected

    @property
    def rejected_path(self) -> Path:
        return self._quarantine.path

    @property
    def replayed(self) -> int:
        """Rows inserted from the spool (duplicates of committed rows not counted)."""
        return self._replayed

    @property
    def available(self) -> bool:
        """Whether the last write attempt succeeded."""
        return self._conn is not None and self._down_since is None

    # --------------------------------------------------------------------- writer

    async def _run(self) -> None:
        backoff = BACKOFF_MIN_SECONDS
        while not (self._closing and not self._queue and not self._autocomplete and not self._deliveries):
            if self._connected() and not self._has_work():
                await self._idle()
                continue
            try:
                await self._step()
            except self.DB_ERRORS as exc:
                await self._on_write_error(exc)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, BACKOFF_MAX_SECONDS)
            else:
                backoff = BACKOFF_MIN_SECONDS

    def _connected(self) -> bool:
        return self._conn is not None

    def _writer_done(self, task: asyncio.Task[None]) -> None:
        if task.cancelled() or task.exception() is None:
            return
        # A bug, not a database problem: keep replies going, send new rows to the
        # spool, and make sure someone sees it.
        self._writer_failed = True
        log.critical("query log: the writer task died; rows now go to %s", self._spool.path, exc_info=task.exception())

    def _has_work(self) -> bool:
        return bool(
            self._queue
            or self._deliveries
            or self._autocomplete_is_due()
            or self._beats is not None
            or self._purge_is_due()
            or (self._spool_waiting and not self._closing)
        )

    def _autocomplete_is_due(self) -> bool:
        if not self._autocomplete:
            return False
        if self._closing:
            return True
        return self._autocomplete_due is not None and time.monotonic() >= self._autocomplete_due

    def _purge_is_due(self) -> bool:
        return self._retention_days is not None and time.monotonic() >= self._next_purge

    async def _idle(self) -> None:
        now = time.monotonic()
        deadlines = [self._autocomplete_due] if self._autocomplete_due is not None else []
        if self._retention_days is not None:
            deadlines.append(self._next_purge)
        timeout = max(0.0, min(deadlines) - now) if deadlines else None
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout)
        self._wake.clear()

    async def _step(self) -> None:
        """One round of work; raises sqlite3.Error when the database refuses it."""
        if self._conn is None:
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

    async def _connect(self) -> None:
        # isolation_level=None: transactions are ours (BEGIN IMMEDIATE ... COMMIT).
        conn = await aiosqlite.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT_SECONDS)
        try:
            async with conn.execute("PRAGMA journal_mode = WAL") as cursor:
                mode = await cursor.fetchone()
            if mode is None or str(mode[0]).lower() != "wal":
                log.warning("query log: %s is not in WAL mode (%s)", self.path, mode)
            # synchronous=NORMAL in WAL mode: a commit is a write() of its frames to
            # the -wal file, without fsync. If the process dies (kill -9, crash,
            # OOM) the frames are in the OS page cache and survive, so every
            # committed row is durable against a process crash. Only a power cut or
            # kernel crash can lose the last transactions, and even then the file
            # stays consistent. FULL would fsync every commit for that last case.
            await conn.execute("PRAGMA synchronous = NORMAL")
            found = await migrate(
                conn,
                MigrationContext(
                    hash_user=self._key.hash_or_none,
                    normalize=normalize_query,
                    keep_raw_user_ids=self._raw_user_ids,
                ),
            )
        except BaseException:
            with contextlib.suppress(sqlite3.Error, ValueError):
                await conn.close()
            raise
        if 0 < found < SCHEMA_VERSION:  # a new database is no news: nothing at INFO on a first start
            log.info("query log: %s migrated from schema v%d to v%d", self.path, found, SCHEMA_VERSION)
        elif found == 0:
            log.debug("query log: created %s at schema v%d", self.path, SCHEMA_VERSION)
        self._conn = conn

    async def _disconnect(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(sqlite3.Error, ValueError):
                await conn.close()

    def _require_conn(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise sqlite3.OperationalError("query log connection is not open")
        return self._conn

    async def _on_write_error(self, exc: Exception) -> None:
        if self._down_since is None:
            self._down_since = time.monotonic()
            log.warning(
                "query log: cannot write to %s (%s); %d row(s) wait in memory (at most %d, "
                "then in %s) and are written when it is back",
                self.where,
                exc,
                len(self._queue),
                self._max_pending,
                self._spool.path,
            )
        if self._conn is not None:
            with contextlib.suppress(sqlite3.Error, ValueError):
                await self._conn.rollback()
            if _error_code(exc) not in _BUSY_CODES:
                await self._disconnect()

    async def _commit_batch(self) -> None:
        conn = self._require_conn()
        batch = list(itertools.islice(self._queue, MAX_BATCH_ROWS))
        counts, self._autocomplete = self._autocomplete, Counter()
        self._autocomplete_due = None
        deliveries, self._deliveries = self._deliveries, {}
        if deliveries and batch:
            # a reply sent before its row was written: the row goes in with its outcome
            batch = [(_with_delivery(row, deliveries.pop(row[_UID], None)), waiter) for row, waiter in batch]
        updates = [(int(ok), error, error, uid) for uid, (ok, error) in deliveries.items()]
        bad = [(row, problem) for row, _ in batch if (problem := row_problem(row)) is not None]
        try:
            if bad:
                # Rare (to_row cleans what it can): insert the good rows one by one and
                # quarantine the rest, so that one row never holds up the others.
                await self._insert_or_quarantine(conn, [row for row, _ in batch], counts)
                if updates:
                    await conn.executemany(DELIVERY_SQL, updates)
            elif batch and not counts and not updates and len(batch) <= SINGLE_STATEMENT_ROWS:
                # one statement, one implicit transaction, one trip to the writer thread
                sql = self._insert_sql.get(len(batch)) or self._insert_sql.setdefault(
                    len(batch), insert_rows_sql(len(batch))
                )
                await conn.execute(sql, [value for row, _ in batch for value in row])
            else:
                await conn.execute("BEGIN IMMEDIATE")
                if batch:
                    await conn.executemany(INSERT_SQL, [row for row, _ in batch])
                if counts:
                    await conn.executemany(AUTOCOMPLETE_SQL, list(counts.items()))
                if updates:
                    await conn.executemany(DELIVERY_SQL, updates)
                await conn.execute("COMMIT")
        except BaseException as exc:
            if is_row_error(exc) and not bad:
                # a fault the checks did not foresee: find the row one by one
                with contextlib.suppress(sqlite3.Error, ValueError):
                    await conn.rollback()
                self._autocomplete.update(counts)
                self._deliveries = {**{uid: (bool(ok), err) for ok, err, _, uid in updates}, **self._deliveries}
                await self._insert_or_quarantine(conn, [row for row, _ in batch], Counter())
                self._batch_written(batch)
                return
            # Not written: the counts and deliveries go back (the caller rolls back).
            self._deliveries = {**{uid: (bool(ok), err) for ok, err, _, uid in updates}, **self._deliveries}
            self._autocomplete.update(counts)
            if self._autocomplete:
                self._autocomplete_due = time.monotonic() + AUTOCOMPLETE_FLUSH_SECONDS
            raise
        self._batch_written(batch)

    def _batch_written(self, batch: list[_Pending]) -> None:
        self._commits += 1
        self._end_drop_incident()
        # Only the writer removes from the head, so the head is still this batch.
        for _ in batch:
            _, waiter = self._queue.popleft()
            if not waiter.done():
                waiter.set_result(True)
        self._committed_rows += len(batch)
        while self._deadlines and self._deadlines[0][1].done():
            self._deadlines.popleft()
        self._progress.set()
        self._progress = asyncio.Event()

    async def _insert_or_quarantine(
        self, conn: aiosqlite.Connection, rows: list[Row], counts: Counter[str]
    ) -> int:
        """Insert `rows` (and `counts`) in one transaction, row by row; rows SQLite refuses
        go to the quarantine. Returns how many rows were inserted."""
        inserted = 0
        rejected: list[tuple[Row, str]] = []
        async with _write_transaction(conn):
            for row in rows:
                problem = row_problem(row)
                if problem is None:
                    await conn.execute("SAVEPOINT one_row")
                    try:
                        async with conn.execute(INSERT_SQL, row) as cursor:
                            inserted += max(cursor.rowcount, 0)
                    except BaseException as exc:
                        await conn.execute("ROLLBACK TO one_row")
                        if not is_row_error(exc):
                            raise
                        problem = f"{type(exc).__name__}: {exc}"
                    finally:
                        await conn.execute("RELEASE one_row")
                if problem is not None:
                    rejected.append((row, problem))
            if counts:
                await conn.executemany(AUTOCOMPLETE_SQL, list(counts.items()))
        await self._reject_rows(rejected)
        return inserted

    async def _reject_rows(self, rejected: list[tuple[Row, str]]) -> None:
        if not rejected:
            return
        try:
            await asyncio.to_thread(self._quarantine.add_rows, rejected)
        except OSError as exc:
            self._note_dropped(len(rejected), f"quarantine {self._quarantine.path} not writable ({exc})")
            return
        self._rejected += len(rejected)
        log.warning(
            "query log: %d row(s) the database cannot store moved to %s (%s); %d so far",
            len(rejected), self._quarantine.path, rejected[0][1], self._rejected,
        )  # fmt: skip

    async def _reject_lines(self, lines: tuple[tuple[bytes, str], ...], source: Path) -> None:
        if not lines:
            return
        try:
            await asyncio.to_thread(self._quarantine.add_lines, lines)
        except OSError as exc:
            self._note_dropped(len(lines), f"quarantine {self._quarantine.path} not writable ({exc})")
            return
        self._rejected += len(lines)
        log.warning(
            "query log: %d unreadable line(s) of %s moved to %s (%s); %d so far",
            len(lines), source, self._quarantine.path, lines[0][1], self._rejected,
        )  # fmt: skip

    def _note_dropped(self, n: int, why: str) -> None:
        """Count dropped rows; warn once when an incident starts, not once per row."""
        self._dropped += n
        if self._dropping_since is None:
            self._dropping_since = self._dropped - n
            self._drop_incidents += 1
            log.warning(
                "query log: DROPPED rows: database unavailable and %s; counted in `dropped`, "
                "said again when rows are kept again",
                why,
            )

    def _end_drop_incident(self) -> None:
        if self._dropping_since is not None:
            log.warning(
                "query log: rows are kept again; %d row(s) were dropped in that incident",
                self._dropped - self._dropping_since,
            )
            self._dropping_since = None

    async def _purge(self) -> None:
        assert self._retention_days is not None
        conn = self._require_conn()
        cutoff = format_ts(datetime.now(UTC) - timedelta(days=self._retention_days))
        await conn.execute("BEGIN IMMEDIATE")
        async with conn.execute("DELETE FROM queries WHERE ts < ?", (cutoff,)) as cursor:
            purged = cursor.rowcount
        await conn.execute("DELETE FROM autocomplete WHERE day < ?", (cutoff[:10],))
        await conn.execute("COMMIT")
        self._next_purge = time.monotonic() + self._purge_interval
        if purged > 0:
            log.info("query log: purged %d row(s) older than %d days", purged, self._retention_days)

    async def _replay_spool(self) -> None:
        conn = self._require_conn()
        try:
            while (path := await asyncio.to_thread(self._spool.claim)) is not None:
                offset, inserted, bad = 0, 0, 0
                while True:
                    chunk = await asyncio.to_thread(self._spool.read_chunk, path, offset, SPOOL_CHUNK_ROWS)
                    if chunk.rows:
                        # Committed chunk by chunk: a failure part-way through means the
                        # next attempt re-reads from the start and the insert ignores
                        # what is already there.
                        try:
                            await conn.execute("BEGIN IMMEDIATE")
                            async with conn.executemany(INSERT_SQL, chunk.rows) as cursor:
                                inserted += max(cursor.rowcount, 0)
                            await conn.execute("COMMIT")
                        except BaseException as exc:
                            if not is_row_error(exc):
                                raise
                            with contextlib.suppress(sqlite3.Error, ValueError):
                                await conn.rollback()
                            inserted += await self._insert_or_quarantine(conn, list(chunk.rows), Counter())
                    # A re-read after a crash mid-replay quarantines a bad line again;
                    # a duplicate there is harmless, a loss is not.
                    await self._reject_lines(chunk.rejected, path)
                    bad += chunk.bad_lines
                    offset = chunk.next_offset
                    if chunk.done:
                        break
                await asyncio.to_thread(self._spool.finish, path)
                self._replayed += inserted
                log.info("query log: replayed %d row(s) from %s (%d line(s) quarantined)", inserted, path, bad)
        except OSError as exc:
            log.warning("query log: cannot replay the spool %s (%s); will try at next start", self._spool.path, exc)
        self._spool_waiting = False

    async def _spool_rows(self, rows: list[Row]) -> None:
        try:
            await asyncio.to_thread(self._spool.append, rows)
        except OSError as exc:
            self._note_dropped(len(rows), f"spool {self._spool.path} not writable ({exc})")
            return
        except (UnicodeError, TypeError, ValueError) as exc:  # a row JSON cannot hold
            await self._reject_rows([(row, f"cannot be spooled: {exc}") for row in rows])
            return
        self._end_drop_incident()
        self._spooled += len(rows)
        if not self._closing:
            # Replay as soon as the writer is healthy again rather than at next start.
            self._spool_waiting = True
            self._wake.set()
