"""Snowflake ids and timestamps shaped like Discord's.

discord.py derives ``created_at`` from an id's top bits and sorts caches by
id, so made-up ids such as ``1`` or ``42`` give odd dates and can collide
with real-looking constants in tests. Everything the fake hands out comes
from here instead.
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading

DISCORD_EPOCH_MS = 1_420_070_400_000
"""Milliseconds from the Unix epoch to Discord's epoch (2015-01-01)."""


def snowflake_at(when: dt.datetime, increment: int = 0, *, worker: int = 1, process: int = 0) -> int:
    """The snowflake Discord would give an object created at ``when``."""
    ms = int(when.timestamp() * 1000) - DISCORD_EPOCH_MS
    return (ms << 22) | ((worker & 0x1F) << 17) | ((process & 0x1F) << 12) | (increment & 0xFFF)


def snowflake_time(snowflake: int) -> dt.datetime:
    """When the object with this snowflake was created (UTC)."""
    ms = (snowflake >> 22) + DISCORD_EPOCH_MS
    return dt.datetime.fromtimestamp(ms / 1000, tz=dt.UTC)


def iso_timestamp(when: dt.datetime | None = None) -> str:
    """An ISO 8601 timestamp in the form Discord sends (``+00:00`` offset)."""
    return (when or dt.datetime.now(dt.UTC)).isoformat(timespec="microseconds")


# Fixed ids for the default world, so a failing test prints the same ids on
# every run; dated 2023 so they look like a real, not brand-new, account.
_FIXED_BASE = dt.datetime(2023, 3, 14, 15, 9, 26, tzinfo=dt.UTC)


def fixed_snowflake(n: int) -> int:
    """The ``n``-th deterministic snowflake used by the default configuration."""
    return snowflake_at(_FIXED_BASE + dt.timedelta(seconds=n), n, worker=0)


class SnowflakeFactory:
    """Hands out strictly increasing snowflakes for objects created at run time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last = 0
        self._counter = itertools.count()

    def next(self) -> int:
        with self._lock:
            candidate = snowflake_at(dt.datetime.now(dt.UTC), next(self._counter))
            # Many ids within one millisecond share the time bits; the
            # increment wraps at 4096, so fall back to last + 1 to stay unique
            # and ordered.
            self._last = max(candidate, self._last + 1)
            return self._last
