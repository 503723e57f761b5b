"""The checker on the committed store and on deliberately broken copies."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.store import StoreError, collect, load_store
from tests.helpers import copy_store, real_paths

FACT_FILE = "000_xizang_trade_milestone.yaml"


def test_committed_store_passes_every_check() -> None:
    store, problems = collect(real_paths())
    assert problems == []
    assert store is not None
    assert len(store.facts) >= 100
    assert set(store.by_doc) == set(store.sources)  # every document has facts


def test_every_fact_quote_is_verbatim_in_its_document() -> None:
    # an independent re-check of the checker: plain whitespace folding, no shared code
    store = load_store(real_paths())
    for fact in store.facts:
        text = " ".join(store.documents[fact.doc].split())
        assert " ".join(fact.quote.split()) in text, fact.id
        assert fact.figure in fact.quote, fact.id


def _edit(paths_dir: Path, name: str, old: str, new: str) -> None:
    path = paths_dir / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_invalid_yaml_is_reported_with_file_and_line(tmp_path: Path) -> None:
    paths = copy_store(tmp_path)
    _edit(paths.facts_dir, FACT_FILE, "    place: xizang\n", "    place: [xizang\n")
    store, problems = collect(paths)
    assert store is None
    assert len(problems) == 1
    assert problems[0].file.endswith(FACT_FILE)
    assert problems[0].line > 1
    assert "invalid YAML" in problems[0].message


def test_a_quote_not_in_its_document_names_the_fact_line(tmp_path: Path) -> None:
    paths = copy_store(tmp_path)
    _edit(paths.facts_dir, FACT_FILE, "marking a\n      historic breakthrough", "marking a\n      historic triumph")
    store, problems = collect(paths)
    assert store is None
    fact_line = _line_of(paths.facts_dir / FACT_FILE, "id: xizang.trade_total.2023")
    assert [(p.file.endswith(FACT_FILE), p.line) for p in problems] == [(True, fact_line)]
    assert "quote is not in 000_420446585237be89.txt" in problems[0].message


def test_a_duplicate_id_is_reported_at_the_second_occurrence(tmp_path: Path) -> None:
    paths = copy_store(tmp_path)
    _edit(paths.facts_dir, FACT_FILE, "id: xizang.trade_growth.2023\n", "id: xizang.trade_total.2023\n")
    store, problems = collect(paths)
    assert store is None
    lines = (paths.facts_dir / FACT_FILE).read_text(encoding="utf-8").splitlines()
    occurrences = [n for n, line in enumerate(lines, 1) if line.endswith("id: xizang.trade_total.2023")]
    assert len(occurrences) == 2
    assert [p.line for p in problems] == [occurrences[1]]
    assert "duplicate id 'xizang.trade_total.2023'" in problems[0].message
    assert f"first at facts/{FACT_FILE}:{occurrences[0]}" in problems[0].message


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    place: xizang\n", "    place: atlantis\n", "unknown place 'atlantis'"),
        ("    metric: trade_total\n", "    metric: trade_totl\n", "unknown metric 'trade_totl'"),
        ('    period: "2023"\n', '    period: "2023-H3"\n', "is not a period"),
        ("    figure: 10 billion yuan\n", "    figure: 10.0 billion yuan\n", "is not in the quote"),
        ("    value: 10000000000\n", "    value: ten billion\n", "must be a number"),
    ],
)
def test_schema_errors_say_what_to_fix(tmp_path: Path, old: str, new: str, message: str) -> None:
    paths = copy_store(tmp_path)
    _edit(paths.facts_dir, FACT_FILE, old, new)
    with pytest.raises(StoreError) as caught:
        load_store(paths)
    problems = caught.value.problems
    assert len(problems) == 1
    assert message in problems[0].message
    assert problems[0].line == _line_of(paths.facts_dir / FACT_FILE, "id: xizang.trade_total.2023")
