"""The source documents: `!sources`, `!source <doc>`, `/sources [document]`."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.choices import autocomplete_choices
from bot.discord_app.client import FactBot
from bot.discord_app.context import FactContext
from bot.discord_app.helptext import spec_help, spec_usage
from bot.discord_app.queries import Origin, answer_interaction, answer_message


class Sources(commands.Cog):
    """Where the figures come from."""

    def __init__(self, bot: FactBot) -> None:
        self.bot = bot

    @commands.command(name="sources", help=spec_help("sources", "List the source documents"), usage="")
    async def sources(self, ctx: FactContext) -> None:
        await answer_message(self.bot, ctx, Origin.of_context(ctx).request(ctx.message.content, command="sources"))

    @commands.command(name="source", usage=spec_usage("source"), help=spec_help("source", "Show one document"))
    async def source(self, ctx: FactContext, *, document: str = "") -> None:
        request = Origin.of_context(ctx).request(ctx.message.content, command="source", args=document)
        await answer_message(self.bot, ctx, request)

    @app_commands.command(name="sources", description="List the source documents, or show one")
    @app_commands.describe(
        document="Optional: a document number, title words or file name",
        only_me="Only you see the answer (default: this server's setting, usually everyone)",
    )
    async def sources_slash(
        self,
        interaction: discord.Interaction[FactBot],
        document: app_commands.Range[str, 1, 100] | None = None,
        only_me: bool | None = None,
    ) -> None:
        origin = Origin.of_interaction(interaction, "slash")
        if document:
            request = origin.request(f"source {document}", command="source", args=document)
        else:
            request = origin.request("sources", command="sources")
        await answer_interaction(self.bot, interaction, request, ephemeral=self.bot.ephemeral_for(interaction, only_me))

    @sources_slash.autocomplete("document")
    async def document_choices(
        self, interaction: discord.Interaction[FactBot], current: str
    ) -> list[app_commands.Choice[str]]:
        return autocomplete_choices(self.bot, "sources document", lambda c: c.documents(current))


async def setup(bot: FactBot) -> None:
    await bot.add_cog(Sources(bot))
