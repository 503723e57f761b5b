"""Comparisons and time series over the fact store. No Discord, no matplotlib here.

Every adapter (the command line, the console, Discord) calls these functions
and renders their frozen results; none of them decides what a request means.
Importing this package never imports matplotlib: charts are drawn by
`bot.render.charts`, which imports it only when a chart is rendered.

Compare one metric between two places
-------------------------------------
    compare_text(engine, "trade xizang xinjiang 2023") -> Comparison    # one line, as `!compare` gets it
    compare(engine, metric, place_a, place_b, period=None) -> Comparison  # separate fields, as `/compare` gets them
    compare_keys(store, metric_key, (place_a_key, place_b_key), period=None) -> Comparison  # store keys

Names, aliases and typos work ("tibet" = Xizang, "kashgr" = Kashi), and so do
store keys (what the autocomplete helpers below put in a choice's value).
Each side is picked with the engine's period rules (`select_period`): a year
prefers the full-year figure; a partial period answers only when it is the
only one for that year. With no period, the latest year both places have.
`Comparison.sides` holds two `Side`s: the figure as the document states it
(`side.figure`), its `Fact` (period, value) and `Source`, or a `SideStatus`
saying why there is none. `Comparison.notes` says when the periods differ
(eleven months against a full year), when the units differ, when a figure is
a bound. `Comparison.computed` (ratio and difference) exists only when both
sides are answered in the same unit; its `sentence()` labels it as computed
by the bot, not stated by the sources. Currencies are never converted.

A time series of one metric for one place
-----------------------------------------
    series_text_request(engine, "trade xinjiang") -> Series      # one line, as `!series` gets it
    series(engine, metric, place) -> Series                      # separate fields, as `/series` gets them
    series_keys(store, place_key, metric_key, within=None) -> Series

`Series.points` are the dated figures in time order (full years, partial
periods marked `partial`, stocks `as_of`), each with its footnote number into
`Series.sources`. Spans (cumulative totals, averages) are in `Series.spans`,
not points. `Series.chartable` is False with fewer than two points: then say
that only one period is known (the text rendering does) and send no chart.

The chart (in `bot.render.charts`, imported lazily):
    render_series_png(series) -> bytes                  # synchronous, bounded (fixed size, <= 50 points)
    await render_series_png_async(series, timeout=10.0) # in a worker thread; TimeoutError on timeout

Text for the console, the command line or a Discord code block
--------------------------------------------------------------
    comparison_text(comparison) -> str
    series_text(series) -> str

Autocomplete (at most 25 choices of at most 100 characters, values are keys)
---------------------------------------------------------------------------
    answerable_pairs(store, min_points=1) -> list[SeriesPair]    # place, metric, display names, points
    comparable_metrics(store) -> list[ComparableMetric]          # metrics with figures for >= 2 places
    metric_choices(store, typed, for_compare=False, place=None) -> list[Choice]
    place_choices(store, typed, metric=None) -> list[Choice]

Errors
------
An unknown place or metric, or a request of the wrong shape (one place for a
comparison), raises `AnalysisError`: `str(error)` is a sentence to show as is,
`error.suggestions` are names to offer. A place the vocabulary knows but the
documents have no figure for is not an error: that side says so.

Example (Discord side)::

    try:
        result = compare_text(service.engine, text)
    except AnalysisError as error:
        return await ctx.send(str(error))
    await ctx.send(f"```\\n{comparison_text(result)}\\n```")

    found = series_text_request(service.engine, text)
    files = [discord.File(io.BytesIO(await render_series_png_async(found)), "series.png")] if found.chartable else []
"""

from __future__ import annotations

from bot.analysis.compare import (
    COMPUTED_LABEL,
    Comparison,
    Computed,
    Side,
    SideStatus,
    compare,
    compare_keys,
    compare_text,
)
from bot.analysis.errors import AnalysisError
from bot.analysis.pairs import (
    ComparableMetric,
    SeriesPair,
    answerable_pairs,
    comparable_metrics,
    metric_choices,
    place_choices,
)
from bot.analysis.series import MAX_POINTS, Series, SeriesPoint, series, series_keys, series_text_request
from bot.analysis.text import comparison_text, series_text
from bot.render.choices import Choice

__all__ = [
    "COMPUTED_LABEL", "MAX_POINTS", "AnalysisError", "Choice", "ComparableMetric", "Comparison", "Computed",
    "Series", "SeriesPair", "SeriesPoint", "Side", "SideStatus", "answerable_pairs", "comparable_metrics",
    "compare", "compare_keys", "compare_text", "comparison_text", "metric_choices", "place_choices", "series",
    "series_keys", "series_text", "series_text_request",
]  # fmt: skip
