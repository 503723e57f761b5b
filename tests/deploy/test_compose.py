"""The compose files: checked as data always; `compose.shards.yaml` run for real when told how.

Always: every factbot service of `deploy/compose.shards.yaml` has settings factbot accepts
(read by `Settings.from_env`, as the container would), one shard count, shard ranges that
are disjoint and cover every shard, one database shared through the postgres service, and
a volume of its own; `deploy/compose.yaml` stays the one-process default.

When FACTBOT_TEST_COMPOSE names a compose tool and FACTBOT_TEST_IMAGE and
FACTBOT_TEST_POSTGRES_IMAGE name built images (no registry is reachable from the
machines this project is built on: README, "Growing past one machine"), the stack runs:
postgres and both factbot replicas, on the host's network so that they reach the fake
Discord on 127.0.0.1, and `!stats` answered by one replica lists the shards of both:

    FACTBOT_TEST_IMAGE=localhost/factbot:dev \
    FACTBOT_TEST_POSTGRES_IMAGE=localhost/postgres:15-local \
    FACTBOT_TEST_COMPOSE="podman-compose --podman-args='--runtime runc' \
        --podman-run-args='--ulimit nofile=20000:20000 --ulimit nproc=4096:4096'" \
    .venv/bin/pytest tests/deploy/test_compose.py
"""

from __future__ import annotations

import asyncio
import os
import re
import shlex
import shutil
import socket
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
import yaml

from bot.config import Settings
from fakediscord import FakeDiscord
from fakediscord.config import FakeConfig
from tests.helpers import ROOT
from tests.scaling.test_shards import GUILD_ON_0, GUILD_ON_1

DEPLOY = ROOT / "deploy"
SHARDS_FILE = DEPLOY / "compose.shards.yaml"
COMPOSE = shlex.split(os.environ.get("FACTBOT_TEST_COMPOSE", ""))
IMAGE = os.environ.get("FACTBOT_TEST_IMAGE", "")
POSTGRES_IMAGE = os.environ.get("FACTBOT_TEST_POSTGRES_IMAGE", "")
PASSWORD = "composetest1"


def _compose(path: Path) -> dict[str, Any]:
    # ${VAR:-default} and ${VAR:?message} as compose reads them, with only the password set
    text = re.sub(r"\$\{FACTBOT_POSTGRES_PASSWORD:\?[^}]*\}", PASSWORD, path.read_text(encoding="utf-8"))
    text = re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", text)
    assert "${" not in text, "a variable the test does not know how to read"
    loaded: dict[str, Any] = yaml.safe_load(text)  # PyYAML resolves the `<<:` merge keys, as compose does
    return loaded


def _settings(service: dict[str, Any]) -> Settings:
    env = {key: str(value) for key, value in service["environment"].items()}
    return Settings.from_env({**env, "FACTBOT_DATA_DIR": "/data"}, env_file=Path("/nonexistent"))


def test_the_shards_file_splits_every_shard_once_over_replicas_sharing_one_database() -> None:
    compose = _compose(SHARDS_FILE)
    services = compose["services"]
    bots = {name: s for name, s in services.items() if name.startswith("factbot")}
    assert len(bots) >= 2 and "postgres" in services
    settings = {name: _settings(s) for name, s in bots.items()}
    (count,) = {s.shard_count for s in settings.values()}
    assert count is not None
    held = sorted(i for s in settings.values() for i in s.shard_ids or ())
    assert held == list(range(count))  # disjoint, and together every shard
    (url,) = {s.database_url for s in settings.values()}
    assert url == f"postgresql://factbot:{PASSWORD}@postgres:5432/factbot"
    postgres = services["postgres"]["environment"]
    assert (postgres["POSTGRES_USER"], postgres["POSTGRES_PASSWORD"], postgres["POSTGRES_DB"]) == (
        "factbot", PASSWORD, "factbot",
    )  # fmt: skip
    volumes = [next(v for v in s["volumes"] if v.endswith(":/data")).split(":")[0] for s in bots.values()]
    assert len(set(volumes)) == len(bots)  # each replica its own spool and key cache
    assert set(volumes) | {"postgres-data"} <= set(compose["volumes"])
    assert len({s["hostname"] for s in bots.values()}) == len(bots)  # `!stats` tells them apart
    for service in bots.values():
        assert service["read_only"] and service["cap_drop"] == ["ALL"] and service["env_file"] == "factbot.env"
        assert service["build"]["dockerfile"] == "deploy/Dockerfile"


def test_the_default_compose_file_stays_one_process_on_sqlite() -> None:
    services = _compose(DEPLOY / "compose.yaml")["services"]
    assert list(services) == ["factbot"]
    assert "FACTBOT_DATABASE_URL" not in str(services["factbot"].get("environment", ""))


# -- the stack, run for real -------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# What compose reads the file's ${...} from.
STACK_ENV = {"FACTBOT_POSTGRES_PASSWORD": PASSWORD, "FACTBOT_IMAGE": IMAGE, "FACTBOT_POSTGRES_IMAGE": POSTGRES_IMAGE}


def _run(*args: str, cwd: Path, check: bool = True, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **STACK_ENV}
    done = subprocess.run([*COMPOSE, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    if check:
        assert done.returncode == 0, f"{args}: {done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


async def _until_both_beat(dsn: str, timeout: float = 60.0) -> None:
    """Each replica has written its shard's heartbeat (read from the database itself)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        try:
            conn = await asyncpg.connect(dsn, timeout=5)
        except (OSError, asyncpg.PostgresError):
            await asyncio.sleep(0.2)  # the server is still starting
            continue
        try:
            exists = await conn.fetchval("SELECT to_regclass('shard_heartbeats') IS NOT NULL")
            if exists and await conn.fetchval("SELECT count(*) FROM shard_heartbeats") >= 2:
                return
        finally:
            await conn.close()
        await asyncio.sleep(0.2)
    raise AssertionError("the two replicas did not both write a shard heartbeat")


@pytest.fixture
def stack_dir(tmp_path: Path) -> Iterator[Path]:
    """The shards file in a directory of its own, beside its factbot.env and an override."""
    shutil.copy(SHARDS_FILE, tmp_path / "compose.shards.yaml")
    yield tmp_path


@pytest.mark.skipif(
    not (COMPOSE and IMAGE and POSTGRES_IMAGE),
    reason="set FACTBOT_TEST_COMPOSE, FACTBOT_TEST_IMAGE and FACTBOT_TEST_POSTGRES_IMAGE to run it (see docstring)",
)
@pytest.mark.timeout(400)
async def test_two_replicas_and_postgres_up_with_compose_and_stats_lists_both_shards(stack_dir: Path) -> None:
    project = f"factbot-test-{uuid.uuid4().hex[:8]}"
    pg_port, metrics = _free_port(), (_free_port(), _free_port())
    files = ["-p", project, "-f", "compose.shards.yaml", "-f", "override.yaml"]
    async with FakeDiscord(FakeConfig(guilds=(GUILD_ON_0, GUILD_ON_1)), patch_client=False) as fake:
        (stack_dir / "factbot.env").write_text(f"DISCORD_TOKEN={fake.config.token}\n", encoding="utf-8")
        host = {"network_mode": "host"}  # the fake Discord listens on the host's 127.0.0.1
        bot_env = {
            "FACTBOT_DATABASE_URL": f"postgresql://factbot:{PASSWORD}@127.0.0.1:{pg_port}/factbot",
            "FACTBOT_DISCORD_API_BASE": fake.api_base,
            "FACTBOT_DISCORD_GATEWAY_URL": fake.gateway_url,
            "FACTBOT_HEARTBEAT_SECONDS": "1",
            "FACTBOT_COOLDOWN": "off",
        }
        override = {
            "services": {
                "postgres": {**host, "environment": {"PGPORT": str(pg_port)}},
                **{
                    f"factbot-{i}": {**host, "environment": {**bot_env, "FACTBOT_METRICS_PORT": str(metrics[i])}}
                    for i in (0, 1)
                },
            }
        }
        (stack_dir / "override.yaml").write_text(yaml.safe_dump(override), encoding="utf-8")
        try:
            await asyncio.to_thread(_run, *files, "up", "-d", "--no-build", cwd=stack_dir)
            await fake.world.changes.wait_for(
                lambda: True if sum(1 for s in fake._gateway.live_sessions if s.conn is not None) >= 2 else None,
                timeout=120, describe=lambda: "both replicas connected",
            )  # fmt: skip
            for guild in (GUILD_ON_0, GUILD_ON_1):  # each replica answers its own server
                await fake.send_message("!trade xizang 2023", channel_id=guild.channel_id)
                await fake.wait_for_reply(guild.channel_id, timeout=60)
            await _until_both_beat(f"postgresql://factbot:{PASSWORD}@127.0.0.1:{pg_port}/factbot")
            await fake.send_message("!stats 1 all", channel_id=GUILD_ON_1.channel_id, author=fake.owner)
            await fake.wait_for_reply(GUILD_ON_1.channel_id, timeout=30)
            report = await fake.wait_for_reply(fake.dm_channel_id(fake.owner), timeout=30)
            shards = {f["name"]: f["value"] for f in report.embeds[0]["fields"]}["Shards"]
            assert "2 shard(s) of 2: 2 live, 0 stale; 2 servers on live shards" in shards
            lines = [line.split() for line in shards.splitlines() if line.startswith("#")]
            assert [(line[0], line[2], line[-1].split(":")[0]) for line in lines] == [
                ("#0", "1", "factbot-0"), ("#1", "1", "factbot-1"),
            ]  # fmt: skip
            stats = await asyncio.to_thread(_run, *files, "exec", "-T", "factbot-0", "factbot", "stats", cwd=stack_dir)
            assert "trade xizang 2023" in stats.stdout and "2 live" in stats.stdout
        finally:
            logs = _run(*files, "logs", cwd=stack_dir, check=False)
            _run(*files, "down", "-v", "-t", "20", cwd=stack_dir, check=False)
    assert "Traceback" not in logs.stdout + logs.stderr, logs.stdout[-5000:] + logs.stderr[-5000:]
