"""One query, from any surface: ask the core, log the row, then send the reply.

The order is the contract with the query log: the row is recorded (committed,
or given up on after `RECORD_WAIT_SECONDS`) *before* the reply goes out, so a
curator never sees an answer in Discord that is missing from the log. A
handler that raises is logged with status `error`, noted in
`bot.handler_errors`, and the user gets a short apology instead of a traceback.

Surfaces: `prefix` (a text command in a server), `dm` (any text message in a
direct message), `slash`, and `button` (a suggestion button).
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import aiohttp
import discord

from bot.commands import Reply
from bot.discord_app.context import FactContext, interaction_plain, respond
from bot.discord_app.delivery import expect_reply
from bot.discord_app.render import Rendered, render_apology, render_notice
from bot.query.engine import MAX_QUERY_CHARS
from bot.querylog import QueryRecord
from bot.recorder import record_for

if TYPE_CHECKING:
    from bot.discord_app.client import FactBot

log = logging.getLogger(__name__)

# A reply that could not be sent is not a bug in the handler: `deliver` records it on the
# query's row and logs it; the user cannot be told (the send is what failed).
SEND_FAILURES: tuple[type[BaseException], ...] = (discord.HTTPException, aiohttp.ClientError, OSError)

TOO_LONG = (
    "That message is {length:,} characters long; a question can be at most {limit} characters. "
    "Ask for a place, a figure and a period, e.g. `{prefix}trade xizang 2023`."
)


@dataclass(frozen=True)
class Origin:
    """Where a query came from, as the query log records it."""

    surface: str
    user_id: int | None
    channel_id: int | None
    guild_id: int | None

    @classmethod
    def of_context(cls, ctx: FactContext) -> Origin:
        return cls(ctx.surface, ctx.author.id, ctx.channel.id, ctx.guild.id if ctx.guild else None)

    @classmethod
    def of_interaction(cls, interaction: discord.Interaction[Any], surface: str) -> Origin:
        return cls(surface, interaction.user.id, interaction.channel_id, interaction.guild_id)


async def run_query(
    bot: FactBot,
    origin: Origin,
    query: str,
    compute: Callable[[], Reply],
    *,
    plain: bool,
) -> Rendered:
    """Compute and render the reply to `query`, log it, and return what to send.

    `query` is what the user typed (a text command's whole message). Past the
    engine's limit it is refused in plain words: the engine would silently
    read only the start of it.
    """
    started = time.perf_counter()
    if len(query) > MAX_QUERY_CHARS:
        rendered = render_notice(
            TOO_LONG.format(length=len(query), limit=MAX_QUERY_CHARS, prefix=bot.settings.prefix),
            plain=plain,
            title="Question too long",
            error=True,
        )
        await record_query(bot, _record_of(origin, query, "not_found", started, error="too long"))
        return rendered
    try:
        reply = compute()
        rendered = bot.answers.render(reply, asked=query, plain=plain)
    except Exception as exc:  # any bug in answering: logged, apologised for, never shown
        bot.note_handler_error(exc, f"{origin.surface} query {query[:80]!r}")
        await record_query(bot, record_for(None, error=exc, **_fields(origin, query, started)))
        return render_apology(plain=plain)
    await record_query(bot, record_for(reply, **_fields(origin, query, started)))
    return rendered


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000.0, 3)


def _fields(origin: Origin, query: str, started: float) -> dict[str, Any]:
    return {
        "surface": origin.surface,
        "query": query,
        "latency_ms": _ms(started),
        "guild_id": origin.guild_id,
        "channel_id": origin.channel_id,
        "user_id": origin.user_id,
    }


def _record_of(origin: Origin, query: str, status: str, started: float, *, error: str | None = None) -> QueryRecord:
    return QueryRecord(
        surface=origin.surface, query=query, status=status, guild_id=origin.guild_id,
        channel_id=origin.channel_id, user_id=origin.user_id, latency_ms=_ms(started), error=error,
    )  # fmt: skip


async def record_query(bot: FactBot, rec: QueryRecord) -> None:
    """Write the row before the reply goes out; the log answers within its bounded wait."""
    bot.metrics.observe(rec)
    if bot.querylog is None:
        return
    expect_reply(bot.querylog, rec.uid)
    try:
        committed = await bot.querylog.record(rec)
    except Exception as exc:  # the log never raises for the database; anything else is our bug
        bot.note_handler_error(exc, "query log record")
        return
    if not committed:
        log.debug("query log row not committed within the wait; it is queued")


async def answer_message(bot: FactBot, ctx: FactContext, query: str, compute: Callable[[], Reply]) -> None:
    """A text command or DM: answer in the same channel."""
    plain = ctx.plain
    rendered = await run_query(bot, Origin.of_context(ctx), query, compute, plain=plain)
    with contextlib.suppress(*SEND_FAILURES):  # recorded on the row and logged by `deliver`
        await ctx.safe_send(rendered)


async def answer_interaction(
    bot: FactBot,
    interaction: discord.Interaction[Any],
    query: str,
    *,
    surface: str,
    compute: Callable[[], Reply] | None = None,
) -> None:
    """A slash command or a button: answer `query` (by default: ask the engine) and respond."""
    if compute is None:
        answers = bot.answers
        compute = lambda: answers.ask(query)  # noqa: E731
    origin = Origin.of_interaction(interaction, surface)
    rendered = await run_query(bot, origin, query, compute, plain=interaction_plain(interaction))
    with contextlib.suppress(*SEND_FAILURES):
        await respond(interaction, rendered)
