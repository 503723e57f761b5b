"""The gateway websocket: HELLO, IDENTIFY/READY, heartbeats, dispatch, RESUME.

A *session* outlives its websocket, as on Discord: every dispatched event is
numbered and kept in the session's backlog, so a client that lost its
connection can RESUME from the last sequence number it saw and receive
what it missed. Events dispatched while no connection is attached simply
wait in the backlog; that is how a test queues events during an outage.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import uuid
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from .config import (
    INTENT_DIRECT_MESSAGES,
    INTENT_GUILD_MESSAGES,
    INTENT_MESSAGE_CONTENT,
    PRIVILEGED_INTENTS,
)
from .payloads import guild_create_payload, member_payload, ready_payload
from .records import GatewayFrame, Json, Op
from .world import World

_log = logging.getLogger(__name__)

GATEWAY_PATH = "/gateway"
RESUME_PATH = "/gateway/resume"

# Close codes (https://discord.com/developers/docs/topics/opcodes-and-status-codes#gateway).
CLOSE_AUTHENTICATION_FAILED = 4004
CLOSE_ALREADY_AUTHENTICATED = 4005
CLOSE_DISALLOWED_INTENTS = 4014
_CLEAN_CLOSE_CODES = (1000, 1001)

_MESSAGE_EVENTS = ("MESSAGE_CREATE", "MESSAGE_UPDATE")


@dataclass(eq=False)
class _Connection:
    serial: int
    ws: web.WebSocketResponse
    request: web.Request
    path: str
    session: _Session | None = None
    # Set when the fake closes the socket: aiohttp then reports the code of
    # the client's closing handshake, which says nothing about intent.
    closed_by_server: bool = False

    async def close(self, code: int, message: bytes) -> None:
        self.closed_by_server = True
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.ws.close(code=code, message=message), 2.0)

    def abort(self) -> None:
        self.closed_by_server = True
        transport = self.request.transport
        if transport is not None:
            transport.abort()

    async def send(self, payload: Json) -> bool:
        """Send one text frame; False if the socket is already gone."""
        if self.ws.closed:
            return False
        try:
            await self.ws.send_str(json.dumps(payload, separators=(",", ":")))
        except (ConnectionError, RuntimeError):
            return False
        return True


@dataclass(eq=False)
class _Session:
    id: str
    intents: int
    backlog: deque[tuple[int, str, Json]]
    seq: int = 0
    alive: bool = True
    conn: _Connection | None = None
    # (shard_id, shard_count) from IDENTIFY; None: the one session gets everything
    shard: tuple[int, int] | None = None
    # Held while numbering and sending an event, and while READY or a RESUME
    # replay goes out, so events reach the client strictly in sequence order.
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class GatewayServer:
    """Serves the gateway on ``/gateway`` (and the resume URL it hands out)."""

    def __init__(self, world: World) -> None:
        self._world = world
        self._serials = itertools.count(1)
        self._connections: set[_Connection] = set()
        self._sessions: dict[str, _Session] = {}
        self.ws_base = ""  # ws://127.0.0.1:PORT, set once the server is bound
        self.fail_next_resume = False

    # -- state for tests -------------------------------------------------------

    @property
    def live_sessions(self) -> list[_Session]:
        return [s for s in self._sessions.values() if s.alive]

    @property
    def connected(self) -> bool:
        """True when some live session has a websocket attached (READY or RESUMED sent)."""
        return any(s.conn is not None for s in self.live_sessions)

    # -- aiohttp handler --------------------------------------------------------

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True, heartbeat=None, max_msg_size=0, timeout=2.0)
        await ws.prepare(request)
        conn = _Connection(next(self._serials), ws, request, request.path)
        self._connections.add(conn)
        _log.debug("gateway connection %d opened on %s?%s", conn.serial, request.path, request.query_string)
        try:
            await conn.send(
                {
                    "op": Op.HELLO,
                    "d": {
                        "heartbeat_interval": self._world.config.heartbeat_interval_ms,
                        "_trace": ['["fakediscord-gateway",{"micros":0}]'],
                    },
                    "s": None,
                    "t": None,
                }
            )
            async for msg in ws:
                if msg.type is WSMsgType.TEXT:
                    await self._on_frame(conn, json.loads(msg.data))
                elif msg.type is WSMsgType.ERROR:
                    break
        finally:
            self._connections.discard(conn)
            await self._detach(conn)
            _log.debug("gateway connection %d closed (%s)", conn.serial, ws.close_code)
        return ws

    async def _detach(self, conn: _Connection) -> None:
        session = conn.session
        if session is None:
            return
        async with session.lock:
            if session.conn is conn:
                session.conn = None
        # Discord ends a session the client closed cleanly; any other loss
        # of the socket leaves it resumable.
        if not conn.closed_by_server and conn.ws.close_code in _CLEAN_CLOSE_CODES:
            session.alive = False

    async def _on_frame(self, conn: _Connection, frame: Json) -> None:
        op = int(frame.get("op", -1))
        data = frame.get("d")
        loop = asyncio.get_running_loop()
        self._world.record(GatewayFrame(op, data, conn.serial, conn.path, loop.time()))
        if op == Op.HEARTBEAT:
            await conn.send({"op": Op.HEARTBEAT_ACK, "d": None, "s": None, "t": None})
        elif op == Op.IDENTIFY:
            await self._identify(conn, data if isinstance(data, dict) else {})
        elif op == Op.RESUME:
            await self._resume(conn, data if isinstance(data, dict) else {})
        elif op == Op.REQUEST_GUILD_MEMBERS:
            await self._members_chunk(conn, data if isinstance(data, dict) else {})
        else:
            _log.debug("gateway op %s recorded, no reply", op)

    # -- IDENTIFY / RESUME -----------------------------------------------------

    async def _identify(self, conn: _Connection, data: Json) -> None:
        config = self._world.config
        if conn.session is not None:
            await conn.close(CLOSE_ALREADY_AUTHENTICATED, b"Already authenticated.")
            return
        if data.get("token") != config.token:
            await conn.close(CLOSE_AUTHENTICATION_FAILED, b"Authentication failed.")
            return
        intents = int(data.get("intents") or 0)
        if intents & PRIVILEGED_INTENTS & ~config.intents_allowed:
            await conn.close(CLOSE_DISALLOWED_INTENTS, b"Disallowed intent(s).")
            return

        session = _Session(
            id=uuid.uuid4().hex, intents=intents, backlog=deque(maxlen=config.max_replay_events),
            shard=_shard_of(data.get("shard")),
        )  # fmt: skip
        guilds = [g for g in config.guilds if _routes_to(session, g.id)]
        async with session.lock:
            self._sessions[session.id] = session
            ready = ready_payload(config, session.id, self.ws_base + RESUME_PATH, guilds=guilds)
            if session.shard is not None:
                ready["shard"] = list(session.shard)
            if not await self._emit(session, conn, "READY", ready):
                return
            members = list(self._world.users.values())
            for guild in guilds:
                payload = guild_create_payload(config, guild, members)
                if not await self._emit(session, conn, "GUILD_CREATE", payload):
                    return
            session.conn = conn
            conn.session = session
        self._world.changes.notify()

    async def _resume(self, conn: _Connection, data: Json) -> None:
        config = self._world.config
        session = self._sessions.get(str(data.get("session_id")))
        last_seq = int(data.get("seq") or 0)
        refuse = (
            self.fail_next_resume
            or session is None
            or not session.alive
            or data.get("token") != config.token
            or (bool(session.backlog) and session.backlog[0][0] > last_seq + 1)
        )
        if refuse or session is None:
            self.fail_next_resume = False
            if session is not None:
                session.alive = False
            await conn.send({"op": Op.INVALID_SESSION, "d": False, "s": None, "t": None})
            return

        async with session.lock:
            previous = session.conn
            session.conn = None
            if previous is not None and previous is not conn:
                # Discord drops the old socket of a resumed session.
                await previous.close(4000, b"session resumed elsewhere")
            for seq, event, payload in list(session.backlog):
                if seq > last_seq and not await conn.send({"op": Op.DISPATCH, "t": event, "s": seq, "d": payload}):
                    return
            session.seq += 1
            resumed = {"op": Op.DISPATCH, "t": "RESUMED", "s": session.seq, "d": {"_trace": ["fakediscord"]}}
            if not await conn.send(resumed):
                return
            session.conn = conn
            conn.session = session
        self._world.changes.notify()

    async def _members_chunk(self, conn: _Connection, data: Json) -> None:
        session = conn.session
        if session is None:
            return
        guild = self._world.guilds.get(int(data.get("guild_id") or 0))
        if guild is None:
            return
        users = list(self._world.users.values())
        wanted = {int(uid) for uid in data.get("user_ids") or []}
        if wanted:
            users = [u for u in users if u.id in wanted]
        query = str(data.get("query") or "").lower()
        users = [u for u in users if u.username.lower().startswith(query)]
        limit = int(data.get("limit") or 0)
        if limit:
            users = users[:limit]
        chunk: Json = {
            "guild_id": str(guild.id),
            "members": [member_payload(u, guild) for u in users],
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
        }
        if data.get("nonce"):
            chunk["nonce"] = data["nonce"]
        async with session.lock:
            await self._emit(session, conn, "GUILD_MEMBERS_CHUNK", chunk)

    async def _emit(self, session: _Session, conn: _Connection | None, event: str, payload: Json) -> bool:
        """Number an event, keep it for replay, send it if connected. Hold session.lock."""
        session.seq += 1
        session.backlog.append((session.seq, event, payload))
        if conn is None:
            return True
        return await conn.send({"op": Op.DISPATCH, "t": event, "s": session.seq, "d": payload})

    # -- dispatch and faults -----------------------------------------------------

    async def dispatch(self, event: str, payload: Json) -> int:
        """Send an event to every live session (queued if disconnected); return how many got it."""
        delivered = 0
        guild_id = payload.get("guild_id") if isinstance(payload, dict) else None
        for session in self.live_sessions:
            if not _routes_to(session, int(guild_id) if guild_id else None):
                continue
            shaped = _as_seen_by(session.intents, event, payload, self._world)
            if shaped is None:
                continue
            async with session.lock:
                await self._emit(session, session.conn, event, shaped)
            delivered += 1
        return delivered

    async def drop(self, code: int | None) -> int:
        """Cut every attached connection; sessions stay resumable. Return how many were cut.

        ``code=None`` aborts the TCP connection (the client sees 1006, as on a
        network failure); a code sends a close frame with it.
        """
        cut: list[_Connection] = []
        for session in self.live_sessions:
            async with session.lock:
                if session.conn is not None:
                    cut.append(session.conn)
                    session.conn = None
        for conn in cut:
            if code is None:
                conn.abort()
            else:
                await conn.close(code, b"dropped by test")
        return len(cut)

    async def send_op(self, op: int, data: Any) -> int:
        """Send a non-dispatch op (RECONNECT, INVALID_SESSION, HEARTBEAT...) to every attached client."""
        sent = 0
        for session in self.live_sessions:
            conn = session.conn
            if conn is not None and await conn.send({"op": op, "d": data, "s": None, "t": None}):
                sent += 1
            if op == Op.INVALID_SESSION and data is False:
                session.alive = False
        return sent

    async def close_all(self) -> None:
        for conn in list(self._connections):
            conn.abort()
        self._connections.clear()


def _shard_of(raw: Any) -> tuple[int, int] | None:
    if isinstance(raw, list) and len(raw) == 2 and all(isinstance(v, int) for v in raw) and raw[1] > 0:
        return int(raw[0]), int(raw[1])
    return None


def _routes_to(session: _Session, guild_id: int | None) -> bool:
    """Discord's routing: a guild's events go to shard (guild_id >> 22) % shard_count;
    events outside any guild (DMs) go to shard 0 only."""
    if session.shard is None:
        return True
    shard_id, count = session.shard
    if guild_id is None:
        return shard_id == 0
    return (guild_id >> 22) % count == shard_id


def _as_seen_by(intents: int, event: str, payload: Json, world: World) -> Json | None:
    """The event as a session with these intents receives it, or None if it would not.

    Message events need GUILD_MESSAGES (guild) or DIRECT_MESSAGES (DM); without
    MESSAGE_CONTENT a guild message arrives with its content, embeds,
    attachments and components emptied unless it mentions the bot or the bot
    wrote it, as on Discord.
    """
    if event not in _MESSAGE_EVENTS:
        return payload
    in_guild = "guild_id" in payload
    if not intents & (INTENT_GUILD_MESSAGES if in_guild else INTENT_DIRECT_MESSAGES):
        return None
    if not in_guild or intents & INTENT_MESSAGE_CONTENT or not world.config.enforce_message_content_intent:
        return payload
    bot_id = str(world.config.bot.id)
    author_id = str((payload.get("author") or {}).get("id"))
    mentioned = any(str(m.get("id")) == bot_id for m in payload.get("mentions") or [])
    if author_id == bot_id or mentioned:
        return payload
    return {**payload, "content": "", "embeds": [], "attachments": [], "components": []}
