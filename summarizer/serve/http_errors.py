"""Every error the service answers, as one JSON shape: `{"error": {"code", "message"}}`."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from summarizer.errors import JobStoreError

log = logging.getLogger(__name__)


class ApiError(Exception):
    """Raised by a route to answer with this status, code and message."""

    def __init__(self, status: int, code: str, message: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


class _AsciiJSON(JSONResponse):
    """JSON with non-ASCII escaped: an error may quote the client's input, which need not be valid UTF-8."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=True, separators=(",", ":")).encode()


def error(status: int, code: str, message: str, headers: Mapping[str, str] | None = None) -> JSONResponse:
    return _AsciiJSON({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


def add_handlers(app: FastAPI) -> None:
    """Turn every failure, FastAPI's own included, into the service's error body."""

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return _validation_error(exc)

    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return error(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(JobStoreError)
    async def store_gone(_: Request, exc: JobStoreError) -> JSONResponse:
        return error(503, "database_unavailable", str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 404:
            return error(404, "not_found", f"no route {request.method} {request.url.path}")
        if exc.status_code == 400:  # FastAPI could not read the body at all (e.g. not UTF-8)
            return error(400, "invalid_json", f"the body is not JSON text: {exc.detail}")
        if exc.status_code == 405:
            return error(405, "method_not_allowed", f"{request.url.path} does not take {request.method}", exc.headers)
        return error(exc.status_code, "http_error", str(exc.detail), exc.headers)

    @app.exception_handler(Exception)
    async def crashed(_: Request, exc: Exception) -> JSONResponse:
        log.error("request failed", exc_info=exc)
        return error(500, "internal_error", f"the service failed on this request ({type(exc).__name__})")


def _validation_error(exc: RequestValidationError) -> JSONResponse:
    """FastAPI's validation errors as one `{"error": {"code", "message"}}` naming the first problem."""
    errors = exc.errors()
    first: dict[str, Any] = dict(errors[0]) if errors else {"loc": (), "msg": "invalid request", "type": ""}
    kind = str(first.get("type", ""))
    where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
    if first.get("loc", ())[:1] == ("header",):  # the one header a route reads: Idempotency-Key
        return error(422, "invalid_idempotency_key", f"{where}: {first.get('msg', 'invalid value')}")
    if kind == "json_invalid":
        return error(400, "invalid_json", f"the body is not valid JSON: {first.get('ctx', {}).get('error', '')}")
    if kind == "extra_forbidden":
        return error(422, "unknown_field", f"{where}: unknown field")
    if kind == "missing":
        if not where:
            return error(422, "missing_body", 'send a JSON object: {"articles": [{"id": ..., "text": ...}]}')
        return error(422, "missing_field", f"{where}: required")
    if not where:
        return error(422, "invalid_request", f"send a JSON object with articles ({first.get('msg', 'invalid body')})")
    return error(422, "invalid_request", f"{where}: {first.get('msg', 'invalid value')}")
