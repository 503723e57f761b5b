"""SIGTERM (what `stop` stands for) in the middle of a burst: new work is refused, what
is in flight is finished and delivered, then the connection and the log are closed."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from pathlib import Path

import pytest

from bot.discord_app.runner import serve
from fakediscord import FakeDiscord
from tests.discord_app.harness import make_settings

pytestmark = pytest.mark.timeout(90)

BURST = 200


async def test_stop_mid_burst_finishes_every_accepted_query_and_delivers_its_reply(
    tmp_path: Path, fake_discord: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    fake = fake_discord
    settings = make_settings(tmp_path, fake.config)
    stop = asyncio.Event()
    task = asyncio.create_task(serve(settings, stop=stop))
    await fake.wait_until_connected()
    channels = [c for c, _ in fake.config.guilds[0].text_channels]
    sent = await asyncio.gather(
        *(fake.send_message(f"!trade xizang 2023 tag{i:03d}", channel_id=channels[i % len(channels)])
          for i in range(BURST))
    )  # fmt: skip
    await fake.wait_until(lambda: len(fake.posted) >= BURST // 4 or None, 30, "a quarter of the replies")
    stop.set()  # the SIGTERM handler does exactly this
    assert await asyncio.wait_for(task, 60) == 0

    with sqlite3.connect(settings.db_path) as conn:
        rows = list(conn.execute("SELECT query, status, delivered, error FROM queries"))
    replied = {p.reference_id for p in fake.posted if p.reference_id in set(sent)}
    tags = {q.rsplit(" ", 1)[-1] for q, *_ in rows}
    assert len(rows) == len(tags) >= BURST // 4  # each accepted query logged once
    # every query the bot took on was answered: its reply was sent and the row says so
    undelivered = [r for r in rows if r[2] != 1]
    assert undelivered == []
    assert len(replied) == len(rows)
    assert "Session is closed" not in caplog.text
