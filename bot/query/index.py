"""Indexes over the vocabulary, built once per store snapshot.

Place names are found as phrases (longest first, typo-tolerant); metrics are
scored by which of their alias tokens a query contains, weighted by how
distinctive each token is (a token shared by many metrics, like "share",
says less than "cement").
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.query.text import TOKEN_FOLDS, WEAK_WEIGHT, WEAK_WORDS, content_tokens, fold, fold_token, words
from bot.store.model import Vocabulary

NAMING_UNITS = frozenset({"rank", "count", "date", "fold"})
# Words that say what kind of figure is asked; the parser weighs them triple.
HEAD_WORDS = frozenset({"share", "grow", "rank", "capita"})
HEAD_WEIGHT = 3.0


@dataclass(frozen=True)
class PlacePhrase:
    place: str
    tokens: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


@dataclass(frozen=True)
class MetricAlias:
    metric: str
    tokens: tuple[str, ...]
    weight: float  # sum of the token weights
    head_weight: float  # the same with head words ("share", "growth", "rank") counting triple


def place_phrase_tokens(text: str) -> tuple[str, ...]:
    """Words of a place name; hyphenated names split ("Qinghai-Xizang" = "Qinghai Xizang")."""
    return tuple(fold_token(part) for w in words(text) for part in w.split("-") if part)


def is_cjk(text: str) -> bool:
    """Chinese (and other CJK) names have no spaces: they are matched as substrings."""
    return any(ord(c) >= 0x2E80 for c in text)


def fuzzy_cutoff(token: str) -> float | None:
    """How similar (rapidfuzz ratio) a typo must be to count; short words must be exact."""
    if len(token) <= 4:
        return None
    if len(token) <= 6:
        return 80.0
    return 84.0


class VocabularyIndex:
    def __init__(
        self,
        vocabulary: Vocabulary,
        places_with_facts: set[str],
        metric_units: dict[str, set[str]] | None = None,
    ) -> None:
        self.vocabulary = vocabulary
        self.places_with_facts = places_with_facts
        # --- places ---
        self.place_phrases: dict[str, list[PlacePhrase]] = defaultdict(list)  # by joined text
        self.scripts: list[tuple[str, str]] = []  # non-Latin aliases, found as substrings
        self.max_place_len = 1
        for place in vocabulary.places.values():
            for name in (place.name, place.key.replace("_", " "), *place.aliases):
                if is_cjk(name):
                    self.scripts.append((fold(name), place.key))
                    continue
                tokens = place_phrase_tokens(name)
                if not tokens:
                    continue
                phrase = PlacePhrase(place.key, tokens)
                if phrase not in self.place_phrases[phrase.text]:
                    self.place_phrases[phrase.text].append(phrase)
                self.max_place_len = max(self.max_place_len, len(tokens))
        self.place_texts = list(self.place_phrases)
        # multi-word names, for finding them when the query reorders their words
        self.multiword_places = sorted(
            (p for phrases in self.place_phrases.values() for p in phrases if len(set(p.tokens)) > 1),
            key=lambda p: -len(p.tokens),
        )
        self.multiword_by_token: defaultdict[str, list[PlacePhrase]] = defaultdict(list)
        for phrase in self.multiword_places:
            self.multiword_by_token[phrase.tokens[0]].append(phrase)
        by_len: defaultdict[int, list[str]] = defaultdict(list)
        for text in self.place_texts:
            by_len[len(text.split())].append(text)
        self.place_texts_by_len = dict(by_len)
        self.depth = {key: self._depth(key) for key in vocabulary.places}
        # --- metrics ---
        token_metrics: defaultdict[str, set[str]] = defaultdict(set)
        raw_aliases: list[tuple[str, tuple[str, ...]]] = []
        # a word that is by itself a place name ("Tibetan" medicine, "FTZ" areas, "China's"
        # water) is always read as the place, so a metric alias cannot count on it
        place_words = {text for text, phrases in self.place_phrases.items() if " " not in text}
        self.cjk_metrics: list[tuple[str, str]] = []  # Chinese aliases, found as substrings
        for metric in vocabulary.metrics.values():
            seen: set[tuple[str, ...]] = set()
            for name in (metric.name, *metric.aliases):
                if is_cjk(name):
                    self.cjk_metrics.append((fold(name), metric.key))
                    continue
                tokens = tuple(dict.fromkeys(t for t in content_tokens(name) if t not in place_words))
                if tokens and tokens not in seen:
                    seen.add(tokens)
                    raw_aliases.append((metric.key, tokens))
                    for token in tokens:
                        token_metrics[token].add(metric.key)
        n_metrics = max(len(vocabulary.metrics), 1)
        self.token_df = {token: len(keys) for token, keys in token_metrics.items()}
        self.token_weight = {
            token: math.log(1.0 + n_metrics / len(keys)) * (WEAK_WEIGHT if token in WEAK_WORDS else 1.0)
            for token, keys in token_metrics.items()
        }
        self.aliases = [
            MetricAlias(
                key,
                tokens,
                sum(self.token_weight[t] for t in tokens),
                sum(self.token_weight[t] * (HEAD_WEIGHT if t in HEAD_WORDS else 1.0) for t in tokens),
            )
            for key, tokens in raw_aliases
        ]
        # words that are by themselves the name of a metric ("GDP", "population"): a
        # question that says one and is read as another metric asks something else
        solo: defaultdict[str, set[str]] = defaultdict(set)
        for metric in vocabulary.metrics.values():
            name_tokens = content_tokens(metric.name)
            if len(name_tokens) == 1:
                solo[name_tokens[0]].add(metric.key)
        self.solo_metrics = {t: frozenset(keys) for t, keys in solo.items()}
        self.aliases_by_token: defaultdict[str, list[int]] = defaultdict(list)
        for i, alias in enumerate(self.aliases):
            for token in alias.tokens:
                self.aliases_by_token[token].append(i)
        self.cjk_metrics.sort(key=lambda pair: -len(pair[0]))  # longest first
        # typo targets: every metric word, and the inflected forms that fold into one
        # ("growht" is a typo of "growth", which folds to "grow")
        self.fuzzy_targets = {t: t for t in self.token_weight}
        for surface, folded in TOKEN_FOLDS.items():
            if folded in self.token_weight and len(surface) >= 5 and " " not in surface:
                self.fuzzy_targets.setdefault(surface, folded)
        self.metric_tokens = list(self.fuzzy_targets)
        # measurement words ("kilometers", "hours") are explained by a metric measured in them
        unit_of_token: defaultdict[str, set[str]] = defaultdict(set)
        for unit in vocabulary.units.values():
            if unit.key in NAMING_UNITS:
                continue
            for name in (unit.name, unit.key, *unit.aliases):
                for t in content_tokens(name):
                    unit_of_token[t].add(unit.key)
        self.unit_of_token = {t: frozenset(keys) for t, keys in unit_of_token.items()}
        self.metric_units = {m: frozenset(units) for m, units in (metric_units or {}).items()}
        self.metric_token_set = frozenset(self.metric_tokens)
        self.place_token_set = frozenset(t for text in self.place_texts for t in text.split())

    def _depth(self, key: str) -> int:
        depth, seen = 0, set()
        place = self.vocabulary.places.get(key)
        while place is not None and place.within and place.within not in seen:
            seen.add(place.within)
            depth += 1
            place = self.vocabulary.places.get(place.within)
        return depth

    def ancestors(self, key: str) -> list[str]:
        out: list[str] = []
        place = self.vocabulary.places.get(key)
        while place is not None and place.within and place.within not in out:
            out.append(place.within)
            place = self.vocabulary.places.get(place.within)
        return out

    def exact_place(self, tokens: list[str]) -> list[PlacePhrase]:
        return self.place_phrases.get(" ".join(tokens), [])

    def fuzzy_place(self, tokens: list[str]) -> tuple[list[PlacePhrase], float]:
        """A typo-tolerant match against names of the same number of words.

        Every word must be close to its counterpart, so "bonded zone trade"
        cannot pass for "bonded zone" plus a typo.
        """
        text = " ".join(tokens)
        cutoff = fuzzy_cutoff(text)
        candidates = self.place_texts_by_len.get(len(tokens))
        if cutoff is None or not candidates:
            return [], 0.0
        for hit, score, _ in process.extract(text, candidates, scorer=fuzz.ratio, score_cutoff=cutoff, limit=3):
            pairs = zip(tokens, hit.split(), strict=True)
            # a word that names a metric ("trade", "zone") is not a misspelt place word
            if all(
                a == b or (a not in self.metric_token_set and fuzzy_cutoff(a) is not None and fuzz.ratio(a, b) >= 75)
                for a, b in pairs
            ):
                return self.place_phrases[hit], score / 100.0
        return [], 0.0

    def match_metric_token(self, token: str) -> list[tuple[str, float]]:
        """Vocabulary tokens a query token stands for, with a similarity in (0, 1]."""
        if token in self.token_weight:
            return [(token, 1.0)]
        cutoff = fuzzy_cutoff(token)
        if cutoff is None:
            return []
        # stricter than for places: "report" must not pass for "resort"
        strict = 90.0 if len(token) <= 6 else cutoff + 3
        hits = process.extract(token, self.metric_tokens, scorer=fuzz.ratio, score_cutoff=strict, limit=3)
        found: dict[str, float] = {}
        for hit, score, _ in hits:
            target = self.fuzzy_targets[hit]
            found[target] = max(found.get(target, 0.0), score / 100.0)
        return list(found.items())
