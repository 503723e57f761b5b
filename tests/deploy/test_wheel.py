"""The wheel, installed as a stranger would: a fresh virtualenv, an unrelated directory, no checkout.

Built once per session from an sdist (`uv build`), which proves the sdist
carries the store too; installed with the locked dependencies (`uv export`)
from uv's cache, so the test costs seconds after the first run and needs
nothing but PyPI.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import ROOT

pytestmark = pytest.mark.timeout(300)


def _uv() -> str:
    found = ROOT / ".tools" / "bin" / "uv"
    if found.is_file():
        return str(found)
    on_path = shutil.which("uv")
    if on_path is None:
        pytest.skip("uv not found: `make test` installs it into .tools (python3 -m pip install uv also does)")
    return on_path


def _run(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(args, capture_output=True, text=True, timeout=240, env=env)
    assert done.returncode == 0, f"{args} failed:\n{done.stdout}\n{done.stderr}"


@dataclass(frozen=True)
class Installed:
    venv: Path
    wheel: Path

    @property
    def factbot(self) -> Path:
        return self.venv / "bin" / "factbot"


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    uv = _uv()
    base = tmp_path_factory.mktemp("wheel")
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never"}
    env.pop("VIRTUAL_ENV", None)
    _run([uv, "build", "--quiet", "--out-dir", str(base / "dist"), str(ROOT)], env)
    (wheel,) = (base / "dist").glob("factbot-*.whl")
    requirements = base / "requirements.txt"
    _run(
        [uv, "export", "--quiet", "--frozen", "--no-dev", "--no-emit-project", "--no-hashes",
         "--project", str(ROOT), "-o", str(requirements)],
        env,
    )  # fmt: skip
    venv = base / "venv"
    _run([uv, "venv", "--quiet", "--python", sys.executable, str(venv)], env)
    # --compile-bytecode, as pip does: a test run must not be what writes __pycache__ into the venv
    _run([uv, "pip", "install", "--quiet", "--compile-bytecode", "--python", str(venv / "bin" / "python"),
          "-r", str(requirements), str(wheel)], env)  # fmt: skip
    yield Installed(venv, wheel)


def _tree(root: Path) -> set[Path]:
    return set(root.rglob("*")) if root.exists() else set()


def test_the_wheel_carries_the_store(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = set(wheel.namelist())
    for path in sorted((ROOT / "facts").iterdir()) + sorted((ROOT / "seeds").iterdir()):
        assert f"bot/_store/{path.parent.name}/{path.name}" in names
    assert "bot/_store/seeds/sources.yaml" in names
    assert not any(name.startswith(("facts/", "seeds/", "tests/")) for name in names)


def test_installed_factbot_works_from_an_unrelated_directory_and_writes_only_its_data_dir(
    installed: Installed, tmp_path: Path
) -> None:
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    env = {
        "PATH": f"{installed.venv / 'bin'}:/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "FACTBOT_LOG_LEVEL": "WARNING",
    }
    before = _tree(tmp_path) | _tree(installed.venv)

    def factbot(*args: str) -> subprocess.CompletedProcess[str]:
        # umask 022, as a login shell has it: the bot must make its files private itself
        return subprocess.run(
            [str(installed.factbot), *args],
            capture_output=True, text=True, cwd=work, env=env, timeout=120, umask=0o022,
        )  # fmt: skip

    check = factbot("check")
    assert check.returncode == 0, check.stderr
    assert check.stdout.startswith("ok: ") and "facts from 5 documents" in check.stdout

    ask = factbot("ask", "--json", "trade", "xizang", "2023")
    assert ask.returncode == 0, ask.stderr
    answer = json.loads(ask.stdout)
    assert answer["status"] == "answered" and answer["answer"]["figure"] == "10 billion yuan"

    health = factbot("health")
    assert health.returncode == 0, health.stderr
    site_packages = next((installed.venv / "lib").glob("python3*/site-packages"))
    assert f"{site_packages}/bot/_store/facts" in health.stdout

    backup_file = work / "backup.sqlite3"
    backup_key = work / "backup.sqlite3.userkey"
    backup = factbot("backup", str(backup_file))
    assert backup.returncode == 0, backup.stderr
    assert "backed up 1 logged queries" in backup.stdout

    # the platform state directory (platformdirs: XDG on Linux) holds everything the bot made
    data_dir = home / ".local" / "state" / "factbot"
    created = (_tree(tmp_path) | _tree(installed.venv)) - before
    outside = sorted(
        p for p in created
        if not p.is_relative_to(data_dir) and p not in {backup_file, backup_key} and p not in data_dir.parents
    )  # fmt: skip
    assert outside == [], f"written outside the data directory: {outside}"
    made = sorted(p.name for p in data_dir.iterdir())
    assert "factbot.sqlite3" in made and "factbot.sqlite3.userkey" in made
    for path in [*data_dir.iterdir(), backup_file, backup_key]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, f"{path} is {oct(path.stat().st_mode)}"

    conn = sqlite3.connect(backup_file)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT query FROM queries").fetchall() == [("trade xizang 2023",)]
    finally:
        conn.close()


def test_a_curated_store_elsewhere_replaces_the_packaged_one(installed: Installed, tmp_path: Path) -> None:
    store = tmp_path / "curated"
    shutil.copytree(ROOT / "facts", store / "facts")
    shutil.copytree(ROOT / "seeds", store / "seeds")
    broken = store / "facts" / "000_xizang_trade_milestone.yaml"
    broken.write_text(broken.read_text(encoding="utf-8") + "\n  - id: [unclosed\n", encoding="utf-8")
    done = subprocess.run(
        [str(installed.factbot), "check"],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "FACTBOT_FACTS_DIR": str(store / "facts"),
             "FACTBOT_SEEDS_DIR": str(store / "seeds")},
    )  # fmt: skip
    # the packaged store is fine, so the failure proves the curated copy is the one read
    assert done.returncode == 1
    assert "facts/000_xizang_trade_milestone.yaml:" in done.stderr and "invalid YAML" in done.stderr
