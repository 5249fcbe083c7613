"""HTTP service for editorial tools: submit articles, poll the job, fetch the brief.

Jobs live in one SQLite file (jobs.py) and are worked by threads in this process, which share one
connection to the model for the service's whole life (so the embedded model server starts once,
not once per brief). Needs the `server` extra (FastAPI, uvicorn).
"""

from __future__ import annotations

import hmac
import json
import logging
import re
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, MutableMapping
from contextlib import asynccontextmanager, suppress
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from summarizer import __version__, config
from summarizer.articles import article_from_text
from summarizer.callbacks import (
    CALLBACK_TIMEOUT,
    CallbackRefused,
    CallbackURLError,
    Outcome,
    Policy,
    origin,
    parse_url,
    post,
)
from summarizer.errors import (
    ConfigError,
    EmbeddedServerError,
    InputError,
    JobStoreError,
    ModelError,
    ModelOutputError,
    SummarizerError,
)
from summarizer.jobs import CallbackState, Job, JobStatus, JobStore, Limits
from summarizer.models import Article, Brief
from summarizer.pipeline import _Connection, summarize
from summarizer.review import render_html

log = logging.getLogger("summarizer.service")

# The pipeline reports each finished article as "[i/n] id: K claims verified, ..." or "... (cached)".
# Articles may finish out of order (--jobs > 1), so progress counts these lines rather than reading i.
_ARTICLE_DONE = re.compile(r"^\[\d+/(\d+)\] .*: \d+ claims? (?:verified, \d+ dropped \([\d.]+s\)|\(cached\))$")
CALLBACK_ATTEMPTS = 4
CALLBACK_THREADS = 4
# A character that is not blank, spelled so that Python and JSON Schema (ECMA) regexes agree: Python's
# \s also holds \x1c-\x1f and \x85, ECMA's also \ufeff. Article text needs one (else: empty_text).
_VISIBLE = re.compile(r"[^\s\x1c-\x1f\x85\ufeff]")
# The page talks to nothing: inline styles and script only, no fetches, no images from anywhere.
REVIEW_CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"


# ---- the wire format -------------------------------------------------------------------------


class ArticleIn(BaseModel):
    """One source article. `text` is kept exactly as sent: claim offsets index into it."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=200, description="unique within the request")
    text: str = Field(description="the article's plain text (header lines Title:/Outlet:/Date: are understood)")
    title: str | None = Field(default=None, max_length=1000)
    outlet: str | None = Field(default=None, max_length=1000)
    url: str | None = Field(default=None, max_length=2000)
    published: str | None = Field(default=None, max_length=100)


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid")

    summary: Literal["rules", "model"] | None = Field(
        default=None, description="who writes the summary; default: the service's setting (rules)"
    )


class BriefRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    articles: list[ArticleIn] = Field(min_length=1)
    options: Options = Field(default_factory=Options)
    callback_url: str | None = Field(
        default=None,
        max_length=2000,
        description=(
            "http(s) URL that gets the finished job POSTed to it; no credentials in it, and by default only "
            "public addresses (the service's --callback-origin list otherwise)"
        ),
    )


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorBody(BaseModel):
    error: ErrorDetail


class Progress(BaseModel):
    done: int = Field(description="articles extracted so far")
    total: int = Field(description="articles to extract (identical texts count once)")


class Links(BaseModel):
    status: str
    markdown: str
    html: str


class CallbackOut(BaseModel):
    state: CallbackState = Field(
        description="pending (not yet sent, or to be tried again), delivered (a 2xx answer), or failed (given up)"
    )
    attempts: int = Field(description="tries made so far")
    error: str | None = Field(default=None, description="why the last try failed, if it did")


class JobOut(BaseModel):
    id: str
    status: JobStatus
    progress: Progress
    attempts: int = Field(description="times a worker started this job (more than 1 after a crash)")
    error: ErrorDetail | None = None
    created: str = Field(description="when the job was accepted (ISO 8601, UTC)")
    updated: str = Field(description="when the job last changed (ISO 8601, UTC)")
    links: Links
    callback: CallbackOut | None = Field(
        default=None, description="delivery of the finished job to callback_url (null without one)"
    )
    brief: Brief | None = Field(default=None, description="the JSON brief (schema_version 1), once done")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


class _AsciiJSON(JSONResponse):
    """JSON with non-ASCII escaped: an error may quote the client's input, which need not be valid UTF-8."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=True, separators=(",", ":")).encode()


def _error(status: int, code: str, message: str, headers: Mapping[str, str] | None = None) -> JSONResponse:
    return _AsciiJSON({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


def _time(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def job_out(job: Job) -> JobOut:
    return JobOut(
        id=job.id,
        status=job.status,
        progress=Progress(done=job.done, total=job.total),
        attempts=job.attempts,
        error=ErrorDetail(**job.error) if job.error else None,
        created=_time(job.created),
        updated=_time(job.updated),
        links=Links(
            status=f"/v1/briefs/{job.id}", markdown=f"/v1/briefs/{job.id}.md", html=f"/v1/briefs/{job.id}.html"
        ),
        callback=CallbackOut(state=job.callback_state, attempts=job.callback_attempts, error=job.callback_error)
        if job.callback_url and job.callback_state
        else None,
        brief=Brief.model_validate_json(job.result) if job.status == "done" and job.result else None,
    )


def to_articles(request: BriefRequest) -> list[Article]:
    """The request's articles as pipeline Articles; header lines fill in metadata the request left out."""
    articles = []
    for a in request.articles:
        parsed = article_from_text(a.text, article_id=a.id)  # raises InputError for empty text or an HTML page
        articles.append(
            Article(
                id=a.id,
                text=a.text,
                title=a.title or parsed.title,
                outlet=a.outlet or parsed.outlet,
                published=a.published or parsed.published,
                url=a.url or parsed.url,
            )
        )
    return articles


def _error_code(exc: SummarizerError) -> str:
    for kind, code in (
        (ModelError, "model_error"),
        (ModelOutputError, "model_output_error"),
        (EmbeddedServerError, "embedded_server_error"),
        (InputError, "invalid_input"),
        (ConfigError, "config_error"),
    ):
        if isinstance(exc, kind):
            return code
    return "error"


# ---- the work --------------------------------------------------------------------------------


class _ProgressCounter:
    """Turns the pipeline's progress lines into (articles done, total) in the job store."""

    def __init__(self, store: JobStore, job_id: str, attempt: int | None = None) -> None:
        self.store, self.job_id, self.attempt, self.done = store, job_id, attempt, 0

    def __call__(self, line: str) -> None:
        match = _ARTICLE_DONE.match(line)
        if match:
            self.done += 1
            self.store.progress(self.job_id, self.done, int(match.group(1)), attempt=self.attempt)


class Callbacks:
    """Threads of their own that POST finished jobs to their callback URLs, off the job database's queue.

    A brief worker only marks a job finished; it never waits on a receiver. Each try has an overall
    deadline, follows no redirect, and ends in a recorded outcome whatever happens (see callbacks.py);
    a try that fails on the network, on a non-HTTP answer, or with 408, 429 or 5xx is made again with
    backoff, up to `attempts` tries. Undelivered callbacks survive a restart in the database.
    """

    def __init__(
        self,
        store: JobStore,
        policy: Policy,
        *,
        timeout: float = CALLBACK_TIMEOUT,
        attempts: int = CALLBACK_ATTEMPTS,
        backoff: float = 0.5,
        threads: int = CALLBACK_THREADS,
    ) -> None:
        self.store, self.policy, self.timeout, self.attempts, self.backoff = store, policy, timeout, attempts, backoff
        self.count = threads
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        for i in range(self.count):
            thread = threading.Thread(target=self._loop, name=f"callbacks-{i}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def notify(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        for thread in self._threads:
            thread.join(timeout=0.5)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                job = self.store.claim_callback(lease=self.timeout + 30)
            except JobStoreError:
                self._stop.wait(1.0)  # the service answers 503 now; nothing to deliver from
                continue
            except Exception:
                log.exception("the callback queue failed; trying again in a second")
                self._stop.wait(1.0)
                continue
            if job is None:
                self._idle()
                continue
            try:
                outcome = self.deliver(job)
            except Exception as exc:  # a bug must not end the thread, nor lose the callback
                log.exception("callback for job %s failed", job.id)
                outcome = Outcome(False, f"internal error: {type(exc).__name__}: {exc}", retry=True)
            self._record(job, outcome)

    def _idle(self) -> None:
        """Sleep until the next callback is due or a job finishes (at most half a second)."""
        try:
            due = self.store.next_callback()
        except Exception:
            due = None
        wait = 0.5 if due is None else min(0.5, max(due - time.time(), 0.01))
        if self._wake.wait(wait):
            self._wake.clear()

    def deliver(self, job: Job) -> Outcome:
        """One try of a job's callback: checked against the policy, then POSTed within the deadline."""
        assert job.callback_url is not None
        try:
            target = parse_url(job.callback_url)
            addresses = self.policy.addresses(target)
        except (CallbackURLError, CallbackRefused) as exc:
            return Outcome(False, f"not sent: {exc}")
        except OSError as exc:
            return Outcome(False, f"the host does not resolve ({exc})", retry=True)
        body = job_out(job).model_dump_json(exclude={"callback"}).encode()
        return post(target, addresses, body, job_id=job.id, timeout=self.timeout)

    def _record(self, job: Job, outcome: Outcome) -> None:
        where = _safe_origin(job.callback_url or "")
        retry_at = None
        if not outcome.delivered and outcome.retry and job.callback_attempts < self.attempts:
            retry_at = time.time() + self.backoff * 2 ** (job.callback_attempts - 1)
        try:
            self.store.callback_result(job.id, delivered=outcome.delivered, error=outcome.error, retry_at=retry_at)
        except Exception as exc:
            log.warning("callback for job %s: could not record the outcome (%s)", job.id, exc)
            return
        if outcome.delivered:
            log.info("callback for job %s delivered to %s", job.id, where)
        elif retry_at is not None:
            tries = job.callback_attempts
            log.info("callback for job %s to %s: try %d failed: %s", job.id, where, tries, outcome.error)
        else:
            log.warning("callback for job %s to %s failed: %s", job.id, where, outcome.error)


def _safe_origin(url: str) -> str:
    """Where a callback goes, for the log: scheme://host:port only (no path or query, no credentials)."""
    try:
        return origin(url)
    except ValueError:
        return "an invalid URL"


class Worker:
    """Threads that take queued jobs from the store and brief them over one shared model connection."""

    def __init__(self, store: JobStore, settings: config.Settings, count: int, callbacks: Callbacks) -> None:
        self.store, self.settings, self.count, self.callbacks = store, settings, count, callbacks
        self.connection = self._connect()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._running: dict[str, str] = {}  # thread name -> job id
        self._lock = threading.Lock()
        self.recovered = (0, 0)  # (requeued, failed) by the store's recover() at start

    def start(self) -> None:
        requeued, failed = self.recovered
        if requeued:
            log.warning("resuming %d brief(s) interrupted by the last shutdown", requeued)
        if failed:
            log.warning("%d brief(s) failed: the service stopped too often while working on them", failed)
        self.callbacks.start()
        for i in range(self.count):
            thread = threading.Thread(target=self._loop, name=f"brief-worker-{i}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def _connect(self) -> _Connection:
        # opened on first use: the embedded model server starts with the first brief, not with the service
        return _Connection(self.settings, lambda line: log.info("%s", line))

    def _reconnect(self, broken: _Connection) -> None:
        """The embedded model server died: the next brief starts a new one instead of failing too."""
        with self._lock:
            if self.connection is broken:
                self.connection = self._connect()
        broken.close()

    def notify(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        """Stop taking jobs; a job still being worked goes back to the queue, to be finished on restart."""
        self._stop.set()
        self._wake.set()
        self.callbacks.stop()
        for thread in self._threads:
            thread.join(timeout=0.5)
        with self._lock:
            for job_id in self._running.values():
                with suppress(JobStoreError):
                    self.store.release(job_id)
        self.connection.close()

    def _loop(self) -> None:
        name = threading.current_thread().name
        while not self._stop.is_set():
            try:
                job = self.store.claim_next()
            except JobStoreError as exc:
                log.error("%s", exc)
                self._stop.wait()  # nothing more to take: the service answers 503 until it is restarted
                return
            except Exception:
                log.exception("the job queue failed; trying again in a second")
                self._stop.wait(1.0)
                continue
            if job is None:
                self._wake.wait(timeout=1.0)
                self._wake.clear()
                continue
            with self._lock:
                self._running[name] = job.id
            try:
                self._run(job)
            except JobStoreError as exc:
                log.error("brief %s: %s", job.id, exc)
            except Exception:  # never let one job end the worker
                log.exception("brief %s: the worker failed", job.id)
            finally:
                with self._lock:
                    self._running.pop(name, None)

    def _run(self, job: Job) -> None:
        started = time.monotonic()
        connection = self.connection
        try:
            request = BriefRequest.model_validate(job.request)
            settings = replace(self.settings, summary=request.options.summary or self.settings.summary)
            brief = summarize(
                to_articles(request),
                settings,
                progress=_ProgressCounter(self.store, job.id, job.attempts),
                connection=connection,
            )
        except JobStoreError:
            raise
        except Exception as exc:
            if self._stop.is_set():
                return  # the service is stopping under it: stop() handed the job back to the queue
            if isinstance(exc, SummarizerError):
                log.warning("brief %s failed: %s", job.id, exc)
                held = self.store.fail(job.id, _error_code(exc), str(exc), attempt=job.attempts)
            else:  # a bug must fail the job, not kill the worker
                log.exception("brief %s failed", job.id)
                held = self.store.fail(job.id, "internal_error", f"{type(exc).__name__}: {exc}", attempt=job.attempts)
            if isinstance(exc, EmbeddedServerError):
                self._reconnect(connection)
        else:
            held = self.store.finish(job.id, brief.model_dump_json(), attempt=job.attempts)
            if held:
                log.info("brief %s done in %.1fs", job.id, time.monotonic() - started)
        if not held:
            log.warning("brief %s: no longer this worker's (handed back or taken over); its result is dropped", job.id)
            return
        if job.callback_url:
            self.callbacks.notify()


# ---- the application -------------------------------------------------------------------------

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class _Guard:
    """ASGI middleware: the bearer token (every route but /healthz) and the body size limit.

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
                    _error(401, "unauthorized", "send the header Authorization: Bearer <SUMMARIZER_API_TOKEN>"),
                    scope,
                    receive,
                    send,
                    {"www-authenticate": "Bearer"},
                )
                return
        too_large = _error(413, "body_too_large", f"the request body is over {self.max_body_bytes:,} bytes")
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body_bytes):
            await _send(too_large, scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                await _send(too_large, scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _send(
    response: JSONResponse, scope: Scope, receive: Receive, send: Send, headers: dict[str, str] | None = None
) -> None:
    for name, value in (headers or {}).items():
        response.headers[name] = value
    await response(scope, receive, send)


_ERROR_DESCRIPTIONS = {
    400: "the body is not JSON",
    401: "SUMMARIZER_API_TOKEN is set and the request lacks `Authorization: Bearer <token>`",
    404: "no such job",
    409: "the brief is not ready (queued or running), or the job failed",
    413: "the request body is too large",
    422: "the request breaks a rule: unknown or missing field, empty text, too many or too long articles",
    503: "too many briefs are waiting (queue_full; retry later), or the job database is gone (database_unavailable)",
}


def _responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the errors an operation can answer with (401, 413 and 503 apply to every one).

    Spelled out as application/json: FastAPI would otherwise file them under the route's own media
    type (text/markdown, text/html).
    """
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
    return {
        status: {"description": _ERROR_DESCRIPTIONS[status], "content": error}
        for status in sorted({401, 413, 503, *statuses})
    }


def _finish_schema(schema: dict[str, Any], limits: Limits, origins: set[str]) -> None:
    """Write this service's limits into its OpenAPI schema, so that a schema-valid request is accepted,
    and link a submitted job to the routes that read it.

    (One rule stays in words only, as JSON Schema cannot say it: article ids are unique.)
    """
    accepted = schema["paths"]["/v1/briefs"]["post"]["responses"]["202"]
    accepted["links"] = {
        name: {"operationId": operation, "parameters": {"job_id": "$response.body#/id"}}
        for name, operation in (
            ("status", "getBrief"),
            ("markdown", "getBriefMarkdown"),
            ("html", "getBriefHtml"),
        )
    }
    accepted["headers"] = {"Location": {"description": "the job's URL", "schema": {"type": "string"}}}
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["ErrorBody"] = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
    components["ErrorDetail"] = components["ErrorBody"].pop("$defs")["ErrorDetail"]
    text = components["ArticleIn"]["properties"]["text"]
    text.update(minLength=1, maxLength=limits.max_article_chars, pattern=_VISIBLE.pattern)
    components["BriefRequest"]["properties"]["articles"]["maxItems"] = limits.max_articles
    if origins:
        plain = (re.sub(r"^(http://[^/]+):80$|^(https://[^/]+):443$", r"\1\2", o) for o in sorted(origins))
        allowed = "|".join(re.escape(o) for o in plain)
        pattern = f"^({allowed})([/?#][^\\s\\x00-\\x1f]*)?$"
    else:
        pattern = r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,4})?([/?#][^\s\x00-\x1f]*)?$"
    for option in components["BriefRequest"]["properties"]["callback_url"].get("anyOf", []):
        if option.get("type") == "string":
            option.update(format="uri", pattern=pattern)


class MarkdownResponse(PlainTextResponse):
    media_type = "text/markdown"


def create_app(
    settings: config.Settings,
    db_path: Path,
    *,
    workers: int = 1,
    token: str | None = None,
    limits: Limits | None = None,
    callback_origins: tuple[str, ...] = (),
    callback_timeout: float = CALLBACK_TIMEOUT,
) -> FastAPI:
    """The FastAPI application; workers and the model connection start and stop with it.

    `callback_origins` ("http://host:port" each), when given, are the only places callbacks may go;
    without them, callbacks go to public addresses only (see callbacks.py). `callback_timeout` is the
    overall deadline of one try.
    """
    limits = limits or Limits()
    # before anything listens: a second service on the same file is a one-line ConfigError, and so is
    # a damaged database
    store = JobStore(db_path, lock=True)
    policy = Policy(callback_origins)
    worker = Worker(store, settings, workers, Callbacks(store, policy, timeout=callback_timeout))
    try:
        worker.recovered = store.recover()
    except JobStoreError as exc:
        raise ConfigError(str(exc)) from exc
    allowed_origins = policy.allowed

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        worker.start()
        try:
            yield
        finally:
            worker.stop()
            store.unlock()

    app = FastAPI(
        title="summarizer",
        version=__version__,
        summary="Grounded multi-source briefs: what news sources agree on, where they conflict, what one claims.",
        description=(
            "Submit articles, poll the job, fetch the brief as JSON, Markdown or a review page. "
            "When the service runs with SUMMARIZER_API_TOKEN set, every route but /healthz needs "
            '`Authorization: Bearer <token>`. Errors are `{"error": {"code", "message"}}`.'
        ),
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.add_middleware(_Guard, token=token, max_body_bytes=limits.max_body_bytes)
    generate_schema = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            _finish_schema(generate_schema(), limits, allowed_origins)
        return app.openapi_schema or {}

    app.openapi = openapi  # type: ignore[method-assign]

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return _validation_error(exc)

    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return _error(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(JobStoreError)
    async def store_gone(_: Request, exc: JobStoreError) -> JSONResponse:
        return _error(503, "database_unavailable", str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 404:
            return _error(404, "not_found", f"no route {request.method} {request.url.path}")
        if exc.status_code == 400:  # FastAPI could not read the body at all (e.g. not UTF-8)
            return _error(400, "invalid_json", f"the body is not JSON text: {exc.detail}")
        if exc.status_code == 405:
            return _error(405, "method_not_allowed", f"{request.url.path} does not take {request.method}", exc.headers)
        return _error(exc.status_code, "http_error", str(exc.detail), exc.headers)

    @app.exception_handler(Exception)
    async def crashed(_: Request, exc: Exception) -> JSONResponse:
        log.error("request failed", exc_info=exc)
        return _error(500, "internal_error", f"the service failed on this request ({type(exc).__name__})")

    @app.get(
        "/healthz",
        summary="Liveness (never needs the token); 503 once the job database is gone",
        operation_id="healthz",
        responses={503: _responses()[503]},
    )
    def healthz() -> dict[str, bool]:
        store.check()
        return {"ok": True}

    @app.post(
        "/v1/briefs",
        status_code=202,
        operation_id="submitBrief",
        summary="Submit articles for a brief; answers at once with the job",
        responses=_responses(400, 422, 503),
    )
    def submit(body: BriefRequest, response: Response) -> JobOut:
        _check(body, limits, policy)
        distinct = len({" ".join(a.text.split()) for a in body.articles})  # as the pipeline counts them
        job = store.create(
            body.model_dump(), total=distinct, callback_url=body.callback_url, max_queued=limits.max_queued
        )
        if job is None:
            raise ApiError(503, "queue_full", "too many briefs are waiting; try again later", {"retry-after": "30"})
        worker.notify()
        out = job_out(job)
        response.headers["location"] = out.links.status
        return out

    def _job(job_id: str) -> Job:
        job = store.get(job_id)
        if job is None:
            raise ApiError(404, "not_found", f"no brief job {job_id!r}")
        return job

    def _done(job_id: str) -> tuple[Job, Brief]:
        job = _job(job_id)
        if job.status == "failed":
            message = job.error["message"] if job.error else "unknown error"
            raise ApiError(409, "job_failed", f"the brief failed: {message}")
        if job.status != "done" or not job.result:
            raise ApiError(
                409, "not_ready", f"the brief is {job.status} ({job.done}/{job.total} articles done); poll the job"
            )
        return job, Brief.model_validate_json(job.result)

    @app.get(
        "/v1/briefs/{job_id}.md",
        operation_id="getBriefMarkdown",
        response_class=MarkdownResponse,
        summary="The brief as Markdown",
        responses=_responses(404, 409),
    )
    def markdown(job_id: str) -> MarkdownResponse:
        return MarkdownResponse(_done(job_id)[1].to_markdown())

    @app.get(
        "/v1/briefs/{job_id}.html",
        operation_id="getBriefHtml",
        response_class=HTMLResponse,
        summary="The review page: the brief beside its sources, every claim highlighted",
        responses=_responses(404, 409),
    )
    def html(job_id: str) -> HTMLResponse:
        job, brief = _done(job_id)
        page = render_html(brief, to_articles(BriefRequest.model_validate(job.request)))
        return HTMLResponse(page, headers={"content-security-policy": REVIEW_CSP})

    @app.get(
        "/v1/briefs/{job_id}",
        operation_id="getBrief",
        summary="The job: status, progress, and the JSON brief when done",
        responses=_responses(404),
    )
    def status(job_id: str) -> JobOut:
        return job_out(_job(job_id))

    return app


def _check(body: BriefRequest, limits: Limits, policy: Policy) -> None:
    """The rules a request must meet beyond its schema; each broken one is a 422 with its own code."""
    if len(body.articles) > limits.max_articles:
        raise ApiError(
            422, "too_many_articles", f"{len(body.articles)} articles; at most {limits.max_articles} per brief"
        )
    seen: set[str] = set()
    for i, a in enumerate(body.articles):
        where = f"articles.{i}"
        for name in ("id", "text", "title", "outlet", "url", "published"):
            value = getattr(a, name)
            if value is not None and not _is_text(value):
                raise ApiError(422, "invalid_text", f"{where}.{name}: contains characters that are not valid Unicode")
        if a.id in seen:
            raise ApiError(422, "duplicate_id", f"{where}.id: {a.id!r} is used twice; give each article its own id")
        seen.add(a.id)
        if not _VISIBLE.search(a.text):
            raise ApiError(422, "empty_text", f"{where}.text: article {a.id!r} has no text")
        if len(a.text) > limits.max_article_chars:
            raise ApiError(
                422,
                "article_too_long",
                f"{where}.text: article {a.id!r} has {len(a.text):,} characters; at most {limits.max_article_chars:,}",
            )
        try:
            article_from_text(a.text, article_id=a.id)
        except InputError as exc:
            raise ApiError(422, "invalid_article", f"{where}.text: {exc}") from exc
    if body.callback_url is not None:
        try:
            target = parse_url(body.callback_url)  # the URL is never echoed: it may hold a secret
            policy.check(target)
        except CallbackURLError as exc:
            raise ApiError(422, "invalid_callback_url", f"callback_url: {exc}") from None
        except CallbackRefused as exc:
            raise ApiError(422, "callback_not_allowed", f"callback_url: {exc}") from None


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _validation_error(exc: RequestValidationError) -> JSONResponse:
    """FastAPI's validation errors as one `{"error": {"code", "message"}}` naming the first problem."""
    errors = exc.errors()
    first: dict[str, Any] = dict(errors[0]) if errors else {"loc": (), "msg": "invalid request", "type": ""}
    kind = str(first.get("type", ""))
    where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
    if kind == "json_invalid":
        return _error(400, "invalid_json", f"the body is not valid JSON: {first.get('ctx', {}).get('error', '')}")
    if kind == "extra_forbidden":
        return _error(422, "unknown_field", f"{where}: unknown field")
    if kind == "missing":
        if not where:
            return _error(422, "missing_body", 'send a JSON object: {"articles": [{"id": ..., "text": ...}]}')
        return _error(422, "missing_field", f"{where}: required")
    if not where:
        return _error(422, "invalid_request", f"send a JSON object with articles ({first.get('msg', 'invalid body')})")
    return _error(422, "invalid_request", f"{where}: {first.get('msg', 'invalid value')}")
