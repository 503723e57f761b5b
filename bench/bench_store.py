"""The store at scale: the compiled snapshot against the full YAML load, in the same run.

Per store (the real one, and synthetic stores of 100k and 1M facts), each figure in a
fresh process so that every load is cold for Python (the OS page cache is warm for all
of them alike):

- `full (GC on)`: `collect()` as the loader ran before this issue, the baseline;
- `full (GC paused)`: the same load and check with garbage collection paused;
- `snapshot hit`: `compiled.load` from the snapshot the previous step left, plus
  building the engine: the time until the first question can be answered;
- then engine p50/p99 on the store loaded from the snapshot.

At 1M facts the GC-on baseline takes about five minutes on 2 cores, so it runs only
with FACTBOT_BENCH_FULL=1; the 100k store gives the ratio in every run. The synthetic
stores are generated once into `.bench-cache/` (about 800 MB with their snapshots) and reused.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.bench_engine import _percentiles, _real_queries, _rss_mb, _time_queries

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".bench-cache"


def _store(kind: str, size: int) -> tuple[Path, Path, list[str]]:
    if kind == "real":
        return ROOT / "facts", ROOT / "seeds", _real_queries()
    from bench.synthetic import write_store

    root = CACHE / f"synthetic-{size}"
    marker = root / "queries.json"
    if not marker.is_file():
        shutil.rmtree(root, ignore_errors=True)
        _, made = write_store(root, size)
        marker.write_text(json.dumps(made), encoding="utf-8")
    return root / "facts", root / "seeds", json.loads(marker.read_text(encoding="utf-8"))


def child(mode: str, kind: str, size: int) -> dict[str, Any]:
    from bot.query.engine import Engine
    from bot.store import StorePaths, collect, compiled

    facts, seeds, queries = _store(kind, size)
    cache = CACHE / f"snapshot-{kind}-{size}"
    paths = StorePaths(facts, seeds, cache_dir=cache)
    start = time.perf_counter()
    if mode == "full-gc-on":
        store, problems = collect(paths)
        outcome = "off"
    elif mode == "full-gc-paused":
        result = compiled.load(paths, None)
        store, problems, outcome = result.store, result.problems, result.outcome
    elif mode == "build":
        shutil.rmtree(cache, ignore_errors=True)
        result = compiled.load(paths, cache)
        store, problems, outcome = result.store, result.problems, result.outcome
    else:  # hit
        result = compiled.load(paths, cache)
        store, problems, outcome = result.store, result.problems, result.outcome
    load_s = time.perf_counter() - start
    if store is None:
        raise SystemExit(f"store did not load: {problems[:3]}")
    start = time.perf_counter()
    gc.disable()
    engine = Engine(store)
    gc.enable()
    ready_s = load_s + time.perf_counter() - start
    out: dict[str, Any] = {"facts": len(store.facts), "load_s": load_s, "ready_s": ready_s, "outcome": outcome}
    if mode == "hit":
        samples = _time_queries(engine.ask, queries, rounds=max(1, 2000 // max(1, len(queries))))
        out["p50_ms"], out["p99_ms"] = _percentiles(samples)
        out["rss_mb"] = _rss_mb()
    return out


def _run_child(mode: str, kind: str, size: int) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-m", "bench.bench_store", mode, kind, str(size)],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if proc.returncode != 0:
        raise RuntimeError(f"{mode} {kind} {size}: {proc.stderr.strip().splitlines()[-1:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def run(sizes: tuple[int, ...] = (100_000, 1_000_000)) -> list[str]:
    lines = ["store: full YAML load and check vs the compiled snapshot (each figure a fresh process)"]
    full_at_1m = os.environ.get("FACTBOT_BENCH_FULL") == "1"
    for kind, size in [("real", 0), *(("synthetic", n) for n in sizes)]:
        label = "real store" if kind == "real" else f"synthetic {size:,}"
        gc_on = _run_child("full-gc-on", kind, size) if (size < 1_000_000 or full_at_1m) else None
        paused = _run_child("full-gc-paused", kind, size)
        build = _run_child("build", kind, size)
        hit = _run_child("hit", kind, size)
        if gc_on is not None:
            lines.append(f"  {label:<18} full load+check, GC on (baseline)   {gc_on['load_s']:8.3f} s")
            ratio = f"  ({gc_on['load_s'] / paused['load_s']:.1f}x faster than GC on)"
        else:
            ratio = "  (GC-on baseline skipped at 1M: FACTBOT_BENCH_FULL=1 runs it, ~5 min)"
        lines.append(f"  {label:<18} full load+check, GC paused          {paused['load_s']:8.3f} s{ratio}")
        lines.append(f"  {label:<18} full load+check + write snapshot     {build['load_s']:8.3f} s")
        lines.append(
            f"  {label:<18} snapshot hit ({hit['outcome']}): ready to answer {hit['ready_s']:8.3f} s"
            f"  ({paused['load_s'] / hit['ready_s']:.1f}x faster than the full load in this run)"
        )
        lines.append(
            f"  {label:<18} engine on the snapshot: p50={hit['p50_ms']:.3f} ms  p99={hit['p99_ms']:.3f} ms  "
            f"rss={hit['rss_mb']:.0f} MB"
        )
    return lines


if __name__ == "__main__":
    if len(sys.argv) == 4:
        print(json.dumps(child(sys.argv[1], sys.argv[2], int(sys.argv[3]))))
    else:
        print("\n".join(run()))
