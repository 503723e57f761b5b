"""Score the engine on the evaluation sets: `dev/` (tuned freely) and `holdout/` (frozen).

Run directly for a report of every miss on the dev split:

    python -m tests.eval.evaluate            # dev
    python -m tests.eval.evaluate holdout    # the frozen split: figures only, never tune on it

A case is `answered` (the documents state exactly this figure) or `not_answered`.
Three outcomes are counted apart: answerable questions answered with the right
figure, out-of-corpus questions held back, and **false answers**: a figure
stated as the answer that is not the one asked (a wrong figure for an
answerable question, or any answer to an out-of-corpus one). A false answer is
the worst outcome, so it is its own figure.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.answer import Answer, Status
from bot.query.engine import Engine

EVAL_DIR = Path(__file__).parent
SPLITS = ("dev", "holdout")


@dataclass(frozen=True)
class Case:
    query: str
    expect: str  # answered | not_answered
    figures: tuple[str, ...]
    file: str


@dataclass(frozen=True)
class Outcome:
    case: Case
    answer: Answer
    ok: bool

    @property
    def false_answer(self) -> bool:
        """A figure was given as the answer and it is not the one asked."""
        return self.answer.status is Status.ANSWERED and not self.ok


@dataclass(frozen=True)
class Score:
    answered_ok: int
    answerable: int
    held_back: int
    out_of_corpus: int
    false_answers: int

    @property
    def answered_rate(self) -> float:
        return self.answered_ok / max(self.answerable, 1)

    @property
    def held_back_rate(self) -> float:
        return self.held_back / max(self.out_of_corpus, 1)

    def line(self) -> str:
        return (
            f"answerable right {self.answered_ok}/{self.answerable} ({self.answered_rate:.1%}), "
            f"out-of-corpus held back {self.held_back}/{self.out_of_corpus} ({self.held_back_rate:.1%}), "
            f"false answers {self.false_answers}"
        )


def split_dir(split: str) -> Path:
    return EVAL_DIR / split


def load_cases(directory: Path | None = None) -> list[Case]:
    cases: list[Case] = []
    for path in sorted((directory or split_dir("dev")).glob("*.yaml")):
        items: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        for item in items:
            listed = item.get("figure_any") or ([item["figure"]] if item.get("figure") is not None else [])
            figures = tuple(str(f) for f in listed)
            cases.append(Case(str(item["query"]), str(item["expect"]), figures, path.name))
    return cases


# Writers of blind sets copy the figure from the document; the store's `figure`
# is copied from the same sentence but may start or stop a word apart ("about
# 48%" / "48%", "138.3%" / "138.3 percent"). Two figures are the same when their
# numbers and scale words are the same, or one contains the other.
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_SCALES = ("trillion", "billion", "million", "thousand", "percent", "%", "fold", "times")
_SPACE = re.compile(r"\s+")
# "four" is a figure as much as "4": a writer may copy the number word alone
_NUMBER_WORD = re.compile(
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|hundred|first|second|third)\b"
)


def _has_number(text: str) -> bool:
    return bool(_NUMBER.search(text) or _NUMBER_WORD.search(text))


def _normal(figure: str) -> str:
    return _SPACE.sub(" ", figure.lower().replace("per cent", "percent").replace("%", " percent")).strip()


def _signature(figure: str) -> tuple[str, ...]:
    text = _normal(figure)
    numbers = [n.replace(",", "") for n in _NUMBER.findall(text)]
    scales = [w for w in _SCALES if re.search(rf"\b{re.escape(w)}\b", text)]
    return (*numbers, *scales)


def _inside(part: str, whole: str) -> bool:
    """`part` occurs in `whole`, not as a piece of a longer number ("1 billion" in "11 billion")."""
    return re.search(rf"(?<![\d.,]){re.escape(part)}(?![\d])", whole) is not None


def same_figure(stated: str, expected: str) -> bool:
    a, b = _normal(stated), _normal(expected)
    if a == b:
        return True
    if (_inside(a, b) or _inside(b, a)) and _has_number(a) and _has_number(b):
        return True
    sig_a, sig_b = _signature(stated), _signature(expected)
    return bool(sig_a) and sig_a == sig_b


def judge(case: Case, answer: Answer) -> bool:
    if case.expect == "answered":
        return (
            answer.status is Status.ANSWERED
            and answer.fact is not None
            and any(same_figure(answer.fact.fact.figure, f) for f in case.figures)
        )
    return answer.status is not Status.ANSWERED


def evaluate(engine: Engine, cases: list[Case]) -> list[Outcome]:
    outcomes = []
    for case in cases:
        answer = engine.ask(case.query)
        outcomes.append(Outcome(case, answer, judge(case, answer)))
    return outcomes


def rate(outcomes: list[Outcome], expect: str) -> tuple[int, int]:
    chosen = [o for o in outcomes if o.case.expect == expect]
    return sum(o.ok for o in chosen), len(chosen)


def score(outcomes: list[Outcome]) -> Score:
    answered_ok, answerable = rate(outcomes, "answered")
    held_back, out_of_corpus = rate(outcomes, "not_answered")
    return Score(answered_ok, answerable, held_back, out_of_corpus, sum(o.false_answer for o in outcomes))


def by_file(outcomes: list[Outcome]) -> dict[str, Score]:
    files = sorted({o.case.file for o in outcomes})
    return {name: score([o for o in outcomes if o.case.file == name]) for name in files}


def main(argv: list[str] | None = None) -> None:
    from bot.config import Settings
    from bot.service import FactService
    from bot.store import StorePaths

    args = sys.argv[1:] if argv is None else argv
    split = args[0] if args else "dev"
    settings = Settings.from_env()
    engine = FactService.load(StorePaths(settings.facts_dir, settings.seeds_dir)).engine
    outcomes = evaluate(engine, load_cases(split_dir(split)))
    if split == "dev":  # the holdout is frozen: its misses are not for reading
        for o in outcomes:
            if not o.ok:
                got = o.answer.fact.fact.figure if o.answer.fact else "-"
                tag = "FALSE" if o.false_answer else "MISS"
                print(f"{tag} [{o.case.file}] {o.case.query!r}: want {o.case.expect} {list(o.case.figures)}; "
                      f"got {o.answer.status.value} {got!r} | {o.answer.message[:160]}")
    for name, s in by_file(outcomes).items():
        print(f"{name:40} {s.line()}")
    print(f"{split + ' (all)':40} {score(outcomes).line()}")


if __name__ == "__main__":
    main()
