"""Connection faults, and `run_bot` / `serve` themselves: endpoints from settings, start-up errors, shutdown."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from pathlib import Path

import pytest

from bot.adapters.cli import main as cli_main
from bot.discord_app.client import SLASH_FIRST
from bot.discord_app.runner import BAD_TOKEN, NO_MESSAGE_CONTENT, run_bot, serve
from fakediscord import INTENT_MESSAGE_CONTENT, PRIVILEGED_INTENTS, FakeConfig, FakeDiscord, Op
from tests.discord_app.harness import Harness, db_rows, make_settings, text_of
from tests.helpers import copy_store

pytestmark = pytest.mark.timeout(30)

SECRET = "wrong-token-d0-not-log-me"


async def test_gateway_drop_resumes_and_answers_a_message_sent_meanwhile(factbot: Harness) -> None:
    fake = factbot.fake
    assert await fake.drop_connection() == 1
    await fake.send_message("!trade xizang 2023")  # nobody connected: replayed on RESUME
    await fake.wait_for_op(Op.RESUME)
    reply = await fake.wait_for_reply(fake.channel_id)
    assert "10 billion yuan" in text_of(reply)
    assert fake.gateway_ops().count(Op.IDENTIFY) == 1


async def test_a_rate_limited_reply_is_retried(factbot: Harness) -> None:
    fake = factbot.fake
    fake.rate_limit_next("POST", r"^/channels/\d+/messages$", retry_after=0.05)
    assert "10 billion yuan" in text_of(await factbot.ask("!trade xizang 2023"))
    posts = [r.status for r in fake.requests if r.method == "POST" and r.path.endswith("/messages")]
    assert posts == [429, 200]


def _no_secret(caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]) -> None:
    out, err = capsys.readouterr()
    assert SECRET not in caplog.text and SECRET not in out and SECRET not in err


async def test_run_bot_with_a_bad_token_exits_non_zero_with_one_clear_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    async with FakeDiscord(patch_client=False) as fake:
        settings = make_settings(
            tmp_path, fake.config, token=SECRET, api_base=fake.api_base, gateway_url=fake.gateway_url
        )
        code = await asyncio.to_thread(run_bot, settings)  # run_bot owns its event loop
        assert fake.requests[0].path == "/users/@me" and fake.requests[0].status == 401
    assert code != 0
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [BAD_TOKEN]
    _no_secret(caplog, capsys)


async def test_without_the_message_content_intent_serve_starts_slash_first_and_says_how_to_enable_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = FakeConfig(intents_allowed=PRIVILEGED_INTENTS & ~INTENT_MESSAGE_CONTENT)
    stop = asyncio.Event()
    async with FakeDiscord(config, patch_client=False) as fake:
        settings = make_settings(tmp_path, config, api_base=fake.api_base, gateway_url=fake.gateway_url)
        running = asyncio.create_task(serve(settings, stop=stop))
        await fake.wait_until_connected(timeout=10)
        assert fake.connected  # no close 4014: it did not ask for what Discord would refuse
        stop.set()
        code = await running
    assert code == 0
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings.count(SLASH_FIRST) == 1
    assert "Privileged Gateway Intents" in SLASH_FIRST and "Message Content Intent" in SLASH_FIRST
    assert NO_MESSAGE_CONTENT.startswith("Discord refused")  # still said if Discord ever closes with 4014


async def test_serve_uses_the_configured_endpoints_answers_reloads_on_sighup_and_stops_cleanly(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    paths = copy_store(tmp_path)
    stop = asyncio.Event()
    async with FakeDiscord(patch_client=False) as fake:
        settings = make_settings(
            tmp_path,
            fake.config,
            facts_dir=paths.facts_dir,
            seeds_dir=paths.seeds_dir,
            api_base=fake.api_base,
            gateway_url=fake.gateway_url,
        )
        task = asyncio.create_task(serve(settings, stop=stop))
        await fake.wait_until_connected()
        await fake.send_message("!trade xizang 2023")
        assert "10 billion yuan" in text_of(await fake.wait_for_reply(fake.channel_id))

        # SIGHUP: serve installed its handler (main thread), so this reloads instead of killing
        assert signal.getsignal(signal.SIGHUP) is not signal.SIG_DFL
        os.kill(os.getpid(), signal.SIGHUP)
        await fake.wait_until(
            lambda: any("Reloaded the fact store" in r.getMessage() for r in caplog.records), what="reload"
        )
        stop.set()  # what SIGTERM and Ctrl-C do
        assert await asyncio.wait_for(task, 15) == 0
    assert [r["status"] for r in db_rows(settings.db_path)] == ["answered"]  # flushed at shutdown
    assert signal.getsignal(signal.SIGHUP) is signal.SIG_DFL  # handlers removed
    assert any("query log closed" in r.getMessage() for r in caplog.records)
    _no_secret_token(settings.token or "", caplog, capsys)


def _no_secret_token(token: str, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]) -> None:
    out, err = capsys.readouterr()
    assert token and token not in caplog.text and token not in out and token not in err


async def test_factbot_sync_logs_in_syncs_and_exits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    async with FakeDiscord(patch_client=False) as fake:
        for name, value in {
            "DISCORD_TOKEN": fake.config.token,
            "FACTBOT_DISCORD_API_BASE": fake.api_base,
            "FACTBOT_DISCORD_GATEWAY_URL": fake.gateway_url,
            "FACTBOT_DATA_DIR": str(tmp_path / "data"),
        }.items():
            monkeypatch.setenv(name, value)
        code = await asyncio.to_thread(cli_main, ["sync"])
        assert code == 0
        assert {c["name"] for c in fake.registered_commands()} >= {"trade", "fact", "sources", "help"}
        assert not [op for op in fake.gateway_ops() if op == Op.IDENTIFY]  # no gateway connection
    assert "Synced 11 slash commands" in capsys.readouterr().out
    assert (tmp_path / "data" / "command_tree.sha256").is_file()


async def test_starting_the_bot_prints_no_voice_warnings(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    import discord

    from bot.discord_app.factory import create_bot
    from bot.service import FactService
    from tests.helpers import real_engine, real_paths

    # as in a fresh process: discord.py warns once per process, then clears these flags
    discord.VoiceClient.warn_nacl = True
    discord.VoiceClient.warn_dave = True
    caplog.set_level(logging.WARNING)
    bot = create_bot(make_settings(tmp_path, FakeConfig()), FactService(real_paths(), real_engine()), None)
    await bot.close()
    assert not [r for r in caplog.records if "voice will NOT be supported" in r.getMessage()]
