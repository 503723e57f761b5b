"""Reading and checking a large store's fact files in several processes.

Parsing the YAML is most of a full load: PyYAML builds a Python event, node and
two marks for every scalar, and that, not libyaml's own parsing (a sixth of the
time), is what costs. No faster parser gives the same values: the Rust and C++
ones measured (yaml-rs, ryaml, rapidyaml) read YAML 1.2, where `yes`, `1_000`,
`010` or `1:30` mean something else than in the YAML 1.1 the curators' files
are read as, and none reports the line of each mapping, which every `file:line`
needs. One fact file does not depend on another, though, so a large store is
split among processes, one per core.

- Below `PARALLEL_MIN_BYTES` of fact files (the committed store is five files of
  ~100 KB), or with one core, the files are read here: starting a process costs
  more than it saves.
- The files are cut into one contiguous share per worker, of about equal size.
  This process reads the first share itself while `python -m bot.store.parallel`
  processes read the others, so only their part of the result is pickled across.
- Workers are fresh interpreters, not forks and not `multiprocessing` children: the
  bot reloads from a thread while its event loop runs, and a forked child would
  inherit locks other threads hold; a `multiprocessing` spawn would import the
  caller's main module again in every worker.
- A worker gets the reader (a module-level function) and its context (for the
  loader: the vocabulary, the sources and the document texts) and its share on
  stdin, reads and checks them with the same function as the serial path, and
  writes each file's result to stdout, in file order. What spans files (duplicate
  ids) is the caller's to check.
- Garbage collection is off in the workers, as it is around the load in the
  parent: everything they build survives until it is sent.
- A worker that cannot start or fails (out of memory, a process limit) is logged,
  and its share is read here instead.
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Generic, TypeVar

log = logging.getLogger(__name__)

_BOT_ROOT = str(Path(__file__).resolve().parents[2])  # the directory that holds the bot package

# ~20,000 facts of the synthetic store's shape; a worker takes ~0.3 s to start.
PARALLEL_MIN_BYTES = 4 * 1024 * 1024
MAX_WORKERS = 8

C = TypeVar("C")
R = TypeVar("R")
FileJob = tuple[Path, str]  # the file, and its name as problems show it


class FileReader(Generic[C, R]):
    """`read(path, display, context)` over files; `read` is a module-level function, so a worker can import it."""

    def __init__(self, read: Callable[[Path, str, C], R], context: C) -> None:
        self.read = read
        self.context = context

    def share(self, files: Sequence[FileJob]) -> list[R]:
        return [self.read(path, display, self.context) for path, display in files]


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _shares(files: Sequence[FileJob], sizes: Sequence[int], n: int) -> list[list[FileJob]]:
    """`files` cut into `n` contiguous runs of about equal total size."""
    total = sum(sizes) or 1
    shares: list[list[FileJob]] = [[] for _ in range(n)]
    done = 0
    for job, size in zip(files, sizes, strict=True):
        shares[min(n - 1, done * n // total)].append(job)
        done += size
    return [share for share in shares if share]


class _Worker(Generic[R]):
    """One `python -m bot.store.parallel` process, fed and drained by a thread while this one works."""

    def __init__(self, reader: FileReader[Any, R], files: list[FileJob]) -> None:
        self.reader, self.files = reader, files
        self.output = b""
        self.error = ""
        payload = pickle.dumps((reader, files), protocol=pickle.HIGHEST_PROTOCOL)
        # the same code as this process: -P keeps the working directory off the path, and the
        # directory this process imported bot from goes first
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, (_BOT_ROOT, os.environ.get("PYTHONPATH")))))
        self.process = subprocess.Popen(
            [sys.executable, "-P", "-m", "bot.store.parallel"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
        )  # fmt: skip
        self.thread = threading.Thread(target=self._talk, args=(payload,), name="store-reader", daemon=True)
        self.thread.start()

    def _talk(self, payload: bytes) -> None:
        out, err = self.process.communicate(payload)
        self.output, self.error = out, err.decode("utf-8", "replace")

    def result(self) -> list[R]:
        self.thread.join()
        if self.process.returncode == 0:
            try:
                results: list[R] = pickle.loads(self.output)
                return results
            except (pickle.UnpicklingError, EOFError, ValueError) as exc:
                self.error = f"unreadable result: {exc}"
        last = self.error.strip().splitlines()[-1:] or [f"exit code {self.process.returncode}"]
        log.warning("a store-reading worker failed (%s); reading its %d files here", last[0], len(self.files))
        return self.reader.share(self.files)


def read_files(
    read: Callable[[Path, str, C], R], files: Sequence[FileJob], context: C, *, workers: int | None = None
) -> list[R]:
    """`read(path, display, context)` of each file, in the order of `files`.

    `workers=None`: one process per core when the files are large enough to gain
    from it; 1: here, one after another; more: that many processes (this one
    included) whatever the size.
    """
    reader = FileReader(read, context)
    sizes = [path.stat().st_size if path.is_file() else 0 for path, _ in files]
    if workers is None:
        workers = min(cores(), MAX_WORKERS) if sum(sizes) >= PARALLEL_MIN_BYTES else 1
    shares = _shares(files, sizes, max(1, min(workers, len(files))))
    if len(shares) <= 1:
        return reader.share(files)
    started: list[_Worker[R]] = []
    try:
        for share in shares[1:]:
            started.append(_Worker(reader, share))
    except OSError as exc:  # no process to be had: read those shares here
        log.warning("cannot start a store-reading worker (%s); reading its files here", exc)
    try:
        results = reader.share(shares[0])
    except BaseException:
        for worker in started:
            worker.process.kill()
        raise
    for worker in started:
        results += worker.result()
    for share in shares[1 + len(started) :]:
        results += reader.share(share)
    return results


def _worker_main() -> int:
    gc.disable()  # everything built here survives until it is sent
    reader, files = pickle.load(sys.stdin.buffer)
    pickle.dump(reader.share(files), sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
    return 0


if __name__ == "__main__":
    raise SystemExit(_worker_main())
