"""Per-server settings: the prefix, the channels the bot answers in, and default visibility.

Changed through `/settings` by members with Manage Server (or the bot's admins),
stored in the bot's database (`server_settings`, schema v4 of the query log's
file, migrated by `QueryLog.open`) and cached in memory: every message reads
them, a change writes them. A connection of its own keeps settings writes out
of the query log's group commits.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiosqlite

from bot.querylog.schema import SERVER_SETTINGS_DDL

log = logging.getLogger(__name__)

MAX_PREFIX_CHARS = 5
BUSY_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class ServerConfig:
    prefix: str | None = None  # None: the bot's FACTBOT_PREFIX
    channels: frozenset[int] = field(default_factory=frozenset)  # empty: every channel
    ephemeral: bool = False  # slash replies only the asker sees, unless they choose otherwise

    def answers_in(self, channel_id: int | None) -> bool:
        return not self.channels or channel_id in self.channels


DEFAULT = ServerConfig()


class SettingsError(ValueError):
    """A setting a person asked for that cannot be stored (told to them as it is)."""


def check_prefix(prefix: str) -> str:
    prefix = prefix.strip()
    if not prefix or len(prefix) > MAX_PREFIX_CHARS or any(c.isspace() for c in prefix):
        raise SettingsError(f"A prefix is 1 to {MAX_PREFIX_CHARS} characters without spaces, e.g. ! or ?")
    if prefix.startswith(("/", "@", "<", "#")):
        raise SettingsError("A prefix cannot start with / @ < or #: Discord gives those their own meaning.")
    return prefix


class ServerSettings:
    """The cache and its table. `get` never touches the disk."""

    def __init__(self, conn: aiosqlite.Connection | None, rows: dict[int, ServerConfig]) -> None:
        self._conn = conn
        self._cache = rows

    @classmethod
    def in_memory(cls) -> ServerSettings:
        """No database (`factbot sync`, a bot without a query log): changes last until the process ends."""
        return cls(None, {})

    @classmethod
    async def open(cls, db_path: Path) -> ServerSettings:
        conn = await aiosqlite.connect(db_path, isolation_level=None, timeout=BUSY_TIMEOUT_SECONDS)
        try:
            # the SQLite query log's v4 migration made the table; with the log on PostgreSQL
            # the local file is the bot's own, and the table is made here
            await conn.execute(SERVER_SETTINGS_DDL.replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS", 1))
            async with conn.execute("SELECT guild_id, prefix, channels, ephemeral FROM server_settings") as cursor:
                rows = {int(r[0]): _config(r) for r in await cursor.fetchall()}
        except Exception:
            await conn.close()
            raise
        return cls(conn, rows)

    def get(self, guild_id: int | None) -> ServerConfig:
        return DEFAULT if guild_id is None else self._cache.get(guild_id, DEFAULT)

    async def update(self, guild_id: int, **changes: Any) -> ServerConfig:
        """Apply `changes` (fields of `ServerConfig`) for one server; written, then cached."""
        new = replace(self.get(guild_id), **changes)
        if self._conn is not None:
            await self._conn.execute(
                "INSERT INTO server_settings (guild_id, prefix, channels, ephemeral, updated_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET prefix = excluded.prefix, "
                "channels = excluded.channels, ephemeral = excluded.ephemeral, updated_at = excluded.updated_at",
                (guild_id, new.prefix, " ".join(str(c) for c in sorted(new.channels)), int(new.ephemeral),
                 datetime.now(UTC).isoformat(timespec="seconds")),
            )  # fmt: skip
        self._cache[guild_id] = new
        return new

    async def close(self) -> None:
        if self._conn is not None:
            await self._conn.close()
            self._conn = None


def _config(row: Any) -> ServerConfig:
    channels = frozenset(int(c) for c in str(row[2] or "").split() if c.isdigit())
    return ServerConfig(prefix=row[1] or None, channels=channels, ephemeral=bool(row[3]))


def describe(config: ServerConfig, default_prefix: str) -> str:
    where = ", ".join(f"<#{c}>" for c in sorted(config.channels)) if config.channels else "every channel"
    visibility = "only the person who asked" if config.ephemeral else "everyone in the channel"
    return (
        f"Prefix: {config.prefix or default_prefix}\n"
        f"Answers in: {where}\n"
        f"Slash command answers are seen by: {visibility} (each command's only_me option overrides it)"
    )
