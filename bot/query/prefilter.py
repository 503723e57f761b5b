"""Literal prefilters for the lexicon's regular expressions.

Most questions match none of a lexicon section's fifty or a hundred patterns, and
Python's `re` tries every alternative of a combined pattern at every position of
the text, which made that test a tenth of the engine's time. A pattern such as
`\\b(?:went|passed)\\s+through\\b` cannot match a text that contains neither
"went" nor "passed": the literals one of which every match must contain are read
from the pattern once, with the standard library's own parser, and a substring
test (`in`) rules the pattern out before the regular expression runs.

A pattern usually requires several such sets at once (`\\bhow\\s+much\\s+...\\s+spent\\b`
needs "how" and "much" and "spent"): every set is tested, the most selective first,
so a pattern with a common word ("how") is still ruled out by a rare one ("spent").

A pattern whose literals cannot be told (a leading character class, an optional
first word) is always tried: the prefilter only ever skips work, never a match.

Which of a section's hundreds of literals a text holds is found in one pass, by an
Aho-Corasick automaton (pyahocorasick), not by one substring search per literal.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Sequence
from typing import Any

import ahocorasick

# the standard library's regular-expression parser (re._parser, "sre_parse" before 3.11);
# imported by name because it is internal, typed loosely for the same reason
_sre: Any = importlib.import_module("re._parser")

MIN_LITERAL = 2  # one letter is in nearly every question: no use as a filter


def required_literals(pattern: str) -> frozenset[str] | None:
    """Strings one of which every match of `pattern` contains, or None when none can be told."""
    sets = required_literal_sets(pattern)
    return sets[0] if sets else None


def required_literal_sets(pattern: str) -> tuple[frozenset[str], ...]:
    """Every set of strings of which each match of `pattern` contains one, most selective
    first (the first found among equals); empty when none can be told."""
    try:
        parsed = _sre.parse(pattern)
    except (re.error, RecursionError):
        return ()
    found = dict.fromkeys(frozenset(s) for s in _all_sets(list(parsed)) if min(map(len, s)) >= MIN_LITERAL)
    return tuple(sorted(found, key=lambda s: -min(map(len, s))))


def _all_sets(items: Sequence[tuple[Any, Any]]) -> list[set[str]]:
    """All the required-literal sets of a sequence of pattern items: each must hold."""
    sets: list[set[str]] = []
    run: list[str] = []
    for op, arg in items:
        if op is _sre.LITERAL:
            run.append(chr(arg))
            continue
        if run:
            sets.append({"".join(run)})
            run = []
        if op is _sre.SUBPATTERN:
            sets.extend(_all_sets(list(arg[-1])))
        elif op is _sre.BRANCH:
            # one of the branches matches: each must require something for the whole to
            branches = [_most_selective(_all_sets(list(branch))) for branch in arg[1]]
            if all(branches):
                sets.append(set().union(*(b for b in branches if b)))
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT) and arg[0] >= 1:
            sets.extend(_all_sets(list(arg[2])))
        # anything else (a class, a boundary, a look-around, an optional part) requires
        # nothing of its own and ends the literal run before it
    if run:
        sets.append({"".join(run)})
    return sets


def _most_selective(sets: list[set[str]]) -> set[str] | None:
    """The set whose shortest literal is longest (the first found among equals)."""
    return max(sets, key=lambda s: min(map(len, s)), default=None)


class Prefilter:
    """Patterns with the literals that rule each of them out of a text."""

    def __init__(self, patterns: Iterable[re.Pattern[str]]) -> None:
        required = [(p, required_literal_sets(p.pattern)) for p in patterns]
        # each pattern is indexed by its most selective set; the other sets it requires are tested after it
        self.entries = [(p, sets[0] if sets else None) for p, sets in required]
        self._also = [sets[1:] for _, sets in required]
        self.always = any(literals is None for _, literals in self.entries)
        # every literal of the section, each with the patterns it may let through
        by_literal: dict[str, list[int]] = {}
        for i, (_, literals) in enumerate(self.entries):
            for literal in literals or ():
                by_literal.setdefault(literal, []).append(i)
        self._patterns_of = {literal: tuple(at) for literal, at in by_literal.items()}
        self._unfiltered = frozenset(i for i, (_, literals) in enumerate(self.entries) if literals is None)
        # every literal any pattern requires, found in a text in one pass
        self._automaton: Any = None
        every = set(by_literal).union(*(group for groups in self._also for group in groups))
        if every:
            self._automaton = ahocorasick.Automaton()
            for literal in every:
                self._automaton.add_word(literal, literal)
            self._automaton.make_automaton()

    def _present(self, text: str) -> set[str]:
        """The literals of the section that `text` contains."""
        return {literal for _, literal in self._automaton.iter(text)} if self._automaton is not None else set()

    def may_match(self, text: str) -> bool:
        """False only when no pattern can match `text`."""
        return self.always or any(literal in self._patterns_of for literal in self._present(text))

    def candidates(self, text: str) -> list[int]:
        """The positions of the patterns that may match `text`, in order."""
        present = self._present(text)
        found = set(self._unfiltered)
        for literal in present:
            at = self._patterns_of.get(literal)
            if at is not None:
                found.update(at)
        also = self._also
        return [i for i in sorted(found) if all(not present.isdisjoint(group) for group in also[i])]

    def first_match(self, text: str) -> tuple[int, re.Match[str]] | None:
        """The first pattern, in order, that matches `text`: its position and its match."""
        for i in self.candidates(text):
            match = self.entries[i][0].search(text)
            if match is not None:
                return i, match
        return None

    def may_apply(self, i: int, text: str) -> bool:
        """Whether pattern `i` may match `text`."""
        literals = self.entries[i][1]
        return (literals is None or any(literal in text for literal in literals)) and all(
            any(w in text for w in group) for group in self._also[i]
        )
