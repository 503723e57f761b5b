"""The query log under a real bot process: `factbot run` against the fake Discord,
stopped by SIGTERM or killed with SIGKILL in the middle of a burst.

The promise: a reply is sent only after its row is committed, so every query
whose reply the fake received is in the database, which passes its integrity
check, however the process ended.
"""

from __future__ import annotations

import asyncio
import signal
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from fakediscord import FakeDiscord
from tests.reliability.botproc import bot_process

BURST = 40


@asynccontextmanager
async def answering_bot(fake: FakeDiscord, data_dir: Path) -> AsyncIterator[asyncio.subprocess.Process]:
    """`python -m bot run` pointed at the fake (tests/reliability/botproc.py), once it answers."""
    async with bot_process(fake, data_dir) as process:
        await fake.wait_until_connected(timeout=30)
        # the first answer proves the store is loaded and the commands are registered
        await fake.send_message("!trade xizang 2023 ref-probe")
        await fake.wait_for_reply(fake.channel_id, timeout=30)
        yield process


async def send_burst(fake: FakeDiscord) -> dict[int, str]:
    """BURST queries at once; message id -> its unique tag."""
    tags = [f"ref{i:03d}" for i in range(BURST)]
    ids = await asyncio.gather(*(fake.send_message(f"!trade xizang 2023 {tag}") for tag in tags))
    return dict(zip(ids, tags, strict=True))


def replied_tags(fake: FakeDiscord, sent: dict[int, str]) -> set[str]:
    return {sent[p.reference_id] for p in fake.posted if p.reference_id in sent}


def logged(db: Path) -> tuple[str, list[str]]:
    with sqlite3.connect(db) as conn:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        queries = [row[0] for row in conn.execute("SELECT query FROM queries")]
    return integrity, queries


def missing(tags: set[str], queries: list[str]) -> set[str]:
    return {tag for tag in tags if not any(tag in q for q in queries)}


@pytest.mark.timeout(120)
async def test_sigterm_under_load_keeps_every_replied_query(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    async with answering_bot(fake_discord, tmp_path) as process:
        sent = await send_burst(fake_discord)
        half = BURST // 2
        await fake_discord.wait_until(lambda: len(replied_tags(fake_discord, sent)) >= half or None, 30, "replies")
        process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(process.wait(), 30)
        assert process.stderr is not None
        stderr = (await process.stderr.read()).decode()
    assert code == 0, stderr
    assert fake_discord.config.token not in stderr
    integrity, queries = logged(tmp_path / "log.sqlite3")
    assert integrity == "ok"
    replied = replied_tags(fake_discord, sent)
    assert len(replied) >= BURST // 2
    assert missing(replied, queries) == set()


@pytest.mark.timeout(120)
async def test_kill_9_under_load_keeps_every_replied_query(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    async with answering_bot(fake_discord, tmp_path) as process:
        sent = await send_burst(fake_discord)
        await fake_discord.wait_until(lambda: len(replied_tags(fake_discord, sent)) >= 5 or None, 30, "replies")
        process.kill()  # SIGKILL: no handler, no flush, no goodbye
        await process.wait()
        replied = replied_tags(fake_discord, sent)
    assert process.returncode == -signal.SIGKILL
    integrity, queries = logged(tmp_path / "log.sqlite3")
    assert integrity == "ok"
    assert replied, "the bot replied to nothing before it was killed"
    assert missing(replied, queries) == set()
