"""`factbot backup FILE`: a consistent copy of the query log, taken while the bot runs.

SQLite's online backup API copies the database page by page inside one read
transaction. In WAL mode that transaction sees one snapshot (every row committed
before it began, none half-written) and does not block the bot's writer, which
goes on appending to the WAL. The copy is done in a single step on purpose: a
stepwise backup restarts from scratch whenever the source changes between
steps, which during a burst of writes could be never.

The copy is written to `FILE.partial`, checked with `PRAGMA integrity_check`,
switched to the rollback journal (one self-contained file) and renamed into
place, so FILE is either absent or a whole, checked database. The user-id key
is copied beside it (`FILE.userkey`): without it the hashed user ids in a
restored log no longer match new ones. Both are created 0600.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from bot.querylog.privacy import key_path_for

# How long the backup waits for a lock (a checkpoint, a migration) before giving up.
LOCK_TIMEOUT_SECONDS = 30.0


class BackupError(Exception):
    """The backup could not be taken; the message says why and what to do."""


@dataclass(frozen=True)
class BackupResult:
    dest: Path
    key_dest: Path | None
    queries: int
    size_bytes: int

    def summary(self) -> str:
        key = f"; user-id key copied to {self.key_dest}" if self.key_dest else "; no user-id key to copy"
        return f"backed up {self.queries} logged queries ({self.size_bytes:,} bytes) to {self.dest}{key}"


def _create_private(path: Path) -> None:
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def backup_database(db_path: Path, dest: Path) -> BackupResult:
    """Copy `db_path` (live or not) to `dest`, which must not exist yet."""
    if not db_path.is_file():
        raise BackupError(f"no query log at {db_path}; set FACTBOT_DB (or FACTBOT_DATA_DIR) to the bot's database")
    if dest.exists() or key_path_for(dest).exists():
        raise BackupError(f"{dest} (or {key_path_for(dest).name}) already exists; choose a new file name")
    if dest.resolve() == db_path.resolve():
        raise BackupError("the backup must be a different file from the database")
    partial = dest.with_name(dest.name + ".partial")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        partial.unlink(missing_ok=True)
        _create_private(partial)
        queries = _copy(db_path, partial)
        with open(partial, "rb+") as stream:
            os.fsync(stream.fileno())
        os.replace(partial, dest)
    except BackupError:
        partial.unlink(missing_ok=True)
        raise
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"cannot back up {db_path}: {exc}") from exc
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"cannot write {dest}: {exc}") from exc
    return BackupResult(dest, _copy_key(db_path, dest), queries, dest.stat().st_size)


def _copy(db_path: Path, partial: Path) -> int:
    source = sqlite3.connect(db_path, timeout=LOCK_TIMEOUT_SECONDS)
    try:
        target = sqlite3.connect(partial)
        try:
            source.backup(target)  # pages=-1: the whole database in one step, one snapshot
            # The source is in WAL mode and the copy would be too; a backup is better as one file.
            target.execute("PRAGMA journal_mode = DELETE")
            verdict = target.execute("PRAGMA integrity_check").fetchone()
            if verdict is None or verdict[0] != "ok":
                raise BackupError(f"the copy of {db_path} fails integrity_check ({verdict}); the source may be damaged")
            row = target.execute("SELECT count(*) FROM queries").fetchone()
            return int(row[0]) if row else 0
        finally:
            target.close()
    finally:
        source.close()


def _copy_key(db_path: Path, dest: Path) -> Path | None:
    key, key_dest = key_path_for(db_path), key_path_for(dest)
    if not key.is_file():
        return None
    try:
        _create_private(key_dest)
        shutil.copyfile(key, key_dest)
    except OSError as exc:
        with contextlib.suppress(OSError):
            key_dest.unlink()
        raise BackupError(f"backed up the database to {dest} but cannot copy the key {key}: {exc}") from exc
    return key_dest
