"""The model endpoint a run talks to: described before anything starts, opened on first use.

Shared by the command line (one connection per run, or per `eval` of many stories) and the HTTP
service (one connection for its whole life, so the embedded model server starts once).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from summarizer import config
from summarizer.errors import EmbeddedServerError, ModelError, SummarizerError
from summarizer.events import Listener, ModelRebuilding, ServerStarting
from summarizer.llm import ModelClient


@dataclass(frozen=True)
class Endpoint:
    """Where model calls go; `cache_id` is stable across runs (no random port, no key)."""

    model: str
    label: str
    kind: str
    cache_id: str


def describe_endpoint(settings: config.Settings) -> Endpoint:
    """What a run will use, known before any server starts (printed at the top of a run)."""
    if settings.embedded:
        from summarizer.embedded import MODEL_NAME

        return Endpoint(
            model=MODEL_NAME,
            label="embedded llama.cpp server on loopback",
            kind="embedded llama.cpp",
            cache_id=f"embedded:{MODEL_NAME}",
        )
    assert settings.base_url is not None and settings.model is not None
    return Endpoint(
        model=settings.model,
        label=settings.base_url,
        kind=config.endpoint_kind(settings),
        cache_id=settings.base_url.rstrip("/"),
    )


class Connection:
    """Opens the model endpoint on first use, so a fully cached run starts no server at all."""

    def __init__(self, settings: config.Settings, listener: Listener) -> None:
        self.settings = settings
        self.listener = listener
        self._client: ModelClient | None = None
        self._server: object | None = None
        self._lock = threading.Lock()

    def client(self) -> ModelClient:
        with self._lock:
            if self._client is None:
                self._client = self._open()
            return self._client

    def _open(self) -> ModelClient:
        s = self.settings
        if s.embedded:
            base_url, model = self._start_server()
        else:
            assert s.base_url is not None and s.model is not None
            base_url, model = s.base_url, s.model
        return ModelClient(
            base_url=base_url,
            model=model,
            api_key=s.api_key,
            dialect=config.effective_dialect(s, embedded=s.embedded),
            timeout=s.timeout,
            max_retries=s.max_retries,
            seed=s.seed,
        )

    def _start_server(self) -> tuple[str, str]:
        """Assemble the bundled model if needed and start its server: (base URL, model name)."""
        from summarizer.embedded import EmbeddedServer, ensure_model, verify_model

        s = self.settings
        path = ensure_model(s.model_home, progress=self.listener, reuse=[config.default_cache_dir()])
        self.listener(ServerStarting())
        log = s.cache_dir / "embedded-server.log"
        s.cache_dir.mkdir(parents=True, exist_ok=True)
        try:
            server = EmbeddedServer(path, log_path=log, seed=s.seed).start()
        except EmbeddedServerError:
            if verify_model(path):
                raise
            # the assembled file was damaged after it was verified: rebuild it once
            self.listener(ModelRebuilding())
            path = ensure_model(s.model_home, progress=self.listener, force=True)
            server = EmbeddedServer(path, log_path=log, seed=s.seed).start()
        self._server = server
        return server.base_url, server.model

    def explain(self, exc: ModelError) -> SummarizerError:
        """A failed call to the embedded server is often the server dying: say that, not 'connection error'."""
        notice = getattr(self._server, "death_notice", None)
        died = notice() if notice is not None else None
        return EmbeddedServerError(died) if died else exc

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
        stop = getattr(self._server, "stop", None)
        if stop is not None:
            stop()


@contextmanager
def connect(settings: config.Settings, listener: Listener, *, reuse: Connection | None = None) -> Iterator[Connection]:
    """A connection for one run, closed at its end; or `reuse`, a caller's open one, left open."""
    if reuse is not None:
        yield reuse
        return
    connection = Connection(settings, listener)
    try:
        yield connection
    finally:
        connection.close()
