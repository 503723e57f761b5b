"""Who may reload, sync and read the stats: the application's owners, and FACTBOT_ADMIN_IDS.

discord.py's `Bot.is_owner` counts only team members whose role is admin or
developer; a read-only member of the team that owns the application, or an
owner whose role changed, would be locked out of their own bot. As RoboDanny
does, the bot sets `owner_ids` itself from the application info: the owner,
and every team member who accepted the invitation, whatever their role.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import discord
from discord.ext import commands

if TYPE_CHECKING:
    from bot.discord_app.client import FactBot

T = TypeVar("T")

REFUSAL = "Sorry, only the bot's owners and admins can use {command}."


def owner_ids_of(app: discord.AppInfo) -> set[int]:
    """The owner and every accepted team member (of any role) of the application."""
    ids = {int(app.owner.id)}
    team = app.team
    if team is not None:
        if team.owner_id:
            ids.add(int(team.owner_id))
        ids.update(
            int(member.id) for member in team.members if member.membership_state is discord.TeamMembershipState.accepted
        )
    return ids


class NotAdmin(commands.CheckFailure):
    """A command only admins may use (answered with a polite refusal, not an error)."""


def admin_only() -> Callable[[T], T]:
    """The one admin check, for prefix and hybrid commands alike: `@admin_only()`.
    Help hides the command from everyone else."""

    async def predicate(ctx: commands.Context[FactBot]) -> bool:
        if await ctx.bot.is_admin(ctx.author):
            return True
        where = "/" if ctx.interaction is not None else ctx.bot.settings.prefix  # a hybrid command as slash
        raise NotAdmin(REFUSAL.format(command=f"{where}{ctx.command}"))

    return commands.check(predicate)
