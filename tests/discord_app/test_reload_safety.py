"""A reload can never take the bot down: it runs off the event loop while queries keep
being answered, hostile files are refused with file:line, and a reload that would remove
every fact is refused unless forced."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import threading
from pathlib import Path

import pytest

import bot.service
from bot.discord_app.runner import serve
from bot.store import StorePaths, collect
from fakediscord import FakeDiscord
from tests.discord_app.conftest import StartBot
from tests.discord_app.harness import make_settings, text_of
from tests.helpers import copy_store
from tests.store.test_limits import BOMB

pytestmark = pytest.mark.timeout(30)


async def test_an_alias_bomb_reload_is_refused_with_file_and_line_and_the_old_store_serves(
    start_factbot: StartBot, tmp_path: Path
) -> None:
    paths = copy_store(tmp_path)
    async with start_factbot(paths=paths) as h:
        (paths.facts_dir / "999_bomb.yaml").write_text(BOMB)
        reply = text_of(await h.ask("!reload", author=h.fake.owner))
        assert "Reload refused" in reply and "999_bomb.yaml:7:" in reply and "alias" in reply
        assert "Something went wrong" not in reply
        assert "10 billion yuan" in text_of(await h.ask("!trade xizang 2023"))


async def test_queries_are_answered_while_a_reload_is_running(
    start_factbot: StartBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = copy_store(tmp_path)
    started, release = threading.Event(), threading.Event()

    def slow_collect(p: StorePaths) -> object:
        started.set()
        release.wait(20)  # a reload that takes as long as we like, in its thread
        return collect(p)

    monkeypatch.setattr(bot.service, "collect", slow_collect)
    async with start_factbot(paths=paths) as h:
        await h.fake.send_message("!reload", author=h.fake.owner)
        assert await asyncio.to_thread(started.wait, 10)
        try:
            for _ in range(3):
                assert "10 billion yuan" in text_of(await h.ask("!trade xizang 2023"))
        finally:
            release.set()
        assert "Reloaded the fact store" in text_of(await h.fake.wait_for_reply(h.fake.channel_id))


async def test_a_reload_that_removes_every_fact_is_refused_unless_forced(
    start_factbot: StartBot, tmp_path: Path
) -> None:
    paths = copy_store(tmp_path)
    async with start_factbot(paths=paths) as h:
        for path in paths.facts_dir.glob("0*.yaml"):
            path.unlink()
        reply = text_of(await h.ask("!reload", author=h.fake.owner))
        assert "Reload refused" in reply and "no facts at all" in reply and "force" in reply
        assert "10 billion yuan" in text_of(await h.ask("!trade xizang 2023"))
        reply = text_of(await h.ask("!reload force", author=h.fake.owner))
        assert "Reloaded the fact store" in reply
        assert len(h.bot.service.store.facts) == 0


async def test_sighup_reload_that_runs_out_of_memory_is_refused_and_logged(
    tmp_path: Path, fake_discord: FakeDiscord, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.INFO)
    loop = asyncio.get_running_loop()
    unhandled: list[object] = []
    loop.set_exception_handler(lambda _loop, context: unhandled.append(context))

    def exhausted(p: StorePaths) -> object:
        raise MemoryError

    paths = copy_store(tmp_path)
    settings = make_settings(tmp_path, fake_discord.config, facts_dir=paths.facts_dir, seeds_dir=paths.seeds_dir)
    stop = asyncio.Event()
    task = asyncio.create_task(serve(settings, stop=stop))
    await fake_discord.wait_until_connected()
    monkeypatch.setattr(bot.service, "collect", exhausted)
    # an edited store, so the reload is a full load (unchanged files come from the compiled snapshot)
    vocab = paths.facts_dir / "vocabulary.yaml"
    vocab.write_text(vocab.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    os.kill(os.getpid(), signal.SIGHUP)
    await fake_discord.wait_until(
        lambda: any("Reload refused" in r.getMessage() for r in caplog.records) or None, 10, "reload refused"
    )
    await fake_discord.send_message("!trade xizang 2023")
    assert "10 billion yuan" in text_of(await fake_discord.wait_for_reply(fake_discord.channel_id))
    stop.set()
    assert await asyncio.wait_for(task, 15) == 0
    assert any("ran out of memory" in r.getMessage() for r in caplog.records)
    assert unhandled == []  # no "Task exception was never retrieved"
