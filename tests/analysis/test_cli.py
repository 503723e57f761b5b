"""`factbot series` and `factbot compare`, run as real subprocesses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.analysis.test_chart import png_size
from tests.helpers import ROOT


def factbot(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], capture_output=True, text=True, cwd=ROOT, timeout=60,
        env={**os.environ, "FACTBOT_LOG_LEVEL": "WARNING"},
    )  # fmt: skip


def test_series_prints_the_table_and_writes_the_same_chart(tmp_path: Path) -> None:
    out_png = tmp_path / "out.png"
    out = factbot("series", "trade", "xinjiang", "--png", str(out_png))
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "Xinjiang · foreign trade (billion yuan)"
    assert [line.split()[0] for line in lines[2:6]] == ["2022", "H1", "2023", "2024"]
    assert f"Chart written to {out_png}" in out.stdout
    assert png_size(out_png.read_bytes()) == (1080, 691)


def test_series_with_one_period_writes_no_chart_and_says_why(tmp_path: Path) -> None:
    out_png = tmp_path / "one.png"
    out = factbot("series", "trade", "kashgar", "--png", str(out_png))
    assert out.returncode == 0, out.stderr
    assert "Only one period is known" in out.stdout
    assert "no chart written" in out.stderr and not out_png.exists()


def test_compare_prints_both_sides_and_the_computed_line() -> None:
    out = factbot("compare", "trade", "kashi", "xinjiang", "2023")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("Foreign trade: Kashi vs Xinjiang · 2023")
    assert "eleven months" in out.stdout and "Computed by factbot" in out.stdout


def test_unknown_places_and_metrics_fail_clearly() -> None:
    place = factbot("compare", "trade", "xizang", "atlantis")
    assert place.returncode == 1
    assert "'atlantis' is not a place I know" in place.stderr and "Traceback" not in place.stderr
    metric = factbot("series", "bananas", "xinjiang")
    assert metric.returncode == 1
    assert "is not a metric I know" in metric.stderr and "Try: foreign trade" in metric.stderr


def test_nothing_to_show_exits_non_zero() -> None:
    assert factbot("series", "trade", "qinghai").returncode == 1
    assert factbot("compare", "cement", "xinjiang", "kashi").returncode == 1
