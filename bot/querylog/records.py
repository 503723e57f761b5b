"""The value logged for one query, and how it becomes a database row."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.infra.textsafety import clean_text
from bot.querylog.errors import InvalidRecordError

# Queries are user text of any length; the log keeps the first 500 characters,
# which is longer than any real question and bounds what one spammer can store.
QUERY_MAX_CHARS = 500
ERROR_MAX_CHARS = 500
SURFACE_MAX_CHARS = 32

# The outcomes a query can have. `bot.answer.Status` values (a StrEnum) are the
# first four; "error" is a query that raised before an answer existed.
STATUSES: tuple[str, ...] = ("answered", "nearest", "ambiguous", "not_found", "error")
UNANSWERED_STATUSES: tuple[str, ...] = ("not_found", "nearest")

# One database row, in the column order of `schema.ROW_COLUMNS`.
Row = tuple[Any, ...]


def _new_uid() -> str:
    return uuid.uuid4().hex


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class QueryRecord:
    """One query as an adapter saw it. `uid` makes a retried or replayed row idempotent."""

    surface: str
    query: str
    status: str
    guild_id: int | None = None
    channel_id: int | None = None
    user_id: int | None = None
    place: str | None = None
    metric: str | None = None
    period: str | None = None
    fact_id: str | None = None
    score: float | None = None
    latency_ms: float | None = None
    error: str | None = None
    time: datetime = field(default_factory=_now)
    uid: str = field(default_factory=_new_uid)

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise InvalidRecordError(f"status must be one of {', '.join(STATUSES)}, not {self.status!r}")
        if not self.surface or len(self.surface) > SURFACE_MAX_CHARS:
            raise InvalidRecordError(f"surface must be 1 to {SURFACE_MAX_CHARS} characters, not {self.surface!r}")
        # A naive datetime would be read as local time by some callers and as
        # UTC by others; refusing it keeps every stored time unambiguous.
        if self.time.tzinfo is None or self.time.utcoffset() is None:
            raise InvalidRecordError("time must be timezone-aware (use datetime.now(UTC))")
        if not self.uid:
            raise InvalidRecordError("uid must not be empty")


def format_ts(moment: datetime) -> str:
    """UTC, fixed width, so that text order is time order and range scans use the index."""
    # isoformat() is the fast path (strftime costs more per row than the insert's
    # binding); its "+00:00" suffix is cut and replaced by "Z".
    return moment.astimezone(UTC).isoformat(timespec="microseconds")[:26] + "Z"


def normalize_query(text: str) -> str:
    """The grouping key for "top queries": case and spacing do not make a new question."""
    return " ".join(text.casefold().split())[:QUERY_MAX_CHARS]


def _clip(text: str | None, limit: int) -> str | None:
    return None if text is None else clean_text(str(text)[:limit])


def _text(value: str | None) -> str | None:
    return None if value is None else clean_text(str(value))


def to_row(rec: QueryRecord, *, user_hash: str | None, user_id: int | None) -> Row:
    """The row for `rec`; the caller decides which form of the user id is stored."""
    return (
        clean_text(rec.uid),
        format_ts(rec.time),
        clean_text(rec.surface),
        rec.guild_id,
        rec.channel_id,
        user_hash,
        user_id,
        # Adapters clean user text at the edge; cleaning again here means no caller
        # can hand the writer a string SQLite cannot encode.
        clean_text(rec.query[:QUERY_MAX_CHARS]),
        clean_text(normalize_query(rec.query)),
        _text(rec.place),
        _text(rec.metric),
        _text(rec.period),
        str(rec.status),
        _text(rec.fact_id),
        rec.score,
        rec.latency_ms,
        _clip(rec.error, ERROR_MAX_CHARS),
        None,  # delivered: set by `QueryLog.mark_delivery` once the reply was sent, or not
    )
