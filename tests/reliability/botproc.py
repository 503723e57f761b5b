"""`python -m bot run` as a real process pointed at the fake Discord."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fakediscord import FakeDiscord


@asynccontextmanager
async def bot_process(
    fake: FakeDiscord, data_dir: Path, **env_overrides: str
) -> AsyncIterator[asyncio.subprocess.Process]:
    """The bot process, connected (waits for the gateway); killed on exit if still running."""
    env = {
        **os.environ,
        "DISCORD_TOKEN": fake.config.token,
        "FACTBOT_DISCORD_API_BASE": fake.api_base,
        "FACTBOT_DISCORD_GATEWAY_URL": fake.gateway_url,
        "FACTBOT_DATA_DIR": str(data_dir),
        "FACTBOT_DB": str(data_dir / "log.sqlite3"),
        "FACTBOT_LOG_LEVEL": "WARNING",
        "FACTBOT_COOLDOWN": "off",
        **env_overrides,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=data_dir, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        yield process
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
