"""kill -9 of a process that is writing: the file stays sound and no committed row is lost."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.querylog.helpers import uids

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ACKED_BEFORE_KILL = 400


def test_kill_9_keeps_the_database_sound_and_every_acknowledged_row(db: Path) -> None:
    db.parent.mkdir(parents=True)
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.querylog.killee", str(db)],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    acknowledged: list[str] = []
    try:
        assert proc.stdout is not None
        while len(acknowledged) < ACKED_BEFORE_KILL:
            line = proc.stdout.readline()
            assert line, f"writer exited early: {proc.wait()} {proc.stderr and proc.stderr.read()}"
            acknowledged.append(line.strip())
        # Let it run on for a moment (its output keeps arriving in the pipe), so
        # the kill lands at an arbitrary point of the stream, not right after a read.
        time.sleep(random.uniform(0.0, 0.05))
        os.kill(proc.pid, signal.SIGKILL)
        rest, _ = proc.communicate()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    acknowledged += [line.strip() for line in rest.splitlines() if line.strip()]
    assert proc.returncode == -signal.SIGKILL

    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()
    stored = set(uids(db))
    missing = [uid for uid in acknowledged if uid not in stored]
    assert missing == [], f"{len(missing)} acknowledged rows lost, e.g. {missing[:3]}"
    assert len(stored) >= len(acknowledged)
