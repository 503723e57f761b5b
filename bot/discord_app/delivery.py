"""Whether a reply reached the user, written to its query-log row.

The row is written before the reply is sent (so no answer is ever missing from the
log); the send comes after, and can fail: a 403 in a channel the bot may not post
in, a 400, Discord's 5xx after discord.py's retries, a closed session at shutdown.
`record_query` remembers the row it wrote in a context variable of the handling
task; the one send helper that every reply goes through (`deliver`) then marks that
row delivered or not, with the error. A context variable rather than a parameter:
the handler task is the unit of "one query, one reply", and no signature between
the two has to carry it.
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Awaitable
from typing import TypeVar

import discord

from bot.querylog import QueryLog

log = logging.getLogger(__name__)
T = TypeVar("T")

_awaiting: contextvars.ContextVar[tuple[QueryLog, str] | None] = contextvars.ContextVar(
    "factbot_awaiting_delivery", default=None
)


def expect_reply(querylog: QueryLog, uid: str) -> None:
    """The next reply sent from this task answers the row `uid`."""
    _awaiting.set((querylog, uid))


def describe(exc: BaseException) -> str:
    if isinstance(exc, discord.HTTPException):
        return f"reply not delivered: HTTP {exc.status} (code {exc.code}) {exc.text[:120]}".rstrip()
    return f"reply not delivered: {type(exc).__name__}: {exc}"[:200]


async def deliver(send: Awaitable[T]) -> T:
    """Await `send` and record on the awaiting row whether it went through; re-raises."""
    awaiting = _awaiting.get()
    if awaiting is not None:
        _awaiting.set(None)  # one row, one reply: an apology sent after a failure is not it
    try:
        result = await send
    except BaseException as exc:
        if awaiting is not None:
            querylog, uid = awaiting
            querylog.mark_delivery(uid, False, describe(exc))
            log.warning("query %s: %s", uid, describe(exc))
        raise
    if awaiting is not None:
        awaiting[0].mark_delivery(awaiting[1], True)
    return result
