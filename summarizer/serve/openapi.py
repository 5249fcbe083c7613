"""The service's OpenAPI document: FastAPI's, plus what FastAPI cannot infer from the routes."""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI

from summarizer.serve.callbacks import Origin
from summarizer.serve.checks import VISIBLE
from summarizer.serve.jobs import Limits
from summarizer.serve.wire import ErrorBody

_ERROR_DESCRIPTIONS = {
    400: "the body is not JSON",
    401: "SUMMARIZER_API_TOKEN is set and the request lacks `Authorization: Bearer <token>`",
    404: "no such job",
    409: "the brief is not ready (queued or running), or the job failed",
    413: "the request body is too large",
    422: (
        "the request breaks a rule: unknown or missing field, empty text, an article with no sentence, "
        "too many or too long articles, an Idempotency-Key already used with another request"
    ),
    503: "too many briefs are waiting (queue_full; retry later), or the job database is gone (database_unavailable)",
}


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the errors an operation can answer with (401, 413 and 503 apply to every one).

    Spelled out as application/json: FastAPI would otherwise file them under the route's own media
    type (text/markdown, text/html).
    """
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
    return {
        status: {"description": _ERROR_DESCRIPTIONS[status], "content": error}
        for status in sorted({401, 413, 503, *statuses})
    }


def document(app: FastAPI, limits: Limits, origins: set[Origin]) -> None:
    """Serve FastAPI's schema finished by `finish_schema`, built once, on first request."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            finish_schema(generate(), limits, origins)
        return app.openapi_schema or {}

    app.openapi = openapi  # type: ignore[method-assign]


def finish_schema(schema: dict[str, Any], limits: Limits, origins: set[Origin]) -> None:
    """Write this service's limits into its OpenAPI schema, so that a schema-valid request is accepted,
    and link a submitted job to the routes that read it.

    (Two rules stay in words only, as JSON Schema cannot say them: article ids are unique, and each
    article has a sentence.)
    """
    for status in ("202", "200"):  # a new job, or the one an Idempotency-Key made
        accepted = schema["paths"]["/v1/briefs"]["post"]["responses"][status]
        accepted["links"] = {
            name: {"operationId": operation, "parameters": {"job_id": "$response.body#/id"}}
            for name, operation in (
                ("status", "getBrief"),
                ("markdown", "getBriefMarkdown"),
                ("html", "getBriefHtml"),
            )
        }
        accepted["headers"] = {"Location": {"description": "the job's URL", "schema": {"type": "string"}}}
    for parameter in schema["paths"]["/v1/briefs"]["post"].get("parameters", []):
        options = parameter["schema"].get("anyOf", [])
        if parameter["in"] == "header" and options:  # an optional header is absent, never JSON null
            parameter["schema"] = {**next(o for o in options if o.get("type") == "string"), "title": parameter["name"]}
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["ErrorBody"] = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
    components["ErrorDetail"] = components["ErrorBody"].pop("$defs")["ErrorDetail"]
    text = components["ArticleIn"]["properties"]["text"]
    text.update(minLength=1, maxLength=limits.max_article_chars, pattern=VISIBLE.pattern)
    components["BriefRequest"]["properties"]["articles"]["maxItems"] = limits.max_articles
    pattern = _callback_pattern(origins)
    for option in components["BriefRequest"]["properties"]["callback_url"].get("anyOf", []):
        if option.get("type") == "string":
            option.update(format="uri", pattern=pattern)


def _callback_pattern(origins: set[Origin]) -> str:
    """The callback URLs the service takes: at an allowed origin if it has any, else any http(s) host."""
    if not origins:
        return r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,4})?([/?#][^\s\x00-\x1f]*)?$"
    allowed = "|".join(re.escape(o.url_prefix) for o in sorted(origins, key=str))
    return f"^({allowed})([/?#][^\\s\\x00-\\x1f]*)?$"
