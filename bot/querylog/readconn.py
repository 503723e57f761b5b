"""What the reports need from a connection: `execute(sql, args)` as an async context
manager giving a cursor with `fetchone()` / `fetchall()`.

aiosqlite's connection is one; `postgres.PgReader` wraps an asyncpg connection as
another, so `stats.compute_stats` and `export.window_rows` run the same SQL on both
back ends (it is written in the subset the two share, with `?` placeholders).
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol


class ReadCursor(Protocol):
    async def fetchone(self) -> Any: ...

    async def fetchall(self) -> Iterable[Any]: ...


class ReadConnection(Protocol):
    def execute(self, sql: str, parameters: Iterable[Any] | None = ...) -> AbstractAsyncContextManager[ReadCursor]: ...
