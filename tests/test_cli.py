"""The `factbot` command line, run as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.helpers import ROOT, copy_store

LOG_DIR = Path(tempfile.mkdtemp(prefix="factbot-cli-test-"))


def factbot(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=60,
        env={**os.environ, "FACTBOT_LOG_LEVEL": "WARNING", "FACTBOT_DB": str(LOG_DIR / "q.sqlite3"), **(env or {})},
    )  # fmt: skip


def test_ask_prints_the_sourced_figure_for_a_person() -> None:
    out = factbot("ask", "trade", "xizang", "2023")
    assert out.returncode == 0, out.stderr
    assert "10 billion yuan" in out.stdout
    assert "Quote:" in out.stdout


def test_ask_json_stdin_writes_one_object_per_line_in_order() -> None:
    queries = ["trade xizang 2023", "trade kashgar first 11 months of 2023", "trade qinghai 2023", "", "tourism tibet"]
    out = factbot("ask", "--json", "-", stdin="\n".join(queries) + "\n")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert len(lines) == len(queries)
    rows = [json.loads(line) for line in lines]
    assert [r["query"] for r in rows] == queries
    assert rows[0]["answer"]["figure"] == "10 billion yuan"
    assert rows[1]["answer"]["figure"] == "77.15 billion yuan"
    assert rows[2]["status"] != "answered" and rows[2]["answer"] is None
    assert rows[3]["status"] == "not_found"


def test_check_passes_on_the_committed_store_and_fails_with_file_line(tmp_path: Path) -> None:
    ok = factbot("check")
    assert ok.returncode == 0 and ok.stdout.startswith("ok:")
    paths = copy_store(tmp_path)
    broken = paths.facts_dir / "003_xinjiang_central_asia.yaml"
    broken.write_text(broken.read_text(encoding="utf-8") + "\n  - id: [unclosed\n", encoding="utf-8")
    bad = factbot("check", env={"FACTBOT_FACTS_DIR": str(paths.facts_dir)})
    assert bad.returncode == 1
    assert "003_xinjiang_central_asia.yaml:" in bad.stderr
    assert "invalid YAML" in bad.stderr


def test_ask_with_a_broken_store_says_what_to_do(tmp_path: Path) -> None:
    paths = copy_store(tmp_path)
    (paths.facts_dir / "vocabulary.yaml").write_text("places: [\n", encoding="utf-8")
    out = factbot("ask", "trade", env={"FACTBOT_FACTS_DIR": str(paths.facts_dir)})
    assert out.returncode == 1
    assert "factbot check" in out.stderr
    assert "Traceback" not in out.stderr


def test_console_takes_commands_and_questions_and_survives_errors() -> None:
    lines = ["!help", "!trade xizang 2023", "!bogus", "!", "", "How many tourists visited Tibet in 2023?", "!sources"]
    out = factbot("console", stdin="\n".join(lines) + "\n")
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "!trade <place> [period]" in text
    assert "10 billion yuan" in text
    assert "Unknown command '!bogus'" in text
    assert "Empty command" in text
    assert "55.1697 million" in text
    assert "Kashi’s foreign trade partners numbers 118" in text


def test_run_without_token_starts_the_console_after_one_line_of_advice(tmp_path: Path) -> None:
    out = factbot("run", stdin="!trade tibet 2023\n", env={"DISCORD_TOKEN": "", "HOME": str(tmp_path)})
    assert out.returncode == 0, out.stderr
    first = out.stdout.splitlines()[0]
    assert "No DISCORD_TOKEN set" in first
    assert "10 billion yuan" in out.stdout


def test_coverage_lists_nothing_for_the_committed_store() -> None:
    out = factbot("coverage", "--strict")
    assert out.returncode == 0, out.stdout
    assert out.stdout.strip() == ""


def test_coverage_lists_a_number_once_its_fact_is_removed(tmp_path: Path) -> None:
    paths = copy_store(tmp_path)
    path = paths.facts_dir / "001_xizang_industrial_development.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: xizang.cement_output.2023")
    end = text.index("  - id: ", start + 10)
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    out = factbot("coverage", "--strict", env={"FACTBOT_FACTS_DIR": str(paths.facts_dir)})
    assert out.returncode == 1
    assert "11.9843" in out.stdout


def test_extract_proposes_candidates_that_the_curator_can_edit() -> None:
    import yaml

    out = factbot("extract", "seeds/004_b158c2bc0f307f26.txt")
    assert out.returncode == 0, out.stderr
    data = yaml.safe_load(out.stdout)
    assert data["doc"] == "004_b158c2bc0f307f26.txt"
    figures = {c["figure"] for c in data["facts"]}
    assert "77.15 billion yuan" in figures
    assert any(c["place"] == "kashi" and c["period"] == "2023-01/2023-11" for c in data["facts"])


def test_every_cli_and_console_query_is_logged(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "log.sqlite3"
    env = {"FACTBOT_DB": str(db)}
    factbot("ask", "--json", "-", stdin="trade xizang 2023\nqwzx\n", env=env)
    factbot("console", stdin="!trade xinjiang 2024\n!help\n", env=env)
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT surface, query, status, fact_id FROM queries ORDER BY ts").fetchall()
    assert rows == [
        ("cli", "trade xizang 2023", "answered", "xizang.trade_total.2023"),
        ("cli", "qwzx", "not_found", None),
        ("console", "!trade xinjiang 2024", "answered", "xinjiang.trade_total.2024"),
        ("console", "!help", "answered", None),
    ]


def test_stats_reports_the_logged_queries(tmp_path: Path) -> None:
    env = {"FACTBOT_DB": str(tmp_path / "log.sqlite3")}
    factbot("ask", "--json", "-", stdin="trade xizang 2023\ntrade qinghai 2023\n", env=env)
    out = factbot("stats", env=env)
    assert out.returncode == 0, out.stderr
    assert "2 queries" in out.stdout
    assert "trade qinghai 2023" in out.stdout.split("Top unanswered")[1]


def test_console_compares_and_draws_series_as_text() -> None:
    out = factbot("console", stdin="!compare trade xizang xinjiang 2023\n!series trade xinjiang\n!compare trade\n")
    assert out.returncode == 0, out.stderr
    assert "10 billion yuan" in out.stdout and "357.33 billion yuan" in out.stdout
    assert "Computed by factbot" in out.stdout
    for figure in ("246.36 billion yuan", "357.33 billion yuan", "435.11 billion yuan"):
        assert figure in out.stdout
    assert "Compare needs two places" in out.stdout


def test_ask_exit_codes_say_what_happened_to_the_question() -> None:
    cases = {"trade xizang 2023": 0, "trade xizang 2022": 3, "trade 2023": 4, "qwzx": 5}
    for query, code in cases.items():
        out = factbot("ask", *query.split())
        assert out.returncode == code, (query, out.returncode, out.stderr)
    assert factbot("ask").returncode == 2  # usage: no question
    assert factbot("ask", "--bogus", "x").returncode == 2


def test_ask_refuses_a_question_longer_than_the_engine_reads_as_discord_does() -> None:
    out = factbot("ask", "--json", "how much did xizang trade " * 20)
    row = json.loads(out.stdout)
    assert out.returncode == 5 and row["status"] == "not_found" and row["answer"] is None
    assert "at most 500 characters" in row["message"]


def test_sources_number_is_the_file_number_and_an_unknown_one_is_an_error() -> None:
    listing = factbot("sources")
    assert listing.returncode == 0
    assert "  0. Xizang reaches trade milestone" in listing.stdout and "[000_" in listing.stdout
    assert "000_" in factbot("sources", "0").stdout
    assert "001_" in factbot("sources", "1").stdout
    missing = factbot("sources", "99")
    assert missing.returncode == 1 and "No document matches '99'" in missing.stderr
    assert "factbot sources" in missing.stderr  # a hint that works


def test_a_closed_pipe_ends_ask_and_console_quietly() -> None:
    for command in ("ask --json -", "console"):
        shell = f"yes 'trade xizang 2023' | head -200 | {sys.executable} -m bot {command} | head -1"
        env = {**os.environ, "FACTBOT_NO_QUERY_LOG": "1", "FACTBOT_LOG_LEVEL": "WARNING"}
        out = subprocess.run(shell, shell=True, capture_output=True, text=True, cwd=ROOT, timeout=60, env=env)
        assert len(out.stdout.splitlines()) == 1
        assert "Traceback" not in out.stderr and "BrokenPipe" not in out.stderr, out.stderr


def test_console_runs_admin_commands_for_its_owner(tmp_path: Path) -> None:
    env = {"FACTBOT_DB": str(tmp_path / "log.sqlite3"), "FACTBOT_DATA_DIR": str(tmp_path)}
    out = factbot("console", stdin="!help\n!trade xizang 2023\n!reload\n!stats 3\n!reload sideways\n", env=env)
    assert out.returncode == 0, out.stderr
    assert "!reload [force]" in out.stdout  # listed in the console's help
    assert "Reloaded the fact store: no changes" in out.stdout
    assert "queries" in out.stdout.split("no changes", 1)[1]
    assert "Usage: !reload [force]" in out.stdout


def test_a_first_start_prints_no_info_lines(tmp_path: Path) -> None:
    env = {"FACTBOT_DB": str(tmp_path / "new" / "q.sqlite3"), "FACTBOT_LOG_LEVEL": "INFO"}
    out = factbot("ask", "trade", "xizang", "2023", env=env)
    assert out.returncode == 0
    assert " INFO " not in out.stderr, out.stderr
