"""The project's own bot against the fake Discord, built by `create_bot` as `run_bot` builds it."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.discord_app.client import FactBot
from bot.discord_app.factory import create_bot
from bot.querylog import QueryLog
from bot.service import FactService
from bot.store import StorePaths
from fakediscord import FakeConfig, FakeDiscord, FakeUser, PostedMessage
from tests.helpers import FACTS_DIR, SEEDS_DIR, real_engine, real_paths


def make_settings(tmp_path: Path, config: FakeConfig, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "token": config.token,
        "prefix": "!",
        "facts_dir": FACTS_DIR,
        "seeds_dir": SEEDS_DIR,
        "data_dir": tmp_path / "data",
        "db_path": tmp_path / "data" / "factbot.sqlite3",
        "log_retention_days": 90,
        # Most tests send bursts as one user; the cooldown has its own tests (test_cooldown.py).
        "cooldown_rate": 0,
    }
    values.update(overrides)
    return Settings(**values)


def db_rows(db: Path) -> list[sqlite3.Row]:
    """The query log rows, read with plain sqlite3 (independent of the code under test)."""
    if not db.exists():
        return []
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return list(conn.execute("SELECT * FROM queries ORDER BY id"))
    finally:
        conn.close()


@dataclass
class Harness:
    fake: FakeDiscord
    bot: FactBot
    settings: Settings
    querylog: QueryLog

    @property
    def db(self) -> Path:
        return self.settings.db_path

    def rows(self) -> list[sqlite3.Row]:
        return db_rows(self.db)

    async def ask(
        self, content: str, *, author: FakeUser | None = None, guild: bool = True, channel_id: int | None = None
    ) -> PostedMessage:
        """Post `content` as a user and return the bot's reply in that channel."""
        fake = self.fake
        user = author or fake.tester
        channel = channel_id or (fake.channel_id if guild else fake.dm_channel_id(user))
        await fake.send_message(content, author=user, guild=guild, channel_id=channel_id)
        return await fake.wait_for_reply(channel)


def text_of(posted: PostedMessage) -> str:
    """Everything a person reads in a reply: content and every embed part."""
    parts = [posted.content]
    for embed in posted.embeds:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        parts += [f"{f.get('name')} {f.get('value')}" for f in embed.get("fields") or []]
        parts.append((embed.get("footer") or {}).get("text") or "")
    return "\n".join(parts)


@contextlib.asynccontextmanager
async def running_factbot(
    tmp_path: Path,
    *,
    config: FakeConfig | None = None,
    paths: StorePaths | None = None,
    admin_ids: Iterable[int] = (),
    **settings_overrides: Any,
) -> AsyncIterator[Harness]:
    """A fake Discord and factbot connected to it; fails on exit if any handler raised."""
    config = config or FakeConfig()
    store = paths or real_paths()
    settings = make_settings(
        tmp_path,
        config,
        facts_dir=store.facts_dir,
        seeds_dir=store.seeds_dir,
        admin_ids=frozenset(admin_ids),
        **settings_overrides,
    )
    # the committed store is loaded once per session; a test that edits a copy loads its own
    service = FactService(store, real_engine()) if paths is None else FactService.load(paths)
    async with FakeDiscord(config) as fake:
        querylog = await QueryLog.open(settings.db_path, retention_days=settings.log_retention_days)
        bot = create_bot(settings, service, querylog)
        try:
            async with fake.run_bot(bot):
                yield Harness(fake, bot, settings, querylog)
        finally:
            await querylog.close()
    assert not bot.handler_errors, f"handlers raised: {bot.handler_errors!r}"
