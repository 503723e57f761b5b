"""How common an English word is, from a maintained word-frequency list.

A word nobody writes in ordinary English ("shizang", "qeshqer") may be a name
or a misspelling; a word everyone writes ("handled", "report") is neither,
so it is never taken for an unknown place or bent into a vocabulary word by
typo tolerance. The list is `wordfreq`'s (Zipf scale: 3 is about once per
million words, 6 once per thousand).
"""

from __future__ import annotations

import re
from functools import lru_cache

from wordfreq import zipf_frequency

# At or above this, a word is ordinary English: never bent into a vocabulary word as a typo.
COMMON_ZIPF = 3.0
# Names are frequent too ("Atlantis" 3.4, "Gotham" 3.5): a word is taken for a name
# unless it is clearly everyday English ("handled" 4.3, "report" 5.3).
EVERYDAY_ZIPF = 3.6


# British spellings the list knows in their American form ("revitalise", "centre")
_BRITISH = ((re.compile(r"is(e|ed|es|ing|ation|ations)$"), r"iz\1"), (re.compile(r"tre$"), "ter"),
            (re.compile(r"our$"), "or"), (re.compile(r"yse$"), "yze"))  # fmt: skip


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    frequency = float(zipf_frequency(word, "en", wordlist="small"))
    for pattern, american in _BRITISH:
        if frequency < COMMON_ZIPF and pattern.search(word):
            frequency = max(frequency, float(zipf_frequency(pattern.sub(american, word), "en", wordlist="small")))
    return frequency


def is_common_word(word: str) -> bool:
    return zipf(word) >= COMMON_ZIPF


def is_everyday_word(word: str) -> bool:
    return zipf(word) >= EVERYDAY_ZIPF
