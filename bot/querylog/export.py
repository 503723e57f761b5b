"""CSV export of the raw rows of a report window, for spreadsheets and ad-hoc study.

User text can begin with `=`, `+`, `-` or `@` (or a tab or carriage return), which
a spreadsheet reads as a formula (`=HYPERLINK(...)`, `+cmd|' /C calc'!A0`). As OWASP
advises for CSV injection, such a text cell is written with a leading single quote,
which spreadsheets show but never evaluate; numbers are written as numbers.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.querylog.readconn import ReadConnection
from bot.querylog.records import format_ts
from bot.querylog.schema import ROW_COLUMNS
from bot.querylog.stats import window

# Every stored column but the grouping key derived from the query.
CSV_COLUMNS: tuple[str, ...] = tuple(c for c in ROW_COLUMNS if c != "query_norm")


# The first characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


async def window_rows(
    conn: ReadConnection, days: int = 7, now: datetime | None = None, *, guild_id: int | None = None
) -> list[tuple[Any, ...]]:
    """The rows of the window, oldest first, in `CSV_COLUMNS` order; with `guild_id`, that server's only."""
    since, until = window(days, now)
    where = "ts >= ? AND ts <= ?"
    args: list[object] = [format_ts(since), format_ts(until)]
    if guild_id is not None:
        where += " AND guild_id = ?"
        args.append(guild_id)
    sql = f"SELECT {', '.join(CSV_COLUMNS)} FROM queries WHERE {where} ORDER BY ts, id"
    async with conn.execute(sql, args) as cursor:
        return [tuple(row) for row in await cursor.fetchall()]


def safe_cell(value: Any) -> Any:
    """A text cell a spreadsheet will not evaluate; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def to_csv(rows: list[tuple[Any, ...]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    writer.writerows([safe_cell(v) for v in row] for row in rows)  # None becomes an empty cell
    return buffer.getvalue()


def write_csv(text: str, dest: Path) -> None:
    """Write export text to a file (blocking; use asyncio.to_thread from async code)."""
    # newline="": the csv module already wrote its \r\n line ends.
    dest.write_text(text, encoding="utf-8", newline="")
