"""deploy/factbot.service: what it promises (dynamic user, state dir, umask, reload) and how exposed it is."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT

UNIT = ROOT / "deploy" / "factbot.service"
INSTALLED_FACTBOT = "/opt/factbot/bin/factbot"
MAX_EXPOSURE = 3.0

needs_systemd_analyze = pytest.mark.skipif(
    shutil.which("systemd-analyze") is None,
    reason="systemd-analyze is not installed here (.ci/run installs the systemd package for it)",
)


def _settings() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in UNIT.read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.lstrip().startswith(("#", ";", "[")):
            key, _, value = line.partition("=")
            found.setdefault(key.strip(), []).append(value.strip())
    return found


def test_the_unit_runs_as_a_dynamic_user_with_a_private_state_directory_and_reloads_on_sighup() -> None:
    unit = _settings()
    assert unit["DynamicUser"] == ["yes"]
    assert unit["StateDirectory"] == ["factbot"]
    assert unit["UMask"] == ["0077"]
    assert unit["EnvironmentFile"] == ["/etc/factbot/factbot.env"]
    assert unit["ExecReload"] == ["/bin/kill -HUP $MAINPID"]
    assert unit["ExecStart"] == [f"{INSTALLED_FACTBOT} run"]
    assert unit["ProtectSystem"] == ["strict"]
    assert "User" not in unit and "ReadWritePaths" not in unit


@needs_systemd_analyze
def test_systemd_analyze_verify_passes(tmp_path: Path) -> None:
    # verify checks that ExecStart exists: point it at this checkout's factbot
    factbot = Path(sys.executable).parent / "factbot"
    assert factbot.is_file(), f"{factbot} missing; run `make install`"
    unit = tmp_path / "factbot.service"
    unit.write_text(UNIT.read_text(encoding="utf-8").replace(INSTALLED_FACTBOT, str(factbot)), encoding="utf-8")
    done = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "factbot.service" not in done.stderr, done.stderr  # no warnings about our unit either


@needs_systemd_analyze
def test_systemd_analyze_security_rates_the_unit_3_or_lower() -> None:
    done = subprocess.run(
        ["systemd-analyze", "security", "--offline=yes", str(UNIT)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    match = re.search(r"Overall exposure level for factbot\.service: (\d+\.\d+) (\w+)", done.stdout)
    assert match, done.stdout[-500:]
    assert float(match.group(1)) <= MAX_EXPOSURE, match.group(0)
