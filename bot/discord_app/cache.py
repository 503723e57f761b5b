"""Recent replies of the current store snapshot, already rendered.

The same questions come back again and again (a popular `!trade xizang 2023`,
everyone clicking the same suggestion button), and for one store snapshot and
one day the core's reply to one text is fixed: the engine is deterministic,
and only relative periods ("this year") depend on the date. So the adapter
keeps the last `SIZE` replies by what was asked, and for answered questions
the rendered embed too (it does not depend on who asked; the other statuses
echo the question and are rendered each time).

A reload brings a new engine, and the next lookup empties the cache; so does
a new day. Replies and embeds are treated as immutable: nothing here, or in
discord.py's send path, modifies them.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import date

from bot.answer import Answer, Status
from bot.commands import CommandRouter, Reply
from bot.discord_app.render import Rendered, render_reply
from bot.query.engine import Engine

SIZE = 512


class ReplyCache:
    def __init__(self, router: CommandRouter, size: int = SIZE, today: Callable[[], date] = date.today) -> None:
        self.router = router
        self.size = size
        self._today = today
        self._replies: OrderedDict[Hashable, Reply | None] = OrderedDict()
        # (id of a cached reply, plain) -> (that reply, its rendering); the reply is
        # kept so that its id cannot be reused by another object while listed
        self._rendered: OrderedDict[tuple[int, bool], tuple[Reply, Rendered]] = OrderedDict()
        self._engine: Engine | None = None
        self._day: date | None = None
        self.hits = 0
        self.misses = 0

    # -- the router's three entry points ---------------------------------------------

    def run(self, name: str, args: str) -> Reply:
        """`CommandRouter.run`: a text command and its arguments."""
        reply = self._lookup(("run", name, " ".join(args.split())), lambda: self.router.run(name, args))
        assert reply is not None
        return reply

    def handle(self, line: str) -> Reply | None:
        """`CommandRouter.handle`: a line as the console reads it."""
        return self._lookup(("handle", " ".join(line.split())), lambda: self.router.handle(line))

    def ask(self, text: str) -> Reply:
        """`Engine.ask`: a question."""
        reply = self._lookup(("ask", " ".join(text.split())), lambda: self.router.service.engine.ask(text))
        assert reply is not None
        return reply

    def render(self, reply: Reply, *, asked: str, plain: bool) -> Rendered:
        if not (isinstance(reply, Answer) and reply.status is Status.ANSWERED):
            return render_reply(reply, asked=asked, plain=plain)
        key = (id(reply), plain)
        found = self._rendered.get(key)
        if found is not None and found[0] is reply:
            self._rendered.move_to_end(key)
            return found[1]
        rendered = render_reply(reply, asked=asked, plain=plain)
        self._rendered[key] = (reply, rendered)
        if len(self._rendered) > self.size:
            self._rendered.popitem(last=False)
        return rendered

    # -- internals --------------------------------------------------------------------------

    def _lookup(self, key: Hashable, compute: Callable[[], Reply | None]) -> Reply | None:
        self._check_snapshot()
        if key in self._replies:
            self.hits += 1
            self._replies.move_to_end(key)
            return self._replies[key]
        self.misses += 1
        reply = compute()  # an exception is not cached
        self._replies[key] = reply
        if len(self._replies) > self.size:
            self._replies.popitem(last=False)
        return reply

    def _check_snapshot(self) -> None:
        engine, day = self.router.service.engine, self._today()
        if engine is not self._engine or day != self._day:
            self._replies.clear()
            self._rendered.clear()
            self._engine, self._day = engine, day
