"""Plain-text rendering of replies, for the console and the command line."""

from __future__ import annotations

from bot.answer import Answer, Status
from bot.app.commands import Reply, TextReply


def reply_text(reply: Reply, *, show_quote: bool = True) -> str:
    if isinstance(reply, TextReply):
        return reply.text
    return answer_text(reply, show_quote=show_quote)


def answer_text(answer: Answer, *, show_quote: bool = True, message: str | None = None) -> str:
    """`message` replaces the answer's sentence (a translated frame), the rest is as stated."""
    lines = [answer.message if message is None else message]
    if answer.fact is not None and show_quote:
        lines.append(f"  Quote: “{answer.fact.fact.quote}”")
        if answer.fact.fact.note:
            lines.append(f"  Curator's note: {answer.fact.fact.note}")
    if answer.status is not Status.ANSWERED and answer.suggestions:
        lines.append("  Try: " + " | ".join(answer.suggestions))
    return "\n".join(lines)


def is_error(reply: Reply) -> bool:
    return isinstance(reply, TextReply) and reply.error
