"""`factbot backup`: a consistent online copy of the query log, taken while rows pour in."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from bot.adapters.cli import main as cli_main
from bot.ops.backup import BackupError, backup_database
from bot.querylog import QueryLog, QueryRecord
from bot.querylog.privacy import key_path_for

pytestmark = pytest.mark.timeout(60)


def _record(i: int) -> QueryRecord:
    return QueryRecord(surface="cli", query=f"trade xizang 2023 burst-{i:05d}", status="answered")


def _committed_queries(db: Path) -> set[str]:
    conn = sqlite3.connect(db)
    try:
        return {row[0] for row in conn.execute("SELECT query FROM queries")}
    finally:
        conn.close()


async def test_a_backup_during_a_burst_of_writes_is_whole_and_holds_every_row_committed_before_it(
    tmp_path: Path,
) -> None:
    db = tmp_path / "data" / "factbot.sqlite3"
    dest = tmp_path / "backups" / "copy.sqlite3"
    querylog = await QueryLog.open(db, retention_days=None)
    stop = asyncio.Event()
    sent = 0

    async def burst() -> None:
        nonlocal sent
        while not stop.is_set():
            waits = [querylog.record(_record(sent + i)) for i in range(50)]
            sent += len(waits)
            await asyncio.gather(*waits)

    writer = asyncio.create_task(burst())
    try:
        while len(await asyncio.to_thread(_committed_queries, db)) < 500:
            await asyncio.sleep(0.01)
        # read by another connection, as an operator's backup would see the file
        before = await asyncio.to_thread(_committed_queries, db)
        result = await asyncio.to_thread(backup_database, db, dest)
        during = sent
        await asyncio.sleep(0.2)  # the burst goes on after the copy
    finally:
        stop.set()
        await writer
        await querylog.close()

    assert len(before) >= 500
    conn = sqlite3.connect(dest)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        copied = {row[0] for row in conn.execute("SELECT query FROM queries")}
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    finally:
        conn.close()
    assert before <= copied, f"{len(before - copied)} committed row(s) missing from the backup"
    assert result.queries == len(copied)
    assert len(copied) <= during < sent  # rows kept coming after the backup
    assert key_path_for(dest).read_bytes() == key_path_for(db).read_bytes()
    for path in (dest, key_path_for(dest)):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert not dest.with_name(dest.name + ".partial").exists()


def test_backup_refuses_to_overwrite_and_says_when_there_is_no_database(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="no query log at"):
        backup_database(tmp_path / "missing.sqlite3", tmp_path / "copy.sqlite3")
    db = tmp_path / "db.sqlite3"
    sqlite3.connect(db).executescript("CREATE TABLE queries (id INTEGER); INSERT INTO queries VALUES (1);")
    existing = tmp_path / "copy.sqlite3"
    existing.write_text("keep me", encoding="utf-8")
    with pytest.raises(BackupError, match="already exists"):
        backup_database(db, existing)
    assert existing.read_text(encoding="utf-8") == "keep me"


def test_backup_of_a_file_that_is_not_a_database_leaves_nothing_behind(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    db.write_bytes(b"this is not sqlite" * 100)
    dest = tmp_path / "copy.sqlite3"
    with pytest.raises(BackupError, match="cannot back up"):
        backup_database(db, dest)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db.sqlite3"]


def test_the_cli_backs_up_and_stats_reads_the_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "data" / "factbot.sqlite3"
    monkeypatch.setenv("FACTBOT_DB", str(db))
    monkeypatch.setenv("FACTBOT_LOG_LEVEL", "WARNING")
    monkeypatch.chdir(tmp_path)
    old_umask = os.umask(0o022)
    try:
        assert cli_main(["ask", "trade", "xizang", "2023"]) == 0
        assert cli_main(["ask", "gdp", "kashgar", "2023"]) == 3  # nearest: its exit code (logged all the same)
        copy = tmp_path / "copy.sqlite3"
        assert cli_main(["backup", str(copy)]) == 0
        out = capsys.readouterr().out
        assert "backed up 2 logged queries" in out and str(copy) in out
        monkeypatch.setenv("FACTBOT_DB", str(copy))
        assert cli_main(["stats", "--days", "1"]) == 0
        report = capsys.readouterr().out
        assert "trade xizang 2023" in report
        assert cli_main(["backup", str(copy)]) == 1
        assert "already exists" in capsys.readouterr().err
    finally:
        os.umask(old_umask)
