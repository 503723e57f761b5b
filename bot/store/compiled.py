"""The compiled snapshot: a checked store saved beside the data, so a restart or a reload
of unchanged files skips parsing and checking, and a large store starts in a second.

The YAML files stay the human-edited source. The snapshot is keyed by its inputs:
every file of the facts directory (the vocabulary, its lexicon and the fact files),
the shipped lexicon when the store has none of its own, and every file of the seeds
directory (sources.yaml and the documents the quotes are checked against).

- The stat key (name, size, mtime of each input), kept in a small file beside the
  snapshot, is checked first; when it matches the snapshot is used without
  reading the inputs.
- When it does not, the inputs' content hash (SHA-256) decides: a file touched but
  not changed is still a hit (and the stat key is rewritten); anything else is a
  miss.
- A miss, or a snapshot that is unreadable (damaged, truncated, not SQLite), of
  another format or of another factbot version, falls back to the full load and
  check (`collect`), and a store that passes is written as the new snapshot
  (atomically: a temporary file, then a rename; mode 0600 like everything in the
  data dir). A store with problems is never compiled.

The snapshot is an SQLite database (`bot.store.sqlite_file`), never changed once
renamed into place. A store of fewer than `LAZY_MIN_FACTS` facts (the committed
store has a few hundred) is read whole into an `EagerStore`, exactly the store the
full load builds. A larger one is served lazily (`bot.store.lazy.LazyStore`):
building a million Fact objects takes seconds, and the engine needs only the
vocabulary, the pairs and the summaries to start. A reload that swaps stores keeps
the old store's connection on the file it opened, even after a rebuild replaced
that file.

Garbage collection is paused around the bulk loads (parsing builds millions of
objects that all survive, so every collection pass is wasted work) and the loaded
store is frozen into the permanent generation, so later collections in the
running bot do not walk it again.

The vocabulary and the sources are pickled inside the snapshot: it is read only from
the bot's own data directory (mode 0700 in production), which only the bot writes.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import json
import logging
import os
import pickle
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bot.query.lexicon import LEXICON_FILE
from bot.store import sqlite_file
from bot.store.lazy import LazyStore
from bot.store.loader import StorePaths, _shipped_lexicon, collect
from bot.store.problems import Problem
from bot.store.snapshot import EagerStore, Store

log = logging.getLogger(__name__)

HASH_CHUNK = 1 << 20
# Below this many facts a snapshot is read whole (under half a second); from it on, lazily.
LAZY_MIN_FACTS = 50_000

Outcome = Literal["hit", "hit-touched", "miss", "stale", "corrupt", "off"]
StatKey = tuple[tuple[str, int, int], ...]


@dataclass(frozen=True)
class LoadResult:
    store: Store | None
    problems: list[Problem]
    outcome: Outcome


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No collections during a bulk load; the survivors are frozen afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


@functools.cache
def _version() -> str:
    """The factbot version and a stamp of the code that builds what the snapshot pickles.

    A release changes the version; an edit of a working copy leaves it as it was, and a
    snapshot built by the old code (a lexicon read with the old rules) would be served.
    The stamp (name, size and mtime of each module that loads the store and its lexicon)
    changes with any such edit. It is read once per process.
    """
    from importlib.metadata import PackageNotFoundError, version

    try:
        release = version("factbot")
    except PackageNotFoundError:
        release = "unknown"
    here = Path(__file__).parent
    modules = [*sorted(here.glob("*.py")), here.parent / "query" / "lexicon.py", here.parent / "query" / "text.py"]
    stamp = hashlib.sha256()
    for module in modules:
        st = module.stat()
        stamp.update(f"{module.name}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    return f"{release}+{stamp.hexdigest()[:12]}"


def _files_in(directory: Path) -> list[Path]:
    # scandir's entries know whether they are files without a stat each (a large store has thousands)
    with os.scandir(directory) as entries:
        return [directory / name for name in sorted(e.name for e in entries if e.is_file())]


def input_files(paths: StorePaths) -> list[Path]:
    files = _files_in(paths.facts_dir) if paths.facts_dir.is_dir() else []
    if not (paths.facts_dir / LEXICON_FILE).is_file():
        shipped = _shipped_lexicon()
        if shipped is not None and shipped.is_file():
            files.append(shipped)
    if paths.seeds_dir.is_dir():
        files += _files_in(paths.seeds_dir)
    return files


def stat_key(files: list[Path]) -> StatKey:
    out = []
    resolved: dict[Path, Path] = {}  # each directory resolved once, not once per file in it
    for path in files:
        st = path.stat()
        if path.is_symlink():
            where = path.resolve()
        else:
            parent = resolved.get(path.parent) or resolved.setdefault(path.parent, path.parent.resolve())
            where = parent / path.name
        out.append((str(where), st.st_size, st.st_mtime_ns))
    return tuple(out)


def content_hash(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path.name).encode("utf-8", "surrogateescape") + b"\0")
        with path.open("rb") as f:
            while chunk := f.read(HASH_CHUNK):
                digest.update(chunk)
        digest.update(b"\0")
    return digest.hexdigest()


def snapshot_path(paths: StorePaths, cache_dir: Path) -> Path:
    # one snapshot per store location, so two stores never overwrite each other's
    where = hashlib.sha256(f"{paths.facts_dir.resolve()}\0{paths.seeds_dir.resolve()}".encode()).hexdigest()[:16]
    # a file directly in the data dir (mode 0600 like everything there), not a subdirectory
    return cache_dir / f"store-{where}.db"


def key_path(snapshot: Path) -> Path:
    """The stat key's file: the snapshot itself is never rewritten, so a touched input rewrites only this."""
    return snapshot.with_suffix(".key")


# what reading a damaged snapshot raises
_UNREADABLE = (sqlite3.Error, sqlite_file.SnapshotUnreadable, pickle.UnpicklingError, EOFError, AttributeError,
               ImportError, TypeError, ValueError, KeyError)  # fmt: skip


class _Unusable(Exception):
    def __init__(self, outcome: Outcome) -> None:
        super().__init__(outcome)
        self.outcome = outcome


@dataclass
class _Opened:
    con: sqlite3.Connection
    meta: sqlite_file.Meta

    def store(self) -> Store:
        """The snapshot's store: whole for a small one, lazy for a large one."""
        with gc_paused():
            vocabulary, sources, summary = sqlite_file.read_parts(self.con)
            if self.meta.fact_count >= LAZY_MIN_FACTS:
                return LazyStore(self.con, vocabulary, sources, summary, self.meta.fact_count)
            try:
                reader = sqlite_file.RowReader(self.con)
                facts = tuple(sqlite_file.all_facts(self.con, reader))
                return EagerStore(vocabulary, sources, facts, sqlite_file.documents(self.con))
            finally:
                self.con.close()


def _warn_unreadable(path: Path, exc: BaseException) -> None:
    log.warning("store snapshot %s is unreadable (%s: %s); loading the YAML", path, type(exc).__name__, exc)


def _open(path: Path) -> _Opened | None:
    """The snapshot at `path`, or None when there is none; raises _Unusable for a corrupt or stale one."""
    try:
        con = sqlite_file.connect(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (OSError, *_UNREADABLE) as exc:
        _warn_unreadable(path, exc)
        raise _Unusable("corrupt") from exc
    try:
        meta = sqlite_file.read_meta(con)
    except _UNREADABLE as exc:
        con.close()
        if isinstance(exc, sqlite3.DatabaseError) and "no such table" not in str(exc):
            _warn_unreadable(path, exc)
            raise _Unusable("corrupt") from exc
        raise _Unusable("stale") from exc  # a database, but not one of ours
    if meta.format != sqlite_file.FORMAT or meta.version != _version():
        con.close()
        raise _Unusable("stale")
    return _Opened(con, meta)


def _read_key(path: Path) -> tuple[StatKey, str] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return tuple((str(n), int(s), int(m)) for n, s, m in data["stat_key"]), str(data["content_hash"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _replace_atomically(target: Path, fill: Callable[[Path], object]) -> None:
    """`fill` a temporary file beside `target` (mode 0600), then rename it over `target`."""
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=target.name, suffix=".tmp")
    os.close(fd)
    try:
        fill(Path(tmp))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_key(target: Path, key: StatKey, digest: str) -> None:
    text = json.dumps({"stat_key": key, "content_hash": digest})
    _replace_atomically(key_path(target), lambda tmp: tmp.write_text(text, encoding="utf-8"))


def _compile(target: Path, store: Store, key: StatKey, digest: str) -> Store:
    """Write `store` as the snapshot; the store to serve (a large one is reopened lazily, freeing the eager one)."""
    try:
        _replace_atomically(target, lambda tmp: sqlite_file.write(tmp, store, version=_version(), content_hash=digest))
        _write_key(target, key, digest)
        target.with_suffix(".snapshot").unlink(missing_ok=True)  # the pickle that format 1 wrote
    except (OSError, sqlite3.Error) as exc:  # a read-only or full data dir: serve anyway, only slower next time
        log.warning("cannot write the store snapshot %s (%s); the next start loads the YAML again", target, exc)
        return store
    if len(store.facts) < LAZY_MIN_FACTS:
        return store
    try:
        opened = _open(target)
    except _Unusable:
        opened = None
    return opened.store() if opened is not None else store


FullLoad = Callable[[StorePaths], tuple[Store | None, list[Problem]]]


def load(paths: StorePaths, cache_dir: Path | None, *, full_load: FullLoad | None = None) -> LoadResult:
    """The checked store: from the snapshot when its inputs are unchanged, else the full
    load and check (`full_load`, by default `collect`), then compiled for next time.
    `cache_dir=None`: no snapshot at all."""
    full_load = full_load or collect
    if cache_dir is None:
        with gc_paused():
            store, problems = full_load(paths)
        return LoadResult(store, problems, "off")
    target = snapshot_path(paths, cache_dir)
    files = input_files(paths)
    key = stat_key(files)
    outcome: Outcome = "miss"
    try:
        opened = _open(target)
    except _Unusable as exc:
        opened, outcome = None, exc.outcome
    digest: str | None = None
    if opened is not None:
        hit: Outcome | None = None
        if _read_key(key_path(target)) == (key, opened.meta.content_hash):
            hit = "hit"
        else:
            digest = content_hash(files)
            if opened.meta.content_hash == digest:
                with contextlib.suppress(OSError):  # not rewritten: the next start hashes again
                    _write_key(target, key, digest)
                hit = "hit-touched"
        if hit is not None:
            try:
                return LoadResult(opened.store(), [], hit)
            except _UNREADABLE as exc:  # damaged past its first pages
                _warn_unreadable(target, exc)
                outcome = "corrupt"
        opened.con.close()
    if digest is None:
        # before the load: a file edited while it is read makes the next start a miss, not a false hit
        digest = content_hash(files)
    with gc_paused():
        store, problems = full_load(paths)
        if store is not None:
            store = _compile(target, store, key, digest)
    return LoadResult(store, problems, outcome)
