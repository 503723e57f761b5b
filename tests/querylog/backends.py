"""The query log's two back ends behind one test interface, as Red-DiscordBot runs its
config tests on two drivers: a test takes `ql` and runs once on SQLite and once on a
real PostgreSQL server. Rows are read back independently of the code under test
(plain sqlite3, or asyncpg on its own connection)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import asyncpg

from bot.querylog import QueryLog
from bot.querylog.postgres import PgQueryLog


def _in_thread(make: Callable[[], Awaitable[Any]]) -> Any:
    # The tests call these from inside their own event loop.
    async def run() -> Any:
        return await make()

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, run()).result(timeout=60)


class Backend:
    """Opens logs on one database and reads it back. `local` is the SQLite file, or for
    PostgreSQL the local path its spool, quarantine and key cache are named after."""

    def __init__(self, name: str, local: Path, dsn: str | None) -> None:
        self.name = name
        self.local = local
        self.dsn = dsn
        self.opened: list[QueryLog] = []

    def __repr__(self) -> str:
        return self.name

    async def open(self, **options: Any) -> QueryLog:
        if self.dsn is None:
            log = await QueryLog.open(self.local, **options)
        else:
            log = await PgQueryLog.start(self.dsn, self.local, **options)
        self.opened.append(log)
        return log

    def fetch(self, sql: str) -> list[dict[str, Any]]:
        if self.dsn is None:
            conn = sqlite3.connect(self.local)
            conn.row_factory = sqlite3.Row
            try:
                return [dict(r) for r in conn.execute(sql)]
            finally:
                conn.close()
        dsn = self.dsn

        async def read() -> list[dict[str, Any]]:
            pg = await asyncpg.connect(dsn)
            try:
                return [dict(r) for r in await pg.fetch(sql)]
            finally:
                await pg.close()

        result: list[dict[str, Any]] = _in_thread(read)
        return result

    def rows(self, where: str = "1 = 1") -> list[dict[str, Any]]:
        return self.fetch(f"SELECT * FROM queries WHERE {where} ORDER BY id")

    def uids(self) -> list[str]:
        return [row["uid"] for row in self.rows()]

    def scalar(self, sql: str) -> Any:
        (row,) = self.fetch(sql)
        return next(iter(row.values()))

    async def close_all(self) -> None:
        for log in self.opened:
            await log.close()
