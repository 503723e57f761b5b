"""One query, from any Discord surface: the pipeline answers, the row is logged, then the reply is sent.

The order is the contract with the query log: the row is recorded (committed,
or given up on after `RECORD_WAIT_SECONDS`) *before* the reply goes out, so a
curator never sees an answer in Discord that is missing from the log. A
handler that raises is logged with status `error`, noted in
`bot.handler_errors`, and the user gets a short apology instead of a traceback.

Surfaces: `prefix` (a text command in a server), `dm` (any text message in a
direct message), `slash`, `button` (a suggestion button), `menu` (the "Look up
figure" message context menu), `edit` (a command message edited after it was
answered).
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import aiohttp
import discord

from bot.app.pipeline import Request, record_of
from bot.discord_app.context import FactContext, interaction_plain, respond
from bot.discord_app.delivery import expect_reply
from bot.discord_app.render import Rendered, render_apology, render_reply
from bot.querylog import QueryRecord

if TYPE_CHECKING:
    from bot.discord_app.client import FactBot

log = logging.getLogger(__name__)

# A reply that could not be sent is not a bug in the handler: `deliver` records it on the
# query's row and logs it; the user cannot be told (the send is what failed).
SEND_FAILURES: tuple[type[BaseException], ...] = (discord.HTTPException, aiohttp.ClientError, OSError)


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

    def request(self, text: str, *, command: str | None = None, args: str = "", line: str | None = None) -> Request:
        return Request(text, self.surface, self.user_id, self.channel_id, self.guild_id, command, args, line)

    def question(self, text: str) -> Request:
        return Request.question(
            text, self.surface, user_id=self.user_id, channel_id=self.channel_id, guild_id=self.guild_id
        )


async def run_query(bot: FactBot, request: Request, *, plain: bool, locale: discord.Locale | None = None) -> Rendered:
    """The pipeline's reply to `request`, rendered and logged; what to send."""
    outcome = bot.pipeline.answer(request)
    if outcome.error is not None:
        bot.note_handler_error(outcome.error, f"{request.surface} query {request.text[:80]!r}")
        await record_query(bot, outcome.record)
        return render_apology(plain=plain)
    try:
        rendered = render_reply(outcome.reply, asked=request.text, plain=plain, locale=locale)
    except Exception as exc:  # a bug in laying the reply out: as above
        bot.note_handler_error(exc, f"{request.surface} rendering {request.text[:80]!r}")
        await record_query(bot, record_of(request, None, error=exc))
        return render_apology(plain=plain)
    await record_query(bot, outcome.record)
    return rendered


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


async def answer_context(bot: FactBot, ctx: FactContext, request: Request, *, ephemeral: bool = False) -> None:
    """A command, prefix or slash (hybrid), or a DM: answer through the context's one reply helper
    (a message in the same channel, the earlier answer edited, or the interaction's response)."""
    locale = ctx.interaction.locale if ctx.interaction is not None else None
    rendered = await run_query(bot, request, plain=ctx.plain, locale=locale)
    with contextlib.suppress(*SEND_FAILURES):  # recorded on the row and logged by `deliver`
        await ctx.safe_send(rendered, ephemeral=ephemeral)




async def answer_interaction(
    bot: FactBot, interaction: discord.Interaction[Any], request: Request, *, ephemeral: bool = False
) -> None:
    """A slash command, a button or the context menu: answer `request` and respond."""
    rendered = await run_query(bot, request, plain=interaction_plain(interaction), locale=interaction.locale)
    with contextlib.suppress(*SEND_FAILURES):
        await respond(interaction, rendered, ephemeral=ephemeral)
