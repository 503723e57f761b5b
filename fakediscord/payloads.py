"""JSON payloads shaped like Discord's, with every key discord.py reads.

discord.py indexes many fields directly (``data['flags']`` on members,
``data['position']`` on channels, ``data['attachment_size_limit']`` on
interactions...) and raises ``KeyError`` on a missing one, deep inside its
event parser where the error is easy to miss. These builders are the one
place that knows those shapes; they are pure functions of their arguments.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .config import (
    INTENT_GUILD_MEMBERS,
    INTENT_GUILD_PRESENCES,
    INTENT_MESSAGE_CONTENT,
    FakeConfig,
    FakeGuild,
    FakeUser,
)
from .ids import iso_timestamp, snowflake_time
from .records import Json

# Application flags (https://discord.com/developers/docs/resources/application#application-object-application-flags).
_APP_FLAG_PRESENCE_LIMITED = 1 << 13
_APP_FLAG_GUILD_MEMBERS_LIMITED = 1 << 15
_APP_FLAG_MESSAGE_CONTENT_LIMITED = 1 << 19
_APP_FLAG_COMMAND_BADGE = 1 << 23

MESSAGE_FLAG_EPHEMERAL = 1 << 6
MESSAGE_FLAG_LOADING = 1 << 7

ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024


def application_flags(config: FakeConfig) -> int:
    """The flags a verified-less bot in under 100 guilds has for its granted intents."""
    flags = _APP_FLAG_COMMAND_BADGE
    if config.intents_allowed & INTENT_GUILD_PRESENCES:
        flags |= _APP_FLAG_PRESENCE_LIMITED
    if config.intents_allowed & INTENT_GUILD_MEMBERS:
        flags |= _APP_FLAG_GUILD_MEMBERS_LIMITED
    if config.intents_allowed & INTENT_MESSAGE_CONTENT:
        flags |= _APP_FLAG_MESSAGE_CONTENT_LIMITED
    return flags


def current_user_payload(config: FakeConfig) -> Json:
    """GET /users/@me for the bot."""
    data = config.bot.payload()
    data.update({"verified": True, "mfa_enabled": False, "locale": "en-US", "email": None, "bot": True})
    return data


def application_payload(config: FakeConfig, users: dict[int, FakeUser]) -> Json:
    """GET /oauth2/applications/@me (and /applications/@me)."""
    data: Json = {
        "id": str(config.application_id),
        "name": config.bot.username,
        "icon": None,
        "description": "A fake application served by fakediscord",
        "summary": "",
        "type": None,
        "bot_public": False,
        "bot_require_code_grant": False,
        "verify_key": "0" * 64,
        "flags": application_flags(config),
        "hook": True,
        "is_monetized": False,
        "bot": config.bot.payload(),
        "owner": config.owner.payload(),
        "team": None,
        "redirect_uris": [],
        "interactions_endpoint_url": None,
        "approximate_guild_count": len(config.guilds),
        "tags": [],
    }
    if config.team_member_ids:
        # A team-owned application's "owner" is a pseudo-user named after the team.
        data["owner"] = FakeUser(config.team_id, f"team{config.team_id}", discriminator="0000").payload()
        data["team"] = {
            "id": str(config.team_id),
            "name": "Fact Team",
            "icon": None,
            "owner_user_id": str(config.team_member_ids[0]),
            "members": [
                {
                    "team_id": str(config.team_id),
                    "membership_state": 2,  # accepted
                    "permissions": ["*"],
                    "role": "admin" if index == 0 else "developer",
                    "user": users[uid].payload(),
                }
                for index, uid in enumerate(config.team_member_ids)
            ],
        }
    return data


def role_payload(role_id: int, name: str, permissions: int, position: int, *, bot_id: int | None = None) -> Json:
    data: Json = {
        "id": str(role_id),
        "name": name,
        "permissions": str(permissions),
        "position": position,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
        "hoist": False,
        "managed": bot_id is not None,
        "mentionable": False,
        "icon": None,
        "unicode_emoji": None,
        "flags": 0,
    }
    if bot_id is not None:
        data["tags"] = {"bot_id": str(bot_id)}
    return data


def text_channel_payload(guild_id: int, channel_id: int, name: str, position: int) -> Json:
    return {
        "id": str(channel_id),
        "type": 0,
        "guild_id": str(guild_id),
        "name": name,
        "position": position,
        "permission_overwrites": [],
        "parent_id": None,
        "topic": None,
        "nsfw": False,
        "rate_limit_per_user": 0,
        "last_message_id": None,
        "flags": 0,
    }


def dm_channel_payload(channel_id: int, recipient: FakeUser) -> Json:
    return {
        "id": str(channel_id),
        "type": 1,
        "recipients": [recipient.payload()],
        "last_message_id": None,
        "flags": 0,
    }


def member_payload(user: FakeUser, guild: FakeGuild, *, with_user: bool = True) -> Json:
    """A guild member; ``with_user=False`` for the ``member`` key of a message."""
    data: Json = {
        "roles": [str(guild.bot_role_id)] if user.bot else [],
        "joined_at": iso_timestamp(max(snowflake_time(guild.id), snowflake_time(user.id))),
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
        "nick": None,
        "avatar": None,
        "banner": None,
        "communication_disabled_until": None,
    }
    if with_user:
        data["user"] = user.payload()
    return data


def guild_create_payload(config: FakeConfig, guild: FakeGuild, users: Sequence[FakeUser]) -> Json:
    """GUILD_CREATE: the whole guild, members included, so no chunking is needed.

    ``member_count`` equals the members sent, which makes discord.py consider
    the guild fully chunked even with the members intent on.
    """
    return {
        "id": str(guild.id),
        "name": guild.name,
        "icon": None,
        "splash": None,
        "discovery_splash": None,
        "banner": None,
        "description": None,
        "owner_id": str(guild.owner_id),
        "region": None,
        "afk_channel_id": None,
        "afk_timeout": 300,
        "verification_level": 1,
        "default_message_notifications": 1,
        "explicit_content_filter": 2,
        "mfa_level": 0,
        "nsfw_level": 0,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "premium_progress_bar_enabled": False,
        "preferred_locale": "en-US",
        "system_channel_id": str(guild.channel_id),
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "public_updates_channel_id": None,
        "safety_alerts_channel_id": None,
        "vanity_url_code": None,
        "features": [],
        "max_members": 500000,
        "max_video_channel_users": 25,
        "application_id": None,
        "joined_at": iso_timestamp(snowflake_time(guild.id)),
        "large": False,
        "unavailable": False,
        "lazy": True,
        "member_count": len(users),
        "roles": [
            role_payload(guild.id, "@everyone", config.everyone_permissions, 0),
            role_payload(guild.bot_role_id, config.bot.username, config.bot_permissions, 1, bot_id=config.bot.id),
        ],
        "channels": [
            text_channel_payload(guild.id, cid, name, position)
            for position, (cid, name) in enumerate(guild.text_channels)
        ],
        "members": [member_payload(user, guild) for user in users],
        "presences": [],
        "voice_states": [],
        "threads": [],
        "emojis": [],
        "stickers": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
        "embedded_activities": [],
        "incidents_data": None,
    }


def ready_payload(
    config: FakeConfig, session_id: str, resume_gateway_url: str, *, guilds: Sequence[Any] | None = None
) -> Json:
    return {
        "v": 10,
        "user": current_user_payload(config),
        "application": {"id": str(config.application_id), "flags": application_flags(config)},
        "guilds": [{"id": str(g.id), "unavailable": True} for g in (config.guilds if guilds is None else guilds)],
        "session_id": session_id,
        "session_type": "normal",
        "resume_gateway_url": resume_gateway_url,
        "private_channels": [],
        "relationships": [],
        "presences": [],
        "guild_join_requests": [],
        "user_settings": {},
        "geo_ordered_rtc_regions": ["local"],
        "auth": {},
        "_trace": ['["fakediscord",{"micros":0}]'],
    }


def message_payload(
    *,
    message_id: int,
    channel_id: int,
    guild: FakeGuild | None,
    author: FakeUser,
    content: str,
    mentions: Sequence[FakeUser] = (),
    attachments: Sequence[Json] = (),
    embeds: Sequence[Json] = (),
    components: Sequence[Json] = (),
    flags: int = 0,
    reference: Json | None = None,
    referenced_message: Json | None = None,
    webhook_id: int | None = None,
    application_id: int | None = None,
    interaction_metadata: Json | None = None,
    nonce: str | int | None = None,
    tts: bool = False,
) -> Json:
    """A full message object, as in MESSAGE_CREATE and REST responses."""
    data: Json = {
        "id": str(message_id),
        "type": 19 if reference is not None else (20 if interaction_metadata is not None else 0),
        "channel_id": str(channel_id),
        "author": author.payload(),
        "content": content,
        "timestamp": iso_timestamp(snowflake_time(message_id)),
        "edited_timestamp": None,
        "tts": tts,
        "mention_everyone": False,
        "mentions": [
            {**user.payload(), **({"member": member_payload(user, guild, with_user=False)} if guild else {})}
            for user in mentions
        ],
        "mention_roles": [],
        "mention_channels": [],
        "attachments": list(attachments),
        "embeds": list(embeds),
        "reactions": [],
        "pinned": False,
        "flags": flags,
        "components": list(components),
        "sticker_items": [],
    }
    if guild is not None:
        data["guild_id"] = str(guild.id)
        if webhook_id is None:
            data["member"] = member_payload(author, guild, with_user=False)
    if reference is not None:
        data["message_reference"] = reference
        data["referenced_message"] = referenced_message
    if webhook_id is not None:
        data["webhook_id"] = str(webhook_id)
    if application_id is not None:
        data["application_id"] = str(application_id)
    if interaction_metadata is not None:
        data["interaction_metadata"] = interaction_metadata
    if nonce is not None:
        data["nonce"] = nonce
    return data


def attachment_payload(
    attachment_id: int, filename: str, size: int, content_type: str | None, url: str, description: str | None
) -> Json:
    data: Json = {
        "id": str(attachment_id),
        "filename": filename,
        "size": size,
        "url": url,
        "proxy_url": url,
        "content_type": content_type,
        "flags": 0,
    }
    if description:
        data["description"] = description
    return data


def interaction_payload(
    *,
    config: FakeConfig,
    interaction_id: int,
    token: str,
    type_: int,
    data: Json,
    user: FakeUser,
    guild: FakeGuild | None,
    channel: Json,
    message: Json | None = None,
) -> Json:
    """INTERACTION_CREATE, with the member (guild) or user (DM) who acted."""
    app_permissions = config.bot_permissions | config.everyone_permissions
    payload: Json = {
        "id": str(interaction_id),
        "application_id": str(config.application_id),
        "type": type_,
        "data": data,
        "token": token,
        "version": 1,
        "channel_id": channel["id"],
        "channel": channel,
        "app_permissions": str(app_permissions),
        "locale": "en-US",
        "entitlements": [],
        "entitlement_sku_ids": [],
        "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
    }
    if guild is not None:
        member = member_payload(user, guild)
        member["permissions"] = str(config.everyone_permissions)
        payload.update(
            guild_id=str(guild.id),
            guild_locale="en-US",
            guild={"id": str(guild.id), "locale": "en-US", "features": []},
            member=member,
            context=0,
            authorizing_integration_owners={"0": str(guild.id)},
        )
    else:
        payload.update(user=user.payload(), context=1, authorizing_integration_owners={"0": "0"})
    if message is not None:
        payload["message"] = message
    return payload


def stored_command(command: Json, *, command_id: int, application_id: int, guild_id: int | None, version: int) -> Json:
    """A registered application command as Discord returns it after a PUT/POST."""
    data: Json = {
        "type": 1,
        "description": "",
        "options": [],
        "default_member_permissions": None,
        "dm_permission": True,
        "nsfw": False,
        "contexts": None,
        "integration_types": [0],
        "name_localizations": None,
        "description_localizations": None,
    }
    data.update(command)
    data.update(id=str(command_id), application_id=str(application_id), version=str(version))
    if guild_id is not None:
        data["guild_id"] = str(guild_id)
    return data
