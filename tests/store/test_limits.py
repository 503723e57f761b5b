"""The loader's limits: file size, alias expansion, and documents confined to the seeds directory."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from bot.store import StorePaths, collect
from bot.store.yamlio import MAX_YAML_BYTES, YamlError, load_yaml
from tests.helpers import copy_store

BOMB = """doc: 000_420446585237be89.txt
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
facts:
  - id: bomb
    place: xizang
    metric: trade_total
    period: "2023"
    value: 1
    unit: yuan
    figure: "1"
    quote: "1"
    tags: *i
"""


def _problems(paths: StorePaths) -> list[str]:
    store, problems = collect(paths)
    assert store is None
    return [str(p) for p in problems]


@pytest.mark.timeout(20)  # before: 65 s and 3.8 GB, then a MemoryError
def test_an_alias_bomb_is_refused_at_its_line_before_it_expands(tmp_path: Path) -> None:
    paths = copy_store(tmp_path)
    (paths.facts_dir / "999_bomb.yaml").write_text(BOMB)
    problems = _problems(paths)
    assert len(problems) == 1
    assert problems[0].startswith("facts/999_bomb.yaml:")
    assert "alias" in problems[0] and "200,000" in problems[0]


def test_an_ordinary_alias_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text("base: &b {unit: yuan, tags: [a, b]}\none: *b\ntwo: {<<: *b, extra: 1}\n")
    data = load_yaml(path)
    assert data["one"]["unit"] == "yuan" and data["two"]["extra"] == 1


def test_an_alias_inside_its_own_anchor_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "loop.yaml"
    path.write_text("x: 1\nloop: &l [1, *l]\n")
    with pytest.raises(YamlError) as err:
        load_yaml(path)
    assert err.value.line == 2 and "refers to the node that contains it" in err.value.message


@pytest.mark.timeout(20)  # before: 77 s and 3.2 GB for 50 MB
def test_an_oversized_fact_file_is_refused_without_being_parsed(tmp_path: Path) -> None:
    paths = copy_store(tmp_path)
    big = paths.facts_dir / "999_big.yaml"
    with big.open("w") as f:
        f.write("facts: [" + "{" * 1000)
        f.truncate(MAX_YAML_BYTES + 1)
    started = time.monotonic()
    problems = _problems(paths)
    assert time.monotonic() - started < 10
    assert problems == [f"facts/999_big.yaml:1: the file is {MAX_YAML_BYTES + 1:,} bytes, more than the "
                        f"{MAX_YAML_BYTES:,} allowed; split it into smaller files"]  # fmt: skip


def test_deep_nesting_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("x: " + "[" * 100_000 + "]" * 100_000 + "\n")
    with pytest.raises(YamlError):
        load_yaml(path)


def _point_document_at(paths: StorePaths, target: str) -> None:
    sources = paths.seeds_dir / "sources.yaml"
    text = sources.read_text()
    assert "file: 000_420446585237be89.txt" in text
    sources.write_text(text.replace("file: 000_420446585237be89.txt", f"file: {target}", 1))


@pytest.mark.parametrize("target", ["/proc/self/environ", "../facts/vocabulary.yaml", "/etc/passwd", "."])
def test_a_document_outside_the_seeds_directory_is_refused(tmp_path: Path, target: str) -> None:
    paths = copy_store(tmp_path)
    _point_document_at(paths, target)
    problems = _problems(paths)
    assert any(p.startswith("seeds/sources.yaml:") or "sources.yaml:" in p for p in problems)
    assert any("outside the seeds directory" in p or "not a regular file" in p for p in problems), problems


def test_a_symlink_out_of_the_seeds_directory_is_refused(tmp_path: Path) -> None:
    paths = copy_store(tmp_path)
    secret = tmp_path / "secret.env"
    secret.write_text("DISCORD_TOKEN=do-not-show")
    os.symlink(secret, paths.seeds_dir / "innocent.txt")
    _point_document_at(paths, "innocent.txt")
    assert any("outside the seeds directory" in p for p in _problems(paths))
