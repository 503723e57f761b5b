"""The compiled snapshot: a hit skips the load, and anything else falls back to it."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.store import StorePaths, compiled
from bot.store.loader import collect
from tests.helpers import copy_store


@pytest.fixture
def paths(tmp_path: Path) -> StorePaths:
    copied = copy_store(tmp_path)
    return StorePaths(copied.facts_dir, copied.seeds_dir, cache_dir=tmp_path / "cache")


def _no_full_load(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(paths: StorePaths) -> object:
        raise AssertionError("the full load ran on a snapshot hit")

    monkeypatch.setattr(compiled, "collect", refuse)


def test_a_second_load_of_unchanged_files_is_a_hit_equal_to_the_full_load(
    paths: StorePaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = compiled.load(paths, paths.cache_dir)
    assert first.outcome == "miss" and first.store is not None
    _no_full_load(monkeypatch)
    second = compiled.load(paths, paths.cache_dir)
    assert second.outcome == "hit" and second.store is not None
    full, problems = collect(paths)
    assert full is not None and not problems
    assert type(second.store) is type(full)  # a small store is read whole, as the full load builds it
    assert second.store.facts == full.facts
    assert second.store.vocabulary == full.vocabulary
    assert second.store.documents == full.documents


def test_a_touched_but_unchanged_file_is_still_a_hit(paths: StorePaths, monkeypatch: pytest.MonkeyPatch) -> None:
    compiled.load(paths, paths.cache_dir)
    vocab = paths.facts_dir / "vocabulary.yaml"
    os.utime(vocab, ns=(vocab.stat().st_atime_ns, vocab.stat().st_mtime_ns + 10**9))
    _no_full_load(monkeypatch)
    assert compiled.load(paths, paths.cache_dir).outcome == "hit-touched"
    assert compiled.load(paths, paths.cache_dir).outcome == "hit"  # the stat key was refreshed


@pytest.mark.parametrize("edited", ["lexicon.yaml", "vocabulary.yaml", "fact file", "seed document"])
def test_an_edited_input_is_a_miss_and_the_new_content_is_served(paths: StorePaths, edited: str) -> None:
    compiled.load(paths, paths.cache_dir)
    if edited == "fact file":
        target = next(
            p for p in sorted(paths.facts_dir.glob("*.yaml")) if p.name not in ("vocabulary.yaml", "lexicon.yaml")
        )
    elif edited == "seed document":
        target = next(p for p in sorted(paths.seeds_dir.glob("*.txt")))
    else:
        target = paths.facts_dir / edited
    assert target.is_file()
    target.write_text(target.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    result = compiled.load(paths, paths.cache_dir)
    assert result.outcome == "miss" and result.store is not None


def test_a_store_with_problems_is_reported_and_never_compiled(paths: StorePaths) -> None:
    compiled.load(paths, paths.cache_dir)
    vocab = paths.facts_dir / "vocabulary.yaml"
    vocab.write_text("places: [not: a: mapping\n", encoding="utf-8")
    result = compiled.load(paths, paths.cache_dir)
    assert result.store is None and result.problems
    again = compiled.load(paths, paths.cache_dir)  # the old snapshot must not come back
    assert again.store is None and again.outcome == "miss"


def _foreign_database(path: Path, tables: str) -> bytes:
    foreign = path.with_name("foreign.db")
    con = sqlite3.connect(foreign)
    con.executescript(tables)
    con.commit()
    con.close()
    return foreign.read_bytes()


def _truncated(path: Path) -> bytes:
    return path.read_bytes()[: path.stat().st_size // 2]


@pytest.mark.parametrize(
    ("damage", "outcome"),
    [
        (lambda path: b"not a database at all", "corrupt"),
        (lambda path: b"", "corrupt"),
        (_truncated, "corrupt"),
        (lambda path: b"SQLite format 3\x00" + b"\xff" * 4000, "corrupt"),
        (lambda path: _foreign_database(path, "CREATE TABLE other (x);"), "stale"),
        (
            lambda path: _foreign_database(
                path, "CREATE TABLE meta (key, value); INSERT INTO meta VALUES ('format', 1);"
            ),
            "stale",
        ),
    ],
    ids=["garbage", "empty", "truncated", "damaged header", "another database", "format 1"],
)
def test_a_corrupt_or_foreign_snapshot_falls_back_to_the_full_load_and_is_rebuilt(
    paths: StorePaths, damage: Callable[[Path], bytes], outcome: str
) -> None:
    assert paths.cache_dir is not None
    compiled.load(paths, paths.cache_dir)
    target = compiled.snapshot_path(paths, paths.cache_dir)
    target.write_bytes(damage(target))
    result = compiled.load(paths, paths.cache_dir)
    assert result.outcome == outcome and result.store is not None
    assert compiled.load(paths, paths.cache_dir).outcome == "hit"


def test_the_snapshot_and_its_key_are_private_to_the_bot(paths: StorePaths) -> None:
    assert paths.cache_dir is not None
    compiled.load(paths, paths.cache_dir)
    target = compiled.snapshot_path(paths, paths.cache_dir)
    for path in (target, compiled.key_path(target)):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert sorted(p.name for p in paths.cache_dir.iterdir()) == sorted([target.name, compiled.key_path(target).name])


def test_an_unwritable_cache_dir_still_serves(paths: StorePaths, tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    result = compiled.load(paths, blocker / "cache")
    assert result.store is not None and result.outcome == "miss"


def test_an_edit_of_the_code_that_loads_the_store_is_another_version(
    paths: StorePaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a working copy keeps its version number across edits: a snapshot pickled by the old
    # lexicon loader must not be served to the new one
    compiled.load(paths, paths.cache_dir)
    loader = Path(compiled.__file__).parent.parent / "query" / "lexicon.py"
    before = loader.stat()
    compiled._version.cache_clear()
    try:
        os.utime(loader, ns=(before.st_atime_ns, before.st_mtime_ns + 10**9))
        assert compiled.load(paths, paths.cache_dir).outcome == "stale"  # rebuilt by the new code
    finally:
        os.utime(loader, ns=(before.st_atime_ns, before.st_mtime_ns))
        compiled._version.cache_clear()
    assert compiled.load(paths, paths.cache_dir).outcome == "stale"  # and back: that snapshot was replaced
