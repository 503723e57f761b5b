"""`factbot stats [--days N] [--csv FILE|-]`: the query log report on the command line.

The main CLI (bot/adapters/cli.py) registers it with `add_stats_command(subparsers)`; like
every other command it is then called as `args.func(args, settings)`. It only
reads: it opens its own read-only connection and never starts a writer, so it
is safe to run while the bot is running.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import sys
from pathlib import Path

from bot.config import Settings
from bot.querylog.backends import describe, open_report_reader
from bot.querylog.errors import QueryLogError
from bot.querylog.export import to_csv, window_rows, write_csv
from bot.querylog.heartbeat import read_fleet
from bot.querylog.render import render_text
from bot.querylog.stats import compute_stats


def _days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        days = 0
    if days < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of days, at least 1: {text!r}")
    return days


def add_stats_command(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "stats",
        help="report on the query log: volume, statuses, top and unanswered queries, latency",
        description="Report on the query log (FACTBOT_DB) for the last N UTC days, today "
        "included; or export the raw rows of that window as CSV.",
    )
    parser.add_argument("--days", type=_days, default=7, help="window in days (default 7)")
    parser.add_argument(
        "--csv",
        metavar="FILE",
        help="write the raw rows of the window as CSV to FILE ('-' for standard output) instead of the report",
    )
    parser.set_defaults(func=cmd_stats)


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    # With PostgreSQL the report covers every process that shares the database.
    unreachable: tuple[type[Exception], ...] = ()
    if settings.database_url:
        from bot.querylog.postgres import DB_ERRORS

        unreachable = DB_ERRORS
    try:
        return asyncio.run(_run(settings, args.days, args.csv))
    except QueryLogError as exc:
        print(f"factbot stats: {exc}", file=sys.stderr)
    except sqlite3.Error as exc:
        print(f"factbot stats: cannot read {settings.db_path}: {exc}", file=sys.stderr)
    except unreachable as exc:
        print(f"factbot stats: cannot read {describe(settings)}: {type(exc).__name__}: {exc}", file=sys.stderr)
    except OSError as exc:
        print(f"factbot stats: cannot write {args.csv}: {exc}", file=sys.stderr)
    return 1


async def _run(settings: Settings, days: int, csv_dest: str | None) -> int:
    async with open_report_reader(settings) as conn:
        if csv_dest is None:
            # the shards as every process sharing the database last wrote them
            print(render_text(await compute_stats(conn, days), await read_fleet(conn)), end="")
            return 0
        rows = await window_rows(conn, days)
    text = to_csv(rows)
    if csv_dest == "-":
        sys.stdout.write(text)
    else:
        await asyncio.to_thread(write_csv, text, Path(csv_dest))
        print(f"factbot stats: wrote {len(rows)} row(s) to {csv_dest}", file=sys.stderr)
    return 0
