"""Questions: `!trade`, `!fact` / `!ask`, every metric word, DMs; `/trade`, `/fact`, `/figure`.

Text commands go through `CommandRouter` exactly as the console does, so a
command means the same thing in both. Slash options are re-checked by the
engine like any typed text: autocomplete only suggests, users can submit
anything, and an unknown place gets `not_found` or `nearest` in plain words.
"""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.client import FactBot
from bot.discord_app.context import FactContext
from bot.discord_app.helptext import spec_help, spec_usage
from bot.discord_app.params import MetricText, PeriodText, PlaceText
from bot.discord_app.queries import Origin, answer_context, answer_interaction

# the word the router and the engine read as foreign trade
TRADE = "trade"
LOOK_UP = "Look up figure"


def _join(*parts: str | None) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


class Facts(commands.Cog):
    """Ask for figures."""

    def __init__(self, bot: FactBot) -> None:
        self.bot = bot
        # a context menu cannot live in a cog's class body: it is added to the tree here
        self.look_up = app_commands.ContextMenu(name=LOOK_UP, callback=self.look_up_figure)

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.look_up)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.look_up.name, type=self.look_up.type)

    async def look_up_figure(self, interaction: discord.Interaction[FactBot], message: discord.Message) -> None:
        """Right-click a message, Apps, Look up figure: the figure it asks about, seen only by you."""
        text = message.content.strip() or " ".join(e.description or e.title or "" for e in message.embeds).strip()
        request = Origin.of_interaction(interaction, "menu").question(text)
        await answer_interaction(self.bot, interaction, request, ephemeral=True)

    # -- text commands --------------------------------------------------------------

    @commands.command(name="trade", usage=spec_usage("trade"), help=spec_help("trade", "Foreign trade of a place"))
    async def trade(self, ctx: FactContext, *, args: str = "") -> None:
        request = Origin.of_context(ctx).request(ctx.message.content, command=TRADE, args=args)
        await answer_context(self.bot, ctx, request)

    @commands.hybrid_command(  # type: ignore[arg-type]  # discord.py cannot infer a Context subclass here
        name="fact", aliases=["ask"], usage=spec_usage("fact"), help=spec_help("fact", "Ask any question"),
        description=spec_help("fact", "Ask any question")[:100],
    )  # fmt: skip
    @app_commands.describe(
        query="Your question, e.g. How much did Xinjiang trade with Belt and Road countries in 2023?",
        only_me="Only you see the answer (default: this server's setting, usually everyone)",
    )
    async def fact(self, ctx: FactContext, *, query: str = "", only_me: bool | None = None) -> None:
        """`!fact` / `!ask`, `/fact`, and every routed question (a metric word, a mention, a DM).

        The question's length is not limited here: the pipeline's one long-input policy
        answers a question that is too long, whatever the surface.
        """
        origin = Origin.of_context(ctx)
        if ctx.interaction is not None:
            request = origin.request(query, command="fact", args=query)
            await answer_context(self.bot, ctx, request, ephemeral=self.bot.ephemeral_for(ctx.interaction, only_me))
            return
        if ctx.routed_line is not None:
            # a metric word, a mention or a DM (see FactBot.get_context)
            request = origin.request(ctx.message.content, line=ctx.routed_line)
        else:
            request = origin.request(ctx.message.content, command=ctx.invoked_with or "fact", args=query)
        await answer_context(self.bot, ctx, request)

    # -- slash commands ----------------------------------------------------------------

    @app_commands.command(name="trade", description=spec_help("trade", "Foreign trade of a place")[:100])
    @app_commands.describe(
        place="A region, prefecture or zone: Xizang (Tibet), Xinjiang, Kashgar...",
        period="Optional: 2023, H1 2023, first 11 months of 2023... (default: the latest)",
        only_me="Only you see the answer (default: this server's setting, usually everyone)",
    )
    async def trade_slash(
        self,
        interaction: discord.Interaction[FactBot],
        place: PlaceText,
        period: PeriodText | None = None,
        only_me: bool | None = None,
    ) -> None:
        args = _join(place, period)
        request = Origin.of_interaction(interaction, "slash").request(_join(TRADE, args), command=TRADE, args=args)
        await answer_interaction(self.bot, interaction, request, ephemeral=self.bot.ephemeral_for(interaction, only_me))



    @app_commands.command(name="figure", description="Any figure: pick a metric, a place and optionally a period")
    @app_commands.describe(
        metric="What to look up: foreign trade, GDP, tourist arrivals, installed power capacity...",
        place="A region, prefecture, city or zone",
        period="Optional: 2023, H1 2023, January to April 2024... (default: the latest)",
        only_me="Only you see the answer (default: this server's setting, usually everyone)",
    )
    async def figure_slash(
        self,
        interaction: discord.Interaction[FactBot],
        metric: MetricText,
        place: PlaceText,
        period: PeriodText | None = None,
        only_me: bool | None = None,
    ) -> None:
        request = Origin.of_interaction(interaction, "slash").question(_join(metric, place, period))
        await answer_interaction(self.bot, interaction, request, ephemeral=self.bot.ephemeral_for(interaction, only_me))





async def setup(bot: FactBot) -> None:
    await bot.add_cog(Facts(bot))
