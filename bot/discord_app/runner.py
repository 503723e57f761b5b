"""Running the bot: `run_bot(settings) -> int` (what `factbot run` calls) and `serve(...)`.

`serve` is the whole life of the process, as a coroutine the tests can run:
point discord.py at the configured endpoints, load the store, open the query
log, start the bot, and on SIGTERM / Ctrl-C close the bot and then the log
(which writes what is queued). SIGHUP reloads the store, as `!reload` does.

Start-up failures a person can fix get one clear line and a non-zero exit:
a token Discord refuses (401 at login), and the Message Content intent not
enabled (gateway close 4014). The token itself is never logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
import threading
from collections.abc import AsyncIterator, Callable, Iterator

import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.config import Settings
from bot.discord_app.client import FactBot
from bot.discord_app.factory import create_bot
from bot.discord_app.ops import ops_server
from bot.discord_app.sync import SyncResult
from bot.ops.http import ListenError
from bot.querylog import QueryLogError
from bot.querylog.backends import open_query_log
from bot.service import FactService, ReloadResult
from bot.store import StoreError, StorePaths

log = logging.getLogger("factbot.discord")

EXIT_OK = 0
EXIT_FAILED = 1
# How long in-flight queries may take to finish at SIGTERM. systemd waits 90 s
# (TimeoutStopSec) and Docker 10 s before SIGKILL; the log's own close comes after.
SHUTDOWN_GRACE_SECONDS = 8.0

BAD_TOKEN = (
    "Discord refused the bot token (401 Unauthorized). Check DISCORD_TOKEN: copy the token again from "
    "https://discord.com/developers/applications -> your application -> Bot -> Reset Token."
)
BAD_TOKEN_GATEWAY = (
    "Discord's gateway refused the bot token (close 4004 Authentication failed). Check DISCORD_TOKEN: copy "
    "the token again from https://discord.com/developers/applications -> your application -> Bot -> Reset Token."
)
NO_MESSAGE_CONTENT = (
    "Discord refused the Message Content intent (gateway close 4014). Enable it in the Developer Portal: "
    "https://discord.com/developers/applications -> your application -> Bot -> Privileged Gateway Intents -> "
    "Message Content Intent, save, then start factbot again."
)
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(settings: Settings) -> None:
    """Once per process: a no-op when `factbot` (bot/cli.py) configured logging already."""
    logging.basicConfig(level=settings.log_level, format=LOG_FORMAT)


@contextlib.contextmanager
def discord_endpoints(settings: Settings) -> Iterator[None]:
    """Point discord.py at FACTBOT_DISCORD_API_BASE / _GATEWAY_URL (a Discord-compatible server) for the block."""
    old_base, old_gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    if settings.api_base:
        Route.BASE = settings.api_base.rstrip("/")
    if settings.gateway_url:
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.gateway_url)
    try:
        yield
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = old_base, old_gateway


def load_service(settings: Settings) -> FactService:
    paths = StorePaths(settings.facts_dir, settings.seeds_dir, cache_dir=settings.data_dir)
    return FactService.load(paths)


def run_bot(settings: Settings) -> int:
    """Run the bot until SIGTERM or Ctrl-C; the exit code for `factbot run`."""
    configure_logging(settings)
    try:
        return asyncio.run(serve(settings))
    except KeyboardInterrupt:  # Ctrl-C before the signal handlers were installed
        return 130
    except Exception:
        # serve() already turns failures into exit codes; this is the last net, so that
        # a supervisor (systemd Restart=on-failure) sees a non-zero exit, never a hang.
        log.critical("factbot stopped on an unexpected error", exc_info=True)
        return EXIT_FAILED


async def serve(
    settings: Settings,
    *,
    stop: asyncio.Event | None = None,
    service: FactService | None = None,
) -> int:
    """The bot's whole life. Returns when `stop` is set (or a signal arrives) or start-up fails.

    Every failure is an exit code: an error nobody expected is logged with its
    traceback and returns EXIT_FAILED, after the query log is closed (its
    aiosqlite thread would otherwise keep the process alive).
    """
    try:
        return await _serve(settings, stop=stop, service=service)
    except Exception:
        log.critical("factbot stopped on an unexpected error", exc_info=True)
        return EXIT_FAILED


async def _serve(settings: Settings, *, stop: asyncio.Event | None, service: FactService | None) -> int:
    if not settings.token:
        log.error("DISCORD_TOKEN is not set: put it in the environment or in .env")
        return EXIT_FAILED
    with discord_endpoints(settings):
        if service is None:
            try:
                service = await asyncio.to_thread(load_service, settings)
            except StoreError as exc:
                log.error("the fact store cannot be loaded: %s; run 'factbot check' for the full list", exc)
                return EXIT_FAILED
        try:
            querylog = await open_query_log(settings)  # SQLite, or PostgreSQL with FACTBOT_DATABASE_URL
        except QueryLogError as exc:  # a file from a newer factbot, or an unreadable user-id key
            log.error("cannot open the query log: %s", exc)
            return EXIT_FAILED
        try:
            bot = create_bot(settings, service, querylog)
            async with _ops_listener(bot, settings), _reload_broadcast(bot, settings):
                return await _run_until_stopped(bot, settings.token, stop or asyncio.Event())
        except ListenError as exc:  # the metrics port is taken or cannot be bound
            log.error("%s", exc)
            return EXIT_FAILED
        finally:
            await querylog.close()
            log.info("query log closed")


def process_name(settings: Settings) -> str:
    """How a process names itself in a combined reload reply."""
    shards = ""
    if settings.shard_ids is not None:
        shards = f" shards {','.join(map(str, settings.shard_ids))}"
    return f"{socket.gethostname()}:{os.getpid()}{shards}"


@contextlib.asynccontextmanager
async def _reload_broadcast(bot: FactBot, settings: Settings) -> AsyncIterator[None]:
    """With PostgreSQL, `!reload` in any process reaches every process (LISTEN/NOTIFY)."""
    if not settings.database_url:
        yield
        return
    from bot.discord_app.broadcast import ReloadBroadcast

    async def reload_here(trigger: str, force: bool) -> ReloadResult:
        return await bot.reload_store(trigger, force=force, broadcast=False)

    broadcast = ReloadBroadcast(settings.database_url, process_name(settings), reload_here)
    try:
        await broadcast.start()
    except Exception as exc:  # asyncpg's errors, OSError: the bot runs on, reload stays local
        log.warning("reload broadcast unavailable (%s: %s); !reload reloads this process only", type(exc).__name__, exc)
        yield
        return
    bot.reload_broadcast = broadcast
    try:
        yield
    finally:
        bot.reload_broadcast = None
        await broadcast.close()


@contextlib.asynccontextmanager
async def _ops_listener(bot: FactBot, settings: Settings) -> AsyncIterator[None]:
    """/metrics and /healthz while the bot runs, when FACTBOT_METRICS_PORT is set."""
    if settings.metrics_port is None:
        yield
        return
    server = ops_server(bot, bind=settings.metrics_bind, port=settings.metrics_port)
    await server.start()
    try:
        yield
    finally:
        await server.stop()


async def _run_until_stopped(bot: FactBot, token: str, stop: asyncio.Event) -> int:
    loop = asyncio.get_running_loop()
    installed = _install_signals(loop, bot, stop)
    try:
        async with bot:
            running = asyncio.create_task(bot.start(token), name="factbot-discord")
            stopping = asyncio.create_task(stop.wait(), name="factbot-stop")
            done, _ = await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if running in done:
                stopping.cancel()
                return _exit_code(running)
            # In order: stop taking new work, finish what is in flight (its rows are
            # written, its replies sent), then close the connection; the query log is
            # closed last, by serve(), and writes what is still queued.
            log.info("shutting down")
            await bot.drain(SHUTDOWN_GRACE_SECONDS)
            await bot.close()
            await asyncio.wait({running}, timeout=10)
            if not running.done():
                running.cancel()
            return EXIT_OK
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)


def _exit_code(task: asyncio.Task[None]) -> int:
    """The bot stopped by itself: say why in one line."""
    exc = task.exception()
    if exc is None:
        return EXIT_OK
    if isinstance(exc, discord.LoginFailure):
        log.error(BAD_TOKEN)
    elif isinstance(exc, discord.PrivilegedIntentsRequired):
        log.error(NO_MESSAGE_CONTENT)
    elif isinstance(exc, discord.ConnectionClosed) and exc.code == 4004:
        log.error(BAD_TOKEN_GATEWAY)
    elif isinstance(exc, discord.HTTPException | OSError | discord.ConnectionClosed):
        log.error("could not connect to Discord at %s: %s", Route.BASE, exc)
    else:
        log.error("the bot stopped on an unexpected error", exc_info=exc)
    return EXIT_FAILED


def _install_signals(loop: asyncio.AbstractEventLoop, bot: FactBot, stop: asyncio.Event) -> list[int]:
    """SIGTERM / SIGINT stop, SIGHUP reloads. Only possible in the main thread (not in tests)."""
    if threading.current_thread() is not threading.main_thread():
        return []
    reloads: set[asyncio.Task[object]] = set()

    def reload() -> None:
        # each process gets its own SIGHUP: no broadcast
        task: asyncio.Task[object] = asyncio.create_task(bot.reload_store("SIGHUP", broadcast=False))
        reloads.add(task)  # keep a reference until it is done
        task.add_done_callback(_reload_done(reloads))

    installed: list[int] = []
    handlers = [(signal.SIGTERM, stop.set), (signal.SIGINT, stop.set)]
    if hasattr(signal, "SIGHUP"):
        handlers.append((signal.SIGHUP, reload))
    for sig, handler in handlers:
        try:
            loop.add_signal_handler(sig, handler)
        except (NotImplementedError, RuntimeError):  # not on this platform
            continue
        installed.append(sig)
    return installed


def _reload_done(reloads: set[asyncio.Task[object]]) -> Callable[[asyncio.Task[object]], None]:
    def done(task: asyncio.Task[object]) -> None:
        reloads.discard(task)
        # reload_store never raises; should it ever, say so (not "exception never retrieved")
        if not task.cancelled() and task.exception() is not None:
            log.error("SIGHUP reload failed; the old store keeps serving", exc_info=task.exception())

    return done


# -- `factbot sync` -----------------------------------------------------------------------


def sync_once(settings: Settings, guild_id: int | None = None) -> int:
    """Log in (no gateway), sync the slash commands, exit. For `factbot sync`."""
    configure_logging(settings)
    return asyncio.run(_sync(settings, guild_id))


async def _sync(settings: Settings, guild_id: int | None) -> int:
    if not settings.token:
        log.error("DISCORD_TOKEN is not set: put it in the environment or in .env")
        return EXIT_FAILED
    with discord_endpoints(settings):
        service = await asyncio.to_thread(load_service, settings)
        bot = create_bot(settings, service, None, auto_sync=False)
        try:
            async with bot:
                await bot.login(settings.token)
                result: SyncResult = await bot.sync_now(guild_id)
        except discord.LoginFailure:
            log.error(BAD_TOKEN)
            return EXIT_FAILED
        except (discord.HTTPException, OSError) as exc:
            log.error("sync failed: %s", exc)
            return EXIT_FAILED
    print(result.summary())
    return EXIT_OK
