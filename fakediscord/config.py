"""What the fake Discord knows before a test starts: users, guilds, rules.

Everything here is a frozen value; the running server keeps its mutable
state elsewhere (``world.py``). A test builds a ``FakeConfig`` with
``dataclasses.replace`` or keyword arguments to change one rule, e.g.
``FakeConfig(intents_allowed=0)`` to refuse every privileged intent.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .ids import fixed_snowflake

# Gateway intents (https://discord.com/developers/docs/events/gateway#gateway-intents).
INTENT_GUILDS = 1 << 0
INTENT_GUILD_MEMBERS = 1 << 1
INTENT_GUILD_PRESENCES = 1 << 8
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_DIRECT_MESSAGES = 1 << 12
INTENT_MESSAGE_CONTENT = 1 << 15
PRIVILEGED_INTENTS = INTENT_GUILD_MEMBERS | INTENT_GUILD_PRESENCES | INTENT_MESSAGE_CONTENT

# Permission bits the fake checks or hands out.
PERM_CREATE_INSTANT_INVITE = 1 << 0
PERM_ADD_REACTIONS = 1 << 6
PERM_VIEW_CHANNEL = 1 << 10
PERM_SEND_MESSAGES = 1 << 11
PERM_MANAGE_MESSAGES = 1 << 13
PERM_EMBED_LINKS = 1 << 14
PERM_ATTACH_FILES = 1 << 15
PERM_READ_MESSAGE_HISTORY = 1 << 16
PERM_USE_EXTERNAL_EMOJIS = 1 << 18
PERM_CHANGE_NICKNAME = 1 << 26
PERM_USE_APPLICATION_COMMANDS = 1 << 31
PERM_SEND_MESSAGES_IN_THREADS = 1 << 38

EVERYONE_PERMISSIONS = (
    PERM_CREATE_INSTANT_INVITE
    | PERM_ADD_REACTIONS
    | PERM_VIEW_CHANNEL
    | PERM_SEND_MESSAGES
    | PERM_EMBED_LINKS
    | PERM_ATTACH_FILES
    | PERM_READ_MESSAGE_HISTORY
    | PERM_USE_EXTERNAL_EMOJIS
    | PERM_CHANGE_NICKNAME
    | PERM_USE_APPLICATION_COMMANDS
    | PERM_SEND_MESSAGES_IN_THREADS
)
"""Roughly what @everyone gets in a freshly created server."""


@dataclass(frozen=True)
class FakeUser:
    """A Discord user; ``payload()`` is the JSON Discord sends for it."""

    id: int
    username: str
    global_name: str | None = None
    bot: bool = False
    discriminator: str = "0"

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"

    def payload(self) -> dict[str, object]:
        data: dict[str, object] = {
            "id": str(self.id),
            "username": self.username,
            "discriminator": self.discriminator,
            "global_name": self.global_name,
            "avatar": None,
            "public_flags": 0,
            "flags": 0,
            "banner": None,
            "accent_color": None,
            "avatar_decoration_data": None,
        }
        if self.bot:
            data["bot"] = True
        return data


@dataclass(frozen=True)
class FakeGuild:
    """A guild with text channels; the first channel is the default one."""

    id: int
    name: str
    text_channels: tuple[tuple[int, str], ...]
    owner_id: int
    bot_role_id: int

    @property
    def channel_id(self) -> int:
        return self.text_channels[0][0]


def _default_bot() -> FakeUser:
    return FakeUser(fixed_snowflake(1), "FactBot", None, bot=True, discriminator="4821")


def _default_owner() -> FakeUser:
    return FakeUser(fixed_snowflake(2), "owner", "The Owner")


def _default_tester() -> FakeUser:
    return FakeUser(fixed_snowflake(3), "tester", "Tess Ter")


def _default_guilds() -> tuple[FakeGuild, ...]:
    return (
        FakeGuild(
            id=fixed_snowflake(10),
            name="Fact Lovers",
            text_channels=((fixed_snowflake(11), "general"), (fixed_snowflake(12), "facts")),
            owner_id=fixed_snowflake(2),
            bot_role_id=fixed_snowflake(13),
        ),
    )


@dataclass(frozen=True)
class FakeConfig:
    """Rules and fixtures of one fake Discord.

    ``token`` is the only token accepted, on REST (else 401) and on IDENTIFY
    (else close 4004). ``intents_allowed`` is the set of privileged intents
    the application was granted; asking for any other one closes the gateway
    with 4014, which discord.py turns into ``PrivilegedIntentsRequired``.
    ``team_member_ids`` non-empty makes the application team-owned (the first
    member is the team's admin, the rest developers), as ``Bot.is_owner``
    reads it.
    """

    token: str = "fake-bot-token"
    bot: FakeUser = field(default_factory=_default_bot)
    owner: FakeUser = field(default_factory=_default_owner)
    tester: FakeUser = field(default_factory=_default_tester)
    extra_users: tuple[FakeUser, ...] = ()
    team_member_ids: tuple[int, ...] = ()
    team_id: int = fixed_snowflake(20)
    guilds: tuple[FakeGuild, ...] = field(default_factory=_default_guilds)
    intents_allowed: int = PRIVILEGED_INTENTS
    bot_permissions: int = EVERYONE_PERMISSIONS | PERM_MANAGE_MESSAGES
    everyone_permissions: int = EVERYONE_PERMISSIONS
    heartbeat_interval_ms: int = 1000
    # Real Discord echoes the bot's own messages back as MESSAGE_CREATE, and
    # strips content from guild messages when the message content intent is
    # off; both are on so the bot under test sees what it would in production.
    echo_bot_messages: bool = True
    enforce_message_content_intent: bool = True
    # Discord forgets an interaction that was not answered within 3 s.
    interaction_response_deadline: float | None = 3.0
    max_replay_events: int = 10_000

    @property
    def application_id(self) -> int:
        # Applications created since 2020 share their bot user's id.
        return self.bot.id

    @property
    def users(self) -> tuple[FakeUser, ...]:
        return (self.bot, self.owner, self.tester, *self.extra_users)
