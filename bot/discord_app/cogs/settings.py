"""`/settings`: a server's prefix, the channels the bot answers in, and default visibility.

Members with Manage Server change them (Discord hides the command from the
others by default: `default_permissions`), and so do the bot's admins; the
check is made here too, because a server can grant the command to anyone.
With no option, it shows the current settings. The reply is ephemeral.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.client import FactBot
from bot.discord_app.context import interaction_plain, respond
from bot.discord_app.render import render_notice
from bot.discord_app.server_settings import SettingsError, check_prefix, describe

REFUSAL = "Only members with Manage Server (or the bot's admins) can change its settings here."
DM_ONLY = "Settings belong to a server: run /settings in one."


class Settings(commands.Cog):
    """This server's settings."""

    def __init__(self, bot: FactBot) -> None:
        self.bot = bot

    @app_commands.command(name="settings", description="This server's prefix, channels and default visibility")
    @app_commands.describe(
        prefix="The prefix for text commands here (default: the bot's own, usually !)",
        answer_here="True: answer in this channel (once one is chosen, only in those); False: not here",
        every_channel="True: answer in every channel again (clears the list)",
        only_me="True: slash answers are seen only by the asker unless they choose otherwise",
    )
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.allowed_contexts(guilds=True, dms=False, private_channels=False)
    async def settings(
        self,
        interaction: discord.Interaction[FactBot],
        prefix: app_commands.Range[str, 1, 5] | None = None,
        answer_here: bool | None = None,
        every_channel: bool | None = None,
        only_me: bool | None = None,
    ) -> None:
        bot = self.bot
        plain = interaction_plain(interaction)
        guild_id = interaction.guild_id
        if guild_id is None:
            await respond(interaction, render_notice(DM_ONLY, plain=plain, error=True), ephemeral=True)
            return
        changes: dict[str, Any] = {}
        if any(v is not None for v in (prefix, answer_here, every_channel, only_me)):
            if not await self._may_change(interaction):
                await respond(interaction, render_notice(REFUSAL, plain=plain, error=True), ephemeral=True)
                return
            current = bot.server_settings.get(guild_id)
            try:
                if prefix is not None:
                    changes["prefix"] = check_prefix(prefix)
            except SettingsError as exc:
                await respond(interaction, render_notice(str(exc), plain=plain, error=True), ephemeral=True)
                return
            channels = set(current.channels)
            if every_channel:
                channels.clear()
            if answer_here is True and interaction.channel_id is not None:
                channels.add(interaction.channel_id)
            elif answer_here is False and interaction.channel_id is not None:
                channels.discard(interaction.channel_id)
            if channels != set(current.channels):
                changes["channels"] = frozenset(channels)
            if only_me is not None:
                changes["ephemeral"] = only_me
        config = await bot.server_settings.update(guild_id, **changes) if changes else bot.server_settings.get(guild_id)
        title = "Settings changed" if changes else "Settings"
        text = describe(config, bot.settings.prefix)
        await respond(interaction, render_notice(text, plain=plain, title=title), ephemeral=True)

    async def _may_change(self, interaction: discord.Interaction[FactBot]) -> bool:
        permissions = interaction.permissions
        return permissions.manage_guild or permissions.administrator or await self.bot.is_admin(interaction.user)


async def setup(bot: FactBot) -> None:
    await bot.add_cog(Settings(bot))
