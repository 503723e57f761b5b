"""YAML loading that remembers the line each mapping starts on, within limits.

Curators edit the store by hand, so every error must point at `file:line`.

A reload must never take the bot down, so a file is refused before it costs much:
one larger than `MAX_YAML_BYTES` is not read at all, and a document whose aliases
would expand it past `MAX_EXPANDED_NODES` (a "billion laughs" bomb: 577 bytes that
grow to gigabytes once something walks them) or that refers to itself is refused
after composing, before any value is built. Aliases of a sane size still work.

Most files have no anchor at all (no `&` anywhere in the text), so no alias: such
a document is a plain tree, as large as the file, and skips both the expansion
walk and PyYAML's alias-aware constructor (`_build`, the same values in a third
of the time). A large store's load is mostly this, and it is what it was: PyYAML's
parser and its YAML 1.1 types, the line of every mapping.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

# The largest fact file is ~40 KB; 2 MiB leaves room for fifty times the store.
MAX_YAML_BYTES = 2 * 1024 * 1024
# Nodes a document may have once every alias is expanded. The committed store's
# largest file has ~2,100 (vocabulary.yaml); 200,000 is a hundred times that and
# still milliseconds to build.
MAX_EXPANDED_NODES = 200_000


class LineDict(dict[str, Any]):
    """A mapping from YAML that knows its 1-based starting line."""

    line: int = 0


# libyaml's parser when PyYAML was built with it: the same safe constructors, ~10x faster
_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class AliasLimitError(ValueError):
    """Aliases that expand too far, or refer to the node that contains them."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class _LineLoader(_Base):  # type: ignore[valid-type,misc]
    # Set per document by `load_yaml`: whether the text can hold an alias at all.
    may_alias = True

    def get_single_node(self) -> yaml.Node | None:
        node: yaml.Node | None = super().get_single_node()
        if node is not None and self.may_alias:
            check_expansion(node)
        return node

    def construct_document(self, node: yaml.Node) -> Any:
        if not self.may_alias:
            try:
                return _build(self, node)
            except _Unusual:
                pass  # a merge key, a tag or a non-scalar key: the general constructor below
        return super().construct_document(node)


def check_expansion(root: yaml.Node, limit: int = MAX_EXPANDED_NODES) -> int:
    """The number of nodes `root` expands to; raises AliasLimitError past `limit` or on a cycle.

    Iterative, each distinct node sized once (an alias reuses the size of its anchor),
    so checking costs as much as the file is long, not as much as it expands to.
    """
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            on_path.discard(key)
            size = 1 + sum(sizes[id(child)] for child in _children(node))
            if size > limit:
                raise AliasLimitError(
                    node.start_mark.line + 1,
                    f"aliases expand this document to more than {limit:,} nodes (an alias bomb?); "
                    "write the values out or use fewer aliases",
                )
            sizes[key] = size
            continue
        if key in sizes:
            continue  # an alias of a node already sized
        if key in on_path:
            raise AliasLimitError(node.start_mark.line + 1, "an alias refers to the node that contains it")
        on_path.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in sizes)
    return sizes[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    try:
        mapping = LineDict(loader.construct_pairs(node, deep=True))
    except TypeError as exc:  # "? [a, b]": a list or a mapping as a key
        raise yaml.constructor.ConstructorError(None, None, f"a key cannot be a list or a mapping ({exc})",
                                                node.start_mark) from exc  # fmt: skip
    mapping.line = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)

_STR = "tag:yaml.org,2002:str"
_MAP = yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG
_SEQ = yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG
# keys that PyYAML's flatten_mapping rewrites ("<<" merges, "=" becomes a string)
_REWRITTEN_KEYS = ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value")


class _Unusual(Exception):
    """A node the fast path leaves to PyYAML's general constructor."""


def _build(loader: _LineLoader, node: yaml.Node) -> Any:
    """The same values as `construct_document`, for a tree without aliases, in a third of the time.

    PyYAML's constructor keeps bookkeeping for aliases and recursive objects (a
    dictionary of constructed nodes, a stack of states, a generator per mapping);
    a document with no anchor is a plain tree and needs none of it. Scalars that
    are not strings still go through PyYAML's own constructors (int, float, bool,
    null, timestamp and their YAML 1.1 spellings), so every value is typed exactly
    as before. Anything else (a merge key, a mapping or sequence with a tag, a key
    that is not a scalar) raises `_Unusual`, and the general constructor builds
    the whole document instead.
    """
    cls = node.__class__
    if cls is yaml.ScalarNode:
        if node.tag == _STR:
            return node.value
        constructor = loader.yaml_constructors.get(node.tag)
        if constructor is None:
            return loader.construct_object(node)  # an unknown tag: PyYAML's own error
        return constructor(loader, node)
    if cls is yaml.MappingNode and node.tag == _MAP:
        mapping = LineDict()
        for key_node, value_node in node.value:
            if key_node.__class__ is not yaml.ScalarNode or key_node.tag in _REWRITTEN_KEYS:
                raise _Unusual
            mapping[_build(loader, key_node)] = _build(loader, value_node)
        mapping.line = node.start_mark.line + 1
        return mapping
    if cls is yaml.SequenceNode and node.tag == _SEQ:
        return [_build(loader, child) for child in node.value]
    raise _Unusual


class YamlError(ValueError):
    """A file that is not valid YAML, with the line where parsing failed."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line
        self.message = message


def load_yaml(path: Path, max_bytes: int = MAX_YAML_BYTES) -> Any:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise YamlError(
                path, 1, f"the file is {size:,} bytes, more than the {max_bytes:,} allowed; split it into smaller files"
            )
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise YamlError(path, 0, f"cannot read the file: {exc}") from exc
    loader = _LineLoader(text)
    # No '&' means no anchor, so no alias: the tree is as large as the file (bounded by
    # max_bytes) and needs neither the expansion check nor the alias-aware constructor.
    loader.may_alias = "&" in text
    try:
        return loader.get_single_data()
    except AliasLimitError as exc:
        raise YamlError(path, exc.line, exc.message) from exc
    except RecursionError as exc:  # "[[[[[...": the parser nests one frame per level
        raise YamlError(path, 0, "the YAML nests too deep; flatten it") from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise YamlError(path, line, f"invalid YAML: {exc.problem or exc}; fix the syntax") from exc
    except yaml.YAMLError as exc:
        raise YamlError(path, 0, f"invalid YAML: {exc}") from exc
    finally:
        loader.dispose()


def line_of(value: Any, default: int = 0) -> int:
    return value.line if isinstance(value, LineDict) else default
