"""Load through the fake Discord on 127.0.0.1: many users in many channels and DMs,
each asking as fast as the bot answers (a closed loop: the highest rate the machine
sustains), against a real `factbot run` process.

It reports replies per second, p50 / p95 / p99 reply latency (message sent -> reply
received by the fake) and the bot process's peak memory, and it asserts that every
query was answered exactly once and logged exactly once.

`make test` runs a small version (under a minute); `make soak` the full one:
10,000 queries from 200 users across 20 channels and their DMs (FACTBOT_SOAK=1).
The figures are printed, not asserted: timing belongs to measurement, not to pass/fail.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sqlite3
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from fakediscord import FakeConfig, FakeDiscord, FakeGuild, FakeUser, fixed_snowflake
from tests.reliability.botproc import bot_process

FULL = os.environ.get("FACTBOT_SOAK") == "1"
QUERIES, USERS = (10_000, 200) if FULL else (2_000, 100)
CHANNELS = 20  # two servers of ten text channels
DM_SHARE = 0.2  # one question in five is a DM

QUESTIONS = (
    "!trade xizang 2023", "!trade kashgar first 11 months of 2023", "!gdp xinjiang", "!fact tourism tibet 2023",
    "!trade atlantis 2023", "!ask how much did xinjiang trade with central asia in 2023", "!sources",
)  # fmt: skip

pytestmark = pytest.mark.timeout(1800 if FULL else 120)


def _config() -> FakeConfig:
    guilds = tuple(
        FakeGuild(
            id=fixed_snowflake(100 + g),
            name=f"server {g}",
            text_channels=tuple((fixed_snowflake(200 + g * 20 + c), f"c{c}") for c in range(CHANNELS // 2)),
            owner_id=fixed_snowflake(2),
            bot_role_id=fixed_snowflake(150 + g),
        )
        for g in range(2)
    )
    users = tuple(FakeUser(fixed_snowflake(1000 + i), f"user{i}") for i in range(USERS))
    return FakeConfig(guilds=guilds, extra_users=users)


@dataclass
class Sent:
    tag: str
    channel: int
    dm: bool
    at: float
    message_id: int = 0
    replied_at: float | None = None


class ReplyWatch:
    """Stamps each reply as the fake records it (woken by the fake, no polling)."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self.by_message: dict[int, asyncio.Future[float]] = {}
        self.by_dm: dict[int, asyncio.Future[float]] = {}
        self.replies_per_message: Counter[int] = Counter()
        self.replies_per_dm: Counter[int] = Counter()
        self._seen = 0

    def expect(self, sent: Sent) -> asyncio.Future[float]:
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        if sent.dm:
            self.by_dm[sent.channel] = future
        else:
            self.by_message[sent.message_id] = future
        return future

    def _stamp(self) -> None:
        now = time.monotonic()
        posted = self.fake.posted
        for item in posted[self._seen :]:
            ref = item.reference_id
            future = None
            if ref is not None:
                self.replies_per_message[ref] += 1
                future = self.by_message.pop(ref, None)
            else:
                self.replies_per_dm[item.channel_id] += 1
                future = self.by_dm.pop(item.channel_id, None)
            if future is not None and not future.done():
                future.set_result(now)
        self._seen = len(posted)

    async def run(self) -> None:
        while True:
            await self.fake.wait_until(lambda: len(self.fake.posted) > self._seen or None, 3600, "replies")
            self._stamp()


async def _user(fake: FakeDiscord, watch: ReplyWatch, user: FakeUser, n: int, index: int, out: list[Sent]) -> None:
    rng = random.Random(index)
    channels = [c for g in fake.config.guilds for c, _ in g.text_channels]
    for k in range(n):
        dm = rng.random() < DM_SHARE
        tag = f"u{index}q{k}"
        text = f"{rng.choice(QUESTIONS)} {tag}"
        channel = fake.dm_channel_id(user) if dm else channels[(index + k) % len(channels)]
        sent = Sent(tag, channel, dm, time.monotonic())
        if dm:
            future = watch.expect(sent)  # one DM in flight per user: the reply is the next message there
            sent.message_id = await fake.send_message(text[1:] if text.startswith("!") else text, author=user,
                                                      guild=False)  # fmt: skip
        else:
            sent.message_id = await fake.send_message(text, author=user, channel_id=channel)
            future = watch.expect(sent)
        sent.replied_at = await asyncio.wait_for(future, 60)
        out.append(sent)


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))]


async def test_load_every_query_answered_once_and_logged_once(tmp_path: Path) -> None:
    async with FakeDiscord(_config()) as fake, bot_process(fake, tmp_path) as process:
        await fake.wait_until_connected(timeout=60)
        watch = ReplyWatch(fake)
        watcher = asyncio.create_task(watch.run())
        sent: list[Sent] = []
        per_user = [QUERIES // USERS + (1 if i < QUERIES % USERS else 0) for i in range(USERS)]
        users = fake.config.extra_users
        started = time.monotonic()
        await asyncio.gather(*(_user(fake, watch, users[i], per_user[i], i, sent) for i in range(USERS)))
        elapsed = time.monotonic() - started
        await asyncio.sleep(0.5)  # a duplicate reply, if any, would arrive now
        watch._stamp()
        watcher.cancel()
        peak_mb = _peak_rss_mb(process.pid)
        process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(process.wait(), 60)
        assert process.stderr is not None
        stderr = (await process.stderr.read()).decode()
    assert code == 0, stderr[-2000:]

    latencies = [(s.replied_at or 0) - s.at for s in sent]
    figures = (
        f"load: {len(sent)} queries from {USERS} users in {CHANNELS} channels + DMs in {elapsed:.1f} s: "
        f"{len(sent) / elapsed:.0f} replies/s; latency p50 {_percentile(latencies, 50) * 1000:.0f} ms, "
        f"p95 {_percentile(latencies, 95) * 1000:.0f} ms, p99 {_percentile(latencies, 99) * 1000:.0f} ms; "
        f"bot peak RSS {peak_mb:.0f} MB"
    )
    print("\n" + figures)
    (tmp_path.parent / "load-figures.txt").write_text(figures + "\n")

    # answered exactly once
    assert len(sent) == QUERIES
    guild_sent = [s for s in sent if not s.dm]
    assert all(watch.replies_per_message[s.message_id] == 1 for s in guild_sent)
    dm_counts = Counter(s.channel for s in sent if s.dm)
    assert dict(watch.replies_per_dm) == dict(dm_counts)
    # logged exactly once, and every reply marked delivered
    with sqlite3.connect(tmp_path / "log.sqlite3") as conn:
        rows = list(conn.execute("SELECT query, delivered FROM queries"))
    tags = Counter(q.rsplit(" ", 1)[-1] for q, _ in rows if q.rsplit(" ", 1)[-1].startswith("u"))
    assert len(tags) == QUERIES and set(tags.values()) == {1}
    assert {d for q, d in rows if "ref-probe" not in q} == {1}
