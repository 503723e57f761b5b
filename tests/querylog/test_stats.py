"""Stats against counts computed independently, in plain Python, from the same input."""

from __future__ import annotations

import asyncio
import math
import random
from collections import Counter
from datetime import UTC, datetime, timedelta

from bot.querylog import STATUSES, QueryRecord, Stats, embed_fields, render_text
from bot.querylog.render import FIELD_LIMIT
from bot.querylog.stats import TOP_N
from tests.querylog.backends import Backend

SURFACES = ["slash", "prefix", "dm", "button", "console", "cli"]
QUERIES = [
    "GDP of Kashgar",
    "gdp  of kashgar",
    "rainfall Lhasa",
    "exports xinjiang 2023",
    "population of kashi",
    "trade with kazakhstan",
    "what?",
    "Imports H1 2023",
]


def prepared(now: datetime, n: int = 600) -> list[QueryRecord]:
    rng = random.Random(7)
    out = []
    for i in range(n):
        status = rng.choice(STATUSES)
        out.append(
            QueryRecord(
                surface=rng.choice(SURFACES),
                query=rng.choice(QUERIES),
                status=status,
                user_id=rng.randrange(40),
                fact_id=f"fact-{rng.randrange(15)}" if status in ("answered", "nearest") else None,
                latency_ms=round(rng.uniform(1, 900), 3) if i % 10 else None,
                # Ten days back: the seven-day window must leave the oldest out.
                time=now - timedelta(seconds=rng.uniform(0, 10 * 86400)),
            )
        )
    return out


def top(counter: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_N])


def norm(text: str) -> str:
    return " ".join(text.casefold().split())


def nearest_rank(values: list[float], percent: float) -> float | None:
    ordered = sorted(values)
    return ordered[math.ceil(percent / 100 * len(ordered)) - 1] if ordered else None


async def test_stats_match_counts_computed_from_the_input(ql: Backend) -> None:
    now = datetime.now(UTC)
    records = prepared(now)
    log = await ql.open(record_wait=60.0)
    assert all(await asyncio.gather(*(log.record(r) for r in records)))
    log.count_autocomplete(7)
    log.count_autocomplete(5)
    assert await log.flush(timeout=60)
    await log.close()
    log = await ql.open()

    stats = await log.stats(days=7, now=now)

    since = datetime(now.year, now.month, now.day, tzinfo=UTC) - timedelta(days=6)
    window = [r for r in records if since <= r.time <= now]
    assert 0 < len(window) < len(records)
    days = [(since + timedelta(days=i)).date().isoformat() for i in range(7)]
    by_day = Counter(r.time.date().isoformat() for r in window)
    assert stats.total == len(window)
    assert stats.users == len({r.user_id for r in window})
    assert stats.per_day == tuple((d, by_day[d]) for d in days)
    assert dict(stats.per_surface) == Counter(r.surface for r in window)
    statuses = Counter(r.status for r in window)
    assert stats.per_status == tuple((s, statuses[s]) for s in STATUSES)
    for s in STATUSES:
        assert math.isclose(stats.share(s), statuses[s] / len(window))
    assert stats.top_queries == top(Counter(norm(r.query) for r in window))
    assert stats.top_unanswered == top(Counter(norm(r.query) for r in window if r.status in ("not_found", "nearest")))
    assert stats.top_facts == top(Counter(r.fact_id for r in window if r.fact_id))
    latencies = [r.latency_ms for r in window if r.latency_ms is not None]
    assert stats.latency_p50_ms == nearest_rank(latencies, 50)
    assert stats.latency_p95_ms == nearest_rank(latencies, 95)
    assert stats.autocomplete_total == 12
    assert stats.autocomplete_per_day[-1] == (now.date().isoformat(), 12)


async def test_stats_of_an_empty_log(ql: Backend) -> None:
    log = await ql.open()
    stats = await log.stats(days=3)
    assert (stats.total, stats.users, stats.latency_p50_ms, stats.latency_p95_ms) == (0, 0, None, None)
    assert [n for _, n in stats.per_day] == [0, 0, 0]
    assert stats.share("answered") == 0.0
    assert "0 queries" in render_text(stats)


def _big_stats() -> Stats:
    long = "x" * 500
    pairs = tuple((f"{long}{i}", 1000 + i) for i in range(TOP_N))
    now = datetime.now(UTC)
    days = tuple(((now - timedelta(days=i)).date().isoformat(), 99999) for i in range(90))
    return Stats(
        since=now - timedelta(days=89),
        until=now,
        total=10**7,
        users=10**6,
        per_day=days,
        per_surface=tuple((s, 10**6) for s in SURFACES),
        per_status=tuple((s, 1) for s in STATUSES),
        top_queries=pairs,
        top_facts=pairs,
        top_unanswered=pairs,
        latency_p50_ms=12.0,
        latency_p95_ms=1234.5,
        autocomplete_per_day=days,
    )


def test_embed_fields_fit_discord_limits_even_for_long_windows_and_queries() -> None:
    title, fields = embed_fields(_big_stats())
    assert len(title) <= 256
    assert 0 < len(fields) <= 25
    assert all(0 < len(value) <= FIELD_LIMIT and len(name) <= 256 for name, value in fields)
    assert len(title) + sum(len(n) + len(v) for n, v in fields) <= 6000
    per_day = dict(fields)["Per day"]
    assert "more" in per_day  # cut, and says so


def test_render_text_shows_every_section() -> None:
    text = render_text(_big_stats())
    for heading in (
        "Overview",
        "Per day",
        "Per surface",
        "Status",
        "Top queries",
        "Top unanswered",
        "Top facts",
        "Autocomplete per day",
    ):
        assert f"\n{heading}\n" in text
    assert "p95 1234 ms" in text or "p95 1235 ms" in text
