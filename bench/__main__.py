"""`make bench`: every benchmark, each printing its figures and its baseline from the same run."""

from __future__ import annotations

import importlib
import sys
import time

BENCHMARKS = (
    "bench.bench_engine",
    "bench.bench_store",
    "bench.bench_ask",
    "bench.bench_querylog",
    "bench.bench_querylog_pg",
    "bench.bench_roundtrip",
)


def main(names: list[str]) -> int:
    failed = 0
    for name in names or BENCHMARKS:
        start = time.perf_counter()
        print(f"== {name}", flush=True)
        try:
            module = importlib.import_module(name)
            lines = module.run()
        except Exception as exc:  # one broken benchmark should not hide the others
            print(f"  FAILED: {exc!r}", flush=True)
            failed += 1
            continue
        for line in lines:
            print(line, flush=True)
        print(f"  ({time.perf_counter() - start:.1f} s)", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
