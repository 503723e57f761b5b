"""The bot keeps answering while the query log's database is locked, and no row is lost."""

from __future__ import annotations

import sqlite3

import pytest

from bot.querylog import RECORD_WAIT_SECONDS
from tests.discord_app.harness import Harness, text_of

pytestmark = pytest.mark.timeout(30)


async def test_replies_go_on_while_another_process_holds_the_write_lock(factbot: Harness) -> None:
    await factbot.ask("!trade xizang 2023")  # the log is open and has its table
    blocker = sqlite3.connect(factbot.db, timeout=0.1, isolation_level=None)
    try:
        blocker.execute("BEGIN IMMEDIATE")  # what another writer holding the database looks like
        answers = [text_of(await factbot.ask(q)) for q in ("!trade xinjiang 2024", "!gdp tibet 2023")]
        assert "435.11 billion yuan" in answers[0]
        assert "240 billion yuan" in answers[1]
        assert len(factbot.rows()) == 1  # nothing new could be written yet
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert await factbot.querylog.flush(timeout=10 + RECORD_WAIT_SECONDS)
    assert [r["query"] for r in factbot.rows()] == ["!trade xizang 2023", "!trade xinjiang 2024", "!gdp tibet 2023"]
