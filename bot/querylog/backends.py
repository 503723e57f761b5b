"""Which back end the settings choose: PostgreSQL when FACTBOT_DATABASE_URL is set
(several processes, one shared log), otherwise the SQLite file at FACTBOT_DB.

Both are a `QueryLog` (PostgreSQL's is the subclass `PgQueryLog`): the adapters hold
that one interface and never know which is behind it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from bot.config import Settings
from bot.querylog.log import QueryLog
from bot.querylog.readconn import ReadConnection
from bot.querylog.reader import open_reader


async def open_query_log(settings: Settings, **options: Any) -> QueryLog:
    """The query log the settings name, open and writing."""
    options.setdefault("raw_user_ids", settings.log_raw_user_ids)
    options.setdefault("retention_days", settings.log_retention_days)
    if settings.database_url:
        from bot.querylog.postgres import PgQueryLog  # asyncpg only for those who use it

        return await PgQueryLog.start(settings.database_url, settings.db_path, **options)
    return await QueryLog.open(settings.db_path, **options)


def describe(settings: Settings) -> str:
    """How messages name the log (never with a password)."""
    if settings.database_url:
        from bot.querylog.postgres import redact

        return redact(settings.database_url)
    return str(settings.db_path)


def open_report_reader(settings: Settings) -> AbstractAsyncContextManager[ReadConnection]:
    """A read-only connection for reports, on whichever back end the settings name."""
    return _reader(settings)


@asynccontextmanager
async def _reader(settings: Settings) -> AsyncIterator[ReadConnection]:
    if settings.database_url:
        from bot.querylog.postgres import open_pg_reader

        async with open_pg_reader(settings.database_url) as pg:
            yield pg
    else:
        async with open_reader(settings.db_path) as conn:
            yield conn
