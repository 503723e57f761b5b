"""How the bot is built: one process's shards, or the plain bot.

Apart from `client.py` so that the sharded bot (`shards.py`, a `FactBot`
subclass) and the plain one are chosen without an import cycle.
"""

from __future__ import annotations

from bot.config import Settings
from bot.discord_app.client import FactBot
from bot.discord_app.shards import ShardedFactBot
from bot.querylog import QueryLog
from bot.service import FactService


def create_bot(
    settings: Settings, service: FactService, querylog: QueryLog | None, *, auto_sync: bool = True
) -> FactBot:
    """The bot as `run_bot` runs it. `querylog=None` runs without logging queries (`factbot sync`).
    With FACTBOT_SHARD_COUNT, an AutoShardedBot over this process's shards."""
    if settings.shard_count is not None:
        return ShardedFactBot(settings, service, querylog, auto_sync=auto_sync)
    return FactBot(settings, service, querylog, auto_sync=auto_sync)
