"""Warnings about the vocabulary that do not stop the store from loading.

Two metrics with aliases that read the same to the parser ("areas" and "area")
can only be told apart by which places have them; the curator should know.
"""

from __future__ import annotations

from collections import defaultdict

from bot.store.model import Vocabulary


def vocabulary_warnings(vocabulary: Vocabulary) -> list[str]:
    readings: defaultdict[tuple[str, ...], dict[str, str]] = defaultdict(dict)
    for metric in vocabulary.metrics.values():
        for alias in (metric.name, *metric.aliases):
            key = tuple(sorted(set(vocabulary.lexicon.content_tokens(alias))))
            if key:
                readings[key].setdefault(metric.key, alias)
    warnings = []
    for key, metrics in sorted(readings.items()):
        if len(metrics) > 1:
            shown = ", ".join(f"{m} ({alias!r})" for m, alias in sorted(metrics.items()))
            warnings.append(
                f"vocabulary.yaml: metrics {shown} read the same ({' '.join(key)}); "
                "only the place asked about can tell them apart"
            )
    return warnings
