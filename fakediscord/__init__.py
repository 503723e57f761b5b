"""A fake Discord that a real discord.py client talks to over the wire.

An aiohttp server on 127.0.0.1 speaks enough of Discord's REST API v10 and
gateway for a ``commands.Bot`` to log in, connect, receive events and reply.
Tests play the users and read what the bot sent::

    async with FakeDiscord() as fake:            # starts, points discord.py here
        async with fake.run_bot(make_bot()):     # login, connect, READY
            await fake.send_message("!ping")
            reply = await fake.wait_for_reply(fake.channel_id)
            assert reply.content == "pong"

See ``FakeDiscord`` for the whole test-side API and ``FakeConfig`` for what
can be configured (token, privileged intents granted, owner, team, guilds).
"""

from __future__ import annotations

from .client import patch_discord, running, speed_up
from .config import (
    INTENT_DIRECT_MESSAGES,
    INTENT_GUILD_MEMBERS,
    INTENT_GUILD_MESSAGES,
    INTENT_GUILD_PRESENCES,
    INTENT_GUILDS,
    INTENT_MESSAGE_CONTENT,
    PRIVILEGED_INTENTS,
    FakeConfig,
    FakeGuild,
    FakeUser,
)
from .fake import FakeDiscord
from .ids import SnowflakeFactory, fixed_snowflake, snowflake_time
from .records import (
    CallbackType,
    EditedMessage,
    GatewayFrame,
    InteractionRecord,
    InteractionType,
    Op,
    PostedMessage,
    RecordedAttachment,
    RecordedRequest,
)
from .waiting import FakeDiscordTimeout

__all__ = [
    "INTENT_DIRECT_MESSAGES",
    "INTENT_GUILDS",
    "INTENT_GUILD_MEMBERS",
    "INTENT_GUILD_MESSAGES",
    "INTENT_GUILD_PRESENCES",
    "INTENT_MESSAGE_CONTENT",
    "PRIVILEGED_INTENTS",
    "CallbackType",
    "EditedMessage",
    "FakeConfig",
    "FakeDiscord",
    "FakeDiscordTimeout",
    "FakeGuild",
    "FakeUser",
    "GatewayFrame",
    "InteractionRecord",
    "InteractionType",
    "Op",
    "PostedMessage",
    "RecordedAttachment",
    "RecordedRequest",
    "SnowflakeFactory",
    "fixed_snowflake",
    "patch_discord",
    "running",
    "snowflake_time",
    "speed_up",
]
