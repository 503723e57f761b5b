"""Property-based tests (hypothesis) of the way from hostile text to a Discord reply.

Any Unicode up to 4,000 characters, with control, zero-width and bidi characters, lone
surrogates, emoji, markdown and mention syntax mixed in: once made valid at the edge,
parsing and matching never raise and always return, and every rendered reply is valid
for Discord (lengths, no active mention) and for the query log (a row SQLite takes).

The deadline is hang detection (a reply that takes seconds is a bug), not a benchmark.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from functools import lru_cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app.commands import CommandRouter, TextReply
from bot.discord_app.context import message_kwargs
from bot.discord_app.render import Rendered, render_reply
from bot.discord_app.safety import (
    CONTENT_LIMIT,
    DESCRIPTION_LIMIT,
    EMBED_TOTAL_LIMIT,
    FIELD_NAME_LIMIT,
    FIELD_VALUE_LIMIT,
    FOOTER_LIMIT,
    MAX_FIELDS,
    TITLE_LIMIT,
)
from bot.infra.textsafety import clean_text
from bot.querylog import QueryRecord
from bot.querylog.quarantine import row_problem
from bot.querylog.records import to_row
from bot.service import FactService
from tests.helpers import real_engine, real_paths

HOSTILE_PIECES = [
    "\ud83d", "\udcff", "\ude00\ud83d", "\x00", "\x07", "\x1b[31m", "\r\n", "\t", "\u200b", "\u200d", "\ufeff",
    "\u202e", "\u2066", "\u061c", "😀", "👨‍👩‍👧", "🇨🇳", "@everyone", "@here", "<@123456789012345678>",
    "<@&123456789012345678>", "<#123456789012345678>", "```", "**", "__", "||", "> ", "# ", "[x](http://e.x)",
    "trade", "xizang", "2023", "gdp", "xinjiang", "!", "!trade", "!help", "!sources", "H1", "％", "二〇二三",
    "西藏", "贸易", "-1e308", "9" * 40, "=HYPERLINK(1)",
]  # fmt: skip

# Every code point, surrogates included (hypothesis leaves them out unless asked).
ANY_CHAR = st.characters(codec=None, exclude_categories=())
HOSTILE_TEXT = st.lists(st.one_of(ANY_CHAR, st.sampled_from(HOSTILE_PIECES)), max_size=400).map("".join).map(
    lambda s: s[:4000]
)
LONG_TEXT = st.text(ANY_CHAR, min_size=3000, max_size=4000)

PROPERTIES = settings(
    max_examples=150, deadline=timedelta(seconds=5), suppress_health_check=[HealthCheck.too_slow], derandomize=True
)

ACTIVE_MENTION = re.compile(r"@(everyone|here)|<@[!&]?\d{17,20}>")


@lru_cache(maxsize=1)
def router() -> CommandRouter:
    return CommandRouter(FactService(real_paths(), real_engine()), "!")


def _texts(rendered: Rendered) -> list[str]:
    out = [rendered.content or ""]
    if rendered.embed is not None:
        data = rendered.embed.to_dict()
        out += [data.get("title", ""), data.get("description", ""), data.get("footer", {}).get("text", "")]
        out += [f"{f['name']} {f['value']}" for f in data.get("fields", [])]
    return out


def assert_valid_for_discord(rendered: Rendered) -> None:
    assert rendered.content is not None or rendered.embed is not None
    assert len(rendered.content or "") <= CONTENT_LIMIT
    if rendered.embed is not None:
        data = rendered.embed.to_dict()
        assert len(data.get("title", "")) <= TITLE_LIMIT
        assert len(data.get("description", "")) <= DESCRIPTION_LIMIT
        assert len(data.get("footer", {}).get("text", "")) <= FOOTER_LIMIT
        fields = data.get("fields", [])
        assert len(fields) <= MAX_FIELDS
        assert all(0 < len(f["name"]) <= FIELD_NAME_LIMIT and 0 < len(f["value"]) <= FIELD_VALUE_LIMIT for f in fields)
        assert len(rendered.embed) <= EMBED_TOTAL_LIMIT
    for text in _texts(rendered):
        assert not ACTIVE_MENTION.search(text), text
        text.encode("utf-8")  # strict: no lone surrogate reaches Discord
    assert message_kwargs(rendered)["allowed_mentions"].to_dict() == {"parse": []}  # no mention pings


@PROPERTIES
@given(HOSTILE_TEXT)
def test_clean_text_is_always_valid_utf8_and_idempotent(raw: str) -> None:
    cleaned = clean_text(raw)
    cleaned.encode("utf-8")
    assert clean_text(cleaned) == cleaned
    assert len(cleaned) <= len(raw)


@PROPERTIES
@given(HOSTILE_TEXT)
def test_the_engine_answers_any_question_and_the_reply_is_valid_for_discord(raw: str) -> None:
    text = clean_text(raw)
    answer = real_engine().ask(text)
    json.dumps(answer.to_json(), ensure_ascii=False).encode("utf-8")
    for plain in (False, True):
        assert_valid_for_discord(render_reply(answer, asked=text, plain=plain))


@PROPERTIES
@given(HOSTILE_TEXT)
def test_any_line_through_the_router_renders_valid_for_discord_and_the_log(raw: str) -> None:
    line = clean_text(raw)
    reply = router().handle(line) or TextReply("Ask a question.", error=True)
    for plain in (False, True):
        assert_valid_for_discord(render_reply(reply, asked=line, plain=plain))
    row = to_row(QueryRecord(surface="prefix", query=line, status="answered"), user_hash=None, user_id=None)
    assert row_problem(row) is None


@settings(max_examples=20, deadline=timedelta(seconds=5), derandomize=True)
@given(LONG_TEXT)
def test_long_text_is_answered_too(raw: str) -> None:
    text = clean_text(raw)
    assert_valid_for_discord(render_reply(real_engine().ask(text), asked=text, plain=False))
    reply = router().handle("!" + text) or TextReply("Ask a question.", error=True)
    assert_valid_for_discord(render_reply(reply, asked=text, plain=True))


@PROPERTIES
@given(HOSTILE_TEXT)
def test_the_log_row_of_raw_text_is_always_storable(raw: str) -> None:
    # even if an adapter forgot to clean: to_row does it again
    row = to_row(QueryRecord(surface="dm", query=raw, status="answered", error=raw), user_hash=None, user_id=None)
    assert row_problem(row) is None
