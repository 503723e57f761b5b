"""`factbot health` and `factbot backup FILE`, registered by bot/adapters/cli.py."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.config import Settings
from bot.ops.backup import BackupError, backup_database
from bot.ops.health import run_checks


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    health = subparsers.add_parser(
        "health",
        help="check the store and the database; non-zero exit with the reason if either fails",
        description="Exit 0 when the fact store loads and passes its checks and the query log database "
        "opens, migrates and is writable. --live also asks the running bot's /healthz "
        "(FACTBOT_METRICS_PORT), which covers the Discord gateway.",
    )
    health.add_argument("--live", action="store_true", help="also require the running bot's /healthz to answer 200")
    health.set_defaults(func=cmd_health)
    backup = subparsers.add_parser(
        "backup",
        help="take a consistent copy of the query log (safe while the bot runs) and its user-id key",
        description="Copy the query log (FACTBOT_DB) to FILE with SQLite's online backup API, and its "
        "user-id key to FILE.userkey. FILE must not exist. Restore: stop the bot, copy both "
        "back as the database and <database>.userkey, start the bot.",
    )
    backup.add_argument("file", type=Path, help="where to write the copy, e.g. /var/backups/factbot-2026-01-31.sqlite3")
    backup.set_defaults(func=cmd_backup)


def cmd_health(args: argparse.Namespace, settings: Settings) -> int:
    checks = run_checks(settings, live=args.live)
    for check in checks:
        print(check, file=sys.stdout if check.ok else sys.stderr)
    failed = [c.part for c in checks if not c.ok]
    if failed:
        print(f"factbot health: FAILED ({', '.join(failed)})", file=sys.stderr)
        return 1
    print("factbot health: ok")
    return 0


def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    try:
        result = backup_database(settings.db_path, args.file)
    except BackupError as exc:
        print(f"factbot backup: {exc}", file=sys.stderr)
        return 1
    print(f"factbot backup: {result.summary()}")
    return 0
