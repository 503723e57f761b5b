"""The local console: the same commands as the Discord bot, typed at a prompt."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

from bot.commands import CommandRouter, Reply
from bot.render_text import reply_text
from bot.textsafety import clean_text

BANNER = "factbot console. Type a question, or {prefix}help for commands. Ctrl-D or Ctrl-C to leave."


def run_console(
    router: CommandRouter,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    on_query: Callable[[str, Reply, float], None] | None = None,
) -> int:
    """Read lines until end of input; answer each. Errors are printed and the prompt goes on."""
    source = stdin or sys.stdin
    out = stdout or sys.stdout
    interactive = source.isatty()
    print(BANNER.format(prefix=router.prefix), file=out)
    while True:
        if interactive:
            print("> ", end="", file=out, flush=True)
        try:
            line = source.readline()
        except KeyboardInterrupt:
            print(file=out)
            return 0
        if not line:
            if interactive:
                print(file=out)
            return 0
        # a terminal or pipe decoded with surrogateescape hands us invalid bytes as lone surrogates
        line = clean_text(line)
        start = time.perf_counter()
        try:
            reply = router.handle(line)
        except KeyboardInterrupt:
            print(file=out)
            return 0
        except Exception as exc:  # the prompt must survive anything a line can trigger
            print(f"error: {exc}", file=out)
            continue
        if reply is None:
            continue
        if on_query is not None:
            on_query(line.strip(), reply, (time.perf_counter() - start) * 1000.0)
        print(reply_text(reply), file=out, flush=True)
