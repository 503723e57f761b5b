"""The built image, run for real: no token, the store and database inside, and the bot against the fake Discord.

No image registry is reachable from the machines this project is built on, so
the image is built separately (README, "Production": a Debian base made with
debootstrap, then `podman build`) and this test runs only when told which
image to use:

    FACTBOT_TEST_IMAGE=localhost/factbot:dev \
    FACTBOT_TEST_CONTAINER="podman --runtime runc" \
    FACTBOT_TEST_RUN_ARGS="--ulimit nofile=20000:20000 --ulimit nproc=4096:4096" \
    .venv/bin/pytest tests/deploy/test_container.py

The container shares the host's network (`--network host`) so that it can
reach the fake Discord on 127.0.0.1, as the other end-to-end tests do.
"""

from __future__ import annotations

import asyncio
import os
import shlex
import socket
import subprocess
import uuid
from collections.abc import Iterator

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from fakediscord import FakeDiscord

IMAGE = os.environ.get("FACTBOT_TEST_IMAGE", "")
ENGINE = shlex.split(os.environ.get("FACTBOT_TEST_CONTAINER", "podman"))
RUN_ARGS = shlex.split(os.environ.get("FACTBOT_TEST_RUN_ARGS", ""))

pytestmark = [
    pytest.mark.skipif(not IMAGE, reason="set FACTBOT_TEST_IMAGE to a built factbot image to run it (see docstring)"),
    pytest.mark.timeout(240),
]


def _engine(*args: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([*ENGINE, *args], capture_output=True, text=True, timeout=timeout)
    if check:
        assert done.returncode == 0, f"{args}: {done.stdout}\n{done.stderr}"
    return done


def _own_lines(stderr: str) -> list[str]:
    """The container's stderr without the engine's own notices (podman logs `time=... level=...`)."""
    return [line for line in stderr.splitlines() if line.strip() and not line.startswith("time=")]


@pytest.fixture
def volume() -> Iterator[str]:
    name = f"factbot-test-{uuid.uuid4().hex[:8]}"
    _engine("volume", "create", name)
    try:
        yield name
    finally:
        _engine("volume", "rm", "-f", name, check=False)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_without_a_token_the_container_exits_non_zero_with_one_clear_line(volume: str) -> None:
    done = _engine("run", "--rm", *RUN_ARGS, "-v", f"{volume}:/data", IMAGE, check=False)
    assert done.returncode == 2
    lines = _own_lines(done.stderr)
    assert len(lines) == 1 and "DISCORD_TOKEN is not set" in lines[0], done.stderr
    healthcheck = _engine("image", "inspect", "--format", "{{json .Config.Healthcheck.Test}}", IMAGE)
    assert "factbot" in healthcheck.stdout and "health" in healthcheck.stdout and "--live" in healthcheck.stdout
    user = _engine("image", "inspect", "--format", "{{.Config.User}}", IMAGE)
    assert user.stdout.strip() not in ("", "0", "root")


def test_the_image_carries_its_store_and_keeps_its_data_on_the_volume(volume: str) -> None:
    run = ("run", "--rm", *RUN_ARGS, "--read-only", "-e", "FACTBOT_LOG_LEVEL=WARNING", "-v", f"{volume}:/data", IMAGE)
    check = _engine(*run, "factbot", "check")
    assert check.stdout.startswith("ok: ")
    ask = _engine(*run, "factbot", "ask", "trade", "xizang", "2023")
    assert "10 billion yuan" in ask.stdout
    health = _engine(*run, "factbot", "health")
    assert "site-packages/bot/_store/facts" in health.stdout and "/data/factbot.sqlite3" in health.stdout
    listing = _engine(*run, "sh", "-c", "id -u; stat -c '%a %n' /data/*")
    uid, *files = listing.stdout.split("\n")
    assert uid != "0"
    assert sorted(line for line in files if line) == [
        "600 /data/factbot.sqlite3",
        "600 /data/factbot.sqlite3.userkey",
    ]


async def test_the_bot_in_the_container_answers_reports_health_and_metrics_reloads_and_stops_cleanly(
    volume: str,
) -> None:
    name = f"factbot-test-{uuid.uuid4().hex[:8]}"
    port = _free_port()
    async with FakeDiscord(patch_client=False) as fake:
        env = {
            "DISCORD_TOKEN": fake.config.token,
            "FACTBOT_DISCORD_API_BASE": fake.api_base,
            "FACTBOT_DISCORD_GATEWAY_URL": fake.gateway_url,
            "FACTBOT_METRICS_PORT": str(port),
        }
        env_args = [arg for key, value in env.items() for arg in ("-e", f"{key}={value}")]
        await asyncio.to_thread(
            _engine, "run", "-d", "--name", name, "--network", "host", "--read-only", *RUN_ARGS,
            *env_args, "-v", f"{volume}:/data", IMAGE,
        )  # fmt: skip
        try:
            await fake.wait_until_connected(timeout=60)
            await fake.send_message("!trade xizang 2023")
            reply = await fake.wait_for_reply(fake.channel_id, timeout=30)
            assert "10 billion yuan" in reply.content + str(reply.embeds)

            health = await asyncio.to_thread(_engine, "exec", name, "factbot", "health", "--live")
            assert "bot: ok" in health.stdout and '"gateway": "connected' in health.stdout

            async with aiohttp.ClientSession() as session, session.get(f"http://127.0.0.1:{port}/metrics") as r:
                metrics = await r.text()
            samples = {
                (s.name, tuple(sorted(s.labels.items()))): s.value
                for family in text_string_to_metric_families(metrics)
                for s in family.samples
            }
            assert samples[("factbot_queries_total", (("status", "answered"), ("surface", "prefix")))] == 1

            await asyncio.to_thread(_engine, "kill", "--signal", "HUP", name)
            await fake.wait_until(
                lambda: "Reloaded the fact store" in _engine("logs", name, check=False).stderr, 30, "a reload"
            )
            await asyncio.to_thread(_engine, "stop", "-t", "20", name)
            state = await asyncio.to_thread(_engine, "inspect", "--format", "{{.State.ExitCode}}", name)
            assert state.stdout.strip() == "0"
        finally:
            logs = _engine("logs", name, check=False)
            _engine("rm", "-f", name, check=False)
    assert "Traceback" not in logs.stderr, logs.stderr
    assert fake.config.token not in logs.stdout + logs.stderr

    run = ("run", "--rm", *RUN_ARGS, "-e", "FACTBOT_LOG_LEVEL=WARNING", "-v", f"{volume}:/data", IMAGE)
    backup = _engine(*run, "factbot", "backup", "/data/backup.sqlite3")
    assert "backed up 1 logged queries" in backup.stdout
    stats = _engine(*run, "sh", "-c", "FACTBOT_DB=/data/backup.sqlite3 factbot stats --days 1")
    assert "trade xizang 2023" in stats.stdout
