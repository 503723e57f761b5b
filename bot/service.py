"""The fact service: the current store and its engine, swapped together on reload.

Readers take `service.engine` once per query and use that snapshot to the
end, so a reload in the middle of a query cannot mix two stores.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from bot.query.engine import Engine
from bot.store import Store, StoreError, StorePaths, collect, compiled
from bot.store.problems import Problem

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoreDiff:
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def summary(self, limit: int = 10) -> str:
        def part(label: str, ids: tuple[str, ...]) -> str:
            shown = ", ".join(ids[:limit]) + (f", ... (+{len(ids) - limit})" if len(ids) > limit else "")
            return f"{label} {len(ids)}" + (f": {shown}" if ids else "")

        return "; ".join(
            (part("added", self.added), part("removed", self.removed), part("changed", self.changed))
        )


def diff_stores(old: Store, new: Store) -> StoreDiff:
    # by digest (what each fact says, not where it sits in its file): a large store
    # keeps them in its snapshot, so comparing two needs neither's facts
    before, after = old.digests(), new.digests()
    changed = sorted(i for i in before.keys() & after.keys() if before[i] != after[i])
    added, removed = sorted(after.keys() - before.keys()), sorted(before.keys() - after.keys())
    return StoreDiff(tuple(added), tuple(removed), tuple(changed))


@dataclass(frozen=True)
class ReloadResult:
    ok: bool
    diff: StoreDiff | None = None
    problems: tuple[Problem, ...] = ()
    # the other processes' results, one line each, when the reload was broadcast
    peers: tuple[str, ...] = ()

    def summary(self) -> str:
        return self._own() + ("\nOther processes:\n" + "\n".join(self.peers) if self.peers else "")

    def _own(self) -> str:
        if self.ok and self.diff is not None:
            return "Reloaded the fact store: " + ("no changes" if self.diff.empty else self.diff.summary())
        shown = "\n".join(str(p) for p in self.problems[:15])
        more = f"\n... and {len(self.problems) - 15} more" if len(self.problems) > 15 else ""
        return f"Reload refused, the old store keeps serving. {len(self.problems)} problem(s):\n{shown}{more}"


def load_compiled(paths: StorePaths) -> tuple[Store | None, list[Problem]]:
    """The checked store, from the compiled snapshot when the files are unchanged."""
    # `collect` looked up here at call time: the full load and check, when the snapshot misses
    result = compiled.load(paths, paths.cache_dir, full_load=collect)
    facts = len(result.store.facts) if result.store else 0
    log.debug("fact store: %d facts (compiled snapshot: %s)", facts, result.outcome)
    return result.store, result.problems


class FactService:
    def __init__(self, paths: StorePaths, engine: Engine) -> None:
        self.paths = paths
        self._engine = engine
        self._lock = threading.Lock()  # one reload at a time; readers never wait
        self.loaded_at = time.time()  # Unix time of the last successful load or reload (for metrics)

    @classmethod
    def load(cls, paths: StorePaths) -> FactService:
        store, problems = load_compiled(paths)
        if store is None:
            raise StoreError(problems)
        return cls(paths, Engine(store))

    @property
    def engine(self) -> Engine:
        return self._engine

    @property
    def store(self) -> Store:
        return self._engine.store

    def reload(self, *, force: bool = False) -> ReloadResult:
        """Load and check the whole store; swap only if it is clean.

        Blocking: callers on an event loop run it in a thread. A store that loads but
        has no facts while the serving one has some is refused unless `force`: an
        emptied directory or a botched checkout should not silence the bot.
        """
        with self._lock:
            try:
                store, problems = load_compiled(self.paths)
                if store is None:
                    return ReloadResult(ok=False, problems=tuple(problems))
                if not store.facts and self.store.facts and not force:
                    return ReloadResult(ok=False, problems=(Problem(str(self.paths.facts_dir), 0, EMPTY_RELOAD),))
                engine = Engine(store)
            except (MemoryError, RecursionError) as exc:
                # the limits in bot.store.yamlio should make this unreachable; if not, the
                # old store keeps serving and the admin hears why
                where = str(self.paths.facts_dir)
                return ReloadResult(ok=False, problems=(Problem(where, 0, f"loading ran out of {_resource(exc)}"),))
            old, self._engine = self._engine, engine
            self.loaded_at = time.time()
            return ReloadResult(ok=True, diff=diff_stores(old.store, store))


EMPTY_RELOAD = (
    "the new store has no facts at all, and the one serving has some; nothing was changed. "
    "If that is what you want, reload with force (`!reload force`, `/reload force:True`)"
)


def _resource(exc: BaseException) -> str:
    return "memory" if isinstance(exc, MemoryError) else "stack (nested too deep)"
