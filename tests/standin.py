"""A scripted OpenAI-compatible stand-in server on loopback, for failure tests (no model behind it)."""

from __future__ import annotations

import json
import socket
import struct
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    """One scripted answer: a status, optional headers, and either chat content or a raw body.

    `finish_reason` is what the completion reports ("length": cut off at max_tokens). `reset` sends
    the status line, the headers and half the body, then aborts the connection (SO_LINGER 0, so a
    TCP reset, not a clean close): the client sees the connection reset mid-response. `echo_headers`
    puts the request's headers into the error body, as some proxies and debug servers do.
    """

    status: int = 200
    content: str | None = None
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    finish_reason: str = "stop"
    reset: bool = False
    echo_headers: bool = False


def chat_body(
    content: str, *, prompt_tokens: int = 10, completion_tokens: int = 5, finish_reason: str = "stop"
) -> bytes:
    return json.dumps(
        {
            "id": "chatcmpl-standin",
            "object": "chat.completion",
            "created": 0,
            "model": "standin",
            "choices": [
                {"index": 0, "finish_reason": finish_reason, "message": {"role": "assistant", "content": content}}
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        }
    ).encode()


class StandIn:
    """Answers POST /v1/chat/completions from a script; the last reply repeats when it runs out.

    With `answer`, each reply is computed from its request instead (the script is not used).
    """

    def __init__(self, replies: list[Reply], answer: Callable[[dict[str, Any]], Reply] | None = None) -> None:
        self.replies = replies
        self.answer = answer
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def next_reply(self, request: dict[str, Any]) -> Reply:
        with self._lock:
            self.requests.append(request)
            if self.answer is not None:
                return self.answer(request)
            index = min(len(self.requests) - 1, len(self.replies) - 1)
            return self.replies[index]


@contextmanager
def serve(
    replies: list[Reply], answer: Callable[[dict[str, Any]], Reply] | None = None
) -> Iterator[tuple[str, StandIn]]:
    """Run the stand-in on a free loopback port; yields (base_url, stand-in)."""
    standin = StandIn(replies, answer)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            return None

        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            length = int(self.headers.get("content-length", 0))
            request = json.loads(self.rfile.read(length) or b"{}")
            request["_headers"] = {k.lower(): v for k, v in self.headers.items()}
            reply = standin.next_reply(request)
            if reply.delay:
                threading.Event().wait(reply.delay)
            if reply.body is not None:
                body = reply.body
            elif reply.content is not None:
                body = chat_body(reply.content, finish_reason=reply.finish_reason)
            elif reply.echo_headers:
                sent = f"authorization={self.headers.get('authorization')} {dict(self.headers.items())}"
                body = json.dumps({"error": {"message": f"scripted; you sent {sent}"}}).encode()
            else:
                body = b'{"error": {"message": "scripted"}}'
            try:
                self.send_response(reply.status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                for k, v in reply.headers.items():
                    self.send_header(k, v)
                self.end_headers()
                if reply.reset:
                    self._reset_after(body[: len(body) // 2])
                    return
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def _reset_after(self, partial: bytes) -> None:
            """Send part of the body, then abort: with SO_LINGER 0, close() sends RST instead of FIN."""
            self.wfile.write(partial)
            threading.Event().wait(0.1)  # let the client read the headers and start on the body
            self.close_connection = True
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.rfile.close()  # the socket's last file reference: close() below really closes it
            self.connection.close()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", standin
    finally:
        server.shutdown()
        server.server_close()
