"""A large store served from its compiled SQLite snapshot (see `bot.store.sqlite_file`).

At start it reads what the engine needs to build its index: the vocabulary (and
its lexicon), the sources, the (place, metric) pairs with their fact counts and
the summaries. Facts are built when a question needs them: the facts of one pair
are one range of rows, and the last `PAIR_CACHE` pairs fetched stay in memory, so
an engine that looks at the same pair several times while answering one question
gets the same objects each time.

Every other view (`facts`, `by_id`, `by_doc`, `documents`, `facts_for` of a place
or a metric alone) reads SQLite through an index. They are correct for any
caller; walking all of `facts` means building every fact, which is what callers
avoid by using the store's summaries.

One connection serves every thread, used under a lock: each use is one short
query. The views hold the connection's owner (`_Reader`), never the store, so a
replaced store and its connection are freed by reference counting alone (the
loader freezes what it loads out of the cyclic collector's sight).
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeVar, overload

from bot.store.model import Fact, Source, Vocabulary
from bot.store.periods import Period, PeriodKind
from bot.store.snapshot import Pair, Store
from bot.store.sqlite_file import FACT_COLUMNS, RowReader, Summary, read_pairs

K = TypeVar("K")
V = TypeVar("V")

PAIR_CACHE = 4096
# rows per query when walking all facts in order
BATCH = 2000


class _Reader:
    """The connection, its lock, and the cache of fetched pairs."""

    def __init__(self, con: sqlite3.Connection) -> None:
        self.con = con
        self.lock = threading.Lock()
        self.rows = RowReader(con)
        self.pairs: OrderedDict[int, tuple[Fact, ...]] = OrderedDict()

    def query(self, sql: str, args: tuple[Any, ...] = ()) -> list[Any]:
        with self.lock:
            return self.con.execute(sql, args).fetchall()

    def facts(self, where: str, args: tuple[Any, ...] = ()) -> tuple[Fact, ...]:
        return self.rows.facts(self.query(f"SELECT {FACT_COLUMNS} FROM facts WHERE {where}", args))

    def document(self, name: str) -> str:
        text: str = self.query("SELECT text FROM documents WHERE name = ?", (name,))[0][0]
        return text

    def pair(self, first: int, count: int) -> tuple[Fact, ...]:
        with self.lock:
            cached = self.pairs.get(first)
            if cached is not None:
                self.pairs.move_to_end(first)
                return cached
            rows = self.con.execute(
                f"SELECT {FACT_COLUMNS} FROM facts WHERE row BETWEEN ? AND ? ORDER BY row", (first, first + count - 1)
            ).fetchall()
            facts = self.rows.facts(rows)
            self.pairs[first] = facts
            if len(self.pairs) > PAIR_CACHE:
                self.pairs.popitem(last=False)
            return facts


class _Fetched(Mapping[K, V]):
    """Keys known from the start (in order), each value read from SQLite when it is asked for."""

    def __init__(self, keys: Mapping[K, object], fetch: Callable[[K], V]) -> None:
        self._keys, self._fetch = keys, fetch

    def __getitem__(self, key: K) -> V:
        if key not in self._keys:
            raise KeyError(key)
        return self._fetch(key)

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __iter__(self) -> Iterator[K]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


class _ById(Mapping[str, Fact]):
    """Ids are not held in memory: a million of them would cost more than the rest of the start."""

    def __init__(self, reader: _Reader, count: int) -> None:
        self._reader, self._count = reader, count

    def __getitem__(self, key: str) -> Fact:
        found = self._reader.facts("id = ?", (key,))
        if not found:
            raise KeyError(key)
        return found[0]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and bool(self._reader.query("SELECT 1 FROM facts WHERE id = ?", (key,)))

    def __iter__(self) -> Iterator[str]:
        return iter([fact_id for (fact_id,) in self._reader.query("SELECT id FROM facts ORDER BY seq")])

    def __len__(self) -> int:
        return self._count


class _Facts(Sequence[Fact]):
    """All facts in load order, read in batches."""

    def __init__(self, reader: _Reader, count: int) -> None:
        self._reader, self._count = reader, count

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> Fact: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Fact]: ...

    def __getitem__(self, index: int | slice) -> Fact | Sequence[Fact]:
        if isinstance(index, slice):
            start, stop, step = index.indices(self._count)
            if step != 1 or stop <= start:
                return tuple(self[i] for i in range(start, stop, step))
            return self._reader.facts("seq >= ? AND seq < ? ORDER BY seq", (start, stop))
        position = index + self._count if index < 0 else index
        if not 0 <= position < self._count:
            raise IndexError(index)
        return self._reader.facts("seq = ?", (position,))[0]

    def __iter__(self) -> Iterator[Fact]:
        for start in range(0, self._count, BATCH):
            yield from self._reader.facts("seq >= ? AND seq < ? ORDER BY seq", (start, start + BATCH))


class LazyStore(Store):
    def __init__(
        self, con: sqlite3.Connection, vocabulary: Vocabulary, sources: dict[str, Source], summary: Summary,
        fact_count: int,
    ) -> None:  # fmt: skip
        reader = _Reader(con)
        self._reader = reader
        self.vocabulary = vocabulary
        self.sources = sources
        ranges = read_pairs(con)
        names = [name for (name,) in con.execute("SELECT name FROM documents ORDER BY ord")]
        self._pair_counts = {key: count for key, (_, count) in ranges.items()}
        self._summary = summary
        self._period_counts: dict[tuple[frozenset[PeriodKind], frozenset[str]], dict[Pair, int]] = {}
        self.facts = _Facts(reader, fact_count)
        self.by_id = _ById(reader, fact_count)
        self.by_place_metric = _Fetched(ranges, lambda key: reader.pair(*ranges[key]))
        self.by_doc = _Fetched(summary.doc_counts, lambda doc: reader.facts("doc = ? ORDER BY seq", (doc,)))
        self.documents = _Fetched(dict.fromkeys(names), reader.document)

    @property
    def pair_counts(self) -> Mapping[tuple[str, str], int]:
        return self._pair_counts

    @property
    def doc_counts(self) -> Mapping[str, int]:
        return self._summary.doc_counts

    @property
    def metric_units(self) -> Mapping[str, frozenset[str]]:
        return self._summary.metric_units

    @property
    def quote_words(self) -> frozenset[str]:
        return self._summary.quote_words

    @property
    def speaker_names(self) -> frozenset[str]:
        return self._summary.speaker_names

    def facts_for(self, place: str | None = None, metric: str | None = None) -> Iterable[Fact]:
        if place is not None and metric is not None:
            return self.by_place_metric.get((place, metric), ())
        if place is not None:
            return self._reader.facts("place = ? ORDER BY seq", (place,))
        if metric is not None:
            return self._reader.facts("metric = ? ORDER BY seq", (metric,))
        return iter(self.facts)

    def periods(self, place: str | None = None, metric: str | None = None) -> set[Period]:
        if place is not None and metric is not None:
            return {f.period for f in self.by_place_metric.get((place, metric), ())}
        periods = self._reader.rows.periods
        if place is None and metric is None:
            return set(periods.values())
        column, value = ("place", place) if place is not None else ("metric", metric)
        rows = self._reader.query(f"SELECT DISTINCT pid FROM facts WHERE {column} = ?", (value,))
        return {periods[pid] for (pid,) in rows}

    def period_counts(self, skip_kinds: frozenset[PeriodKind], skip_units: frozenset[str]) -> Mapping[Pair, int]:
        # one pass over the table, then kept: the store never changes, and autocomplete asks on every keystroke
        asked = (skip_kinds, skip_units)
        if asked not in self._period_counts:
            kinds, units = sorted(k.value for k in skip_kinds), sorted(skip_units)
            rows = self._reader.query(
                "SELECT place, metric, COUNT(DISTINCT CASE WHEN periods.kind NOT IN "
                f"({', '.join('?' * len(kinds))}) AND facts.unit NOT IN ({', '.join('?' * len(units))}) "
                "THEN facts.pid END) FROM facts JOIN periods ON periods.pid = facts.pid GROUP BY place, metric",
                (*kinds, *units),
            )
            found = {(place, metric): n for place, metric, n in rows}
            self._period_counts[asked] = {key: found[key] for key in self._pair_counts}
        return self._period_counts[asked]

    def digests(self) -> Mapping[str, bytes]:
        return dict(self._reader.query("SELECT id, digest FROM facts"))
