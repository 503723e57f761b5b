"""The query log for synchronous adapters (the console, the command line).

They are synchronous, so `BlockingQueryLog` runs the (asyncio) query log on a
thread of its own. Rows are built by the pipeline (`bot.app.pipeline.record_of`).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any, TypeVar

from bot.querylog.log import RECORD_WAIT_SECONDS, QueryLog
from bot.querylog.records import QueryRecord

log = logging.getLogger(__name__)
T = TypeVar("T")


class BlockingQueryLog:
    """The query log behind a blocking API, for the console and the command line.

    Once a write has taken the full bounded wait (the database is locked or
    unwritable), later calls stop waiting: their rows queue in the log, which
    writes or spools them, so a slow disk never slows the prompt down.
    """

    def __init__(self, querylog: QueryLog, loop: asyncio.AbstractEventLoop, thread: threading.Thread) -> None:
        self._log = querylog
        self._loop = loop
        self._thread = thread
        self._patient = True

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        raw_user_ids: bool,
        retention_days: int,
        opener: Callable[[], Coroutine[Any, Any, QueryLog]] | None = None,
    ) -> BlockingQueryLog | None:
        """Start the log on its own thread; None (with a warning) if it cannot open.
        `opener` opens another back end (PostgreSQL) instead of the SQLite file at `path`."""
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="querylog", daemon=True)
        thread.start()
        opening = (
            opener()
            if opener is not None
            else QueryLog.open(path, raw_user_ids=raw_user_ids, retention_days=retention_days)
        )
        future = asyncio.run_coroutine_threadsafe(opening, loop)
        try:
            querylog = future.result(timeout=10)
        except Exception as exc:  # the answer matters more than its log line
            log.warning("query log unavailable (%s): queries will not be logged", exc)
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout=5)
            return None
        return cls(querylog, loop, thread)

    def _run(self, coro: Coroutine[Any, Any, T], timeout: float) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=timeout)

    def record(self, rec: QueryRecord) -> bool:
        return self.record_many([rec])

    def stats_text(self, days: int) -> str:
        """The `factbot stats` report of the last `days` days, as text."""
        from bot.querylog.render import render_text

        return render_text(self._run(self._log.stats(days), timeout=30), self._run(self._log.shards(), timeout=30))

    def record_many(self, recs: list[QueryRecord]) -> bool:
        """Log rows recorded together: they share one group commit. True once all are
        committed; like `record()`, a slow database stops the waiting, not the rows."""
        if not recs:
            return True

        async def write() -> bool:
            return all(await asyncio.gather(*(self._log.record(rec) for rec in recs)))

        future = asyncio.run_coroutine_threadsafe(write(), self._loop)
        if not self._patient:
            return False
        try:
            committed = future.result(timeout=RECORD_WAIT_SECONDS + 1.0)
        except FutureTimeout:
            committed = False
        if not committed:
            self._patient = False
            log.warning("query log is slow or unavailable; rows are kept and written when it is back")
        return committed

    def close(self) -> None:
        try:
            self._run(self._log.close(), timeout=30)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=5)
            self._loop.close()
