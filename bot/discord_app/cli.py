"""`factbot sync`: log in, sync the slash commands, exit.

`bot/adapters/cli.py` calls `register(sub)` for every `factbot` invocation, so this
module imports no discord.py until the command actually runs.
"""

from __future__ import annotations

import argparse
import sys

from bot.config import Settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    help_text = "sync the bot's slash commands with Discord now (logs in, syncs, exits)"
    parser = sub.add_parser(
        "sync",
        help=help_text,
        description=help_text + ". The bot also syncs at start-up, but only when its commands changed. "
        "Without --guild: FACTBOT_DEV_GUILD if set (instant, that server only), else global.",
    )
    parser.add_argument("--guild", type=int, metavar="ID", help="sync to this server only (instant)")
    parser.set_defaults(func=cmd_sync)


def cmd_sync(args: argparse.Namespace, settings: Settings) -> int:
    if not settings.token:
        print("factbot sync: DISCORD_TOKEN is not set (environment or .env)", file=sys.stderr)
        return 2
    from bot.discord_app.runner import sync_once  # discord.py only when syncing

    return sync_once(settings, guild_id=args.guild)
