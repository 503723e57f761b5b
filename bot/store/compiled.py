"""The compiled snapshot: a checked store saved beside the data, so a restart or a reload
of unchanged files skips parsing and checking.

The YAML files stay the human-edited source. The snapshot is keyed by its inputs:
every file of the facts directory (the vocabulary, its lexicon and the fact files),
the shipped lexicon when the store has none of its own, and every file of the seeds
directory (sources.yaml and the documents the quotes are checked against).

- The stat key (name, size, mtime of each input) is checked first; when it matches
  the snapshot is used without reading the inputs.
- When it does not, the inputs' content hash (SHA-256) decides: a file touched but
  not changed is still a hit (and the stat key is refreshed); anything else is a
  miss.
- A miss, or a snapshot that is unreadable, of another format or of another
  factbot version, falls back to the full load and check (`collect`), and a store
  that passes is written as the new snapshot (atomically: a temporary file, then a
  rename). A store with problems is never compiled.

Garbage collection is paused around both bulk loads (parsing builds millions of
objects that all survive, so every collection pass is wasted work) and the loaded
store is frozen into the permanent generation, so later collections in the
running bot do not walk it again.

The snapshot is a pickle: it is read only from the bot's own data directory (mode
0700 in production), which only the bot writes.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import os
import pickle
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bot.query.lexicon import LEXICON_FILE
from bot.store.loader import StorePaths, _shipped_lexicon, collect
from bot.store.problems import Problem
from bot.store.snapshot import Store

log = logging.getLogger(__name__)

# Bumped whenever the pickled classes change shape.
FORMAT = 1
HASH_CHUNK = 1 << 20

Outcome = Literal["hit", "hit-touched", "miss", "stale", "corrupt", "off"]


@dataclass(frozen=True)
class Compiled:
    format: int
    version: str
    stat_key: tuple[tuple[str, int, int], ...]
    content_hash: str
    store: Store


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


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("factbot")
    except PackageNotFoundError:
        return "unknown"


def input_files(paths: StorePaths) -> list[Path]:
    files = sorted(p for p in paths.facts_dir.iterdir() if p.is_file()) if paths.facts_dir.is_dir() else []
    if not (paths.facts_dir / LEXICON_FILE).is_file():
        shipped = _shipped_lexicon()
        if shipped is not None and shipped.is_file():
            files.append(shipped)
    if paths.seeds_dir.is_dir():
        files += sorted(p for p in paths.seeds_dir.iterdir() if p.is_file())
    return files


def stat_key(files: list[Path]) -> tuple[tuple[str, int, int], ...]:
    out = []
    for path in files:
        st = path.stat()
        out.append((str(path.resolve()), st.st_size, st.st_mtime_ns))
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
    return cache_dir / f"store-{where}.snapshot"


def _read(path: Path) -> Compiled | None:
    """The snapshot, or None when it is missing, unreadable or of another format."""
    try:
        with path.open("rb") as f, gc_paused():
            compiled = pickle.load(f)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError) as exc:
        log.warning("store snapshot %s is unreadable (%s: %s); loading the YAML", path, type(exc).__name__, exc)
        raise _Corrupt from exc
    if not isinstance(compiled, Compiled) or compiled.format != FORMAT or compiled.version != _version():
        raise _Stale
    return compiled


class _Corrupt(Exception):
    pass


class _Stale(Exception):
    pass


def _write(path: Path, compiled: Compiled) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump(compiled, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:  # a read-only data dir: serve anyway, only slower next time
        log.warning("cannot write the store snapshot %s (%s); the next start loads the YAML again", path, exc)


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
        compiled = _read(target)
    except _Corrupt:
        compiled, outcome = None, "corrupt"
    except _Stale:
        compiled, outcome = None, "stale"
    digest: str | None = None
    if compiled is not None:
        if compiled.stat_key == key:
            return LoadResult(compiled.store, [], "hit")
        digest = content_hash(files)
        if compiled.content_hash == digest:
            _write(target, Compiled(FORMAT, compiled.version, key, digest, compiled.store))
            return LoadResult(compiled.store, [], "hit-touched")
    if digest is None:
        # before the load: a file edited while it is read makes the next start a miss, not a false hit
        digest = content_hash(files)
    with gc_paused():
        store, problems = full_load(paths)
    if store is not None:
        _write(target, Compiled(FORMAT, _version(), key, digest, store))
    return LoadResult(store, problems, outcome)
