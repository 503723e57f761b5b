"""Reading requests and writing responses the way discord.py expects them.

discord.py parses a body as JSON only when Content-Type is *exactly*
``application/json``; aiohttp's ``json_response`` appends
``; charset=utf-8`` and discord.py would then hand the caller a str. So
responses are built from bytes with the header set by hand.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

from aiohttp import BodyPartReader, hdrs, web

from .records import RecordedAttachment

JSON_TYPE = "application/json"


@dataclass
class Reply:
    """A response to send: ``body`` None means no body (204 and the like)."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)

    def to_response(self) -> web.Response:
        if self.body is None:
            return web.Response(status=self.status, headers=self.headers)
        headers = {hdrs.CONTENT_TYPE: JSON_TYPE, **self.headers}
        return web.Response(status=self.status, body=json.dumps(self.body).encode(), headers=headers)


def ok(body: Any) -> Reply:
    return Reply(200, body)


def no_content() -> Reply:
    return Reply(204)


def error(status: int, code: int, message: str) -> Reply:
    return Reply(status, {"message": message, "code": code})


def not_found(message: str = "404: Not Found", code: int = 0) -> Reply:
    return error(404, code, message)


def rate_limited(retry_after: float, *, is_global: bool = False) -> Reply:
    """A 429 discord.py will retry: it needs a ``Via`` header and a JSON ``retry_after``."""
    return Reply(
        429,
        {"message": "You are being rate limited.", "retry_after": retry_after, "global": is_global},
        {
            "Via": "1.1 google",
            "Retry-After": str(max(1, math.ceil(retry_after))),
            "X-RateLimit-Scope": "global" if is_global else "user",
            **({"X-RateLimit-Global": "true"} if is_global else {}),
        },
    )


async def read_body(request: web.Request) -> tuple[Any, list[RecordedAttachment], dict[str, str]]:
    """The JSON payload, files and other form fields of a request.

    A multipart body's ``payload_json`` part becomes the payload, as Discord
    reads it; parts with a filename become attachments, in order.
    """
    if request.content_type.startswith("multipart/"):
        payload: Any = None
        files: list[RecordedAttachment] = []
        form: dict[str, str] = {}
        reader = await request.multipart()
        async for part in reader:
            if not isinstance(part, BodyPartReader):
                continue
            data = await part.read()
            name = part.name or ""
            if part.filename:
                files.append(RecordedAttachment(name, part.filename, part.headers.get(hdrs.CONTENT_TYPE), bytes(data)))
            elif name == "payload_json":
                payload = json.loads(bytes(data).decode())
            else:
                form[name] = bytes(data).decode(errors="replace")
        return payload, files, form
    raw = await request.read()
    if not raw:
        return None, [], {}
    text = raw.decode()
    if request.content_type == JSON_TYPE:
        return json.loads(text), [], {}
    return text, [], {}
