"""The parameter types of the question commands, written once: place, metric, period.

Each is an `app_commands.Transformer` (the slash option: a string of at most
100 characters, with autocomplete built in) and a `commands.Converter` (the
same value typed after a prefix command). Autocomplete only suggests: the
value is passed on as typed, and the engine re-reads it like any text, so a
place nobody suggested still gets a clear `not_found` or `nearest`.

The other options of the command narrow the choices: a period offered for
`/trade place:Kashi` is a period Kashi's trade has a figure for. `/trade`
has no metric option: its metric is foreign trade.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.autocomplete import Catalog
from bot.discord_app.choices import autocomplete_choices
from bot.render.choices import CHOICE_CHARS, Choice

# The metric a command implies when it has no metric option.
IMPLIED_METRIC = {"trade": "trade"}


def _option(interaction: discord.Interaction[Any], name: str) -> str | None:
    value = getattr(interaction.namespace, name, None)
    return value if isinstance(value, str) else None


def _metric_of(interaction: discord.Interaction[Any]) -> str | None:
    command = interaction.command.name if interaction.command else ""
    return _option(interaction, "metric") or IMPLIED_METRIC.get(command)


class _Text(app_commands.Transformer[Any], commands.Converter[str]):
    """A string option (1 to 100 characters) whose choices come from the store's catalog."""

    where = "text"

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.string

    @property
    def min_value(self) -> int:
        return 1

    @property
    def max_value(self) -> int:
        return CHOICE_CHARS

    async def transform(self, interaction: discord.Interaction[Any], value: Any, /) -> str:
        return str(value).strip()

    async def convert(self, ctx: commands.Context[Any], argument: str, /) -> str:
        return argument.strip()

    def choices_for(self, catalog: Catalog, interaction: discord.Interaction[Any], current: str) -> list[Choice]:
        raise NotImplementedError

    async def autocomplete(  # type: ignore[override]
        self, interaction: discord.Interaction[Any], value: str, /
    ) -> list[app_commands.Choice[str]]:
        return autocomplete_choices(
            interaction.client, self.where, lambda catalog: self.choices_for(catalog, interaction, value)
        )


class Place(_Text):
    """A region, prefecture, city or zone; with a metric chosen, only places with figures for it."""

    where = "place"

    def choices_for(self, catalog: Catalog, interaction: discord.Interaction[Any], current: str) -> list[Choice]:
        return catalog.places(current, metric=_metric_of(interaction))


class Metric(_Text):
    """What to look up; with a place chosen, only what that place has figures for."""

    where = "metric"

    def choices_for(self, catalog: Catalog, interaction: discord.Interaction[Any], current: str) -> list[Choice]:
        return catalog.metrics(current, place=_option(interaction, "place"))


class Period(_Text):
    """A period the store has figures for, as a person writes it; narrowed by place and metric."""

    where = "period"

    def choices_for(self, catalog: Catalog, interaction: discord.Interaction[Any], current: str) -> list[Choice]:
        return catalog.periods(current, place=_option(interaction, "place"), metric=_metric_of(interaction))


PlaceText = app_commands.Transform[str, Place]
MetricText = app_commands.Transform[str, Metric]
PeriodText = app_commands.Transform[str, Period]


class Force(app_commands.Transformer[Any], commands.Converter[bool]):
    """`!reload force` and `/reload force:True`: a word after a prefix command, a boolean option."""

    WORDS = ("force", "true", "yes", "1")

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.boolean

    async def transform(self, interaction: discord.Interaction[Any], value: Any, /) -> bool:
        return bool(value)

    async def convert(self, ctx: commands.Context[Any], argument: str, /) -> bool:
        if argument.strip().lower() in self.WORDS:
            return True
        raise commands.BadArgument(f"'{argument[:40]}' is not 'force'")


ForceFlag = app_commands.Transform[bool, Force]
