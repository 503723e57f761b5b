"""Reload across processes: an admin's `!reload` in one process reloads every process
that shares the PostgreSQL database, through LISTEN/NOTIFY.

The process the admin spoke to reloads itself, then NOTIFYs `factbot_reload` with a
request id. Every other process listens on that channel, reloads, and NOTIFYs its
result on `factbot_reload_result`. The asking process counts the listeners (their
connections carry the application_name `factbot-reload`) and waits until each has
answered, or `BROADCAST_WAIT_SECONDS`; the admin then sees one combined reply, with
every process that refused listed beside its reason, and any that did not answer.

Without PostgreSQL (one host, SQLite), `kill -HUP` each process: see the README.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg

from bot.service import ReloadResult

log = logging.getLogger(__name__)

REQUESTS = "factbot_reload"
RESULTS = "factbot_reload_result"
APPLICATION_NAME = "factbot-reload"
BROADCAST_WAIT_SECONDS = 30.0
# NOTIFY payloads are limited to 8000 bytes; a result says its first lines only.
SUMMARY_MAX_CHARS = 600

Reload = Callable[[str, bool], Awaitable[ReloadResult]]


class ReloadBroadcast:
    def __init__(self, dsn: str, name: str, reload: Reload) -> None:
        self.name = name
        self._dsn = dsn
        self._reload = reload
        self._conn: asyncpg.Connection | None = None
        self._waiting: dict[str, list[dict[str, Any]]] = {}
        self._arrived = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        conn = await asyncpg.connect(self._dsn, timeout=10, server_settings={"application_name": APPLICATION_NAME})
        await conn.add_listener(REQUESTS, self._on_request)
        await conn.add_listener(RESULTS, self._on_result)
        self._conn = conn

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                await conn.close(timeout=2)

    # -- the other processes' side ---------------------------------------------------

    def _on_request(self, conn: Any, pid: int, channel: str, payload: object) -> None:
        try:
            data = json.loads(str(payload))
        except json.JSONDecodeError:
            log.warning("reload broadcast: ignored a request that is not JSON")
            return
        if not isinstance(data, dict) or data.get("from") == self.name:
            return
        task = asyncio.create_task(self._serve(data), name="reload-broadcast")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _serve(self, data: dict[str, Any]) -> None:
        trigger = f"{data.get('trigger', 'reload')} (from {data.get('from', '?')})"
        result = await self._reload(trigger, bool(data.get("force")))
        reply = {"id": data.get("id"), "process": self.name, "ok": result.ok, "summary": _short(result.summary())}
        await self._notify(RESULTS, reply)

    # -- the asking side ---------------------------------------------------------------

    def _on_result(self, conn: Any, pid: int, channel: str, payload: object) -> None:
        with contextlib.suppress(json.JSONDecodeError, TypeError):
            data = json.loads(str(payload))
            if isinstance(data, dict) and data.get("id") in self._waiting:
                self._waiting[data["id"]].append(data)
                self._arrived.set()

    async def ask_others(self, trigger: str, force: bool, timeout: float = BROADCAST_WAIT_SECONDS) -> tuple[str, ...]:
        """Reload every other process; one line per process (and one for the silent ones)."""
        conn = self._conn
        if conn is None:
            return ("other processes: not asked (no connection to the database)",)
        request_id = uuid.uuid4().hex
        results: list[dict[str, Any]] = []
        self._waiting[request_id] = results
        try:
            listeners = await conn.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()",
                APPLICATION_NAME,
            )
            expected = max(0, int(listeners) - 1)
            await self._notify(REQUESTS, {"id": request_id, "from": self.name, "trigger": trigger, "force": force})
            loop = asyncio.get_running_loop()
            deadline = loop.time() + timeout
            while len(results) < expected and loop.time() < deadline:
                self._arrived.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._arrived.wait(), deadline - loop.time())
        except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError) as exc:
            return (f"other processes: not asked ({type(exc).__name__}: {exc})",)
        finally:
            self._waiting.pop(request_id, None)
        lines = [
            f"{r.get('process')}: " + ("reloaded" if r.get("ok") else "REFUSED") + f" — {r.get('summary')}"
            for r in sorted(results, key=lambda r: str(r.get("process")))
        ]
        if len(results) < expected:
            lines.append(f"{expected - len(results)} other process(es) did not answer within {timeout:.0f} s")
        return tuple(lines)

    async def _notify(self, channel: str, data: dict[str, Any]) -> None:
        if self._conn is None:
            return
        await self._conn.execute("SELECT pg_notify($1, $2)", channel, json.dumps(data))


def _short(text: str) -> str:
    return text if len(text) <= SUMMARY_MAX_CHARS else text[: SUMMARY_MAX_CHARS - 1] + "…"
