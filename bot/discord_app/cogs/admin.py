"""For the bot's owners and FACTBOT_ADMIN_IDS: reload the store, sync slash commands, query stats.

Everyone else gets a polite refusal, and the refusal is logged (see the error
handlers in `client.py`). Slash replies here are ephemeral: they concern the
admin who asked, not the channel.
"""

from __future__ import annotations

import io

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.access import admin_only, admin_only_slash
from bot.discord_app.client import FactBot
from bot.discord_app.context import FactContext, interaction_plain, respond
from bot.discord_app.render import Rendered, render_code, render_notice
from bot.discord_app.safety import Field, build_embed, code_block
from bot.querylog import embed_fields, render_text
from bot.service import ReloadResult

MAX_DAYS = 3650
ADMIN = {"admin": True}


def _reload_rendered(result: ReloadResult, *, plain: bool) -> Rendered:
    title = "Fact store reloaded" if result.ok else "Reload refused"
    return render_code(title, result.summary(), plain=plain, error=not result.ok)


class Admin(commands.Cog):
    """Running the bot."""

    def __init__(self, bot: FactBot) -> None:
        self.bot = bot

    # -- reload -------------------------------------------------------------------------

    @commands.command(
        name="reload",
        usage="[force]",
        help="Reload the fact store; on any error the old store keeps serving. "
        "'force' accepts a store with no facts at all",
        extras=ADMIN,
    )
    @admin_only()
    async def reload(self, ctx: FactContext, option: str = "") -> None:
        if option.strip().lower() not in ("", "force"):
            await ctx.safe_send(render_notice("Usage: reload [force]", plain=ctx.plain, error=True))
            return
        trigger = f"{self.bot.settings.prefix}reload by {self.bot.user_ref(ctx.author)}"
        result = await self.bot.reload_store(trigger, force=option.strip().lower() == "force")
        await ctx.safe_send(_reload_rendered(result, plain=ctx.plain))

    @app_commands.command(name="reload", description="Reload the fact store (admins)", extras=ADMIN)
    @app_commands.describe(force="Accept a store with no facts at all (default: refuse it)")
    @admin_only_slash()
    async def reload_slash(self, interaction: discord.Interaction[FactBot], force: bool = False) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        result = await self.bot.reload_store(f"/reload by {self.bot.user_ref(interaction.user)}", force=force)
        await respond(interaction, _reload_rendered(result, plain=interaction_plain(interaction)), ephemeral=True)

    # -- sync ---------------------------------------------------------------------------

    @commands.command(name="sync", help="Sync the slash commands with Discord now", extras=ADMIN)
    @admin_only()
    async def sync(self, ctx: FactContext) -> None:
        result = await self.bot.sync_now()
        await ctx.safe_send(render_notice(result.summary(), plain=ctx.plain, title="Slash commands synced"))

    @app_commands.command(name="sync", description="Sync the slash commands with Discord now (admins)", extras=ADMIN)
    @admin_only_slash()
    async def sync_slash(self, interaction: discord.Interaction[FactBot]) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        result = await self.bot.sync_now()
        rendered = render_notice(result.summary(), plain=interaction_plain(interaction), title="Slash commands synced")
        await respond(interaction, rendered, ephemeral=True)

    # -- stats --------------------------------------------------------------------------

    @commands.command(name="stats", usage="[days]", help="Query log report for the last N days, with the rows as CSV",
                      extras=ADMIN)  # fmt: skip
    @admin_only()
    async def stats(self, ctx: FactContext, days: int = 7) -> None:
        if not 1 <= days <= MAX_DAYS:
            await ctx.safe_send(render_notice(f"days must be 1 to {MAX_DAYS}", plain=ctx.plain, error=True))
            return
        rendered, file = await self._stats(days, plain=ctx.plain)
        await ctx.safe_send(rendered, file=file)

    @app_commands.command(name="stats", description="Query log report for the last N days, with a CSV (admins)",
                          extras=ADMIN)  # fmt: skip
    @app_commands.describe(days="How many days back, today included (default 7)")
    @admin_only_slash()
    async def stats_slash(
        self, interaction: discord.Interaction[FactBot], days: app_commands.Range[int, 1, MAX_DAYS] = 7
    ) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        rendered, file = await self._stats(days, plain=interaction_plain(interaction))
        await respond(interaction, rendered, ephemeral=True, file=file)

    async def _stats(self, days: int, *, plain: bool) -> tuple[Rendered, discord.File | None]:
        querylog = self.bot.querylog
        if querylog is None:
            return render_notice("The query log is off in this process.", plain=plain, error=True), None
        stats = await querylog.stats(days)
        csv_text = await querylog.export_csv(days)
        file = discord.File(io.BytesIO(csv_text.encode("utf-8")), filename=f"factbot-queries-{days}d.csv")
        if plain:
            return Rendered(content=code_block(render_text(stats), 2000)), file
        title, fields = embed_fields(stats)
        embed = build_embed(title=title, fields=[Field(name, value, inline=False) for name, value in fields])
        return Rendered(embed=embed), file


async def setup(bot: FactBot) -> None:
    await bot.add_cog(Admin(bot))
