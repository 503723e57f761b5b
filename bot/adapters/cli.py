"""The `factbot` command line: run, console, ask, check, coverage, extract, sources."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import logging
import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import BinaryIO

from bot.answer import Status
from bot.app.commands import CommandRouter, source_detail, sources_text
from bot.app.pipeline import Pipeline, Request
from bot.config import ConfigError, Settings
from bot.infra.textsafety import clean_text, decode_bytes
from bot.ops.files import make_files_private
from bot.querylog import backends
from bot.querylog.blocking import BlockingQueryLog
from bot.querylog.cli import add_stats_command
from bot.render.text import answer_text
from bot.service import FactService
from bot.store import StoreError, StorePaths, collect
from bot.store.lint import vocabulary_warnings

log = logging.getLogger("factbot")
Handler = Callable[[argparse.Namespace, Settings], int]


def store_paths(settings: Settings) -> StorePaths:
    return StorePaths(settings.facts_dir, settings.seeds_dir, cache_dir=settings.data_dir)


def load_service(settings: Settings) -> FactService:
    return FactService.load(store_paths(settings))


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    store, problems = collect(store_paths(settings))
    for problem in problems:
        print(problem, file=sys.stderr)
    if store is None:
        print(f"factbot check: {len(problems)} problem(s); fix them and run again", file=sys.stderr)
        return 1
    for warning in vocabulary_warnings(store.vocabulary):
        print(f"warning: {warning}", file=sys.stderr)
    print(f"ok: {len(store.facts)} facts from {len(store.sources)} documents")
    return 0


def open_query_log(settings: Settings) -> BlockingQueryLog | None:
    if os.environ.get("FACTBOT_NO_QUERY_LOG") == "1":
        return None
    return BlockingQueryLog.open(
        settings.db_path,
        raw_user_ids=settings.log_raw_user_ids,
        retention_days=settings.log_retention_days,
        opener=lambda: backends.open_query_log(settings),
    )


# `factbot ask QUESTION` exits with what happened to the question, for scripts.
EXIT_ANSWERED = 0
EXIT_USAGE = 2
EXIT_BY_STATUS = {Status.ANSWERED: EXIT_ANSWERED, Status.NEAREST: 3, Status.AMBIGUOUS: 4, Status.NOT_FOUND: 5}


def _quiet_broken_pipe() -> None:
    """The reader went away (`| head`): stop quietly, like other command-line tools; Python's
    own flush of stdout at exit would otherwise print a second traceback."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


# At most this many lines answered per group: a big file piped in is still printed as it goes.
ASK_BATCH_LINES = 1000


def _waiting_lines(stream: BinaryIO) -> Iterator[list[str]]:
    """Lines of `stream` in groups: each group is what one read found waiting (a person typing
    gets each line at once; a pipe gets many per group). Invalid UTF-8 becomes U+FFFD."""
    # read1: at most one read of the pipe, returning what is there (read() would wait to fill)
    read: Callable[[int], bytes] = getattr(stream, "read1", stream.read)
    pending = b""
    while True:
        chunk = read(1 << 16)
        if not chunk:
            if pending:
                yield [decode_bytes(pending).rstrip("\r\n")]
            return
        *complete, pending = (pending + chunk).split(b"\n")
        for start in range(0, len(complete), ASK_BATCH_LINES):
            yield [decode_bytes(line).rstrip("\r") for line in complete[start : start + ASK_BATCH_LINES]]


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    service = load_service(settings)
    batch = args.query == ["-"]
    # Text is made valid here, before the engine, the log or the output sees it: stdin is
    # read as bytes (invalid UTF-8 becomes U+FFFD), argv may carry surrogateescapes.
    queries: Iterable[str] = (
        (decode_bytes(line).rstrip("\r\n") for line in sys.stdin.buffer)
        if batch
        else [clean_text(" ".join(args.query))]
    )
    if args.json and isinstance(sys.stdout, io.TextIOWrapper):
        # JSON text is UTF-8 (RFC 8259), whatever the locale says
        sys.stdout.reconfigure(encoding="utf-8", errors="replace")
    if args.explain:
        from bot.query.explain import explain

        try:
            for query in queries:
                print(explain(service.engine, query), flush=True)
        except BrokenPipeError:
            _quiet_broken_pipe()
        return 0
    querylog = open_query_log(settings)
    pipeline = Pipeline(CommandRouter(service, settings.prefix), querylog)
    code = EXIT_ANSWERED
    try:
        # Lines already waiting on stdin are answered together, their rows committed in one
        # group, and then printed: a line is never printed before its row is committed.
        groups = _waiting_lines(sys.stdin.buffer) if batch else iter([list(queries)])
        for group in groups:
            outcomes = [pipeline.answer(Request.question(query, "cli")) for query in group]
            if querylog is not None:
                querylog.record_many([outcome.record for outcome in outcomes])
            lines = []
            for outcome in outcomes:
                answer = outcome.answer
                if answer is None:  # a bug while answering: the apology, and a failure
                    print(f"factbot ask: could not answer {outcome.request.text[:80]!r}: {outcome.error!r}",
                          file=sys.stderr)
                    code = 1
                    continue
                lines.append(json.dumps(answer.to_json(), ensure_ascii=False) if args.json else answer_text(answer))
                if not batch:
                    code = EXIT_BY_STATUS[answer.status]
            if lines:
                print("\n".join(lines), flush=True)
    except BrokenPipeError:
        _quiet_broken_pipe()
    finally:
        if querylog is not None:
            querylog.close()
    return code


class ConsoleAdmin:
    """`!reload` and `!stats` at the console: whoever runs it owns the machine."""

    def __init__(self, service: FactService, querylog: BlockingQueryLog | None) -> None:
        self.service = service
        self.querylog = querylog

    def reload(self, *, force: bool) -> str:
        return self.service.reload(force=force).summary()

    def stats(self, days: int) -> str:
        if self.querylog is None:
            return "The query log is off in this process."
        return self.querylog.stats_text(days)


def cmd_console(args: argparse.Namespace, settings: Settings) -> int:
    from bot.adapters.console import run_console

    service = load_service(settings)
    querylog = open_query_log(settings)
    router = CommandRouter(service, settings.prefix, admin=ConsoleAdmin(service, querylog))
    try:
        return run_console(Pipeline(router, querylog), history_file=settings.data_dir / "console_history")
    finally:
        if querylog is not None:
            querylog.close()


NO_TOKEN_NO_CONSOLE = (
    "factbot run: DISCORD_TOKEN is not set and there is no terminal for the console; set DISCORD_TOKEN "
    "(environment, env file or .env, see README) to connect to Discord"
)


def _stdin_is_null() -> bool:
    """No input can ever come: stdin closed or /dev/null (a container, a service unit)."""
    try:
        here, null = os.fstat(0), os.stat(os.devnull)
    except OSError:
        return True
    # compared by device number: in a container /dev/null is the host's, bind-mounted
    return stat.S_ISCHR(here.st_mode) and here.st_rdev == null.st_rdev


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    if not settings.token and _stdin_is_null():
        # a console on a closed stdin would exit 0 at once and look like success
        print(NO_TOKEN_NO_CONSOLE, file=sys.stderr)
        return 2
    if not settings.token:
        print(
            "No DISCORD_TOKEN set: starting the local console. To connect to Discord, put "
            "DISCORD_TOKEN=... in the environment or .env (see README).",
            flush=True,
        )
        return cmd_console(args, settings)
    from bot.discord_app.runner import run_bot  # imported here: the console needs no discord.py

    return run_bot(settings)


def cmd_sources(args: argparse.Namespace, settings: Settings) -> int:
    store = load_service(settings).store
    if not args.doc:
        print(sources_text(store, prefix="factbot ").replace("factbot source ", "factbot sources "))
        return 0
    detail = source_detail(store, args.doc, prefix="factbot ")
    if detail.error:
        print(f"factbot sources: {detail.text}", file=sys.stderr)
        return 1
    print(detail.text)
    return 0


def cmd_coverage(args: argparse.Namespace, settings: Settings) -> int:
    from bot.store.coverage import coverage_report

    store = load_service(settings).store
    gaps = coverage_report(store, settings.facts_dir)
    for gap in gaps:
        print(gap)
    print(f"{len(gaps)} numeric statement(s) cited by no fact", file=sys.stderr)
    return 1 if gaps and args.strict else 0


def cmd_extract(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    from bot.store.extract import extract_candidates

    service = load_service(settings)
    print(extract_candidates(Path(args.seedfile), service.engine), end="")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="factbot", description="Sourced answers from a curated fact store.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        command = sub.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(func=handler)
        return command

    add("run", cmd_run, "run the Discord bot (the local console when DISCORD_TOKEN is not set)")
    add("console", cmd_console, "a local prompt taking the bot's commands and plain questions")
    ask = add("ask", cmd_ask, "answer one question; '-' reads one question per line from stdin")
    ask.epilog = (
        "exit status: 0 answered, 3 nearest, 4 ambiguous, 5 not_found, 2 usage error, 1 failure "
        "(the store cannot be loaded); with '-', 0 once every line was answered (each object has its status)"
    )
    ask.add_argument("--json", action="store_true", help="print one JSON object per question (JSONL)")
    ask.add_argument("--explain", action="store_true", help="print how the question was read and why (not logged)")
    ask.add_argument("query", nargs="+", help="the question, or '-' for stdin")
    add("check", cmd_check, "validate the fact store; non-zero exit on any error")
    coverage = add("coverage", cmd_coverage, "list numbers in seeds/ that no fact cites")
    coverage.add_argument("--strict", action="store_true", help="exit 1 if anything is listed")
    extract = add("extract", cmd_extract, "propose candidate facts (YAML) from a seed document")
    extract.add_argument("seedfile", help="path of the document, e.g. seeds/NEW.txt")
    sources = add("sources", cmd_sources, "list the source documents, or show one")
    sources.add_argument("doc", nargs="?", help="a document number, file name or title words")
    for register in _extensions():
        register(sub)
    return parser


def _extensions() -> list[Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]]:
    """Sub-commands other packages contribute (query log stats, charts, Discord sync)."""
    from bot.adapters.analysis_cli import (
        register as add_analysis_commands,  # series, compare; matplotlib only for --png
    )
    from bot.discord_app.cli import register as add_sync_command  # imports no discord.py until `sync` runs
    from bot.ops.cli import register as add_ops_commands  # health, backup

    found: list[Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]] = [
        add_stats_command,
        add_sync_command,
        add_analysis_commands,
        add_ops_commands,
    ]
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    make_files_private()  # before anything is created: database, WAL, spool, key, backups are 0600
    try:
        settings = Settings.from_env()
        logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        return int(args.func(args, settings))
    except ConfigError as exc:
        print(f"factbot: configuration: {exc}", file=sys.stderr)
        return 2
    except StoreError as exc:
        print(f"factbot: {exc}\nRun 'factbot check' for the full list.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
