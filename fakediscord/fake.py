"""``FakeDiscord``: the server, and everything a test does with it.

A test starts it with ``async with FakeDiscord() as fake:``, runs a real
discord.py client against it with ``async with fake.run_bot(bot):``, then
plays a user (``send_message``, ``send_interaction_command``,
``click_button``...) and waits for what the bot sends
(``wait_for_reply``, ``wait_for_interaction_response``...). Faults are
injected with ``drop_connection``, ``rate_limit_next``, ``fail_next``.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import re
import secrets
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import discord
from aiohttp import web

from . import client as client_helpers
from .command_routes import CommandRoutes
from .config import FakeConfig, FakeGuild, FakeUser
from .gateway import GATEWAY_PATH, RESUME_PATH, GatewayServer
from .http_utils import Reply, error, rate_limited
from .ids import iso_timestamp
from .interaction_routes import InteractionRoutes
from .payloads import attachment_payload, interaction_payload, message_payload
from .records import (
    EditedMessage,
    GatewayFrame,
    InteractionRecord,
    InteractionType,
    Json,
    Op,
    PostedMessage,
    RecordedRequest,
)
from .rest import API_PREFIX, CoreRoutes, Fault, RestApi
from .shaping import Options, command_data, find_component
from .world import World

ClientT = TypeVar("ClientT", bound=discord.Client)
MessageRef = int | PostedMessage | Json


class FakeDiscord:
    """A fake Discord (REST v10 + gateway) on 127.0.0.1, on a free port.

    ``patch_client=True`` points discord.py at it (``Route.BASE``,
    ``DEFAULT_GATEWAY``) for the duration of the ``async with`` block.
    """

    def __init__(self, config: FakeConfig | None = None, *, patch_client: bool = True) -> None:
        self.config = config or FakeConfig()
        self.world = World(self.config)
        self._gateway = GatewayServer(self.world)
        self._core = CoreRoutes(self.world, self._gateway)
        routes = (
            self._core.routes()
            + InteractionRoutes(self.world, self._gateway).routes()
            + CommandRoutes(self.world).routes()
        )
        self._rest = RestApi(self.world, routes)
        self._patch_client = patch_client
        self._runner: web.AppRunner | None = None
        self._patch: contextlib.ExitStack | None = None
        self.port = 0

    # -- lifecycle -----------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get(GATEWAY_PATH, self._gateway.handle)
        app.router.add_get(RESUME_PATH, self._gateway.handle)
        app.router.add_get("/attachments/{attachment_id}/{filename}", self._core.serve_file)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._rest.handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        self.world.base_url = self.base_url
        self._gateway.ws_base = f"ws://127.0.0.1:{self.port}"
        if self._patch_client:
            self._patch = contextlib.ExitStack()
            self._patch.enter_context(self.patch_client())

    async def stop(self) -> None:
        if self._patch is not None:
            self._patch.close()
            self._patch = None
        await self._gateway.close_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # -- addresses and fixtures ------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        """What ``discord.http.Route.BASE`` must be."""
        return self.base_url + API_PREFIX

    @property
    def gateway_url(self) -> str:
        """What ``DiscordWebSocket.DEFAULT_GATEWAY`` must be."""
        return f"ws://127.0.0.1:{self.port}{GATEWAY_PATH}"

    @property
    def bot_user(self) -> FakeUser:
        return self.config.bot

    @property
    def owner(self) -> FakeUser:
        return self.config.owner

    @property
    def tester(self) -> FakeUser:
        """The default author of messages and interactions."""
        return self.config.tester

    @property
    def guild(self) -> FakeGuild:
        return self.config.guilds[0]

    @property
    def guild_id(self) -> int:
        return self.guild.id

    @property
    def channel_id(self) -> int:
        """The default text channel of the first guild."""
        return self.guild.channel_id

    def dm_channel_id(self, user: FakeUser | None = None) -> int:
        """The DM channel between the bot and ``user`` (default: the tester)."""
        return self.world.dm_channel_id(user or self.tester)

    # -- records ---------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every REST request, in arrival order."""
        return self.world.requests

    @property
    def unhandled_requests(self) -> list[RecordedRequest]:
        """Requests to routes the fake does not implement (answered 404)."""
        return [r for r in self.world.requests if not r.handled]

    @property
    def gateway_log(self) -> list[GatewayFrame]:
        """Every frame the client sent over the gateway (IDENTIFY, RESUME, HEARTBEAT...)."""
        return self.world.gateway_log

    def gateway_ops(self, *, heartbeats: bool = False) -> list[int]:
        """The opcodes the client sent, in order; heartbeats left out unless asked for."""
        return [f.op for f in self.world.gateway_log if heartbeats or f.op != Op.HEARTBEAT]

    @property
    def posted(self) -> list[PostedMessage]:
        """Every message the bot created (channel, interaction response, followup)."""
        return self.world.posted

    @property
    def edits(self) -> list[EditedMessage]:
        return self.world.edits

    @property
    def interactions(self) -> dict[int, InteractionRecord]:
        return self.world.interactions

    def registered_commands(self, guild_id: int | None = None) -> list[Json]:
        """Commands the bot registered globally (or in ``guild_id``)."""
        return list(self.world.commands.get(guild_id, {}).values())

    def message(self, message_id: int) -> Json:
        """A stored message (sent by a test or by the bot), as Discord holds it."""
        return self.world.messages[message_id]

    @property
    def connected(self) -> bool:
        return self._gateway.connected

    # -- pointing discord.py here ----------------------------------------------------------

    def patch_client(self) -> contextlib.AbstractContextManager[None]:
        """Point discord.py at this fake until the block ends (done by ``async with`` already)."""
        return client_helpers.patch_discord(self.api_base, self.gateway_url)

    def run_bot(
        self, bot: ClientT, *, token: str | None = None, ready_timeout: float = 5.0, fast: bool = True
    ) -> contextlib.AbstractAsyncContextManager[ClientT]:
        """Log ``bot`` in, connect it and wait for READY; close it on exit.

        ``fast`` removes discord.py's production waits (2 s before
        ``on_ready``, 5 s before a re-IDENTIFY).
        """
        return client_helpers.running(bot, token or self.config.token, ready_timeout=ready_timeout, fast=fast)

    # -- playing a user: messages ------------------------------------------------------------

    def _require_session(self) -> None:
        if not self._gateway.live_sessions:
            raise RuntimeError("no gateway session: start the bot (fake.run_bot) before sending events")

    async def dispatch(self, event: str, payload: Json) -> int:
        """Dispatch a raw gateway event to every session; return how many sessions got it."""
        return await self._gateway.dispatch(event, payload)

    def _channel(self, channel_id: int | None, guild: bool, user: FakeUser) -> tuple[int, FakeGuild | None]:
        if channel_id is None:
            channel_id = self.channel_id if guild else self.world.dm_channel_id(user)
        if not self.world.knows_channel(channel_id):
            raise KeyError(f"unknown channel id {channel_id}")
        return channel_id, self.world.guild_of_channel(channel_id)

    async def send_message(
        self,
        content: str,
        *,
        channel_id: int | None = None,
        author: FakeUser | None = None,
        guild: bool = True,
        attachments: Sequence[tuple[str, bytes]] = (),
        reply_to: int | None = None,
    ) -> int:
        """A user posts a message: dispatch MESSAGE_CREATE and return the message id.

        ``guild=False`` sends it in the author's DM with the bot. ``<@id>``
        mentions in ``content`` fill ``mentions``. Sent while the bot is
        disconnected, it is delivered when the bot RESUMEs.
        """
        self._require_session()
        user = author or self.tester
        channel, in_guild = self._channel(channel_id, guild, user)
        files = []
        for filename, data in attachments:
            attachment_id, url = self.world.store_file(filename, None, data)
            files.append(attachment_payload(attachment_id, filename, len(data), None, url, None))
        reference: Json | None = None
        if reply_to is not None:
            reference = {"type": 0, "message_id": str(reply_to), "channel_id": str(channel)}
        message = message_payload(
            message_id=self.world.ids.next(),
            channel_id=channel,
            guild=in_guild,
            author=user,
            content=content,
            mentions=self.world.mentioned_users(content),
            attachments=files,
            reference=reference,
            referenced_message=self.world.messages.get(reply_to) if reply_to else None,
        )
        self.world.messages[int(message["id"])] = message
        await self._gateway.dispatch("MESSAGE_CREATE", message)
        return int(message["id"])

    async def edit_user_message(self, message_id: int, content: str) -> None:
        """The author edits their message: the stored message changes, MESSAGE_UPDATE is dispatched.

        As on Discord, the event carries the whole edited message (content, mentions,
        `edited_timestamp`).
        """
        self._require_session()
        message = self._message_json(message_id)
        message["content"] = content
        message["mentions"] = [u.payload() for u in self.world.mentioned_users(content)]
        message["edited_timestamp"] = iso_timestamp(dt.datetime.now(dt.UTC))
        await self._gateway.dispatch("MESSAGE_UPDATE", dict(message))

    async def delete_user_message(self, message_id: int) -> None:
        """The author deletes their message: MESSAGE_DELETE with the ids only, as on Discord."""
        self._require_session()
        message = self.world.messages.pop(message_id)
        event: Json = {"id": message["id"], "channel_id": message["channel_id"]}
        if "guild_id" in message:
            event["guild_id"] = message["guild_id"]
        await self._gateway.dispatch("MESSAGE_DELETE", event)

    def deleted_by_bot(self) -> list[int]:
        """Ids of the channel messages the bot deleted (successful DELETE /channels/{c}/messages/{m})."""
        found = []
        for request in self.world.requests:
            match = re.fullmatch(r"/channels/\d+/messages/(\d+)", request.path)
            if request.method == "DELETE" and match and request.status == 204:
                found.append(int(match.group(1)))
        return found

    # -- playing a user: interactions ----------------------------------------------------------

    def _registered(self, name: str, guild: FakeGuild | None, kind: int = 1) -> Json | None:
        root = name.split()[0]
        scopes = ([guild.id] if guild else []) + [None]
        for scope in scopes:
            command = self.world.commands.get(scope, {}).get((root, kind))
            if command is not None:
                return command
        return None

    async def _interact(
        self,
        kind: int,
        data: Json,
        user: FakeUser,
        channel_id: int,
        message: Json | None = None,
        *,
        locale: str | None = None,
        member_permissions: int | None = None,
    ) -> int:
        self._require_session()
        guild = self.world.guild_of_channel(channel_id)
        interaction_id = self.world.ids.next()
        token = "aW50ZXJhY3Rpb246" + secrets.token_urlsafe(48)
        payload = interaction_payload(
            config=self.config,
            interaction_id=interaction_id,
            token=token,
            type_=kind,
            data=data,
            user=user,
            guild=guild,
            channel=self.world.channel_payload(channel_id),
            message=dict(message) if message is not None else None,
        )
        if locale is not None:  # the user's client language (guild_locale stays the server's)
            payload["locale"] = locale
        if member_permissions is not None and "member" in payload:
            payload["member"]["permissions"] = str(member_permissions)
        record = InteractionRecord(interaction_id, token, kind, payload, channel_id, asyncio.get_running_loop().time())
        self.world.interactions[interaction_id] = record
        self.world.interactions_by_token[token] = record
        await self._gateway.dispatch("INTERACTION_CREATE", payload)
        return interaction_id

    async def send_interaction_command(
        self,
        name: str,
        options: Options = None,
        *,
        user: FakeUser | None = None,
        guild: bool = True,
        channel_id: int | None = None,
        locale: str | None = None,
        member_permissions: int | None = None,
    ) -> int:
        """A user runs slash command ``name`` (``"parent sub"`` for a subcommand); return the interaction id.

        ``locale`` is the user's client language ("zh-CN"); ``member_permissions`` the
        member's permissions in the channel (default: @everyone's).

        ``options`` maps option names to values (typed from the registered
        command if the bot synced it, else from the values); a list of raw
        option objects is sent as is.
        """
        who = user or self.tester
        channel, in_guild = self._channel(channel_id, guild, who)
        registered = self._registered(name, in_guild)
        command_id = int(registered["id"]) if registered else self.world.ids.next()
        data = command_data(name, options, registered, command_id=command_id, guild=in_guild)
        kind = InteractionType.APPLICATION_COMMAND
        return await self._interact(kind, data, who, channel, locale=locale, member_permissions=member_permissions)

    async def use_message_command(
        self, name: str, message: MessageRef, *, user: FakeUser | None = None, locale: str | None = None
    ) -> int:
        """A user picks the message context-menu command ``name`` (Apps > name) on a message.

        As on Discord: an APPLICATION_COMMAND of type 3 whose ``data`` names the
        target message and carries it, whole, under ``resolved.messages``.
        """
        stored = self._message_json(message)
        channel = int(stored["channel_id"])
        guild = self.world.guild_of_channel(channel)
        scopes = ([guild.id] if guild else []) + [None]
        registered = next(
            (c for s in scopes if (c := self.world.commands.get(s, {}).get((name, 3))) is not None), None
        )
        data: Json = {
            "id": str(registered["id"]) if registered else str(self.world.ids.next()),
            "name": name,
            "type": 3,
            "target_id": stored["id"],
            "resolved": {"messages": {stored["id"]: stored}},
        }
        return await self._interact(
            InteractionType.APPLICATION_COMMAND, data, user or self.tester, channel, locale=locale
        )

    async def send_autocomplete(
        self,
        name: str,
        options: Options,
        focused: str,
        *,
        user: FakeUser | None = None,
        guild: bool = True,
        channel_id: int | None = None,
    ) -> int:
        """A user types in option ``focused`` of ``name``; return the interaction id (expect a type-8 callback)."""
        who = user or self.tester
        channel, in_guild = self._channel(channel_id, guild, who)
        registered = self._registered(name, in_guild)
        command_id = int(registered["id"]) if registered else self.world.ids.next()
        data = command_data(name, options, registered, command_id=command_id, focused=focused, guild=in_guild)
        return await self._interact(InteractionType.APPLICATION_COMMAND_AUTOCOMPLETE, data, who, channel)

    def _message_json(self, message: MessageRef) -> Json:
        if isinstance(message, PostedMessage):
            message_id = message.id
        elif isinstance(message, int):
            message_id = message
        else:
            message_id = int(message["id"])
        stored = self.world.messages.get(message_id)
        if stored is None:
            raise KeyError(f"unknown message id {message_id}")
        return stored

    async def click_component(
        self,
        message: MessageRef,
        custom_id: str,
        *,
        values: Sequence[str] | None = None,
        user: FakeUser | None = None,
    ) -> int:
        """A user uses the component ``custom_id`` of a bot message; return the interaction id."""
        stored = self._message_json(message)
        component = find_component(stored, custom_id)
        data: Json = {"custom_id": custom_id, "component_type": int(component["type"])}
        if values is not None:
            data["values"] = list(values)
        who = user or self.tester
        return await self._interact(
            InteractionType.MESSAGE_COMPONENT, data, who, int(stored["channel_id"]), message=stored
        )

    async def click_button(self, message: MessageRef, custom_id: str, *, user: FakeUser | None = None) -> int:
        """A user clicks button ``custom_id`` on a bot message; return the interaction id."""
        return await self.click_component(message, custom_id, user=user)

    async def select_option(
        self, message: MessageRef, custom_id: str, values: Sequence[str], *, user: FakeUser | None = None
    ) -> int:
        """A user picks ``values`` in select menu ``custom_id``; return the interaction id."""
        return await self.click_component(message, custom_id, values=values, user=user)

    async def submit_modal(self, opened_by: int, values: Mapping[str, str], *, user: FakeUser | None = None) -> int:
        """A user submits the modal the bot opened in answer to interaction ``opened_by``.

        ``values`` maps the modal's text input custom ids to what was typed.
        """
        opener = self.world.interactions[opened_by]
        modal = opener.callback_data or {}
        if opener.callback_type != 9:
            raise LookupError(f"interaction {opened_by} was not answered with a modal")
        rows = [
            {"type": 1, "components": [{"type": 4, "custom_id": cid, "value": text}]} for cid, text in values.items()
        ]
        data: Json = {"custom_id": modal.get("custom_id"), "components": rows}
        who = user or self.tester
        return await self._interact(InteractionType.MODAL_SUBMIT, data, who, opener.channel_id)

    # -- waiting for the bot ---------------------------------------------------------------------

    async def wait_until(self, check: Callable[[], Any], timeout: float = 5.0, what: str = "condition") -> Any:
        """Wait until ``check()`` returns something truthy (re-checked on every record); return it."""

        def truthy() -> Any:
            value = check()
            return value if value else None

        return await self.world.changes.wait_for(truthy, timeout, lambda: what)

    def _recent(self) -> str:
        tail = [f"{r.method} {r.path} -> {r.status}" for r in self.world.requests[-8:]]
        return f"last requests: {tail or 'none'}"

    async def wait_for_reply(
        self,
        channel_id: int | None = None,
        predicate: Callable[[PostedMessage], bool] | None = None,
        timeout: float = 5.0,
    ) -> PostedMessage:
        """The oldest message the bot posted in ``channel_id`` (any channel if None) not returned before.

        Only channel messages count (``POST /channels/{id}/messages``);
        interaction responses have their own waits. Each call consumes the
        message it returns, so two calls return two replies.
        """

        pending = self.world.pending_replies

        def find() -> PostedMessage | None:
            for index, posted in enumerate(pending):
                if channel_id is not None and posted.channel_id != channel_id:
                    continue
                if predicate is None or predicate(posted):
                    del pending[index]
                    return posted
            return None

        where = f"channel {channel_id}" if channel_id is not None else "any channel"
        return await self.world.changes.wait_for(
            find, timeout, lambda: f"no reply from the bot in {where}; {self._recent()}"
        )

    async def wait_for_request(
        self,
        method: str,
        path_regex: str,
        predicate: Callable[[RecordedRequest], bool] | None = None,
        timeout: float = 5.0,
    ) -> RecordedRequest:
        """The first recorded REST request matching ``method`` and ``path_regex`` (searched)."""
        pattern = re.compile(path_regex)

        def find() -> RecordedRequest | None:
            for request in self.world.requests:
                matched = request.method == method and pattern.search(request.path)
                if matched and (predicate is None or predicate(request)):
                    return request
            return None

        return await self.world.changes.wait_for(find, timeout, lambda: f"no {method} {path_regex}; {self._recent()}")

    async def wait_for_interaction_response(
        self,
        interaction_id: int,
        predicate: Callable[[InteractionRecord], bool] | None = None,
        timeout: float = 5.0,
    ) -> InteractionRecord:
        """The interaction once the bot answered its callback (and ``predicate`` holds).

        The record keeps filling in: followups and edits are appended as
        they arrive, so wait with e.g. ``predicate=lambda r: r.content`` for a
        deferred response to be edited.
        """
        record = self.world.interactions[interaction_id]

        def find() -> InteractionRecord | None:
            if record.responded and (predicate is None or predicate(record)):
                return record
            return None

        return await self.world.changes.wait_for(
            find, timeout, lambda: f"interaction {interaction_id} not answered as expected; {self._recent()}"
        )

    async def wait_for_followup(
        self,
        interaction_id: int,
        predicate: Callable[[PostedMessage], bool] | None = None,
        timeout: float = 5.0,
    ) -> PostedMessage:
        """The oldest followup of an interaction not returned before."""
        record = self.world.interactions[interaction_id]

        def find() -> PostedMessage | None:
            for posted in record.followups:
                if posted.id not in self.world.consumed and (predicate is None or predicate(posted)):
                    self.world.consumed.add(posted.id)
                    return posted
            return None

        return await self.world.changes.wait_for(
            find, timeout, lambda: f"no followup to interaction {interaction_id}; {self._recent()}"
        )

    async def wait_for_edit(self, message_id: int, timeout: float = 5.0) -> EditedMessage:
        """The latest edit of message ``message_id`` once there is one."""

        def find() -> EditedMessage | None:
            found = [e for e in self.world.edits if e.message_id == message_id]
            return found[-1] if found else None

        return await self.world.changes.wait_for(
            find, timeout, lambda: f"message {message_id} was never edited; {self._recent()}"
        )

    async def wait_for_op(self, op: int, *, count: int = 1, timeout: float = 5.0) -> GatewayFrame:
        """The ``count``-th frame with opcode ``op`` the client sent (e.g. ``Op.RESUME``)."""

        def find() -> GatewayFrame | None:
            frames = [f for f in self.world.gateway_log if f.op == op]
            return frames[count - 1] if len(frames) >= count else None

        return await self.world.changes.wait_for(
            find, timeout, lambda: f"op {op} not sent {count} time(s); ops: {self.gateway_ops()}"
        )

    async def wait_until_connected(self, timeout: float = 5.0) -> None:
        """Wait until a client is attached to a live session (after READY or RESUMED)."""
        await self.world.changes.wait_for(
            lambda: True if self._gateway.connected else None,
            timeout,
            lambda: f"no client connected; ops: {self.gateway_ops()}",
        )

    # -- faults ------------------------------------------------------------------------------------

    def rate_limit_next(
        self, method: str, path_regex: str, retry_after: float = 0.05, *, count: int = 1, is_global: bool = False
    ) -> None:
        """Answer the next ``count`` matching requests with a 429 discord.py retries after ``retry_after`` s."""
        self._rest.faults.append(
            Fault(method, re.compile(path_regex), lambda: rate_limited(retry_after, is_global=is_global), count)
        )

    def fail_next(
        self,
        method: str,
        path_regex: str,
        status: int,
        *,
        code: int = 0,
        message: str = "injected failure",
        count: int = 1,
    ) -> None:
        """Answer the next ``count`` matching requests with ``status`` and a Discord error body.

        discord.py retries 500/502/504 itself after 1 s, 3 s..., so prefer 4xx
        or a 503 to test error handling quickly.
        """
        self._rest.faults.append(Fault(method, re.compile(path_regex), lambda: error(status, code, message), count))

    def fail_with(self, method: str, path_regex: str, reply: Callable[[], Reply], *, count: int = 1) -> None:
        """Answer the next ``count`` matching requests with ``reply()``."""
        self._rest.faults.append(Fault(method, re.compile(path_regex), reply, count))

    async def drop_connection(self, code: int | None = None) -> int:
        """Cut the bot's gateway connection; its session stays resumable. Return how many were cut.

        ``code=None`` aborts the TCP connection (the client sees 1006);
        otherwise a close frame with ``code`` is sent (4000 is resumable;
        4004, 4010-4014 make discord.py give up). Events sent until the bot
        RESUMEs are queued and replayed then.
        """
        return await self._gateway.drop(code)

    def refuse_next_resume(self) -> None:
        """Answer the next RESUME with INVALID_SESSION (not resumable): the client re-IDENTIFYs."""
        self._gateway.fail_next_resume = True

    async def invalidate_session(self, *, resumable: bool = False) -> int:
        """Send INVALID_SESSION now; ``resumable=False`` also ends the session on the fake's side."""
        return await self._gateway.send_op(Op.INVALID_SESSION, resumable)

    async def request_reconnect(self) -> int:
        """Send op 7 RECONNECT: the client closes and RESUMEs."""
        return await self._gateway.send_op(Op.RECONNECT, None)

    # -- diagnostics ------------------------------------------------------------------------------

    def describe(self) -> str:
        """A short summary of what happened, for assertion messages."""
        return f"ops={self.gateway_ops()} requests={[f'{r.method} {r.path} {r.status}' for r in self.requests]}"
