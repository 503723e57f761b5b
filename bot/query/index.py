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
from rapidfuzz.distance import OSA

from bot.query.common_words import is_common_word
from bot.query.lexicon import Lexicon
from bot.query.text import fold, singular, words
from bot.store.model import Vocabulary

NAMING_UNITS = frozenset({"rank", "count", "date", "fold"})
CURRENCY_UNITS = frozenset({"yuan", "usd"})
# Head words (lexicon `head_words`: "share", "growth", "rank") say what kind of
# figure is asked; the parser weighs them triple.
HEAD_WEIGHT = 3.0
# A weak word ("big", "volume") says little about which figure is wanted.
WEAK_WEIGHT = 0.25


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


def place_phrase_tokens(text: str, lexicon: Lexicon) -> tuple[str, ...]:
    """Words of a place name; hyphenated names split ("Qinghai-Xizang" = "Qinghai Xizang")."""
    return tuple(lexicon.fold_token(part) for w in words(text) for part in w.split("-") if part)


def typo_budget(word: str) -> int:
    """Edits (a transposition counts as one) a misspelt word of this length may carry."""
    if len(word) <= 4:
        return 0
    if len(word) <= 7:
        return 1
    return 2


def _subsequence(short: str, long: str) -> bool:
    letters = iter(long)
    return all(c in letters for c in short)


def place_typo_budget(word: str) -> int:
    """Place names are few and unlike English words: a dropped pair of letters ("xjiang") still reads."""
    if len(word) <= 4:
        return 0
    return 1 if len(word) == 5 else 2


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
        lex = self.lexicon = vocabulary.lexicon
        self.head_words = lex.head_words
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
                tokens = place_phrase_tokens(name, lex)
                if not tokens:
                    continue
                phrase = PlacePhrase(place.key, tokens)
                if phrase not in self.place_phrases[phrase.text]:
                    self.place_phrases[phrase.text].append(phrase)
                self.max_place_len = max(self.max_place_len, len(tokens))
        self.place_texts = list(self.place_phrases)
        # the first word of each multi-word name, by the name's length: most windows of a
        # question start with no such word and need no lookup at all
        self.place_starts: dict[int, frozenset[str]] = {
            size: frozenset(text.split()[0] for text in self.place_texts if len(text.split()) == size)
            for size in range(2, self.max_place_len + 1)
        }
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
                tokens = tuple(dict.fromkeys(t for t in lex.content_tokens(name) if t not in place_words))
                if tokens and tokens not in seen:
                    seen.add(tokens)
                    raw_aliases.append((metric.key, tokens))
                    for token in tokens:
                        token_metrics[token].add(metric.key)
        n_metrics = max(len(vocabulary.metrics), 1)
        self.token_df = {token: len(keys) for token, keys in token_metrics.items()}
        self.token_weight = {
            token: math.log(1.0 + n_metrics / len(keys)) * (WEAK_WEIGHT if token in lex.weak_words else 1.0)
            for token, keys in token_metrics.items()
        }
        self.aliases = [
            MetricAlias(
                key,
                tokens,
                sum(self.token_weight[t] for t in tokens),
                sum(self.token_weight[t] * (HEAD_WEIGHT if t in lex.head_words else 1.0) for t in tokens),
            )
            for key, tokens in raw_aliases
        ]
        # words that are by themselves the name of a metric ("GDP", "population"): a
        # question that says one and is read as another metric asks something else
        # ("cement" in "cement output growth" read as GDP growth). Only distinctive words:
        # one shared by many metrics ("trade", "growth") names none of them by itself.
        solo: defaultdict[str, set[str]] = defaultdict(set)
        for metric in vocabulary.metrics.values():
            for name in (metric.name, *metric.aliases):
                name_tokens = lex.content_tokens(name)
                # one word as written ("cement"), not a phrase its stop words reduce to one
                word = name_tokens[0] if len(name_tokens) == 1 and len(words(name)) == 1 else ""
                distinctive = self.token_df.get(word, 0) <= 2 and word not in lex.weak_words
                if word and (name == metric.name or distinctive):
                    solo[word].add(metric.key)
        self.solo_metrics = {t: frozenset(keys) for t, keys in solo.items()}  # units are added below
        self.aliases_by_token: defaultdict[str, list[int]] = defaultdict(list)
        for i, alias in enumerate(self.aliases):
            for token in alias.tokens:
                self.aliases_by_token[token].append(i)
        self.cjk_metrics.sort(key=lambda pair: -len(pair[0]))  # longest first
        # typo targets: every metric word, and the inflected forms that fold into one
        # ("growht" is a typo of "growth", which folds to "grow")
        self.fuzzy_targets = {t: t for t in self.token_weight}
        for surface, folded in lex.folds.items():
            if folded in self.token_weight and len(surface) >= 5 and " " not in surface:
                self.fuzzy_targets.setdefault(surface, folded)
        self.metric_tokens = list(self.fuzzy_targets)
        # measurement words ("kilometers", "hours") are explained by a metric measured in them
        unit_of_token: defaultdict[str, set[str]] = defaultdict(set)
        for unit in vocabulary.units.values():
            if unit.key in NAMING_UNITS:
                continue
            for name in (unit.name, unit.key, *unit.aliases):
                for t in lex.content_tokens(name):
                    unit_of_token[t].add(unit.key)
        self.unit_of_token = {t: frozenset(keys) for t, keys in unit_of_token.items()}
        # a measure named outright ("how many tonnes", "in kwh"): one word, one unit; money
        # has its own rules (printed equivalents), so currencies are left out
        # every word of every name of a metric (for the lexicon's contrasts)
        self.metric_name_tokens = {
            metric.key: frozenset(t for name in (metric.name, *metric.aliases) for t in lex.content_tokens(name))
            for metric in vocabulary.metrics.values()
        }
        # every word of a unit's names: "kilometers" is one of "square kilometers"
        self.unit_words = {
            unit.key: frozenset(t for name in (unit.name, unit.key, *unit.aliases) for t in lex.content_tokens(name))
            for unit in vocabulary.units.values()
        }
        self.measure_of_word = {
            singular(lex.fold_token(word)): unit.key
            for unit in vocabulary.units.values()
            if unit.key not in NAMING_UNITS and unit.key not in CURRENCY_UNITS
            for word in (unit.name, unit.key, *unit.aliases)
            if len(word) >= 2 and " " not in word and "-" not in word and word.isalnum()
        }
        # a measurement word ("km", "hours") names no metric by itself
        self.solo_metrics = {t: keys for t, keys in self.solo_metrics.items() if t not in self.unit_of_token}
        self.metric_units = {m: frozenset(units) for m, units in (metric_units or {}).items()}
        self.metric_token_set = frozenset(self.metric_tokens)
        self.place_token_set = frozenset(t for text in self.place_texts for t in text.split())
        # one-word names by phonetic key, for misspellings by ear ("shizang")
        self.place_by_key = {
            self.lexicon.phonetic_key(text): text for text in self.place_texts if " " not in text and len(text) >= 4
        }
        self.place_keys = list(self.place_by_key)
        # every word of every name of a place: "pilot" after "Xinjiang FTZ" names the place
        # (one pass over the phrases, not one per place: a large store has thousands of places)
        name_words: dict[str, list[str]] = {key: [] for key in vocabulary.places}
        for phrases in self.place_phrases.values():
            for phrase in phrases:
                if phrase.place in name_words:
                    name_words[phrase.place].append(phrase.text)
        self.place_name_words: dict[str, tuple[str, ...]] = {key: tuple(texts) for key, texts in name_words.items()}
        self._rare_place_words: dict[str, frozenset[str]] = {}
        self._inner_place_words: dict[str, frozenset[str]] = {}

    def inner_place_words(self, place: str) -> frozenset[str]:
        """The rare words of the names of places within `place` that its own names lack
        ("bonded" for Kashi, from the Kashi Comprehensive Bonded Zone). Worked out the first
        time a place is read."""
        found = self._inner_place_words.get(place)
        if found is None:
            inner = [key for key in self.vocabulary.places if place in self.ancestors(key)]
            found = frozenset().union(*(self.rare_place_words(key) for key in inner)) - self.rare_place_words(place)
            self._inner_place_words[place] = found
        return found

    def rare_place_words(self, place: str) -> frozenset[str]:
        """The words of a place's names that few metrics use ("bonded" in "Kashi Comprehensive
        Bonded Zone"): said beside the place, they describe it, not the metric. Worked out the
        first time a place is named."""
        found = self._rare_place_words.get(place)
        if found is None:
            lex = self.lexicon
            found = frozenset(
                w
                for name in self.place_name_words.get(place, ())
                for w in (singular(lex.fold_token(part)) for part in name.replace("-", " ").split())
                if self.token_df.get(w, 0) <= 3
            )
            self._rare_place_words[place] = found
        return found

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

        One word is compared on its phonetic key ("shinjiang" and "xinjiang"
        read alike) with an edit distance that counts a transposition as one
        edit. Several words must each be close to their counterpart, so "bonded
        zone trade" cannot pass for "bonded zone" plus a typo. An ordinary English
        word is never a misspelt place.
        """
        if len(tokens) == 1:
            return self._fuzzy_place_word(tokens[0])
        text = " ".join(tokens)
        cutoff = fuzzy_cutoff(text)
        candidates = self.place_texts_by_len.get(len(tokens))
        if cutoff is None or not candidates:
            return [], 0.0
        for hit, score, _ in process.extract(text, candidates, scorer=fuzz.ratio, score_cutoff=cutoff, limit=3):
            pairs = zip(tokens, hit.split(), strict=True)
            # a word that names a metric ("trade", "zone") is not a misspelt place word
            if all(a == b or (a not in self.metric_token_set and self._close(a, b)) for a, b in pairs):
                return self.place_phrases[hit], score / 100.0
        return [], 0.0

    def _close(self, word: str, name: str) -> bool:
        budget = typo_budget(word)
        if not budget or is_common_word(word):
            return False
        key, target = self.lexicon.phonetic_key(word), self.lexicon.phonetic_key(name)
        return OSA.distance(key, target, score_cutoff=budget) <= budget

    def _fuzzy_place_word(self, word: str) -> tuple[list[PlacePhrase], float]:
        if word in self.metric_token_set or not typo_budget(word) or is_common_word(word):
            return [], 0.0
        key = self.lexicon.phonetic_key(word)
        exact = self.place_by_key.get(key)
        if exact is not None:
            return self.place_phrases[exact], 0.95
        budget = place_typo_budget(key)
        hits = process.extract(key, self.place_keys, scorer=OSA.distance, score_cutoff=budget, limit=4)
        if not hits or not budget:
            return [], 0.0
        # of two names as far off, the one the word is a shortening of ("xjiang" drops
        # letters of "xinjiang", not of "xizang"); a tie beyond that is no reading
        closest = [h for h in hits if h[1] == hits[0][1]]
        # (two names of one place as far off, "sinjiang" from "xinjiang" and "sinkiang", are one reading)
        if len({frozenset(p.place for p in self.place_phrases[self.place_by_key[h[0]]]) for h in closest}) == 1:
            closest = closest[:1]
        if len(closest) > 1:
            closest = [h for h in closest if _subsequence(key, h[0])]
            if len(closest) != 1:
                return [], 0.0
        found, distance, _ = closest[0]
        phrases = self.place_phrases[self.place_by_key[found]]
        if distance > 1 and not any(p.place in self.places_with_facts for p in phrases):
            # two edits from a place the documents say nothing about is more likely a
            # name ("Yan Jinhai") than a misspelling of it
            return [], 0.0
        return phrases, 1.0 - distance / max(len(key), 1)

    def _known_word(self, word: str, *, or_stop: bool = False) -> bool:
        token = singular(self.lexicon.fold_token(word))
        if or_stop and word in self.lexicon.stop_words:
            return True
        return token in self.metric_token_set or word in self.place_token_set

    def split_compound(self, word: str) -> list[str] | None:
        """Words run together ("tradepartners", "datacenter") split into vocabulary words.

        Every part is a known word, and at least one is a vocabulary word ("data" is
        a stop word, "center" is not).
        """
        if len(word) < 7 or not word.isalpha() or self._known_word(word) or is_common_word(word):
            return None
        parts = self._split(word)
        return parts if parts and any(self._known_word(p) for p in parts) else None

    def _split(self, word: str) -> list[str] | None:
        for cut in range(3, len(word) - 2):
            left, right = word[:cut], word[cut:]
            if self._known_word(left, or_stop=True):
                if self._known_word(right, or_stop=True):
                    return [left, right]
                rest = self._split(right) if len(right) >= 6 else None
                if rest is not None:
                    return [left, *rest]
        return None

    def match_metric_token(self, token: str) -> list[tuple[str, float]]:
        """Vocabulary tokens a query token stands for, with a similarity in (0, 1].

        A misspelling is within a few edits (a transposition is one: "growht");
        an ordinary English word is not a misspelling ("report" is not "resort").
        """
        if token in self.token_weight:
            return [(token, 1.0)]
        budget = typo_budget(token) or (1 if len(token) == 4 and token.isalpha() else 0)  # "powr"
        if not budget or is_common_word(token):
            return []
        hits = process.extract(token, self.metric_tokens, scorer=OSA.distance, score_cutoff=budget, limit=3)
        found: dict[str, float] = {}
        for hit, distance, _ in hits:
            target = self.fuzzy_targets[hit]
            found[target] = max(found.get(target, 0.0), 1.0 - distance / max(len(token), 1))
        return list(found.items())
