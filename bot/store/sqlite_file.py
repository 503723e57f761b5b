"""The compiled snapshot's file: a checked store in one SQLite database.

Written once, to a temporary file that is renamed into place, and never changed
after: readers open it read-only and immutable (no locks, no change checks), and
a reader of a replaced snapshot keeps reading the file it opened.

Tables:

- `meta`: format, factbot version, the inputs' content hash, the fact count, and
  the pickled vocabulary, sources and summaries (`Store.metric_units`,
  `quote_words`, `doc_counts`): what the engine needs at start, a few hundred KB
  even at a million facts.
- `periods`: each distinct period once; facts refer to it by number, and a
  reader builds each `Period` once.
- `meta` also holds the pairs: each (place, metric) in the order of
  `by_place_metric`, with its first row and the number of its facts (pickled: a
  hundred thousand pairs unpickle in a fifth of the time SQLite rows take). The
  facts table is clustered by pair (rows in pair order, a pair's facts by period
  start), so one pair is one range of row numbers: a fetch is a range scan of the
  table itself, with no index.
- `facts`: one row per fact, with `seq` its place in load order and `digest`
  its `fact_digest`; indexed by seq, id, (doc, seq), (place, seq), (metric, seq).
- `documents`: the seed documents' texts, in load order.
"""

from __future__ import annotations

import json
import os
import pickle
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.store.model import Change, Fact, Source, Vocabulary
from bot.store.periods import Month, Period, PeriodKind
from bot.store.snapshot import Store, fact_digest

FORMAT = 3
HEADER = b"SQLite format 3\x00"

# The columns a Fact is built from, in `RowReader.fact`'s order.
FACT_COLUMNS = (
    "id, place, metric, pid, value, unit, figure, quote, doc, qualifier, "
    "change_kind, change_figure, change_value, change_base, equivalent, note, file, line, tags"
)

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE periods (pid INTEGER PRIMARY KEY, text TEXT NOT NULL, kind TEXT NOT NULL,
                      start_year INTEGER NOT NULL, start_month INTEGER NOT NULL,
                      end_year INTEGER NOT NULL, end_month INTEGER NOT NULL);
CREATE TABLE facts (row INTEGER PRIMARY KEY, seq INTEGER NOT NULL, id TEXT NOT NULL,
                    place TEXT NOT NULL, metric TEXT NOT NULL, pid INTEGER NOT NULL, value REAL NOT NULL,
                    unit TEXT NOT NULL, figure TEXT NOT NULL, quote TEXT NOT NULL, doc TEXT NOT NULL,
                    qualifier TEXT, change_kind TEXT, change_figure TEXT, change_value REAL, change_base TEXT,
                    equivalent TEXT, note TEXT, file TEXT NOT NULL, line INTEGER NOT NULL, tags TEXT,
                    digest BLOB NOT NULL);
CREATE TABLE documents (ord INTEGER PRIMARY KEY, name TEXT NOT NULL, text TEXT NOT NULL);
"""
INDEXES = """
CREATE UNIQUE INDEX facts_seq ON facts (seq);
CREATE UNIQUE INDEX facts_id ON facts (id);
CREATE INDEX facts_doc ON facts (doc, seq);
CREATE INDEX facts_place ON facts (place, seq);
CREATE INDEX facts_metric ON facts (metric, seq);
"""


class SnapshotUnreadable(Exception):
    """Not a snapshot this factbot can read: damaged, truncated, or not SQLite at all."""


@dataclass(frozen=True)
class Summary:
    """What the engine and the adapters need about all facts, kept so a lazy store need not read them."""

    metric_units: dict[str, frozenset[str]]
    quote_words: frozenset[str]
    doc_counts: dict[str, int]
    speaker_names: frozenset[str]


@dataclass(frozen=True)
class Meta:
    format: int
    version: str
    content_hash: str
    fact_count: int


def _period_row(pid: int, period: Period) -> tuple[Any, ...]:
    return (pid, period.text, period.kind.value, period.start.year, period.start.month,
            period.end.year, period.end.month)  # fmt: skip


def _fact_row(row: int, seq: int, pid: int, fact: Fact) -> tuple[Any, ...]:
    change = fact.change
    return (
        row, seq, fact.id, fact.place, fact.metric, pid, fact.value, fact.unit, fact.figure, fact.quote, fact.doc,
        fact.qualifier, change.kind if change else None, change.figure if change else None,
        change.value if change else None, change.base if change else None, fact.equivalent, fact.note,
        fact.file, fact.line, json.dumps(list(fact.tags)) if fact.tags else None, fact_digest(fact),
    )  # fmt: skip


def write(path: Path, store: Store, *, version: str, content_hash: str) -> None:
    """`store` as a new database at `path` (an empty or missing file)."""
    con = sqlite3.connect(path)
    try:
        # a half-written file is never renamed into place, so it needs no journal
        con.execute("PRAGMA journal_mode = OFF")
        con.execute("PRAGMA synchronous = OFF")
        # room to sort the indexes in memory rather than through temporary files
        con.execute("PRAGMA cache_size = -262144")
        con.execute("PRAGMA temp_store = MEMORY")
        con.executescript(SCHEMA)
        periods: dict[Period, int] = {}
        seq = {fact.id: i for i, fact in enumerate(store.facts)}
        pair_rows: list[tuple[Any, ...]] = []
        fact_rows: list[tuple[Any, ...]] = []
        for ordinal, ((place, metric), facts) in enumerate(store.by_place_metric.items()):
            pair_rows.append((ordinal, place, metric, len(fact_rows) + 1, len(facts)))
            for fact in facts:
                pid = periods.setdefault(fact.period, len(periods))
                fact_rows.append(_fact_row(len(fact_rows) + 1, seq[fact.id], pid, fact))
        con.executemany("INSERT INTO facts VALUES (" + ", ".join("?" * 22) + ")", fact_rows)
        del fact_rows
        period_rows = [_period_row(i, p) for p, i in periods.items()]
        con.executemany("INSERT INTO periods VALUES (?, ?, ?, ?, ?, ?, ?)", period_rows)
        documents = [(i, name, text) for i, (name, text) in enumerate(store.documents.items())]
        con.executemany("INSERT INTO documents VALUES (?, ?, ?)", documents)
        summary = Summary(dict(store.metric_units), store.quote_words, dict(store.doc_counts), store.speaker_names)
        meta: dict[str, Any] = {
            "format": FORMAT, "version": version, "content_hash": content_hash, "fact_count": len(store.facts),
            "vocabulary": _pickle(store.vocabulary), "sources": _pickle(dict(store.sources)),
            "summary": _pickle(summary), "pairs": _pickle(pair_rows),
        }  # fmt: skip
        con.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        con.executescript(INDEXES)
        con.commit()
    finally:
        con.close()
    with path.open("rb") as f:  # on disk before the rename makes it the snapshot
        os.fsync(f.fileno())


def _pickle(value: object) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def connect(path: Path) -> sqlite3.Connection:
    """A read-only, immutable connection to the snapshot at `path`; raises FileNotFoundError or SnapshotUnreadable."""
    with path.open("rb") as f:  # FileNotFoundError passes through: no snapshot yet
        header = f.read(len(HEADER))
        size = os.fstat(f.fileno()).st_size
    if header != HEADER:
        raise SnapshotUnreadable("not an SQLite database")
    # one connection, shared by the threads that answer (LazyStore serialises its use)
    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)
    try:
        pages, page_size = (con.execute(f"PRAGMA {p}").fetchone()[0] for p in ("page_count", "page_size"))
        if pages * page_size > size:
            raise SnapshotUnreadable(f"truncated: {size:,} bytes of {pages * page_size:,}")
    except (sqlite3.Error, SnapshotUnreadable):
        con.close()
        raise
    return con


def read_meta(con: sqlite3.Connection) -> Meta:
    keys = ("format", "version", "content_hash", "fact_count")
    values = dict(con.execute(f"SELECT key, value FROM meta WHERE key IN ({', '.join('?' * len(keys))})", keys))
    return Meta(int(values["format"]), str(values["version"]), str(values["content_hash"]), int(values["fact_count"]))


def read_blob(con: sqlite3.Connection, key: str) -> Any:
    row = con.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    if row is None:
        raise SnapshotUnreadable(f"no {key} in the snapshot")
    return pickle.loads(row[0])


def read_parts(con: sqlite3.Connection) -> tuple[Vocabulary, dict[str, Source], Summary]:
    return read_blob(con, "vocabulary"), read_blob(con, "sources"), read_blob(con, "summary")


def read_pairs(con: sqlite3.Connection) -> dict[tuple[str, str], tuple[int, int]]:
    """(place, metric) -> (first row, facts), in the order of `by_place_metric`."""
    return {(place, metric): (first, count) for _, place, metric, first, count in read_blob(con, "pairs")}


# Fact has no __post_init__ and no __slots__; tests/store/test_lazy.py compares every field with the full load's
_new_fact = object.__new__


class RowReader:
    """Facts from rows of FACT_COLUMNS, each distinct period built once."""

    def __init__(self, con: sqlite3.Connection) -> None:
        self.periods: dict[int, Period] = {
            pid: Period(text, PeriodKind(kind), Month(sy, sm), Month(ey, em))
            for pid, text, kind, sy, sm, ey, em in con.execute("SELECT * FROM periods")
        }

    def fact(self, row: Sequence[Any]) -> Fact:
        (fact_id, place, metric, pid, value, unit, figure, quote, doc, qualifier,
         change_kind, change_figure, change_value, change_base, equivalent, note, file, line, tags) = row  # fmt: skip
        fact: Fact = _new_fact(Fact)
        # the fields set directly, as unpickling does: a frozen dataclass's __init__ pays an
        # object.__setattr__ per field, and a fetch builds every fact of a (place, metric)
        fact.__dict__.update(
            id=fact_id, place=place, metric=metric, period=self.periods[pid], value=value, unit=unit, figure=figure,
            quote=quote, doc=doc, qualifier=qualifier,
            change=Change(change_kind, change_figure, change_value, change_base) if change_kind is not None else None,
            equivalent=equivalent, note=note, file=file, line=line, tags=tuple(json.loads(tags)) if tags else (),
        )  # fmt: skip
        return fact

    def facts(self, rows: Iterable[Sequence[Any]]) -> tuple[Fact, ...]:
        return tuple(self.fact(row) for row in rows)


def all_facts(con: sqlite3.Connection, reader: RowReader) -> Iterator[Fact]:
    """Every fact in load order."""
    for row in con.execute(f"SELECT {FACT_COLUMNS} FROM facts ORDER BY seq"):
        yield reader.fact(row)


def documents(con: sqlite3.Connection) -> dict[str, str]:
    return dict(con.execute("SELECT name, text FROM documents ORDER BY ord"))
