"""Score the engine on the dev evaluation set (tests/eval/*.yaml).

Run directly for a report of every miss: `python -m tests.eval.evaluate`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.answer import Answer, Status
from bot.query.engine import Engine

EVAL_DIR = Path(__file__).parent


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


def load_cases(directory: Path = EVAL_DIR) -> list[Case]:
    cases: list[Case] = []
    for path in sorted(directory.glob("*.yaml")):
        items: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        for item in items:
            listed = item.get("figure_any") or ([item["figure"]] if item.get("figure") is not None else [])
            figures = tuple(str(f) for f in listed)
            cases.append(Case(str(item["query"]), str(item["expect"]), figures, path.name))
    return cases


def judge(case: Case, answer: Answer) -> bool:
    if case.expect == "answered":
        return (
            answer.status is Status.ANSWERED
            and answer.fact is not None
            and answer.fact.fact.figure in case.figures
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


def main() -> None:
    from bot.config import Settings
    from bot.service import FactService
    from bot.store import StorePaths

    settings = Settings.from_env()
    engine = FactService.load(StorePaths(settings.facts_dir, settings.seeds_dir)).engine
    outcomes = evaluate(engine, load_cases())
    for o in outcomes:
        if not o.ok:
            got = o.answer.fact.fact.figure if o.answer.fact else "-"
            print(f"MISS [{o.case.file}] {o.case.query!r}: want {o.case.expect} {list(o.case.figures)}; "
                  f"got {o.answer.status.value} {got!r} | {o.answer.message[:160]}")
    for expect in ("answered", "not_answered"):
        ok, total = rate(outcomes, expect)
        print(f"{expect}: {ok}/{total} = {ok / max(total, 1):.1%}")


if __name__ == "__main__":
    main()
