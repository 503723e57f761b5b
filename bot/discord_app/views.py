"""Suggestion buttons: each one runs a query the core suggested.

The query lives in the button's `custom_id` (a `DynamicItem`), not in the
bot's memory, so a button keeps working after a restart or a reload and no
view has to time out. A suggestion too long for a custom_id (100 characters)
gets no button; the reply's text still names it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

import discord

from bot.discord_app.safety import BUTTON_LABEL_LIMIT, CUSTOM_ID_LIMIT, clip

if TYPE_CHECKING:
    from bot.discord_app.client import FactBot

PREFIX = "fb:ask:"
MAX_BUTTONS = 5


class SuggestionButton(discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]], template=r"fb:ask:(?P<query>.+)"):
    def __init__(self, query: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=clip(query, BUTTON_LABEL_LIMIT),
                style=discord.ButtonStyle.secondary,
                custom_id=PREFIX + query,
            )
        )
        self.query = query

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> SuggestionButton:
        return cls(match["query"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        # the bot answers: this module only lays buttons out (no import of the query path)
        await cast("FactBot", interaction.client).answer_suggestion(interaction, self.query)


def fits(query: str) -> bool:
    return 0 < len(PREFIX + query) <= CUSTOM_ID_LIMIT


def suggestion_view(suggestions: Sequence[str]) -> discord.ui.View | None:
    """Up to five buttons, one per suggested query; None when there is nothing to offer."""
    queries = [q for q in dict.fromkeys(suggestions) if fits(q)][:MAX_BUTTONS]
    if not queries:
        return None  # most replies: building an empty View is not free
    view = discord.ui.View(timeout=None)
    for query in queries:
        view.add_item(SuggestionButton(query))
    return view
