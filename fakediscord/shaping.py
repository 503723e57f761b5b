"""Shaping the ``data`` of interactions from what a test passes.

A test writes ``{"place": "Paris", "year": 2020}``; Discord sends typed
options (``{"name": "year", "type": 4, "value": 2020}``), nested under
subcommands, with users resolved. The option types come from the command
the bot registered when there is one, else from the Python values.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from .config import FakeGuild, FakeUser
from .payloads import member_payload
from .records import Json

OPTION_SUB_COMMAND = 1
OPTION_SUB_COMMAND_GROUP = 2
OPTION_STRING = 3
OPTION_INTEGER = 4
OPTION_BOOLEAN = 5
OPTION_USER = 6
OPTION_NUMBER = 10

Options = Mapping[str, Any] | Sequence[Json] | None


def _infer_type(value: Any) -> int:
    if isinstance(value, bool):  # before int: bool is an int subclass
        return OPTION_BOOLEAN
    if isinstance(value, int):
        return OPTION_INTEGER
    if isinstance(value, float):
        return OPTION_NUMBER
    if isinstance(value, FakeUser):
        return OPTION_USER
    return OPTION_STRING


def _typed_options(
    values: Mapping[str, Any], definitions: Sequence[Json], focused: str | None, resolved: Json, guild: FakeGuild | None
) -> list[Json]:
    declared = {str(d.get("name")): int(d.get("type") or OPTION_STRING) for d in definitions}
    names = list(values)
    if focused is not None and focused not in values:
        names.append(focused)
    options: list[Json] = []
    for name in names:
        value = values.get(name, "")
        kind = declared.get(name, _infer_type(value))
        if isinstance(value, FakeUser):
            resolved.setdefault("users", {})[str(value.id)] = value.payload()
            if guild is not None:
                member = member_payload(value, guild, with_user=False)
                resolved.setdefault("members", {})[str(value.id)] = member
            value = str(value.id)
        option: Json = {"name": name, "type": kind, "value": value}
        if name == focused:
            option["focused"] = True
            option["value"] = str(value)  # Discord sends what the user has typed so far
        options.append(option)
    return options


def command_data(
    full_name: str,
    values: Options,
    registered: Json | None,
    *,
    command_id: int,
    focused: str | None = None,
    guild: FakeGuild | None = None,
) -> Json:
    """``data`` of an APPLICATION_COMMAND or AUTOCOMPLETE interaction.

    ``full_name`` may name a subcommand: ``"fact add"`` or ``"admin facts reload"``.
    ``values`` is a mapping of option name to value, or a list of raw option
    objects used as they are.
    """
    root, *path = full_name.split()
    resolved: Json = {}
    definitions: Sequence[Json] = (registered or {}).get("options") or []
    parents: list[Json] = []
    for part in path:
        sub = next((d for d in definitions if d.get("name") == part), {})
        kind = int(sub.get("type") or (OPTION_SUB_COMMAND_GROUP if part != path[-1] else OPTION_SUB_COMMAND))
        parents.append({"name": part, "type": kind, "options": []})
        definitions = sub.get("options") or []
    if values is None:
        values = {}
    leaf = (
        _typed_options(values, definitions, focused, resolved, guild)
        if isinstance(values, Mapping)
        else [dict(option) for option in values]
    )
    options = leaf
    for parent in reversed(parents):
        parent["options"] = options
        options = [parent]
    data: Json = {"id": str(command_id), "name": root, "type": 1, "options": options}
    if registered is not None and registered.get("guild_id"):
        data["guild_id"] = registered["guild_id"]
    if resolved:
        data["resolved"] = resolved
    return data


def iter_components(components: Sequence[Json]) -> Iterator[Json]:
    """Every component of a message, depth first (action rows, sections, containers...)."""
    for component in components:
        yield component
        yield from iter_components(component.get("components") or [])
        accessory = component.get("accessory")
        if isinstance(accessory, dict):
            yield accessory


def find_component(message: Json, custom_id: str) -> Json:
    for component in iter_components(message.get("components") or []):
        if component.get("custom_id") == custom_id:
            return component
    available = [c.get("custom_id") for c in iter_components(message.get("components") or []) if c.get("custom_id")]
    raise LookupError(f"message {message.get('id')} has no component {custom_id!r}; it has {available}")
