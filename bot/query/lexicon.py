"""The language of questions, loaded from `facts/lexicon.yaml`.

Stop words, folds, phrase rewrites (English and Chinese), period words and
phrases, operator patterns, currencies, qualifiers and phonetic spellings are
data a curator edits; this module only compiles them. A lexicon belongs to a
store snapshot, so a reload picks up a new synonym like a new fact.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.query.prefilter import Prefilter
from bot.query.text import singular, words

LEXICON_FILE = "lexicon.yaml"
_ASIDE_END = re.compile(r"[,.;:?!()\[\]]")  # where what a question sets aside ends


class LexiconError(ValueError):
    """A lexicon entry that cannot be used, with where it is."""


@dataclass(frozen=True)
class Rewrite:
    pattern: re.Pattern[str]
    replacement: str


@dataclass(frozen=True)
class Currency:
    key: str
    words: tuple[re.Pattern[str], ...]
    printed: tuple[str, ...]  # how an equivalent in this currency is printed ("$", "dollar")


@dataclass(frozen=True)
class Kind:
    key: str
    words: tuple[re.Pattern[str], ...]
    units: frozenset[str]  # the fact units that answer a question of this kind


@dataclass(frozen=True)
class Lexicon:
    stop_words: frozenset[str] = frozenset()
    fillers: frozenset[str] = frozenset()  # dropped from questions, never from aliases
    folds: Mapping[str, str] = field(default_factory=dict)
    weak_words: frozenset[str] = frozenset()
    head_words: frozenset[str] = frozenset()
    # the units a head word's figures come in ("grow": percent, a multiple); a head word with
    # none listed fits any kind of question
    head_units: Mapping[str, frozenset[str]] = field(default_factory=dict)
    phrases: tuple[Rewrite, ...] = ()
    chinese: tuple[tuple[str, str], ...] = ()  # longest first
    period_words: frozenset[str] = frozenset()
    period_phrases: tuple[Rewrite, ...] = ()
    operators: tuple[tuple[str, re.Pattern[str]], ...] = ()
    operator_evidence: Mapping[str, frozenset[str]] = field(default_factory=dict)
    currencies: tuple[Currency, ...] = ()
    kinds: tuple[Kind, ...] = ()
    qualifiers: frozenset[str] = frozenset()
    attribution_cues: frozenset[str] = frozenset()
    speaker_cues: frozenset[str] = frozenset()
    organisations: frozenset[str] = frozenset()
    confirmation_words: frozenset[str] = frozenset()  # a wh-question asking to confirm a figure it states
    contrasts: tuple[tuple[frozenset[str], frozenset[str]], ...] = ()
    context_openers: tuple[re.Pattern[str], ...] = ()
    set_asides: tuple[re.Pattern[str], ...] = ()  # open what a question sets aside (also context)
    stated_changes: tuple[re.Pattern[str], ...] = ()  # a change stated beside a pasted gap
    stated_shares: tuple[re.Pattern[str], ...] = ()  # a share stated beside a pasted gap
    recollections: tuple[re.Pattern[str], ...] = ()
    # "how many tourists altogether?": words that ask the total of what they are said beside,
    # a sum only when the question names several things to add (`several_things`)
    total_words: tuple[re.Pattern[str], ...] = ()
    several_things: tuple[re.Pattern[str], ...] = ()
    phonetic: tuple[tuple[str, str], ...] = ()

    # -- words ------------------------------------------------------------
    def fold_token(self, token: str) -> str:
        return self.folds.get(token, token)

    def content_tokens(self, text: str) -> list[str]:
        """The meaningful tokens of a phrase: folded, with stop words removed.

        Hyphenated words are split too ("e-commerce" stays whole through the fold
        table, "Qinghai-Xizang" becomes two tokens).
        """
        out: list[str] = []
        for word in words(text):
            folded = self.fold_token(word)
            parts = [self.fold_token(p) for p in folded.split("-") if p] if "-" in folded else [folded]
            for part in parts:
                if part and part not in self.stop_words and not part.isdigit():
                    out.append(singular(part))
        return out

    def only_a_total(self, operator: tuple[str, str], folded: str) -> bool:
        """A sum asked only by a word of the total ("all told", "altogether") in a question that
        names nothing else to add ("plus", "all the projects"): the total is the figure itself."""
        return (
            operator[0] == "sum"
            and any(p.fullmatch(operator[1]) for p in self.total_words)
            and not any(p.search(folded) for p in self.several_things)
        )

    def without_total_words(self, text: str) -> str:
        for pattern in self.total_words:
            text = pattern.sub(" ", text)
        return text

    # -- phrases ----------------------------------------------------------
    # Most questions match none of a section's patterns: each pattern's required
    # literals rule it out with a substring test before its regular expression runs
    # (see bot.query.prefilter), and a whole section is skipped when none can match.
    @cached_property
    def _phrase_filter(self) -> Prefilter:
        return Prefilter(r.pattern for r in self.phrases)

    @cached_property
    def _period_phrase_filter(self) -> Prefilter:
        return Prefilter(r.pattern for r in self.period_phrases)

    @cached_property
    def _operator_filter(self) -> Prefilter:
        return Prefilter(p for _, p in self.operators)

    @cached_property
    def _currency_filter(self) -> Prefilter:
        return Prefilter(p for c in self.currencies for p in c.words)

    @cached_property
    def _kind_filter(self) -> Prefilter:
        return Prefilter(p for k in self.kinds for p in k.words)

    @cached_property
    def _context_filter(self) -> Prefilter:
        return Prefilter((*self.context_openers, *self.set_asides))

    @cached_property
    def _set_aside_filter(self) -> Prefilter:
        return Prefilter(self.set_asides)

    def without_stated_changes(self, folded: str) -> str:
        """The text with the changes it states removed ("an increase of 80.8 percent")."""
        for pattern in self.stated_changes:
            folded = pattern.sub(" ", folded)
        return folded

    def without_stated_shares(self, folded: str) -> str:
        """The text with the shares it states of its figure removed ("accounting for 52.43% of ...")."""
        for pattern in self.stated_shares:
            folded = pattern.sub(" ", folded)
        return folded

    def set_aside_words(self, folded: str) -> frozenset[str]:
        """The content words of what a question sets aside ("not the revenue" -> revenue)."""
        return frozenset().union(*self.set_aside_spans(folded))

    def set_aside_spans(self, folded: str) -> tuple[frozenset[str], ...]:
        """The content words of each thing a question sets aside ("not the revenue, not the
        growth" -> {revenue}, {growth})."""
        found: list[frozenset[str]] = []
        for i in self._set_aside_filter.candidates(folded):
            for match in self.set_asides[i].finditer(folded):
                span = _ASIDE_END.split(folded[match.end() :], maxsplit=1)[0]
                tokens = frozenset(self.content_tokens(span))
                if tokens:
                    found.append(tokens)
        return tuple(found)

    @cached_property
    def _recollection_filter(self) -> Prefilter:
        return Prefilter(self.recollections)

    def rewrite(self, folded: str) -> str:
        """Chinese terms into English, then everyday phrases into the vocabulary's words."""
        return self.rewrite_phrases(self.rewrite_chinese(folded))

    def rewrite_chinese(self, folded: str) -> str:
        if any(ord(c) >= 0x2E80 for c in folded):
            for term, english in self.chinese:
                if term in folded:
                    folded = folded.replace(term, english)
        return folded

    def rewrite_phrases(self, folded: str) -> str:
        return _rewrite(folded, self.phrases, self._phrase_filter)

    def rewrite_periods(self, folded: str) -> str:
        return _rewrite(folded, self.period_phrases, self._period_phrase_filter)

    def operator(self, folded: str) -> tuple[str, str] | None:
        """The first derived operation the question asks for: (kind, the words that ask it)."""
        found = self._operator_filter.first_match(folded)
        return (self.operators[found[0]][0], found[1].group(0).strip()) if found else None

    def currency(self, folded: str) -> tuple[Currency, str] | None:
        found = self._currency_filter.first_match(folded)
        return (self._currency_of[found[0]], found[1].group(0).strip()) if found else None

    def kind(self, folded: str) -> Kind | None:
        """The kind of figure asked ("how many": a count), when the question says."""
        found = self._kind_filter.first_match(folded)
        return self._kind_of[found[0]] if found else None

    # the currency and the kind each pattern of their filters belongs to, in the filters' order
    @cached_property
    def _currency_of(self) -> tuple[Currency, ...]:
        return tuple(c for c in self.currencies for _ in c.words)

    @cached_property
    def _kind_of(self) -> tuple[Kind, ...]:
        return tuple(k for k in self.kinds for _ in k.words)

    @cached_property
    def _any_context_opener(self) -> str:
        return _either((*self.context_openers, *self.set_asides)).pattern

    def mark_context(self, folded: str, opening: str, closing: str) -> str:
        """Marks around each context clause: an opener and the words up to the next comma."""
        if not self.context_openers or not self._context_filter.may_match(folded):
            return folded
        clause = _context_clause(self._any_context_opener, closing.split()[0])
        return clause.sub(lambda m: f" {opening} {m.group(0)} {closing} ", folded)

    def recollects(self, clause: str) -> bool:
        """Whether a clause tells what the asker remembers or was told ("I know it was under
        700k tons back in 2012"): the figure and the year in it are not what is asked."""
        return self._recollection_filter.first_match(clause) is not None

    def phonetic_key(self, word: str) -> str:
        """A spelling by ear reduced to the pinyin it stands for: "shinjiang" -> "xinjiang"."""
        for spelling, pinyin in self.phonetic:
            word = word.replace(spelling, pinyin)
        return word


def _rewrite(folded: str, rules: tuple[Rewrite, ...], prefilter: Prefilter) -> str:
    """Apply each rule that may match the text as it stands (an earlier rule's rewrite can
    make a later one match: "cooking pots" becomes "cookware" before "high-altitude cookware")."""
    at = prefilter.candidates(folded)
    n = 0
    while n < len(at):
        i = at[n]
        rewritten = rules[i].pattern.sub(rules[i].replacement, folded)
        n += 1
        if rewritten != folded:
            # the new text may let later rules through, or rule some out: look again
            folded = rewritten
            at = [j for j in prefilter.candidates(folded) if j > i]
            n = 0
    return folded


@lru_cache(maxsize=8)  # one opener pattern per lexicon, one clause mark
def _context_clause(openers: str, clause_mark: str) -> re.Pattern[str]:
    """An opener and the rest of its clause, up to a comma, the end of the sentence, the next
    clause mark or a request. A decimal point is no full stop, a thousands separator ("18,000")
    no comma."""
    stop = re.escape(clause_mark)
    # (a request after the opener asks: "For my telecom report | I need the number of ...")
    request = r"\b(?:i|we)\s+(?:really\s+|only\s+|just\s+|also\s+)?(?:need|want|would\s+like)\b|\bi'?d\s+like\b"
    return re.compile(rf"(?:{openers})(?:(?!{stop}|{request})[^,?!;.]|\.(?=\d)|(?<=\d),(?=\d))*")


def _either(patterns: Iterable[re.Pattern[str]]) -> re.Pattern[str]:
    """One pattern that matches where any of `patterns` does (a test, not a rewrite)."""
    listed = [p.pattern for p in patterns]
    return re.compile("|".join(f"(?:{p})" for p in listed)) if listed else re.compile(r"(?!)")


def _contrasts(raw: Any, where: str) -> tuple[tuple[frozenset[str], frozenset[str]], ...]:
    """Pairs of word groups that ask for different quantities: `[[output, production], [resource]]`."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(pair, list) and len(pair) == 2 for pair in raw):
        raise LexiconError(f"{where} must be a list of pairs of word lists")
    return tuple(
        (frozenset(singular(w) for w in _strings(a, where)), frozenset(singular(w) for w in _strings(b, where)))
        for a, b in raw
    )


def _strings(value: Any, where: str) -> list[str]:
    """A list of words, lower-cased as the folded question is."""
    return [v.lower() for v in _patterns(value, where)]


def _patterns(value: Any, where: str) -> list[str]:
    """A list of regular expressions, kept as written: lower-casing would turn \\S into \\s."""
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        raise LexiconError(f"{where} must be a list of words")
    return [str(v) for v in value]


def _compiled(data: dict[str, Any], key: str, name: str) -> tuple[re.Pattern[str], ...]:
    """A section of regular expressions, each compiled."""
    return tuple(_compile(p, f"{name}: {key}") for p in _patterns(data.get(key), key))


def _compile(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise LexiconError(f"{where}: {pattern!r} is not a valid regular expression: {exc}") from exc


def _rewrites(raw: Any, where: str) -> tuple[Rewrite, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        raise LexiconError(f"{where} must map patterns to replacements")
    return tuple(Rewrite(_compile(str(k), where), str(v)) for k, v in raw.items())


def _pairs(raw: Any, where: str) -> Iterable[tuple[str, str]]:
    if raw is None:
        return ()
    if isinstance(raw, dict):
        return ((str(k), str(v)) for k, v in raw.items())
    if isinstance(raw, list) and all(isinstance(p, list) and len(p) == 2 for p in raw):
        return ((str(a), str(b)) for a, b in raw)
    raise LexiconError(f"{where} must be a mapping or a list of pairs")


def _worded(raw: Any, where: str, listing: str) -> list[tuple[str, tuple[re.Pattern[str], ...], list[str]]]:
    """Entries of the shape `key: {words: [patterns], <listing>: [strings]}` (currencies, kinds)."""
    entries = []
    for key, body in (raw or {}).items():
        if not isinstance(body, dict):
            raise LexiconError(f"{where}.{key} needs 'words:' and '{listing}:'")
        patterns = tuple(_compile(p, f"{where}.{key}") for p in _patterns(body.get("words"), f"{where}.{key}"))
        entries.append((str(key), patterns, _strings(body.get(listing), f"{where}.{key}")))
    return entries


def parse_lexicon(data: Any, name: str = LEXICON_FILE) -> Lexicon:
    if data is None:
        return Lexicon()
    if not isinstance(data, dict):
        raise LexiconError(f"{name}: the lexicon is a mapping of sections")
    folds: dict[str, str] = {}
    for target, surfaces in (data.get("folds") or {}).items():
        for surface in _strings(surfaces, f"{name}: folds.{target}"):
            folds[surface] = str(target).lower()
    operators: list[tuple[str, re.Pattern[str]]] = []
    for kind, patterns in (data.get("operators") or {}).items():
        for pattern in _patterns(patterns, f"{name}: operators.{kind}"):
            operators.append((str(kind), _compile(pattern, f"{name}: operators.{kind}")))
    currencies = [
        Currency(key, words_, tuple(listed))
        for key, words_, listed in _worded(data.get("currencies"), f"{name}: currencies", "printed")
    ]
    kinds = [
        Kind(key, words_, frozenset(listed))
        for key, words_, listed in _worded(data.get("kinds"), f"{name}: kinds", "units")
    ]
    chinese = sorted(_pairs(data.get("chinese"), f"{name}: chinese"), key=lambda pair: -len(pair[0]))
    # head words, as a list or with the units their figures come in ({grow: [percent, fold]})
    given_heads = data.get("head_words") or []
    heads: dict[Any, Any] = given_heads if isinstance(given_heads, dict) else dict.fromkeys(given_heads)
    return Lexicon(
        stop_words=frozenset(_strings(data.get("stop_words"), f"{name}: stop_words")),
        # a filler is dropped as it is read, plural folded like any token ("gracias" -> "gracia")
        fillers=frozenset(w for f in _strings(data.get("fillers"), f"{name}: fillers") for w in (f, singular(f))),
        operator_evidence={
            str(kind): frozenset(_strings(ws, f"{name}: operator_evidence.{kind}"))
            for kind, ws in (data.get("operator_evidence") or {}).items()
        },
        folds=folds,
        weak_words=frozenset(_strings(data.get("weak_words"), f"{name}: weak_words")),
        head_words=frozenset(_strings(list(heads), f"{name}: head_words")),
        head_units={
            str(head).lower(): frozenset(_strings(units, f"{name}: head_words.{head}"))
            for head, units in heads.items()
            if units
        },
        phrases=_rewrites(data.get("phrases"), f"{name}: phrases"),
        chinese=tuple(chinese),
        period_words=frozenset(_strings(data.get("period_words"), f"{name}: period_words")),
        period_phrases=_rewrites(data.get("period_phrases"), f"{name}: period_phrases"),
        operators=tuple(operators),
        currencies=tuple(currencies),
        kinds=tuple(kinds),
        qualifiers=frozenset(_strings(data.get("qualifiers"), f"{name}: qualifiers")),
        attribution_cues=frozenset(_strings(data.get("attribution_cues"), f"{name}: attribution_cues")),
        speaker_cues=frozenset(_strings(data.get("speaker_cues"), f"{name}: speaker_cues")),
        organisations=frozenset(_strings(data.get("organisations"), f"{name}: organisations")),
        confirmation_words=frozenset(_strings(data.get("confirmation_words"), f"{name}: confirmation_words")),
        contrasts=_contrasts(data.get("contrasts"), f"{name}: contrasts"),
        stated_changes=_compiled(data, "stated_changes", name),
        stated_shares=_compiled(data, "stated_shares", name),
        set_asides=_compiled(data, "set_asides", name),
        context_openers=_compiled(data, "context_openers", name),
        recollections=_compiled(data, "recollections", name),
        total_words=_compiled(data, "total_words", name),
        several_things=_compiled(data, "several_things", name),
        phonetic=tuple(_pairs(data.get("phonetic"), f"{name}: phonetic")),
    )


def load_lexicon(path: Path, default: Path | None = None) -> Lexicon:
    """Read a lexicon file; a store without one reads `default` (the shipped lexicon)."""
    source = path if path.is_file() or default is None else default
    try:
        # every scalar of a lexicon is text: the base loader keeps "on", "no" and "yes" as words
        data = yaml.load(source.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        raise LexiconError(f"{source.name}:{line}: not valid YAML: {exc}") from exc
    return parse_lexicon(data, source.name)
