"""CSV export of the raw rows of a report window, for spreadsheets and ad-hoc study.

Cells are written as stored. User text can begin with `=`, `+`, `-` or `@`, which
a spreadsheet may read as a formula: import the file as text, or do not open it
with formulas enabled, when it comes from an untrusted server.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path
from typing import Any

import aiosqlite

from bot.querylog.records import format_ts
from bot.querylog.schema import ROW_COLUMNS
from bot.querylog.stats import window

# Every stored column but the grouping key derived from the query.
CSV_COLUMNS: tuple[str, ...] = tuple(c for c in ROW_COLUMNS if c != "query_norm")


async def window_rows(conn: aiosqlite.Connection, days: int = 7, now: datetime | None = None) -> list[tuple[Any, ...]]:
    """The rows of the window, oldest first, in `CSV_COLUMNS` order."""
    since, until = window(days, now)
    sql = f"SELECT {', '.join(CSV_COLUMNS)} FROM queries WHERE ts >= ? AND ts <= ? ORDER BY ts, id"
    async with conn.execute(sql, (format_ts(since), format_ts(until))) as cursor:
        return [tuple(row) for row in await cursor.fetchall()]


def to_csv(rows: list[tuple[Any, ...]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(rows)  # None becomes an empty cell
    return buffer.getvalue()


async def rows_csv(conn: aiosqlite.Connection, days: int = 7, now: datetime | None = None) -> str:
    return to_csv(await window_rows(conn, days, now))


def write_csv(text: str, dest: Path) -> None:
    """Write export text to a file (blocking; use asyncio.to_thread from async code)."""
    # newline="": the csv module already wrote its \r\n line ends.
    dest.write_text(text, encoding="utf-8", newline="")
