"""The spool: rows the database could not take, as JSON lines beside it.

Rows land here when the in-memory queue is full or when the log closes while the
database is unavailable. They are replayed into the database at the next start
(and as soon as the database is back). Replay is idempotent because every row
carries a unique `uid` and the insert is `INSERT OR IGNORE`: a crash between the
commit and the deletion of the spool only means the next replay inserts nothing.

Methods do blocking file I/O; the log calls them through `asyncio.to_thread`.
A lock makes `append` and `claim` exclusive, so a line is never appended to a file
that is being renamed away for replay.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.querylog.quarantine import row_problem
from bot.querylog.records import Row
from bot.querylog.schema import REQUIRED_COLUMNS, ROW_COLUMNS


def spool_path_for(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".spool.jsonl")


@dataclass(frozen=True)
class SpoolChunk:
    rows: tuple[Row, ...]
    # lines that could not be read back as a row (torn by a crash, edited by hand,
    # a value SQLite cannot store), each with the reason: they go to the quarantine
    rejected: tuple[tuple[bytes, str], ...]
    next_offset: int
    done: bool

    @property
    def bad_lines(self) -> int:
        return len(self.rejected)


class Spool:
    def __init__(self, path: Path) -> None:
        self.path = path
        # A claimed spool is renamed here before replay; it survives a crash during
        # replay and is replayed again (harmlessly) at the next start.
        self.replay_path = path.with_name(path.name + ".replaying")
        self._lock = threading.Lock()

    def append(self, rows: Sequence[Row]) -> None:
        """Append rows; raises OSError if the spool cannot be written."""
        data = "".join(_encode(row) + "\n" for row in rows).encode("utf-8")
        with self._lock:
            # 0o600: the spool holds the same user text as the database.
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                size = os.fstat(fd).st_size
                # A process killed mid-append leaves a line without its newline;
                # end it so the next line is not glued to it and lost too.
                if size and os.pread(fd, 1, size - 1) != b"\n":
                    data = b"\n" + data
                os.write(fd, data)
            finally:
                os.close(fd)

    def claim(self) -> Path | None:
        """The next file to replay, or None when there is nothing to replay."""
        with self._lock:
            if self.replay_path.exists():
                return self.replay_path
            try:
                os.replace(self.path, self.replay_path)
            except FileNotFoundError:
                return None
            return self.replay_path

    def read_chunk(self, path: Path, offset: int, max_rows: int) -> SpoolChunk:
        rows: list[Row] = []
        rejected: list[tuple[bytes, str]] = []
        with path.open("rb") as f:
            f.seek(offset)
            while len(rows) < max_rows:
                line = f.readline()
                if not line:
                    return SpoolChunk(tuple(rows), tuple(rejected), f.tell(), done=True)
                if not line.strip():
                    continue
                if not line.endswith(b"\n"):
                    rejected.append((line, "torn line (the process stopped while writing it)"))
                    continue
                row = _decode(line)
                if isinstance(row, str):
                    rejected.append((line, row))
                else:
                    rows.append(row)
            return SpoolChunk(tuple(rows), tuple(rejected), f.tell(), done=False)

    def finish(self, path: Path) -> None:
        path.unlink(missing_ok=True)


def _encode(row: Row) -> str:
    return json.dumps(dict(zip(ROW_COLUMNS, row, strict=True)), separators=(",", ":"))


def _decode(line: bytes) -> Row | str:
    """The row of one spool line, or why it cannot be one."""
    try:
        data = json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return "not a JSON line"
    except RecursionError:  # "[[[[...": json nests one frame per level
        return "JSON nested too deep"
    if not isinstance(data, dict):
        return "not a JSON object"
    missing = sorted(c for c in REQUIRED_COLUMNS if data.get(c) is None)
    if missing:
        return f"missing {', '.join(missing)}"
    # Columns added by a later schema are ignored; missing optional ones are NULL.
    row = tuple(data.get(column) for column in ROW_COLUMNS)
    problem = row_problem(row)
    return row if problem is None else problem
