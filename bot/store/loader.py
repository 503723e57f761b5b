"""Load the fact store from disk and check it.

`load_store` returns a `Store` or raises `StoreError` listing every problem
with its `file:line` and what to do. The checks (see `factbot check`):

* each YAML file parses, and has the schema described in `facts/README.md`;
* fact ids are unique across the store;
* places, metrics and units come from the vocabulary;
* every quote occurs verbatim (whitespace-normalised) in its document;
* the stated figure, and any stated change, occur in the quote;
* periods follow the grammar in `bot.store.periods`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.infra.locations import StoreNotFoundError, default_store_dirs
from bot.query.lexicon import LEXICON_FILE, Lexicon, LexiconError, load_lexicon
from bot.store.model import Change, Fact, Metric, Place, Source, Unit, Vocabulary
from bot.store.parallel import read_files
from bot.store.periods import PeriodError, parse_period
from bot.store.problems import Problem, StoreError
from bot.store.snapshot import EagerStore, Store
from bot.store.yamlio import LineDict, YamlError, line_of, load_yaml

VOCABULARY_FILE = "vocabulary.yaml"
SOURCES_FILE = "sources.yaml"
# The largest seed document is ~11 KB; a document is held in memory and searched
# for every quote, so a stray multi-gigabyte file must be refused, not read.
MAX_DOCUMENT_BYTES = 5 * 1024 * 1024

FACT_REQUIRED = ("id", "place", "metric", "period", "value", "unit", "figure", "quote")
FACT_OPTIONAL = ("qualifier", "change", "equivalent", "note", "tags")
QUALIFIERS = (
    "about", "nearly", "almost", "over", "more than", "exceeded", "exceeding",
    "less than", "at least", "record", "surpassed",
)  # fmt: skip
FILE_KEYS = ("doc", "facts", "uncited")
CHANGE_KINDS = ("yoy", "since", "fold", "average_annual", "cumulative")
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")


# A large store repeats a few hundred periods a million times: parse each once, and
# share the (immutable) Period between the facts that state it.
_period = lru_cache(maxsize=16_384)(parse_period)


def normalise_space(text: str) -> str:
    # str.split() cuts at the same Unicode whitespace as the regex \s+ and drops the ends:
    # the same text as re.sub(r"\s+", " ", text).strip(), ten times faster on a document
    return " ".join(text.split())


class DocumentText:
    """A document's whitespace-normalised text, for checking that quotes occur in it.

    Most quotes are whole sentences: a set lookup answers those without
    scanning the document, which keeps checking fast for large stores.
    """

    def __init__(self, raw: str) -> None:
        self.text = normalise_space(raw)
        self.sentences = frozenset(_SENTENCE_BREAK.split(self.text))

    def __contains__(self, quote: str) -> bool:
        return quote in self.sentences or quote in self.text


@dataclass(frozen=True)
class StorePaths:
    facts_dir: Path
    seeds_dir: Path
    # Where the compiled snapshot is kept (bot/store/compiled.py); None: always the full load.
    cache_dir: Path | None = None

    @classmethod
    def beside(cls, facts_dir: Path, seeds_dir: Path | None = None) -> StorePaths:
        return cls(facts_dir, seeds_dir if seeds_dir is not None else facts_dir.parent / "seeds")


@dataclass
class Collector:
    problems: list[Problem] = field(default_factory=list)

    def add(self, path: Path | str, line: int, message: str) -> None:
        self.problems.append(Problem(str(path), line, message))


def _strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    return (str(value),)


def _section(
    data: Any, key: str, path: Path, out: Collector
) -> list[tuple[str, LineDict]]:
    section = data.get(key) if isinstance(data, dict) else None
    if not isinstance(section, dict):
        out.add(path, line_of(data, 1), f"missing the '{key}:' mapping")
        return []
    entries = []
    for name, body in section.items():
        if not isinstance(body, LineDict) or not isinstance(body.get("name"), str):
            out.add(path, line_of(body, line_of(section)), f"{key}.{name}: needs a 'name:'")
            continue
        entries.append((str(name), body))
    return entries


def _shipped_lexicon() -> Path | None:
    """The lexicon of the store factbot ships with, for a curated store that has none of its own."""
    try:
        return default_store_dirs()[0] / LEXICON_FILE
    except StoreNotFoundError:
        return None


def load_vocabulary(path: Path, out: Collector) -> Vocabulary:
    try:
        data = load_yaml(path)
    except YamlError as exc:
        out.add(path, exc.line, exc.message)
        return Vocabulary({}, {}, {})
    units = {
        k: Unit(k, b["name"], _strings(b.get("aliases"))) for k, b in _section(data, "units", path, out)
    }
    places = {
        k: Place(k, b["name"], str(b.get("kind", "place")), _strings(b.get("aliases")), b.get("within"))
        for k, b in _section(data, "places", path, out)
    }
    metrics = {
        k: Metric(k, b["name"], _strings(b.get("aliases")), str(b.get("description", "")), _strings(b.get("related")))
        for k, b in _section(data, "metrics", path, out)
    }
    for metric in metrics.values():
        for other in metric.related:
            if other not in metrics:
                out.add(path, 0, f"metric {metric.key} is related to unknown metric {other!r}")
    for place in places.values():
        if place.within is not None and place.within not in places:
            out.add(path, 0, f"place {place.key} is within unknown place {place.within!r}")
    try:
        lexicon = load_lexicon(path.parent / LEXICON_FILE, default=_shipped_lexicon())
    except LexiconError as exc:
        out.add(path.parent / LEXICON_FILE, 0, str(exc))
        lexicon = Lexicon()
    return Vocabulary(places=places, metrics=metrics, units=units, lexicon=lexicon)


def load_sources(path: Path, seeds_dir: Path, out: Collector) -> tuple[dict[str, Source], dict[str, str]]:
    try:
        data = load_yaml(path)
    except YamlError as exc:
        out.add(path, exc.line, exc.message)
        return {}, {}
    items = data.get("documents") if isinstance(data, dict) else None
    if not isinstance(items, list):
        out.add(path, 1, "missing the 'documents:' list")
        return {}, {}
    sources: dict[str, Source] = {}
    texts: dict[str, str] = {}
    for item in items:
        line = line_of(item)
        if not isinstance(item, dict) or not all(
            isinstance(item.get(k), str | int) for k in ("file", "title", "publisher", "date")
        ):
            out.add(path, line, "each document needs file, title, publisher and date")
            continue
        name = str(item["file"])
        problem = _document_problem(seeds_dir, name)
        if problem is not None:
            out.add(path, line, problem)
            continue
        try:
            texts[name] = (seeds_dir / name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            out.add(path, line, f"document {name} cannot be read from {seeds_dir}: {exc}")
            continue
        relative = item.get("relative_dates") or {}
        sources[name] = Source(
            file=name,
            title=str(item["title"]),
            publisher=str(item["publisher"]),
            date=str(item["date"]),
            date_note=str(item.get("date_note", "")),
            relative_dates=tuple((str(k), str(v)) for k, v in dict(relative).items()),
        )
    return sources, texts


def _document_problem(seeds_dir: Path, name: str) -> str | None:
    """Why `name` is not a document factbot may read, or None.

    A document's text is shown to anyone who asks (`!sources 6`), so the path must stay
    inside the seeds directory: `file: /proc/self/environ` or `../.env` would publish
    the token. Symbolic links are followed and judged by where they end.
    """
    try:
        root = seeds_dir.resolve(strict=True)
        target = (seeds_dir / name).resolve(strict=True)
    except (OSError, RuntimeError) as exc:  # missing, or a symlink loop
        return f"document {name} cannot be read from {seeds_dir}: {exc}"
    if not target.is_relative_to(root) or target == root:
        return f"document {name!r} is outside the seeds directory {seeds_dir}; give the name of a file inside it"
    if not target.is_file():
        return f"document {name!r} is not a regular file"
    size = target.stat().st_size
    if size > MAX_DOCUMENT_BYTES:
        return f"document {name} is {size:,} bytes, more than the {MAX_DOCUMENT_BYTES:,} allowed"
    return None


class _FactReader:
    """Turns one fact mapping into a `Fact`, reporting every problem it sees."""

    def __init__(
        self,
        path: Path,
        vocabulary: Vocabulary,
        doc: str,
        doc_text: str | None,
        out: Collector,
    ) -> None:
        self.path = path
        self.vocabulary = vocabulary
        self.doc = doc
        self.doc_text = DocumentText(doc_text) if doc_text is not None else None
        self.out = out

    def read(self, raw: Any, display: str) -> Fact | None:
        line = line_of(raw)
        if not isinstance(raw, dict):
            self.out.add(self.path, line, "a fact must be a mapping with id, place, metric, ...")
            return None
        ok = True

        def fail(message: str) -> None:
            nonlocal ok
            ok = False
            self.out.add(self.path, line, message)

        fact_id = str(raw.get("id", "?"))
        for key in FACT_REQUIRED:
            if raw.get(key) in (None, ""):
                fail(f"fact {fact_id}: missing '{key}:'")
        for key in raw:
            if key not in FACT_REQUIRED and key not in FACT_OPTIONAL:
                allowed = ", ".join(FACT_REQUIRED + FACT_OPTIONAL)
                fail(f"fact {fact_id}: unknown key '{key}:' (allowed: {allowed})")
        if not ok:
            return None
        if not _ID_RE.match(fact_id):
            fail(f"fact id {fact_id!r}: use lower-case letters, digits, '.', '_' and '-'")
        self._check_ref(raw["place"], self.vocabulary.places, "place", fact_id, fail)
        self._check_ref(raw["metric"], self.vocabulary.metrics, "metric", fact_id, fail)
        self._check_ref(raw["unit"], self.vocabulary.units, "unit", fact_id, fail)
        value = raw["value"]
        if isinstance(value, bool) or not isinstance(value, int | float):
            fail(f"fact {fact_id}: value {value!r} must be a number (write 10000000000, not '10 billion')")
        try:
            period = _period(str(raw["period"]))
        except PeriodError as exc:
            fail(f"fact {fact_id}: {exc}")
        quote = normalise_space(str(raw["quote"]))
        figure = str(raw["figure"])
        if self.doc_text is not None and quote not in self.doc_text:
            fail(f"fact {fact_id}: the quote is not in {self.doc}; copy the sentence verbatim from the document")
        if normalise_space(figure) not in quote:
            fail(f"fact {fact_id}: figure {figure!r} is not in the quote; copy it as the document writes it")
        qualifier = raw.get("qualifier")
        if qualifier is not None and str(qualifier) not in QUALIFIERS:
            fail(f"fact {fact_id}: qualifier {qualifier!r} is not one of {', '.join(QUALIFIERS)}")
        change = self._change(raw.get("change"), quote, fact_id, fail)
        equivalent = raw.get("equivalent")
        if equivalent is not None and normalise_space(str(equivalent)) not in quote:
            fail(f"fact {fact_id}: equivalent {equivalent!r} is not in the quote")
        if not ok:
            return None
        return Fact(
            id=fact_id,
            place=str(raw["place"]),
            metric=str(raw["metric"]),
            period=period,
            value=float(value),
            unit=str(raw["unit"]),
            figure=figure,
            quote=quote,
            doc=self.doc,
            qualifier=str(qualifier) if qualifier is not None else None,
            change=change,
            equivalent=str(equivalent) if equivalent is not None else None,
            note=str(raw["note"]) if raw.get("note") else None,
            file=display,
            line=line,
            tags=_strings(raw.get("tags")),
        )

    @staticmethod
    def _check_ref(
        value: Any, known: dict[str, Any], what: str, fact_id: str, fail: Callable[[str], None]
    ) -> None:
        if str(value) not in known:
            fail(f"fact {fact_id}: unknown {what} {value!r}; add it to {VOCABULARY_FILE} or fix the spelling")

    @staticmethod
    def _change(raw: Any, quote: str, fact_id: str, fail: Callable[[str], None]) -> Change | None:
        if raw is None:
            return None
        if not isinstance(raw, dict) or "figure" not in raw or "kind" not in raw:
            fail(f"fact {fact_id}: change needs 'kind:' and 'figure:'")
            return None
        kind, figure = str(raw["kind"]), str(raw["figure"])
        if kind not in CHANGE_KINDS:
            fail(f"fact {fact_id}: change kind {kind!r} is not one of {', '.join(CHANGE_KINDS)}")
        if normalise_space(figure) not in quote:
            fail(f"fact {fact_id}: change figure {figure!r} is not in the quote")
        value = raw.get("value")
        base = raw.get("base")
        if base is not None:
            try:
                parse_period(base)
            except PeriodError as exc:
                fail(f"fact {fact_id}: change base: {exc}")
        return Change(
            kind=kind,
            figure=figure,
            value=float(value) if isinstance(value, int | float) else None,
            base=str(base) if base is not None else None,
        )


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def _fact_files(facts_dir: Path) -> list[Path]:
    return [p for p in sorted(facts_dir.glob("*.yaml")) if p.name not in (VOCABULARY_FILE, LEXICON_FILE)]


@dataclass(frozen=True)
class _Context:
    """What checking a fact file needs from the rest of the store (sent once to each worker)."""

    vocabulary: Vocabulary
    sources: Mapping[str, Source]
    texts: Mapping[str, str]


def _read_fact_file(path: Path, display: str, context: _Context) -> tuple[list[Fact], list[Problem]]:
    """The facts of one file that pass every check, and the problems of the others."""
    out = Collector()
    try:
        data = load_yaml(path)
    except YamlError as exc:
        out.add(display, exc.line, exc.message)
        return [], out.problems
    if not isinstance(data, dict) or not isinstance(data.get("facts"), list):
        out.add(display, 1, "a fact file needs 'doc:' and a 'facts:' list")
        return [], out.problems
    for key in data:
        if key not in FILE_KEYS:
            out.add(display, line_of(data, 1), f"unknown top-level key '{key}:' (allowed: {', '.join(FILE_KEYS)})")
    doc = str(data.get("doc", ""))
    if doc not in context.sources:
        out.add(display, line_of(data, 1), f"doc {doc!r} is not listed in seeds/{SOURCES_FILE}")
    reader = _FactReader(Path(display), context.vocabulary, doc, context.texts.get(doc), out)
    facts = [fact for raw in data["facts"] if (fact := reader.read(raw, display)) is not None]
    return facts, out.problems


def collect(paths: StorePaths, *, workers: int | None = None) -> tuple[Store | None, list[Problem]]:
    """Load everything, returning the store (if it could be built) and all problems.

    A large store's fact files are read and checked in `workers` processes (by
    default one per core, see `bot.store.parallel`); the result is the same as
    reading them one after another.
    """
    out = Collector()
    facts_dir = paths.facts_dir
    vocab_path = facts_dir / VOCABULARY_FILE
    if not vocab_path.is_file():
        out.add(vocab_path, 0, f"no vocabulary: is {facts_dir} the facts directory?")
        return None, out.problems
    vocabulary = load_vocabulary(vocab_path, out)
    sources, texts = load_sources(paths.seeds_dir / SOURCES_FILE, paths.seeds_dir, out)
    files = [(path, _display(path, facts_dir)) for path in _fact_files(facts_dir)]
    per_file = read_files(_read_fact_file, files, _Context(vocabulary, sources, texts), workers=workers)
    facts: list[Fact] = []
    seen: dict[str, str] = {}
    for (_, display), (file_facts, file_problems) in zip(files, per_file, strict=True):
        out.problems.extend(file_problems)
        for fact in file_facts:
            if fact.id in seen:
                out.add(display, fact.line, f"duplicate id {fact.id!r} (first at {seen[fact.id]}); ids must be unique")
                continue
            seen[fact.id] = f"{display}:{fact.line}"
            facts.append(fact)
    if out.problems:
        return None, out.problems
    return EagerStore(vocabulary=vocabulary, sources=sources, facts=tuple(facts), documents=texts), []


def load_store(paths: StorePaths) -> Store:
    store, problems = collect(paths)
    if store is None:
        raise StoreError(problems)
    return store
