"""The query log: every query from every surface, in SQLite, for curators to study.

Infrastructure, injected into the adapters at start-up; no discord.py in here.

    log = await QueryLog.open(settings.db_path,
                              raw_user_ids=settings.log_raw_user_ids,
                              retention_days=settings.log_retention_days)
    committed = await log.record(QueryRecord(surface="slash", query=text,
                                             status=answer.status, user_id=..., ...))
    log.count_autocomplete()            # one autocomplete keystroke; not a query
    stats = await log.stats(days=7)     # -> Stats (frozen dataclass)
    title, fields = embed_fields(stats) # for a Discord embed, every value <= 1024 chars
    print(render_text(stats))
    csv_text = await log.export_csv(days=7)   # or: await log.write_csv(path, days=7)
    await log.close()                   # writes what is queued, spools the rest

`record()` returns True once the row is committed (group commit: rows recorded at
the same moment share one transaction) and False if that took longer than
`RECORD_WAIT_SECONDS` (0.5 s); the row is then kept in memory (at most
`MAX_PENDING_ROWS`) or in the spool file `<db>.spool.jsonl`, and written when the
database is back or at the next start. It never raises for a database problem.
Counters for health checks and tests: `pending`, `commits`, `spooled`, `dropped`,
`replayed`, `available`; `await log.flush(timeout)` waits for the queue to drain.

Files beside the database: `<db>.userkey` (the HMAC key for user ids, mode 0600,
created on first start; deleting it starts a new hash space), the spool, and
SQLite's `-wal` / `-shm`. User ids are stored as a keyed hash unless
`raw_user_ids=True`; rows older than `retention_days` are deleted at start-up and
daily. `factbot stats [--days N] [--csv FILE|-]` comes from `cli.add_stats_command`.

Modules: records (the value and its row), schema (DDL and migrations), privacy
(the user-id hash), spool (overflow file), log (queue and writer), reader,
stats, render, export, cli.
"""

from bot.querylog.errors import (
    InvalidRecordError,
    LogMissingError,
    QueryLogError,
    SchemaVersionError,
    UserKeyError,
)
from bot.querylog.log import MAX_PENDING_ROWS, RECORD_WAIT_SECONDS, QueryLog
from bot.querylog.records import QUERY_MAX_CHARS, STATUSES, QueryRecord
from bot.querylog.render import embed_fields, render_text
from bot.querylog.schema import SCHEMA_VERSION
from bot.querylog.stats import Stats

__all__ = [
    "MAX_PENDING_ROWS",
    "QUERY_MAX_CHARS",
    "RECORD_WAIT_SECONDS",
    "SCHEMA_VERSION",
    "STATUSES",
    "InvalidRecordError",
    "LogMissingError",
    "QueryLog",
    "QueryLogError",
    "QueryRecord",
    "SchemaVersionError",
    "Stats",
    "UserKeyError",
    "embed_fields",
    "render_text",
]
