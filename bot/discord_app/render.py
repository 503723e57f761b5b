"""A core reply as Discord shows it: an embed, or plain text where embeds are not wanted.

The words come from the core (`Answer.message`, `render_text.answer_text`,
the router's `TextReply`), so the console and Discord say the same thing;
this module only lays them out. Plain text is used where the bot may not
embed (it lacks Embed Links in that channel): removing that permission is
also how a server asks for plain-text replies.
"""

from __future__ import annotations

from dataclasses import dataclass

import discord

from bot.answer import Answer, FactView, Status, figure_text, source_text
from bot.app.commands import Reply, TextReply
from bot.discord_app.i18n import frame, label
from bot.discord_app.safety import (
    CONTENT_LIMIT,
    Field,
    build_embed,
    clip,
    code_block,
    escape_text,
    escape_user_text,
)
from bot.render.text import answer_text

Locale = discord.Locale | str | None

ECHO_LIMIT = 200  # characters of the user's question repeated back

COLOURS = {
    Status.ANSWERED: 0x2E7D32,
    Status.NEAREST: 0xF9A825,
    Status.AMBIGUOUS: 0x1565C0,
    Status.NOT_FOUND: 0x757575,
}
TEXT_COLOUR = 0x5865F2
ERROR_COLOUR = 0xC62828

APOLOGY = "Sorry, something went wrong while answering that. It has been logged; please try again in a moment."


@dataclass(frozen=True)
class Rendered:
    """What to send: content and/or an embed, and the queries to offer as buttons."""

    content: str | None = None
    embed: discord.Embed | None = None
    suggestions: tuple[str, ...] = ()


def render_reply(reply: Reply, *, asked: str, plain: bool, locale: Locale = None) -> Rendered:
    if isinstance(reply, TextReply):
        return render_text_reply(reply.text, plain=plain, error=reply.error)
    return render_answer(reply, asked=asked, plain=plain, locale=locale)


def render_text_reply(text: str, *, plain: bool, error: bool = False) -> Rendered:
    """The router's text (sources, one source, usage, unknown command)."""
    if plain:
        return Rendered(content=clip(escape_text(text), CONTENT_LIMIT))
    first, _, rest = text.partition("\n")
    # a listing's first line ("Source documents:", a document's title) is its title
    title, body = (first.rstrip(":"), rest) if rest else ("factbot", text)
    colour = ERROR_COLOUR if error else TEXT_COLOUR
    return Rendered(embed=build_embed(title=escape_text(title), description=escape_text(body), colour=colour))


def _echo(asked: str, locale: Locale = None) -> str:
    return f"{label('You asked', locale)}: “{escape_user_text(asked, ECHO_LIMIT)}”"


def render_answer(answer: Answer, *, asked: str, plain: bool, locale: Locale = None) -> Rendered:
    """`locale` zh-CN translates factbot's own words (i18n.frame); figures and quotes stay verbatim."""
    answered = answer.status is Status.ANSWERED
    suggestions = () if answered else answer.suggestions[:5]
    message = frame(answer.message, locale)
    if plain:
        body = escape_text(answer_text(answer, message=message))
        if not answered:
            body = f"{_echo(asked, locale)}\n{body}"
        return Rendered(content=clip(body, CONTENT_LIMIT), suggestions=suggestions)
    if answered and answer.fact is not None:
        embed = build_embed(
            title=escape_text(answer.interpretation.title),
            description=escape_text(message),
            fields=_fact_fields(answer.fact, locale),
            footer=f"fact {answer.fact.fact.id}",
            colour=COLOURS[answer.status],
        )
        return Rendered(embed=embed)
    fields = [
        Field(escape_text(view.title), escape_text(f"{figure_text(view.fact)} - {source_text(view.source)}"))
        for view in answer.alternatives
    ]
    embed = build_embed(
        title=escape_text(answer.interpretation.title),
        description=f"{_echo(asked, locale)}\n\n{escape_text(message)}",
        fields=fields,
        footer=label("The buttons ask the suggested questions.", locale) if suggestions else "",
        colour=COLOURS[answer.status],
    )
    return Rendered(embed=embed, suggestions=suggestions)


def _fact_fields(view: FactView, locale: Locale = None) -> list[Field]:
    fact, source = view.fact, view.source
    period = fact.period.label()
    note = fact.period.coverage_note()
    fields = [
        Field(label("Figure", locale), escape_text(figure_text(fact)), inline=True),
        Field(label("Period", locale), f"{period} ({note})" if note else period, inline=True),
        Field(label("Source", locale), escape_text(f"{source.title}\n{source.publisher}, {source.date} · {fact.doc}")),
        Field(label("Quote", locale), f"“{escape_text(fact.quote)}”"),
    ]
    if fact.note:
        fields.append(Field(label("Curator's note", locale), escape_text(fact.note)))
    return fields


def render_apology(*, plain: bool) -> Rendered:
    if plain:
        return Rendered(content=APOLOGY)
    return Rendered(embed=build_embed(title="Something went wrong", description=APOLOGY, colour=ERROR_COLOUR))


def render_notice(text: str, *, plain: bool, title: str = "factbot", error: bool = False) -> Rendered:
    """A short message composed by the adapter (refusals, usage, too-long questions)."""
    if plain:
        return Rendered(content=clip(text, CONTENT_LIMIT))
    return Rendered(embed=build_embed(title=title, description=text, colour=ERROR_COLOUR if error else TEXT_COLOUR))


def render_code(title: str, text: str, *, plain: bool, error: bool = False) -> Rendered:
    """Machine-ish output (reload problems with file:line, help listings) in a code block."""
    if plain:
        return Rendered(content=f"**{title}**\n" + code_block(text, CONTENT_LIMIT - len(title) - 5))
    colour = ERROR_COLOUR if error else TEXT_COLOUR
    return Rendered(embed=build_embed(title=title, description=code_block(text, 4096), colour=colour))
