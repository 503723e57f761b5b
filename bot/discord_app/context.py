"""Sending a rendered reply: `FactContext.safe_send` for messages, `respond` for interactions.

Both send with `AllowedMentions.none()` (also the bot's default) and attach
the suggestion buttons; both decide plain text versus embed the same way:
embeds unless the bot lacks Embed Links where it is answering.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands

from bot.discord_app.delivery import deliver
from bot.discord_app.render import Rendered
from bot.discord_app.views import suggestion_view

if TYPE_CHECKING:
    from bot.discord_app.client import FactBot  # noqa: F401 (named in a string annotation)

NO_MENTIONS = discord.AllowedMentions.none()


class FactContext(commands.Context["FactBot"]):
    # Set by `FactBot.get_context` when a message is routed to the question
    # handler without being a registered command (a metric word, a DM, a mention):
    # the line as the console router reads it.
    routed_line: str | None = None
    # Set by the follow-up cog when the user edited a message the bot answered: the
    # reply to edit instead of sending a new one.
    edit_target: int | None = None

    @property
    def plain(self) -> bool:
        """True where embeds cannot be shown: the bot lacks Embed Links in this channel."""
        if self.interaction is not None:
            return interaction_plain(self.interaction)
        if self.guild is None:
            return False
        return not self.channel.permissions_for(self.me).embed_links  # type: ignore[arg-type]

    @property
    def surface(self) -> str:
        if self.interaction is not None:
            return "slash"  # a hybrid command run as a slash command
        return "dm" if self.guild is None else "prefix"

    async def safe_send(
        self, rendered: Rendered, *, file: discord.File | None = None, ephemeral: bool = False
    ) -> discord.Message | None:
        """The one reply helper of every command, prefix or slash (hybrid commands).

        A slash invocation answers its interaction (`ephemeral` there only); a message
        is answered in a server as a reply to the command message (several people may
        be asking at once), in a DM as a plain message.
        """
        if self.interaction is not None:
            await respond(self.interaction, rendered, ephemeral=ephemeral, file=file)
            return None
        kwargs = message_kwargs(rendered, file)
        if self.edit_target is not None:
            return await deliver(self._edit(self.edit_target, kwargs))
        if self.guild is not None:
            # a deleted command message must not turn the answer into a 400
            kwargs["reference"] = self.message.to_reference(fail_if_not_exists=False)
        sent = await deliver(self.send(**kwargs))
        self.bot.replies.remember(self.message, sent.id)
        return sent

    async def _edit(self, reply_id: int, kwargs: dict[str, Any]) -> discord.Message:
        """The earlier reply edited to say what a new one would: every part replaced."""
        self.bot.replies.remember(self.message, reply_id)  # the new text is what was answered
        file = kwargs.pop("file", None)
        partial = self.channel.get_partial_message(reply_id)  # type: ignore[union-attr]
        return await partial.edit(
            content=kwargs.get("content"),
            embed=kwargs.get("embed"),
            view=kwargs.get("view"),
            attachments=[file] if file is not None else [],
            allowed_mentions=NO_MENTIONS,
        )


def message_kwargs(rendered: Rendered, file: discord.File | None = None) -> dict[str, Any]:
    """What every message and interaction response sends: the content, embed and buttons of
    `rendered`, an optional file, and never a mention."""
    kwargs: dict[str, Any] = {"allowed_mentions": NO_MENTIONS}
    if rendered.content:
        kwargs["content"] = rendered.content
    if rendered.embed is not None:
        kwargs["embed"] = rendered.embed
    view = suggestion_view(rendered.suggestions)
    if view is not None:
        kwargs["view"] = view
    if file is not None:
        kwargs["file"] = file
    return kwargs


def interaction_plain(interaction: discord.Interaction[Any]) -> bool:
    return not interaction.app_permissions.embed_links


async def respond(
    interaction: discord.Interaction[Any],
    rendered: Rendered,
    *,
    ephemeral: bool = False,
    file: discord.File | None = None,
) -> None:
    """Answer an interaction: the response if not yet sent (or deferred), else a followup."""
    kwargs = message_kwargs(rendered, file)
    kwargs["ephemeral"] = ephemeral
    if interaction.response.is_done():
        await deliver(interaction.followup.send(**kwargs))
    else:
        await deliver(interaction.response.send_message(**kwargs))
