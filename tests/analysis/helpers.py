"""Small synthetic stores for cases the committed documents do not contain (mixed units, 60 years)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.query.engine import Engine
from bot.store import EagerStore, Fact, Metric, Place, Source, Unit, Vocabulary, parse_period

UNITS = ("yuan", "usd", "percent", "count", "rank", "tons")


@dataclass(frozen=True)
class Row:
    place: str
    metric: str
    period: str
    value: float
    unit: str
    figure: str
    doc: str = "a.txt"
    qualifier: str | None = None


def tiny_engine(rows: list[Row]) -> Engine:
    """An engine over a store holding exactly `rows` (places alpha, beta, gamma; metrics from the rows)."""
    places = {k: Place(k, k.capitalize(), "region") for k in ("alpha", "beta", "gamma")}
    metrics = {r.metric: Metric(r.metric, r.metric.replace("_", " ")) for r in rows}
    units = {u: Unit(u, "U.S. dollars" if u == "usd" else u) for u in UNITS}
    sources = {doc: Source(doc, f"Document {doc}", "Publisher", "2024-01-01") for doc in sorted({r.doc for r in rows})}
    facts = tuple(
        Fact(
            id=f"{r.place}.{r.metric}.{r.period}.{i}", place=r.place, metric=r.metric, period=parse_period(r.period),
            value=r.value, unit=r.unit, figure=r.figure, quote=r.figure, doc=r.doc, qualifier=r.qualifier,
        )
        for i, r in enumerate(rows)
    )  # fmt: skip
    return Engine(EagerStore(Vocabulary(places, metrics, units), sources, facts, {}))
