"""Round trips per second of the full factbot bot against the bare pong bot, in one run.

A round trip is one MESSAGE_CREATE dispatched by the fake Discord until the
bot's reply is recorded (see `bench_roundtrip_bare`). The full bot answers
`!trade xizang 2023`: prefix routing, the request pipeline (after the first
message the reply comes from the pipeline's reply cache, as a popular question's
does in production; the embed is rendered afresh each time), the query-log
row committed to SQLite (a temporary file) before the reply, an embed sent as a
reply to the question. The bare bot answers
`!ping` with `pong`. Both are measured by the same method in the same process,
so the ratio is what factbot's own work costs.

The machine's speed drifts from second to second (shared CPUs), so rounds
alternate bare and full, each from a collected heap and a fresh fake, and the
figures are medians over the rounds.

discord.py allows one request in flight per route bucket (one channel), so
with every message in one channel the bucket, not the bot, sets the pace.
Both bots are therefore measured on messages spread round-robin over
`CHANNELS` channels, and the single-channel figures are printed as well.

Run: `python -m bench.bench_roundtrip [n] [concurrency] [rounds]`.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import statistics
import sys
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from pathlib import Path

import discord

from bench.bench_roundtrip_bare import REPLY_TIMEOUT, make_bare_bot, measure_roundtrips, timed
from bot.config import Settings
from bot.discord_app.factory import create_bot
from bot.querylog import QueryLog
from bot.service import FactService
from bot.store import StorePaths
from fakediscord import FakeConfig, FakeDiscord, fixed_snowflake

ROOT = Path(__file__).resolve().parent.parent
CHANNELS = 8
FULL_QUERY = "!trade xizang 2023"
BARE_QUERY = "!ping"
TARGET_RATIO = 0.5

MakeBot = Callable[[], Awaitable[discord.Client]]


def many_channels_config(n: int = CHANNELS) -> FakeConfig:
    """The default fake world with `n` text channels in its guild."""
    base = FakeConfig()
    guild = base.guilds[0]
    channels = tuple((fixed_snowflake(100 + i), f"facts-{i}") for i in range(n))
    return replace(base, guilds=(replace(guild, text_channels=channels),))


@contextlib.asynccontextmanager
async def full_bot_factory(tmp: Path) -> AsyncIterator[MakeBot]:
    """A factory for the full bot (query log on a file in `tmp`); closes the logs it opened."""
    service = FactService.load(StorePaths(ROOT / "facts", ROOT / "seeds"))
    opened: list[QueryLog] = []

    async def make() -> discord.Client:
        settings = Settings(
            token=FakeConfig().token, data_dir=tmp / "data", db_path=tmp / "data" / f"bench-{len(opened)}.sqlite3",
            cooldown_rate=0,  # one simulated user sends everything: measure the bot, not the per-user cooldown
        )
        querylog = await QueryLog.open(settings.db_path)
        opened.append(querylog)
        return create_bot(settings, service, querylog)

    try:
        yield make
    finally:
        for querylog in opened:
            await querylog.close()


async def _spread(fake: FakeDiscord, content: str, n: int, concurrency: int, channels: list[int]) -> None:
    """`n` messages round-robin over `channels`, at most `concurrency` awaiting a reply."""
    in_flight = asyncio.Semaphore(concurrency)

    async def send_all() -> None:
        for i in range(n):
            await in_flight.acquire()
            await fake.send_message(content, channel_id=channels[i % len(channels)])

    async def receive_all() -> None:
        for _ in range(n):
            await fake.wait_for_reply(None, timeout=REPLY_TIMEOUT)
            in_flight.release()

    await asyncio.gather(send_all(), receive_all())


async def measure_spread(make_bot: MakeBot, content: str, n: int, concurrency: int) -> float:
    """Round trips per second with messages spread over several channels (same for every bot)."""
    config = many_channels_config()
    channels = [cid for cid, _ in config.guilds[0].text_channels]
    async with FakeDiscord(config) as fake:
        bot = await make_bot()
        return await timed(fake, bot, lambda count: _spread(fake, content, count, concurrency, channels), n)


async def _bare() -> discord.Client:
    return make_bare_bot()


async def measure(n: int, concurrency: int, rounds: int) -> dict[str, list[float]]:
    """Rounds alternate bare and full, so a slow moment of the machine hits both alike.

    Every measurement starts from a collected heap and a fresh fake; a full bot's
    query log is closed (flushed) after its round, outside the timing.
    """
    found: dict[str, list[float]] = {"bare": [], "full": [], "bare_one": [], "full_one": []}

    async def full(measure_one: Callable[[MakeBot], Awaitable[float]]) -> float:
        async with full_bot_factory(Path(tmp)) as make_full:
            return await measure_one(make_full)

    with tempfile.TemporaryDirectory(prefix="factbot-bench-") as tmp:
        for _ in range(rounds):
            gc.collect()
            found["bare"].append(await measure_spread(_bare, BARE_QUERY, n, concurrency))
            gc.collect()
            found["full"].append(await full(lambda make: measure_spread(make, FULL_QUERY, n, concurrency)))
        gc.collect()
        found["bare_one"].append(await measure_roundtrips(make_bare_bot, BARE_QUERY, n, concurrency))
        gc.collect()
        found["full_one"].append(await full(lambda make: measure_roundtrips(make, FULL_QUERY, n, concurrency)))
    return found


def run(n: int = 400, concurrency: int = 20, rounds: int = 5) -> list[str]:
    logging.getLogger("discord").setLevel(logging.ERROR)
    logging.getLogger("bot").setLevel(logging.ERROR)
    r = asyncio.run(measure(n, concurrency, rounds))
    bare, full = statistics.median(r["bare"]), statistics.median(r["full"])
    ratio = statistics.median(f / b for f, b in zip(r["full"], r["bare"], strict=True))
    verdict = "meets" if ratio >= TARGET_RATIO else "BELOW"
    bare_one, full_one = r["bare_one"][0], r["full_one"][0]
    return [
        f"round trips through the fake Discord (n={n} per round, concurrency={concurrency}, {CHANNELS} channels, "
        f"median of {rounds} alternating rounds):",
        f"  bare pong bot ({BARE_QUERY}):                          {bare:7.0f} /s",
        f"  full factbot ({FULL_QUERY}, query log on): {full:7.0f} /s",
        f"  ratio full/bare: {ratio:.3f} ({verdict} the {TARGET_RATIO} target)",
        f"  one channel only (bound by the per-channel bucket): bare {bare_one:.0f} /s, full {full_one:.0f} /s, "
        f"ratio {full_one / bare_one:.2f}",
    ]


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:4]]
    print("\n".join(run(*args)))
