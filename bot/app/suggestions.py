"""Suggestions a person can act on: each once, with periods as people write them, and on topic.

The engine proposes queries to run next (the reply lists them, Discord shows
them as buttons). Before any adapter shows them:

- duplicates go (several nearest facts of one place, metric and period used to
  give four identical "tourist arrivals Xizang 2023" buttons);
- a period in the store's grammar becomes its label ("2024-01/2024-04" ->
  "January to April 2024", which the engine reads back the same);
- for `not_found`, a suggestion that shares no word with the question or with
  what the engine understood of it (its place and metric) is dropped:
  "population of mars" should not be offered plateau cookware.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.answer import Answer, Status
from bot.query.text import fold, words
from bot.store.periods import PeriodError, parse_period

# Period codes with a dash or a slash (a bare year is already how people write it).
CODE = re.compile(r"\b\d{4}(?:-(?:\d{2}|H[12]|Q[1-4]))?(?:/\d{4}(?:-\d{2})?)?\b")
DID_YOU_MEAN = " Did you mean: "
MIN_WORD = 3  # shorter words ("of", "in") relate nothing


def human_periods(text: str) -> str:
    def label(match: re.Match[str]) -> str:
        code = match.group(0)
        if code.isdigit():
            return code
        try:
            return parse_period(code).label()
        except PeriodError:
            return code

    return CODE.sub(label, text)


def _content_words(text: str) -> set[str]:
    return {w for w in (fold(w) for w in words(text)) if len(w) >= MIN_WORD and not w.isdigit()}


def tidy(answer: Answer) -> Answer:
    """`answer` with its suggestions de-duplicated, labelled and (for not_found) on topic."""
    if not answer.suggestions:
        return answer
    seen: set[str] = set()
    kept: list[str] = []
    for suggestion in answer.suggestions:
        text = human_periods(suggestion)
        key = " ".join(text.casefold().split())
        if key not in seen:
            seen.add(key)
            kept.append(text)
    message = answer.message
    if answer.status is Status.NOT_FOUND:
        interp = answer.interpretation
        asked = _content_words(" ".join(p for p in (answer.query, interp.place, interp.metric) if p))
        kept = [s for s in kept if _content_words(s) & asked]
        head, found, _ = message.partition(DID_YOU_MEAN)
        if found:  # the engine listed its suggestions in the sentence: list the kept ones
            message = head + (DID_YOU_MEAN + "; ".join(f"'{s}'" for s in kept) + "?" if kept else "")
    if tuple(kept) == answer.suggestions and message == answer.message:
        return answer
    return replace(answer, suggestions=tuple(kept), message=message)
