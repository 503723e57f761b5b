"""The query engine: text in, `Answer` out. No Discord inside.

The engine is built once per store snapshot (the indexes are part of it), so
a reload builds a new engine and swaps it with the store.

Rules (from the product brief):
* a year query prefers the full-year figure; a partial-period figure answers
  only when it is the only figure for that year, and the answer says which
  months it covers;
* a figure for another period or place is never presented as the answer: it
  is offered as `nearest`, clearly labelled.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from rapidfuzz import fuzz, process, utils

from bot.answer import Answer, Interpretation, Status, fact_line, view
from bot.query.common_words import is_common_word, is_everyday_word
from bot.query.index import VocabularyIndex
from bot.query.parser import MetricHit, ParsedQuery, QueryParser
from bot.query.scoring import Candidate, Features, Verdict, decide, score
from bot.query.spelling import Speller
from bot.query.text import singular, words
from bot.store.model import Fact
from bot.store.periods import MONTH_NAMES, Period, PeriodKind
from bot.store.snapshot import Store

MAX_QUERY_CHARS = 500  # longer input is cut: a researcher's four-sentence question fits (300 cut some)
MAX_LISTED = 5
# Below this share of an alias matched, a metric is a guess, not a reading.
METRIC_MIN_COVERAGE = 0.5
DEFAULT_METRIC = "trade_total"  # what a place named alone is asked for
# A question that names no place, about a metric only one place has, is read as about that
# place; a little less sure than one that names it.
NO_PLACE_SIMILARITY = 0.8
RATE_UNITS = frozenset({"percent", "fold"})
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")
_CLAUSE_END = re.compile(r"[.,;:!?()'\"]")
_YEAR_WORD = re.compile(r"(?:19|20)\d{2}")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


# words that say the figure after them is an amount ("a total import and export value of ...")
_AMOUNT_WORDS = frozenset({"value", "volume", "amount", "worth", "investment", "sum"})
_BEFORE_A_FIGURE = frozenset({"of", "about", "around", "roughly", "nearly", "over", "some", "approximately"})
_WORDS_AFTER = 3  # the words after a number that say what it counts ("2,365 passenger trips")
# the year a stated number is said of, right after it and its unit ("690 million yuan in 2022")
_SAID_OF_A_YEAR = re.compile(r"\s*(?:[a-z.$%]+\s+){0,3}?(?:in|for|during)\s+((?:19|20)\d{2})\b(?!\s*(?:-|to)\s*\d)")
_NEAR = 6  # how far from a number a metric's word still says what the number is of
_IN_ONE_CLAUSE = re.compile(r"[.,](?!\d)|(?<!\d)[.,]|[;:!?()\"\u2014]|\s-\s")  # (not the point of "83.7")


def _states_figure(text: str, fact: Fact, said_of_another: Callable[[str, str], bool] | None = None) -> bool:
    """Whether the question states the fact's figure itself (its number, as printed).

    A number said of another thing ("conducted 2,365 flights and served 2,128 passenger
    trips - swapped?") is not this figure ("2,128 flights"): `said_of_another` tells, from
    the words before and after the number, whether it is said of something else."""
    numbers = _NUMBER.findall(fact.figure)

    def said(n: str) -> bool:
        # a number glued to letters ("5A" attractions, "5G") states no figure
        # (an ordinal states its number: "got to 49th place")
        for match in re.finditer(rf"(?<![\d.]){re.escape(n)}(?:st|nd|rd|th)?(?![\dA-Za-z])", text):
            # (a year is said beside anything: "finished in 2018 cost" still says 2018)
            if said_of_another is None or _YEAR_WORD.fullmatch(n):
                return True
            # one of several numbers offered side by side ("I've seen both 246.36 and 357.33 billion")
            # is a choice the question asks to make, not the figure it already has
            if _OFFERED_AFTER.match(text, match.end()) or _OFFERED_BEFORE.search(text, 0, match.start()):
                continue
            if not said_of_another(text[: match.start()], text[match.end() :]):
                return True
        return False

    return bool(numbers) and all(said(n) for n in numbers)


# a number beside another with only a scale word or a percent sign and "or", "and", "vs" or a
# comma between them: numbers offered to choose from
_SIDE_BY_SIDE = (
    r"\s*(?:%|percent|(?:thousand|million|billion|trillion)\b)?\s*(?:,|/|\bor\b|\band\b|\bvs\.?|\bversus\b)\s*"
)
# (a year is no number offered: "237.58 billion yuan since 2015 and 45.657 billion")
_NOT_A_YEAR = r"(?!(?:19|20)\d{2}(?!\d|[.,]\d))"
_OFFERED_AFTER = re.compile(rf"{_SIDE_BY_SIDE}(?:maybe\s+|perhaps\s+|even\s+)?{_NOT_A_YEAR}\d")
_OFFERED_BEFORE = re.compile(
    rf"(?<![\d.]){_NOT_A_YEAR}\d[\d,]*(?:\.\d+)?{_SIDE_BY_SIDE}(?:maybe\s+|perhaps\s+|even\s+)?$"
)

_TO_DATE = re.compile(r"\bcumulative|\badded\s+up\b|\badd(?:ing)?\s+up\b|\baltogether\b|\bin\s+total\b|\ball\s+told\b")

# What a derived request asks for, in words, by the lexicon's operator kinds.
DERIVED = {
    "sum": "a sum of these figures",
    "difference": "a difference between figures",
    "average": "that average",
    "ratio": "that ratio",
    "exclusion": "a figure that leaves part of the total out",
    "part": "that part of the figure on its own",
    "broader": "a figure wider than the one they state",
    "forecast": "a forecast or target for that",
}
SERIES_OPERATORS = frozenset({"sum", "difference", "average"})

# Endings of English words, not of names: a rare word with one is a word, not a place.
_ENGLISH_ENDING = re.compile(
    r"(?:is|iz)(?:e|ed|es|ing|ation|ations)$|(?:ment|ness|tion|sion)s?$|ly$|ings?$"
    # who the asker is and the trade words they use ("hydrologist", "tonnage", "denominated",
    # "handicrafts"): English derivations, rare as they may be, and no place names here
    r"|olog(?:y|ies|ist|ists|ical)$|\w{4}ists?$|\w{3}isms?$|\w{3}ated$|crafts?$|\w{3}ages?$"
)

_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_AMOUNT = re.compile(r"(\d+(?:[.,]\d+)*)\s*(thousand|million|billion|trillion)?")


def stated_value(figure: str, default: float) -> float:
    """The number a printed figure states: "about 10.75 billion U.S. dollars" -> 1.075e10."""
    match = _AMOUNT.search(figure)
    if match is None:
        return default
    return float(match[1].replace(",", "")) * _SCALE.get(match[2] or "", 1.0)


_KIND_RANK = {PeriodKind.YEAR: 3, PeriodKind.AS_OF: 2, PeriodKind.PARTIAL: 1, PeriodKind.SPAN: 0}


@dataclass(frozen=True)
class Selection:
    status: Status
    facts: tuple[Fact, ...]  # the answer first (answered), or the nearest/listed ones
    note: str = ""


def _precision(fact: Fact) -> int:
    return sum(c.isdigit() for c in fact.figure)


def _best_of_same(facts: Sequence[Fact]) -> list[Fact]:
    """Order facts stating the same thing: the most precise figure first."""
    return sorted(facts, key=lambda f: (-_precision(f), f.doc, f.id))


def _distance(a: Period, b: Period) -> float:
    mid_a = (a.start.ordinal + a.end.ordinal) / 2
    mid_b = (b.start.ordinal + b.end.ordinal) / 2
    return abs(mid_a - mid_b) + abs(a.months - b.months) / 4


def _latest(facts: Iterable[Fact]) -> list[Fact]:
    return sorted(facts, key=lambda f: (-f.period.end.ordinal, -_KIND_RANK[f.period.kind], -_precision(f)))


def select_period(
    facts: Sequence[Fact],
    asked: Period | None,
    *,
    open_end: bool = False,
    whole_year: bool = False,
    part: tuple[int, int] | None = None,
) -> Selection:
    """Pick the facts of one place and metric that answer the asked period."""
    if not facts:
        return Selection(Status.NOT_FOUND, ())
    if asked is None and part is not None:
        # "H1" with no year: the latest figure for those months of a year, else none
        same = [
            f
            for f in facts
            if f.period.kind is PeriodKind.PARTIAL
            and (f.period.start.month, f.period.end.month) == part
            and f.period.start.year == f.period.end.year
        ]
        if same:
            latest = _latest(same)
            return Selection(Status.ANSWERED, tuple(_best_of_same([f for f in latest if f.period == latest[0].period])))
        return Selection(Status.NEAREST, tuple(_latest(facts)[:MAX_LISTED]))
    if asked is None or asked.kind is PeriodKind.AS_OF:
        non_span = [f for f in facts if f.period.kind is not PeriodKind.SPAN] or list(facts)
        ordered = _latest(non_span)
        # no period asked: the latest full year (or stock), as a year query would; a newer
        # partial figure (January to April) is mentioned beside it, not put in its place
        whole = [f for f in ordered if f.period.kind is not PeriodKind.PARTIAL]
        first = whole[0] if whole else ordered[0]
        ordered = [first, *(f for f in ordered if f is not first)]
        same = [f for f in ordered if f.period == first.period]
        others = [f for f in ordered if f.period != first.period]
        return Selection(Status.ANSWERED, tuple(_best_of_same(same) + others))
    exact = [f for f in facts if f.period.start == asked.start and f.period.end == asked.end]
    if exact:
        return Selection(Status.ANSWERED, tuple(_best_of_same(exact)))
    if asked.kind is PeriodKind.YEAR and not whole_year:  # "the whole of 2023" takes no part of it
        year = asked.start.year
        partial = [f for f in facts if f.period.kind is PeriodKind.PARTIAL and f.period.start.year == year]
        if len({f.period for f in partial}) == 1:
            return Selection(Status.ANSWERED, tuple(_best_of_same(partial)), note="partial")
        if len(partial) > 1:
            return Selection(Status.AMBIGUOUS, tuple(sorted(partial, key=lambda f: -f.period.months)))
        stock = [f for f in facts if f.period.kind is PeriodKind.AS_OF and f.period.end.year == year]
        if stock:
            return Selection(Status.ANSWERED, tuple(_best_of_same(stock)), note="as_of")
    if asked.kind is PeriodKind.SPAN:
        same_years = [
            f
            for f in facts
            if f.period.kind is PeriodKind.SPAN
            and f.period.start.year == asked.start.year
            and (open_end or f.period.end.year == asked.end.year)
        ]
        if same_years:
            return Selection(Status.ANSWERED, tuple(_best_of_same(same_years)), note="span")
        # "growth since 2012" (open), "grew 5-fold from 2012 to 2023": a change the document measures
        # from that year (to that year)
        since = [
            f
            for f in facts
            if f.change
            and f.change.base
            and f.change.base[:4] == str(asked.start.year)
            # (to that year: only a figure that is the change itself, not the level it reached)
            and (open_end or (f.period.end.year == asked.end.year and f.unit in RATE_UNITS))
        ]
        if since:
            return Selection(Status.ANSWERED, tuple(_latest(since)), note="since")
        inside = [f for f in facts if f.period.kind is PeriodKind.YEAR and asked.covers_year(f.period.start.year)]
        if len({f.period for f in inside}) >= 2:  # two documents on one year are not a series
            return Selection(Status.ANSWERED, tuple(_latest(inside)), note="series")
    candidates = [f for f in facts if f.period.kind is not PeriodKind.SPAN] or list(facts)
    nearest = sorted(candidates, key=lambda f: (_distance(f.period, asked), -_KIND_RANK[f.period.kind]))
    return Selection(Status.NEAREST, tuple(nearest[:MAX_LISTED]))


class Engine:
    def __init__(self, store: Store, today: date | None = None) -> None:
        self.store = store
        self.today = today
        # from the store's summaries, not its facts: a large store does not hold them in memory
        self.places_with_facts = {place for place, _ in store.by_place_metric}
        metric_units = {metric: set(units) for metric, units in store.metric_units.items()}
        self.index = VocabularyIndex(store.vocabulary, self.places_with_facts, metric_units)
        vocabulary = store.vocabulary
        names = [n for p in vocabulary.places.values() for n in (p.name, *p.aliases)]
        names += [n for m in vocabulary.metrics.values() for n in (m.name, *m.aliases)]
        names += [n for u in vocabulary.units.values() for n in (u.name, *u.aliases)]
        # each distinct word of the quotes, read as a quote of one word
        speller = Speller.build(vocabulary.lexicon, names, store.quote_words)
        self.parser = QueryParser(self.index, speller)
        self.metrics_by_place: dict[str, set[str]] = {}
        self.places_by_metric: dict[str, set[str]] = {}
        for place, metric in store.by_place_metric:
            self.metrics_by_place.setdefault(place, set()).add(metric)
            self.places_by_metric.setdefault(metric, set()).add(place)
        # suggestions for questions nothing matched: one label per place and metric pair
        self._pair_labels = [f"{store.metric_name(m)} {store.place_name(p)}" for (p, m) in store.by_place_metric]
        self._pair_keys = list(store.by_place_metric)
        self._quote_cache: dict[str, frozenset[str]] = {}
        self.attributed_names = store.speaker_names
        self._counted_nouns: dict[str, frozenset[str]] = {}

    # -- public ---------------------------------------------------------
    def ask(self, query: str) -> Answer:
        text = " ".join(query.split())[:MAX_QUERY_CHARS]
        if not text:
            return Answer(
                query=query,
                status=Status.NOT_FOUND,
                interpretation=Interpretation(),
                message="Empty question: ask for a place, a figure and a period, e.g. 'trade xizang 2023'.",
                suggestions=self._default_suggestions(),
            )
        parsed = self.parser.parse(text, self.today)
        answer = self._hold_back(self._answer(query, parsed), parsed)
        length = len(" ".join(query.split()))
        if length > MAX_QUERY_CHARS:
            note = f"(Your message has {length} characters; I read the first {MAX_QUERY_CHARS}.) "
            answer = replace(answer, message=note + answer.message)
        return answer

    def timed_ask(self, query: str) -> tuple[Answer, float]:
        start = time.perf_counter()
        answer = self.ask(query)
        return answer, (time.perf_counter() - start) * 1000.0

    # -- the hard rules -------------------------------------------------
    def _hold_back(self, answer: Answer, parsed: ParsedQuery) -> Answer:
        """The product's hard rules, applied to a figure about to be stated as the answer.

        Whatever the scores said, a figure is not the answer when the question asks
        for something the documents do not print (a sum, a difference, an average,
        a conversion), or when a word that could change the figure was not read.
        """
        if (
            answer.status is Status.NEAREST
            and parsed.operator is not None
            and answer.alternatives
            and not self._states_operation(
                answer.alternatives[0].fact, parsed.operator[0], self._quote_words(answer.alternatives[0].fact)
            )
        ):
            # a derived request with no single figure to hold back: still say why, and
            # offer the stated figures it would need (unless the nearest figure is that very
            # operation, "the average annual water resources": then something else held it back)
            facts = [v.fact for v in answer.alternatives]
            return self._nearest(
                answer.query, parsed, answer.interpretation, facts, self._derived_reason(parsed.operator), answer.score
            )
        if answer.status is not Status.ANSWERED or answer.fact is None:
            return answer
        fact = answer.fact.fact
        if parsed.currency is not None:
            converted = self._in_currency(answer, parsed.currency[0])
            if converted is None:
                return self._refuse(
                    answer,
                    parsed,
                    fact,
                    (
                        f"The documents do not print {answer.interpretation.title} in {parsed.currency[1]}, "
                        "and factbot does not convert currencies."
                    ),
                )
            answer = converted
        reason = self._refusal(parsed, fact)
        if reason is not None and parsed.operator is not None:
            stated = self._stating_sibling(parsed, fact)
            if stated is not None:  # "average growth": the same metric's stated average rate
                answer_view = view(stated, self.store)
                answer = replace(answer, message=answer_view.text, fact=answer_view)
                fact, reason = stated, self._refusal(parsed, stated)
        return answer if reason is None else self._refuse(answer, parsed, fact, reason)

    def _stating_sibling(self, parsed: ParsedQuery, fact: Fact) -> Fact | None:
        """The one fact of the same place and metric that states the operation asked, if any."""
        assert parsed.operator is not None
        kind = parsed.operator[0]
        siblings = self.store.by_place_metric.get((fact.place, fact.metric), ())
        stating = [
            f
            for f in siblings
            if f is not fact
            and (parsed.period is None or f.period.overlaps(parsed.period))
            and self._states_operation(f, kind, self._quote_words(f))
        ]
        return stating[0] if len(stating) == 1 else None

    def _refusal(self, parsed: ParsedQuery, fact: Fact) -> str | None:
        evidence = self._quote_words(fact)
        if (
            parsed.operator is not None
            and not self._states_operation(fact, parsed.operator[0], evidence)
            and not self._total_to_date(parsed.operator, fact)
        ):
            return self._derived_reason(parsed.operator)
        if (
            parsed.second_period is not None
            and parsed.period is not None
            and not self._explains_period(fact, parsed.second_period)
        ):
            return (
                f"The question names two periods ({parsed.period.label()} and {parsed.second_period.label()}); "
                "ask for one of them."
            )
        # "how many tonnes of lithium" is not answered by a share in percent
        asked_in = self._measure_asked(parsed)
        unit_words = self.index.unit_words.get(fact.unit, frozenset())
        if asked_in is not None and asked_in[1] != fact.unit and asked_in[0] not in unit_words:
            return self._given_in(fact, asked_in[0])
        # "how much was cement output worth in yuan" is not answered in tons
        if (
            parsed.kind is not None
            and parsed.kind[0] == "money"
            and fact.unit not in parsed.kind[1]
            and not self._rate_of(parsed, fact)  # "tourism revenue growth": a rate of money
        ):
            return self._given_in(fact, "money")
        # "how many companies" is not answered by a count of flights ("how many dollars" asks a currency)
        if parsed.counted is not None and parsed.currency is None and not self._counts(fact, parsed.counted):
            return f"The documents count {self._counted_noun(fact)}, not '{parsed.counted}'."
        unread = [w for w in parsed.period_unread if w not in evidence and self._qualifies_a_period(parsed, w)]
        if unread:
            said = " ".join(unread)
            return f"I could not read the period in '{said}'; say it as '2023', 'H1 2023' or 'Jan-Apr 2024'."
        # a word of the name of a place within the one read ("kashi bonded yoy": the Kashi
        # Comprehensive Bonded Zone is in Kashi) may ask about that place, not the whole
        inner = [w for w in parsed.remaining if w not in evidence and w in self.index.inner_place_words(fact.place)]
        if inner:
            return (
                f"'{' '.join(inner)}' is part of the name of a place within {self.store.place_name(fact.place)}; "
                "name that place in full to ask about it."
            )
        lex = self.store.vocabulary.lexicon
        # a qualifier the metric vocabulary knows ("foreign", "livestock") is weighed by the
        # scores already; one it does not know ("urban") can only hold the answer back
        qualifiers = [
            w
            for w in parsed.remaining
            if w in lex.qualifiers and w not in evidence and w not in self.index.metric_token_set
        ]
        if qualifiers:
            return (
                f"'{' '.join(qualifiers)}' may change which figure is meant, and the documents' figure is "
                f"{self.store.metric_name(fact.metric)}."
            )
        # beside a confident reading a short unknown word is more likely an acronym
        # ("NMPA") than a place: only longer ones hold the answer back
        names = [
            w
            for w in parsed.remaining
            if len(w) >= 5
            and self.looks_like_name(w)
            and w not in evidence
            and w not in self.attributed_names
            and not self._attributed(parsed, w)
        ]
        if names:
            return f"I don't know '{' '.join(names)}'."
        return None

    def _given_in(self, fact: Fact, asked: str) -> str:
        """Why a figure in one unit does not answer a question asking another."""
        unit = self.store.vocabulary.units.get(fact.unit)
        given = unit.name if unit else fact.unit
        return f"The documents give {self.store.metric_name(fact.metric)} in {given}, not in {asked}."

    def _counts(self, fact: Fact, counted: str) -> bool:
        """Whether the fact counts what "how many" asks: its figure, metric or unit says it (its
        sentence may name other things: "... general aviation enterprises flew 2,128 flights")."""
        index = self.index
        return (
            counted in index.unit_words.get(fact.unit, frozenset())
            or counted in index.metric_name_tokens.get(fact.metric, frozenset())
            or counted in self.store.vocabulary.lexicon.content_tokens(fact.figure)
            or counted in index.measure_of_word
        )

    def _counted_noun(self, fact: Fact) -> str:
        said = [w for w in words(fact.figure) if not w[:1].isdigit()]
        return " ".join(said) or self.store.metric_name(fact.metric)

    def _measure_asked(self, parsed: ParsedQuery) -> tuple[str, str] | None:
        """The measure the question proper names outright, as (word, unit key): "tonnes".

        A unit after a number states a figure ("reached 7.58 million kW"), it asks none.
        """
        measures = self.index.measure_of_word
        named = [
            (word, measures[word])
            for i, word in enumerate(parsed.content)
            if word in measures and i not in parsed.context
        ]
        if not named:
            return None  # most questions name no measure: no need to look for stated figures
        said = words(parsed.folded)
        stated = {singular(w) for i, w in enumerate(said) if i and (said[i - 1][:1].isdigit() or said[i - 1] in _SCALE)}
        return next(((word, unit) for word, unit in named if word not in stated), None)

    @staticmethod
    def _derived_reason(operator: tuple[str, str]) -> str:
        kind, asked = operator
        return (
            f"The documents do not print {DERIVED.get(kind, 'that figure')} ('{asked}'), and factbot "
            "does not work one out. The stated figures it would need are below"
            + ("; `!series` and `!compare` show them side by side." if kind in SERIES_OPERATORS else ".")
        )

    @staticmethod
    def _explains_period(fact: Fact, other: Period) -> bool:
        """A second period in the question is the base of the fact's stated change ("2023 over 2022")."""
        base = fact.change.base if fact.change is not None else None
        return bool(base and base[:4] == str(other.start.year)) or fact.period.overlaps(other)

    @staticmethod
    def _total_to_date(operator: tuple[str, str], fact: Fact) -> bool:
        """ "Cumulative sales of plateau cookware", "electricity sent out altogether": a figure "as
        of" a date is the total so far. ("combined" asks to add figures up, and stays a derived
        request; so does any sum word beside a figure of one period.)"""
        return operator[0] == "sum" and fact.period.kind is PeriodKind.AS_OF and bool(_TO_DATE.search(operator[1]))

    def _states_operation(self, fact: Fact, kind: str, evidence: frozenset[str]) -> bool:
        """The fact itself is the derived figure asked: a cumulative total, an average annual rate."""
        said = self.store.vocabulary.lexicon.operator_evidence.get(kind, frozenset())
        metric = self.store.vocabulary.metrics.get(fact.metric)
        names = {w for name in (metric.name, *metric.aliases) for w in words(name)} if metric else set()
        if kind == "average":
            # an average the document states: the metric is one ("average altitude", "average
            # income"), or the figure is an average annual rate of change
            stated_rate = fact.change is not None and fact.change.kind == "average_annual" and fact.unit == "percent"
            return stated_rate or bool(said & names)
        if kind == "sum":
            # a figure over a span of years, or one "as of" a date (sales to date), is the
            # total the document states
            return fact.period.kind is PeriodKind.SPAN or bool(said & (evidence | names))
        return bool(said & (evidence | names))

    @staticmethod
    def _qualifies_a_period(parsed: ParsedQuery, word: str) -> bool:
        """A period word that says which part of a period ("mid 2023", "the spring of 2023"), not
        one said in passing ("mentioned at a press conference that spring") beside a period read."""
        if parsed.period is None:
            return True
        said = words(parsed.folded)
        return any(word == w and any(t.isdigit() for t in said[max(0, i - 3) : i + 4]) for i, w in enumerate(said))

    def _attributed(self, parsed: ParsedQuery, name: str) -> bool:
        """A name said to be the source ("according to Yan Jinhai"), not what the figure is about."""
        cues = self.store.vocabulary.lexicon.attribution_cues
        said = words(parsed.folded)
        # the cue within three words before the name or four after ("Tuniyaz used in his interview")
        return any(
            word.startswith(name) and bool(cues & set(said[max(0, i - 3) : i + 5])) for i, word in enumerate(said)
        )

    def looks_like_name(self, word: str, *, in_place_slot: bool = False) -> bool:
        """A word that is no vocabulary word and no ordinary English: a name, or a misspelt one.

        Where a place is expected, a word of middling frequency is a name too
        ("Atlantis"); beside a confident reading only a rare word is ("qeshqar").
        """
        common = is_everyday_word if in_place_slot else is_common_word
        return (
            word.isalpha()
            # a word in another alphabet ("спасибо", "شكرا") is the asker's own language: the
            # places are named in Latin letters or in Chinese
            and (word.isascii() or any(ord(c) >= 0x2E80 for c in word))
            and not _ENGLISH_ENDING.search(word)  # "revitalise", "restricting": English, if rare
            and len(word) >= 4
            and word not in self.index.metric_token_set
            and word not in self.index.place_token_set
            and not common(word)
            and not self.index.match_metric_token(word)  # a misspelt vocabulary word ("medcine")
        )

    def _quote_words(self, fact: Fact) -> frozenset[str]:
        words_of = self._quote_cache.get(fact.id)
        if words_of is None:
            lex = self.store.vocabulary.lexicon
            words_of = frozenset(words(fact.quote)) | frozenset(lex.content_tokens(fact.quote))
            self._quote_cache[fact.id] = words_of
        return words_of

    def _in_currency(self, answer: Answer, currency: str) -> Answer | None:
        """The answer in the currency asked, when the document prints that equivalent."""
        assert answer.fact is not None
        fact = answer.fact.fact
        if fact.unit == currency:
            return answer
        printed = next((c for c in self.store.vocabulary.lexicon.currencies if c.key == currency), None)
        equivalent = (fact.equivalent or "").strip().strip("()").strip()
        if printed is None or not equivalent or not any(p in equivalent.lower() for p in printed.printed):
            return None
        stated = replace(
            fact, figure=equivalent, equivalent=fact.figure, unit=currency, value=stated_value(equivalent, fact.value)
        )
        answer_view = view(stated, self.store)
        return replace(answer, message=answer_view.text, fact=answer_view)

    def _refuse(self, answer: Answer, parsed: ParsedQuery, fact: Fact, reason: str) -> Answer:
        siblings = _latest(self.store.by_place_metric.get((fact.place, fact.metric), (fact,)))
        facts = [fact, *(f for f in siblings if f is not fact)]
        return self._nearest(answer.query, parsed, answer.interpretation, facts, reason, answer.score * 0.5)

    # -- the decision ---------------------------------------------------
    def _answer(self, query: str, parsed: ParsedQuery) -> Answer:
        metrics = [m for m in parsed.metrics if m.coverage >= METRIC_MIN_COVERAGE]
        places = [p.place for p in parsed.places]
        if not metrics:
            return self._no_metric(query, parsed, places)
        if not places:
            return self._no_place(query, parsed, metrics)
        covered = [p for p in places if p in self.places_with_facts]
        if len(covered) > 1:
            return self._several_places(query, parsed, covered, metrics)
        place = covered[0] if covered else places[0]
        # a place the figure's place is named after ("Ngari ... the Ngari power grid
        # interconnection project") is no other place
        others = [p for p in places if p not in covered and not self._names_part_of(p, place)] if covered else []
        return self._answer_at(query, parsed, place, metrics, parsed.places[0].similarity, others)

    def _answer_at(
        self,
        query: str,
        parsed: ParsedQuery,
        place: str,
        metrics: list[MetricHit],
        similarity: float,
        others: list[str],
    ) -> Answer:
        """The decision for one place: its readings scored as candidates against its facts.
        `others` are places the question names that the figure is not about."""
        places = [place, *others]
        available = [m for m in metrics if (place, m.metric) in self.store.by_place_metric]
        if not available:
            # the place lacks the metric read: the next-best reading it has, when it
            # explains as much of the question, is scored like any other candidate
            available = [
                m
                for m in parsed.metrics
                if (place, m.metric) in self.store.by_place_metric and m.query_coverage >= metrics[0].query_coverage
            ][:1]
        if not available:
            interp = self._interp(parsed, place, metrics[0].metric)
            return self._missing_pair(query, parsed, place, metrics[0].metric, interp, places)
        candidates = self.candidates(parsed, place, similarity, available[:MAX_LISTED])
        decision = decide([c for c, _, _ in candidates])
        if decision.verdict is Verdict.WEAK and (place, metrics[0].metric) not in self.store.by_place_metric:
            # the reading asked is a metric this place lacks, and no reading it has is
            # close: say so, and offer the metrics the vocabulary names as related
            interp = self._interp(parsed, place, metrics[0].metric)
            return self._missing_pair(query, parsed, place, metrics[0].metric, interp, places)
        chosen = next((hit, selection) for c, hit, selection in candidates if c is decision.best)
        metric, selection = chosen
        facts = self.store.by_place_metric[(place, metric.metric)]
        interp = self._interp(parsed, place, metric.metric)
        base_score = decision.best.score
        if others:
            # another named place (a partner country, a province) the figure is not about
            named = ", ".join(self.store.place_name(p) for p in others)
            return self._nearest(
                query,
                parsed,
                interp,
                list(selection.facts) or list(facts),
                reason=f"No figure for {interp.title} that concerns {named}.",
                score=base_score * 0.5,
            )
        if decision.verdict is Verdict.BLOCKED and selection.facts:
            main = selection.facts[0]
            siblings = [f for f in _latest(facts) if f is not main]
            return self._nearest(query, parsed, interp, [main, *siblings], decision.reason, base_score * 0.5)
        if decision.verdict is Verdict.AMBIGUOUS:
            listed = [selection.facts[0]] if selection.facts else []
            for rival in decision.rivals:
                rival_selection = next(sel for c, _, sel in candidates if c is rival)
                listed.extend(rival_selection.facts[:1])
            return self._ambiguous(query, parsed, self._interp(parsed, place, None), listed, base_score * 0.7)
        if selection.status is Status.ANSWERED and decision.verdict is Verdict.WEAK:
            asked = " ".join(w for w in parsed.text.split() if w) or interp.title
            return self._nearest(
                query,
                parsed,
                interp,
                list(selection.facts),
                reason=f"No figure for exactly '{asked}'; the closest metric is {interp.metric}.",
                score=base_score * 0.5,
            )
        if selection.status is Status.ANSWERED:
            return self._answered(query, parsed, interp, selection, base_score)
        if selection.status is Status.AMBIGUOUS:
            return self._ambiguous(query, parsed, interp, list(selection.facts), base_score * 0.7)
        return self._nearest(
            query,
            parsed,
            interp,
            list(selection.facts),
            reason=f"No figure for {interp.title}.",
            score=base_score * 0.5,
        )

    def _names_part_of(self, other: str, place: str) -> bool:
        """Whether `other`'s name is words of `place`'s name (Ngari, of the Ngari grid project)."""
        lex = self.store.vocabulary.lexicon
        name = set(lex.content_tokens(self.store.place_name(place)))
        return bool(name) and set(lex.content_tokens(self.store.place_name(other))) < name

    def candidates(
        self, parsed: ParsedQuery, place: str, similarity: float, hits: list[MetricHit]
    ) -> list[tuple[Candidate, MetricHit, Selection]]:
        """The readings `hits` scored against the place's facts, as the decision and `--explain` see them."""
        unstated = self._not_of_the_figure_checked(parsed, place, hits)
        scored = [self.candidate(parsed, place, similarity, hit, unstated) for hit in hits]
        # a reading that leans on an aside the question has moved past is no rival either: the
        # rest are ranked against the best of the others
        conflicted = frozenset(
            c.metric for c, hit, _ in scored if c.features.conflict and self._leans_on_an_aside(parsed, hit)
        )
        if not conflicted:
            return scored
        best = self._best_rival(parsed, place, unstated | conflicted)
        rescored = []
        for candidate, hit, selection in scored:
            if not candidate.features.conflict and best:
                features = replace(candidate.features, rank=hit.strength / best)
                candidate = replace(candidate, features=features, score=score(features))
            rescored.append((candidate, hit, selection))
        return rescored

    def _best_rival(self, parsed: ParsedQuery, place: str, ruled_out: frozenset[str]) -> float:
        """The strength of the strongest reading a candidate is ranked against (0.0: none)."""
        # a reading that ignores the question's head word ("grow") is no rival to one that doesn't;
        # one this place has no figures for is no rival when it reads nothing but head words
        # ("growth" is GDP growth in general, and a zone's growth is its trade growth)
        honouring = [m for m in parsed.metrics if m.heads] or list(parsed.metrics)
        heads_at = {i for i, t in enumerate(parsed.content) if t in self.index.head_words}
        rivals = [
            m.strength
            for m in honouring
            if ((place, m.metric) in self.store.by_place_metric or m.positions - heads_at)
            and not self._of_another_kind(parsed, place, m.metric)
            and m.metric not in ruled_out
        ]
        return max(rivals, default=0.0)

    def _not_of_the_figure_checked(self, parsed: ParsedQuery, place: str, hits: list[MetricHit]) -> frozenset[str]:
        """The readings whose figures are of another kind than the one a check states ("trade
        with 185 countries and regions. Is 185 right?" checks a count of countries, not the
        trade in yuan), when some reading's figure is of that kind."""
        lex = self.store.vocabulary.lexicon
        if parsed.after_gap is not None:
            # beside a gap ("reached 13.3 billion yuan, accounting for X"), the gap is asked, and
            # the words right after it say what it counts ("with X countries and regions")
            said_after = lex.content_tokens(_CLAUSE_END.split(parsed.after_gap, maxsplit=1)[0])
            counting: set[str] = set()
            # (two words, "countries and regions", or one: "... visitors last year")
            for after in (said_after[:2], said_after[:1]):
                counting = {
                    hit.metric
                    for hit in hits
                    for fact in self.store.by_place_metric[(place, hit.metric)]
                    # ("reached X%": a percent, though "95.2%" is one token)
                    if after
                    and set(after)
                    <= set(lex.content_tokens(fact.figure)) | self.index.unit_words.get(fact.unit, frozenset())
                }
                if counting:
                    break
            if counting:
                return frozenset(h.metric for h in hits if h.metric not in counting)
            # the words right before it say it is an amount ("with a total import and export value of
            # ..."): a rate is not it
            said_before = [w for w in words(parsed.before_gap or "")[-4:] if w not in _BEFORE_A_FIGURE]
            before = said_before[-1] if said_before else None
            # ... or name what it is ("with a total investment of ..."): the readings they name
            named = {h.metric for h in hits if before in self.index.metric_name_tokens.get(h.metric, ())}
            if named and len(named) < len(hits):
                return frozenset(h.metric for h in hits if h.metric not in named)
            if before in _AMOUNT_WORDS:
                return frozenset(
                    h.metric
                    for h in hits
                    if all(f.unit in RATE_UNITS for f in self.store.by_place_metric[(place, h.metric)])
                )
            return frozenset()
        if not parsed.stated or (parsed.kind is not None and parsed.kind[1] <= RATE_UNITS):
            return frozenset()  # "... traded 45.657 billion yuan - growth rate?" asks the rate, not the amount
        checked = self._units_checked_in_its_question(parsed)
        in_checked = {
            hit.metric
            for hit in hits
            if any(fact.unit in checked for fact in self.store.by_place_metric[(place, hit.metric)])
        }
        if in_checked:
            # the sentence that asks checks a figure in its unit ("Xizang's trade was 2.8 billion yuan
            # in Jan-Apr 2024. ... Was it 83.7 percent?" checks a rate): the sentences before it
            # state what is known
            return frozenset(h.metric for h in hits if h.metric not in in_checked)
        of_kind = {
            hit.metric
            for hit in hits
            for fact in self.store.by_place_metric[(place, hit.metric)]
            if parsed.stated
            & (frozenset(lex.content_tokens(fact.figure)) | self.index.unit_words.get(fact.unit, frozenset()))
        }
        if not of_kind and checked:
            # the check states a figure in a unit no reading's figure has ("the grid link finished
            # in 2014 - wasn't that around 6 billion yuan?" checks a cost, not the completion date)
            units = {fact.unit for hit in hits for fact in self.store.by_place_metric[(place, hit.metric)]}
            return frozenset(h.metric for h in hits) if not units & checked else frozenset()
        return frozenset(h.metric for h in hits if h.metric not in of_kind) if of_kind else frozenset()

    def _units_checked_in_its_question(self, parsed: ParsedQuery) -> frozenset[str]:
        """The units of the numbers the last sentence, the one that asks, states ("... - wasn't
        that around 6 billion yuan?"); a figure stated in a sentence before it is background
        ("Kashi did 77.15 billion yuan Jan-Nov 2023. Year-on-year growth?")."""
        last = _SENTENCE_END.split(parsed.text.strip())[-1]
        said = [self.store.vocabulary.lexicon.fold_token(w) for w in words(last)]
        units = self.index.unit_of_token
        return frozenset(
            unit
            for i, w in enumerate(said)
            if w[:1].isdigit() and not _YEAR_WORD.fullmatch(w)
            for after in said[i + 1 : i + 3]
            for unit in units.get(after, ())
        )

    def candidate(
        self,
        parsed: ParsedQuery,
        place: str,
        similarity: float,
        hit: MetricHit,
        unstated: frozenset[str] = frozenset(),
    ) -> tuple[Candidate, MetricHit, Selection]:
        """One reading of the question against the facts the store has for it, with its features."""
        facts = self.store.by_place_metric[(place, hit.metric)]
        selection = select_period(
            facts, parsed.period, open_end=parsed.open_end, whole_year=parsed.whole_year, part=parsed.part
        )
        fact = selection.facts[0] if selection.facts else facts[0]
        unexplained = parsed.unexplained(hit)
        quote = self._quote_words(fact)
        evidence = sum(w in quote for w in unexplained) / len(unexplained) if unexplained else 0.0
        # a head word the alias leaves out but the fact's own sentence says ("capacity
        # expanded") is honoured by that fact
        heads = hit.heads or all(w in quote for w in unexplained if w in self.index.head_words)
        # a word that by itself names another metric ("cement" read as GDP growth) asks
        # something else, unless the fact's own sentence says it ("high-altitude data center")
        solo = self.index.solo_metrics
        conflict = any(w in solo and hit.metric not in solo[w] and w not in quote for w in unexplained)
        # the words this reading leaves unread name another metric whole ("... first in China
        # for foreign trade growth" read as the GDP ranking): the question asks about that one
        conflict = conflict or self._names_another(parsed, hit, quote) or self._contrasts(parsed, hit.metric)
        conflict = conflict or self._leans_on_an_aside(parsed, hit) or self._heads_beside_a_subject(parsed, hit)
        # "(not the revenue, just the visitors)": a metric named by what is set aside is not asked
        # ("not the total capacity in kilowatts, the share": the capacity, not a share of capacity)
        conflict = conflict or self._set_aside(parsed, hit.metric, fact.unit)
        # a sentence pasted with a gap ("a total investment of ... was completed in December
        # 2011") asks for the gap: a figure the question already states is not it
        # a wh-question that states a figure ("Tibet's trade jumped 138.3% in 2023, but what was
        # the total value?") asks for another one, unless it asks to confirm it ("what exactly do
        # the documents say?")
        conflict = conflict or (
            # (a currency asked, "10 billion yuan ($???) - the dollar amount?", asks the figure's equivalent;
            # "in yuan" asked of a figure in yuan converts nothing)
            (parsed.after_gap is not None or parsed.asks_beyond_its_figures)
            and (parsed.currency is None or parsed.currency[0] == fact.unit)
            and _states_figure(
                parsed.text, fact, lambda before, after: self._said_of_another(parsed, hit, fact, before, after)
            )
        )
        best = self._best_rival(parsed, place, unstated) or hit.strength
        features = Features(
            place=similarity,
            alias=hit.coverage,
            explained=hit.query_coverage,
            evidence=evidence,
            rank=hit.strength / best if best else 1.0,
            heads=heads,
            conflict=conflict,
            kind=(parsed.kind is None or fact.unit in parsed.kind[1] or self._rate_of(parsed, fact))
            and hit.metric not in unstated,
        )
        blockers: tuple[str, ...] = ()
        if selection.status is Status.ANSWERED and parsed.currency is None:
            # the hard rules: a derived request, an unread period or qualifier, an unknown name
            reason = self._refusal(parsed, fact)
            if reason is not None and not (parsed.operator and self._stating_sibling(parsed, fact)):
                blockers = (reason,)
        return Candidate(hit.metric, features, score(features), blockers), hit, selection

    def _said_of_another(self, parsed: ParsedQuery, hit: MetricHit, fact: Fact, before: str, after: str) -> bool:
        """Whether a number the question states, with `before` and `after` it, is said of another
        thing than `fact`'s figure.

        - Its unit is another ("1.29 percent" is not "1.29 billion yuan").
        - The nearest word in its clause that names one of the readings names another one
          ("salt-lake lithium for about 43%" is not the copper share of 43%), when that one has
          figures in the same unit; after "of" come the words of the whole a share is of.
        - With none near, the words after it name a metric and none is the figure's ("2,128
          passenger trips" is not "2,128 flights").
        """
        lex = self.store.vocabulary.lexicon
        names = self.index.metric_name_tokens
        units = self.index.unit_of_token
        heads = self.index.head_words
        figure = {singular(t) for t in lex.content_tokens(fact.figure)} | self.index.unit_words.get(
            fact.unit, frozenset()
        )
        named = names.get(hit.metric, frozenset())
        # the other readings a number can be said of: ones with figures in the same unit here
        # (the lithium share is a percent too; a count of partners is no other "43%")
        other_readings = [m.metric for m in parsed.metrics if m.metric != hit.metric]
        others = set().union(
            *(
                names.get(metric, frozenset())
                for metric in other_readings
                if any(f.unit == fact.unit for f in self.store.by_place_metric.get((fact.place, metric), ()))
            )
        )
        others -= named | figure

        def tokens(text: str) -> list[str]:
            return [t for t in (singular(lex.fold_token(w)) for w in words(text)) if t and t not in _SCALE]

        def naming(said: list[str]) -> list[str]:
            # the words that can say what a number is of: no units ("43%" says a percent, not of
            # what), no stop words, no other numbers, nor the head words that say a kind of figure and
            # not of what ("tourism revenue grew 83.7%": "grew" is said of every growth)
            return [
                t for t in said if t not in units and t not in lex.stop_words and t not in heads and not t[:1].isdigit()
            ]

        said_after = tokens(_IN_ONE_CLAUSE.split(after, maxsplit=1)[0])
        if said_after and said_after[0] in units and said_after[0] not in figure:
            return True
        # ... or it is said of another year ("from 28.28 billion yuan in 2020 to 690 million yuan in
        # 2022? That's backwards": 690 million said of 2022 is not the 2020 figure it is)
        year = _SAID_OF_A_YEAR.match(after)
        if year is not None and int(year[1]) not in fact.period.years:
            return True
        # ... or it counts what another of the place's figures counts ("traded with 10 countries and
        # regions" is no "10 billion yuan")
        if said_after and said_after[0] not in figure and said_after[0] in self._counted_at(fact.place):
            return True
        rest = said_after[1:] if said_after and said_after[0] in units else said_after
        later = naming(rest)[:_NEAR]
        # after "of" come the words of the whole a share is of ("43% of China's total"): they can
        # say the number is this share ("48% of China's copper ore"), not that it is another
        # ("9,092 km of expressways" is a length of expressways, "43% of China's total" a share)
        of_a_whole = rest[:1] == ["of"] and fact.unit == "percent"
        # (and a whole two shares are of, "China's", says neither is meant)
        said_later = named | figure
        if of_a_whole:
            said_later -= set().union(*(names.get(metric, frozenset()) for metric in other_readings))
        earlier = naming(tokens(_IN_ONE_CLAUSE.split(before)[-1]))[::-1][:_NEAR]
        if rest[:1] == ["of"] and not of_a_whole:
            # "9,092 km of first-class expressway": what follows "of" is what the number measures,
            # whatever was named before it ("12,400 km of railway and 9,092 km of ...")
            for word in later:
                if word in said_later:
                    return False
                if word in others:
                    return True
        # the figure's own words ("billion yuan", "flights") follow its number; said before it,
        # they are the number before's ("52.43 billion yuan, making up 13.3%")
        for at in range(_NEAR):
            for near, mine in ((later, said_later), (earlier, named)):  # the word after says it first
                if at < len(near) and near[at] in mine:
                    return False
                if at < len(near) and near[at] in others and not (near is later and of_a_whole):
                    return True
        first = said_after[:_WORDS_AFTER]
        if not first or first[0] not in self.index.token_weight:
            return False
        return not figure & set(first)

    def _counted_at(self, place: str) -> frozenset[str]:
        """The nouns a place's figures count ("countries", "flights", "visitors"), once per place."""
        found = self._counted_nouns.get(place)
        if found is None:
            lex = self.store.vocabulary.lexicon
            found = frozenset(
                singular(t)
                for (at, _), facts in self.store.by_place_metric.items()
                if at == place
                for fact in facts
                if fact.unit == "count"
                for t in lex.content_tokens(fact.figure)
                if not t[:1].isdigit() and t not in _SCALE
            )
            self._counted_nouns[place] = found
        return found

    def _of_another_kind(self, parsed: ParsedQuery, place: str, metric_key: str) -> bool:
        """Whether every figure of a reading is of another kind than the one asked ("what was the
        value of its trade" asks an amount, and a count of partners is none): such a reading is
        no rival to one of the kind asked."""
        if parsed.kind is None:
            return False
        facts = self.store.by_place_metric.get((place, metric_key), ())
        return bool(facts) and not any(f.unit in parsed.kind[1] or self._rate_of(parsed, f) for f in facts)

    def _rate_of(self, parsed: ParsedQuery, fact: Fact) -> bool:
        """ "By how much did the number of tourists increase?": the count grows, and the answer
        is a rate; a growth or share asked of a count or an amount is a percent or a fold."""
        asks_rate = not parsed.kind_without_rate and any(
            t in self.index.head_words and t != "rank" for i, t in enumerate(parsed.content) if i not in parsed.context
        )
        # a multiple asked ("how many times bigger") is answered by a multiple, not a percent
        asked = parsed.kind[1] if parsed.kind is not None else None
        of_another_rate = asked is not None and asked <= RATE_UNITS and fact.unit not in asked
        return asks_rate and fact.unit in RATE_UNITS and not of_another_rate

    def _set_aside(self, parsed: ParsedQuery, metric_key: str, unit: str) -> bool:
        """Whether a thing the question sets aside is this metric: every word said of it is a
        word of the metric's names or of its unit."""
        name = self.index.metric_name_tokens.get(metric_key, frozenset())
        said_of = name | self.index.unit_words.get(unit, frozenset())
        return any(span & name and span <= said_of for span in parsed.set_aside_spans)

    def _heads_beside_a_subject(self, parsed: ParsedQuery, hit: MetricHit) -> bool:
        """A reading of nothing but head words ("growth" read as GDP growth) where the question
        points back to what grew and another reading reads it ("1.914 billion yuan of output in
        2023. What was the growth of that output?"): the growth asked is that one's."""
        heads = self.index.head_words
        own = hit.positions - parsed.context
        if not own or any(parsed.content[i] not in heads for i in own):
            return False
        subject = {i for i in parsed.pointed_back - hit.positions if parsed.content[i] not in heads}
        return bool(subject) and any(
            other.metric != hit.metric and other.positions & subject for other in parsed.metrics
        )

    def _leans_on_an_aside(self, parsed: ParsedQuery, hit: MetricHit) -> bool:
        """A reading that needs a word of an aside ("..., of which mining made up more than
        half") while another reading explains everything the question itself says ("the total
        added value of industry"): the aside names a part, the question asks the whole."""
        heads = self.index.head_words
        leaned = {i for i in hit.positions & parsed.aside if parsed.content[i] not in heads}
        if not leaned:
            return False
        own = hit.positions - parsed.aside
        if all(parsed.content[i] in heads for i in own):
            # "What growth did the bureau report?": the question names no subject of its own, unless
            # another reading reads one in it ("Tourism revenue grew 83.7%? ... By what percentage
            # did the number of tourists rise?")
            return any(
                other.metric != hit.metric
                and other.coverage >= 1.0
                and own <= other.positions
                and any(parsed.content[i] not in heads for i in other.positions - parsed.aside)
                for other in parsed.metrics
            )
        # (a reading of what the question sets aside, "Not the revenue, the visitors", is none)
        return any(
            other.metric != hit.metric
            and other.coverage >= 1.0
            and own <= other.positions
            and not other.positions & leaned
            and not any(parsed.content[i] in parsed.set_aside for i in other.positions)
            for other in parsed.metrics
        )

    def _contrasts(self, parsed: ParsedQuery, metric_key: str) -> bool:
        """Whether the question asks for another quantity than the metric measures ("lithium
        output" read as a share of lithium resources; lexicon `contrasts`)."""
        contrasts = self.store.vocabulary.lexicon.contrasts
        if not contrasts:
            return False
        asked = {t for i, t in enumerate(parsed.content) if i not in parsed.context}
        named = self.index.metric_name_tokens.get(metric_key, frozenset())
        return any(asked & asks and named & names and not named & asks for asks, names in contrasts)

    def _names_another(self, parsed: ParsedQuery, hit: MetricHit, quote: frozenset[str]) -> bool:
        """Whether another metric's alias is wholly in the question, in words this reading
        leaves unread and its fact's sentence does not say."""
        index = self.index
        weak = self.store.vocabulary.lexicon.weak_words
        for other in parsed.metrics:
            if other.metric == hit.metric or other.coverage < 1.0:
                continue
            left = [parsed.content[i] for i in other.positions - hit.positions if i not in parsed.context]
            # two words or more: one word ("area", "operation") is too often said in passing
            if len(left) >= 2 and all(
                w not in quote and w not in index.head_words and w not in weak and w not in index.unit_of_token
                for w in left
            ):
                return True
        return False

    # -- outcomes -------------------------------------------------------
    def _interp(self, parsed: ParsedQuery, place: str | None, metric: str | None) -> Interpretation:
        period = parsed.period
        label = period.label() if period else None
        if period is None and parsed.part is not None:
            first, last = parsed.part
            label = f"{MONTH_NAMES[first - 1]} to {MONTH_NAMES[last - 1]} (any year)"
        return Interpretation(
            place=self.store.place_name(place) if place else None,
            metric=self.store.metric_name(metric) if metric else None,
            period=label,
            place_key=place,
            metric_key=metric,
            period_code=period.text if period else None,
        )

    def _answered(
        self, query: str, parsed: ParsedQuery, interp: Interpretation, selection: Selection, score: float
    ) -> Answer:
        facts = list(selection.facts)
        main = facts[0]
        same_period = [f for f in facts[1:] if f.period == main.period]
        extra = ""
        if same_period:
            extra = "Also stated as " + "; ".join(
                f"{f.figure} in {self.store.source_of(f).title} ({self.store.source_of(f).date})" for f in same_period
            )
        if selection.note == "partial":
            whole = parsed.period.label() if parsed.period else str(main.period.start.year)
            extra = (extra + ". " if extra else "") + f"The documents give no figure for the whole of {whole}"
        newer = [
            f
            for f in facts[1:]
            if f.period.kind is PeriodKind.PARTIAL and f.period.end.ordinal > main.period.end.ordinal
        ]
        if newer and (parsed.period is None or parsed.period.kind is PeriodKind.AS_OF):
            latest = newer[0]
            extra = (extra + ". " if extra else "") + (
                f"A newer figure covers only part of a year: {latest.period.label()}: {latest.figure}"
            )
        alternatives: list[Fact] = same_period
        if selection.note == "series":
            series = sorted(facts, key=lambda f: f.period.start.ordinal)
            extra = "Series: " + "; ".join(f"{f.period.label()}: {f.figure}" for f in series)
            alternatives = [f for f in series if f is not main]
        answer_view = view(main, self.store, extra=extra)
        if parsed.period is None or parsed.period.kind is PeriodKind.AS_OF:
            interp = Interpretation(
                place=interp.place,
                metric=interp.metric,
                period=main.period.label(),
                place_key=interp.place_key,
                metric_key=interp.metric_key,
                period_code=main.period.text,
            )
            score *= 0.95
        elif selection.note:
            score *= 0.9
        siblings = self.store.by_place_metric.get((main.place, main.metric), ())
        other_periods = [f for f in siblings if f.period != main.period]
        return Answer(
            query=query,
            status=Status.ANSWERED,
            interpretation=interp,
            message=answer_view.text,
            fact=answer_view,
            alternatives=tuple(view(f, self.store) for f in alternatives[:MAX_LISTED]),
            suggestions=tuple(self.suggestion(f) for f in _latest(other_periods)[:MAX_LISTED]),
            score=score,
            remaining=parsed.remaining,
        )

    def _nearest(
        self, query: str, parsed: ParsedQuery, interp: Interpretation, facts: list[Fact], reason: str, score: float
    ) -> Answer:
        if not facts:
            return self._not_found(query, parsed, interp, reason)
        views = tuple(view(f, self.store) for f in facts[:MAX_LISTED])
        message = f"{reason} Nearest figure the documents give (not for what you asked): {views[0].text}"
        return Answer(
            query=query,
            status=Status.NEAREST,
            interpretation=interp,
            message=message,
            alternatives=views,
            suggestions=tuple(self.suggestion(f) for f in facts[:MAX_LISTED]),
            score=score,
            remaining=parsed.remaining,
        )

    def _ambiguous(
        self, query: str, parsed: ParsedQuery, interp: Interpretation, facts: list[Fact], score: float
    ) -> Answer:
        views = tuple(view(f, self.store) for f in facts[:MAX_LISTED])
        listed = " | ".join(f"{i}) {fact_line(v.fact, self.store, with_source=False)}" for i, v in enumerate(views, 1))
        return Answer(
            query=query,
            status=Status.AMBIGUOUS,
            interpretation=interp,
            message=f"Several figures fit {interp.title}: {listed}. Ask again more precisely, or pick one.",
            alternatives=views,
            suggestions=tuple(self.suggestion(f) for f in facts[:MAX_LISTED]),
            score=score,
            remaining=parsed.remaining,
        )

    def _not_found(
        self, query: str, parsed: ParsedQuery, interp: Interpretation, reason: str, suggestions: Sequence[str] = ()
    ) -> Answer:
        suggested = tuple(suggestions) or self._fuzzy_suggestions(parsed)
        message = reason
        if suggested:
            message += " Did you mean: " + "; ".join(f"'{s}'" for s in suggested) + "?"
        return Answer(
            query=query,
            status=Status.NOT_FOUND,
            interpretation=interp,
            message=message,
            suggestions=suggested,
            score=0.0,
            remaining=parsed.remaining,
        )

    def _no_metric(self, query: str, parsed: ParsedQuery, places: list[str]) -> Answer:
        covered = [p for p in places if p in self.places_with_facts]
        if not covered:
            interp = self._interp(parsed, places[0] if places else None, None)
            if places:
                reason = f"The documents have no figures for {interp.place}."
            else:
                reason = "No figure in the documents matches that question."
            return self._not_found(query, parsed, interp, reason)
        place = covered[0]
        interp = self._interp(parsed, place, None)
        # the currency asked ("how much is that in US dollars?") is read, not unknown
        said_currency = (
            set(self.store.vocabulary.lexicon.content_tokens(parsed.currency[1])) if parsed.currency else set()
        )
        unread = [w for w in parsed.remaining if w not in said_currency]
        if unread:
            asked = " ".join(unread)
            reason = f"The documents have no figure for '{asked}' in {interp.place}."
            return self._not_found(query, parsed, interp, reason, self._suggest_for_place(place, parsed))
        checked = self._units_checked_in_its_question(parsed) if not parsed.metrics else frozenset()
        if not parsed.metrics and (checked or parsed.kind is not None):
            wanted = checked or (parsed.kind[1] if parsed.kind is not None else frozenset())
            of_kind = {f.metric for f in self.store.facts_for(place=place) if f.unit in wanted}
        else:
            of_kind = set()
        if len(of_kind) == 1:
            # "how much was the Sichuan-Xizang grid link?": of the place's figures, only one
            # metric's are of the kind asked (an amount, not the completion date), or of the
            # unit a check states ("is Xinjiang bigger than 1.5 million square kilometers?")
            only = MetricHit(next(iter(of_kind)), 1.0, 1.0)
            return self._answer(query, replace(parsed, metrics=(only,)))
        if not parsed.metrics and (place, DEFAULT_METRIC) in self.store.by_place_metric:
            # a place alone ("kashgar 2023", "!trade xizang") asks for its trade: the figure
            # this bot is named for; its interpretation says so
            trade = MetricHit(DEFAULT_METRIC, 1.0, 1.0)
            return self._answer(query, replace(parsed, metrics=(trade,)))
        facts = list(self.store.facts_for(place=place))
        if parsed.period is not None:
            in_period = [f for f in facts if f.period.overlaps(parsed.period) and f.period.kind is not PeriodKind.SPAN]
            facts = in_period or facts
        facts = self._headline_first(facts)
        return self._ambiguous(query, parsed, interp, facts, 0.3)

    def _no_place(self, query: str, parsed: ParsedQuery, metrics: list[MetricHit]) -> Answer:
        metric = metrics[0].metric
        interp = self._interp(parsed, None, metric)
        answers: list[Fact] = []
        for place in sorted(self.places_by_metric.get(metric, ())):
            selection = select_period(self.store.by_place_metric[(place, metric)], parsed.period)
            if selection.status is Status.ANSWERED:
                answers.append(selection.facts[0])
        asked = set(words(parsed.operator[1])) if parsed.operator else set()
        unknown = [
            w
            for w in parsed.remaining
            if w not in asked
            and self.looks_like_name(w, in_place_slot=True)
            # (who said it, "Erkin Tuniyaz said ...", names no place)
            and w not in self.attributed_names
            and not self._attributed(parsed, w)
        ]
        if unknown:
            # a name where a place would be: say which places we do have
            reason = f"I don't know the place '{' '.join(unknown)}'."
            listed = answers or [f for f in self.store.facts_for(metric=metric)]
            return self._nearest(query, parsed, interp, self._headline_first(listed), reason, 0.2)
        partial = [w for w in parsed.remaining if w in self.index.place_token_set]
        if partial:
            # part of a place's name ("bonded zone" with no Kashi): which place is not said
            reason = f"Which place? '{' '.join(partial)}' is part of a name, not a whole one."
            listed = answers or [f for f in self.store.facts_for(metric=metric)]
            return self._nearest(query, parsed, interp, self._headline_first(listed), reason, 0.2)
        if len(answers) == 1:
            # the one place with the figure: decided as if it were named, every rule applying
            return self._answer_at(query, parsed, answers[0].place, metrics, NO_PLACE_SIMILARITY, [])
        if answers:
            return self._ambiguous(query, parsed, interp, answers, 0.4)
        facts = [f for f in self.store.facts_for(metric=metric)]
        near = self._near_period(facts, parsed.period)
        return self._nearest(query, parsed, interp, near, f"No figure for {interp.title}.", 0.2)

    def _several_places(self, query: str, parsed: ParsedQuery, places: list[str], metrics: list[MetricHit]) -> Answer:
        facts: list[Fact] = []
        for place in places:
            metric = next((m for m in metrics if (place, m.metric) in self.store.by_place_metric), metrics[0])
            selection = select_period(self.store.by_place_metric.get((place, metric.metric), ()), parsed.period)
            if selection.status is Status.ANSWERED:
                facts.append(selection.facts[0])
        interp = self._interp(parsed, None, metrics[0].metric)
        interp = Interpretation(
            place=" / ".join(self.store.place_name(p) for p in places),
            metric=interp.metric,
            period=interp.period,
            metric_key=interp.metric_key,
            period_code=interp.period_code,
        )
        if not facts:
            return self._not_found(query, parsed, interp, f"No figure for {interp.title}.")
        return self._ambiguous(query, parsed, interp, facts, 0.4)

    def _missing_pair(
        self, query: str, parsed: ParsedQuery, place: str, metric: str, interp: Interpretation, places: list[str]
    ) -> Answer:
        """The place is known, the metric is known, but the store has no such pair."""
        facts: list[Fact] = []
        # the metrics the vocabulary names as related ("exports" -> the trade total), then
        # the same place under the next-best reading of the metric ("trade growth" -> trade)
        known = self.store.vocabulary.metrics.get(metric)
        for other in known.related if known else ():
            facts.extend(self.store.by_place_metric.get((place, other), ()))
        for hit in parsed.metrics[1:4]:
            if hit.coverage >= METRIC_MIN_COVERAGE:
                facts.extend(self.store.by_place_metric.get((place, hit.metric), ()))
        # then the same metric in the places around it
        related = [*self.index.ancestors(place), *self._children(place)]
        for other in related:
            facts.extend(self.store.by_place_metric.get((other, metric), ()))
        if not facts:
            facts = list(self.store.facts_for(metric=metric))
        reason = f"No figure for {interp.title}."
        if place not in self.places_with_facts:
            reason = f"The documents have no figures for {interp.place}."
        if not facts:
            return self._not_found(query, parsed, interp, reason, self._suggest_for_place(place, parsed))
        return self._nearest(query, parsed, interp, self._near_period(facts, parsed.period), reason, 0.2)

    # -- helpers --------------------------------------------------------
    def _children(self, place: str) -> list[str]:
        return [p.key for p in self.store.vocabulary.places.values() if p.within == place]

    def _near_period(self, facts: list[Fact], period: Period | None) -> list[Fact]:
        if period is None:
            return _latest(facts)
        return sorted(facts, key=lambda f: (_distance(f.period, period), f.id))

    def _headline_first(self, facts: list[Fact]) -> list[Fact]:
        """Order a place's facts for a listing: money figures and headline metrics first."""
        order = {"trade_total": 0, "gdp": 1, "tourist_arrivals": 2, "tourism_revenue": 3}
        return sorted(facts, key=lambda f: (order.get(f.metric, 9), -f.period.end.ordinal, f.id))

    def _suggest_for_place(self, place: str, parsed: ParsedQuery) -> list[str]:
        facts = self._headline_first(list(self.store.facts_for(place=place)))
        seen: set[str] = set()
        out: list[str] = []
        for fact in facts:
            if fact.metric in seen:
                continue
            seen.add(fact.metric)
            out.append(self.suggestion(fact))
            if len(out) == MAX_LISTED:
                break
        return out

    def _fuzzy_suggestions(self, parsed: ParsedQuery) -> tuple[str, ...]:
        hits = process.extract(
            parsed.text,
            self._pair_labels,
            scorer=fuzz.token_set_ratio,
            processor=utils.default_process,
            limit=MAX_LISTED,
            score_cutoff=40,
        )
        out: list[str] = []
        for _, _, i in hits:
            place, metric = self._pair_keys[i]
            latest = _latest(self.store.by_place_metric[(place, metric)])[0]
            out.append(self.suggestion(latest))
        return tuple(out) or self._default_suggestions()

    def _default_suggestions(self) -> tuple[str, ...]:
        wanted = [("xizang", "trade_total"), ("xinjiang", "trade_total"), ("kashi", "trade_total")]
        pairs = self.store.by_place_metric
        return tuple(self.suggestion(_latest(pairs[k])[0]) for k in wanted if k in pairs)

    def suggestion(self, fact: Fact) -> str:
        """A query that finds `fact` again: metric, place, period."""
        metric = self.store.metric_name(fact.metric)
        place = self.store.place_name(fact.place)
        period = "" if fact.period.kind is PeriodKind.AS_OF else fact.period.text
        return " ".join(p for p in (metric, place, period) if p)
