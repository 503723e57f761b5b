"""`factbot health`: exit 0 only when the store checks and the database opens, migrates and writes."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.adapters.cli import main as cli_main
from bot.config import Settings
from bot.ops.health import Check, check_live
from bot.ops.http import OpsServer
from bot.ops.metrics import QueryMetrics
from bot.querylog.schema import SCHEMA_VERSION
from tests.helpers import ROOT, copy_store
from tests.pgserver import PgServer

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "data" / "factbot.sqlite3"
    monkeypatch.setenv("FACTBOT_DB", str(db))
    monkeypatch.setenv("FACTBOT_LOG_LEVEL", "WARNING")
    monkeypatch.delenv("FACTBOT_METRICS_PORT", raising=False)
    monkeypatch.chdir(tmp_path)
    return db


def test_health_is_ok_on_the_committed_store_and_creates_a_migrated_database(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli_main(["health"]) == 0
    out = capsys.readouterr().out
    assert "store: ok:" in out and "facts from 5 documents" in out
    assert "database: ok" in out and out.rstrip().endswith("factbot health: ok")
    conn = sqlite3.connect(env)
    try:
        assert conn.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    finally:
        conn.close()


def test_health_fails_with_the_reason_when_the_store_is_broken(
    env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = copy_store(tmp_path / "copy")
    (paths.facts_dir / "vocabulary.yaml").write_text("places: [\n", encoding="utf-8")
    monkeypatch.setenv("FACTBOT_FACTS_DIR", str(paths.facts_dir))
    assert cli_main(["health"]) == 1
    err = capsys.readouterr().err
    assert "store: FAILED" in err and "vocabulary.yaml" in err
    assert "factbot health: FAILED (store)" in err


def test_health_fails_with_the_reason_when_the_database_is_not_a_database(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env.parent.mkdir(parents=True)
    env.write_bytes(b"not a database at all" * 200)
    assert cli_main(["health"]) == 1
    err = capsys.readouterr().err
    assert f"database: FAILED: {env}" in err and "not a database" in err
    assert "factbot health: FAILED (database)" in err


def test_health_fails_when_the_database_is_locked_by_another_writer(
    env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli_main(["health"]) == 0
    capsys.readouterr()
    monkeypatch.setattr("bot.ops.health.DB_TIMEOUT_SECONDS", 0.1)
    holder = sqlite3.connect(env, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        assert cli_main(["health"]) == 1
    finally:
        holder.close()
    assert "database is locked" in capsys.readouterr().err


async def test_health_live_reports_the_running_bots_failing_part(tmp_path: Path) -> None:
    parts = [Check("gateway", False, "not connected to Discord"), Check("store", True, "133 facts")]
    server = OpsServer(QueryMetrics(), lambda: parts, bind="127.0.0.1", port=0)
    await server.start()
    try:
        assert server.port is not None
        settings = Settings(metrics_port=server.port, data_dir=tmp_path, db_path=tmp_path / "db.sqlite3")
        failed = await asyncio.to_thread(check_live, settings)
        assert not failed.ok and "503" in failed.detail and "gateway: not connected to Discord" in failed.detail
        parts[0] = Check("gateway", True, "connected")
        ok = await asyncio.to_thread(check_live, settings)
        assert ok.ok, ok.detail
    finally:
        await server.stop()
    gone = await asyncio.to_thread(check_live, settings)
    assert not gone.ok and "is the bot running?" in gone.detail
    unset = check_live(Settings(data_dir=tmp_path, db_path=tmp_path / "db.sqlite3"))
    assert not unset.ok and "FACTBOT_METRICS_PORT is not set" in unset.detail


def test_run_without_a_token_and_without_a_terminal_exits_non_zero_with_one_line(tmp_path: Path) -> None:
    """As in a container or a service unit: stdin is /dev/null, so a console could only exit at once."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FACTBOT_", "DISCORD_"))}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, cwd=tmp_path, timeout=60,
        env={**env, "PYTHONPATH": str(ROOT), "FACTBOT_DATA_DIR": str(tmp_path / "data")},
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and "DISCORD_TOKEN is not set" in lines[0]


def test_health_with_postgresql_checks_the_server_and_names_it_without_the_password(
    env: Path, pg_server: PgServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FACTBOT_DATABASE_URL", pg_server.create_database())
    assert cli_main(["health"]) == 0
    out = capsys.readouterr().out
    assert "database: ok" in out and "is migrated and writable" in out
    assert not env.exists()  # the SQLite file is not the log here

    monkeypatch.setenv("FACTBOT_DATABASE_URL", "postgresql://u:hunter2@127.0.0.1:1/none")
    assert cli_main(["health"]) == 1
    err = capsys.readouterr().err
    assert "database: FAILED" in err and "127.0.0.1:1" in err and "hunter2" not in err
