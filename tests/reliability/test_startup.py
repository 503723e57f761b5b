"""Start-up can never hang: a spool the defect report left behind is replayed (bad rows
quarantined), a fatal error exits non-zero, and the CLI's text is valid UTF-8."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.discord_app.runner import BAD_TOKEN_GATEWAY, serve
from bot.querylog import QueryLog, QueryRecord
from bot.querylog.records import to_row
from bot.querylog.schema import ROW_COLUMNS
from fakediscord import FakeDiscord
from tests.discord_app.harness import make_settings, text_of
from tests.helpers import ROOT
from tests.reliability.botproc import bot_process

pytestmark = pytest.mark.timeout(90)


def _row(text: str, **changes: object) -> str:
    rec = QueryRecord(surface="prefix", query=text, status="answered")
    row = dict(zip(ROW_COLUMNS, to_row(rec, user_hash=None, user_id=None), strict=True))
    return json.dumps({**row, **changes}) + "\n"


async def test_factbot_run_starts_on_a_spool_of_bad_rows_serves_and_stops(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    # The state the defect left: a claimed spool with a lone surrogate, a huge integer and a
    # wrong type between good rows. Before: replay failed at every start and run hung.
    replaying = tmp_path / "log.sqlite3.spool.jsonl.replaying"
    replaying.write_text(
        _row("good one") + _row("x", query="\ud83d") + _row("y", channel_id=10**40)
        + _row("z", latency_ms=[1, 2]) + _row("good two")
    )  # fmt: skip
    async with bot_process(fake_discord, tmp_path) as process:
        await fake_discord.wait_until_connected(timeout=30)
        await fake_discord.send_message("!trade xizang 2023")
        assert "10 billion yuan" in text_of(await fake_discord.wait_for_reply(fake_discord.channel_id, timeout=30))
        process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(process.wait(), 30)
        assert process.stderr is not None
        stderr = (await process.stderr.read()).decode()
    assert code == 0, stderr
    assert "CRITICAL" not in stderr and "Traceback" not in stderr
    with sqlite3.connect(tmp_path / "log.sqlite3") as conn:
        queries = sorted(r[0] for r in conn.execute("SELECT query FROM queries"))
    assert queries == ["!trade xizang 2023", "good one", "good two"]
    assert not replaying.exists()
    assert len((tmp_path / "log.sqlite3.rejected.jsonl").read_text().splitlines()) == 3


async def test_a_store_that_cannot_load_exits_non_zero_with_the_problem(
    tmp_path: Path, fake_discord: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    settings = make_settings(tmp_path, fake_discord.config, facts_dir=tmp_path / "none", seeds_dir=tmp_path / "none")
    code = await asyncio.wait_for(serve(settings), 20)
    assert code != 0
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "no vocabulary" in errors[0]


async def test_an_unexpected_start_up_error_exits_non_zero_instead_of_hanging(
    tmp_path: Path, fake_discord: FakeDiscord, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken_open(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug nobody planned for")

    monkeypatch.setattr(QueryLog, "open", broken_open)
    settings = make_settings(tmp_path, fake_discord.config)
    code = await asyncio.wait_for(serve(settings), 20)
    assert code != 0
    assert any(r.levelno == logging.CRITICAL and r.exc_info for r in caplog.records)


async def test_gateway_close_4004_says_the_token_was_refused(
    tmp_path: Path, fake_discord: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    settings = make_settings(tmp_path, fake_discord.config)
    task = asyncio.create_task(serve(settings))
    await fake_discord.wait_until_connected()
    await fake_discord.drop_connection(4004)
    code = await asyncio.wait_for(task, 20)
    assert code != 0
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [BAD_TOKEN_GATEWAY]
    assert "DISCORD_TOKEN" in errors[0] and "4004" in errors[0]


def test_ask_json_on_invalid_utf8_stdin_prints_valid_utf8_and_logs_the_row(tmp_path: Path) -> None:
    db = tmp_path / "q.sqlite3"
    base = {**os.environ, "FACTBOT_LOG_LEVEL": "WARNING", "FACTBOT_DB": str(db), "LC_ALL": "C"}
    # the C locale (UTF-8 mode with surrogateescape, as reported) and plain ASCII; the
    # second run also proves the first left nothing that blocks a start
    for env in (base, {**base, "PYTHONUTF8": "0"}):
        out = subprocess.run(
            [sys.executable, "-m", "bot", "ask", "--json", "-"],
            input=b"trade \xff xizang 2023\n", capture_output=True, cwd=ROOT, timeout=60, env=env,
        )  # fmt: skip
        assert out.returncode == 0, out.stderr
        line = out.stdout.decode("utf-8").splitlines()[0]  # strict: raises on invalid UTF-8
        assert json.loads(line)["query"] == "trade \ufffd xizang 2023"
        assert b"CRITICAL" not in out.stderr
    with sqlite3.connect(db) as conn:
        assert [r[0] for r in conn.execute("SELECT query FROM queries")] == ["trade \ufffd xizang 2023"] * 2
