"""Start-up and the commands without a chart never import matplotlib."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.helpers import ROOT

CHECK = "import sys; print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib')[:3])"


def run(code: str) -> str:
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60,
        env={**os.environ, "FACTBOT_LOG_LEVEL": "WARNING"},
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    return out.stdout.strip().splitlines()[-1]


def test_importing_the_analysis_package_and_the_chart_module_loads_no_matplotlib() -> None:
    assert run(f"import bot.analysis, bot.render.charts, bot.adapters.analysis_cli; {CHECK}") == "[]"


def test_a_comparison_and_a_series_without_png_load_no_matplotlib() -> None:
    code = (
        "from bot.adapters.cli import main; "
        "main(['compare', 'trade', 'xizang', 'xinjiang', '2023']); main(['series', 'trade', 'xinjiang']); " + CHECK
    )
    assert run(code) == "[]"
