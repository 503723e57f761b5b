"""Stats as an embed's fields and as plain text. No discord.py here: the Discord
adapter turns (title, fields) into an `Embed`, the command line prints the text.

Discord caps a field value at 1024 characters and a whole embed at 6000, so each
field gets `FIELD_BUDGET` characters (eight fields stay under the total) and a
section that does not fit is cut at a line boundary with a "... n more" line.

The shards section has a line per shard (stale and missing ones marked) under a line
of totals. When one line per shard does not fit its field (dozens of shards), the
embed groups runs of shards held by one process in one state ("#0-9 live ..."),
stale groups first; the text report always has every shard.
"""

from __future__ import annotations

from itertools import groupby

from bot.querylog.heartbeat import Fleet, ShardState
from bot.querylog.stats import Counts, Stats

FIELD_LIMIT = 1024
FIELD_BUDGET = 640
TEXT_CLIP = 60  # characters of a query shown in a report line

Section = tuple[str, list[str]]


def _one_line(text: str, limit: int = TEXT_CLIP) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f} ms"


def _counted(pairs: Counts, empty: str, clip: bool = False) -> list[str]:
    if not pairs:
        return [empty]
    return [f"{n:>5}  {_one_line(key) if clip else key}" for key, n in pairs]


def _age(seconds: float) -> str:
    for unit, size in (("d", 86_400), ("h", 3_600), ("m", 60)):
        if seconds >= size:
            return f"{seconds / size:.0f}{unit}"
    return f"{seconds:.0f}s"


def _state(shard: ShardState) -> str:
    return f"STALE {_age(shard.age_s)}" if shard.stale else "live"


def _latency(ms: float | None) -> str:
    return "n/a" if ms is None else f"{ms:.0f} ms"


def _ids(ids: list[int]) -> str:
    """`#0-3, #5`: shard ids as runs."""
    runs: list[list[int]] = []
    for i in ids:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return ", ".join(f"#{r[0]}" if len(r) == 1 else f"#{r[0]}-{r[-1]}" for r in runs)


def _shard_totals(fleet: Fleet) -> list[str]:
    if not fleet.shards:
        return ["no shard has reported yet (each process writes its shards every few seconds)"]
    line = (
        f"{len(fleet.shards)} shard(s) of {fleet.shard_count}: {len(fleet.live)} live, {len(fleet.stale)} stale; "
        f"{fleet.guilds} servers on live shards"
    )
    missing = [f"never reported: {_ids(list(fleet.missing))}"] if fleet.missing else []
    return [line, *missing]


def _one_per_shard(fleet: Fleet) -> list[str]:
    return [
        f"#{s.beat.shard_id:<3} {_state(s):<9} {s.beat.guilds:>6} servers  {_latency(s.beat.latency_ms):>7}  "
        f"{_one_line(s.beat.process, 40)}"
        for s in fleet.shards
    ]


def _grouped(fleet: Fleet) -> list[str]:
    """Runs of consecutive shards with one process and one state, stale runs first."""
    lines: list[tuple[bool, str]] = []
    for (process, stale), run in groupby(fleet.shards, key=lambda s: (s.beat.process, s.stale)):
        shards = list(run)
        ids = [s.beat.shard_id for s in shards]
        latencies = [s.beat.latency_ms for s in shards if s.beat.latency_ms is not None]
        state = f"STALE {_age(min(s.age_s for s in shards))}+" if stale else "live"
        worst = f"max {_latency(max(latencies))}" if latencies else "n/a"
        guilds = sum(s.beat.guilds for s in shards)
        lines.append((not stale, f"{_ids(ids)} {state} {guilds} servers {worst} {_one_line(process, 40)}"))
    return [line for _, line in sorted(lines, key=lambda pair: pair[0])]  # stable: shard order within


def shard_lines(fleet: Fleet, budget: int | None = None) -> list[str]:
    """The shards section: totals, then a line per shard, or (when that would not fit
    `budget` characters) a line per run of shards held by one process in one state."""
    per_shard = [*_shard_totals(fleet), *_one_per_shard(fleet)]
    if budget is None or len("\n".join(per_shard)) + 8 <= budget:
        return per_shard
    return [*_shard_totals(fleet), *_grouped(fleet)]


def _sections(stats: Stats, fleet: Fleet | None = None, shard_budget: int | None = None) -> list[Section]:
    total = stats.total
    overview = [
        f"{total} queries from {stats.users} users",
        f"latency p50 {_ms(stats.latency_p50_ms)}, p95 {_ms(stats.latency_p95_ms)}",
        f"autocomplete keystrokes: {stats.autocomplete_total}",
    ]
    statuses = [f"{status:<10} {n:>5}  {100 * stats.share(status):5.1f}%" for status, n in stats.per_status]
    shards: list[Section] = [] if fleet is None else [("Shards", shard_lines(fleet, shard_budget))]
    return [
        ("Overview", overview),
        *shards,
        # Newest first: when a long window is cut, the recent days stay visible.
        ("Per day", [f"{day}  {n:>5}" for day, n in reversed(stats.per_day)]),
        ("Per surface", _counted(stats.per_surface, "no queries")),
        ("Status", statuses),
        ("Top queries", _counted(stats.top_queries, "no queries", clip=True)),
        ("Top unanswered", _counted(stats.top_unanswered, "none: every query found a fact", clip=True)),
        ("Top facts", _counted(stats.top_facts, "no facts served")),
        ("Autocomplete per day", [f"{day}  {n:>5}" for day, n in reversed(stats.autocomplete_per_day)]),
    ]


def _title(stats: Stats) -> str:
    return (
        f"Queries, last {stats.days} day{'s' if stats.days != 1 else ''} "
        f"({stats.since:%Y-%m-%d} to {stats.until:%Y-%m-%d %H:%M} UTC)"
    )


def _fit(lines: list[str], budget: int) -> str:
    """Lines joined as a code block of at most `budget` characters."""
    kept: list[str] = []
    for i, line in enumerate(lines):
        more = f"... {len(lines) - i} more"
        candidate = "\n".join([*kept, line])
        # Room for the closing "more" line when later lines would be cut.
        reserve = len(more) + 1 if i < len(lines) - 1 else 0
        if len(candidate) + 8 + reserve > budget:  # 8 = the ``` fences and newlines
            kept.append(more)
            break
        kept.append(line)
    return "```\n" + "\n".join(kept) + "\n```"


def embed_fields(stats: Stats, fleet: Fleet | None = None) -> tuple[str, list[tuple[str, str]]]:
    """(title, [(field name, field value)]) for a Discord embed, each value at most
    `FIELD_BUDGET` (< 1024) characters: nine fields and their names stay under Discord's
    6000 for the whole embed. Values are code blocks, so user text in them is shown
    literally rather than read as markdown. With `fleet`, a "Shards" field second."""
    fields = [
        (name, _fit([line.replace("```", "'''") for line in lines], FIELD_BUDGET))
        for name, lines in _sections(stats, fleet, FIELD_BUDGET)
    ]
    return _title(stats), fields


def render_text(stats: Stats, fleet: Fleet | None = None) -> str:
    """The whole report as plain text, nothing cut, for the command line and console."""
    parts = [_title(stats)]
    for name, lines in _sections(stats, fleet):
        parts.append(f"\n{name}\n" + "\n".join(f"  {line}" for line in lines))
    return "\n".join(parts) + "\n"
