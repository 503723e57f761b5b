"""Stats as an embed's fields and as plain text. No discord.py here: the Discord
adapter turns (title, fields) into an `Embed`, the command line prints the text.

Discord caps a field value at 1024 characters and a whole embed at 6000, so each
field gets `FIELD_BUDGET` characters (eight fields stay under the total) and a
section that does not fit is cut at a line boundary with a "... n more" line.
"""

from __future__ import annotations

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


def _sections(stats: Stats) -> list[Section]:
    total = stats.total
    overview = [
        f"{total} queries from {stats.users} users",
        f"latency p50 {_ms(stats.latency_p50_ms)}, p95 {_ms(stats.latency_p95_ms)}",
        f"autocomplete keystrokes: {stats.autocomplete_total}",
    ]
    statuses = [f"{status:<10} {n:>5}  {100 * stats.share(status):5.1f}%" for status, n in stats.per_status]
    return [
        ("Overview", overview),
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


def embed_fields(stats: Stats) -> tuple[str, list[tuple[str, str]]]:
    """(title, [(field name, field value)]) for a Discord embed, each value at most
    `FIELD_BUDGET` (< 1024) characters. Values are code blocks, so user text in them
    is shown literally rather than read as markdown."""
    fields = [
        (name, _fit([line.replace("```", "'''") for line in lines], FIELD_BUDGET)) for name, lines in _sections(stats)
    ]
    return _title(stats), fields


def render_text(stats: Stats) -> str:
    """The whole report as plain text, nothing cut, for the command line and console."""
    parts = [_title(stats)]
    for name, lines in _sections(stats):
        parts.append(f"\n{name}\n" + "\n".join(f"  {line}" for line in lines))
    return "\n".join(parts) + "\n"
