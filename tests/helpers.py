"""Helpers shared by the test suite: the real store, and copies of it to break."""

from __future__ import annotations

import shutil
from functools import lru_cache
from pathlib import Path

from bot.query.engine import Engine
from bot.service import FactService
from bot.store import StorePaths

ROOT = Path(__file__).resolve().parent.parent
FACTS_DIR = ROOT / "facts"
SEEDS_DIR = ROOT / "seeds"


def real_paths() -> StorePaths:
    return StorePaths(FACTS_DIR, SEEDS_DIR)


@lru_cache(maxsize=1)
def real_engine() -> Engine:
    """The engine over the committed store, built once for the whole session."""
    return FactService.load(real_paths()).engine


def copy_store(tmp: Path) -> StorePaths:
    """A private copy of the committed store that a test may edit or break."""
    shutil.copytree(FACTS_DIR, tmp / "facts")
    shutil.copytree(SEEDS_DIR, tmp / "seeds")
    return StorePaths(tmp / "facts", tmp / "seeds")
