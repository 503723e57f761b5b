"""Round trips per second through a real discord.py client and the fake Discord.

A round trip is one MESSAGE_CREATE dispatched by the fake until the bot's
reply ``POST /channels/{id}/messages`` is recorded: gateway parsing, command
dispatch, the bot's own work, and the REST call. ``measure_roundtrips``
takes any bot factory, so the full factbot bot can be measured with the same
harness against this bare baseline (a ``commands.Bot`` answering ``!ping``
with ``pong``).

Everything runs on 127.0.0.1 in one process and one event loop: the figure
includes the fake's own cost, which is the same for every bot measured.
Run: ``python -m bench.bench_roundtrip_bare [n] [concurrency]``.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import discord
from discord.ext import commands

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `fakediscord` importable
    sys.path.insert(0, str(ROOT))

from fakediscord import FakeConfig, FakeDiscord  # noqa: E402

BotFactory = Callable[[], discord.Client | Awaitable[discord.Client]]

WARMUP = 20
REPLY_TIMEOUT = 10.0  # per reply; a bot slower than this is broken, not slow
DEADLINE = 120.0  # for the whole measured run


def make_bare_bot() -> commands.Bot:
    """The baseline: a prefix-command bot that replies "pong" to "!ping"."""
    intents = discord.Intents.default()
    intents.message_content = True
    bot = commands.Bot(command_prefix="!", intents=intents, help_command=None)

    @bot.command()
    async def ping(ctx: commands.Context[commands.Bot]) -> None:
        await ctx.send("pong")

    return bot


async def _exchange(fake: FakeDiscord, content: str, n: int, concurrency: int, dm: bool) -> None:
    """Send ``n`` messages with at most ``concurrency`` awaiting their reply."""
    in_flight = asyncio.Semaphore(concurrency)
    channel_id = fake.dm_channel_id() if dm else fake.channel_id

    async def send_all() -> None:
        for _ in range(n):
            await in_flight.acquire()
            await fake.send_message(content, guild=not dm)

    async def receive_all() -> None:
        for _ in range(n):
            await fake.wait_for_reply(channel_id, timeout=REPLY_TIMEOUT)
            in_flight.release()

    await asyncio.gather(send_all(), receive_all())


async def measure_roundtrips(
    make_bot: BotFactory,
    content: str = "!ping",
    n: int = 500,
    concurrency: int = 20,
    *,
    dm: bool = False,
    config: FakeConfig | None = None,
) -> float:
    """Round trips per second of the bot ``make_bot()`` answering ``content``.

    The bot must answer each message with exactly one channel message.
    ``concurrency`` bounds how many messages await a reply at once. A warm-up
    of a few round trips runs first, outside the timing.
    """
    if n < 1 or concurrency < 1:
        raise ValueError("n and concurrency must be at least 1")
    async with FakeDiscord(config) as fake:
        made = make_bot()
        bot = await made if inspect.isawaitable(made) else made
        return await timed(fake, bot, lambda count: _exchange(fake, content, count, concurrency, dm), n)


async def timed(fake: FakeDiscord, bot: discord.Client, exchange: Callable[[int], Awaitable[None]], n: int) -> float:
    """Round trips per second of `exchange(n)` with `bot` connected, after a warm-up outside the timing."""
    async with fake.run_bot(bot):
        await exchange(min(WARMUP, n))
        loop = asyncio.get_running_loop()
        started = loop.time()
        await asyncio.wait_for(exchange(n), DEADLINE)
        elapsed = loop.time() - started
    return n / elapsed


async def measure_bare_roundtrips(n: int = 500, concurrency: int = 20) -> float:
    """Round trips per second of the bare baseline bot."""
    return await measure_roundtrips(make_bare_bot, "!ping", n, concurrency)


def main(argv: list[str]) -> None:
    n = int(argv[0]) if argv else 500
    concurrency = int(argv[1]) if len(argv) > 1 else 20
    logging.basicConfig(level=logging.ERROR)
    rate = asyncio.run(measure_bare_roundtrips(n, concurrency))
    print(f"bare discord.py bot: {rate:.0f} round trips/s (n={n}, concurrency={concurrency})")


if __name__ == "__main__":
    main(sys.argv[1:])
