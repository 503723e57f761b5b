"""A real PostgreSQL server for the tests, started and stopped within the test session.

Debian's server binaries live in /usr/lib/postgresql/<major>/bin (not on PATH). The
server refuses to run as root, and CI runs as root: then the data directory is made
for the `postgres` system user and every server command runs as that user (runuser).
It listens on 127.0.0.1 on a free port and on a unix socket in its own directory,
with trust authentication (only this machine can reach it), fsync off (tests need no
power-cut durability; a killed server still keeps every committed row, which is what
the kill test proves).

When no server can be had, `find_server_bin()` says why, and the fixtures skip with
that reason, unless FACTBOT_REQUIRE_POSTGRES=1 (CI sets it): then they fail.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

REQUIRE_ENV = "FACTBOT_REQUIRE_POSTGRES"
SUPERUSER = "postgres"


def find_server_bin() -> tuple[Path | None, str]:
    """The directory holding initdb and pg_ctl, or None and why not."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    found = shutil.which("initdb")
    if found:
        candidates.append(found)
    for initdb in candidates:
        bindir = Path(initdb).parent
        if (bindir / "pg_ctl").exists() and (bindir / "postgres").exists():
            if os.getuid() == 0:
                try:
                    pwd.getpwnam(SUPERUSER)
                except KeyError:
                    return None, "running as root and there is no 'postgres' system user to run the server as"
                if not shutil.which("runuser"):
                    return None, "running as root and runuser is missing"
            return bindir, ""
    return None, "PostgreSQL server binaries not found (apt-get install postgresql; .ci/run does it)"


def skip_or_fail(reason: str) -> None:
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"PostgreSQL is required here ({REQUIRE_ENV}=1) but: {reason}")
    pytest.skip(reason)


def _children_of(pid: int) -> list[int]:
    """The direct children of `pid`, from /proc (no procps needed on a bare machine)."""
    found = []
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            # "pid (comm) state ppid ...": comm may hold spaces, so split after the last ')'
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found.append(int(stat_file.parent.name))
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PgServer:
    """One server cluster in a temporary directory."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.port = _free_port()
        # Not under pytest's tmp_path: that is mode 0700 and owned by root, which the
        # postgres user could not enter.
        self.root = Path(tempfile.mkdtemp(prefix="factbot-pg-"))
        self.data = self.root / "data"
        self.socket_dir = self.root / "sock"
        self.logfile = self.root / "server.log"
        self._as_other_user = os.getuid() == 0
        self._db_counter = 0

    def _cmd(self, *args: str) -> list[str]:
        return ["runuser", "-u", SUPERUSER, "--", *args] if self._as_other_user else list(args)

    def _run(self, *args: str, timeout: float = 60, detach: bool = False) -> None:
        if detach:
            # The server inherits pg_ctl's stdout and stderr: a pipe there would never
            # reach EOF and the call would never return. Its output goes to the log file.
            proc = subprocess.run(
                self._cmd(*args), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                timeout=timeout,
            )  # fmt: skip
            if proc.returncode != 0:
                log = self.logfile.read_text(errors="replace")[-2000:] if self.logfile.exists() else ""
                raise RuntimeError(f"{' '.join(args)} failed ({proc.returncode}): {log}")
            return
        proc = subprocess.run(self._cmd(*args), capture_output=True, text=True, timeout=timeout)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed ({proc.returncode}): {proc.stderr.strip() or proc.stdout}")

    def init(self) -> None:
        self.socket_dir.mkdir()
        if self._as_other_user:
            user = pwd.getpwnam(SUPERUSER)
            for path in (self.root, self.socket_dir):
                os.chown(path, user.pw_uid, user.pw_gid)
            self.root.chmod(0o755)
        self._run(
            str(self.bindir / "initdb"), "-D", str(self.data), "-U", SUPERUSER, "-A", "trust",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip

    def start(self) -> None:
        options = (
            f"-h 127.0.0.1 -p {self.port} -k {self.socket_dir} -c fsync=off -c synchronous_commit=on "
            "-c full_page_writes=off -c max_connections=200 -c shared_buffers=32MB"
        )
        self._run(
            str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.logfile), "-o", options, "-w",
            "-t", "60", "start", detach=True,
        )  # fmt: skip

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop", detach=True)

    def kill(self) -> None:
        """SIGKILL the postmaster and every backend: a crash, not a shutdown."""
        pid = int((self.data / "postmaster.pid").read_text().split()[0])
        # Its backends too (listed before it dies, while they are still its children),
        # so that no client connection is served on by an orphan.
        children = _children_of(pid)
        os.kill(pid, signal.SIGKILL)
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)

    def destroy(self) -> None:
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def dsn(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """A fresh, empty database; returns its URL."""
        import asyncio

        import asyncpg

        self._db_counter += 1
        name = f"t{os.getpid()}_{self._db_counter}"

        async def create() -> None:
            conn = await asyncpg.connect(self.dsn())
            try:
                await conn.execute(f'CREATE DATABASE "{name}"')
            finally:
                await conn.close()

        # a thread of its own: the caller may be inside a running event loop
        import concurrent.futures

        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, create()).result(timeout=60)
        return self.dsn(name)


@contextlib.contextmanager
def running_server() -> Iterator[PgServer]:
    bindir, why = find_server_bin()
    if bindir is None:
        skip_or_fail(why)
        raise AssertionError("unreachable")
    server = PgServer(bindir)
    try:
        server.init()
        server.start()
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        log = server.logfile.read_text(errors="replace")[-2000:] if server.logfile.exists() else ""
        server.destroy()
        skip_or_fail(f"cannot start PostgreSQL: {exc} {log}")
    try:
        yield server
    finally:
        server.destroy()
