"""1,000 concurrent questions through the engine and the log, as an adapter runs them."""

from __future__ import annotations

import asyncio
import sqlite3
from collections import Counter
from pathlib import Path

from bot.app.commands import CommandRouter
from bot.app.pipeline import Pipeline, Request
from bot.service import FactService
from tests.helpers import real_engine, real_paths
from tests.querylog.conftest import OpenLog

QUESTIONS = ("trade xizang 2023", "gdp xinjiang 2024", "trade qinghai 2023", "population of xinjiang", "trade 2023")


async def test_1000_concurrent_queries_leave_exactly_1000_rows(open_log: OpenLog, db: Path) -> None:
    log = await open_log()
    engine = real_engine()
    pipeline = Pipeline(CommandRouter(FactService(real_paths(), engine)))

    async def one(i: int) -> bool:
        query = f"{QUESTIONS[i % len(QUESTIONS)]} #{i}"
        return await log.record(pipeline.answer(Request.question(query, "prefix", user_id=i)).record)

    await asyncio.gather(*(one(i) for i in range(1000)))
    assert await log.flush(timeout=30)
    assert log.commits < 1000  # rows that arrive together share a commit
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT query, status FROM queries").fetchall()
    assert len(rows) == 1000
    assert len({q for q, _ in rows}) == 1000
    expected = Counter(engine.ask(f"{QUESTIONS[i % len(QUESTIONS)]} #{i}").status.value for i in range(1000))
    assert Counter(s for _, s in rows) == expected
    assert log.dropped == 0 and log.spooled == 0
