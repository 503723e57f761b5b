"""CSV export and the `factbot stats` command."""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import Settings
from bot.querylog import QueryLog, QueryRecord
from bot.querylog.cli import add_stats_command
from bot.querylog.export import CSV_COLUMNS
from bot.querylog.postgres import PgQueryLog
from tests.pgserver import PgServer
from tests.querylog.conftest import OpenLog
from tests.querylog.helpers import rec


def window_and_outside(now: datetime) -> tuple[list[QueryRecord], list[QueryRecord]]:
    inside = [
        rec("plain", time=now, user_id=1, latency_ms=5.0),
        rec('comma, "quotes"\nand a newline', time=now - timedelta(days=2), status="not_found"),
        rec("=cmd|' /C calc'!A0", time=now - timedelta(days=6, hours=-1), surface="dm"),
    ]
    outside = [rec("too old", time=now - timedelta(days=8))]
    return inside, outside


async def test_csv_export_has_a_header_and_one_record_per_row_of_the_window(open_log: OpenLog, tmp_path: Path) -> None:
    now = datetime.now(UTC)
    inside, outside = window_and_outside(now)
    log = await open_log()
    for r in inside + outside:
        assert await log.record(r)

    text = await log.export_csv(days=7, now=now)

    parsed = list(csv.reader(io.StringIO(text)))
    assert parsed[0] == list(CSV_COLUMNS)
    body = [dict(zip(CSV_COLUMNS, line, strict=True)) for line in parsed[1:]]
    assert [row["uid"] for row in body] == [r.uid for r in sorted(inside, key=lambda r: r.time)]
    # text round-trips, except that a cell a spreadsheet would evaluate gets a leading quote (OWASP)
    assert {row["query"] for row in body} == {("'" if r.query[0] == "=" else "") + r.query for r in inside}
    dest = tmp_path / "export.csv"
    assert await log.write_csv(dest, days=7, now=now) == len(inside)
    assert dest.read_bytes() == text.encode("utf-8")


def stats_cli(settings: Settings, *argv: str) -> int:
    parser = argparse.ArgumentParser(prog="factbot")
    add_stats_command(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["stats", *argv])
    return int(args.func(args, settings))


def fill(db: Path, records: list[QueryRecord]) -> None:
    async def go() -> None:
        async with await QueryLog.open(db) as log:
            for r in records:
                assert await log.record(r)

    asyncio.run(go())


def test_stats_command_prints_the_report(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inside, outside = window_and_outside(datetime.now(UTC))
    fill(db, inside + outside)
    assert stats_cli(Settings(db_path=db), "--days", "7") == 0
    out = capsys.readouterr().out
    assert "Queries, last 7 days" in out
    assert f"{len(inside)} queries" in out


def test_stats_command_reports_every_process_of_a_shared_postgresql(
    pg_server: PgServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dsn = pg_server.create_database()
    inside, outside = window_and_outside(datetime.now(UTC))

    async def two_processes() -> None:
        # two bots, each with its own data dir, one database
        a = await PgQueryLog.start(dsn, tmp_path / "a" / "q.sqlite3")
        b = await PgQueryLog.start(dsn, tmp_path / "b" / "q.sqlite3")
        async with a, b:
            for i, r in enumerate(inside + outside):
                assert await (a if i % 2 else b).record(r)

    asyncio.run(two_processes())
    settings = Settings(db_path=tmp_path / "unused.sqlite3", database_url=dsn)
    assert stats_cli(settings, "--days", "7") == 0
    assert f"{len(inside)} queries" in capsys.readouterr().out
    assert stats_cli(settings, "--csv", "-") == 0
    assert len(list(csv.reader(io.StringIO(capsys.readouterr().out)))) == len(inside) + 1
    assert not (tmp_path / "unused.sqlite3").exists()


def test_stats_command_names_an_unreachable_server_without_its_password(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Settings(db_path=tmp_path / "q.sqlite3", database_url="postgresql://u:pw123@127.0.0.1:1/db")
    assert stats_cli(settings) == 1
    err = capsys.readouterr().err
    assert "cannot read postgresql://u:***@127.0.0.1:1/db" in err and "pw123" not in err


def test_stats_command_exports_csv(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inside, _ = window_and_outside(datetime.now(UTC))
    fill(db, inside)
    assert stats_cli(Settings(db_path=db), "--csv", "-") == 0
    assert len(list(csv.reader(io.StringIO(capsys.readouterr().out)))) == len(inside) + 1
    dest = tmp_path / "out.csv"
    assert stats_cli(Settings(db_path=db), "--days", "1", "--csv", str(dest)) == 0
    assert len(list(csv.reader(dest.open(newline="")))) == 1 + 1  # header + the row made "now" (today)


def test_stats_command_explains_a_missing_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere" / "factbot.sqlite3"
    assert stats_cli(Settings(db_path=missing)) == 1
    assert "no query log at" in capsys.readouterr().err
    assert not missing.exists()  # a report never creates the file


def test_stats_command_refuses_a_bad_day_count(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        stats_cli(Settings(), "--days", "0")
    assert "at least 1" in capsys.readouterr().err
