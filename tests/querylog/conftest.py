from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from bot.querylog import QueryLog
from tests.pgserver import PgServer
from tests.querylog.backends import Backend

OpenLog = Callable[..., Awaitable[QueryLog]]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    # A subdirectory that does not exist yet: the log must create it.
    return tmp_path / "data" / "factbot.sqlite3"


@pytest.fixture
async def open_log(db: Path) -> AsyncIterator[OpenLog]:
    """Open logs on `db` (or another path); every one is closed at teardown, because an
    unclosed aiosqlite connection keeps a non-daemon thread alive."""
    opened: list[QueryLog] = []

    async def _open(path: Path | None = None, **options: Any) -> QueryLog:
        log = await QueryLog.open(path or db, **options)
        opened.append(log)
        return log

    yield _open
    for log in opened:
        await log.close()


@pytest.fixture(params=["sqlite", "postgresql"])
async def ql(request: pytest.FixtureRequest, db: Path) -> AsyncIterator[Backend]:
    """The same test on both back ends: SQLite at `db`, and a fresh database on the
    session's PostgreSQL server (its local files beside `db`)."""
    dsn = None
    if request.param == "postgresql":
        server: PgServer = request.getfixturevalue("pg_server")
        dsn = server.create_database()
    backend = Backend(request.param, db, dsn)
    yield backend
    await backend.close_all()
