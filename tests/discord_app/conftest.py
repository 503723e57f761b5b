"""Fixtures for the Discord adapter: factbot running against the fake Discord."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

import pytest

from tests.discord_app.harness import Harness, running_factbot

StartBot = Callable[..., AbstractAsyncContextManager[Harness]]


@pytest.fixture
async def factbot(tmp_path: Path) -> AsyncIterator[Harness]:
    """factbot on the committed store, connected to a default fake Discord.

    Teardown fails the test if any command, interaction or query handler raised.
    """
    async with running_factbot(tmp_path) as harness:
        yield harness


@pytest.fixture
def start_factbot(tmp_path: Path) -> StartBot:
    """`async with start_factbot(config=..., admin_ids=..., paths=...) as h:` for non-default set-ups."""

    def start(**options: Any) -> AbstractAsyncContextManager[Harness]:
        return running_factbot(tmp_path, **options)

    return start
