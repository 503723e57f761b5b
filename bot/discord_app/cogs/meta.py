"""Help: `!help` is the bot's `FactHelpCommand`; `/help` shows the same listing."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app.commands import COMMANDS
from bot.discord_app.client import FactBot
from bot.discord_app.context import interaction_plain, respond
from bot.discord_app.helptext import help_lines, menu_names, prefix_entries, spec_help, visible_slash
from bot.discord_app.render import render_code


class Meta(commands.Cog):
    """About the bot."""

    def __init__(self, bot: FactBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        if self.bot.help_command is not None:
            self.bot.help_command.cog = self  # `!help` is listed with this cog, as in RoboDanny

    async def cog_unload(self) -> None:
        if self.bot.help_command is not None:
            self.bot.help_command.cog = None

    @app_commands.command(name="help", description=spec_help("help", "This list of commands")[:100])
    async def help_slash(self, interaction: discord.Interaction[FactBot]) -> None:
        bot = self.bot
        is_admin = await bot.is_admin(interaction.user)
        order = {s.name: i for i, s in enumerate(COMMANDS)}
        text_commands = sorted(
            (c for c in bot.commands if not c.hidden and (is_admin or not c.extras.get("admin"))),
            key=lambda c: (order.get(c.name, len(order)), c.name),
        )
        slash = await visible_slash(bot, is_admin)
        menus = menu_names(bot.tree.get_commands())
        lines = help_lines(bot.settings.prefix, prefix_entries(text_commands), slash, menus)
        rendered = render_code("factbot commands", "\n".join(lines), plain=interaction_plain(interaction))
        await respond(interaction, rendered, ephemeral=True)


async def setup(bot: FactBot) -> None:
    await bot.add_cog(Meta(bot))
