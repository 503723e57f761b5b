"""The `factbot` command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bot.config import ConfigError, Settings
from bot.store import StorePaths, collect


def _paths(settings: Settings) -> StorePaths:
    return StorePaths(settings.facts_dir, settings.seeds_dir)


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    store, problems = collect(_paths(settings))
    for problem in problems:
        print(problem, file=sys.stderr)
    if store is None:
        print(f"factbot check: {len(problems)} problem(s); fix them and run again", file=sys.stderr)
        return 1
    print(f"ok: {len(store.facts)} facts from {len(store.sources)} documents")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="factbot", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="validate the fact store; non-zero exit on any error").set_defaults(
        func=cmd_check
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        print(f"factbot: {exc}", file=sys.stderr)
        return 2
    return int(args.func(args, settings))
