"""Parse a query into place, metric, period and the words left over.

    "How much did Xinjiang trade with Belt and Road countries in H1 2023?"
      -> place xinjiang, metric trade_belt_and_road, period 2023-H1

The parser only reads the vocabulary; the matcher decides what the store can
answer.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from bot.query.index import HEAD_WEIGHT, PlacePhrase, VocabularyIndex
from bot.query.lexicon import Kind
from bot.query.periods import chinese_periods, extract_period, marked_spans
from bot.query.spelling import Speller
from bot.query.text import fold, singular, words
from bot.store.periods import Period

CJK_SCORE = 100.0
# a gap in a pasted sentence: "...", "[?]", "___", or a lone X ("reached X, an increase of 201.7 percent")
GAP = re.compile(r"\.\.\.|…|\[\s*\?\s*\]|_{3,}|(?<![\w$.,-])[Xx](?![\w$-])|(?<![\w?])\?{3,}(?!\s*$)")
EXPLAIN_MIN_COVERAGE = 0.72
STRAY_WEIGHT = 0.5

# slash-command style fields typed as text: "place:Tibet metric:trade period:2023"
_FIELD_LABEL = re.compile(
    r"\b(?:place|metric|period|query|location|region|year|date|time|figure|indicator|stat|what|where|when|partner)\s*[:=]"
)
# Sentences and clauses ("The article says ... — what was the figure?"): the metric
# is read in the clause that asks; the others are context. The mark survives word
# splitting and is no word of any vocabulary.
CLAUSE_MARK = "zzclausezz"
ASKED_MARK = "zzaskedzz"  # a clause that ended in a question mark
CONTEXT_MARK = "zzcontextzz"  # a clause that a context opener began
RECALLED_MARK = "zzrecalledzz"  # a clause whose period and place give way to the one that asks
_QUESTION_MARK = re.compile(r"\?+")
CONTEXT_WEIGHT = 0.05
# a background clause the question leans on ("I know it was under 700k tons back in 2012 -
# what is it now?") names the metric as fully as the question, but like any context it
# blocks nothing: its period words were read as context, not left unread
BACKGROUND_WEIGHT = 0.99
LOOSE_CONTEXT_WEIGHT = 0.3
# ("U.S. dollars" ends no sentence; ", but how many ...?", ", so what ...?" begin the question
# after a figure stated: "17 GMP-certified enterprises, but how many national drug approval numbers?")
_CLAUSE_BREAK = re.compile(
    r"[?!;]+\s*|(?<=[a-z0-9%)\]])(?<!\bu\.s)\s*\.\s+|\.[)\]'\"]\s+|\s[-—–]+\s|:\s+|,\s+(?:but|so)\s+(?=(?:how|what|which|when)\b)"
    # "'... (about ??? U.S. dollars)' how many dollars?": the question after a closing quote is its own
    r"|(?<=[\w).%])['\"”’]\s+(?=(?:how|what|whats|which|when|is|was|did|does|so|and|but)\b)"
    # "for my chart I already have 2023, I need the 2022 figure": a request after a comma asks on its own
    r"|,\s+(?=(?:i\s+(?:only\s+|just\s+|really\s+|also\s+)?(?:need|want|would\s+like)|(?:just\s+|please\s+|so\s+)?(?:give|tell|show)\s+(?:me|us|them))\b)"
    # "hello from almaty 🇰🇿 what was ...": in a chat, an emoji ends what it follows
    r"|\s*[\U0001F000-\U0001FAFF\u2600-\u27BF][\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F\u200D]*\s*(?=\S)"
)
# words that put a question right ("oh wait ... gimme 2023 then", "actually just tell me 2013")
_PUT_RIGHT = re.compile(
    r"\b(?:actually|wait|instead|rather|then|i\s+mean|scratch\s+that|sorry|correction|make\s+that)\b"
)
# a period the question points back to ("for that same period", "those four months")
_SAME_PERIOD = re.compile(
    r"\b(?:same|that|those|this|these)\s+(?:same\s+)?(?:\w+\s+)?(?:period|months|stretch|timeframe|time\s+frame|quarter|half)\b"
)
# the asker found the answer to what they asked before ("ok saw it", "ah nvm found it")
_FOUND_IT = re.compile(r"\b(?:nvm|never\s*mind|found\s+it|saw\s+it|got\s+it|see\s+it|have\s+it\s+now|ignore\s+that)\b")
# a request anywhere in a clause ("For my report I need ...", "For the base year I'd like ...")
_REQUEST = re.compile(
    r"\b(?:(?:i|we)\s+(?:\w+\s+)?(?:need|want|require|would\s+like)|(?:i'?d|we'?d)\s+like|(?:give|tell|show)\s+(?:me|us|them))\b"
)
_ASKING = frozenset({
    "how", "what", "whats", "which", "where", "when", "who", "is", "was", "did", "does", "do",
    "need", "tell", "give", "want", "show", "find", "looking",
})  # fmt: skip
_REQUESTERS = frozenset({"i", "we", "please", "pls", "so", "now", "but", "and"})
_REQUESTS = frozenset({"need", "want", "wanna", "would", "require", "tell", "give", "show"})
# "how many <what is counted> <verb ...>": the counted noun ends where a verb begins
_HOW_MANY = re.compile(r"\bhow\s+many\b")
_VERBS = frozenset({
    "go", "goes", "went", "come", "came", "show", "hold", "holds", "operate", "operates", "make", "makes",
    "run", "runs", "exist", "exists", "get", "got", "visit", "visits", "tour", "receive", "fly", "flew",
    "work", "works", "serve", "serves", "employ", "employs", "cover", "covers", "open", "opens",
    "took", "take", "takes", "carry", "carries", "flown", "sold", "built", "made", "set",
})  # fmt: skip
# "how many flight they do", "how many until now": a pronoun or a time ends the noun counted
_ENDS_THE_COUNTED = frozenset({"i", "you", "he", "she", "it", "we", "they", "now", "until", "till", "today", "so"})
# the place asked as a whole ("the whole region's total", "region-wide", "Kashi as a whole")
_WHOLE_PLACE = re.compile(
    r"\b(?:region[- ]?wide|(?:whole|entire)\s+(?:region|prefecture|province)|regional\s+total|as\s+a\s+whole)\b"
)
# a part of the whole asked ("the FTZ's share of the region as a whole")
_A_PART = re.compile(r"\b(?:share|percent|percentage|proportion|part|portion)\b|%")
# words that point back to what an earlier clause named ("the growth of that output")
_DEMONSTRATIVES = frozenset({"that", "this", "those", "these", "same"})
# counts of anyone or anything: they say nothing about which count is meant
_GENERIC_COUNTED = frozenset({"people", "person", "ppl", "one", "time", "thing", "item", "unit", "folk"})
# "how many money", "how many percent": a learner's "how much", no count
_UNCOUNTED = frozenset({"money", "cash", "percent", "percentage", "%"})
# a figure said with its unit or scale ("439.4 billion cubic meters", "52.43%")
_STATES_A_FIGURE = re.compile(
    r"(?<![\w.])\d[\d,]*(?:\.\d+)?\s*(?:%|percent|per\s+cent|billion|million|thousand|trillion|yuan|tons?\b|tonnes?"
    r"|km\b|kilomet|kwh|kw\b|kilowatt|cubic|square|meters|hours|-?fold)"
)
_NUMBER_WORD = re.compile(r"\d[\d,]*(?:\.\d+)?(?:bn|m|k|tn)?")
_YEAR = re.compile(r"(?:19|20)\d\d")
# a follow-up asking for the year before the one said ("... in 2023. And the year before?")
_YEAR_BEFORE = re.compile(
    r"\b(and|what\s+about|how\s+about|or|then)\s+(?:for\s+|in\s+)?(?:the\s+year\s+before|the\s+previous\s+year"
    r"|a\s+year\s+earlier|the\s+prior\s+year|the\s+preceding\s+year)\b"
)
# a number glued to one letter that is no scale ("5G", "5A") names a thing, not a figure
_NAMED_BY_A_NUMBER = re.compile(r"\d+[ac-jln-su-z]")
_SCALE_WORDS = frozenset({"thousand", "million", "billion", "trillion", "bn", "mn", "tn", "k", "m"})
# words a wh-question asks about that name no metric ("how many times bigger", "which year")
_WH_NOUNS = frozenset({
    "times", "bigger", "larger", "more", "much", "many", "year", "month", "when", "big", "large", "rate", "pace",
})  # fmt: skip
_WHO_IS_RIGHT = frozenset({
    "who", "whos", "which", "one", "is", "right", "correct", "true", "wrong", "of", "us", "them", "the", "two",
    "so", "then", "ok", "okay", "and", "but", "here",
})  # fmt: skip
_OPENERS = frozenset({"so", "and", "but", "then", "ok", "okay", "also", "now", "well", "hey", "hi"})
_WH_WORDS = frozenset({"how", "what", "whats", "which", "where", "when", "who"})
# a question about today, not about the time the asker remembers ("what has it grown to?")
_TODAY = frozenset({"has", "have", "now", "today", "currently", "latest", "nowadays"})


# where a part of a pasted sentence ends ("..., growing by 9.5 percent, and ..."), and where the
# pasted sentence itself does: a closing quote, a dash, the end of its sentence
_PART_END = re.compile(r",(?!\d)|[;:!?()\"“”‘’]|(?<!\d)\.|\.(?!\d)|(?<!\w)'|'(?!\w)|\s[-–—]+\s")
_PASTE_END = re.compile(r"[\"“”‘’]|(?<!\w)'|'(?!\w)|\s[-–—]+\s|[.?!](?:\s|$)")
_PASTE_START = re.compile(r"[\"“”‘’]|(?<!\w)'")


def _beside_the_gap(before: str, after: str) -> tuple[str, str]:
    """The pasted sentence's parts other than the gap's ("Xizang's tourism sector has also seen
    significant growth, | welcoming ... visitors"), and the rest: the gap's own part and what the
    asker typed around the pasted sentence."""
    opened = [m.end() for m in _PASTE_START.finditer(before)]
    start = opened[-1] if opened else 0
    closed = _PASTE_END.search(after)
    end = closed.start() if closed else len(after)
    pasted_before, pasted_after = before[start:], after[:end]
    part_starts = [m.end() for m in _PART_END.finditer(pasted_before)]
    part_start = part_starts[-1] if part_starts else 0
    part_ended = _PART_END.search(pasted_after)
    part_end = part_ended.start() if part_ended else len(pasted_after)
    beside = f"{pasted_before[:part_start]} {pasted_after[part_end:]}"
    rest = f"{before[:start]} {pasted_before[part_start:]} {pasted_after[:part_end]} {after[end:]}"
    return beside, rest


# "share of", "percent of" before a place: the place is the whole a share is of
_AS_A_WHOLE = re.compile(r"\b(?:share|percent|percentage|proportion|part)\s+of\s+(?:the\s+)?$|%\s+of\s+(?:the\s+)?$")


def _around_gap(text: str) -> tuple[str | None, str | None]:
    """The question as typed before and after the gap of a pasted sentence, when it has one."""
    gap = GAP.search(text)
    return (text[: gap.start()], text[gap.end() :]) if gap is not None else (None, None)


_YEAR_BEFORE_A_YEAR = re.compile(
    r"\b(?:the\s+)?year\s+(?:before|prior\s+to|preceding)\s+((?:19|20)\d{2})\b"
    r"|\ba\s+year\s+(?:earlier|before)\s+than\s+((?:19|20)\d{2})\b"
)


def _year_before_as_a_year(folded: str) -> str:
    """ "Cement reached 11.98 million tons in 2023. And the year before?" asks for 2022: the
    year before the last year said, written out, so the question's own period is that year
    ("the year before 2023" too)."""
    folded = _YEAR_BEFORE_A_YEAR.sub(lambda m: f" in {int(m.group(1) or m.group(2)) - 1} ", folded)
    match = _YEAR_BEFORE.search(folded)
    if match is None:
        return folded
    said = _YEAR.findall(folded[: match.start()])
    if not said:
        return folded
    return f"{folded[: match.start()]} {match.group(1)} in {int(said[-1]) - 1} {folded[match.end() :]}"


# the words a request may open with before its verb ("just", "could you", "so I")
_BEFORE_A_REQUEST = _OPENERS | _REQUESTERS | frozenset({"just", "could", "can", "would", "you", "kindly"})
# a pasted sentence's gap, as a word of a clause ("... a X increase in revenue", "reached ...")
_GAP_WORDS = frozenset({"x", "...", "\u2026"})


def _makes_a_request(clause: list[str]) -> bool:
    """A clause that asks by a request ("Just give me the number of tourist visits in 2023.",
    "could you tell me ...", "I need ...")."""
    first = next((w for w in clause if w not in _BEFORE_A_REQUEST), "")
    return first in _REQUESTS


def _opens_a_question(clause: list[str]) -> bool:
    """A clause that asks: a wh-word anywhere, or an asking word first ("is" in "Is it true
    ...?", not in "the digital economy there is booming")."""
    if not clause:
        return False
    # "I want the actual 2023 GDP number.", "please give me ...": a request asks too
    request = (
        (clause[0] in _REQUESTERS and len(clause) > 1 and clause[1] in _REQUESTS)
        or _makes_a_request(clause)
        or _REQUEST.search(" ".join(clause)) is not None
    )
    return clause[0] in _ASKING or request or bool(_WH_WORDS & set(clause))


# fields separated by bars, semicolons or commas: "xizang | trade | 2023"
_FIELD_SEPARATORS = re.compile(r"\s*[|;]\s*")
_FIELD_SEPARATOR = re.compile(r"\s*\|\s*")
# "What figure do you have for ...?", "the figure given for ...": the figure the documents give is asked,
# whatever the question states; "what was the total H1 2023 figure?" asks beyond what it states
_ASKS_THE_FIGURE_GIVEN = re.compile(
    r"\b(?:what|which|whats)\s+figures?\b|\bfigures?\s+(?:given|reported|stated|printed|do|does|did|is\s+given)\b"
)

# "what percentage of X" asks for a share; "grew by 10 percent" does not
_SHARE_OF = re.compile(r"(?:\b\d+(?:\.\d+)?\s*%|\b(?:percentage|percent|pct|per cent|proportion|fraction)|%)\s+of\b")


class Aside(float):
    """The weight of a word in an aside ("..., of which mining made up more than half", what
    the asker remembers) beside a question that names its own metric: a plain float that
    also says where the word stood (see `ParsedQuery.aside`)."""


@dataclass(frozen=True)
class PlaceHit:
    place: str
    similarity: float  # 1.0 exact, less for a typo
    text: str  # the words of the query that named it


@dataclass(frozen=True)
class MetricHit:
    metric: str
    score: float  # matched token weight x coverage of the alias
    coverage: float  # share of the alias's weight the query matched
    query_coverage: float = 1.0  # share of the query's metric words this alias explains
    heads: bool = True  # explains every head word of the question ("share", "growth", "rank")
    positions: frozenset[int] = frozenset()  # the question's content words this reading explains

    @property
    def strength(self) -> float:
        """How well this reading fits: alias matched, weighted by how much of the question it explains."""
        return self.score * self.query_coverage


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    places: tuple[PlaceHit, ...]
    metrics: tuple[MetricHit, ...]  # best first
    period: Period | None
    relative_period: bool = False
    latest: bool = False
    open_end: bool = False
    whole_year: bool = False
    part: tuple[int, int] | None = None  # months of a part of a year asked without its year ("H1")
    remaining: tuple[str, ...] = field(default=())  # content words nothing explained
    # positions of the question's words that point back ("that output") to an earlier clause's
    pointed_back: frozenset[int] = frozenset()
    folded: str = ""  # the question as read: folded, fields and phrases rewritten
    operator: tuple[str, str] | None = None  # a derived request: (kind, the words asking it)
    currency: tuple[str, str] | None = None  # a currency asked for: (key, the words asking it)
    period_unread: tuple[str, ...] = ()  # period words left after the period was read
    second_period: Period | None = None  # another period the question names besides the one read
    content: tuple[str, ...] = ()  # the question's content words (folded), which readings explain
    context: frozenset[int] = frozenset()  # positions of `content` in context clauses
    aside: frozenset[int] = frozenset()  # ... in clauses that hardly count beside a question naming its metric
    corrections: tuple[tuple[str, str], ...] = ()  # misspellings put right: (as typed, as read)
    kind: tuple[str, frozenset[str]] | None = None  # the kind of figure asked, and the units that are of it
    # the last question asks its kind without a growth or share word ("..., rising 80.8 percent. What
    # was the precise total?"): a rate is not what it asks
    kind_without_rate: bool = False
    counted: str | None = None  # what "how many ..." counts ("companies"), folded
    set_aside: frozenset[str] = frozenset()  # words the question sets aside and does not ask ("not the revenue")
    set_aside_spans: tuple[frozenset[str], ...] = ()  # the same, one set per thing set aside
    stated: frozenset[str] = frozenset()  # in a check, the words after the numbers it states ("country")
    asks_beyond_its_figures: bool = False  # a wh-question that does not ask to confirm what it states
    after_gap: str | None = None  # the question as typed after a gap of a pasted sentence, when it has one
    before_gap: str | None = None  # ... and before it
    marked: str = ""  # the question as read, with its clause marks (for `--explain`)

    def unexplained(self, hit: MetricHit) -> tuple[str, ...]:
        """The content words of the question proper a reading leaves unexplained (numbers aside)."""
        return tuple(
            t
            for i, t in enumerate(self.content)
            if i not in hit.positions and i not in self.context and not t.isdigit()
        )

    @property
    def place(self) -> str | None:
        return self.places[0].place if self.places else None

    @property
    def metric(self) -> str | None:
        return self.metrics[0].metric if self.metrics else None


class QueryParser:
    def __init__(self, index: VocabularyIndex, speller: Speller | None = None) -> None:
        self.index = index
        self.lexicon = index.lexicon
        self.speller = speller

    def spell(self, folded: str) -> str:
        """Folded text with its misspellings put right, as `parse` reads it."""
        return self.speller.correct(folded)[0] if self.speller is not None else folded

    def parse(self, text: str, today: date | None = None) -> ParsedQuery:
        lex = self.lexicon
        folded = _FIELD_LABEL.sub(" ", _SHARE_OF.sub("share of", fold(text)))
        # fields are split by bars, or semicolons ("xizang; trade; 2023"); in a sentence that asks
        # ("... in 2024; what was the 2022 figure?") a semicolon ends a clause
        folded = (_FIELD_SEPARATOR if _WH_WORDS & set(words(folded)) else _FIELD_SEPARATORS).sub(" ", folded)
        folded = lex.rewrite_chinese(chinese_periods(folded))
        corrections: tuple[tuple[str, str], ...] = ()
        if self.speller is not None:
            folded, corrections = self.speller.correct(folded)
        folded = lex.rewrite_periods(lex.rewrite_phrases(folded))
        folded = _year_before_as_a_year(folded)
        wh_clauses = self._wh_clauses(text)
        asks_beyond = self._asks_beyond_its_figures(wh_clauses)
        before_gap, after_gap = _around_gap(text)
        marked = _CLAUSE_BREAK.sub(f" {CLAUSE_MARK} ", _QUESTION_MARK.sub(f" {ASKED_MARK} {CLAUSE_MARK} ", folded))
        marked = lex.mark_context(marked, f"{CLAUSE_MARK} {CONTEXT_MARK}", CLAUSE_MARK)
        marked = self._mark_background(marked, today)
        has_gap = GAP.search(folded) is not None
        if asks_beyond or has_gap:
            # "... reached ... in 2023, an increase of 80.8 percent. What's the value?" asks the gap, and
            # "Tibet's trade jumped 138.3% in 2023, but what was the total value?" another figure: the
            # change stated describes the figure said, it asks nothing
            marked = lex.without_stated_changes(marked)
        if has_gap:
            marked = lex.without_stated_shares(marked)
        operator = self._operator(folded, marked)
        currency = lex.currency(folded)
        if has_gap:
            # a pasted sentence with a gap describes the figure asked: its operator and currency
            # words ("with an average annual growth rate of ...", "(about 33.12 billion U.S.
            # dollars)") ask nothing; only the clauses without the gap can ask for them
            asking = CLAUSE_MARK.join(c for c in marked.split(CLAUSE_MARK) if not GAP.search(c))
            operator = self._operator(asking, asking) if operator is not None else None
            currency = lex.currency(asking.replace(ASKED_MARK, "?")) if currency is not None else None
        # the kind asked is the asking clauses' ("Leaving aside sales revenue, how many ...?" asks a count)
        asking_clauses = [c for c in marked.split(CLAUSE_MARK) if CONTEXT_MARK not in c]
        not_context = CLAUSE_MARK.join(asking_clauses)
        # the kind the last question asks ("... the record revenue, I already have it. How many tourists
        # did Xizang receive?" asks a count), or else the kind any clause asks
        # (a request is a question too: "Was its revenue up 83.7 percent? Just give me the growth in arrivals.")
        questions = [c for c in asking_clauses if ASKED_MARK in c or _REQUEST.search(c)]
        asked_kind = lex.kind(questions[-1].replace(ASKED_MARK, "?")) if questions else None
        kind = asked_kind or lex.kind(
            not_context.replace(ASKED_MARK, "?")  # a kind word may end its question ("- growth rate?")
        )
        context_marks = (CONTEXT_MARK, CLAUSE_MARK)
        found = extract_period(marked, today, context_marks)
        rest = found.rest
        # a second period phrase ("... back in 2012") leaves the question two periods
        # ("last year (2024)": the year written out says which one is meant)
        # (a second year in what the asker remembers, "7.58 million kW by end-2023, a 5.2-fold rise
        # over 2012", is the base of the figure remembered, not a second period asked)
        asked_rest = CLAUSE_MARK.join(c for c in rest.split(CLAUSE_MARK) if RECALLED_MARK not in c)
        asks_one = found.period is not None and not found.relative
        other = extract_period(asked_rest, today, context_marks) if asks_one else None
        second_period = (
            other.period if other is not None and not other.relative and other.period != found.period else None
        )
        places, rest = self._places(rest)
        # a place the question sets aside ("Not the Qinghai one, the Sichuan-Xizang project's ...") is not asked
        aside = lex.set_aside_words(folded)
        if aside and len(places) > 1:
            kept_places = [h for h in places if not set(lex.content_tokens(h.text)) <= aside]
            places = kept_places or places
        if places and questions and _WHOLE_PLACE.search(questions[-1]) and not _A_PART.search(questions[-1]):
            # (a share of the whole, "the FTZ's share of the region as a whole", is the part's)
            places = self._the_whole(places, fold(text))
        folded_counted = folded
        if operator is not None and lex.only_a_total(operator, folded):
            # "how many tourists in 2023 altogether?" asks the total of one figure; a sum needs
            # several things to add: places, periods, a span of years
            spans_years = found.period is not None and found.period.start.year != found.period.end.year
            if len(places) < 2 and second_period is None and not spans_years:
                # another request the question makes ("altogether, certified or not") still holds
                folded_counted = lex.without_total_words(folded)
                operator = self._operator(folded_counted, lex.without_total_words(marked))
                rest = lex.without_total_words(rest)
        cjk_hits: list[MetricHit] = []
        for alias, key in () if rest.isascii() else self.index.cjk_metrics:
            if alias in rest:
                rest = rest.replace(alias, " ")
                if all(h.metric != key for h in cjk_hits):
                    # a Chinese term names its metric outright: full weight, nothing left to explain
                    cjk_hits.append(MetricHit(key, CJK_SCORE, 1.0, 1.0))
        marked_words = [
            (part, weight)
            for w, weight in self._clauses(words(rest), asked_kind)
            for part in (self.index.split_compound(w) or [w])
        ]
        # split hyphenated words ("sichuan-xizang") unless the fold table knows them whole
        tagged = [
            (t, weight)
            for w, weight in ((lex.fold_token(w), c) for w, c in marked_words)
            for t in (w.split("-") if "-" in w and w not in lex.folds else [w])
        ]
        # rare words that repeat the place's own name ("rank among bonded zones" after
        # "Kashi Comprehensive Bonded Zone") describe the place, not the metric; common
        # metric words ("trade" in "free trade zone") still count
        place_words = {
            w
            for hit in places
            for w in (singular(lex.fold_token(part)) for part in hit.text.replace("-", " ").split())
            if self.index.token_df.get(w, 0) <= 3
        }.union(*(self.index.rare_place_words(hit.place) for hit in places))
        said = self._said_with_a_number(tagged)
        kept_at = [
            (t, weight, at)
            for at, (t, weight) in enumerate((singular(lex.fold_token(t)), c) for t, c in tagged)
            if t
            and at not in said
            and t not in lex.stop_words
            and t not in lex.fillers
            and t not in place_words
            and not (has_gap and t in _GAP_WORDS)  # the gap ("what is X?") is the figure asked, no word of it
            # a number in the question ("my draft says 10bn") names no metric; "5G" does
            and (t in self.index.token_weight or not any(c.isdigit() for c in t))
        ]
        kept = [(t, weight) for t, weight, _ in kept_at]
        content = [t for t, _ in kept]
        # "What was the growth of that output?": a word of the question after a demonstrative
        # points back to what an earlier clause named with it
        said_before = {t for t, weight in kept if weight < 1.0}
        pointed_back = frozenset(
            i
            for i, (t, weight, at) in enumerate(kept_at)
            if weight >= 1.0 and at and tagged[at - 1][0] in _DEMONSTRATIVES and t in said_before
        )
        # what the question sets aside, unless its own clause names it too
        named_in_question = {t for t, weight in kept if weight >= 1.0}
        set_aside = aside - named_in_question
        set_aside_spans = (
            tuple(span - named_in_question for span in lex.set_aside_spans(folded) if span - named_in_question)
            if aside
            else ()
        )
        context = {i: weight for i, (_, weight) in enumerate(kept) if weight < 1.0}
        # the head words of a pasted sentence's other parts ("has seen significant growth, welcoming
        # ... visitors") say what those parts are, not the gap
        beside_gap: frozenset[str] = frozenset()
        if before_gap is not None and after_gap is not None:
            beside, around = _beside_the_gap(before_gap, after_gap)
            beside_gap = frozenset(map(self._token, words(beside))) - frozenset(map(self._token, words(around)))
        metrics, used = self._metrics(content, context, beside_gap)
        # words of a context clause block nothing
        used = used | set(context)
        if cjk_hits:
            metrics = cjk_hits + [m for m in metrics if all(m.metric != h.metric for h in cjk_hits)]
        remaining = tuple(t for i, t in enumerate(content) if i not in used and not t.isdigit())
        return ParsedQuery(
            text=text,
            folded=folded,
            operator=operator,
            currency=(currency[0].key, currency[1]) if currency else None,
            period_unread=tuple(w for w in remaining if w in lex.period_words),
            second_period=second_period,
            corrections=corrections,
            kind=(kind.key, kind.units) if kind else None,
            kind_without_rate=asked_kind is not None
            and not any(self._token(w) in lex.head_units for w in words(questions[-1])),
            counted=self._counted(folded_counted),
            stated=frozenset() if wh_clauses else self._stated(folded),
            asks_beyond_its_figures=asks_beyond,
            before_gap=before_gap,
            after_gap=after_gap,
            set_aside=set_aside,
            set_aside_spans=set_aside_spans,
            marked=marked,
            places=tuple(places),
            metrics=tuple(metrics),
            period=found.period,
            relative_period=found.relative,
            latest=found.latest,
            open_end=found.open_end,
            whole_year=found.whole_year,
            part=found.part,
            remaining=remaining,
            content=tuple(content),
            context=frozenset(context),
            aside=frozenset(i for i, weight in context.items() if isinstance(weight, Aside)),
            pointed_back=pointed_back,
        )

    def _the_whole(self, places: list[PlaceHit], folded: str) -> list[PlaceHit]:
        """ "What was the whole region's total?", "... for Kashi as a whole": the place the question
        names, wherever it names it, that holds the place read ("One is the whole region and one is
        the pilot FTZ. Give me the region-wide total": Xinjiang, not its FTZ)."""
        said = f" {' '.join(self.lexicon.fold_token(w) for w in words(folded))} "
        # the nearest that holds it ("Kashi as a whole" beside "China"): the whole of the place asked
        for holder in self.index.ancestors(places[0].place):
            named = [t for t in self.index.place_name_words.get(holder, ()) if f" {t} " in said]
            if named and self.index.vocabulary.places[holder].kind != "country":
                return [PlaceHit(holder, 1.0, named[0])]
        return places

    def _said_with_a_number(self, tagged: list[tuple[str, float]]) -> set[int]:
        """Positions of the scale and unit words said with a number ("138.3 billion yuan", "9,092
        km of rail"): like the number, they state a figure and ask none."""
        said: set[int] = set()
        after_number = False
        for at, (word, _) in enumerate(tagged):
            token = self._token(word)
            if _NUMBER_WORD.fullmatch(word) and not _YEAR.fullmatch(word):
                after_number = True
            elif after_number and (token in _SCALE_WORDS or token in self.index.unit_of_token):
                said.add(at)
            else:
                after_number = False
        return said

    def _asks_beyond_its_figures(self, wh_clauses: list[str]) -> bool:
        """A wh-question about something it names that does not ask to confirm a figure ("what
        exactly do the documents say?"): the figures it states are not what it asks."""
        confirming = self.lexicon.confirmation_words
        return bool(wh_clauses) and not any(
            set(words(c)) & confirming or _ASKS_THE_FIGURE_GIVEN.search(c) for c in wh_clauses
        )

    def _wh_clauses(self, text: str) -> list[str]:
        """The clauses that ask a wh-question, read as typed (phrase rules drop some wh-words:
        "how many times")."""
        if not _WH_WORDS & set(words(text)) and _REQUEST.search(text.lower()) is None:
            return []  # most checks and keyword queries: no clause to look at
        return [c for c in self._typed_clauses(text) if self._asks_a_wh_question(c)]

    @staticmethod
    def _typed_clauses(text: str) -> list[str]:
        """The question as typed, cut at sentence and clause breaks and at commas ("Xinjiang did
        149.62 billion yuan in H1 2023, so what was the full-year total?")."""
        return [p for c in _CLAUSE_BREAK.split(_QUESTION_MARK.sub(". ", fold(text))) for p in c.split(",")]

    def _asks_a_wh_question(self, clause: str) -> bool:
        """A wh-question or a request about something it names ("What was the GDP?", "How many
        times bigger is it?", "I need the 2022 trade volume"), not one that only points back ("Is
        that what the documents say?")."""
        said = words(clause)
        if _REQUEST.search(" ".join(said)) and any(self._vocabulary_word(w) for w in said):
            return True  # "I need the 2022 trade volume, the year it got to 49th place": a request names what it asks
        if not _WH_WORDS & set(said) or set(said) <= _WHO_IS_RIGHT:
            return False  # "Who's right?" checks what was said before it
        opening = next((w for w in said if w not in _OPENERS), "")
        return opening in _WH_WORDS or any(
            self._vocabulary_word(w) or w in _WH_NOUNS for w in said if w not in _WH_WORDS
        )

    def _operator(self, folded: str, marked: str) -> tuple[str, str] | None:
        """The derived request the question makes. Operator words inside a figure the asker
        states ("I already have the 439.4 billion cubic meters figure for its average annual
        water resources. What share ...?") describe that figure, they ask nothing."""
        found = self.lexicon.operator(folded)
        if found is not None and found[0] == "average" and self._names_a_stated_average(found[1], folded):
            return None
        if found is None or CLAUSE_MARK not in marked:
            return found
        every = marked.split(CLAUSE_MARK)
        clauses = [c for c in every if self.lexicon.operator(c) is not None]
        # ... unless the question only asks to confirm them ("... combined was 1.04 trillion yuan.
        # Can you confirm?"): a clause must ask about something of its own
        asks_of_its_own = any(self._asks(c) and any(self._vocabulary_word(w) for w in words(c)) for c in every)
        if asks_of_its_own and clauses and all(_STATES_A_FIGURE.search(c) and not self._asks(c) for c in clauses):
            return None
        # ... or say what the figure asked went on to ("..., before it reached 2.05 trillion yuan in 2024
        # with 6.1 percent average growth"): context asks nothing
        if clauses and all(CONTEXT_MARK in c for c in clauses) and any(CONTEXT_MARK not in c for c in every):
            return None
        return found

    def _names_a_stated_average(self, asked: str, folded: str) -> bool:
        """Whether the words asking an average are part of a metric's name the question says whole
        ("What share of China's total is Xizang's average annual water resource?"): that average is
        a figure the documents print, named to say what the share is of."""
        said = set(self.lexicon.content_tokens(folded))
        return any(asked in name and tokens <= said for name, tokens in self._average_names)

    @cached_property
    def _average_names(self) -> tuple[tuple[str, frozenset[str]], ...]:
        """The metric names that say "average" ("average annual water resources"), with their words."""
        return tuple(
            (name.lower(), frozenset(self.lexicon.content_tokens(name)))
            for metric in self.index.vocabulary.metrics.values()
            for name in (metric.name, *metric.aliases)
            if "averag" in name.lower()
        )

    @staticmethod
    def _asks(clause: str) -> bool:
        return ASKED_MARK in clause or _opens_a_question(words(clause))

    def _stated(self, folded: str) -> frozenset[str]:
        """In a check that asks no wh-question ("... 185 countries and regions. Is 185 right?"), the
        word after each number it states, scale words aside: what kind of figure is checked."""
        said = words(folded)
        tails: set[str] = set()
        for i, word in enumerate(said):
            if not word[:1].isdigit() or _YEAR.fullmatch(word) or _NAMED_BY_A_NUMBER.fullmatch(word):
                continue  # "5G base stations", "5A attractions" state no figure
            if word.endswith("%"):
                tails.add("percent")
                continue
            for after in said[i + 1 : i + 3]:
                if after not in _SCALE_WORDS:
                    tails.add(singular(self.lexicon.fold_token(after)))
                    break
        return frozenset(tails)

    def _counted(self, folded: str) -> str | None:
        """The noun "how many" counts: the last word before the verb ("how many general aviation
        companies operate" counts companies)."""
        match = _HOW_MANY.search(folded)
        if match is None:
            return None
        counted: list[str] = []
        for word in words(folded[match.end() :])[:5]:
            if word in self.index.place_phrases or self.lexicon.fold_token(word) in self.index.place_phrases:
                continue  # "how many Tibetan medicine makers": the place is no part of what is counted
            if (
                word in self.lexicon.stop_words
                or word[:1].isdigit()
                or word in _VERBS
                or word.endswith("ed")
                or word in _ENDS_THE_COUNTED
            ):
                break
            counted.append(word)
        if not counted or counted[-1] in _UNCOUNTED or counted[0] in _UNCOUNTED:
            return None
        noun = singular(self.lexicon.fold_token(counted[-1]))
        return None if noun in _GENERIC_COUNTED else noun

    def _mark_background(self, marked: str, today: date | None) -> str:
        """Mark the clauses whose period and place give way to the clause that asks.

        "Xinjiang trade hit 357 billion yuan in 2023. What was it in 2022?" asks for
        2022; "My cousin works in Lhasa ... How large was Xizang's digital economy?"
        asks about Xizang. The clause that asks keeps its own period and place, and
        the others supply only what it lacks. A clause that tells what the asker
        remembers ("I know it was under 700k tons back in 2012") gives way even when
        the question names no period ("... these days?"). A recollection alone is
        left whole: "I read it was 10 billion in 2023, right?" asks about what it states.
        """
        if CLAUSE_MARK not in marked:
            return marked
        clauses = marked.split(CLAUSE_MARK)
        lex = self.lexicon
        recalled = [CONTEXT_MARK not in c and lex.recollects(c) for c in clauses]
        clause_words = [words(c) for c in clauses]
        asking = [
            i
            for i, (c, ws) in enumerate(zip(clauses, clause_words, strict=True))
            if not recalled[i] and CONTEXT_MARK not in c and (ASKED_MARK in c or _opens_a_question(ws))
        ]
        if not asking:
            return marked

        periods: dict[str, bool] = {}  # a clause's period is looked for once

        def has_period(c: str) -> bool:
            if c not in periods:
                found = extract_period(c, today)
                periods[c] = found.period is not None or found.latest
            return periods[c]

        # of several clauses that ask, small talk ("anyone been to lhasa?") gives way to the one
        # that asks for a figure ("also what was xizang's GDP in 2023")
        informative = [
            i for i in asking if has_period(clauses[i]) or any(self._vocabulary_word(w) for w in clause_words[i])
        ]
        if informative:
            asking = informative

        def opens_with_wh(i: int) -> bool:
            return next((w for w in clause_words[i] if w not in _OPENERS), "") in _WH_WORDS

        # a clause that ends in a question mark asks before one that only holds a wh-word
        # ("I am tracking how fast Tibet's trade has been expanding. ... How much did it rise?")
        # (and so does a last request or wh-question, its question mark left off: "Is it true that UAVs flew
        # 2,128 flights? I need the number of UAV flights.", "... in 2024? and what about 2021")
        questions = [i for i in asking if ASKED_MARK in clauses[i]]
        last = max(i for i, c in enumerate(clauses) if c.strip())
        if (
            questions
            and last in asking
            and last not in questions
            and (_REQUEST.search(clauses[last]) or opens_with_wh(last))
        ):
            # (one that names its own period puts the question before it right: "... in 2020? hmm actually
            # just tell me 2013")
            corrects = has_period(clauses[last]) and _PUT_RIGHT.search(clauses[last]) is not None
            # ("what was xizang GDP 2023? ok saw it. so what about 2022": the asker found the first answer)
            answered = any(_FOUND_IT.search(clauses[j]) for j in range(max(questions) + 1, last))
            questions = [last] if corrects or answered else [*questions, last]

        # a check before the wh-question that ends the message ("2,365 flights and 2,128 passenger
        # trips, or is it the reverse? How many flights did ... conduct?") tells what the asker has
        wh_questions = [i for i in questions if opens_with_wh(i)]
        if wh_questions and wh_questions[-1] == questions[-1] and len(wh_questions) < len(questions):
            questions = wh_questions
        if questions:
            asking = questions

        def has_place(c: str) -> bool:
            # names as written; a misspelt place is found later, in the whole question
            tokens = [self.lexicon.fold_token(p) for w in words(c) for p in w.split("-") if p]
            phrases, starts = self.index.place_phrases, self.index.place_starts
            return any(
                (tokens[i] in phrases and tokens[i] not in self.lexicon.stop_words)
                or any(
                    tokens[i] in starts[n] and " ".join(tokens[i : i + n]) in phrases
                    for n in range(2, min(self.index.max_place_len, len(tokens) - i) + 1)
                )
                for i in range(len(tokens))
            )

        asked_period = any(has_period(clauses[i]) for i in asking)
        asked_place = any(has_place(clauses[i]) for i in asking)
        asked_metric = any(self._vocabulary_word(w) for i in asking for w in clause_words[i])
        asked_anything = asked_period or asked_place or asked_metric
        # "What was the actual increase?" and "what's the exact growth rate?" ask about the time
        # remembered; "what has it grown to?" and "what is it now?" ask about today
        looks_back = not {w for i in asking for w in clause_words[i]} & _TODAY

        # "What I still lack is the year-on-year increase for that same period": the period is the one
        # said before
        points_back = not asked_period and any(_SAME_PERIOD.search(clauses[i]) for i in asking)

        def mark(i: int, c: str) -> str:
            if points_back and i not in asking:
                uncontexted = c.replace(CONTEXT_MARK, " ")
                if has_period(uncontexted):
                    return f" {RECALLED_MARK} {uncontexted}"
            if i in asking or CONTEXT_MARK in c:
                return c
            if (asked_period and has_period(c)) or (asked_place and has_place(c)):
                return f" {CONTEXT_MARK} {RECALLED_MARK} {c}"
            if recalled[i] and asked_anything:
                # its period stays the one asked when the question looks back to it
                return f" {RECALLED_MARK} {c}" if looks_back else f" {CONTEXT_MARK} {RECALLED_MARK} {c}"
            return c

        return CLAUSE_MARK.join(mark(i, c) for i, c in enumerate(clauses))

    def _clauses(self, words_: list[str], kind: Kind | None = None) -> list[tuple[str, float]]:
        """Each word with its weight: 1 in the clause that asks, less in a context clause
        (`kind`: the kind of figure the last question asks, when it says).

        "The chairman said Xizang's economy ranked first ... What was the region's GDP?"
        asks for GDP; the ranking is context. Without a clause that asks and names a
        metric, every clause counts.
        """
        clauses: list[list[str]] = [[]]
        asked: set[int] = set()
        context: set[int] = set()  # clauses a context opener began ("as cited by ...")
        recalled: set[int] = set()  # clauses whose period and place give way (_mark_background)
        for word in words_:
            if word == CLAUSE_MARK:
                clauses.append([])
            elif word == CONTEXT_MARK:
                context.add(len(clauses) - 1)
            elif word == RECALLED_MARK:
                recalled.add(len(clauses) - 1)
            elif word == ASKED_MARK:
                # the question mark after "..., as cited by the chairman?" ends the question before it
                # (what the asker remembers, "... maybe tripling?", asks nothing of its own)
                at = len(clauses) - 1
                while at > 0 and at not in recalled and (at in context or not clauses[at]):
                    at -= 1
                if at not in recalled:
                    asked.add(at)
            else:
                clauses[-1].append(word)
        asked = {i for i in asked if clauses[i]}
        clauses_at = [(i, c) for i, c in enumerate(clauses) if c]
        asking_at = [
            i
            for i, c in clauses_at
            if i not in context
            and i not in recalled
            and (_ASKING & set(c) or i in asked or _REQUEST.search(" ".join(c)) is not None)
            and any(self._vocabulary_word(w) for w in c)
        ]
        index_of = {i: n for n, (i, _) in enumerate(clauses_at)}
        clauses = [c for _, c in clauses_at]
        asking = [index_of[i] for i in asking_at]
        # of several clauses that ask, the one that names the metric outright
        naming = [i for i in asking if any(self._metric_word(w) for w in clauses[i])]
        # a clause that ends in a question mark asks before one that only has an asking word
        # ("What's the population of Xizang? I need it to go with the GDP figure.")
        asked_here = {index_of[i] for i in asked if i in index_of}
        last = len(clauses) - 1
        naming_asked = [i for i in naming if i in asked_here]
        asked_asking = [i for i in asking if i in asked_here]
        focus = (naming_asked or asked_asking or naming or asking)[-1] if asking and len(clauses) > 1 else None
        # a last clause that opens with a wh-word or a request asks, its question mark left off or not,
        # before a statement with a rising "?" ("tibet's growth ranked first in 2023? what was the gdp
        # growth rate", "... or the other way around? Just give me the number of tourist visits.")
        opening = next((w for w in clauses[last] if w not in _OPENERS), "") if clauses else ""
        if (
            focus is not None
            and focus != last
            and last in asking
            and (opening in _WH_WORDS or _makes_a_request(clauses[last]))
            and not (_WH_WORDS & set(clauses[focus]))
            and any(self._names_metric(w) for w in clauses[last])
        ):
            focus = last
        # "as cited by ...": always context; what the asker remembers names the metric as
        # well as any clause (only its period and place give way, see _mark_background)
        opened = {index_of[i] for i in context - recalled if i in index_of}
        remembered = {index_of[i] for i in recalled if i in index_of}
        heads = self.lexicon.head_words
        if (
            focus is not None
            and not _WH_WORDS & set(clauses[focus])
            and not any(self._names_metric(w) or self._token(w) in heads for w in clauses[focus])
        ):
            # a question that only checks a number ("Was it 83.7 percent or something else?")
            # asks what the sentences before it name ("... gives a year-on-year increase")
            return [(w, LOOSE_CONTEXT_WEIGHT if i in opened else 1.0) for i, c in enumerate(clauses) for w in c]
        # a head word around a question of another kind ("..., rising 80.8 percent. What was the exact
        # January-November total?") asks nothing either
        unasked_heads = {h for h, units in self.lexicon.head_units.items() if not units & kind.units} if kind else set()
        if focus is None:
            return [
                (
                    w,
                    LOOSE_CONTEXT_WEIGHT
                    if i in opened
                    else (CONTEXT_WEIGHT if self._token(w) in unasked_heads else BACKGROUND_WEIGHT)
                    if i in remembered
                    else 1.0,
                )
                for i, c in enumerate(clauses)
                for w in c
            ]
        # the clause that asks names the metric outright ("what was the GDP?"): the context
        # hardly counts; it names it only loosely ("by what percentage did it go up?"): less so
        named_here = any(self._names_metric(w) for w in clauses[focus])
        named_elsewhere = any(
            self._metric_word(w) for i, c in enumerate(clauses) if i != focus and i not in opened for w in c
        )
        names_own = any(self._names_metric(w) for w in clauses[focus])
        if named_here:
            weight = CONTEXT_WEIGHT
        elif named_elsewhere:
            # "I need the latest per capita disposable income ... What does the chairman report?":
            # the metric is named in the other sentence; it is no context
            weight = 1.0
        else:
            weight = LOOSE_CONTEXT_WEIGHT
        # an aside ("..., of which mining made up more than half") hardly counts once the
        # question names a metric of its own ("the total added value of industry")
        opened_weight = CONTEXT_WEIGHT if named_here or names_own else LOOSE_CONTEXT_WEIGHT

        # what the asker remembers ("Xizang's total trade was 10 billion yuan in 2023.") is
        # context once the question names a metric of its own ("How much of that was exports?");
        # "what was the year-on-year increase?" names none, and the remembered words say which
        remembered_weight = CONTEXT_WEIGHT if names_own else BACKGROUND_WEIGHT

        # "'... and a X increase in revenue' -- Tibet tourism 2023, what's X?": the question asks the
        # gap, and the clause that holds it says what the gap is
        asks_the_gap = not _GAP_WORDS.isdisjoint(clauses[focus])

        def weight_of(i: int) -> float:
            if i == focus or (asks_the_gap and not _GAP_WORDS.isdisjoint(clauses[i])):
                return 1.0
            if i in remembered or i in opened:
                given = remembered_weight if i in remembered else opened_weight
                return Aside(given) if given <= CONTEXT_WEIGHT else given
            return weight

        # the kind the question asks ("Is that share 90%?") is its own: another kind named
        # around it ("Xizang ranks first in China for the clean-energy share ...") asks nothing
        asked_heads = {h for h in (self._token(w) for w in clauses[focus]) if h in heads}

        def word_weight(i: int, w: str) -> float:
            given = weight_of(i)
            if (asked_heads or unasked_heads) and i != focus and given > CONTEXT_WEIGHT:
                head = self._token(w)
                if head in heads and ((asked_heads and head not in asked_heads) or head in unasked_heads):
                    return CONTEXT_WEIGHT
            return given

        return [(w, word_weight(i, w)) for i, c in enumerate(clauses) for w in c]

    @staticmethod
    def _outside_context(places: list[PlaceHit], text: str, marks: tuple[str, str]) -> list[PlaceHit]:
        """Places named only in a context clause ("according to Urumqi Customs") give way to
        places named in the question itself."""
        spans = marked_spans(text, marks)
        if not spans:
            return places

        def mentions(hit: PlaceHit) -> list[int]:
            # the name as said, its words apart or hyphened ("qinghai-xizang ... project"), or
            # possessive ("xinjiang's pilot ftz")
            said = r"(?:'s)?[\s-]+".join(re.escape(w) for w in hit.text.split()) or re.escape(hit.text)
            return [m.start() for m in re.finditer(rf"(?<![\w-]){said}(?![\w-])", text)] or [
                m.start()
                for m in re.finditer(rf"(?<!\w){said}(?!\w)", text)  # "china-pakistan route"
            ]

        def in_context(hit: PlaceHit) -> bool:
            found = mentions(hit)
            return bool(found) and all(any(a <= at < b for a, b in spans) for at in found)

        def only_as_a_whole(hit: PlaceHit) -> bool:
            # "What share of Xinjiang's total was that?": the whole a share is of, not the place whose share it is
            outside = [at for at in mentions(hit) if not any(a <= at < b for a, b in spans)]
            return bool(outside) and all(_AS_A_WHOLE.search(text[max(0, at - 30) : at]) for at in outside)

        asked = [h for h in places if not in_context(h)]
        if asked and all(only_as_a_whole(h) for h in asked):
            return places  # the place the context names, inside that whole, is the one asked
        return asked or places

    def _not_speakers(self, places: list[PlaceHit], text: str) -> list[PlaceHit]:
        """A place that names who speaks ("Urumqi Customs said ...") gives way to one the
        figure is about (lexicon `organisations`)."""
        organisations = self.lexicon.organisations
        if len(places) < 2 or not organisations:
            return places
        said = words(text)

        def speaks(hit: PlaceHit) -> bool:
            name = hit.text.split()
            return any(
                said[i : i + len(name)] == name and i + len(name) < len(said) and said[i + len(name)] in organisations
                for i in range(len(said))
            )

        about = [h for h in places if not speaks(h)]
        return about or places

    def _known(self, token: str) -> bool:
        index = self.index
        return (
            token.isdigit()
            or token in self.lexicon.stop_words
            or token in index.metric_token_set
            or token in index.place_token_set
        )

    def _token(self, word: str) -> str:
        """A word as the vocabulary reads it: folded, in the singular."""
        return singular(self.lexicon.fold_token(word))

    def _vocabulary_word(self, word: str) -> bool:
        return self._token(word) in self.index.token_weight

    def _names_metric(self, word: str) -> bool:
        """A word of some metric's name that is not only a unit, a scale or a head word."""
        token = self._token(word)
        return (
            token in self.index.token_weight
            and token not in self.index.unit_of_token
            and token not in self.lexicon.weak_words
            and token not in self.lexicon.head_words
        )

    def _metric_word(self, word: str) -> bool:
        """A word that by itself points at few metrics ("gdp", "cement"; not "tons" or "total")."""
        token = self._token(word)
        return (
            token in self.index.token_weight
            and self.index.token_df.get(token, 99) <= 3
            and token not in self.index.unit_of_token
            and token not in self.lexicon.weak_words
        )

    # -- places ---------------------------------------------------------
    def _places(self, folded: str) -> tuple[list[PlaceHit], str]:
        hits: list[PlaceHit] = []
        for script, key in self.index.scripts:
            if script in folded:
                hits.append(PlaceHit(key, 1.0, script))
                folded = folded.replace(script, " ")
        original = words(folded)
        owner = [n for n, w in enumerate(original) for part in w.split("-") if part]
        raw = [part for w in original for part in w.split("-") if part]
        tokens = [self.lexicon.fold_token(w) for w in raw]
        taken = [False] * len(tokens)

        def take(start: int, size: int, phrases: list[PlacePhrase], similarity: float) -> None:
            for i in range(start, start + size):
                taken[i] = True
            for p in phrases:
                hits.append(PlaceHit(p.place, similarity, " ".join(raw[start : start + size])))

        # 1. exact multi-word names as written, longest first
        for size in range(min(self.index.max_place_len, len(tokens)), 1, -1):
            starts = self.index.place_starts.get(size, frozenset())
            for start in range(len(tokens) - size + 1):
                if tokens[start] in starts and not any(taken[start : start + size]):
                    phrases = self.index.exact_place(tokens[start : start + size])
                    if phrases:
                        take(start, size, phrases, 1.0)
        # 2. multi-word names whose words all appear in another order ("bonded zone kashi")
        self._reordered_places(tokens, taken, hits, raw)
        # 3. single words, exact; 4. typos, longest first, so a typo never beats a name
        stop_words = self.lexicon.stop_words
        for start, token in enumerate(tokens):
            if not taken[start] and token not in stop_words and not token.isdigit():
                phrases = self.index.exact_place([token])
                if phrases:
                    take(start, 1, phrases, 1.0)
        # a window can hold a typo only where a word is unknown (no stop word, number, metric or
        # place word): exact matching already had its chance everywhere else
        unknown = [i for i, t in enumerate(tokens) if not self._known(t)]
        place_tokens = self.index.place_token_set
        # place words before each position, so a window's count of them is one subtraction
        place_words_before = list(itertools.accumulate((t in place_tokens for t in tokens), initial=0))
        for size in range(min(self.index.max_place_len, len(tokens)), 0, -1) if unknown else ():
            last = len(tokens) - size
            for start in sorted({u - k for u in unknown for k in range(size) if 0 <= u - k <= last}):
                if size > 1 and place_words_before[start + size] - place_words_before[start] < size - 1:
                    continue  # a misspelt name of several words keeps all but one of them
                if any(taken[start : start + size]):
                    continue
                window = tokens[start : start + size]
                phrases, similarity = self.index.fuzzy_place(window)
                if phrases:
                    take(start, size, phrases, similarity)
        # keep whole words ("e-commerce") unless a place took part of them
        # places named only in a context clause give way before the specific one is chosen
        resolved = self._resolve_places(
            self._not_speakers(self._outside_context(hits, folded, (CONTEXT_MARK, CLAUSE_MARK)), folded)
        )
        # a place dropped because a place inside it is named ("nationwide" beside the Kashi
        # zone) gives back, where they stand, the words that also say what is measured
        kept = {h.place for h in resolved}
        returned = {
            w
            for h in hits
            if h.place not in kept
            for w in h.text.split()
            if singular(self.lexicon.fold_token(w)) in self.index.metric_token_set
        }
        for i, t in enumerate(taken):
            if t and raw[i] in returned and not any(raw[i] in h.text.split() for h in resolved):
                taken[i] = False
        used_words = {owner[i] for i, t in enumerate(taken) if t}
        rest = " ".join(w for n, w in enumerate(original) if n not in used_words)
        return resolved, rest

    def _reordered_places(self, tokens: list[str], taken: list[bool], hits: list[PlaceHit], raw: list[str]) -> None:
        """Find multi-word names whose words all appear, in any order, using each word once.

        Where a word occurs twice ("foreign trade ... free trade zone"), the
        occurrence closest to the name's other words is used.
        """
        free = [t if not taken[i] else None for i, t in enumerate(tokens)]
        present = {t for t in free if t is not None}
        candidates = {
            p for t in present for p in self.index.multiword_by_token.get(t, ()) if all(w in present for w in p.tokens)
        }
        for phrase in sorted(candidates, key=lambda p: (-len(p.tokens), p.text)):
            wanted = set(phrase.tokens)
            if wanted & self.lexicon.stop_words:
                continue  # "the country" is not found in "the ... countries" scattered over a question
            options = [[i for i, t in enumerate(free) if t == w and not taken[i]] for w in sorted(wanted)]
            if not all(options):
                continue
            combos = itertools.islice(itertools.product(*options), 256)
            chosen = min(combos, key=lambda c: (max(c) - min(c), c))
            if max(chosen) - min(chosen) > len(wanted) + 5:
                continue  # the words of a name stand near each other
            for i in chosen:
                taken[i] = True
            hits.append(PlaceHit(phrase.place, 1.0, " ".join(raw[i] for i in sorted(chosen))))

    def _resolve_places(self, hits: list[PlaceHit]) -> list[PlaceHit]:
        """Drop duplicates and places that contain another named place (keep the specific one)."""
        best: dict[str, PlaceHit] = {}
        for hit in hits:
            if hit.place not in best or hit.similarity > best[hit.place].similarity:
                best[hit.place] = hit
        keys = set(best)
        specific = [h for h in best.values() if not any(h.place in self.index.ancestors(other) for other in keys)]
        specific.sort(key=lambda h: (-h.similarity, -self.index.depth.get(h.place, 0)))
        return specific

    # -- metrics --------------------------------------------------------
    def _metrics(
        self, content: list[str], context: dict[int, float] | None = None, beside_gap: frozenset[str] = frozenset()
    ) -> tuple[list[MetricHit], set[int]]:
        """The metric readings of the question's `content` words, strongest first, and the positions
        they explain. `context` weighs the words of context clauses; `beside_gap` are the words only
        the other parts of a pasted sentence say ("has seen significant growth, welcoming ...
        visitors"): they describe those parts, not the gap, and count like context."""
        index = self.index
        # token -> (similarity, query positions)
        matched: dict[str, tuple[float, int]] = {}
        for pos, token in enumerate(content):
            for vocab_token, similarity in index.match_metric_token(token):
                earlier = matched.get(vocab_token)
                # a word said twice counts where it is asked, not where it is context
                asked_here = pos not in (context or {})
                in_question = earlier is not None and earlier[1] in (context or {}) and asked_here
                if earlier is None or similarity > earlier[0] or (similarity == earlier[0] and in_question):
                    matched[vocab_token] = (similarity, pos)
        if not matched:
            return [], set()
        # the weight of every query word the metric vocabulary knows: what an alias should explain
        position_weight: dict[int, float] = {}
        unit_positions: dict[int, frozenset[str]] = {}  # position -> the units its word names
        for token, (similarity, pos) in matched.items():
            # "share", "growth", "rank" say what kind of figure is asked: a reading that
            # ignores them answers a different question
            asks_a_kind = token in index.head_words and token not in beside_gap
            weight = index.token_weight[token] * similarity * (HEAD_WEIGHT if asks_a_kind else 1.0)
            if context and pos in context:
                weight *= context[pos]  # a word of a context clause counts for less
            if token in beside_gap:
                weight *= LOOSE_CONTEXT_WEIGHT
            position_weight[pos] = max(position_weight.get(pos, 0.0), weight)
            if token in index.unit_of_token:
                unit_positions[pos] = index.unit_of_token[token]
        query_weight = sum(position_weight.values())
        best: dict[str, tuple[float, float, set[int]]] = {}
        explained: defaultdict[str, set[int]] = defaultdict(set)  # by any alias of the metric
        # the most complete match among the metric's aliases: "aviation passengers" is fully
        # there even when the best-scoring alias, "general aviation passenger trips", is not
        best_coverage: dict[str, float] = {}
        # per alias that shares a word with the question: the weight it matched, the same
        # with head words counting triple (an alias about a ranking, "5G base station
        # ranking", does not fit a question that asks no rank), and the positions matched;
        # summed from the question's words, each alias visited once per word it shares
        matched_by_alias: dict[int, tuple[float, float, set[int]]] = {}
        for token, (similarity, pos) in matched.items():
            sharing = index.aliases_by_token.get(token)
            if not sharing:
                continue
            weight = index.token_weight[token] * similarity
            if context and pos in context and token in index.head_words:
                # "... reported as ranking first": a head word of the context asks nothing
                weight *= context[pos]
            heads_weight = weight * (HEAD_WEIGHT if token in index.head_words else 1.0)
            for i in sharing:
                entry = matched_by_alias.get(i)
                if entry is None:
                    matched_by_alias[i] = (weight, heads_weight, {pos})
                else:
                    entry[2].add(pos)
                    matched_by_alias[i] = (entry[0] + weight, entry[1] + heads_weight, entry[2])
        for i in set(matched_by_alias):  # the order the aliases were always visited in
            alias = index.aliases[i]
            got, got_heads, positions = matched_by_alias[i]
            coverage = got_heads / alias.head_weight if alias.head_weight else 0.0
            score = got * coverage
            if coverage >= EXPLAIN_MIN_COVERAGE:
                # only an alias that is really there explains words ("power generation
                # capacity" half-matched does not explain "generation")
                explained[alias.metric].update(positions)
            if got:
                best_coverage[alias.metric] = max(best_coverage.get(alias.metric, 0.0), coverage)
            current = best.get(alias.metric)
            if current is None or score > current[0]:
                best[alias.metric] = (score, coverage, positions)
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))
        # A word that completes no metric's alias ("historic" in a pasted sentence) is a
        # stray: it counts for less than a word that reads as another metric ("gdp").
        readable = set().union(*explained.values()) if explained else set()
        for pos in position_weight:
            if pos not in readable and pos not in unit_positions:
                position_weight[pos] *= STRAY_WEIGHT
        query_weight = sum(position_weight.values())

        def query_coverage(key: str) -> float:
            if not query_weight:
                return 1.0
            # a unit word ("hours", "kilometers") is explained by a metric measured in it
            units = index.metric_units.get(key, frozenset())
            by_unit = {p for p, named in unit_positions.items() if named & units}
            return sum(position_weight.get(p, 0.0) for p in explained[key] | by_unit) / query_weight

        # the best reading explains the alias and the question: "share of GDP of the core
        # digital economy" is the share, not the digital economy
        # (a head word in a context clause, "... reported as ranking first", asks nothing)
        head_positions = {
            pos
            for token, (_, pos) in matched.items()
            if token in index.head_words and not (context and pos in context) and token not in beside_gap
        }
        hits = sorted(
            (
                MetricHit(
                    key,
                    score,
                    best_coverage.get(key, coverage),
                    query_coverage(key),
                    head_positions <= explained[key],
                    frozenset(positions | explained[key]),
                )
                for key, (score, coverage, positions) in ranked[:12]
            ),
            key=lambda h: (not h.heads, -h.strength, -h.score, h.metric),
        )[:8]
        # the words the first reading explains, by any of its aliases; the rest are "remaining"
        return hits, set(hits[0].positions) if hits else set()
