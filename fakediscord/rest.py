"""The REST API under ``/api/v10``: routing, auth, injected faults, recording.

Every request is recorded in ``world.requests`` before it is answered, the
unknown ones too (404, ``handled=False``) so a test can see calls the fake
does not implement. Route handlers live in small classes (this module's
``CoreRoutes``, ``interaction_routes``, ``command_routes``), each listing
its routes as (method, path pattern, handler, needs bot auth).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import hdrs, web

from .config import PERM_ATTACH_FILES, PERM_SEND_MESSAGES, PERM_VIEW_CHANNEL
from .gateway import GatewayServer
from .http_utils import Reply, error, no_content, not_found, ok, read_body
from .messages import create_message, edit_message
from .payloads import (
    application_payload,
    current_user_payload,
    guild_create_payload,
    member_payload,
)
from .records import EditedMessage, Json, PostedMessage, RecordedAttachment, RecordedRequest
from .validation import EMPTY_MESSAGE, form_error, is_empty_message, message_problems
from .world import World

API_PREFIX = "/api/v10"


@dataclass
class Call:
    """One parsed request, as handlers see it."""

    request: web.Request
    path: str
    params: dict[str, str]
    query: dict[str, str]
    json: Any
    files: list[RecordedAttachment]
    form: dict[str, str]

    def id(self, name: str) -> int:
        return int(self.params[name])

    @property
    def body(self) -> Json:
        return self.json if isinstance(self.json, dict) else {}


Handler = Callable[[Call], Awaitable[Reply]]
Route = tuple[str, str, Handler, bool]


@dataclass
class Fault:
    """An injected failure for the next ``remaining`` requests that match."""

    method: str
    pattern: re.Pattern[str]
    reply: Callable[[], Reply]
    remaining: int

    def matches(self, method: str, path: str) -> bool:
        return self.remaining > 0 and self.method in (method, "*") and bool(self.pattern.search(path))


class RestApi:
    def __init__(self, world: World, routes: list[Route]) -> None:
        self._world = world
        self._routes = [(m, re.compile(f"^{p}$"), h, auth) for m, p, h, auth in routes]
        self.faults: list[Fault] = []

    async def handle(self, request: web.Request) -> web.StreamResponse:
        path = request.path[len(API_PREFIX) :] or "/"
        payload, files, form = await read_body(request)
        record = RecordedRequest(
            method=request.method,
            path=path,
            query=dict(request.query),
            headers=dict(request.headers),
            json=payload,
            attachments=files,
            at=asyncio.get_running_loop().time(),
        )
        reply = await self._answer(request, record, form)
        record.status = reply.status
        record.response = reply.body
        self._world.record(record)
        return reply.to_response()

    async def _answer(self, request: web.Request, record: RecordedRequest, form: dict[str, str]) -> Reply:
        for fault in self.faults:
            if fault.matches(record.method, record.path):
                fault.remaining -= 1
                return fault.reply()
        for method, pattern, handler, needs_auth in self._routes:
            match = pattern.match(record.path)
            if match is None or method != record.method:
                continue
            if needs_auth and request.headers.get(hdrs.AUTHORIZATION) != f"Bot {self._world.config.token}":
                return error(401, 0, "401: Unauthorized")
            call = Call(request, record.path, match.groupdict(), record.query, record.json, record.attachments, form)
            return await handler(call)
        record.handled = False
        return not_found()


class CoreRoutes:
    """Users, the application, guilds, channels and channel messages."""

    def __init__(self, world: World, gateway: GatewayServer) -> None:
        self._world = world
        self._gateway = gateway

    def routes(self) -> list[Route]:
        snow = r"(?P<{}>\d+)"
        cid, mid, gid, uid = snow.format("cid"), snow.format("mid"), snow.format("gid"), snow.format("uid")
        return [
            ("GET", "/users/@me", self.get_me, True),
            ("GET", f"/users/{uid}", self.get_user, True),
            ("POST", "/users/@me/channels", self.open_dm, True),
            ("GET", "/oauth2/applications/@me", self.get_application, True),
            ("GET", "/applications/@me", self.get_application, True),
            ("GET", f"/guilds/{gid}", self.get_guild, True),
            ("GET", f"/guilds/{gid}/members/{uid}", self.get_member, True),
            ("GET", f"/channels/{cid}", self.get_channel, True),
            ("POST", f"/channels/{cid}/typing", self.typing, True),
            ("POST", f"/channels/{cid}/messages", self.post_message, True),
            ("GET", f"/channels/{cid}/messages/{mid}", self.get_message, True),
            ("PATCH", f"/channels/{cid}/messages/{mid}", self.patch_message, True),
            ("DELETE", f"/channels/{cid}/messages/{mid}", self.delete_message, True),
            ("PUT", f"/channels/{cid}/messages/{mid}/reactions/(?P<emoji>[^/]+)/@me", self.react, True),
            ("DELETE", f"/channels/{cid}/messages/{mid}/reactions/(?P<emoji>[^/]+)/@me", self.react, True),
        ]

    # -- users and application ---------------------------------------------------

    async def get_me(self, call: Call) -> Reply:
        return ok(current_user_payload(self._world.config))

    async def get_user(self, call: Call) -> Reply:
        user = self._world.users.get(call.id("uid"))
        return ok(user.payload()) if user else not_found("Unknown User", 10013)

    async def get_application(self, call: Call) -> Reply:
        return ok(application_payload(self._world.config, self._world.users))

    async def open_dm(self, call: Call) -> Reply:
        user = self._world.users.get(int(call.body.get("recipient_id") or 0))
        if user is None:
            return not_found("Unknown User", 10013)
        return ok(self._world.channel_payload(self._world.dm_channel_id(user)))

    # -- guilds and channels -------------------------------------------------------

    async def get_guild(self, call: Call) -> Reply:
        guild = self._world.guilds.get(call.id("gid"))
        if guild is None:
            return not_found("Unknown Guild", 10004)
        data = guild_create_payload(self._world.config, guild, list(self._world.users.values()))
        for key in ("members", "channels", "presences", "voice_states", "threads", "joined_at", "large"):
            data.pop(key, None)
        return ok(data)

    async def get_member(self, call: Call) -> Reply:
        guild = self._world.guilds.get(call.id("gid"))
        user = self._world.users.get(call.id("uid"))
        if guild is None:
            return not_found("Unknown Guild", 10004)
        if user is None:
            return not_found("Unknown Member", 10007)
        return ok(member_payload(user, guild))

    async def get_channel(self, call: Call) -> Reply:
        channel_id = call.id("cid")
        if not self._world.knows_channel(channel_id):
            return not_found("Unknown Channel", 10003)
        return ok(self._world.channel_payload(channel_id))

    async def typing(self, call: Call) -> Reply:
        if not self._world.knows_channel(call.id("cid")):
            return not_found("Unknown Channel", 10003)
        return no_content()

    # -- messages ------------------------------------------------------------------

    def _missing_permission(self, channel_id: int, needs_files: bool) -> Reply | None:
        guild = self._world.guild_of_channel(channel_id)
        if guild is None:
            return None
        perms = self._world.bot_permissions(guild)
        needed = PERM_VIEW_CHANNEL | PERM_SEND_MESSAGES | (PERM_ATTACH_FILES if needs_files else 0)
        if perms & needed != needed:
            return error(403, 50013, "Missing Permissions")
        return None

    async def post_message(self, call: Call) -> Reply:
        world = self._world
        channel_id = call.id("cid")
        if not world.knows_channel(channel_id):
            return not_found("Unknown Channel", 10003)
        refusal = self._missing_permission(channel_id, bool(call.files))
        if refusal is not None:
            return refusal
        payload = call.body
        problems = message_problems(payload, len(call.files))
        if problems:
            return Reply(400, form_error(problems))
        if is_empty_message(payload, len(call.files)):
            return error(400, EMPTY_MESSAGE, "Cannot send an empty message")
        message = create_message(
            world, channel_id=channel_id, author=world.config.bot, payload=payload, files=call.files
        )
        world.record(PostedMessage(int(message["id"]), channel_id, payload, call.files, message, "channel"))
        if world.config.echo_bot_messages:
            await self._gateway.dispatch("MESSAGE_CREATE", message)
        return ok(message)

    def _stored(self, call: Call) -> Json | None:
        message = self._world.messages.get(call.id("mid"))
        if message is None or int(message["channel_id"]) != call.id("cid"):
            return None
        return message

    async def get_message(self, call: Call) -> Reply:
        message = self._stored(call)
        return ok(message) if message else not_found("Unknown Message", 10008)

    async def patch_message(self, call: Call) -> Reply:
        message = self._stored(call)
        if message is None:
            return not_found("Unknown Message", 10008)
        if int(message["author"]["id"]) != self._world.config.bot.id:
            return error(403, 50005, "Cannot edit a message authored by another user")
        problems = message_problems(call.body, len(call.files))
        if problems:
            return Reply(400, form_error(problems))
        edit_message(self._world, message, call.body, call.files)
        self._world.record(EditedMessage(int(message["id"]), call.id("cid"), call.body, call.files))
        if self._world.config.echo_bot_messages:
            await self._gateway.dispatch("MESSAGE_UPDATE", message)
        return ok(message)

    async def delete_message(self, call: Call) -> Reply:
        message = self._stored(call)
        if message is None:
            return not_found("Unknown Message", 10008)
        del self._world.messages[int(message["id"])]
        event: Json = {"id": message["id"], "channel_id": message["channel_id"]}
        if "guild_id" in message:
            event["guild_id"] = message["guild_id"]
        await self._gateway.dispatch("MESSAGE_DELETE", event)
        return no_content()

    async def react(self, call: Call) -> Reply:
        return no_content() if self._stored(call) else not_found("Unknown Message", 10008)

    # -- CDN -----------------------------------------------------------------------

    async def serve_file(self, request: web.Request) -> web.Response:
        """GET /attachments/{id}/{filename}: the bytes of an uploaded file."""
        stored = self._world.files.get(int(request.match_info["attachment_id"]))
        if stored is None:
            return web.Response(status=404)
        _, content_type, data = stored
        return web.Response(body=data, content_type=content_type or "application/octet-stream")
