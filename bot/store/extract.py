"""`factbot extract SEEDFILE`: candidate facts for a curator to edit.

Every sentence with a number becomes one candidate per figure, with the
place, metric and period the query parser guesses. The output is YAML in the
fact-file format, with TODO markers where a person must decide.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from bot.query.engine import Engine
from bot.query.periods import extract_period
from bot.query.text import fold
from bot.store.seedtext import YEAR_RE, sentences

_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_UNITS = (
    ("percent", "percent"), ("%", "percent"), ("yuan", "yuan"), ("kilowatt-hours", "kwh"), ("kwh", "kwh"),
    ("kilowatts", "kilowatts"), ("cubic meters", "cubic_meters"), ("square meters", "square_meters"),
    ("square kilometers", "square_kilometers"), ("kilometers", "kilometers"), ("km", "kilometers"),
    ("tons", "tons"), ("meters", "meters"), ("hours", "hours"), ("u.s. dollars", "usd"),
)  # fmt: skip
_FIGURE_RE = re.compile(
    r"(?P<num>\d[\d,]*(?:\.\d+)?)(?P<pct>%)?(?:\s*(?P<scale>thousand|million|billion|trillion))?"
    r"(?:\s*(?P<unit>percent|yuan|kilowatt-hours|kWh|kilowatts|cubic meters|square meters|square kilometers|"
    r"kilometers|km|tons|meters|hours|U\.S\. dollars))?"
)


def _figure(sentence: str, number: str) -> tuple[str, float, str]:
    for match in _FIGURE_RE.finditer(sentence):
        if match["num"] != number:
            continue
        value = float(number.replace(",", "")) * _SCALES.get(match["scale"] or "", 1.0)
        unit_word = "%" if match["pct"] else (match["unit"] or "").lower()
        unit = next((key for word, key in _UNITS if word == unit_word), "count")
        return match.group(0).strip(), value, unit
    return number, float(number.replace(",", "")), "count"


def extract_candidates(path: Path, engine: Engine) -> str:
    text = path.read_text(encoding="utf-8")
    facts: list[dict[str, object]] = []
    for sentence in sentences(text):
        parsed = engine.parser.parse(sentence.text)
        period = extract_period(fold(sentence.text)).period
        for number in sentence.numbers:
            if YEAR_RE.match(number):
                continue
            figure, value, unit = _figure(sentence.text, number)
            place = parsed.place or "TODO"
            metric = parsed.metric or "TODO"
            facts.append(
                {
                    "id": f"{place}.{metric}.{period.text if period else 'todo'}.{len(facts) + 1}"
                    .lower()
                    .replace("/", "-"),
                    "place": place,
                    "metric": metric,
                    "period": period.text if period else "TODO",
                    "value": int(value) if value.is_integer() else value,
                    "unit": unit,
                    "figure": figure,
                    "quote": sentence.text,
                    "note": f"candidate from line {sentence.line}: check place, metric, period and figure",
                }
            )
    document = {"doc": path.name, "facts": facts}
    header = f"# Candidates extracted from {path.name}: curate, then run `factbot check`.\n"
    return header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
