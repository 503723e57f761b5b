"""The fault campaign of issue 9, as a table: every fault tried, how many tries failed,
how many queries or rows were lost. `make faults` (or `python -m tests.reliability.campaign`).

Not part of `make test` (it takes a couple of minutes: discord.py's own 500 back-off is
25 s, and it starts a dozen bot processes); each fault also has a focused test in
tests/. "Failed" means the bot did the wrong thing (crashed, hung, answered nothing,
accepted what it must refuse, recorded a wrong delivery); "lost" means a query the
user sent whose reply or row is gone without a trace.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from bot.discord_app.runner import BAD_TOKEN_GATEWAY, serve
from bot.querylog import QueryLog, QueryRecord
from bot.querylog.records import to_row
from bot.querylog.schema import ROW_COLUMNS
from bot.querylog.spool import spool_path_for
from bot.service import FactService
from fakediscord import FakeConfig, FakeDiscord, FakeUser, fixed_snowflake
from tests.discord_app.harness import make_settings, running_factbot, text_of
from tests.helpers import ROOT, copy_store
from tests.reliability.botproc import bot_process
from tests.store.test_limits import BOMB


class _ListHandler(logging.Handler):
    def __init__(self, records: list[logging.LogRecord]) -> None:
        super().__init__()
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _capture(name: str) -> tuple[list[logging.LogRecord], Callable[[], None]]:
    """Records of logger `name` at every level, kept off the console; returns (records, undo)."""
    records: list[logging.LogRecord] = []
    logger = logging.getLogger(name)
    handler = _ListHandler(records)
    old = (logger.level, logger.propagate)
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False

    def undo() -> None:
        logger.removeHandler(handler)
        logger.level, logger.propagate = old

    return records, undo


@dataclass
class Result:
    fault: str
    tried: int
    failed: int
    lost: int
    note: str = ""


PIECES = ["\ud83d", "\udcff", "\x00", "\x07", "\u200b", "\u202e", "😀", "@everyone", "@here", "<@123456789012345678>",
          "<@&123456789012345678>", "```", "**", "||", "trade", " xizang", " 2023", " gdp", "!", "=HYPERLINK(1)",
          "西藏"]  # fmt: skip
BYTE_PIECES = [b"\xff", b"\xfe\xfd", b"\xed\xa0\xbd", b"\xc3", b"\x00", b"\x07", b"\x1b[31m", b"\t", "\u202e".encode(),
               "😀".encode(), b"@everyone", b"```", b"trade", b" xizang", b" 2023", b"!", "西藏".encode()]  # fmt: skip


def _rows(db: Path, sql: str = "SELECT query, status, delivered, error FROM queries") -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return list(conn.execute(sql))


async def cli_hostile_lines(n: int = 10_000) -> Result:
    rng = random.Random(9)
    lines = [
        b"".join(rng.choice(BYTE_PIECES) if rng.random() < 0.7 else bytes([rng.randint(1, 255)])
                 for _ in range(rng.randint(1, 40))).replace(b"\n", b" ").replace(b"\r", b" ")
        for _ in range(n)
    ]  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "q.sqlite3"
        env = {**os.environ, "FACTBOT_DB": str(db), "LC_ALL": "C", "FACTBOT_LOG_LEVEL": "WARNING"}
        out = await asyncio.to_thread(
            subprocess.run, [sys.executable, "-m", "bot", "ask", "--json", "-"], input=b"\n".join(lines) + b"\n",
            capture_output=True, cwd=ROOT, env=env, timeout=600,
        )  # fmt: skip
        valid = 0
        for raw in out.stdout.splitlines():
            try:
                json.loads(raw.decode("utf-8"))
                valid += 1
            except (UnicodeDecodeError, json.JSONDecodeError):
                pass
        rows = len(_rows(db))
    failed = (n - valid) + (out.returncode != 0) + out.stderr.count(b"CRITICAL")
    return Result("`factbot ask --json -`: invalid UTF-8, control, bidi, emoji", n, failed, n - rows,
                  f"exit {out.returncode}; {valid} valid UTF-8 JSON lines; {rows} rows")  # fmt: skip


async def discord_hostile_messages(n: int = 2_000) -> Result:
    rng = random.Random(1)
    users = tuple(FakeUser(fixed_snowflake(1000 + i), f"u{i}") for i in range(50))
    with tempfile.TemporaryDirectory() as tmp:
        async with running_factbot(Path(tmp), config=FakeConfig(extra_users=users)) as h:
            fake = h.fake
            for i in range(n):
                text = "".join(rng.choice(PIECES) if rng.random() < 0.6 else chr(rng.randint(1, 0x10FFFF))
                               for _ in range(rng.randint(1, 60)))  # fmt: skip
                dm = i % 3 == 0
                await fake.send_message(text if dm else "!fact " + text, author=users[i % len(users)], guild=not dm)
            await fake.wait_until(lambda: len(fake.posted) >= n or None, 120, "every reply")
            await asyncio.sleep(0.5)
            assert await h.querylog.flush(10)
            rows = len(h.rows())
            bad_requests = sum(1 for r in fake.requests if r.status == 400)
            pinging = sum(1 for p in fake.posted if (p.payload.get("allowed_mentions") or {}).get("parse"))
            note = (f"{len(fake.posted)} replies, {rows} rows, {bad_requests} HTTP 400, {pinging} with mentions on, "
                    f"writer alive: {h.querylog.available}")  # fmt: skip
            failed = (n - len(fake.posted)) + bad_requests + pinging + len(h.bot.handler_errors)
            return Result("Discord messages with lone surrogates, mentions, markdown", n, failed, n - rows, note)


async def spool_of_bad_rows() -> Result:
    def line(text: str, **changes: object) -> str:
        rec = QueryRecord(surface="prefix", query=text, status="answered")
        return json.dumps({**dict(zip(ROW_COLUMNS, to_row(rec, user_hash=None, user_id=None), strict=True)),
                           **changes}) + "\n"  # fmt: skip

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "data" / "q.sqlite3"
        db.parent.mkdir()
        lines = [line(f"good {i}") for i in range(20)] + [
            line("s", query="\ud83d"), line("h", guild_id=10**30), line("t", score={"x": 1}), "not json\n", '{"torn'
        ]  # fmt: skip
        spool_path_for(db).with_name(spool_path_for(db).name + ".replaying").write_text("".join(lines))
        started = time.monotonic()
        log = await asyncio.wait_for(QueryLog.open(db), 30)
        took = time.monotonic() - started
        stored, rejected = log.replayed, log.rejected
        await log.close()
    return Result("start-up on a spool with bad rows (surrogate, 10^30, wrong type, torn)", len(lines),
                  int(took > 5), len(lines) - stored - rejected,
                  f"{stored} replayed, {rejected} quarantined, open took {took * 1000:.0f} ms")  # fmt: skip


def store_faults() -> list[Result]:
    out: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp:
        paths = copy_store(Path(tmp))
        service = FactService.load(paths)

        def reload_with(name: str, write: Callable[[], object], undo: Callable[[], object]) -> None:
            write()
            started = time.monotonic()
            result = service.reload()
            took = time.monotonic() - started
            undo()
            problem = str(result.problems[0]) if result.problems else ""
            note = f"refused in {took * 1000:.0f} ms: {problem[:90]}"
            out.append(Result(name, 1, int(result.ok or took > 5), 0, note))

        bomb = paths.facts_dir / "999_bomb.yaml"
        reload_with("reload: YAML alias bomb", lambda: bomb.write_text(BOMB), bomb.unlink)
        big = paths.facts_dir / "999_big.yaml"

        def write_big() -> None:
            with big.open("w") as f:
                f.write("facts: [" + "{a: [1, 2]}, " * 5_000_000)

        reload_with("reload: 50 MB invalid YAML", write_big, big.unlink)
        sources = paths.seeds_dir / "sources.yaml"
        text = sources.read_text()
        leak = text.replace("file: 000_420446585237be89.txt", "file: /proc/self/environ", 1)
        reload_with("sources.yaml `file: /proc/self/environ`", lambda: sources.write_text(leak),
                    lambda: sources.write_text(text))  # fmt: skip
        moved = Path(tmp) / "moved"
        moved.mkdir()

        def empty() -> None:
            for path in paths.facts_dir.glob("0*.yaml"):
                path.rename(moved / path.name)

        def refill() -> None:
            for path in moved.iterdir():
                path.rename(paths.facts_dir / path.name)

        reload_with("reload removing every fact (not forced)", empty, refill)
    return out


async def sigterm_mid_burst(n: int = 400, at: int = 108) -> Result:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        async with FakeDiscord() as fake, bot_process(fake, data) as process:
            await fake.wait_until_connected(timeout=30)
            ids = await asyncio.gather(*(fake.send_message(f"!trade xizang 2023 t{i:03d}") for i in range(n)))
            await fake.wait_until(lambda: len(fake.posted) >= at or None, 60, f"{at} replies")
            process.send_signal(signal.SIGTERM)
            code = await asyncio.wait_for(process.wait(), 60)
            assert process.stderr is not None
            stderr = (await process.stderr.read()).decode()
            replied = {p.reference_id for p in fake.posted} & set(ids)
        rows = _rows(data / "log.sqlite3")
    logged = {str(q).rsplit(" ", 1)[-1] for q, *_ in rows}
    not_delivered = sum(1 for *_, delivered, _ in rows if delivered != 1)
    unlogged = sum(1 for i, mid in enumerate(ids) if mid in replied and f"t{i:03d}" not in logged)
    failed = not_delivered + (code != 0) + stderr.count("Session is closed")
    note = f"exit {code}; {len(replied)} replied, {len(rows)} rows, {not_delivered} rows not delivered"
    return Result(f"SIGTERM at reply {at} of {n}", n, failed, unlogged + (len(rows) - len(replied)), note)


async def kill_9_runs(runs: int = 10, burst: int = 60) -> Result:
    replied_total = lost = bad = 0
    for k in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp)
            async with FakeDiscord() as fake, bot_process(fake, data) as process:
                await fake.wait_until_connected(timeout=30)
                ids = await asyncio.gather(*(fake.send_message(f"!trade xizang 2023 k{i:03d}") for i in range(burst)))
                wanted = 5 + 4 * k
                await fake.wait_until(lambda: len(fake.posted) >= wanted or None, 60, "replies")  # noqa: B023
                process.kill()
                await process.wait()
                replied = [ids.index(p.reference_id) for p in fake.posted if p.reference_id in ids]
            queries = [str(q) for q, *_ in _rows(data / "log.sqlite3")]
            with sqlite3.connect(data / "log.sqlite3") as conn:
                bad += conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok"
        replied_total += len(replied)
        lost += sum(1 for i in replied if not any(f"k{i:03d}" in q for q in queries))
    return Result(f"kill -9 mid-burst, {runs} runs", replied_total, bad, lost, "replied queries; integrity_check ok")


async def send_faults() -> list[Result]:
    cases = [("HTTP 400", 400, 50035, 1, 0), ("HTTP 403", 403, 50013, 1, 0), ("6 × HTTP 500", 500, 0, 6, 0),
             ("HTTP 429 without Via", 429, 0, 1, 0), ("2 × HTTP 503", 503, 0, 2, 1),
             ("5 × HTTP 503", 503, 0, 5, 0)]  # fmt: skip
    out = []
    for name, status, code, count, expected in cases:
        with tempfile.TemporaryDirectory() as tmp:
            async with running_factbot(Path(tmp)) as h:
                h.fake.fail_next("POST", r"^/channels/\d+/messages$", status, code=code, count=count)
                await h.fake.send_message("!trade xizang 2023")
                await h.fake.wait_until(lambda: any(r["delivered"] is not None for r in h.rows()) or None, 60, "row")
                rows = h.rows()
        delivered = rows[0]["delivered"] if rows else None
        note = f"row: {rows[0]['status']}, delivered={delivered}, {rows[0]['error'] or 'no error'}" if rows else "-"
        out.append(Result(f"reply send fails: {name}", 1, int(delivered != expected), 1 - len(rows), note[:110]))
    return out


async def gateway_4004() -> Result:
    with tempfile.TemporaryDirectory() as tmp:
        async with FakeDiscord() as fake:
            records, undo = _capture("factbot.discord")
            task = asyncio.create_task(serve(make_settings(Path(tmp), fake.config)))
            await fake.wait_until_connected()
            await fake.drop_connection(4004)
            code = await asyncio.wait_for(task, 30)
            undo()
    said = any(r.getMessage() == BAD_TOKEN_GATEWAY for r in records)
    return Result("gateway close 4004 (bad token)", 1, int(code == 0 or not said), 0, f"exit {code}; told: {said}")


async def small_ones() -> list[Result]:
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        async with running_factbot(Path(tmp), cooldown_rate=5, cooldown_per=60) as h:
            fake = h.fake
            await fake.send_message("!", guild=False)
            reply = await fake.wait_for_reply(fake.dm_channel_id(fake.tester))
            said = " ".join(text_of(reply).split())[:60]
            out.append(Result("a DM of just `!`", 1, int("help" not in said), 0, said))
            before = len(fake.posted)
            for i in range(30):
                await fake.send_message(f"!trade xizang 2023 flood{i}")
            await fake.wait_until(lambda: len(fake.posted) >= before + 5 or None, 10, "replies")
            await asyncio.sleep(1.0)
            texts = [text_of(p) for p in fake.posted[before:]]
            notices = sum("faster than I can answer" in t for t in texts)
            answers = sum("10 billion yuan" in t for t in texts)
            note = f"{answers} answers (4 left in the budget), {notices} notice, rest silent"
            out.append(Result("flood: 30 questions in a burst from one user (5/10 s)", 30, int(notices != 1), 0, note))
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "q.sqlite3"
        log = await QueryLog.open(db, max_pending=1)
        spool_path_for(db).mkdir()  # the spool cannot be written: as on a full disk
        holder = sqlite3.connect(db, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        records, undo = _capture("bot.querylog")
        await asyncio.gather(*(log.record(QueryRecord(surface="cli", query=f"q{i}", status="answered"))
                               for i in range(200)))  # fmt: skip
        warnings = sum("DROPPED" in r.getMessage() for r in records)
        holder.rollback()
        holder.close()
        await log.close()
        undo()
        out.append(Result("database locked and spool unwritable (full disk), 200 rows", 200, int(warnings != 1),
                          log.dropped, f"documented drop: counted dropped={log.dropped} in "
                          f"{log.drop_incidents} incident, {warnings} warning"))  # fmt: skip
    return out


async def main() -> None:
    logging.basicConfig(level=logging.CRITICAL)
    results: list[Result] = []
    steps: list[Callable[[], Awaitable[Result | list[Result]]]] = [
        cli_hostile_lines, discord_hostile_messages, spool_of_bad_rows, sigterm_mid_burst, kill_9_runs,
        send_faults, gateway_4004, small_ones,
    ]  # fmt: skip
    results += store_faults()
    for step in steps:
        found = await step()
        results += found if isinstance(found, list) else [found]
    print("| fault | tried | failed | lost | what happened |")
    print("| --- | ---: | ---: | ---: | --- |")
    for r in results:
        print(f"| {r.fault} | {r.tried:,} | {r.failed} | {r.lost} | {r.note.replace('|', '/')} |")


if __name__ == "__main__":
    asyncio.run(main())
