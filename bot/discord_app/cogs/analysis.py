"""Comparisons and time series: `!compare`, `!series`, `/compare`, `/series`.

The meaning of a request is the core's (`bot.analysis`): this cog only turns
text or slash options into a core call, lays the result out as an embed (or
plain text where the bot may not embed) and logs the query like every other
one, row first, reply second (see `bot.discord_app.queries`).

A series is sent as one message: the table from `series_text` in a code block
and the chart as a PNG attachment. The chart is drawn in a worker thread with
a timeout (`render_series_png_async`), so a slow render never blocks the event
loop; when it times out, cannot be drawn, or the bot may not attach files
there, the table goes out alone and says why. `/series` defers first: drawing
can take longer than the three seconds Discord allows for a first response.
"""

from __future__ import annotations

import contextlib
import io
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import discord
from discord import app_commands
from discord.ext import commands

from bot.analysis import (
    COMPUTED_LABEL,
    AnalysisError,
    Comparison,
    Series,
    Side,
    compare,
    compare_text,
    series,
    series_text,
    series_text_request,
)
from bot.analysis.labels import months_text, period_label
from bot.analysis.text import side_text
from bot.answer import Status, source_text
from bot.app.pipeline import record_of, too_long
from bot.discord_app.client import FactBot
from bot.discord_app.context import FactContext, interaction_plain, respond
from bot.discord_app.params import CompareMetricText, ComparePlaceText, SeriesMetricText, SeriesPlaceText
from bot.discord_app.queries import SEND_FAILURES, Origin, record_query
from bot.discord_app.render import COLOURS, Rendered, render_apology, render_notice
from bot.discord_app.safety import CONTENT_LIMIT, DESCRIPTION_LIMIT, Field, build_embed, clip, code_block, escape_text
from bot.querylog import QueryRecord
from bot.render.charts import DEFAULT_TIMEOUT, ChartError, render_series_png_async
from bot.store.periods import PeriodKind

COMPARE_USAGE = "<metric> <place> <place> [period]"
COMPARE_HELP = "Compare one figure between two places, e.g. compare trade xizang xinjiang 2023"
SERIES_USAGE = "<metric> <place>"
SERIES_HELP = "Every period of one figure for a place, as a table and a chart, e.g. series trade xinjiang"
CHART_TIMEOUT = DEFAULT_TIMEOUT  # seconds; a chart takes well under one, a stuck one must not hold the reply


@dataclass(frozen=True)
class Outcome:
    """What one compare or series query produced: the reply, the chart to attach, the log fields."""

    rendered: Rendered
    status: str  # the query log's status: answered, not_found (error rows are written where they happen)
    place: str | None = None
    metric: str | None = None
    period: str | None = None
    chart: tuple[str, bytes] | None = None  # (filename, PNG bytes)

    def file(self) -> discord.File | None:
        # a File is consumed by sending it: build a fresh one for each send
        if self.chart is None:
            return None
        name, data = self.chart
        return discord.File(io.BytesIO(data), filename=name)


def _join(*parts: str | None) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


# -- comparisons ---------------------------------------------------------------------------


def _covers(side: Side) -> str:
    period = side.period
    if period is None:
        return ""
    label = period_label(period)
    if period.kind is PeriodKind.PARTIAL:
        label = f"{label} ({months_text(period)})"
    if side.partial_fallback:
        label += f"; the documents give no figure for the whole of {period.start.year}"
    return label


def _side_field(side: Side, comparison: Comparison) -> Field:
    if side.figure is None:
        # why there is none, as the text rendering says it, without repeating the field's name
        why = side_text(side, comparison).removeprefix(f"{side.place_name}: ")
        return Field(escape_text(side.place_name), escape_text(why[:1].upper() + why[1:]), inline=True)
    value = f"**{escape_text(side.figure)}**\n{escape_text(_covers(side))}"
    return Field(escape_text(side.place_name), value, inline=True)


def _computed_text(comparison: Comparison, *, labelled: bool = True) -> str:
    """The bot's arithmetic (`Computed.sentence()`), or why there is none.

    `labelled=False` leaves out the leading label, for the embed field whose name carries it.
    """
    if comparison.computed is not None:
        sentence = comparison.computed.sentence()
        if labelled:
            return sentence
        rest = sentence.removeprefix(f"{COMPUTED_LABEL}: ")
        return rest[:1].upper() + rest[1:]
    if comparison.answered == 1:
        return "Only one side has a figure: nothing to compute."
    if comparison.answered == 0:
        return "Neither side has a figure: nothing to compare."
    return "Nothing computed: the figures cannot be set against each other (see above)."


def _sources_footer(comparison: Comparison) -> str:
    found = [(side.place_name, side.source) for side in comparison.sides if side.source is not None]
    if not found:
        return ""
    if len(found) == 2 and found[0][1] == found[1][1]:
        return f"Source (both): {source_text(found[0][1])}"
    return "Sources: " + " · ".join(f"{name}: {source_text(source)}" for name, source in found)


def render_comparison(comparison: Comparison, *, plain: bool) -> Rendered:
    """Both figures side by side, each with its own period and source, then the bot's arithmetic."""
    if plain:
        # one sentence a line, unwrapped: Discord wraps plain text to the reader's width
        lines = [side_text(side, comparison) for side in comparison.sides]
        lines += [*comparison.notes, _computed_text(comparison)]
        body = f"**{escape_text(comparison.title)}**\n" + escape_text("\n".join(lines))
        return Rendered(content=clip(body, CONTENT_LIMIT))
    # green with both figures, amber with one, grey with none: as a figure answer is coloured
    colour = COLOURS[(Status.NOT_FOUND, Status.NEAREST, Status.ANSWERED)[comparison.answered]]
    fields = [_side_field(side, comparison) for side in comparison.sides]
    fields.append(Field(COMPUTED_LABEL, escape_text(_computed_text(comparison, labelled=False))))
    embed = build_embed(
        title=escape_text(comparison.title),
        description=escape_text("\n".join(comparison.notes)),
        fields=fields,
        footer=_sources_footer(comparison),
        colour=colour,
    )
    return Rendered(embed=embed)


def comparison_outcome(comparison: Comparison, *, plain: bool) -> Outcome:
    # place stays empty: the log's place column holds one key, and a comparison has two
    # (as for a multi-place question in the engine); the query text names both
    return Outcome(
        render_comparison(comparison, plain=plain),
        status="answered" if comparison.answered else "not_found",
        metric=comparison.metric,
        period=comparison.asked.text if comparison.asked is not None else None,
    )


# -- series -----------------------------------------------------------------------------------


def chart_filename(found: Series) -> str:
    """`series_<metric>_<place>.png`, safe as an attachment name (`attachment://` takes no spaces)."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", f"series_{found.metric}_{found.place}") + ".png"


async def draw_chart(found: Series, *, can_attach: bool) -> tuple[bytes | None, str]:
    """The chart's PNG, or None and a sentence saying why there is none ("" when nothing needs saying)."""
    if not found.chartable:
        return None, ""  # `series_text` already says that only one period (or none) is known
    if not can_attach:
        return None, "No chart: I may not attach files in this channel (the Attach Files permission)."
    try:
        return await render_series_png_async(found, timeout=CHART_TIMEOUT), ""
    except TimeoutError:
        return None, f"No chart this time: drawing it took longer than {CHART_TIMEOUT:g} seconds."
    except ChartError as error:
        return None, f"No chart: {error}"


def render_series(found: Series, *, plain: bool, chart_name: str | None, why_no_chart: str) -> Rendered:
    """The table as a code block (the chart, if any, is attached to the same message)."""
    table = series_text(found)
    head = f"{escape_text(why_no_chart)}\n" if why_no_chart else ""
    if plain:
        return Rendered(content=head + code_block(table, CONTENT_LIMIT - len(head)))
    embed = build_embed(
        title=escape_text(found.title),
        description=head + code_block(table, DESCRIPTION_LIMIT - len(head)),
        colour=COLOURS[Status.ANSWERED if found.points or found.spans else Status.NOT_FOUND],
    )
    if chart_name is not None:
        embed.set_image(url=f"attachment://{chart_name}")
    return Rendered(embed=embed)


async def series_outcome(found: Series, *, plain: bool, can_attach: bool) -> Outcome:
    png, why = await draw_chart(found, can_attach=can_attach)
    name = chart_filename(found) if png is not None else None
    return Outcome(
        render_series(found, plain=plain, chart_name=name, why_no_chart=why),
        status="answered" if found.points or found.spans else "not_found",
        place=found.place,
        metric=found.metric,
        chart=(name, png) if name is not None and png is not None else None,
    )


# -- one query: compute, log, reply ------------------------------------------------------------


async def run_analysis(
    bot: FactBot, origin: Origin, query: str, work: Callable[[], Awaitable[Outcome]], *, plain: bool, title: str
) -> Outcome:
    """`work()`'s outcome, logged before it is returned, as `queries.run_query` does for questions.

    An `AnalysisError` (unknown place or metric, wrong shape) is the user's to fix: its
    sentence and suggestions are the reply and the row is `not_found`. Anything else
    is our bug: noted, logged as `error`, apologised for.
    """
    started = time.perf_counter()
    request = origin.request(query, command=title.lower())
    refused = too_long(request, bot.settings.prefix)  # the pipeline's one long-input policy
    if refused is not None:
        await record_query(bot, record_of(request, refused, latency_ms=_ms(started), error="too long"))
        return Outcome(render_notice(refused.message, plain=plain, title="Question too long", error=True), "not_found")
    try:
        outcome = await work()
    except AnalysisError as error:
        outcome = Outcome(render_notice(escape_text(str(error)), plain=plain, title=title), "not_found")
    except Exception as exc:  # any bug in answering: logged, apologised for, never shown
        bot.note_handler_error(exc, f"{origin.surface} {title} {query[:80]!r}")
        await record_query(bot, record_of(request, None, latency_ms=_ms(started), error=exc))
        return Outcome(render_apology(plain=plain), "error")
    rec = QueryRecord(
        surface=origin.surface, query=query, guild_id=origin.guild_id, channel_id=origin.channel_id,
        user_id=origin.user_id, status=outcome.status, place=outcome.place, metric=outcome.metric,
        period=outcome.period, latency_ms=_ms(started),
    )  # fmt: skip
    await record_query(bot, rec)
    return outcome


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000.0, 3)


def _can_attach(ctx: FactContext) -> bool:
    if ctx.guild is None:
        return True
    return ctx.channel.permissions_for(ctx.me).attach_files  # type: ignore[arg-type]


# -- the cog ----------------------------------------------------------------------------------------


class Analysis(commands.Cog):
    """Compare places and follow a figure over time."""

    def __init__(self, bot: FactBot) -> None:
        self.bot = bot

    # -- text commands ----------------------------------------------------------------------

    @commands.command(name="compare", usage=COMPARE_USAGE, help=COMPARE_HELP)
    async def compare_cmd(self, ctx: FactContext, *, args: str = "") -> None:
        engine, plain = self.bot.service.engine, ctx.plain

        async def work() -> Outcome:
            return comparison_outcome(compare_text(engine, args), plain=plain)

        await self._answer_context(ctx, work, "compare")

    @commands.command(name="series", usage=SERIES_USAGE, help=SERIES_HELP)
    async def series_cmd(self, ctx: FactContext, *, args: str = "") -> None:
        engine, plain, can_attach = self.bot.service.engine, ctx.plain, _can_attach(ctx)

        async def work() -> Outcome:
            return await series_outcome(series_text_request(engine, args), plain=plain, can_attach=can_attach)

        await self._answer_context(ctx, work, "series")

    async def _answer_context(self, ctx: FactContext, work: Callable[[], Awaitable[Outcome]], title: str) -> None:
        query = ctx.message.content
        outcome = await run_analysis(self.bot, Origin.of_context(ctx), query, work, plain=ctx.plain, title=title)
        with contextlib.suppress(*SEND_FAILURES):  # recorded on the row by `deliver`
            await ctx.safe_send(outcome.rendered, file=outcome.file())

    # -- slash commands ----------------------------------------------------------------------

    @app_commands.command(name="compare", description="Compare one figure between two places")
    @app_commands.describe(
        metric="What to compare: foreign trade, GDP, trade growth...",
        place_a="The first place: Xizang (Tibet), Xinjiang, Kashi...",
        place_b="The second place",
        period="Optional: 2023, H1 2023... (default: the latest period both have)",
    )
    async def compare_slash(
        self,
        interaction: discord.Interaction[FactBot],
        metric: CompareMetricText,
        place_a: ComparePlaceText,
        place_b: ComparePlaceText,
        period: app_commands.Range[str, 1, 100] | None = None,
    ) -> None:
        engine, plain = self.bot.service.engine, interaction_plain(interaction)

        async def work() -> Outcome:
            return comparison_outcome(compare(engine, metric, place_a, place_b, period), plain=plain)

        query = _join("compare", metric, place_a, place_b, period)
        origin = Origin.of_interaction(interaction, "slash")
        outcome = await run_analysis(self.bot, origin, query, work, plain=plain, title="compare")
        await respond(interaction, outcome.rendered)



    @app_commands.command(name="series", description="Every period of one figure for a place: a table and a chart")
    @app_commands.describe(
        metric="What to follow: foreign trade, GDP, tourist arrivals...",
        place="A region, prefecture or zone: Xinjiang, Xizang (Tibet), Kashi...",
    )
    async def series_slash(
        self,
        interaction: discord.Interaction[FactBot],
        metric: SeriesMetricText,
        place: SeriesPlaceText,
    ) -> None:
        # defer first: drawing the chart may take longer than Discord's three seconds
        await interaction.response.defer()
        engine = self.bot.service.engine
        plain, can_attach = interaction_plain(interaction), interaction.app_permissions.attach_files

        async def work() -> Outcome:
            return await series_outcome(series(engine, metric, place), plain=plain, can_attach=can_attach)

        query = _join("series", metric, place)
        origin = Origin.of_interaction(interaction, "slash")
        outcome = await run_analysis(self.bot, origin, query, work, plain=plain, title="series")
        await respond(interaction, outcome.rendered, file=outcome.file())




async def setup(bot: FactBot) -> None:
    await bot.add_cog(Analysis(bot))
