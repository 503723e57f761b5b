"""The local console: the same commands as the Discord bot, typed at a prompt.

At a terminal the prompt has line editing and a history (the standard
`readline`, kept in `history_file` between sessions); piped input is read line
by line with no prompt. Every line goes through the request pipeline, as a
Discord message does. `factbot console | head` ends quietly.
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import TextIO

from bot.app.pipeline import Pipeline, Request
from bot.infra.textsafety import clean_text
from bot.render.text import reply_text

BANNER = "factbot console. Type a question, or {prefix}help for commands. Ctrl-D or Ctrl-C to leave."
HISTORY_LINES = 1000


def _line_editing(history_file: Path | None) -> None:
    """Arrow keys, Ctrl-R and a history for `input()`; nothing where readline is missing."""
    try:
        import readline
    except ImportError:  # Windows without pyreadline: plain input still works
        return
    if history_file is None:
        return
    with contextlib.suppress(OSError):
        readline.read_history_file(history_file)
    readline.set_history_length(HISTORY_LINES)

    import atexit

    def save() -> None:
        with contextlib.suppress(OSError):
            history_file.parent.mkdir(parents=True, exist_ok=True)
            readline.write_history_file(history_file)

    atexit.register(save)


def _read(source: TextIO, interactive: bool) -> str | None:
    """One line, or None at the end of input."""
    if interactive:
        try:
            return input("> ")
        except EOFError:
            return None
    line = source.readline()
    return line or None


def run_console(
    pipeline: Pipeline,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    *,
    history_file: Path | None = None,
) -> int:
    """Read lines until end of input; answer each. Errors are printed and the prompt goes on."""
    source = stdin or sys.stdin
    out = stdout or sys.stdout
    # input() reads sys.stdin and writes the prompt to sys.stdout: only for the real terminal
    interactive = source is sys.stdin and out is sys.stdout and source.isatty()
    if interactive:
        _line_editing(history_file)
    try:
        print(BANNER.format(prefix=pipeline.prefix), file=out, flush=True)
        while True:
            try:
                line = _read(source, interactive)
            except KeyboardInterrupt:
                print(file=out)
                return 0
            if line is None:
                if interactive:
                    print(file=out)
                return 0
            # a terminal or pipe decoded with surrogateescape hands us invalid bytes as lone surrogates
            line = clean_text(line).strip()
            if not line:
                continue
            try:
                outcome = pipeline.handle(Request(text=line, surface="console"))
            except KeyboardInterrupt:
                print(file=out)
                return 0
            if outcome.error is not None:
                print(f"error: {outcome.error}", file=out, flush=True)
                continue
            print(reply_text(outcome.reply), file=out, flush=True)
    except BrokenPipeError:
        # the reader went away (`factbot console | head`): stop quietly, like other tools
        _quiet_stdout()
        return 0


def _quiet_stdout() -> None:
    """After a broken pipe, Python's own flush at exit would print a second traceback."""
    import os

    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
