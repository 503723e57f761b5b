"""503 Service Unavailable is retried, as discord.py retries 500, 502, 504 and 524.

discord.py 2.7 raises `DiscordServerError` on the first 503, so an answer was lost
whenever Discord's edge was briefly overloaded. `retry_service_unavailable` wraps the
bot's `HTTPClient.request` (discord.py offers no hook for its retry policy) and
retries a 503 with the same back-off discord.py uses for a 502: 1 s, 3 s, 5 s, 7 s.
Files are rewound before each retry, as discord.py does for its own.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Sequence
from typing import Any

import discord
from discord.http import HTTPClient, Route

log = logging.getLogger(__name__)

SERVICE_UNAVAILABLE = 503
# discord.py's delays for a 502 (1 + 2 * tries, five tries in all).
RETRY_DELAYS: tuple[float, ...] = (1.0, 3.0, 5.0, 7.0)


def retry_service_unavailable(http: HTTPClient, delays: Sequence[float] | None = None) -> None:
    """Make `http.request` retry a 503 (after `delays`, default `RETRY_DELAYS`)."""
    original = http.request

    async def request(
        route: Route,
        *,
        files: Sequence[discord.File] | None = None,
        form: Iterable[dict[str, Any]] | None = None,
        **kwargs: Any,
    ) -> Any:
        waits = RETRY_DELAYS if delays is None else delays
        for attempt in range(len(waits) + 1):
            try:
                return await original(route, files=files, form=form, **kwargs)
            except discord.DiscordServerError as exc:
                if exc.status != SERVICE_UNAVAILABLE or attempt == len(waits):
                    raise
                log.warning("%s %s answered 503; retrying in %.2f s", route.method, route.path, waits[attempt])
                await asyncio.sleep(waits[attempt])
                for file in files or ():
                    file.reset(seek=True)
        raise AssertionError("unreachable")

    http.request = request  # type: ignore[method-assign]
