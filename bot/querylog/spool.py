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

from bot.querylog.records import Row
from bot.querylog.schema import REQUIRED_COLUMNS, ROW_COLUMNS


def spool_path_for(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".spool.jsonl")


@dataclass(frozen=True)
class SpoolChunk:
    rows: tuple[Row, ...]
    bad_lines: int  # lines that could not be read back (torn by a crash, edited by hand)
    next_offset: int
    done: bool


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
        bad = 0
        with path.open("rb") as f:
            f.seek(offset)
            while len(rows) < max_rows:
                line = f.readline()
                if not line:
                    return SpoolChunk(tuple(rows), bad, f.tell(), done=True)
                if not line.strip():
                    continue
                row = _decode(line) if line.endswith(b"\n") else None
                if row is None:
                    bad += 1
                else:
                    rows.append(row)
            return SpoolChunk(tuple(rows), bad, f.tell(), done=False)

    def finish(self, path: Path) -> None:
        path.unlink(missing_ok=True)


def _encode(row: Row) -> str:
    return json.dumps(dict(zip(ROW_COLUMNS, row, strict=True)), separators=(",", ":"))


def _decode(line: bytes) -> Row | None:
    try:
        data = json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(data, dict) or any(data.get(c) is None for c in REQUIRED_COLUMNS):
        return None
    # Columns added by a later schema are ignored; missing optional ones are NULL.
    return tuple(data.get(column) for column in ROW_COLUMNS)
