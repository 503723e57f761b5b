"""The source documents: `!sources`, `!source <doc>`, `/sources [document]`."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.choices import autocomplete_choices
from bot.discord_app.client import FactBot
from bot.discord_app.context import FactContext
from bot.discord_app.helptext import spec_help, spec_usage
from bot.discord_app.queries import Origin, answer_context


def _join(*parts: str | None) -> str:
    return " ".join(p for p in parts if p)


class Sources(commands.Cog):
    """Where the figures come from."""

    def __init__(self, bot: FactBot) -> None:
        self.bot = bot

    @commands.hybrid_command(  # type: ignore[arg-type]  # discord.py cannot infer a Context subclass here
        name="sources", description="List the source documents, or show one",
        help=spec_help("sources", "List the source documents"), usage="[document]",
    )  # fmt: skip
    @app_commands.describe(
        document="Optional: a document number, title words or file name",
        only_me="Only you see the answer (default: this server's setting, usually everyone)",
    )
    async def sources(
        self,
        ctx: FactContext,
        document: app_commands.Range[str, 1, 100] | None = None,
        only_me: bool | None = None,
    ) -> None:
        """`!sources`, `!sources 4`, `/sources [document]`: one command for prefix and slash."""
        origin = Origin.of_context(ctx)
        text = ctx.message.content if ctx.interaction is None else _join("sources", document)
        if document:
            request = origin.request(text, command="source", args=document)
        else:
            request = origin.request(text, command="sources")
        ephemeral = ctx.interaction is not None and self.bot.ephemeral_for(ctx.interaction, only_me)
        await answer_context(self.bot, ctx, request, ephemeral=ephemeral)

    @commands.command(name="source", usage=spec_usage("source"), help=spec_help("source", "Show one document"))
    async def source(self, ctx: FactContext, *, document: str = "") -> None:
        request = Origin.of_context(ctx).request(ctx.message.content, command="source", args=document)
        await answer_context(self.bot, ctx, request)

    @sources.autocomplete("document")
    async def document_choices(
        self, interaction: discord.Interaction[FactBot], current: str
    ) -> list[app_commands.Choice[str]]:
        return autocomplete_choices(self.bot, "sources document", lambda c: c.documents(current))


async def setup(bot: FactBot) -> None:
    await bot.add_cog(Sources(bot))
