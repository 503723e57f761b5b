"""The limits Discord enforces on what a bot sends, answered as Discord answers them.

A bot that sends a 2001-character message or an embed field of 1025
characters works against a lenient fake and fails in production with
``400 Invalid Form Body``. Checking the documented limits here turns those
into test failures (``discord.HTTPException`` with code 50035 in the bot).
"""

from __future__ import annotations

import re
from typing import Any

from .records import Json

Problem = tuple[str, str, str]  # (dotted path, error code, message)

INVALID_FORM_BODY = 50035
EMPTY_MESSAGE = 50006

_COMMAND_NAME = re.compile(r"^[-_\w]{1,32}$")

_EMBED_LIMITS = {"title": 256, "description": 4096}


def _too_long(path: str, value: Any, limit: int) -> list[Problem]:
    if isinstance(value, str) and len(value) > limit:
        return [(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")]
    return []


def _embed_problems(index: int, embed: Json) -> tuple[list[Problem], int]:
    """Problems in one embed, and its character count towards the 6000 total."""
    base = f"embeds.{index}"
    problems: list[Problem] = []
    total = 0
    for key, limit in _EMBED_LIMITS.items():
        value = embed.get(key)
        problems += _too_long(f"{base}.{key}", value, limit)
        total += len(value) if isinstance(value, str) else 0
    fields = embed.get("fields") or []
    if len(fields) > 25:
        problems.append((f"{base}.fields", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length."))
    for i, fld in enumerate(fields):
        name, value = fld.get("name"), fld.get("value")
        if not name or not value:
            problems.append((f"{base}.fields.{i}", "BASE_TYPE_REQUIRED", "This field is required"))
        problems += _too_long(f"{base}.fields.{i}.name", name, 256)
        problems += _too_long(f"{base}.fields.{i}.value", value, 1024)
        total += len(name or "") + len(value or "")
    footer = (embed.get("footer") or {}).get("text")
    author = (embed.get("author") or {}).get("name")
    problems += _too_long(f"{base}.footer.text", footer, 2048)
    problems += _too_long(f"{base}.author.name", author, 256)
    total += len(footer or "") + len(author or "")
    return problems, total


def message_problems(payload: Json, n_files: int) -> list[Problem]:
    """What Discord would reject in a message create or edit payload."""
    problems = _too_long("content", payload.get("content"), 2000)
    embeds = payload.get("embeds") or []
    if len(embeds) > 10:
        problems.append(("embeds", "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length."))
    total = 0
    for index, embed in enumerate(embeds):
        embed_problems, size = _embed_problems(index, embed)
        problems += embed_problems
        total += size
    if total > 6000:
        problems.append(("embeds", "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000"))
    if n_files > 10:
        problems.append(("files", "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length."))
    return problems


def is_empty_message(payload: Json, n_files: int) -> bool:
    keys = ("content", "embeds", "components", "sticker_ids", "poll", "attachments")
    return n_files == 0 and not any(payload.get(key) for key in keys)


def autocomplete_problems(data: Json) -> list[Problem]:
    choices = data.get("choices") or []
    problems: list[Problem] = []
    if len(choices) > 25:
        problems.append(("data.choices", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length."))
    for i, choice in enumerate(choices):
        name = choice.get("name")
        if not isinstance(name, str) or not 1 <= len(name) <= 100:
            problems.append((f"data.choices.{i}.name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."))
        value = choice.get("value")
        if isinstance(value, str) and len(value) > 100:
            problems += _too_long(f"data.choices.{i}.value", value, 100)
    return problems


def _option_problems(base: str, option: Json) -> list[Problem]:
    problems: list[Problem] = []
    name = str(option.get("name") or "")
    if not _COMMAND_NAME.match(name) or name != name.lower():
        problems.append((f"{base}.name", "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid"))
    description = option.get("description")
    if not isinstance(description, str) or not 1 <= len(description) <= 100:
        problems.append((f"{base}.description", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."))
    # Localised names follow the same rule (any script's letters, lower case where it has case).
    for locale, localised in (option.get("name_localizations") or {}).items():
        if not _COMMAND_NAME.match(str(localised)) or str(localised) != str(localised).lower():
            problems.append((f"{base}.name_localizations.{locale}", "APPLICATION_COMMAND_INVALID_NAME",
                             "Command name is invalid"))  # fmt: skip
    for locale, localised in (option.get("description_localizations") or {}).items():
        if not 1 <= len(str(localised)) <= 100:
            problems.append((f"{base}.description_localizations.{locale}", "BASE_TYPE_BAD_LENGTH",
                             "Must be between 1 and 100 in length."))  # fmt: skip
    if len(option.get("choices") or []) > 25:
        problems.append((f"{base}.choices", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length."))
    for i, sub in enumerate(option.get("options") or []):
        problems += _option_problems(f"{base}.options.{i}", sub)
    return problems


def command_problems(commands: list[Json]) -> list[Problem]:
    """What Discord would reject in a bulk overwrite of application commands."""
    problems: list[Problem] = []
    if len(commands) > 100:
        problems.append(("_", "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length."))
    for index, command in enumerate(commands):
        if int(command.get("type") or 1) == 1:
            problems += _option_problems(str(index), command)
        elif not 1 <= len(str(command.get("name") or "")) <= 32:
            problems.append((f"{index}.name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 32 in length."))
        options = command.get("options") or []
        if len(options) > 25:
            problems.append((f"{index}.options", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length."))
    return problems


def form_error(problems: list[Problem]) -> Json:
    """The 400 body Discord sends for ``problems`` (discord.py flattens ``errors``)."""
    errors: Json = {}
    for path, code, message in problems:
        node = errors
        for part in path.split("."):
            node = node.setdefault(part, {})
        node.setdefault("_errors", []).append({"code": code, "message": message})
    return {"message": "Invalid Form Body", "code": INVALID_FORM_BODY, "errors": errors}
