"""Shared fixtures. The fake Discord server lives in ``tests/fakediscord``."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.fakediscord import FakeDiscord


@pytest.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    """A running fake Discord with discord.py pointed at it; stopped and un-patched after the test."""
    async with FakeDiscord() as fake:
        yield fake
