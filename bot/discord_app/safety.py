"""Text the bot sends: no pings, no markdown break-outs, within Discord's limits.

Discord answers a message over its limits with `400 Invalid Form Body`, so a
long quote or a pasted essay would turn a good answer into an error. Every
string goes through `clip` (or an embed through `build_embed`) before it
leaves. User text echoed back goes through `escape_user_text` as well:
`AllowedMentions.none()` already stops pings, but an escaped `@everyone` also
*looks* harmless, and escaped markdown cannot restyle the bot's reply.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import discord

CONTENT_LIMIT = 2000
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
EMBED_TOTAL_LIMIT = 6000
MAX_FIELDS = 25
BUTTON_LABEL_LIMIT = 80
CUSTOM_ID_LIMIT = 100
ELLIPSIS = "…"


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, ending with an ellipsis if cut."""
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)].rstrip() + ELLIPSIS


def one_line(text: str) -> str:
    """Whitespace (newlines included) collapsed: an echo cannot start a heading or a quote block."""
    return " ".join(text.split())


def escape_user_text(text: str, limit: int | None = None) -> str:
    """User text made inert: mentions broken with a zero-width space, markdown escaped.

    Clipped *before* escaping so an escape is never cut in half.
    """
    flat = one_line(text)
    if limit is not None:
        flat = clip(flat, limit)
    return discord.utils.escape_markdown(discord.utils.escape_mentions(flat))


def escape_text(text: str) -> str:
    """Text composed by the core that may contain user words: same escaping, lines kept."""
    return discord.utils.escape_markdown(discord.utils.escape_mentions(text))


def code_block(text: str, limit: int) -> str:
    """`text` in a ``` block of at most `limit` characters; the fences survive clipping."""
    body = text.replace("```", "'''")
    return "```\n" + clip(body, max(limit - 8, 1)) + "\n```"


@dataclass(frozen=True)
class Field:
    name: str
    value: str
    inline: bool = False


def build_embed(
    *,
    title: str,
    description: str = "",
    fields: Sequence[Field] = (),
    footer: str = "",
    colour: int = 0x5865F2,
) -> discord.Embed:
    """An embed within every per-part limit and the 6000-character total.

    When the total is exceeded the last fields go first (the title and the
    answer sentence matter most), then the description is shortened.
    """
    title = clip(title, TITLE_LIMIT)
    footer = clip(footer, FOOTER_LIMIT)
    kept = [
        Field(clip(f.name, FIELD_NAME_LIMIT) or "\u200b", clip(f.value, FIELD_VALUE_LIMIT) or "\u200b", f.inline)
        for f in fields[:MAX_FIELDS]
    ]
    description = clip(description, DESCRIPTION_LIMIT)

    def total() -> int:
        return len(title) + len(description) + len(footer) + sum(len(f.name) + len(f.value) for f in kept)

    while kept and total() > EMBED_TOTAL_LIMIT:
        kept.pop()
    if total() > EMBED_TOTAL_LIMIT:
        description = clip(description, max(EMBED_TOTAL_LIMIT - (total() - len(description)), 1))
    embed = discord.Embed(title=title, description=description or None, colour=colour)
    for f in kept:
        embed.add_field(name=f.name, value=f.value, inline=f.inline)
    if footer:
        embed.set_footer(text=footer)
    return embed
