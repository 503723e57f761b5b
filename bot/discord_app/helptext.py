"""Help generated from the commands the bot registered, never kept by hand.

`!help` (a discord.py `HelpCommand`) and `/help` both list what is
registered at the moment they run: a new command appears in both without an
edit here. The descriptions come from `bot.app.commands.COMMANDS`, the specs the
console shares, so a command is described the same way everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from discord import app_commands
from discord.ext import commands

from bot.app.commands import COMMANDS, METRIC_COMMAND_HELP, CommandSpec
from bot.discord_app.render import render_code, render_notice
from bot.discord_app.safety import escape_user_text

if TYPE_CHECKING:
    from bot.discord_app.client import FactBot
    from bot.discord_app.context import FactContext

EXAMPLE_QUESTION = "How much did Xinjiang trade with Belt and Road countries in H1 2023?"


def spec(name: str) -> CommandSpec | None:
    """The shared description of a command, if the core has one."""
    return next((s for s in COMMANDS if s.name == name), None)


def spec_help(name: str, fallback: str) -> str:
    found = spec(name)
    return found.help if found else fallback


def spec_usage(name: str) -> str:
    """The arguments part of the shared usage: "trade <place> [period]" -> "<place> [period]"."""
    found = spec(name)
    return found.usage.partition(" ")[2] if found else ""


# A help entry is the core's `CommandSpec`, read from what discord.py registered.
Entry = CommandSpec


def prefix_entries(registered: Iterable[commands.Command[Any, ..., Any]]) -> list[Entry]:
    return [
        Entry(
            c.name,
            c.usage if c.usage is not None else c.signature,
            c.short_doc,
            tuple(c.aliases),
            bool(c.extras.get("admin")),
        )
        for c in registered
    ]


def menu_names(registered: Iterable[object]) -> list[str]:
    """The message context-menu commands (right-click a message, Apps)."""
    return [c.name for c in registered if isinstance(c, app_commands.ContextMenu)]


def slash_entries(registered: Iterable[object]) -> list[Entry]:
    out: list[Entry] = []
    for c in registered:
        if not isinstance(c, app_commands.Command):
            continue  # context menus are listed apart (menu_names); no groups today
        usage = " ".join(p.name if p.required else f"[{p.name}]" for p in c.parameters)
        out.append(Entry(c.name, usage, c.description, (), bool(c.extras.get("admin"))))
    return out


def help_lines(
    prefix: str, text_commands: Sequence[Entry], slash_commands: Sequence[Entry], menus: Sequence[str] = ()
) -> list[str]:
    lines = ["Text commands:"]
    for e in text_commands:
        also = f" (also {', '.join(prefix + a for a in e.aliases)})" if e.aliases else ""
        admin = " [admins]" if e.admin else ""
        lines.append(f"  {prefix}{e.name} {e.usage}".rstrip() + f" - {e.help}{also}{admin}")
    lines.append(f"  {METRIC_COMMAND_HELP} (each with {prefix} in front)")
    if slash_commands:
        lines.append("")
        lines.append("Slash commands:")
        for e in slash_commands:
            admin = " [admins]" if e.admin else ""
            lines.append(f"  /{e.name} {e.usage}".rstrip() + f" - {e.help}{admin}")
    if menus:
        lines.append("")
        lines.append("On any message (right-click or long-press, Apps):")
        lines += [f"  {name} - the figure that message asks about, shown only to you" for name in menus]
    lines.append("")
    lines.append(f"Or just ask: {prefix}fact {EXAMPLE_QUESTION}")
    lines.append("In a direct message the prefix is optional: any message is a question.")
    return lines


async def visible_slash(bot: FactBot, user_is_admin: bool) -> list[Entry]:
    entries = slash_entries(bot.tree.get_commands())
    return [e for e in entries if user_is_admin or not e.admin]


class FactHelpCommand(commands.HelpCommand):
    """`!help` and `!help <command>`, built from the registered commands."""

    context: FactContext

    def __init__(self) -> None:
        super().__init__(command_attrs={"help": spec_help("help", "This list of commands"), "usage": ""})

    async def send_bot_help(self, mapping: Any) -> None:
        ctx = self.context
        bot = ctx.bot
        shown = await self.filter_commands(bot.commands, sort=False)
        order = {s.name: i for i, s in enumerate(COMMANDS)}
        shown.sort(key=lambda c: (order.get(c.name, len(order)), c.name))
        is_admin = await bot.is_admin(ctx.author)
        slash, menus = await visible_slash(bot, is_admin), menu_names(bot.tree.get_commands())
        lines = help_lines(bot.settings.prefix, prefix_entries(shown), slash, menus)
        await ctx.safe_send(render_code("factbot commands", "\n".join(lines), plain=ctx.plain))

    async def send_command_help(self, command: commands.Command[Any, ..., Any]) -> None:
        ctx = self.context
        if command.extras.get("admin") and not await ctx.bot.is_admin(ctx.author):
            # admin commands are listed to admins only: to anyone else it is not a command
            await self.send_error_message(self.command_not_found(command.name))
            return
        entry = prefix_entries([command])[0]
        prefix = ctx.bot.settings.prefix
        also = f"\nAlso: {', '.join(prefix + a for a in entry.aliases)}" if entry.aliases else ""
        text = f"{prefix}{entry.name} {entry.usage}".rstrip() + f"\n{command.help or entry.help}{also}"
        await ctx.safe_send(render_code(f"{prefix}{entry.name}", text, plain=ctx.plain))

    def command_not_found(self, string: str, /) -> str:
        bot = self.context.bot
        prefix = bot.settings.prefix
        known = bot.router.is_command_name(string)
        string = escape_user_text(string, 50)
        if known:
            return f"{prefix}{string} asks for that figure: {prefix}{string} <place> [period]"
        return f"No command called '{string}'. Try {prefix}help for the list."

    async def send_error_message(self, error: str, /) -> None:
        ctx = self.context
        await ctx.safe_send(render_notice(error, plain=ctx.plain, title="help"))
