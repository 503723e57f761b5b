"""Numbers as the documents state them, and numbers the bot computes.

Two rules from the product brief meet here:

* a stated figure is never re-rounded: labels reuse the digits of `fact.figure`;
* a computed number (a difference, a ratio) is exact arithmetic on the stated
  values, shown to the finest precision of its inputs, and no finer.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from bot.store.model import Fact

# Scale words the documents use, and what they multiply by.
SCALES: dict[str, float] = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
# Scales a computed number may be written in (no "thousand": "16,859 yuan" reads better).
_DISPLAY_SCALES = (("trillion", 1e12), ("billion", 1e9), ("million", 1e6))

_NUMBER = re.compile(
    r"(?<![\w.])(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<dec>\d+))?(?P<ord>st|nd|rd|th)?"
    r"(?:\s*(?P<scale>thousand|million|billion|trillion)\b)?",
    re.IGNORECASE,
)

# Qualifiers that make a stated figure a bound or an approximation.
APPROXIMATE_QUALIFIERS = frozenset(
    {"about", "nearly", "almost", "over", "more than", "exceeded", "exceeding", "less than", "at least", "surpassed"}
)


@dataclass(frozen=True)
class StatedNumber:
    """The number inside a stated figure: "246.36 billion yuan" -> 246.36, "billion"."""

    text: str  # the digits as printed, with an ordinal suffix if any: "246.36", "16,859", "49th"
    scale: str  # "", "million", "billion", ...
    decimals: int  # digits after the point as printed

    @property
    def multiplier(self) -> float:
        return SCALES.get(self.scale, 1.0)

    @property
    def resolution(self) -> float:
        """The smallest step the figure is stated in: 246.36 billion -> 0.01 billion."""
        return 10.0 ** (-self.decimals) * self.multiplier


def stated_number(fact: Fact) -> StatedNumber | None:
    """The number a figure prints, if it is the fact's value (None for "three", "ranking first")."""
    for match in _NUMBER.finditer(fact.figure):
        scale = (match["scale"] or "").lower()
        digits = match["int"].replace(",", "") + (f".{match['dec']}" if match["dec"] else "")
        number = float(digits) * SCALES.get(scale, 1.0)
        # the figure may contain other numbers ("5A attractions"); only the value's own counts
        if math.isclose(number, fact.value, rel_tol=1e-9, abs_tol=1e-9):
            text = match["int"] + (f".{match['dec']}" if match["dec"] else "") + (match["ord"] or "")
            return StatedNumber(text, scale, len(match["dec"] or ""))
    return None


def resolution(fact: Fact) -> float:
    """How finely the figure is stated; for figures in words, whole units (or the value's own decimals)."""
    number = stated_number(fact)
    if number is not None:
        return number.resolution
    decimals = 0 if float(fact.value).is_integer() else len(repr(float(fact.value)).split(".")[1])
    return 10.0 ** (-decimals)


def is_approximate(fact: Fact) -> bool:
    return (fact.qualifier or "").lower() in APPROXIMATE_QUALIFIERS


def common_scale(facts: Iterable[Fact]) -> tuple[str, float]:
    """The scale most of the figures are stated in ("billion", 1e9): the unit a chart's axis uses.

    A tie goes to the smaller scale, so that axis values stay at or above one.
    Figures printed in full ("700,000 tons" beside "5.8 million tons") would
    give tick labels of seven digits and more: from a million up, the axis
    takes the largest scale that keeps its top value at or above one.
    """
    listed = list(facts)
    counts = Counter((n.scale if (n := stated_number(f)) is not None else "") for f in listed)
    if not counts:
        return "", 1.0
    best = max(counts.values())
    scale = min((s for s, c in counts.items() if c == best), key=lambda s: SCALES.get(s, 1.0))
    top = max(abs(f.value) for f in listed) / SCALES.get(scale, 1.0)
    if top >= 1e6:
        size = top * SCALES.get(scale, 1.0)
        scale = next(word for word, factor in _DISPLAY_SCALES if size >= factor)
    return scale, SCALES.get(scale, 1.0)


def _strip_zeros(text: str) -> str:
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_computed(value: float, step: float) -> str:
    """A computed number, rounded to `step` and written with a scale word: 347330000000 -> "347.33 billion"."""
    step = step if step > 0 else 1.0
    rounded = round(value / step) * step
    size = abs(rounded)
    for word, factor in _DISPLAY_SCALES:
        if size >= factor:
            decimals = max(0, math.ceil(-math.log10(step / factor) - 1e-9))
            return f"{_strip_zeros(f'{rounded / factor:,.{decimals}f}')} {word}"
    decimals = max(0, math.ceil(-math.log10(step) - 1e-9))
    return _strip_zeros(f"{rounded:,.{decimals}f}")


def format_ratio(ratio: float) -> str:
    """Three significant digits, never in exponent notation: 35.733 -> "35.7", 1234.5 -> "1,230"."""
    if ratio <= 0 or not math.isfinite(ratio):
        return str(ratio)
    digits = 3 - 1 - math.floor(math.log10(ratio))
    rounded = round(ratio, digits)
    return _strip_zeros(f"{rounded:,.{max(digits, 0)}f}")


def format_on_axis(value: float, factor: float) -> str:
    """A value in the axis unit, for the rare point whose figure has no printed number."""
    return f"{value / factor:,.6g}"
