"""Rows the database will never take, kept aside in `<db>.rejected.jsonl`.

A row can be unwritable for reasons no retry fixes: a lone surrogate that SQLite
cannot encode, an integer beyond 64 bits, a value of the wrong type in a spool line
edited by hand or written by a buggy version. Retrying such a row blocks every row
behind it, forever. So the writer moves it here, counts it and warns: the row is not
lost (a person can read, fix and re-spool it), and the good rows beside it go on.

Methods do blocking file I/O; the log calls them through `asyncio.to_thread`.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.querylog.schema import ROW_COLUMNS

# SQLite INTEGER is a signed 64-bit value.
_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1

# What a single row can raise when it is bound or inserted, however often it is
# retried: the row is at fault, not the database. (Not ValueError in general:
# aiosqlite raises it for a closed connection, which is the database's state.)
_ROW_ERRORS: tuple[type[BaseException], ...] = (
    UnicodeError,
    OverflowError,
    sqlite3.InterfaceError,
    sqlite3.DataError,
    sqlite3.IntegrityError,
)


def is_row_error(exc: BaseException) -> bool:
    """True when `exc` is the fault of a row being inserted, not of the database."""
    if isinstance(exc, sqlite3.ProgrammingError):
        return str(exc).startswith("Error binding parameter")
    return isinstance(exc, _ROW_ERRORS)


def rejected_path_for(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".rejected.jsonl")


def row_problem(row: Sequence[Any]) -> str | None:
    """Why SQLite would refuse `row`, or None if every value can be bound."""
    if len(row) != len(ROW_COLUMNS):
        return f"{len(row)} values for {len(ROW_COLUMNS)} columns"
    for column, value in zip(ROW_COLUMNS, row, strict=True):
        if value is None or isinstance(value, float):
            continue
        if isinstance(value, bool) or not isinstance(value, int | str):
            return f"{column}: a {type(value).__name__} cannot be stored"
        if isinstance(value, int) and not _INT_MIN <= value <= _INT_MAX:
            return f"{column}: integer out of SQLite's 64-bit range"
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                return f"{column}: not valid UTF-8 text ({exc.reason})"
    return None


class Quarantine:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def add_rows(self, rows: Sequence[tuple[Sequence[Any], str]]) -> None:
        """Append (row, reason) pairs; raises OSError if the file cannot be written."""
        self._append(
            {"reason": reason, "row": dict(zip(ROW_COLUMNS, row, strict=False))} for row, reason in rows
        )

    def add_lines(self, lines: Sequence[tuple[bytes, str]]) -> None:
        """Append raw spool lines that could not be read back as rows."""
        self._append({"reason": reason, "line": line.decode("utf-8", "replace")} for line, reason in lines)

    def _append(self, entries: Any) -> None:
        at = datetime.now(UTC).isoformat(timespec="seconds")
        # ensure_ascii: a lone surrogate is written as its \\u escape, never as invalid UTF-8
        data = "".join(json.dumps({"at": at, **e}, default=repr) + "\n" for e in entries).encode("ascii")
        if not data:
            return
        with self._lock:
            # 0o600: the same user text as the database.
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, data)
            finally:
                os.close(fd)
