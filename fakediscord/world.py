"""The fake's mutable state: who exists, which messages and commands are stored,
and every record a test may read.

The REST API, the gateway and the test-side ``FakeDiscord`` all read and
write this one object; each record appended is followed by
``changes.notify()`` so that waiters wake up.
"""

from __future__ import annotations

import re
from typing import Any

from .config import FakeConfig, FakeGuild, FakeUser
from .ids import SnowflakeFactory
from .payloads import dm_channel_payload, text_channel_payload
from .records import (
    EditedMessage,
    GatewayFrame,
    InteractionRecord,
    Json,
    PostedMessage,
    RecordedRequest,
)
from .waiting import Changes

_MENTION = re.compile(r"<@!?(\d+)>")


class World:
    def __init__(self, config: FakeConfig) -> None:
        self.config = config
        self.ids = SnowflakeFactory()
        self.changes = Changes()
        self.users: dict[int, FakeUser] = {user.id: user for user in config.users}
        for uid in config.team_member_ids:
            self.users.setdefault(uid, FakeUser(uid, f"member{len(self.users)}"))
        self.guilds: dict[int, FakeGuild] = {guild.id: guild for guild in config.guilds}
        self._channel_guild: dict[int, FakeGuild] = {
            cid: guild for guild in config.guilds for cid, _ in guild.text_channels
        }
        self._dm_by_user: dict[int, int] = {}
        self._dm_user: dict[int, int] = {}
        self.messages: dict[int, Json] = {}
        # (guild id or None for global) -> command name and type -> stored command
        self.commands: dict[int | None, dict[tuple[str, int], Json]] = {}
        self.interactions: dict[int, InteractionRecord] = {}
        self.interactions_by_token: dict[str, InteractionRecord] = {}
        self.files: dict[int, tuple[str, str | None, bytes]] = {}
        self.base_url = ""

        self.requests: list[RecordedRequest] = []
        self.gateway_log: list[GatewayFrame] = []
        self.posted: list[PostedMessage] = []
        self.edits: list[EditedMessage] = []
        # Channel messages no wait_for_reply has returned yet, oldest first:
        # two waits in a row return two different replies, and a wait scans
        # only what is still pending (a benchmark posts thousands).
        self.pending_replies: list[PostedMessage] = []
        # Followups a wait_for_followup already returned.
        self.consumed: set[int] = set()

    # -- lookups -----------------------------------------------------------

    def user(self, user_id: int) -> FakeUser:
        try:
            return self.users[user_id]
        except KeyError:
            raise KeyError(f"unknown user id {user_id}; add it to FakeConfig.extra_users") from None

    def guild_of_channel(self, channel_id: int) -> FakeGuild | None:
        return self._channel_guild.get(channel_id)

    def knows_channel(self, channel_id: int) -> bool:
        return channel_id in self._channel_guild or channel_id in self._dm_user

    def dm_channel_id(self, user: FakeUser) -> int:
        """The DM channel between the bot and ``user``, opened on first use."""
        channel_id = self._dm_by_user.get(user.id)
        if channel_id is None:
            channel_id = self.ids.next()
            self._dm_by_user[user.id] = channel_id
            self._dm_user[channel_id] = user.id
            self.users.setdefault(user.id, user)
        return channel_id

    def channel_payload(self, channel_id: int) -> Json:
        guild = self._channel_guild.get(channel_id)
        if guild is not None:
            for position, (cid, name) in enumerate(guild.text_channels):
                if cid == channel_id:
                    return text_channel_payload(guild.id, cid, name, position)
        user_id = self._dm_user.get(channel_id)
        if user_id is not None:
            return dm_channel_payload(channel_id, self.users[user_id])
        raise KeyError(f"unknown channel id {channel_id}")

    def mentioned_users(self, content: str) -> list[FakeUser]:
        seen: dict[int, FakeUser] = {}
        for match in _MENTION.finditer(content):
            uid = int(match.group(1))
            if uid in self.users:
                seen.setdefault(uid, self.users[uid])
        return list(seen.values())

    def bot_permissions(self, guild: FakeGuild) -> int:
        return self.config.bot_permissions | self.config.everyone_permissions

    # -- files -------------------------------------------------------------

    def store_file(self, filename: str, content_type: str | None, data: bytes) -> tuple[int, str]:
        """Keep a file's bytes so its CDN-style URL serves them; return (id, url)."""
        attachment_id = self.ids.next()
        self.files[attachment_id] = (filename, content_type, data)
        return attachment_id, f"{self.base_url}/attachments/{attachment_id}/{filename}"

    # -- records -----------------------------------------------------------

    def record(self, item: Any) -> None:
        """Append one record to its log and wake waiters."""
        if isinstance(item, RecordedRequest):
            self.requests.append(item)
        elif isinstance(item, GatewayFrame):
            self.gateway_log.append(item)
        elif isinstance(item, PostedMessage):
            self.posted.append(item)
            if item.via == "channel":
                self.pending_replies.append(item)
        elif isinstance(item, EditedMessage):
            self.edits.append(item)
        else:  # pragma: no cover - programming error
            raise TypeError(f"cannot record {type(item).__name__}")
        self.changes.notify()
