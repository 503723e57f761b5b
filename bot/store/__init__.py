"""The fact store: schema, loading, checking and the immutable snapshot."""

from bot.store.loader import StorePaths, collect, load_store
from bot.store.model import Change, Fact, Metric, Place, Source, Unit, Vocabulary
from bot.store.periods import Period, PeriodKind, parse_period
from bot.store.problems import Problem, StoreError
from bot.store.snapshot import EagerStore, Store

__all__ = [
    "Change", "EagerStore", "Fact", "Metric", "Period", "PeriodKind", "Place", "Problem", "Source", "Store",
    "StoreError", "StorePaths", "Unit", "Vocabulary", "collect", "load_store",
    "parse_period",
]  # fmt: skip
