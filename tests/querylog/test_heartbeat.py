"""Shard heartbeats in the shared database, on both back ends: what two processes write,
any of them reads; a shard not refreshed goes stale; a shard nobody reports is missing;
and the report of dozens of shards stays within Discord's embed limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.querylog import Stats, embed_fields, render_text
from bot.querylog.heartbeat import FORGET_SECONDS, STALE_INTERVALS, Fleet, ShardBeat, ShardState
from bot.querylog.render import FIELD_LIMIT
from tests.querylog.backends import Backend
from tests.querylog.test_stats import _big_stats

# Now, not a fixed date: each write forgets rows older than a day by the real clock.
NOW = datetime.now(UTC).replace(microsecond=0)


def beat(
    shard_id: int, process: str, guilds: int, *, count: int = 4, at: datetime = NOW,
    no_latency: bool = False, interval_s: float = 30.0,
) -> ShardBeat:  # fmt: skip
    latency = None if no_latency else 40.0 + shard_id
    return ShardBeat(shard_id, count, process, guilds, latency, interval_s, at)


async def test_what_two_processes_write_either_one_reads(ql: Backend) -> None:
    first, second = await ql.open(), await ql.open()
    assert await first.report_shards([beat(0, "host-a:1", 10), beat(1, "host-a:1", 11)])
    assert await second.report_shards([beat(2, "host-b:2", 12), beat(3, "host-b:2", 13, no_latency=True)])

    for reader in (first, second):
        fleet = await reader.shards(now=NOW + timedelta(seconds=5))
        assert [(s.beat.shard_id, s.beat.process, s.beat.guilds) for s in fleet.shards] == [
            (0, "host-a:1", 10), (1, "host-a:1", 11), (2, "host-b:2", 12), (3, "host-b:2", 13),
        ]  # fmt: skip
        assert [s.beat.latency_ms for s in fleet.shards] == [40.0, 41.0, 42.0, None]
        assert (len(fleet.live), fleet.stale, fleet.missing, fleet.guilds, fleet.shard_count) == (4, (), (), 46, 4)
    assert ql.scalar("SELECT count(*) AS n FROM shard_heartbeats") == 4


async def test_a_shard_taken_over_by_another_process_has_one_row_the_newest(ql: Backend) -> None:
    old, new = await ql.open(), await ql.open()
    assert await old.report_shards([beat(1, "host-a:1", 5)])
    assert await new.report_shards([beat(1, "host-b:7", 6, at=NOW + timedelta(seconds=40))])
    fleet = await old.shards(now=NOW + timedelta(seconds=41))
    ((state,),) = (fleet.shards,)
    assert (state.beat.process, state.beat.guilds, state.stale) == ("host-b:7", 6, False)


async def test_a_shard_not_refreshed_goes_stale_and_one_never_reported_is_missing(ql: Backend) -> None:
    log = await ql.open()
    # shard 0 reports every 30 s, shard 1 every 2 s; shard 3 of 4 never reports
    assert await log.report_shards([beat(0, "a:1", 100), beat(1, "a:1", 7, interval_s=2.0), beat(2, "b:2", 9)])
    later = NOW + timedelta(seconds=STALE_INTERVALS * 2.0 + 1)  # past shard 1's limit, within the others'
    fleet = await log.shards(now=later)
    assert [s.beat.shard_id for s in fleet.stale] == [1]
    assert [s.beat.shard_id for s in fleet.live] == [0, 2]
    assert fleet.missing == (3,)
    assert fleet.guilds == 109  # the servers on live shards only
    text = render_text(await log.stats(days=1), fleet)
    assert "3 shard(s) of 4: 2 live, 1 stale; 109 servers on live shards" in text
    assert "never reported: #3" in text
    assert any(line.strip().startswith("#1") and "STALE 7s" in line for line in text.splitlines())


async def test_rows_nobody_refreshed_for_a_day_are_forgotten_at_the_next_write(ql: Backend) -> None:
    log = await ql.open()
    long_ago = datetime.now(UTC) - timedelta(seconds=FORGET_SECONDS + 60)
    assert await log.report_shards([beat(7, "gone:1", 3, count=8, at=long_ago)])
    assert ql.scalar("SELECT count(*) AS n FROM shard_heartbeats") == 1  # the forgetting comes before the write
    assert await log.report_shards([beat(0, "here:1", 4, count=4, at=datetime.now(UTC))])
    assert [r["shard_id"] for r in ql.fetch("SELECT shard_id FROM shard_heartbeats")] == [0]


async def test_a_report_after_close_is_refused_and_an_empty_one_writes_nothing(ql: Backend) -> None:
    log = await ql.open()
    assert await log.report_shards([])  # no shard connected yet: nothing to say
    assert ql.scalar("SELECT count(*) AS n FROM shard_heartbeats") == 0
    await log.close()
    assert not await log.report_shards([beat(0, "a:1", 1)])


def _fleet(n: int, *, stale: frozenset[int] = frozenset(), per_process: int = 8) -> Fleet:
    states = []
    for i in range(n):
        b = beat(i, f"factbot-replica-{i // per_process}.example.internal:{1000 + i // per_process}", 1000 + i,
                 count=n + 2)  # fmt: skip
        states.append(ShardState(b, 10_000.0 if i in stale else 5.0))
    return Fleet(NOW, tuple(states))


def _within_discord_limits(title: str, fields: list[tuple[str, str]]) -> None:
    assert all(0 < len(value) <= FIELD_LIMIT and len(name) <= 256 for name, value in fields)
    assert len(title) + sum(len(n) + len(v) for n, v in fields) <= 6000


@pytest.mark.parametrize("stats", [_big_stats()], ids=["big-stats"])
def test_a_few_shards_get_a_line_each_in_the_embed(stats: Stats) -> None:
    title, fields = embed_fields(stats, _fleet(4, stale=frozenset({2})))
    _within_discord_limits(title, fields)
    assert [name for name, _ in fields][:2] == ["Overview", "Shards"]
    shards = dict(fields)["Shards"]
    assert "4 shard(s) of 6: 3 live, 1 stale" in shards and "never reported: #4-5" in shards
    assert [line.split()[0] for line in shards.splitlines() if line.startswith("#")] == ["#0", "#1", "#2", "#3"]
    assert "STALE 3h" in shards


@pytest.mark.parametrize("stats", [_big_stats()], ids=["big-stats"])
def test_many_shards_are_grouped_by_process_stale_first_and_every_field_still_fits(stats: Stats) -> None:
    fleet = _fleet(64, stale=frozenset({17, 18, 40}))
    title, fields = embed_fields(stats, fleet)
    _within_discord_limits(title, fields)
    assert len(fields) == 9  # nothing dropped for the shards' sake
    shards = dict(fields)["Shards"].splitlines()
    live_servers = sum(1000 + i for i in range(64) if i not in (17, 18, 40))
    assert shards[1] == f"64 shard(s) of 66: 61 live, 3 stale; {live_servers} servers on live shards"
    assert shards[2] == "never reported: #64-65"
    runs = [line.split()[0] for line in shards[3:] if line.startswith("#")]
    assert runs[:2] == ["#17-18", "#40"]  # the stale runs first
    assert runs[2:5] == ["#0-7", "#8-15", "#16"]
    # the text report (command line) keeps a line per shard, nothing cut
    text = render_text(stats, fleet)
    assert sum(1 for line in text.splitlines() if line.lstrip().startswith("#")) == 64
    assert "more" not in "\n".join(line for line in text.splitlines() if "#" in line)


def test_no_heartbeat_yet_says_so() -> None:
    _, fields = embed_fields(_big_stats(), Fleet(NOW, ()))
    assert "no shard has reported yet" in dict(fields)["Shards"]
