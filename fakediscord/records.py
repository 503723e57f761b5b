"""What the fake saw: REST requests, gateway frames, messages, interactions.

Tests read these to assert on the bot's behaviour at the wire level. They
are plain dataclasses that the server appends to and never rewrites, except
``InteractionRecord``, which fills in as the bot answers.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

Json = dict[str, Any]


class Op(enum.IntEnum):
    """Gateway opcodes."""

    DISPATCH = 0
    HEARTBEAT = 1
    IDENTIFY = 2
    PRESENCE_UPDATE = 3
    VOICE_STATE_UPDATE = 4
    RESUME = 6
    RECONNECT = 7
    REQUEST_GUILD_MEMBERS = 8
    INVALID_SESSION = 9
    HELLO = 10
    HEARTBEAT_ACK = 11


class InteractionType(enum.IntEnum):
    PING = 1
    APPLICATION_COMMAND = 2
    MESSAGE_COMPONENT = 3
    APPLICATION_COMMAND_AUTOCOMPLETE = 4
    MODAL_SUBMIT = 5


class CallbackType(enum.IntEnum):
    """How the bot answered an interaction (``InteractionResponseType``)."""

    PONG = 1
    CHANNEL_MESSAGE_WITH_SOURCE = 4
    DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE = 5
    DEFERRED_UPDATE_MESSAGE = 6
    UPDATE_MESSAGE = 7
    APPLICATION_COMMAND_AUTOCOMPLETE_RESULT = 8
    MODAL = 9
    LAUNCH_ACTIVITY = 12


@dataclass(frozen=True)
class RecordedAttachment:
    """One file part of a multipart request."""

    field: str
    filename: str
    content_type: str | None
    data: bytes


@dataclass
class RecordedRequest:
    """One REST request as the fake received and answered it.

    ``path`` is relative to the API base (``/channels/1/messages``); ``json``
    is the parsed JSON body, or the parsed ``payload_json`` part of a
    multipart body.
    """

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    json: Any
    attachments: list[RecordedAttachment]
    at: float
    status: int = 0
    response: Any = None
    handled: bool = True


@dataclass(frozen=True)
class GatewayFrame:
    """One frame the client sent over the gateway."""

    op: int
    d: Any
    connection: int
    path: str
    at: float


@dataclass
class PostedMessage:
    """A message the bot created: in a channel, as an interaction response or followup.

    ``payload`` is what the bot sent (content, embeds, components,
    ``message_reference``...); ``message`` is the full message object the
    fake stored and answered with (its ``id`` is the message id).
    """

    id: int
    channel_id: int
    payload: Json
    attachments: list[RecordedAttachment]
    message: Json
    via: str  # "channel", "interaction" or "followup"
    interaction_id: int | None = None

    @property
    def content(self) -> str:
        return str(self.payload.get("content") or "")

    @property
    def embeds(self) -> list[Json]:
        return list(self.payload.get("embeds") or [])

    @property
    def components(self) -> list[Json]:
        return list(self.payload.get("components") or [])

    @property
    def reference_id(self) -> int | None:
        """The id of the message this one replies to, if any."""
        ref = self.payload.get("message_reference")
        if isinstance(ref, dict) and ref.get("message_id") is not None:
            return int(ref["message_id"])
        return None

    @property
    def ephemeral(self) -> bool:
        return bool(int(self.payload.get("flags") or 0) & 64)


@dataclass(frozen=True)
class EditedMessage:
    """A PATCH of a message by the bot (channel edit, or interaction edit)."""

    message_id: int
    channel_id: int
    payload: Json
    attachments: list[RecordedAttachment]
    interaction_id: int | None = None


@dataclass
class InteractionRecord:
    """An interaction the fake dispatched, and everything the bot answered.

    ``callback_type`` / ``callback_data`` are the body of the
    ``/interactions/{id}/{token}/callback`` POST (``data`` holds the
    message, the autocomplete ``choices`` or the modal). Followups and edits
    arrive later through the webhook routes and are appended as they come.
    """

    id: int
    token: str
    type: int
    payload: Json
    channel_id: int
    dispatched_at: float
    callback_type: int | None = None
    callback_data: Json | None = None
    callback_attachments: list[RecordedAttachment] = field(default_factory=list)
    original_message_id: int | None = None
    followups: list[PostedMessage] = field(default_factory=list)
    edits: list[EditedMessage] = field(default_factory=list)
    responded_at: float | None = None

    @property
    def responded(self) -> bool:
        return self.callback_type is not None

    @property
    def content(self) -> str:
        """The text of the response message (after the latest edit)."""
        for edit in reversed(self.edits):
            if edit.message_id == self.original_message_id and "content" in edit.payload:
                return str(edit.payload.get("content") or "")
        return str((self.callback_data or {}).get("content") or "")

    @property
    def choices(self) -> list[Json]:
        """The autocomplete choices (type 8 callback)."""
        return list((self.callback_data or {}).get("choices") or [])
