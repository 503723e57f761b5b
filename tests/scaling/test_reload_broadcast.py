"""`!reload` in one process reloads every process sharing the PostgreSQL database
(LISTEN/NOTIFY); the admin sees one combined reply, a refusing process listed with
its reason."""

from __future__ import annotations

import json
import shutil
from contextlib import AsyncExitStack
from pathlib import Path

import pytest

from fakediscord import FakeDiscord
from fakediscord.config import FakeConfig
from tests.helpers import FACTS_DIR, SEEDS_DIR
from tests.pgserver import PgServer
from tests.scaling.test_shards import GUILD_ON_0, GUILD_ON_1, both_ready, shard_process

pytestmark = pytest.mark.timeout(150)


def _store(root: Path) -> Path:
    shutil.copytree(FACTS_DIR, root / "facts")
    shutil.copytree(SEEDS_DIR, root / "seeds")
    return root / "facts"


async def test_reload_in_one_process_reaches_the_other_and_the_reply_lists_its_refusal(
    pg_server: PgServer, tmp_path: Path
) -> None:
    dsn = pg_server.create_database()
    facts_a, facts_b = _store(tmp_path / "a"), _store(tmp_path / "b")
    async with FakeDiscord(FakeConfig(guilds=(GUILD_ON_0, GUILD_ON_1))) as fake, AsyncExitStack() as stack:
        common = {"FACTBOT_DATABASE_URL": dsn, "FACTBOT_ADMIN_IDS": str(fake.tester.id)}
        for name, ids, facts in (("a", "0", facts_a), ("b", "1", facts_b)):
            await stack.enter_async_context(
                shard_process(
                    fake, tmp_path / name / "data", ids, FACTBOT_FACTS_DIR=str(facts),
                    FACTBOT_SEEDS_DIR=str(facts.parent / "seeds"), **common,
                )
            )  # fmt: skip
        await both_ready(fake)
        # process b's store is broken on disk; process a's is fine
        (facts_b / "vocabulary.yaml").write_text("places: [broken\n", encoding="utf-8")
        before = len(fake.posted)
        await fake.send_message("!reload", channel_id=GUILD_ON_0.channel_id)
        reply = await fake.wait_for_reply(GUILD_ON_0.channel_id, timeout=60)
        text = json.dumps(reply.payload, ensure_ascii=False)
        assert "Reloaded the fact store" in text  # process a, the one asked
        assert "Other processes" in text and "shards 1" in text  # process b answered ...
        assert "REFUSED" in text and "vocabulary.yaml" in text  # ... with its reason
        assert len([p for p in fake.posted[before:] if p.channel_id == GUILD_ON_0.channel_id]) == 1
