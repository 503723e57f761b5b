"""The operators' HTTP listener: `/metrics` for Prometheus and `/healthz` for probes.

It runs on the bot's own event loop with aiohttp (already there: discord.py is
built on it), so a scrape reads the live objects without locks or threads.
It binds 127.0.0.1 unless told otherwise (FACTBOT_METRICS_BIND): the metrics
say how busy the bot is and are for the operator, not the internet.

`/healthz` answers 200 when every part is healthy and 503 otherwise, with a
JSON body naming each failing part and why.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from bot.ops.health import Check
from bot.ops.metrics import QueryMetrics

log = logging.getLogger(__name__)


HealthProbe = Callable[[], list[Check]]


class ListenError(Exception):
    """The listener cannot bind its address (port taken, address not on this host)."""


class OpsServer:
    """Start with `await server.start()`; `server.port` is the bound port (useful with port 0)."""

    def __init__(self, metrics: QueryMetrics, health: HealthProbe, *, bind: str, port: int) -> None:
        self._metrics = metrics
        self._health = health
        self._bind = bind
        self._port = port
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/metrics", self._serve_metrics)
        app.router.add_get("/healthz", self._serve_health)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, self._bind, self._port)
        try:
            await site.start()
        except OSError as exc:
            await runner.cleanup()
            raise ListenError(f"cannot listen on {self._bind}:{self._port} for metrics: {exc}") from exc
        self._runner = runner
        server = site._server  # aiohttp exposes the bound sockets only here
        sockets = getattr(server, "sockets", None) or []
        self.port = int(sockets[0].getsockname()[1]) if sockets else self._port
        log.info("metrics on http://%s:%s/metrics, health on /healthz", self._bind, self.port)

    async def stop(self) -> None:
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def _serve_metrics(self, request: web.Request) -> web.Response:
        body = self._metrics.exposition()
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def _serve_health(self, request: web.Request) -> web.Response:
        parts = self._health()
        failing = {p.part: p.detail for p in parts if not p.ok}
        body = {"ok": not failing, "parts": {p.part: p.detail for p in parts}, "failing": failing}
        return web.Response(
            status=503 if failing else 200, text=json.dumps(body, sort_keys=True), content_type="application/json"
        )
