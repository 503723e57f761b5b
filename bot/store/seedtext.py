"""Reading seed documents as sentences with numbers, for `coverage` and `extract`.

Lines that state no fact are skipped, and documented in the README:
* the date header (" date 2023-08-07 Home » ...") and "stated on <date>" lines are
  metadata: only the header line is skipped, by its "date YYYY-MM-DD" opening;
* photo captions: lines mentioning "Photo" (e.g. "Photo: Xinhua", "(Photo by ...)");
* chart and diagram captions: lines starting "Statistical chart", "Growth chart",
  "Schematic diagram", or containing " chart of ";
* a number in a period phrase ("the first 11 months") belongs to the period;
* numbers written as words ("three", "seven categories") are not detected.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

NUMBER_RE = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?(?![\w])|(?<![\w.])\d[\d,]*(?:\.\d+)?(?=[%a-zA-Z-])")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’]?\s+(?=[A-Z“\"(])")
_CAPTION_STARTS = ("statistical chart", "growth chart", "schematic diagram", "layout of")
_DATE_HEADER = re.compile(r"^\s*date \d{4}-\d{2}-\d{2}")
YEAR_RE = re.compile(r"^(19|20)\d{2}$")


@dataclass(frozen=True)
class Sentence:
    line: int  # 1-based line in the document
    text: str
    numbers: tuple[str, ...]


def skip_reason(line: str) -> str | None:
    lowered = line.strip().lower()
    if _DATE_HEADER.match(line):
        return "date header"
    if "photo" in lowered:
        return "photo caption"
    if lowered.startswith(_CAPTION_STARTS) or " chart of " in f" {lowered} ":
        return "chart caption"
    return None


def numbers_in(text: str) -> tuple[str, ...]:
    return tuple(m.group(0).rstrip(",") for m in NUMBER_RE.finditer(text))


def sentences(document: str) -> Iterator[Sentence]:
    for number, line in enumerate(document.splitlines(), 1):
        if not line.strip() or skip_reason(line):
            continue
        for part in _SENTENCE_END.split(line.strip()):
            found = numbers_in(part)
            if found:
                yield Sentence(number, part.strip(), found)
