"""Waiting for something the bot does, without polling or sleeping.

Every record the fake makes calls ``Changes.notify()``; a waiter re-checks
its condition on each notification. The check and the capture of the event
to wait on happen with no ``await`` in between, so no change can slip past.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class FakeDiscordTimeout(AssertionError, TimeoutError):
    """The bot did not do what a test waited for in time.

    An ``AssertionError`` so pytest shows it as a failed expectation, and a
    ``TimeoutError`` so callers catching timeouts still catch it.
    """


class Changes:
    """A broadcast "something was recorded" signal."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait_for(
        self,
        check: Callable[[], T | None],
        timeout: float,
        describe: Callable[[], str],
    ) -> T:
        """Return ``check()`` once it is not None; raise ``FakeDiscordTimeout`` after ``timeout``."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            result = check()
            if result is not None:
                return result
            event = self._event
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise FakeDiscordTimeout(f"timed out after {timeout:g}s: {describe()}")
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                continue
