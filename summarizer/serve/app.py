"""The FastAPI application: the job store, the workers and the routes, started and stopped together."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from summarizer import __version__, config
from summarizer.errors import ConfigError, JobStoreError
from summarizer.serve.callbacks import CALLBACK_TIMEOUT, Policy
from summarizer.serve.delivery import Callbacks
from summarizer.serve.guard import Guard, HeadAsGet
from summarizer.serve.http_errors import add_handlers
from summarizer.serve.jobs import LEASE_SECONDS, MAX_ATTEMPTS, JobStore, Limits
from summarizer.serve.openapi import document
from summarizer.serve.routes import Service, router
from summarizer.serve.stores import open_store
from summarizer.serve.worker import Worker

_DESCRIPTION = (
    "Submit articles, poll the job, fetch the brief as JSON, Markdown or a review page. "
    "When the service runs with SUMMARIZER_API_TOKEN set, every route but /healthz needs "
    '`Authorization: Bearer <token>`. Errors are `{"error": {"code", "message"}}`.'
)


def create_app(
    settings: config.Settings,
    db: str | Path,
    *,
    workers: int = 1,
    token: str | None = None,
    limits: Limits | None = None,
    callback_origins: tuple[str, ...] = (),
    callback_timeout: float = CALLBACK_TIMEOUT,
    lease: float = LEASE_SECONDS,
    attempts: int = MAX_ATTEMPTS,
) -> FastAPI:
    """The FastAPI application; workers and the model connection start and stop with it.

    `callback_origins` ("http://host:port" each), when given, are the only places callbacks may go;
    without them, callbacks go to public addresses only (see callbacks.py). `callback_timeout` is the
    overall deadline of one try. `db` is a SQLite file or a PostgreSQL URL (stores.py); `lease` and
    `attempts` are how long a claimed job stays a worker's without renewal, and how often it is started
    before a job whose worker keeps dying fails.
    """
    limits = limits or Limits()
    # before anything listens: a second service on the same SQLite file is a one-line ConfigError, and so
    # is a damaged or unreachable database
    store = open_store(db, lock=True, lease=lease, attempts=attempts)
    policy = Policy(callback_origins)
    worker = Worker(store, settings, workers, Callbacks(store, policy, timeout=callback_timeout))
    try:
        worker.recovered = store.recover()
    except JobStoreError as exc:
        raise ConfigError(str(exc)) from exc
    app = FastAPI(
        title="summarizer",
        version=__version__,
        summary="Grounded multi-source briefs: what news sources agree on, where they conflict, what one claims.",
        description=_DESCRIPTION,
        lifespan=_lifespan(worker, store),
        docs_url=None,
        redoc_url=None,
    )
    app.state.service = Service(store, worker, limits, policy)
    app.add_middleware(Guard, token=token, max_body_bytes=limits.max_body_bytes)
    app.add_middleware(HeadAsGet)  # outermost: the token is checked on a HEAD as on its GET
    document(app, limits, policy.allowed)
    add_handlers(app)
    app.include_router(router)
    return app


def _lifespan(worker: Worker, store: JobStore) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        worker.start()
        try:
            yield
        finally:
            worker.stop()
            store.close()

    return lifespan
