"""Errors found while loading or checking the store, each with `file:line`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class StoreError(Exception):
    """The store did not load or did not pass its checks."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        shown = "\n".join(str(p) for p in self.problems[:20])
        more = len(self.problems) - 20
        suffix = f"\n... and {more} more" if more > 0 else ""
        super().__init__(f"{len(self.problems)} problem(s) in the fact store:\n{shown}{suffix}")
