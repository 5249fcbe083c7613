"""ASGI middleware in front of every route: the bearer token and the request body's size limit."""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi.responses import JSONResponse

from summarizer.serve.http_errors import error

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class Guard:
    """The bearer token (every route but /healthz) and the body size limit.

    The limit holds for chunked uploads too: the body is read up to the limit before the app sees it.
    """

    def __init__(self, app: ASGIApp, *, token: str | None, max_body_bytes: int) -> None:
        self.app, self.max_body_bytes = app, max_body_bytes
        self.expected = f"Bearer {token}".encode() if token else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        if self.expected is not None and scope["path"] != "/healthz":
            given = headers.get(b"authorization", b"")
            if not hmac.compare_digest(given, self.expected):
                await _send(
                    error(401, "unauthorized", "send the header Authorization: Bearer <SUMMARIZER_API_TOKEN>"),
                    scope,
                    receive,
                    send,
                    {"www-authenticate": "Bearer"},
                )
                return
        body = await self._read_body(headers, scope, receive, send)
        if body is None:
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _read_body(self, headers: dict[bytes, bytes], scope: Scope, receive: Receive, send: Send) -> bytes | None:
        """The whole body, or None once it has answered 413 (or the client went away)."""
        too_large = error(413, "body_too_large", f"the request body is over {self.max_body_bytes:,} bytes")
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body_bytes):
            await _send(too_large, scope, receive, send)
            return None
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return None  # the client went away
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                await _send(too_large, scope, receive, send)
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


async def _send(
    response: JSONResponse, scope: Scope, receive: Receive, send: Send, headers: dict[str, str] | None = None
) -> None:
    for name, value in (headers or {}).items():
        response.headers[name] = value
    await response(scope, receive, send)
