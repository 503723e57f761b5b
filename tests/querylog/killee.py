"""Run by the kill -9 test: record rows forever from several concurrent producers,
printing each uid once `record()` returned True (its row is committed).

    python -m tests.querylog.killee DB
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot.querylog import QueryLog, QueryRecord

PRODUCERS = 4
BURST = 20


async def produce(log: QueryLog, k: int) -> None:
    n = 0
    while True:
        recs = [QueryRecord(surface="console", query=f"kill test {k}-{n + i}", status="answered") for i in range(BURST)]
        n += BURST
        results = await asyncio.gather(*(log.record(r) for r in recs))
        sys.stdout.write("".join(r.uid + "\n" for r, ok in zip(recs, results, strict=True) if ok))
        sys.stdout.flush()


async def main(db: Path) -> None:
    # A long wait so that even on a loaded machine record() returns True and nearly
    # every row is in the printed set the test checks. Several producers keep a
    # commit in flight most of the time, so the kill lands mid-transaction.
    log = await QueryLog.open(db, record_wait=30.0)
    await asyncio.gather(*(produce(log, k) for k in range(PRODUCERS)))


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1])))
