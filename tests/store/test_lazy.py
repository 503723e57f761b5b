"""A large store served lazily from its SQLite snapshot answers as the store held in memory does.

Real files throughout: a synthetic store written in the real format, and the
committed store, each compiled into a real SQLite snapshot. `LAZY_MIN_FACTS` is
lowered so that stores of test size are served lazily.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.analysis import answerable_pairs
from bot.discord_app.autocomplete import Catalog
from bot.query.engine import Engine
from bot.service import FactService
from bot.store import EagerStore, PeriodKind, Store, StorePaths, collect, compiled, parallel
from bot.store.lazy import LazyStore
from bot.store.synthetic import write_store
from tests.eval.evaluate import load_cases, split_dir
from tests.helpers import copy_store

FACTS = 3000  # six places of fifty metrics over ten years


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[StorePaths, list[str]]:
    root = tmp_path_factory.mktemp("synthetic")
    _, queries = write_store(root, FACTS)
    return StorePaths(root / "facts", root / "seeds"), queries


@pytest.fixture
def lazy_from(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> object:
    monkeypatch.setattr(compiled, "LAZY_MIN_FACTS", 1)

    def load(paths: StorePaths) -> compiled.LoadResult:
        return compiled.load(paths, tmp_path / "cache")

    return load


def _eager(paths: StorePaths) -> EagerStore:
    store, problems = collect(paths)
    assert store is not None and not problems and isinstance(store, EagerStore)
    return store


def _lazy(load: object, paths: StorePaths) -> LazyStore:
    assert callable(load)
    first = load(paths)  # the miss compiles it and serves the new snapshot lazily
    assert first.outcome == "miss" and isinstance(first.store, LazyStore)
    second = load(paths)
    assert second.outcome == "hit" and isinstance(second.store, LazyStore)
    return second.store


def _questions(paths: StorePaths, sample: list[str]) -> list[str]:
    """The generator's questions, and the shapes of question that take the engine's other roads."""
    store = _eager(paths)
    place = next(iter(store.vocabulary.places.values())).name
    metric = next(iter(store.vocabulary.metrics.values())).name
    return [
        *sample[:60],
        place, metric, f"{metric} 2019", f"{metric} {place}", f"{metric} {place} 2031", f"{metric} {place} H1 2020",
        f"{metric[:-1]}x {place}", f"{metric} {place[:-2]}", "sum of trade in 2020", "weather on mars", "",
        f"{metric} {place} in dollars", f"average {metric} {place} 2015 to 2020",
    ]  # fmt: skip


def _same_views(lazy: Store, eager: Store) -> None:
    assert tuple(lazy.facts) == eager.facts and len(lazy.facts) == len(eager.facts)
    assert lazy.facts[0] == eager.facts[0] and lazy.facts[-1] == eager.facts[-1]
    assert tuple(lazy.facts[3:7]) == tuple(eager.facts[3:7])
    assert list(lazy.by_place_metric) == list(eager.by_place_metric)
    assert all(lazy.by_place_metric[k] == v for k, v in eager.by_place_metric.items())
    assert list(lazy.by_id) == list(eager.by_id) and all(lazy.by_id[k] == v for k, v in eager.by_id.items())
    assert dict(lazy.by_doc) == dict(eager.by_doc)
    assert dict(lazy.documents) == dict(eager.documents) and list(lazy.sources) == list(eager.sources)
    assert lazy.vocabulary == eager.vocabulary
    assert dict(lazy.pair_counts) == dict(eager.pair_counts) and list(lazy.pair_counts) == list(eager.pair_counts)
    assert dict(lazy.doc_counts) == dict(eager.doc_counts)
    assert dict(lazy.metric_units) == dict(eager.metric_units) and lazy.quote_words == eager.quote_words
    assert dict(lazy.digests()) == dict(eager.digests())
    for kinds, units in [(frozenset(), frozenset()), (frozenset({PeriodKind.SPAN}), frozenset({"date", "yuan"}))]:
        assert dict(lazy.period_counts(kinds, units)) == dict(eager.period_counts(kinds, units))
    assert answerable_pairs(lazy, min_points=2) == answerable_pairs(eager, min_points=2)
    places = {f.place for f in eager.facts}
    metrics = {f.metric for f in eager.facts}
    assert lazy.periods() == eager.periods()
    for place in sorted(places)[:3]:
        assert list(lazy.facts_for(place=place)) == list(eager.facts_for(place=place))
        assert lazy.periods(place=place) == eager.periods(place=place)
    for metric in sorted(metrics)[:3]:
        assert list(lazy.facts_for(metric=metric)) == list(eager.facts_for(metric=metric))
        assert lazy.periods(metric=metric) == eager.periods(metric=metric)
    with pytest.raises(KeyError):
        lazy.by_id["no such id"]
    with pytest.raises(IndexError):
        lazy.facts[len(eager.facts)]


def test_a_synthetic_store_served_lazily_answers_every_question_as_the_eager_store(
    synthetic: tuple[StorePaths, list[str]], lazy_from: object
) -> None:
    paths, sample = synthetic
    eager, lazy = _eager(paths), _lazy(lazy_from, paths)
    _same_views(lazy, eager)
    on_eager, on_lazy = Engine(eager), Engine(lazy)
    for question in _questions(paths, sample):
        assert on_lazy.ask(question) == on_eager.ask(question), question


def test_the_committed_store_served_lazily_answers_the_dev_set_as_the_eager_store(
    lazy_from: object, tmp_path: Path
) -> None:
    paths = copy_store(tmp_path)
    eager, lazy = _eager(paths), _lazy(lazy_from, paths)
    _same_views(lazy, eager)
    on_eager, on_lazy = Engine(eager), Engine(lazy)
    cases = load_cases(split_dir("dev"))
    assert len(cases) > 100
    for case in cases:
        assert on_lazy.ask(case.query) == on_eager.ask(case.query), case.query
    eager_catalog, lazy_catalog = Catalog(on_eager), Catalog(on_lazy)
    assert lazy_catalog.place_facts == eager_catalog.place_facts
    assert list(lazy_catalog.metric_facts) == list(eager_catalog.metric_facts)
    for place, metric in [(None, None), ("xinjiang", None), (None, "trade"), ("xizang", "trade")]:
        assert lazy_catalog.periods("", place=place, metric=metric) == eager_catalog.periods(
            "", place=place, metric=metric
        )


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])


def _drop_summary(path: Path) -> None:
    # damage past the first pages: the meta row the lazy store needs is gone, the rest intact
    con = sqlite3.connect(path)
    con.execute("DELETE FROM meta WHERE key = 'summary'")
    con.commit()
    con.close()


@pytest.mark.parametrize("damage", [_truncate, _drop_summary], ids=["truncated", "a part missing"])
def test_a_corrupt_lazy_snapshot_falls_back_to_the_full_load_and_is_rebuilt(
    synthetic: tuple[StorePaths, list[str]], lazy_from: object, tmp_path: Path, damage: Callable[[Path], None]
) -> None:
    paths, _ = synthetic
    _lazy(lazy_from, paths)
    damage(compiled.snapshot_path(paths, tmp_path / "cache"))
    assert callable(lazy_from)
    result = lazy_from(paths)
    assert result.outcome == "corrupt" and isinstance(result.store, LazyStore)
    assert len(result.store.facts) == FACTS
    assert lazy_from(paths).outcome == "hit"


def test_an_edited_fact_file_makes_the_lazy_snapshot_stale_and_the_new_figure_is_served(
    synthetic: tuple[StorePaths, list[str]], lazy_from: object, tmp_path: Path
) -> None:
    shutil.copytree(synthetic[0].facts_dir, tmp_path / "facts")
    shutil.copytree(synthetic[0].seeds_dir, tmp_path / "seeds")
    paths = StorePaths(tmp_path / "facts", tmp_path / "seeds")
    before = _lazy(lazy_from, paths)
    fact = before.facts[0]
    path = paths.facts_dir / Path(fact.file).name
    path.write_text(path.read_text(encoding="utf-8").replace(f"id: {fact.id},", f"id: {fact.id}-edited,", 1))
    assert callable(lazy_from)
    after = lazy_from(paths)
    assert after.outcome == "miss" and isinstance(after.store, LazyStore)
    assert f"{fact.id}-edited" in after.store.by_id and fact.id not in after.store.by_id
    # the store that was serving still reads the snapshot it opened, though a new one replaced it
    assert before.by_id[fact.id] == fact


def test_a_reload_swaps_lazy_stores_and_reports_the_change(
    synthetic: tuple[StorePaths, list[str]], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(compiled, "LAZY_MIN_FACTS", 1)
    shutil.copytree(synthetic[0].facts_dir, tmp_path / "facts")
    shutil.copytree(synthetic[0].seeds_dir, tmp_path / "seeds")
    paths = StorePaths(tmp_path / "facts", tmp_path / "seeds", cache_dir=tmp_path / "cache")
    service = FactService.load(paths)
    old = service.engine
    assert isinstance(old.store, LazyStore)
    victim = old.store.facts[1]
    path = paths.facts_dir / Path(victim.file).name
    path.write_text(path.read_text(encoding="utf-8").replace(f"id: {victim.id},", f"id: {victim.id}-new,", 1))
    result = service.reload()
    assert result.ok and result.diff is not None
    assert result.diff.added == (f"{victim.id}-new",) and result.diff.removed == (victim.id,)
    assert not result.diff.changed
    assert service.engine is not old and isinstance(service.store, LazyStore)
    question = f"{service.store.metric_name(victim.metric)} {service.store.place_name(victim.place)} 2014"
    assert old.ask(question).status == service.engine.ask(question).status


def test_reading_the_fact_files_in_two_processes_gives_the_same_store_and_problems(
    synthetic: tuple[StorePaths, list[str]], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    paths, _ = synthetic
    one, two = collect(paths, workers=1), collect(paths, workers=2)
    assert one[0] is not None and two[0] is not None and not one[1] and not two[1]
    assert one[0] == two[0]
    assert not [r.getMessage() for r in caplog.records if "worker" in r.getMessage()]  # the worker did its share
    shutil.copytree(paths.facts_dir, tmp_path / "facts")
    shutil.copytree(paths.seeds_dir, tmp_path / "seeds")
    broken = StorePaths(tmp_path / "facts", tmp_path / "seeds")
    files = sorted(broken.facts_dir.glob("doc*.yaml"))
    first_id = next(f for f in one[0].facts if Path(f.file).name == files[0].name).id
    last = files[-1].read_text(encoding="utf-8").splitlines()
    last[2] = last[2].replace("unit: yuan", "unit: yen")  # an unknown unit, line 3 of the last file
    last.append(last[3].replace(last[3].split("id: ")[1].split(",")[0], first_id))  # a duplicate of the first
    files[-1].write_text("\n".join(last) + "\n", encoding="utf-8")
    serial, parallel = collect(broken, workers=1), collect(broken, workers=2)
    assert serial[0] is None and parallel[0] is None
    assert [str(p) for p in serial[1]] == [str(p) for p in parallel[1]]
    assert len(serial[1]) == 2
    assert str(serial[1][0]).startswith(f"facts/{files[-1].name}:3: ") and "unknown unit 'yen'" in str(serial[1][0])
    assert f"duplicate id {first_id!r} (first at facts/{files[0].name}:3)" in str(serial[1][1])
    assert not [r.getMessage() for r in caplog.records if "worker" in r.getMessage()]


def test_a_worker_that_fails_has_its_files_read_here_with_a_warning(
    synthetic: tuple[StorePaths, list[str]], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    paths, _ = synthetic
    expected = collect(paths, workers=1)
    monkeypatch.setattr(parallel.sys, "executable", "/bin/false")  # a worker that exits at once, with status 1
    assert collect(paths, workers=2) == expected
    assert any("worker failed" in r.getMessage() for r in caplog.records)
