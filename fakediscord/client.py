"""Pointing a real discord.py client at the fake, and running it for a test.

discord.py reads its endpoints from two class attributes:
``discord.http.Route.BASE`` (REST, also used by the interaction webhooks)
and ``DiscordWebSocket.DEFAULT_GATEWAY`` (a plain ``Client`` never asks
``GET /gateway``). ``patch_discord`` swaps both and always restores them.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from typing import TypeVar

import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from .waiting import FakeDiscordTimeout

ClientT = TypeVar("ClientT", bound=discord.Client)


@contextlib.contextmanager
def patch_discord(api_base: str, gateway_url: str) -> Iterator[None]:
    """Send every discord.py client in this process to ``api_base`` / ``gateway_url``."""
    old_base, old_gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    Route.BASE = api_base
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)
    try:
        yield
    finally:
        Route.BASE = old_base
        DiscordWebSocket.DEFAULT_GATEWAY = old_gateway


async def _identify_now(shard_id: int | None, *, initial: bool = False) -> None:
    """Replacement for ``Client.before_identify_hook``, which sleeps 5 s before a re-IDENTIFY."""


def speed_up(client: discord.Client, *, guild_ready_timeout: float = 0.05) -> None:
    """Remove discord.py's production waits from ``client``.

    ``on_ready`` fires only after no GUILD_CREATE arrived for
    ``guild_ready_timeout`` seconds (2 s by default; the fake sends every
    guild at once), and every IDENTIFY but the first waits 5 s.
    """
    client._connection.guild_ready_timeout = guild_ready_timeout
    client.before_identify_hook = _identify_now  # type: ignore[method-assign]


@contextlib.asynccontextmanager
async def running(
    client: ClientT, token: str, *, ready_timeout: float = 5.0, fast: bool = True
) -> AsyncIterator[ClientT]:
    """Log ``client`` in, connect it, wait for READY; close it on exit.

    Errors of the connection (``LoginFailure``, ``PrivilegedIntentsRequired``,
    ``ConnectionClosed``) are raised here instead of leaving
    ``wait_until_ready`` hanging.
    """
    if fast:
        speed_up(client)
    connect: asyncio.Task[None] | None = None
    try:
        await client.login(token)
        connect = asyncio.create_task(client.connect(reconnect=True), name="fakediscord-connect")
        ready = asyncio.create_task(client.wait_until_ready())
        done, _ = await asyncio.wait({ready, connect}, timeout=ready_timeout, return_when=asyncio.FIRST_COMPLETED)
        if ready not in done:
            ready.cancel()
            if connect in done:
                connect.result()  # raises the connection's error
                raise RuntimeError("the client stopped before READY")
            raise FakeDiscordTimeout(f"the client was not ready after {ready_timeout:g}s")
        yield client
    finally:
        await client.close()
        if connect is not None:
            await _finish(connect)


async def _finish(task: asyncio.Task[None]) -> None:
    """Let the connect task end after close(), and collect its outcome."""
    if not task.done():
        done, _ = await asyncio.wait({task}, timeout=5.0)
        if not done:
            task.cancel()
            await asyncio.wait({task})
    if not task.cancelled():
        task.exception()  # mark it retrieved; a failure before READY was raised already
