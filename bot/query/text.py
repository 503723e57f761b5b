"""Text normalisation shared by the vocabulary index and the query parser.

Both sides go through the same functions, so an alias and a query that mean
the same thing produce the same tokens. The language itself (stop words,
folds, phrases) is data: see `bot.query.lexicon` and `facts/lexicon.yaml`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_PUNCT_RE = re.compile(r"[^\w%\s.-]+")
_SPLIT_RE = re.compile(r"[\s]+")


def fold(text: str) -> str:
    """Lower-case, strip accents and smart punctuation; keep CJK characters."""
    if text.isascii():
        return text.lower()  # nothing to normalise: the common case, and much the cheapest
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("’", "'").replace("‘", "'").replace("–", "-").replace("—", "-")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.lower()


def words(text: str) -> list[str]:
    """Split folded text into words, dropping punctuation but keeping '%' and hyphens."""
    return list(_words(text))


@lru_cache(maxsize=256)  # small: reuse within a question, not across a benchmark's repeats
def _words(text: str) -> tuple[str, ...]:
    # one question is split many times over (its clauses, its quote checks): split it once
    text = (fold(text) + " ").replace("'s ", " ").replace("'", "")
    text = _PUNCT_RE.sub(" ", text)
    out = []
    for raw in _SPLIT_RE.split(text):
        word = raw.strip(".-")  # leading and trailing dots and hyphens ("-2023", "e.g.")
        if word:
            out.append(word)
    return tuple(out)


def singular(token: str) -> str:
    """A crude plural fold for matching ("zones" = "zone"), applied to both sides alike."""
    if len(token) < 5 or not token.isalpha():
        return token
    if token.endswith("ies"):
        return token[:-3] + "y"
    if token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token
