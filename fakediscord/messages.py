"""Turning what the bot sends into stored messages, as Discord does.

Shared by the three ways a bot creates or edits a message: the channel
routes, the interaction callback and the interaction webhook. Each returns
the full message object Discord would answer with; the caller records it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from .config import FakeUser
from .ids import iso_timestamp
from .payloads import MESSAGE_FLAG_LOADING, attachment_payload, message_payload
from .records import Json, RecordedAttachment
from .world import World

_EDITABLE = ("content", "embeds", "components", "flags", "allowed_mentions", "poll")


def _attachments(world: World, payload: Json, files: Sequence[RecordedAttachment], keep: Sequence[Json]) -> list[Json]:
    """Attachment objects for a create or edit.

    ``payload["attachments"]`` lists kept attachments by id and new ones by
    the index of their ``files[n]`` part; without it, every file is new.
    """
    by_index = {index: f for index, f in enumerate(files)}
    by_field = {f.field: f for f in files}
    kept = {str(a["id"]): a for a in keep}
    result: list[Json] = []
    listed = payload.get("attachments")
    if listed is None:
        listed = [{"id": i} for i in range(len(files))] + [{"id": a["id"]} for a in keep]
    for entry in listed:
        key = str(entry.get("id"))
        if key in kept:
            result.append(kept[key])
            continue
        index = int(key) if key.isdigit() and int(key) < 4096 else -1
        upload = by_field.get(f"files[{index}]") or by_index.get(index)
        if upload is None:
            continue
        attachment_id, url = world.store_file(upload.filename, upload.content_type, upload.data)
        result.append(
            attachment_payload(
                attachment_id, upload.filename, len(upload.data), upload.content_type, url, entry.get("description")
            )
        )
    return result


def _mentions(world: World, content: str, allowed: Json | None) -> list[FakeUser]:
    """Users a message pings: those in its text that ``allowed_mentions`` lets through."""
    users = world.mentioned_users(content)
    if allowed is None:
        return users
    parse = allowed.get("parse") or []
    explicit = {int(uid) for uid in allowed.get("users") or []}
    return [u for u in users if "users" in parse or u.id in explicit]


def create_message(
    world: World,
    *,
    channel_id: int,
    author: FakeUser,
    payload: Json,
    files: Sequence[RecordedAttachment] = (),
    webhook_id: int | None = None,
    interaction_metadata: Json | None = None,
    extra_flags: int = 0,
) -> Json:
    """Store and return the message created in ``channel_id`` from ``payload``."""
    guild = world.guild_of_channel(channel_id)
    reference = payload.get("message_reference")
    referenced: Json | None = None
    ref_json: Json | None = None
    if isinstance(reference, dict) and reference.get("message_id"):
        referenced = world.messages.get(int(reference["message_id"]))
        ref_json = {
            "type": 0,
            "message_id": str(reference["message_id"]),
            "channel_id": str(reference.get("channel_id") or channel_id),
            **({"guild_id": str(guild.id)} if guild else {}),
        }
    content = str(payload.get("content") or "")
    message = message_payload(
        message_id=world.ids.next(),
        channel_id=channel_id,
        guild=guild,
        author=author,
        content=content,
        mentions=_mentions(world, content, payload.get("allowed_mentions")),
        attachments=_attachments(world, payload, files, ()),
        embeds=payload.get("embeds") or [],
        components=payload.get("components") or [],
        flags=int(payload.get("flags") or 0) | extra_flags,
        reference=ref_json,
        referenced_message=referenced,
        webhook_id=webhook_id,
        application_id=world.config.application_id if webhook_id is not None else None,
        interaction_metadata=interaction_metadata,
        nonce=payload.get("nonce"),
        tts=bool(payload.get("tts")),
    )
    world.messages[int(message["id"])] = message
    return message


def edit_message(world: World, message: Json, payload: Json, files: Sequence[RecordedAttachment] = ()) -> Json:
    """Apply an edit to a stored message in place and return it."""
    for key in _EDITABLE:
        if key in payload and payload[key] is not None:
            message[key] = payload[key]
    if "content" in payload:
        message["content"] = str(payload.get("content") or "")
        pinged = _mentions(world, message["content"], payload.get("allowed_mentions"))
        message["mentions"] = [u.payload() for u in pinged]
    if files or "attachments" in payload:
        message["attachments"] = _attachments(world, payload, files, message.get("attachments") or [])
    # Editing a deferred ("thinking...") response turns it into a real message.
    message["flags"] = int(message.get("flags") or 0) & ~MESSAGE_FLAG_LOADING
    message.pop("allowed_mentions", None)
    message["edited_timestamp"] = iso_timestamp(dt.datetime.now(dt.UTC))
    return message
