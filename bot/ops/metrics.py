"""Prometheus metrics: what every query did, and the live state read at scrape time.

Counted as queries happen: `factbot_queries_total{surface,status}` and the
reply-latency histogram `factbot_reply_latency_seconds` (time from receiving
the query to the reply ready to send, the same figure the query log stores).

Read when scraped, from the `LiveState` the adapter provides: Discord gateway
latency, facts in the store and the time of the last (re)load, and the query
log's queue depth, spooled rows and dropped rows. Gauges that are read rather
than set cannot go stale between scrapes.

Each `QueryMetrics` has its own registry (not the process-global one), so a
test or a second bot in one process counts only its own queries.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector

from bot.querylog import QueryRecord

# Replies are usually milliseconds; the upper buckets catch a slow log write
# (bounded at 0.5 s) and Discord's 3 s interaction deadline.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


@dataclass(frozen=True)
class LiveState:
    """Callables the collector reads at scrape time."""

    gateway_latency_seconds: Callable[[], float]  # NaN when not connected
    facts: Callable[[], int]
    loaded_at: Callable[[], float]  # Unix time of the last successful load or reload
    log_pending: Callable[[], int]
    log_spooled: Callable[[], int]
    log_dropped: Callable[[], int]
    # (shard id, gateway latency in s, guilds) per shard of this process; empty when not sharded
    shards: Callable[[], list[tuple[int, float, int]]] = list


class _LiveCollector(Collector):
    def __init__(self, state: LiveState) -> None:
        self._state = state

    def collect(self) -> Iterator[Metric]:
        state = self._state
        latency = state.gateway_latency_seconds()
        yield GaugeMetricFamily(
            "factbot_gateway_latency_seconds",
            "Discord gateway heartbeat latency (NaN while disconnected)",
            value=latency if math.isfinite(latency) else math.nan,
        )
        yield GaugeMetricFamily("factbot_store_facts", "Facts in the loaded store", value=state.facts())
        yield GaugeMetricFamily(
            "factbot_store_loaded_timestamp_seconds",
            "Unix time the store was last loaded or reloaded",
            value=state.loaded_at(),
        )
        yield GaugeMetricFamily(
            "factbot_querylog_queue_rows", "Query log rows waiting in memory", value=state.log_pending()
        )
        yield CounterMetricFamily(
            "factbot_querylog_spooled_rows", "Rows written to the spool file", value=state.log_spooled()
        )
        yield CounterMetricFamily(
            "factbot_querylog_dropped_rows", "Rows lost: no database, no spool", value=state.log_dropped()
        )
        shards = state.shards()
        if shards:
            shard_latency = GaugeMetricFamily(
                "factbot_shard_latency_seconds", "Gateway heartbeat latency per shard of this process", labels=["shard"]
            )
            shard_guilds = GaugeMetricFamily(
                "factbot_shard_guilds", "Guilds per shard of this process", labels=["shard"]
            )
            for shard_id, latency_s, guilds in shards:
                shard_latency.add_metric([str(shard_id)], latency_s if math.isfinite(latency_s) else math.nan)
                shard_guilds.add_metric([str(shard_id)], guilds)
            yield shard_latency
            yield shard_guilds


class QueryMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.queries = Counter(
            "factbot_queries", "Queries handled, by surface and status", ("surface", "status"), registry=self.registry
        )
        self.latency = Histogram(
            "factbot_reply_latency_seconds",
            "Time from receiving a query to its reply being ready",
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self._live: _LiveCollector | None = None

    def observe(self, rec: QueryRecord) -> None:
        self.queries.labels(rec.surface, rec.status).inc()
        if rec.latency_ms is not None:
            self.latency.observe(rec.latency_ms / 1000.0)

    def watch(self, state: LiveState) -> None:
        """Report `state` at every scrape (replacing what was watched before)."""
        if self._live is not None:
            self.registry.unregister(self._live)
        self._live = _LiveCollector(state)
        self.registry.register(self._live)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
