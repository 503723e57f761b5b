"""One way through: a `Request` goes in, an `Outcome` (the reply to render and the log row) comes out.

Every adapter (the command line, the console, Discord's prefix commands, slash
commands, buttons and the context menu) only translates: its input into a
`Request`, the `Outcome.reply` into its own output. What a text means, the
long-input policy, how a failure is answered and what the query log records
are decided here once.

The query log is injected. Synchronous adapters give the pipeline a `RecordSink`
(`handle` writes the row before returning); the Discord adapter awaits its
asynchronous log itself (`answer`, then the write, then the reply), because the
row must be committed before the reply goes out and that wait is a coroutine.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from bot.answer import Answer, Interpretation, Status
from bot.app.commands import CommandRouter, Reply, TextReply
from bot.app.suggestions import tidy
from bot.query.engine import MAX_QUERY_CHARS
from bot.querylog import QueryRecord

# One policy for every surface: a question longer than the engine reads is refused in
# plain words rather than silently cut (the engine would read only its start).
TOO_LONG = (
    "That message is {length:,} characters long; a question can be at most {limit} characters. "
    "Ask for a place, a figure and a period, e.g. {prefix}trade xizang 2023."
)
QUESTION = "?"  # `Request.command` of a plain question: the engine answers, whatever its first word
APOLOGY = "Sorry, something went wrong while answering that. It has been logged; please try again in a moment."


@dataclass(frozen=True)
class Request:
    """One query from one surface.

    `text` is what the user typed, as the log records it. What it means:
    a named `command` with `args` (slash options, a prefix command), or else
    `line` (default: `text`) read as the console reads a line, a prefixed
    command or a plain question.
    """

    text: str
    surface: str
    user_id: int | None = None
    channel_id: int | None = None
    guild_id: int | None = None
    command: str | None = None
    args: str = ""
    line: str | None = None

    @classmethod
    def question(
        cls, text: str, surface: str, *, user_id: int | None = None, channel_id: int | None = None,
        guild_id: int | None = None,
    ) -> Request:
        """A question for the engine (a button, the context menu, `factbot ask`): never a command."""
        return cls(text, surface, user_id, channel_id, guild_id, command=QUESTION, args=text)


@dataclass(frozen=True)
class Outcome:
    request: Request
    reply: Reply
    record: QueryRecord
    error: BaseException | None = None  # a bug while answering: the reply is an apology

    @property
    def answer(self) -> Answer | None:
        return self.reply if isinstance(self.reply, Answer) else None


class RecordSink(Protocol):
    def record(self, rec: QueryRecord) -> object: ...


def too_long(request: Request, prefix: str) -> Answer | None:
    length = len(" ".join(request.text.split()))
    if length <= MAX_QUERY_CHARS:
        return None
    message = TOO_LONG.format(length=length, limit=MAX_QUERY_CHARS, prefix=prefix)
    return Answer(query=request.text, status=Status.NOT_FOUND, interpretation=Interpretation(), message=message)


def record_of(
    request: Request, reply: Reply | None, *, latency_ms: float | None = None, error: BaseException | str | None = None
) -> QueryRecord:
    """The one way a query-log row is built: the parsed fields and outcome from the reply."""

    def row(status: str, **fields: Any) -> QueryRecord:
        return QueryRecord(
            surface=request.surface, query=request.text, status=status, latency_ms=latency_ms,
            guild_id=request.guild_id, channel_id=request.channel_id, user_id=request.user_id, **fields,
        )  # fmt: skip

    if isinstance(error, BaseException) or reply is None:
        return row("error", error=repr(error) if error is not None else "no reply")
    if not isinstance(reply, Answer):
        # help, sources, usage errors: not a figure question, logged as answered text
        return row("answered", error="usage" if reply.error else None)
    interp = reply.interpretation
    return row(
        reply.status.value, place=interp.place_key, metric=interp.metric_key, period=interp.period_code,
        fact_id=reply.fact.fact.id if reply.fact else None, score=round(reply.score, 4), error=error,
    )  # fmt: skip


# Questions whose reply depends only on the text, the store snapshot and the day: cached.
CACHED_COMMANDS = frozenset({QUESTION, "fact", "ask", "trade"})
CACHE_SIZE = 512


class ReplyCache:
    """The last `size` replies to questions, by what they mean (command and words, spacing folded).

    For one store snapshot and one day the engine's reply to a text is fixed (only
    relative periods, "this year", depend on the date), and the same questions come
    back again and again (a popular `/trade`, everyone clicking one suggestion).
    A reload brings a new engine and a new day a new date: either empties the cache.
    Replies are frozen values; the log row is still built for every request.
    """

    def __init__(self, size: int = CACHE_SIZE, today: Callable[[], date] = date.today) -> None:
        self.size = size
        self._today = today
        self._replies: OrderedDict[tuple[str, str], Reply] = OrderedDict()
        self._snapshot: tuple[object, date] | None = None
        self.hits = 0
        self.misses = 0

    def get(self, engine: object, request: Request, compute: Callable[[], Reply]) -> Reply:
        if request.command not in CACHED_COMMANDS:
            return compute()
        snapshot = (engine, self._today())
        if self._snapshot is None or self._snapshot[0] is not engine or self._snapshot[1] != snapshot[1]:
            self._replies.clear()
            self._snapshot = snapshot
        key = (str(request.command), " ".join(request.args.casefold().split()))
        found = self._replies.get(key)
        if found is not None:
            self.hits += 1
            self._replies.move_to_end(key)
            return found
        self.misses += 1
        reply = compute()  # an exception is not cached
        self._replies[key] = reply
        if len(self._replies) > self.size:
            self._replies.popitem(last=False)
        return reply


class Pipeline:
    """`answer(request)` without logging, `handle(request)` with the injected sink."""

    def __init__(self, router: CommandRouter, sink: RecordSink | None = None, cache: ReplyCache | None = None) -> None:
        self.router = router
        self.sink = sink
        self.cache = cache if cache is not None else ReplyCache()

    @property
    def prefix(self) -> str:
        return self.router.prefix

    def _compute(self, request: Request) -> Reply:
        reply = self._reply(request)
        return tidy(reply) if isinstance(reply, Answer) else reply

    def _reply(self, request: Request) -> Reply:
        if request.command == QUESTION:
            return self.router.ask(request.args)
        if request.command is not None:
            return self.router.run(request.command, request.args)
        return self.router.handle(request.line if request.line is not None else request.text) or TextReply(
            f"Ask a question, or {self.prefix}help for the commands.", error=True
        )

    def answer(self, request: Request) -> Outcome:
        started = time.perf_counter()
        refused = too_long(request, self.prefix)
        if refused is not None:
            return Outcome(request, refused, record_of(request, refused, latency_ms=_ms(started), error="too long"))
        try:
            reply = self.cache.get(self.router.service.engine, request, lambda: self._compute(request))
        except Exception as exc:  # any bug in answering: logged, apologised for, never shown
            return Outcome(request, TextReply(APOLOGY, error=True), record_of(request, None, error=exc), exc)
        return Outcome(request, reply, record_of(request, reply, latency_ms=_ms(started)))

    def handle(self, request: Request) -> Outcome:
        outcome = self.answer(request)
        if self.sink is not None:
            self.sink.record(outcome.record)
        return outcome


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000.0, 3)
