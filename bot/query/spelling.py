"""Spelling: words run together and misspelt words, put right before the question is read.

A question is read with the store's own words: the vocabulary's names and
aliases, the lexicon (stop words, fillers, operators, currencies, period
words) and the words of every fact's sentence. A word that is none of these
and no ordinary English is either a name or a misspelling. Split into known
words ("bondedzone"), or one edit from exactly one known word ("dolar",
"anual", "interconection"), it is put right; otherwise it is left as it is,
and the rest of the engine may still read it as an unknown name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.query.common_words import is_common_word
from bot.query.lexicon import Lexicon
from bot.query.text import words

_WORD = re.compile(r"[a-z]+")
_PATTERN_WORD = re.compile(r"[a-z]{4,}")  # words inside the lexicon's patterns
_ESCAPE = re.compile(r"\\[a-zA-Z]")  # \b, \s, \d: not letters of a word


def _pattern_words(pattern: str) -> list[str]:
    return _PATTERN_WORD.findall(_ESCAPE.sub(" ", pattern))


def _budget(word: str) -> int:
    if len(word) < 5:
        return 0
    return 1 if len(word) <= 7 else 2


@dataclass
class Speller:
    known: frozenset[str]
    vocabulary: frozenset[str]  # the words a split must include at least one of
    _choices: list[str] = field(init=False)
    _cache: dict[str, list[str] | None] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self._choices = sorted(w for w in self.known if len(w) >= 4)

    @classmethod
    def build(cls, lexicon: Lexicon, vocabulary_texts: Iterable[str], quotes: Iterable[str]) -> Speller:
        # whole words only: "jiang" of "Xin-jiang" is no word to correct "xjiang" into
        vocabulary = {w for text in vocabulary_texts for w in words(text) if w.isalpha()}
        known = set(vocabulary)
        known.update(lexicon.stop_words, lexicon.fillers, lexicon.qualifiers, lexicon.period_words)
        known.update(lexicon.folds, lexicon.folds.values(), lexicon.weak_words, lexicon.head_words)
        for rule in (*lexicon.phrases, *lexicon.period_phrases):
            known.update(_pattern_words(rule.pattern.pattern), _pattern_words(rule.replacement))
        for _, pattern in lexicon.operators:
            known.update(_pattern_words(pattern.pattern))
        for currency in lexicon.currencies:
            for pattern in currency.words:
                known.update(_pattern_words(pattern.pattern))
        for quote in quotes:
            known.update(w for w in words(quote) if w.isalpha())
        return cls(frozenset(known), frozenset(vocabulary))

    def correct(self, text: str) -> tuple[str, tuple[tuple[str, str], ...]]:
        """The text with misspellings put right, and what was changed (for --explain)."""
        changed: list[tuple[str, str]] = []

        def fix(match: re.Match[str]) -> str:
            word = match.group(0)
            replacement = self._correction(word)
            if replacement is None:
                return word
            changed.append((word, " ".join(replacement)))
            return " ".join(replacement)

        return _WORD.sub(fix, text), tuple(changed)

    def _correction(self, word: str) -> list[str] | None:
        if word in self._cache:
            return self._cache[word]
        result: list[str] | None = None
        if len(word) >= 5 and word not in self.known and not is_common_word(word):
            result = self._split(word) or self._nearest(word)
        if len(self._cache) < 50_000:
            self._cache[word] = result
        return result

    def _split(self, word: str) -> list[str] | None:
        for cut in range(3, len(word) - 2):
            left, right = word[:cut], word[cut:]
            if left in self.known and right in self.known and (left in self.vocabulary or right in self.vocabulary):
                return [left, right]
        return None

    def _nearest(self, word: str) -> list[str] | None:
        budget = _budget(word)
        hits = process.extract(word, self._choices, scorer=OSA.distance, score_cutoff=budget, limit=3)
        if not hits:
            return None
        best = [h for h in hits if h[1] == hits[0][1]]
        return [best[0][0]] if len(best) == 1 else None
