"""Why the engine said what it said: `factbot ask --explain "..."`.

For curators asking "why did it say that?": how the question was read (each
word's role), the readings of the metric with their features, and the
decision with the rule that made it. Plain text; no Discord inside.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.query.parser import ASKED_MARK, CLAUSE_MARK, CONTEXT_MARK, RECALLED_MARK
from bot.query.text import singular, words

if TYPE_CHECKING:
    from bot.answer import Answer
    from bot.query.engine import Engine
    from bot.query.parser import ParsedQuery


_LATEST_WORDS = frozenset({"latest", "now", "current", "currently", "recent", "newest"})


def word_roles(engine: Engine, parsed: ParsedQuery) -> list[tuple[str, str]]:
    """Each word of the question as read, with the part of the reading that accounts for it,
    and, for a word outside the clause that asks, the clause it stands in."""
    lex = engine.store.vocabulary.lexicon
    _role = _word_role(engine, parsed)
    roles: list[tuple[str, str]] = []
    for clause, said in clause_roles(parsed):
        for word in words(clause):
            role = _role(word, singular(lex.fold_token(word)))
            roles.append((word, role if said == "asks" else f"{role}, in {said}"))
    return roles


def clause_roles(parsed: ParsedQuery) -> list[tuple[str, str]]:
    """The clauses of the question with what each does: asks, context, or background (its period
    and place give way to the clause that asks; what the asker remembers)."""
    out: list[tuple[str, str]] = []
    for clause in (parsed.marked or parsed.folded).split(CLAUSE_MARK):
        said = "background" if RECALLED_MARK in clause else "context" if CONTEXT_MARK in clause else "asks"
        text = " ".join(w for w in clause.split() if w not in (ASKED_MARK, CONTEXT_MARK, RECALLED_MARK))
        if text.strip(" ,.;:"):
            out.append((text, said))
    return out


def _word_role(engine: Engine, parsed: ParsedQuery) -> Callable[[str, str], str]:
    lex = engine.store.vocabulary.lexicon
    place_words = {w for hit in parsed.places for w in words(hit.text)}
    remaining = set(parsed.remaining)
    metric_words: set[str] = set()
    if parsed.metrics:
        for alias in engine.index.aliases:
            if alias.metric == parsed.metrics[0].metric:
                metric_words.update(alias.tokens)
    period_text = set(words(parsed.period.text)) if parsed.period else set()
    asked = set(words(parsed.operator[1])) if parsed.operator else set()
    currency = set(words(parsed.currency[1])) if parsed.currency else set()

    def role_of(word: str, token: str) -> str:
        if word in place_words:
            role = "place"
        elif word in asked:
            role = "operator"
        elif word in currency:
            role = "currency"
        elif token in remaining:
            if token in lex.period_words:
                role = "UNREAD period word"
            elif token in lex.qualifiers:
                role = "UNREAD qualifier"
            elif engine.looks_like_name(token):
                role = "UNREAD name"
            else:
                role = "unexplained (stray)"
        elif token in metric_words:
            role = "metric"
        elif (
            word in period_text
            or word in lex.period_words
            or (word.isdigit() and 1900 <= int(word) <= 2100)
            or (parsed.latest and word in _LATEST_WORDS)
        ):
            role = "period"
        elif word[:1].isdigit():
            role = "number said, not asked"
        elif word in lex.stop_words or token in lex.stop_words:
            role = "stop word"
        elif word in lex.fillers or token in lex.fillers:
            role = "filler"
        else:
            role = "read by a phrase rule"
        return role

    return role_of


def explain(engine: Engine, query: str) -> str:
    answer: Answer = engine.ask(query)
    parsed = engine.parser.parse(" ".join(query.split())[:300], engine.today)
    lines = [f"query:    {query}", f"read as:  {parsed.folded.strip()}"]
    if parsed.corrections:
        lines.append("spelling: " + ", ".join(f"{typed} -> {read}" for typed, read in parsed.corrections))
    clauses = clause_roles(parsed)
    if len(clauses) > 1:
        lines.append("clauses:  " + " | ".join(f"[{said}] {text}" for text, said in clauses))
    roles = word_roles(engine, parsed)
    lines.append("words:    " + ", ".join(f"{w} [{r}]" for w, r in roles))
    places = "; ".join(
        f"{engine.store.place_name(h.place)} ({h.similarity:.2f} from '{h.text}')" for h in parsed.places
    )
    lines.append(f"places:   {places or '-'}")
    period = parsed.period.label() if parsed.period else ("latest" if parsed.latest else "-")
    lines.append(f"period:   {period}" + (" (whole year only)" if parsed.whole_year else ""))
    if parsed.operator:
        lines.append(f"operator: {parsed.operator[0]} ('{parsed.operator[1]}')")
    if parsed.currency:
        lines.append(f"currency: {parsed.currency[0]} ('{parsed.currency[1]}')")
    lines.append("readings (metric: strength = alias score x question explained; alias coverage; head words):")
    for hit in parsed.metrics[:5]:
        lines.append(
            f"  {engine.store.metric_name(hit.metric):48} strength {hit.strength:5.2f}  alias {hit.coverage:4.2f}  "
            f"question {hit.query_coverage:4.2f}  heads {'yes' if hit.heads else 'NO '}"
        )
    if parsed.places and parsed.metrics:
        place = parsed.places[0]
        where = engine.store.place_name(place.place)
        lines.append(f"candidates in {where} (bot/query/scoring.py: score, threshold, margin):")
        hits = [h for h in parsed.metrics[:5] if (place.place, h.metric) in engine.store.by_place_metric]
        for candidate, hit, selection in engine.candidates(parsed, place.place, place.similarity, hits):
            lines.append(
                f"  {engine.store.metric_name(hit.metric):48} score {candidate.score:4.2f}  "
                f"{candidate.features.as_row()}  period: {selection.status.value}"
            )
    lines.append(f"decision: {answer.status.value} (score {answer.score:.2f})")
    lines.append(f"because:  {answer.message}")
    return "\n".join(lines)
