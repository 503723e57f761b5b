"""The running bot's side of metrics and health: what `/metrics` and `/healthz` read.

`ops_server(bot)` builds the listener over the bot's gateway, fact service and
query log; `serve` starts it when FACTBOT_METRICS_PORT is set.
"""

from __future__ import annotations

import math

from bot.discord_app.client import FactBot
from bot.ops.health import Check
from bot.ops.http import OpsServer
from bot.ops.metrics import LiveState


def live_state(bot: FactBot) -> LiveState:
    querylog = bot.querylog
    return LiveState(
        gateway_latency_seconds=lambda: bot.latency if bot.gateway_open else math.nan,
        facts=lambda: len(bot.service.store.facts),
        loaded_at=lambda: bot.service.loaded_at,
        log_pending=lambda: querylog.pending if querylog else 0,
        log_spooled=lambda: querylog.spooled if querylog else 0,
        log_dropped=lambda: querylog.dropped if querylog else 0,
        shards=lambda: shard_report(bot),
    )


def shard_report(bot: FactBot) -> list[tuple[int, float, int]]:
    """(shard id, latency s, guilds) per shard this process runs; empty when not sharded."""
    report = getattr(bot, "shard_report", None)
    return list(report()) if callable(report) else []


def health(bot: FactBot) -> list[Check]:
    parts = [
        Check("gateway", True, f"connected, heartbeat {bot.latency * 1000:.0f} ms")
        if bot.gateway_open
        else Check("gateway", False, "not connected to Discord"),
    ]
    facts = len(bot.service.store.facts)
    parts.append(Check("store", facts > 0, f"{facts} facts loaded" if facts else "the store has no facts"))
    querylog = bot.querylog
    if querylog is None:
        parts.append(Check("querylog", False, "no query log"))
    elif querylog.available:
        parts.append(Check("querylog", True, f"{querylog.path} writable, {querylog.pending} row(s) queued"))
    else:
        parts.append(
            Check("querylog", False, f"{querylog.path} not writable; {querylog.pending} row(s) wait in memory")
        )
    return parts


def ops_server(bot: FactBot, *, bind: str, port: int) -> OpsServer:
    bot.metrics.watch(live_state(bot))
    return OpsServer(bot.metrics, lambda: health(bot), bind=bind, port=port)
