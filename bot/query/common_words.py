"""How common an English word is, from a maintained word-frequency list.

A word nobody writes in ordinary English ("shizang", "qeshqer") may be a name
or a misspelling; a word everyone writes ("handled", "report") is neither,
so it is never taken for an unknown place or bent into a vocabulary word by
typo tolerance. The list is `wordfreq`'s (Zipf scale: 3 is about once per
million words, 6 once per thousand).
"""

from __future__ import annotations

from functools import lru_cache

from wordfreq import zipf_frequency

# At or above this, a word is ordinary English: never bent into a vocabulary word as a typo.
COMMON_ZIPF = 3.0
# Names are frequent too ("Atlantis" 3.4, "Gotham" 3.5): a word is taken for a name
# unless it is clearly everyday English ("handled" 4.3, "report" 5.3).
EVERYDAY_ZIPF = 3.6


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    return float(zipf_frequency(word, "en", wordlist="small"))


def is_common_word(word: str) -> bool:
    return zipf(word) >= COMMON_ZIPF


def is_everyday_word(word: str) -> bool:
    return zipf(word) >= EVERYDAY_ZIPF
