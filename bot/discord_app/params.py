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

from collections.abc import Callable
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.analysis import AnalysisError, answerable_pairs, metric_choices
from bot.analysis.resolve import resolve_metric, resolve_place
from bot.discord_app.autocomplete import Catalog
from bot.discord_app.choices import autocomplete_choices
from bot.query.engine import Engine
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


# -- /compare and /series: only what can be compared or drawn --------------------------------


def _resolved(resolve: Callable[[Engine, str], str], engine: Engine, text: str | None) -> str | None:
    """The key another option names (a key from a choice, or whatever was typed), if any."""
    if not text or not text.strip():
        return None
    try:
        return resolve(engine, text)
    except AnalysisError:
        return None


class CompareMetric(_Text):
    """Metrics with figures for at least two places."""

    where = "compare metric"

    def choices_for(self, catalog: Catalog, interaction: discord.Interaction[Any], current: str) -> list[Choice]:
        return metric_choices(catalog.store, current, for_compare=True)


class ComparePlace(_Text):
    """Places with a figure for the chosen metric (every place with figures when none is chosen)."""

    where = "compare place"

    def choices_for(self, catalog: Catalog, interaction: discord.Interaction[Any], current: str) -> list[Choice]:
        key = _resolved(resolve_metric, catalog.engine, _option(interaction, "metric"))
        if key is None:
            return catalog.places(current)
        among = sorted({p for (p, m) in catalog.store.by_place_metric if m == key}, key=catalog.store.place_name)
        return catalog.places(current, among=among)


class SeriesMetric(_Text):
    """Metrics with a series (for the chosen place, if any)."""

    where = "series metric"

    def choices_for(self, catalog: Catalog, interaction: discord.Interaction[Any], current: str) -> list[Choice]:
        place = _resolved(resolve_place, catalog.engine, _option(interaction, "place"))
        return metric_choices(catalog.store, current, place=place)


class SeriesPlace(_Text):
    """Places with a series of the chosen metric (any series when none is chosen), chartable ones first."""

    where = "series place"

    def choices_for(self, catalog: Catalog, interaction: discord.Interaction[Any], current: str) -> list[Choice]:
        key = _resolved(resolve_metric, catalog.engine, _option(interaction, "metric"))
        pairs = answerable_pairs(catalog.store)
        among = dict.fromkeys(p.place for p in pairs if key is None or p.metric == key)
        return catalog.places(current, among=list(among))


PlaceText = app_commands.Transform[str, Place]
MetricText = app_commands.Transform[str, Metric]
PeriodText = app_commands.Transform[str, Period]
CompareMetricText = app_commands.Transform[str, CompareMetric]
ComparePlaceText = app_commands.Transform[str, ComparePlace]
SeriesMetricText = app_commands.Transform[str, SeriesMetric]
SeriesPlaceText = app_commands.Transform[str, SeriesPlace]


class Flag(app_commands.Transformer[Any], commands.Converter[bool]):
    """A word after a prefix command (`!reload force`), a boolean option as a slash command."""

    WORDS: tuple[str, ...] = ("true", "yes", "1")

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.boolean

    async def transform(self, interaction: discord.Interaction[Any], value: Any, /) -> bool:
        return bool(value)

    async def convert(self, ctx: commands.Context[Any], argument: str, /) -> bool:
        if argument.strip().lower() in self.WORDS:
            return True
        raise commands.BadArgument(f"'{argument[:40]}' is not '{self.WORDS[0]}'")


class Force(Flag):
    """`!reload force`, `/reload force:True`."""

    WORDS = ("force", "true", "yes", "1")


class All(Flag):
    """`!stats 7 all`, `/stats all_servers:True`."""

    WORDS = ("all", "true", "yes", "1")


ForceFlag = app_commands.Transform[bool, Force]
AllFlag = app_commands.Transform[bool, All]
