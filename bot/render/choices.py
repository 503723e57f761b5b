"""Autocomplete choices as Discord takes them, shared by every module that offers some.

Discord accepts at most 25 choices, each name and value at most 100 characters;
longer text is cut with an ellipsis rather than refused.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_CHOICES = 25
CHOICE_CHARS = 100


@dataclass(frozen=True)
class Choice:
    """One autocomplete choice: `name` is shown, `value` is what the command receives."""

    name: str
    value: str


def clip(text: str) -> str:
    return text if len(text) <= CHOICE_CHARS else text[: CHOICE_CHARS - 1] + "…"
