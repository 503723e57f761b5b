"""For the bot's owners and FACTBOT_ADMIN_IDS: reload the store, sync slash commands, query stats
(with a line per shard of every process sharing the database).

Everyone else gets a polite refusal, and the refusal is logged (see the error
handlers in `client.py`). Slash replies here are ephemeral: they concern the
admin who asked, not the channel.
"""

from __future__ import annotations

import io
import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.access import admin_only
from bot.discord_app.client import FactBot
from bot.discord_app.context import FactContext, message_kwargs
from bot.discord_app.params import AllFlag, ForceFlag
from bot.discord_app.render import Rendered, render_code, render_notice
from bot.discord_app.safety import Field, build_embed, code_block
from bot.querylog import embed_fields, render_text
from bot.service import ReloadResult

log = logging.getLogger(__name__)

MAX_DAYS = 3650
# How long the report waits for this process's own shards to be written first.
BEAT_WAIT_SECONDS = 2.0
ADMIN = {"admin": True}


def _reload_rendered(result: ReloadResult, *, plain: bool) -> Rendered:
    title = "Fact store reloaded" if result.ok else "Reload refused"
    return render_code(title, result.summary(), plain=plain, error=not result.ok)


class Admin(commands.Cog):
    """Running the bot."""

    def __init__(self, bot: FactBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        # a hybrid command's slash half does not inherit `extras`: help reads "admin" from both
        for command in self.get_commands():
            app_command = getattr(command, "app_command", None)
            if app_command is not None:
                app_command.extras.update(command.extras)

    # -- reload -------------------------------------------------------------------------

    @commands.hybrid_command(  # type: ignore[arg-type]  # discord.py cannot infer a Context subclass here
        name="reload",
        usage="[force]",
        description="Reload the fact store (admins)",
        help="Reload the fact store; on any error the old store keeps serving. "
        "'force' accepts a store with no facts at all",
        extras=ADMIN,
    )
    @app_commands.describe(force="Accept a store with no facts at all (default: refuse it)")
    @admin_only()
    async def reload(self, ctx: FactContext, force: ForceFlag = False) -> None:
        """`!reload [force]` and `/reload [force]`: one command; the slash reply only the admin sees."""
        await ctx.defer(ephemeral=True)  # loading and checking the store can take a few seconds
        where = "/" if ctx.interaction is not None else self.bot.settings.prefix
        result = await self.bot.reload_store(f"{where}reload by {self.bot.user_ref(ctx.author)}", force=force)
        await ctx.safe_send(_reload_rendered(result, plain=ctx.plain), ephemeral=True)

    # -- sync ---------------------------------------------------------------------------

    @commands.hybrid_command(  # type: ignore[arg-type]  # discord.py cannot infer a Context subclass here
        name="sync", help="Sync the slash commands with Discord now",
        description="Sync the slash commands with Discord now (admins)", extras=ADMIN,
    )  # fmt: skip
    @admin_only()
    async def sync(self, ctx: FactContext) -> None:
        """`!sync` and `/sync`: one command; the slash reply only the admin sees."""
        await ctx.defer(ephemeral=True)  # a sync can take longer than Discord's three seconds
        result = await self.bot.sync_now()
        await ctx.safe_send(render_notice(result.summary(), plain=ctx.plain, title="Slash commands synced"),
                            ephemeral=True)  # fmt: skip

    # -- stats --------------------------------------------------------------------------

    @commands.hybrid_command(  # type: ignore[arg-type]  # discord.py cannot infer a Context subclass here
        name="stats", usage="[days] [all]",
        help="Query log report for the last N days, with the rows as CSV and a line per shard of every "
        "process, sent to you in a direct message. In a server the queries are that server's only; "
        "'all' (bot owners) covers every one",
        description="Query log report for the last N days, with a CSV (admins)", extras=ADMIN,
    )  # fmt: skip
    @app_commands.describe(
        days="How many days back, today included (default 7)",
        all_servers="Every server and DM, not just this server (bot owners only)",
    )
    @admin_only()
    async def stats(
        self, ctx: FactContext, days: commands.Range[int, 1, MAX_DAYS] = 7, all_servers: AllFlag = False
    ) -> None:
        """`!stats [days] [all]` and `/stats [days] [all_servers]`: never in the channel.

        The rows hold every user's questions, DMs included: a slash reply is ephemeral,
        a prefix command in a server is answered by DM, and a DM is already private.
        """
        await ctx.defer(ephemeral=True)  # only the admin sees the report
        here = ctx.guild.id if ctx.guild else None
        allowed, guild_id = await self._scope(ctx.author, here, every=all_servers)
        if not allowed:
            await ctx.safe_send(render_notice(OWNERS_ONLY, plain=ctx.plain, error=True), ephemeral=True)
            return
        if ctx.interaction is not None or ctx.guild is None:
            rendered, file = await self._stats(days, plain=ctx.plain and ctx.interaction is not None, guild_id=guild_id)
            await ctx.safe_send(rendered, file=file, ephemeral=True)
            return
        rendered, file = await self._stats(days, plain=False, guild_id=guild_id)
        try:
            await ctx.author.send(**message_kwargs(rendered, file))
        except discord.HTTPException as exc:
            log.warning("could not DM the stats to %s: %s", self.bot.user_ref(ctx.author), exc)
            await ctx.safe_send(render_notice(DM_FAILED, plain=ctx.plain, error=True))
            return
        await ctx.safe_send(render_notice(DM_SENT, plain=ctx.plain))

    async def _scope(self, user: discord.abc.User, guild_id: int | None, *, every: bool) -> tuple[bool, int | None]:
        """(allowed, server) of a report: asked in a server, that server's rows; in a DM, or
        by an owner asking for all, every row (server None). Not allowed: a non-owner asking for all."""
        if guild_id is None:
            return True, None
        if not every:
            return True, guild_id
        return await self.bot.is_owner(user), None

    async def _stats(self, days: int, *, plain: bool, guild_id: int | None) -> tuple[Rendered, discord.File | None]:
        querylog = self.bot.querylog
        if querylog is None:
            return render_notice("The query log is off in this process.", plain=plain, error=True), None
        if self.bot.heartbeat is not None:
            # this process's shards as they are now; the other processes' as last written
            await self.bot.heartbeat.beat(timeout=BEAT_WAIT_SECONDS)
        stats = await querylog.stats(days, guild_id=guild_id)
        fleet = await querylog.shards()  # the bot's shards, whichever server asks
        csv_text = await querylog.export_csv(days, guild_id=guild_id)
        suffix = f"-server-{guild_id}" if guild_id is not None else ""
        file = discord.File(io.BytesIO(csv_text.encode("utf-8")), filename=f"factbot-queries-{days}d{suffix}.csv")
        if plain:
            return Rendered(content=code_block(render_text(stats, fleet), 2000)), file
        title, fields = embed_fields(stats, fleet)
        if guild_id is not None:
            title += " (this server)"
        embed = build_embed(title=title, fields=[Field(name, value, inline=False) for name, value in fields])
        return Rendered(embed=embed), file


OWNERS_ONLY = "Only the bot's owners can see the report for every server; without 'all' you get this server's."
DM_SENT = "I sent you the report in a direct message."
DM_FAILED = (
    "I could not send you a direct message (your DMs from this server may be off). "
    "Use /stats: only you can see its reply."
)


async def setup(bot: FactBot) -> None:
    await bot.add_cog(Admin(bot))
