"""ASGI middleware in front of every route: the bearer token, the request body's size limit, and HEAD."""

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
        self.expected = token.encode() if token else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        if (
            self.expected is not None
            and scope["path"] != "/healthz"
            and not _bearer_matches(headers.get(b"authorization", b""), self.expected)
        ):
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


def _bearer_matches(authorization: bytes, token: bytes) -> bool:
    """`Bearer <token>`, the scheme in any case and one or more spaces after it (RFC 7235 and 6750)."""
    scheme, _, credentials = authorization.partition(b" ")
    return scheme.lower() == b"bearer" and hmac.compare_digest(credentials.lstrip(b" "), token)


class HeadAsGet:
    """HEAD is answered wherever GET is: the GET's status and headers (its Content-Length too), no body.

    The routes declare GET only (so the OpenAPI document lists each operation once); this middleware
    runs a HEAD as that GET and drops what it would send as a body. A 405 that allows GET allows HEAD.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"

        async def answer(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 405:
                message["headers"] = [_allow_head(name, value) for name, value in message.get("headers", [])]
            elif message["type"] == "http.response.body" and head:
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"} if head else scope, receive, answer)


def _allow_head(name: bytes, value: bytes) -> tuple[bytes, bytes]:
    methods = [m.strip() for m in value.split(b",")]
    if name.lower() == b"allow" and b"GET" in methods and b"HEAD" not in methods:
        return name, b", ".join([*methods, b"HEAD"])
    return name, value


async def _send(
    response: JSONResponse, scope: Scope, receive: Receive, send: Send, headers: dict[str, str] | None = None
) -> None:
    for name, value in (headers or {}).items():
        response.headers[name] = value
    await response(scope, receive, send)
