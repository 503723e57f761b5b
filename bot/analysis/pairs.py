"""What the store can answer, for autocomplete: series pairs, comparable metrics, and typed-text choices.

Discord autocomplete returns at most 25 choices of at most 100 characters and
must answer within 3 seconds, so everything here is a plain scan of the
snapshot (a few hundred facts) and every list is capped. A choice's value is
a store key; `compare` and `series` accept keys as well as names, and they
re-check whatever the user finally submits.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

from bot.analysis.series import NOT_DRAWABLE_UNITS
from bot.render.choices import MAX_CHOICES, Choice, clip
from bot.store.periods import PeriodKind
from bot.store.snapshot import Store


@dataclass(frozen=True)
class SeriesPair:
    """A place and metric with at least one dated point: something `series` can answer."""

    place: str
    metric: str
    place_name: str
    metric_name: str
    points: int  # dated periods (a chart needs two)

    @property
    def label(self) -> str:
        periods = "1 period" if self.points == 1 else f"{self.points} periods"
        return clip(f"{self.metric_name} · {self.place_name} ({periods})")


@dataclass(frozen=True)
class ComparableMetric:
    """A metric that at least two places have figures for: something `compare` can answer."""

    metric: str
    metric_name: str
    places: tuple[tuple[str, str], ...]  # (display name, key), by name

    @property
    def label(self) -> str:
        return clip(f"{self.metric_name} ({len(self.places)} places)")


def answerable_pairs(store: Store, *, min_points: int = 1) -> list[SeriesPair]:
    """Every (place, metric) with at least `min_points` dated points; `min_points=2` lists the charts."""
    out: list[SeriesPair] = []
    # counted by the store: a large one does it in SQLite, without building every fact
    drawable = store.period_counts(frozenset({PeriodKind.SPAN}), NOT_DRAWABLE_UNITS)
    for (place, metric), points in drawable.items():
        if points >= min_points:
            out.append(SeriesPair(place, metric, store.place_name(place), store.metric_name(metric), points))
    return sorted(out, key=lambda p: (-p.points, p.metric_name.lower(), p.place_name))


def comparable_metrics(store: Store) -> list[ComparableMetric]:
    """Every metric with figures for at least two places, the most widely covered first."""
    places: dict[str, set[str]] = {}
    for place, metric in store.by_place_metric:
        places.setdefault(metric, set()).add(place)
    out = [
        ComparableMetric(metric, store.metric_name(metric), tuple(sorted((store.place_name(p), p) for p in keys)))
        for metric, keys in places.items()
        if len(keys) >= 2
    ]
    return sorted(out, key=lambda m: (-len(m.places), m.metric_name.lower()))


def _rank(typed: str, labels: list[str], limit: int) -> list[int]:
    """Indexes of `labels` for what the user typed so far: all of them (in order) when nothing is typed."""
    if not typed.strip():
        return list(range(min(limit, len(labels))))
    hits = process.extract(
        typed, labels, scorer=fuzz.partial_ratio, processor=utils.default_process, limit=limit, score_cutoff=60
    )
    return [i for _, _, i in hits]


def metric_choices(store: Store, typed: str, *, for_compare: bool = False, place: str | None = None) -> list[Choice]:
    """Metric choices for autocomplete: comparable ones for `compare`, drawable ones (for `place`) for `series`."""
    if for_compare:
        metrics = [(m.metric, m.label) for m in comparable_metrics(store)]
    else:
        seen: dict[str, str] = {}
        for pair in answerable_pairs(store, min_points=1):
            if place is None or pair.place == place:
                seen.setdefault(pair.metric, pair.label if place else pair.metric_name)
        metrics = list(seen.items())
    picked = _rank(typed, [label for _, label in metrics], MAX_CHOICES)
    return [Choice(metrics[i][1], metrics[i][0]) for i in picked]


def place_choices(store: Store, typed: str, *, metric: str | None = None) -> list[Choice]:
    """Place choices for autocomplete: those with figures (for `metric`, when it is already chosen)."""
    keys = sorted({p for (p, m) in store.by_place_metric if metric is None or m == metric}, key=store.place_name)
    labels = [clip(store.place_name(k)) for k in keys]
    return [Choice(labels[i], keys[i]) for i in _rank(typed, labels, MAX_CHOICES)]
