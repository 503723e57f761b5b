"""Answering an autocomplete interaction: count the keystroke, build the choices, never raise.

Autocomplete cannot be deferred, so the choices are computed at once from the
current store's catalog. A keystroke is counted (`count_autocomplete`), not
logged as a query. discord.py only logs an exception raised in an
autocomplete callback, so one is caught here and noted like any handler
error; the user simply sees no choices.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from discord import app_commands

from bot.discord_app.autocomplete import Catalog, catalog_for
from bot.render.choices import Choice

if TYPE_CHECKING:
    from bot.discord_app.client import FactBot


def autocomplete_choices(
    bot: FactBot, where: str, make: Callable[[Catalog], list[Choice]]
) -> list[app_commands.Choice[str]]:
    if bot.querylog is not None:
        bot.querylog.count_autocomplete()
    try:
        found = make(catalog_for(bot.service.engine))
    except Exception as exc:
        bot.note_handler_error(exc, f"autocomplete {where}")
        return []
    return [app_commands.Choice(name=c.name, value=c.value) for c in found]
