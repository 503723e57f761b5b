"""`factbot health`: can this installation serve? The store and the database, checked for real.

Exit 0 when the fact store loads and passes its checks and the query log's
database opens, migrates and takes a write lock; otherwise non-zero with the
reason, one line per part. `--live` also asks the running bot's `/healthz`
(when FACTBOT_METRICS_PORT is set), which adds the Discord gateway: that is
what the container's HEALTHCHECK calls.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sqlite3
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import aiosqlite

from bot.config import Settings
from bot.querylog.errors import QueryLogError
from bot.querylog.privacy import key_path_for, load_or_create_key
from bot.querylog.records import normalize_query
from bot.querylog.schema import MigrationContext, migrate
from bot.store import StorePaths, collect

DB_TIMEOUT_SECONDS = 5.0
LIVE_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class Check:
    part: str
    ok: bool
    detail: str

    def __str__(self) -> str:
        return f"{self.part}: {'ok' if self.ok else 'FAILED'}: {self.detail}"


def check_store(paths: StorePaths) -> Check:
    store, problems = collect(paths)
    if store is None:
        first = str(problems[0]) if problems else "no details"
        return Check("store", False, f"{len(problems)} problem(s) in {paths.facts_dir}; first: {first}")
    return Check("store", True, f"{len(store.facts)} facts from {len(store.sources)} documents in {paths.facts_dir}")


async def check_database(db_path: Path, *, raw_user_ids: bool) -> Check:
    """Open (creating if need be), migrate, and take and release the write lock."""
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        key = await asyncio.to_thread(load_or_create_key, key_path_for(db_path))
        conn = await aiosqlite.connect(db_path, isolation_level=None, timeout=DB_TIMEOUT_SECONDS)
        try:
            await conn.execute("PRAGMA journal_mode = WAL")
            await migrate(conn, MigrationContext(key.hash_or_none, normalize_query, raw_user_ids))
            # A database can open and still refuse writes (read-only file, full disk, locked)
            await conn.execute("BEGIN IMMEDIATE")
            await conn.execute("ROLLBACK")
        finally:
            with contextlib.suppress(sqlite3.Error, ValueError):
                await conn.close()
    except (sqlite3.Error, QueryLogError, OSError) as exc:
        return Check("database", False, f"{db_path}: {exc}")
    return Check("database", True, f"{db_path} opens, is migrated and writable")


async def check_postgres(dsn: str) -> Check:
    """Connect, migrate, and write in a transaction that is rolled back."""
    import asyncpg

    from bot.querylog import pgschema
    from bot.querylog.postgres import CONNECT_TIMEOUT_SECONDS, DB_ERRORS, redact

    where = redact(dsn)
    failures: tuple[type[Exception], ...] = (*DB_ERRORS, QueryLogError)
    try:
        conn = await asyncpg.connect(dsn, timeout=CONNECT_TIMEOUT_SECONDS)
        try:
            await pgschema.migrate(conn)
            tx = conn.transaction()
            await tx.start()
            try:
                # a server can accept connections and still refuse writes (read-only replica, full disk)
                await conn.execute("INSERT INTO autocomplete (day, count) VALUES ('health', 0) ON CONFLICT DO NOTHING")
            finally:
                await tx.rollback()
        finally:
            await conn.close(timeout=2)
    except failures as exc:
        return Check("database", False, f"{where}: {type(exc).__name__}: {exc}")
    return Check("database", True, f"{where} answers, is migrated and writable")


def check_live(settings: Settings) -> Check:
    """The running bot's own view (gateway, store, log), from its /healthz endpoint."""
    if settings.metrics_port is None:
        return Check("bot", False, "FACTBOT_METRICS_PORT is not set, so the running bot cannot be asked")
    host = "127.0.0.1" if settings.metrics_bind in ("0.0.0.0", "") else settings.metrics_bind
    host = f"[{host}]" if ":" in host else host
    url = f"http://{host}:{settings.metrics_port}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=LIVE_TIMEOUT_SECONDS) as response:
            return Check("bot", True, f"{url}: {response.read().decode('utf-8', 'replace').strip()}")
    except urllib.error.HTTPError as exc:
        body = exc.read().decode("utf-8", "replace")
        with contextlib.suppress(ValueError):
            failing = json.loads(body).get("failing")
            body = "; ".join(f"{k}: {v}" for k, v in failing.items()) if isinstance(failing, dict) else body
        return Check("bot", False, f"{url} answered {exc.code}: {body.strip()}")
    except (urllib.error.URLError, OSError) as exc:
        return Check("bot", False, f"{url}: not reachable ({exc}); is the bot running?")


def run_checks(settings: Settings, *, live: bool) -> list[Check]:
    checks = [
        check_store(StorePaths(settings.facts_dir, settings.seeds_dir)),
        asyncio.run(
            check_postgres(settings.database_url)
            if settings.database_url
            else check_database(settings.db_path, raw_user_ids=settings.log_raw_user_ids)
        ),
    ]
    if live:
        checks.append(check_live(settings))
    return checks
