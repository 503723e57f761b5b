"""Shared helpers for the query log tests: plain sqlite3 readers, records, read-only files."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.querylog import QueryRecord


def rec(query: str = "gdp of kashgar 2023", **fields: Any) -> QueryRecord:
    fields.setdefault("surface", "slash")
    fields.setdefault("status", "answered")
    return QueryRecord(query=query, **fields)


def rows(db: Path, where: str = "1") -> list[sqlite3.Row]:
    """The stored rows, read with plain sqlite3 (independent of the code under test)."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return list(conn.execute(f"SELECT * FROM queries WHERE {where} ORDER BY id"))
    finally:
        conn.close()


def uids(db: Path) -> list[str]:
    return [row["uid"] for row in rows(db)]


def scalar(db: Path, sql: str) -> Any:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def _writable(path: Path) -> bool:
    try:
        if path.is_dir():
            probe = path / ".write-probe"
            probe.touch()
            probe.unlink()
        else:
            with path.open("r+b"):
                pass
    except OSError:
        return False
    return True


def make_read_only(path: Path) -> Callable[[], None]:
    """Make a file or directory unwritable; returns the function that undoes it.

    chmod alone does not stop root (CI containers often run as root), so as root
    the immutable attribute is set too. Skips the test if neither works here.
    """
    original = path.stat().st_mode
    path.chmod(0o555 if path.is_dir() else 0o444)
    immutable = False
    if _writable(path) and shutil.which("chattr"):
        immutable = subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode == 0

    def restore() -> None:
        if immutable:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        path.chmod(original)

    if not _writable(path):
        return restore
    restore()
    pytest.skip(f"cannot make {path} read-only as uid {os.getuid()} (no chattr?)")
