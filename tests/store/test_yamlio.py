"""The YAML reader's fast path (a document without anchors) gives exactly what PyYAML's general constructor gives."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.store.yamlio import LineDict, YamlError, load_yaml

DOCUMENTS = {
    "fact file": """doc: 000_x.txt
facts:
  - id: a.b.2023
    place: xizang
    period: "2023"
    value: 10000000000
    change: {kind: yoy, figure: 138.3 percent, value: 138.3, base: "2022"}
    quote: >-
      A local official said the total
      reached 10 billion yuan.
    tags: [trade, "milestone"]
  - {id: c, period: 2024-01/2024-04, value: 2.8e+9, note: ~}
""",
    # YAML 1.1 as PyYAML reads it: all but the last are not strings
    "typed plain scalars": "a: yes\nb: 1_000\nc: 010\nd: 2023-05-01\ne: 1:30\nf: .inf\ng: 0x1F\nh: off\ni: null\n"
    "j: 1e5\n",
    "quoted look-alikes": "a: 'yes'\nb: \"1_000\"\nc: '2023-05-01'\n",
    "explicit tags": "a: !!str 2023\nb: !!float 3\nc: !!binary aGVsbG8=\n",
    "merge key without an anchor": "base: {<<: {unit: yuan}, value: 1}\n",
    "the value key": "a: {=: 1}\n",
    "a sequence key": "? [a, b]\n: 1\n",
    "tagged mapping": "s: !!set {a, b}\no: !!omap [{a: 1}, {b: 2}]\n",
    "nested lists": "- [1, [2, [3, {x: y}]]]\n- {}\n- []\n",
    "duplicate keys": "a: 1\na: 2\n",
    "empty": "",
}


def _general(text: str) -> Any:
    """PyYAML's own constructor, with line numbers: what load_yaml built for every document before."""

    class General(yaml.CSafeLoader):  # type: ignore[misc,name-defined]
        pass

    def mapping(loader: General, node: yaml.MappingNode) -> LineDict:
        loader.flatten_mapping(node)
        built = LineDict(loader.construct_pairs(node, deep=True))
        built.line = node.start_mark.line + 1
        return built

    General.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    return yaml.load(text, Loader=General)


def _lines(value: Any) -> Any:
    """The value with each mapping's line beside it, so that lines are compared too."""
    if isinstance(value, dict):
        return ("line", getattr(value, "line", None), {k: _lines(v) for k, v in value.items()})
    if isinstance(value, list):
        return [_lines(v) for v in value]
    return (type(value), value)


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_a_document_without_anchors_reads_as_the_general_constructor_reads_it(tmp_path: Path, name: str) -> None:
    text = DOCUMENTS[name]
    path = tmp_path / "doc.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        expected = _general(text)
    except (yaml.YAMLError, TypeError):  # TypeError: a list as a key, which load_yaml reports with its line
        with pytest.raises(YamlError) as err:
            load_yaml(path)
        assert err.value.line == 1
        return
    assert _lines(load_yaml(path)) == _lines(expected)


def test_yaml_1_1_values_keep_their_types(tmp_path: Path) -> None:
    path = tmp_path / "typed.yaml"
    path.write_text(DOCUMENTS["typed plain scalars"], encoding="utf-8")
    data = load_yaml(path)
    assert data == {
        "a": True, "b": 1000, "c": 8, "d": datetime.date(2023, 5, 1), "e": 90, "f": float("inf"), "g": 31,
        "h": False, "i": None, "j": "1e5",
    }  # fmt: skip


def test_an_unknown_tag_is_still_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "tag.yaml"
    path.write_text("a: 1\nb: !!python/object:os.system echo\n", encoding="utf-8")
    with pytest.raises(YamlError) as err:
        load_yaml(path)
    assert err.value.line == 2
