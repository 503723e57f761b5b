"""`factbot series METRIC PLACE [--png FILE]` and `factbot compare METRIC PLACE PLACE [PERIOD]`.

`bot/adapters/cli.py` adds them with `register(subparsers)`; like every command they
are then called as `args.func(args, settings)`. Words may be quoted or not
("foreign trade" xizang, or foreign trade xizang): the request is read as one
line by the same parser as the bot's questions.

Exit status: 0 when something was answered; 1 for an unknown place or
metric, a request of the wrong shape, nothing to show, or a chart that could
not be written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.analysis import AnalysisError, compare_text, comparison_text, series_text, series_text_request
from bot.config import Settings
from bot.query.engine import Engine
from bot.service import FactService
from bot.store import StorePaths


def _engine(settings: Settings) -> Engine:
    return FactService.load(StorePaths(settings.facts_dir, settings.seeds_dir)).engine


def _failed(command: str, error: Exception | str) -> int:
    print(f"factbot {command}: {error}", file=sys.stderr)
    return 1


def cmd_series(args: argparse.Namespace, settings: Settings) -> int:
    try:
        found = series_text_request(_engine(settings), " ".join(args.words))
    except AnalysisError as error:
        return _failed("series", error)
    print(series_text(found))
    if not found.points:
        return 1
    if args.png is None:
        if found.chartable:
            print("(add --png FILE to write the chart)", file=sys.stderr)
        return 0
    if not found.chartable:
        print(f"factbot series: no chart written to {args.png}: only one period is known.", file=sys.stderr)
        return 0
    from bot.render.charts import render_series_png  # matplotlib is loaded only when a chart is drawn

    try:
        Path(args.png).write_bytes(render_series_png(found))
    except OSError as error:
        return _failed("series", f"cannot write {args.png}: {error}")
    print(f"Chart written to {args.png}")
    return 0


def cmd_compare(args: argparse.Namespace, settings: Settings) -> int:
    try:
        result = compare_text(_engine(settings), " ".join(args.words))
    except AnalysisError as error:
        return _failed("compare", error)
    print(comparison_text(result))
    return 0 if result.answered else 1


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `series` and `compare` sub-commands."""
    series = sub.add_parser(
        "series",
        usage="factbot series METRIC PLACE [--png FILE]",
        help="every dated figure of one metric for one place: a table, and a chart with --png",
        description="Every dated figure the documents give for one metric and place, oldest first, each with "
        "its source; e.g. factbot series trade xinjiang --png trade.png",
    )
    series.add_argument("words", nargs="+", metavar="METRIC PLACE", help="e.g. trade xinjiang")
    series.add_argument("--png", metavar="FILE", help="also write the chart to FILE (PNG)")
    series.set_defaults(func=cmd_series)
    compare = sub.add_parser(
        "compare",
        usage="factbot compare METRIC PLACE PLACE [PERIOD]",
        help="one metric for two places, side by side, with each figure's period and source",
        description="One metric for two places: each figure as its document states it, with its period and "
        "source, and the ratio and difference the bot computes when the units agree; "
        "e.g. factbot compare trade xizang xinjiang 2023",
    )
    compare.add_argument("words", nargs="+", metavar="METRIC PLACE PLACE [PERIOD]", help="e.g. trade tibet kashi 2023")
    compare.set_defaults(func=cmd_compare)
