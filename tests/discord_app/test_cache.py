"""The reply cache: same question, same snapshot, same day -> the same reply; otherwise asked again."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.commands import CommandRouter
from bot.discord_app.cache import ReplyCache
from bot.service import FactService
from tests.helpers import copy_store, real_engine, real_paths


def test_a_repeated_question_is_answered_from_the_cache_and_rendered_once() -> None:
    router = CommandRouter(FactService(real_paths(), real_engine()))
    cache = ReplyCache(router)
    first = cache.run("trade", "xizang  2023")
    again = cache.run("trade", "xizang 2023")
    assert again is first and (cache.hits, cache.misses) == (1, 1)
    assert cache.render(first, asked="a", plain=False) is cache.render(again, asked="b", plain=False)
    assert cache.render(first, asked="a", plain=True) is not cache.render(first, asked="a", plain=False)


def test_a_reload_or_a_new_day_empties_the_cache(tmp_path: Path) -> None:
    service = FactService.load(copy_store(tmp_path))
    days = [date(2025, 1, 1)]
    cache = ReplyCache(CommandRouter(service), today=lambda: days[-1])
    first = cache.ask("trade xizang 2023")
    assert cache.ask("trade xizang 2023") is first
    assert service.reload().ok
    assert cache.ask("trade xizang 2023") is not first
    second = cache.ask("trade xizang 2023")
    days.append(date(2025, 1, 2))
    assert cache.ask("trade xizang 2023") is not second


def test_the_cache_is_bounded() -> None:
    cache = ReplyCache(CommandRouter(FactService(real_paths(), real_engine())), size=2)
    for text in ("gdp xinjiang 2024", "trade xizang 2023", "trade kashgar 2023"):
        cache.ask(text)
    assert len(cache._replies) == 2
