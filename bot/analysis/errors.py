"""The one exception type of the analysis core: a request a person can fix."""

from __future__ import annotations


class AnalysisError(ValueError):
    """An unknown place or metric, or a request of the wrong shape.

    `str(error)` is a complete sentence for a person; `suggestions` are things
    they may type instead (display names or whole requests), best first.
    """

    def __init__(self, message: str, suggestions: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.suggestions = suggestions

    def __str__(self) -> str:
        if not self.suggestions:
            return self.message
        return f"{self.message} Try: {', '.join(self.suggestions)}."
