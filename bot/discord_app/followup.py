"""Edits and deletes follow the question: a bounded map of recent message -> reply.

When a user edits a message the bot answered, the command runs again on the
new text and the answer is edited to match (PATCH); an edit that no longer
asks anything removes the answer. When the user deletes the message, the
answer is deleted (DELETE). Only the last `KEPT` answers are remembered:
nothing is kept forever, and an edit of an older message is simply ignored.
Discord also sends MESSAGE_UPDATE when it adds a link preview; an update
whose text did not change is not an edit.
"""

from __future__ import annotations

import contextlib
import logging
from collections import OrderedDict
from dataclasses import dataclass

import discord
from discord.ext import commands

from bot.discord_app.context import FactContext

log = logging.getLogger(__name__)

KEPT = 1000


@dataclass(frozen=True)
class Answered:
    channel_id: int
    reply_id: int
    content: str  # the question's text when it was answered


class RecentReplies:
    """Message id -> the bot's reply to it, for the last `size` replies."""

    def __init__(self, size: int = KEPT) -> None:
        self.size = size
        self._map: OrderedDict[int, Answered] = OrderedDict()

    def __len__(self) -> int:
        return len(self._map)

    def remember(self, message: discord.Message, reply_id: int) -> None:
        self._map[message.id] = Answered(message.channel.id, reply_id, message.content)
        self._map.move_to_end(message.id)
        while len(self._map) > self.size:
            self._map.popitem(last=False)

    def get(self, message_id: int) -> Answered | None:
        return self._map.get(message_id)

    def forget(self, message_id: int) -> Answered | None:
        return self._map.pop(message_id, None)


class Followup(commands.Cog):
    """Keeps answers in step with the questions they answer."""

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @property
    def replies(self) -> RecentReplies:
        replies: RecentReplies = self.bot.replies  # type: ignore[attr-defined]
        return replies

    @commands.Cog.listener()
    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        answered = self.replies.get(payload.message_id)
        if answered is None:
            return
        message = payload.message
        if message.content == answered.content or message.author.bot:
            return  # a link preview or an embed update, not an edit of the question
        if not self.bot.take_work():  # type: ignore[attr-defined]
            return
        ctx = await self.bot.get_context(message, cls=FactContext)
        if ctx.command is None:
            # the message no longer asks anything: the old answer would mislead
            self.replies.forget(message.id)
            await self._delete(answered)
            return
        ctx.edit_target = answered.reply_id
        await self.bot.invoke(ctx)

    @commands.Cog.listener()
    async def on_raw_message_delete(self, payload: discord.RawMessageDeleteEvent) -> None:
        answered = self.replies.forget(payload.message_id)
        if answered is not None:
            await self._delete(answered)

    async def _delete(self, answered: Answered) -> None:
        channel = self.bot.get_partial_messageable(answered.channel_id)
        with contextlib.suppress(discord.NotFound):  # already gone: nothing to do
            try:
                await channel.get_partial_message(answered.reply_id).delete()
            except discord.HTTPException as exc:
                log.warning("could not delete reply %s: %s", answered.reply_id, exc)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Followup(bot))
