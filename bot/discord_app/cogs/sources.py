"""The source documents: `!sources`, `!source <doc>`, `/sources [document]`."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.choices import autocomplete_choices
from bot.discord_app.client import FactBot
from bot.discord_app.context import FactContext
from bot.discord_app.helptext import spec_help, spec_usage
from bot.discord_app.queries import answer_interaction, answer_message


class Sources(commands.Cog):
    """Where the figures come from."""

    def __init__(self, bot: FactBot) -> None:
        self.bot = bot

    @commands.command(name="sources", help=spec_help("sources", "List the source documents"), usage="")
    async def sources(self, ctx: FactContext) -> None:
        answers = self.bot.answers
        await answer_message(self.bot, ctx, ctx.message.content, lambda: answers.run("sources", ""))

    @commands.command(name="source", usage=spec_usage("source"), help=spec_help("source", "Show one document"))
    async def source(self, ctx: FactContext, *, document: str = "") -> None:
        answers = self.bot.answers
        await answer_message(self.bot, ctx, ctx.message.content, lambda: answers.run("source", document))

    @app_commands.command(name="sources", description="List the source documents, or show one")
    @app_commands.describe(document="Optional: a document number, title words or file name")
    async def sources_slash(
        self, interaction: discord.Interaction[FactBot], document: app_commands.Range[str, 1, 100] | None = None
    ) -> None:
        answers = self.bot.answers
        if document:
            query, name, args = f"source {document}", "source", document
        else:
            query, name, args = "sources", "sources", ""
        await answer_interaction(self.bot, interaction, query, surface="slash", compute=lambda: answers.run(name, args))

    @sources_slash.autocomplete("document")
    async def document_choices(
        self, interaction: discord.Interaction[FactBot], current: str
    ) -> list[app_commands.Choice[str]]:
        return autocomplete_choices(self.bot, "sources document", lambda c: c.documents(current))


async def setup(bot: FactBot) -> None:
    await bot.add_cog(Sources(bot))
