"""`factbot coverage`: numbers in the seed documents that no fact cites.

A number counts as cited when a fact whose quote overlaps its sentence states
it (in `figure`, `change` or `equivalent`), when it is the year of such a fact
(years locate a figure rather than state one), or when the fact file lists it
under `uncited:` with a reason. The skipped kinds of line are documented in
`bot.store.seedtext`.
"""

from __future__ import annotations

import re
from pathlib import Path

from bot.store.loader import normalise_space
from bot.store.model import Fact
from bot.store.seedtext import YEAR_RE, sentences
from bot.store.snapshot import Store
from bot.store.yamlio import YamlError, load_yaml


def _uncited(facts_dir: Path) -> dict[str, list[str]]:
    """doc -> the `uncited:` texts of its fact files."""
    out: dict[str, list[str]] = {}
    for path in sorted(facts_dir.glob("*.yaml")):
        try:
            data = load_yaml(path)
        except YamlError:
            continue
        if isinstance(data, dict) and isinstance(data.get("uncited"), list):
            texts = [str(item.get("text", "")) for item in data["uncited"] if isinstance(item, dict)]
            out.setdefault(str(data.get("doc", "")), []).extend(texts)
    return out


def _stated(fact: Fact) -> str:
    parts = [fact.figure, fact.change.figure if fact.change else "", fact.equivalent or ""]
    return " ".join(parts)


def coverage_report(store: Store, facts_dir: Path) -> list[str]:
    uncited = _uncited(facts_dir)
    gaps: list[str] = []
    for doc, text in store.documents.items():
        facts = store.by_doc.get(doc, ())
        quotes = [(normalise_space(f.quote), f) for f in facts]
        skipped = " ".join(uncited.get(doc, []))
        for sentence in sentences(text):
            plain = normalise_space(sentence.text)
            citing = [f for q, f in quotes if plain in q or q in plain or _overlap(plain, q)]
            stated = " ".join(_stated(f) for f in citing)
            for number in sentence.numbers:
                if number in stated or number in skipped:
                    continue
                if citing and (YEAR_RE.match(number) or re.search(rf"\b{re.escape(number)}\s+months\b", plain)):
                    continue
                gaps.append(f"seeds/{doc}:{sentence.line}: {number} in: {sentence.text[:160]}")
    return gaps


def _overlap(sentence: str, quote: str) -> bool:
    """A quote that shares a long run of words with the sentence (quotes may span sentences)."""
    head = sentence[:60]
    return len(head) >= 30 and head in quote
