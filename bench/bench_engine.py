"""Engine latency, load-and-check time and memory, for the real store and synthetic ones.

Each store size runs in its own process so that its resident memory is its own.
The baseline is the naive approach: rapidfuzz `token_set_ratio` of the query
against every sentence of the seed documents.
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process, utils

ROOT = Path(__file__).resolve().parent.parent


def _percentiles(samples_ms: list[float]) -> tuple[float, float]:
    ordered = sorted(samples_ms)
    p50 = statistics.median(ordered)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return p50, p99


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _time_queries(ask: Any, queries: list[str], rounds: int) -> list[float]:
    for q in queries[:20]:
        ask(q)  # warm up
    samples = []
    for _ in range(rounds):
        for q in queries:
            start = time.perf_counter()
            ask(q)
            samples.append((time.perf_counter() - start) * 1000.0)
    return samples


def measure(facts_dir: Path, queries: list[str], rounds: int, baseline: bool) -> dict[str, Any]:
    from bot.query.engine import Engine
    from bot.store import StorePaths, collect

    paths = StorePaths.beside(facts_dir)
    start = time.perf_counter()
    store, problems = collect(paths)
    load_s = time.perf_counter() - start
    if store is None:
        raise SystemExit(f"store did not load: {problems[:3]}")
    start = time.perf_counter()
    engine = Engine(store)
    index_s = time.perf_counter() - start
    p50, p99 = _percentiles(_time_queries(engine.ask, queries, rounds))
    result: dict[str, Any] = {
        "facts": len(store.facts), "load_check_s": load_s, "index_s": index_s,
        "p50_ms": p50, "p99_ms": p99, "rss_mb": _rss_mb(), "queries": len(queries) * rounds,
    }  # fmt: skip
    if baseline:
        from bot.store.seedtext import sentences

        corpus = [s.text for text in store.documents.values() for s in sentences(text)]
        corpus += [line for text in store.documents.values() for line in text.splitlines() if line.strip()]

        def naive(query: str) -> object:
            return process.extractOne(query, corpus, scorer=fuzz.token_set_ratio, processor=utils.default_process)

        b50, b99 = _percentiles(_time_queries(naive, queries, rounds))
        result.update(baseline_p50_ms=b50, baseline_p99_ms=b99, baseline_sentences=len(corpus))
        # a second baseline: BM25 retrieval of the best sentence (bm25s, a sparse-matrix index)
        import bm25s

        retriever = bm25s.BM25()
        retriever.index(bm25s.tokenize(corpus, stopwords="en", show_progress=False), show_progress=False)

        def bm25(query: str) -> object:
            tokens = bm25s.tokenize([query], stopwords="en", show_progress=False)
            return retriever.retrieve(tokens, k=1, show_progress=False)

        m50, m99 = _percentiles(_time_queries(bm25, queries, rounds))
        result.update(bm25_p50_ms=m50, bm25_p99_ms=m99)
    return result


def _real_queries() -> list[str]:
    """The dev split's questions, read as data (benchmarks never import the tests)."""
    import yaml

    queries: list[str] = []
    for path in sorted((ROOT / "tests" / "eval" / "dev").glob("*.yaml")):
        queries += [str(item["query"]) for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []]
    return queries


def child(kind: str, size: int) -> None:
    if kind == "real":
        result = measure(ROOT / "facts", _real_queries(), rounds=20, baseline=True)
    else:
        from bot.store.synthetic import write_store

        with tempfile.TemporaryDirectory(prefix="factbot-bench-") as tmp:
            facts_dir, queries = write_store(Path(tmp), size)
            result = measure(facts_dir, queries, rounds=max(1, 2000 // len(queries)), baseline=False)
    print(json.dumps(result))


def run(sizes: tuple[int, ...] = (10_000, 100_000, 1_000_000)) -> list[str]:
    lines = ["engine: latency per query, load-and-check, resident memory (each store in its own process)"]
    jobs = [("real", 0), *(("synthetic", n) for n in sizes)]
    for kind, size in jobs:
        out = subprocess.run(
            [sys.executable, "-m", "bench.bench_engine", kind, str(size)],
            cwd=ROOT, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if out.returncode != 0:
            lines.append(f"  {kind} {size}: FAILED {out.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(out.stdout.strip().splitlines()[-1])
        label = "real store" if kind == "real" else f"synthetic {r['facts']:>9,}"
        lines.append(
            f"  {label:<20} facts={r['facts']:>9,}  p50={r['p50_ms']:.3f} ms  p99={r['p99_ms']:.3f} ms  "
            f"load+check={r['load_check_s']:.3f} s  index={r['index_s']:.3f} s  rss={r['rss_mb']:.0f} MB"
        )
        if "baseline_p50_ms" in r:
            lines.append(
                f"  {'naive baseline':<20} sentences={r['baseline_sentences']:>5}  p50={r['baseline_p50_ms']:.3f} ms  "
                f"p99={r['baseline_p99_ms']:.3f} ms  (engine p50 is {r['baseline_p50_ms'] / r['p50_ms']:.1f}x "
                f"faster, p99 {r['baseline_p99_ms'] / r['p99_ms']:.1f}x)"
            )
        if "bm25_p50_ms" in r:
            lines.append(
                f"  {'BM25 baseline':<20} sentences={r['baseline_sentences']:>5}  p50={r['bm25_p50_ms']:.3f} ms  "
                f"p99={r['bm25_p99_ms']:.3f} ms  (engine/BM25 p50 ratio {r['p50_ms'] / r['bm25_p50_ms']:.1f}, "
                f"p99 {r['p99_ms'] / r['bm25_p99_ms']:.1f}; BM25 retrieves a sentence, it reads no period or place)"
            )
    return lines


if __name__ == "__main__":
    if len(sys.argv) == 3:
        child(sys.argv[1], int(sys.argv[2]))
    else:
        print("\n".join(run()))
