"""`factbot ask --json -` over 2,000 lines piped in: with the query log (rows committed in
groups, each line printed after its row's commit) against the same run with the log off."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINES = 2000


def _once(stdin: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "-"], input=stdin, capture_output=True, text=True,
        env=env, cwd=ROOT, check=False,
    )  # fmt: skip
    if proc.returncode != 0 or proc.stdout.count("\n") != LINES:
        raise RuntimeError(f"ask failed: {proc.stderr.strip().splitlines()[-1:]}")
    return time.perf_counter() - start


def run() -> list[str]:
    from bench.bench_engine import _real_queries

    queries = _real_queries()
    stdin = "".join(queries[i % len(queries)] + "\n" for i in range(LINES))
    with tempfile.TemporaryDirectory(prefix="factbot-bench-ask-") as tmp:
        env = {**os.environ, "FACTBOT_DATA_DIR": tmp, "FACTBOT_LOG_LEVEL": "WARNING"}
        env.pop("FACTBOT_DB", None)
        _once(stdin, env)  # compiles the store snapshot and creates the log, not timed
        best_on = min(_once(stdin, env) for _ in range(3))
        best_off = min(_once(stdin, {**env, "FACTBOT_NO_QUERY_LOG": "1"}) for _ in range(3))
    per_on, per_off = best_on / LINES * 1000, best_off / LINES * 1000
    return [
        f"ask --json -: {LINES} lines piped, best of 3 runs, whole process",
        f"  query log on (group commits)  {best_on:6.2f} s  {per_on:.3f} ms/query",
        f"  query log off (baseline)      {best_off:6.2f} s  {per_off:.3f} ms/query",
        f"  ratio {best_on / best_off:.2f}x (target: within 1.5x)",
    ]


if __name__ == "__main__":
    print("\n".join(run()))
