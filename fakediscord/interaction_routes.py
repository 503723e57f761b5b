"""Interaction callbacks and the interaction webhook (followups, edits).

discord.py 2.7 posts every response to
``/interactions/{id}/{token}/callback?with_response=1`` and reads the body:
``{"interaction": {...}, "resource": {...}}``. A 204, which Discord sends
without ``with_response``, makes ``send_message`` fail, so the fake always
answers 200 with that shape.
"""

from __future__ import annotations

import asyncio

from .gateway import GatewayServer
from .http_utils import Reply, error, no_content, not_found, ok
from .messages import create_message, edit_message
from .payloads import MESSAGE_FLAG_EPHEMERAL, MESSAGE_FLAG_LOADING
from .records import CallbackType, EditedMessage, InteractionRecord, Json, PostedMessage
from .rest import Call, Route
from .validation import (
    EMPTY_MESSAGE,
    autocomplete_problems,
    form_error,
    is_empty_message,
    message_problems,
)
from .world import World

UNKNOWN_INTERACTION = 10062
ALREADY_ACKNOWLEDGED = 40060
UNKNOWN_WEBHOOK = 10015


class InteractionRoutes:
    def __init__(self, world: World, gateway: GatewayServer) -> None:
        self._world = world
        self._gateway = gateway

    def routes(self) -> list[Route]:
        hook = r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)"
        return [
            ("POST", r"/interactions/(?P<iid>\d+)/(?P<token>[^/]+)/callback", self.callback, False),
            ("POST", hook, self.followup, False),
            ("GET", hook + r"/messages/(?P<mid>@original|\d+)", self.get_message, False),
            ("PATCH", hook + r"/messages/(?P<mid>@original|\d+)", self.edit, False),
            ("DELETE", hook + r"/messages/(?P<mid>@original|\d+)", self.delete, False),
        ]

    def _metadata(self, record: InteractionRecord) -> Json:
        payload = record.payload
        user = (payload.get("member") or {}).get("user") or payload.get("user")
        return {
            "id": str(record.id),
            "type": record.type,
            "user": user,
            "authorizing_integration_owners": payload.get("authorizing_integration_owners", {}),
            "name": (payload.get("data") or {}).get("name"),
        }

    def _new_message(self, record: InteractionRecord, payload: Json, call: Call, *, flags: int = 0) -> Json:
        return create_message(
            self._world,
            channel_id=record.channel_id,
            author=self._world.config.bot,
            payload=payload,
            files=call.files,
            webhook_id=self._world.config.application_id,
            interaction_metadata=self._metadata(record),
            extra_flags=flags,
        )

    async def _echo(self, event: str, message: Json) -> None:
        if self._world.config.echo_bot_messages and not int(message.get("flags") or 0) & MESSAGE_FLAG_EPHEMERAL:
            await self._gateway.dispatch(event, message)

    # -- callback ------------------------------------------------------------------

    async def callback(self, call: Call) -> Reply:
        world = self._world
        record = world.interactions.get(call.id("iid"))
        if record is None or record.token != call.params["token"]:
            return not_found("Unknown interaction", UNKNOWN_INTERACTION)
        now = asyncio.get_running_loop().time()
        deadline = world.config.interaction_response_deadline
        if deadline is not None and now - record.dispatched_at > deadline:
            return not_found("Unknown interaction", UNKNOWN_INTERACTION)
        if record.responded:
            return error(400, ALREADY_ACKNOWLEDGED, "Interaction has already been acknowledged.")

        kind = int(call.body.get("type") or 0)
        data: Json = call.body.get("data") or {}
        problems = (
            autocomplete_problems(data)
            if kind == CallbackType.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT
            else message_problems(data, len(call.files))
        )
        if problems:
            return Reply(400, form_error(problems))
        if kind == CallbackType.CHANNEL_MESSAGE_WITH_SOURCE and is_empty_message(data, len(call.files)):
            return error(400, EMPTY_MESSAGE, "Cannot send an empty message")

        message: Json | None = None
        if kind == CallbackType.CHANNEL_MESSAGE_WITH_SOURCE:
            message = self._new_message(record, data, call)
            record.original_message_id = int(message["id"])
            posted = PostedMessage(
                int(message["id"]), record.channel_id, data, call.files, message, "interaction", record.id
            )
            world.record(posted)
            await self._echo("MESSAGE_CREATE", message)
        elif kind == CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE:
            message = self._new_message(record, {"flags": data.get("flags", 0)}, call, flags=MESSAGE_FLAG_LOADING)
            record.original_message_id = int(message["id"])
        elif kind == CallbackType.UPDATE_MESSAGE:
            target = world.messages.get(int((record.payload.get("message") or {}).get("id") or 0))
            if target is None:
                return error(400, 50035, "Invalid Form Body: no message to update")
            message = edit_message(world, target, data, call.files)
            world.record(EditedMessage(int(target["id"]), record.channel_id, data, call.files, record.id))
            await self._echo("MESSAGE_UPDATE", message)

        record.callback_type = kind
        record.callback_data = data
        record.callback_attachments = call.files
        record.responded_at = now
        world.changes.notify()
        return ok(self._callback_body(record, kind, message))

    def _callback_body(self, record: InteractionRecord, kind: int, message: Json | None) -> Json:
        flags = int((message or {}).get("flags") or 0)
        body: Json = {
            "interaction": {
                "id": str(record.id),
                "type": record.type,
                "activity_instance_id": None,
                "response_message_id": message["id"] if message else None,
                "response_message_loading": bool(flags & MESSAGE_FLAG_LOADING),
                "response_message_ephemeral": bool(flags & MESSAGE_FLAG_EPHEMERAL),
            }
        }
        if message is not None:
            body["resource"] = {"type": kind, "message": message}
        elif kind in (CallbackType.DEFERRED_UPDATE_MESSAGE, CallbackType.MODAL):
            body["resource"] = {"type": kind}
        return body

    # -- webhook: followups and edits ------------------------------------------------

    def _record_for(self, call: Call) -> InteractionRecord | None:
        if int(call.params["app"]) != self._world.config.application_id:
            return None
        return self._world.interactions_by_token.get(call.params["token"])

    def _target(self, call: Call, record: InteractionRecord) -> Json | None:
        raw = call.params["mid"]
        message_id = record.original_message_id if raw == "@original" else int(raw)
        return self._world.messages.get(message_id or 0)

    async def followup(self, call: Call) -> Reply:
        record = self._record_for(call)
        if record is None:
            return not_found("Unknown Webhook", UNKNOWN_WEBHOOK)
        if not record.responded:
            return not_found("Unknown Webhook", UNKNOWN_WEBHOOK)
        problems = message_problems(call.body, len(call.files))
        if problems:
            return Reply(400, form_error(problems))
        message = self._new_message(record, call.body, call)
        posted = PostedMessage(
            int(message["id"]), record.channel_id, call.body, call.files, message, "followup", record.id
        )
        record.followups.append(posted)
        self._world.record(posted)
        await self._echo("MESSAGE_CREATE", message)
        return ok(message) if call.query.get("wait") in ("1", "true", "True") else no_content()

    async def get_message(self, call: Call) -> Reply:
        record = self._record_for(call)
        message = self._target(call, record) if record else None
        return ok(message) if message else not_found("Unknown Message", 10008)

    async def edit(self, call: Call) -> Reply:
        record = self._record_for(call)
        if record is None:
            return not_found("Unknown Webhook", UNKNOWN_WEBHOOK)
        message = self._target(call, record)
        if message is None:
            return not_found("Unknown Message", 10008)
        problems = message_problems(call.body, len(call.files))
        if problems:
            return Reply(400, form_error(problems))
        edit_message(self._world, message, call.body, call.files)
        edited = EditedMessage(int(message["id"]), record.channel_id, call.body, call.files, record.id)
        record.edits.append(edited)
        self._world.record(edited)
        await self._echo("MESSAGE_UPDATE", message)
        return ok(message)

    async def delete(self, call: Call) -> Reply:
        record = self._record_for(call)
        message = self._target(call, record) if record else None
        if message is None:
            return not_found("Unknown Message", 10008)
        del self._world.messages[int(message["id"])]
        return no_content()
