"""Shared fixtures. The fake Discord server lives in ``fakediscord``."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator

import pytest

from fakediscord import FakeDiscord
from tests.pgserver import PgServer, running_server


@pytest.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    """A running fake Discord with discord.py pointed at it; stopped and un-patched after the test."""
    async with FakeDiscord() as fake:
        yield fake


@pytest.fixture(autouse=True)
def _restore_umask() -> Iterator[None]:
    """`factbot`'s main() makes the process umask private; keep that inside the test that called it."""
    old = os.umask(0o022)
    os.umask(old)
    yield
    os.umask(old)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A real PostgreSQL server for the whole session (skips, with the reason, where none
    can be had; fails instead when FACTBOT_REQUIRE_POSTGRES=1, as in CI)."""
    with running_server() as server:
        yield server
