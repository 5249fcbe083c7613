"""Threads that take queued jobs from the store and brief them over one shared model connection."""

from __future__ import annotations

import logging
import threading
import time
from contextlib import suppress
from dataclasses import replace

from summarizer import config
from summarizer.connection import Connection
from summarizer.errors import (
    ConfigError,
    EmbeddedServerError,
    InputError,
    JobStoreError,
    ModelError,
    ModelOutputError,
    SummarizerError,
)
from summarizer.events import ArticleCached, ArticleDone, Event
from summarizer.models import Brief
from summarizer.pipeline import summarize
from summarizer.serve.delivery import Callbacks
from summarizer.serve.jobs import Job, JobStore
from summarizer.serve.wire import BriefRequest, to_articles

log = logging.getLogger(__name__)


class ProgressCounter:
    """Counts a job's finished articles, extracted or cached, into the job store.

    Articles may finish out of order (--jobs > 1), so it counts them rather than reading their index.
    """

    def __init__(self, store: JobStore, job_id: str, attempt: int | None = None) -> None:
        self.store, self.job_id, self.attempt, self.done = store, job_id, attempt, 0

    def __call__(self, event: Event) -> None:
        if isinstance(event, ArticleDone | ArticleCached):
            self.done += 1
            self.store.progress(self.job_id, self.done, event.total, attempt=self.attempt)


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


class Worker:
    """The brief workers; the model connection is shared by all and lives as long as the service."""

    def __init__(self, store: JobStore, settings: config.Settings, count: int, callbacks: Callbacks) -> None:
        self.store, self.settings, self.count, self.callbacks = store, settings, count, callbacks
        self.connection = self._connect()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._running: dict[str, tuple[str, int]] = {}  # thread name -> (job id, attempt)
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
        lease = threading.Thread(target=self._renew_leases, name="lease-renewal", daemon=True)
        lease.start()
        self._threads.append(lease)

    def _renew_leases(self) -> None:
        """Renew the lease of every job this process works on, three times a lease, so that a live worker
        keeps its job however long the model takes, and a dead process's job is free a lease after."""
        while not self._stop.wait(self.store.lease / 3):
            with self._lock:
                held = list(self._running.values())
            for job_id, attempt in held:
                try:
                    if not self.store.renew(job_id, attempt) and self._taken_over(job_id):
                        log.warning("brief %s: its lease was taken over; this worker's result will be dropped", job_id)
                except Exception as exc:  # the store is unreachable: try again at the next round
                    log.warning("brief %s: could not renew its lease (%s)", job_id, exc)

    def _taken_over(self, job_id: str) -> bool:
        """After a refused renewal: True if the job went back to the queue or to another worker, False if it
        is finished (its worker may have finished it between the list above and the renewal)."""
        job = self.store.get(job_id)
        return job is not None and job.status in ("queued", "running")

    def _connect(self) -> Connection:
        # opened on first use: the embedded model server starts with the first brief, not with the service
        return Connection(self.settings, lambda event: log.info("%s", event))

    def _reconnect(self, broken: Connection) -> None:
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
            for job_id, _ in self._running.values():
                with suppress(JobStoreError):
                    self.store.release(job_id)
        self.connection.close()

    def _loop(self) -> None:
        name = threading.current_thread().name
        failing: str | None = None  # the store's error, said once per outage
        while not self._stop.is_set():
            try:
                job = self.store.claim_next()
                failing = None
            except JobStoreError as exc:
                if str(exc) != failing:
                    log.error("%s", exc)
                failing = str(exc)
                self._stop.wait(1.0)  # SQLite's is for good (503 until a restart); PostgreSQL may come back
                continue
            except Exception:
                log.exception("the job queue failed; trying again in a second")
                self._stop.wait(1.0)
                continue
            if job is None:
                self._wake.wait(timeout=1.0)
                self._wake.clear()
                continue
            with self._lock:
                self._running[name] = (job.id, job.attempts)
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
            brief = self._brief(job, connection)
        except JobStoreError:
            raise
        except Exception as exc:
            if self._stop.is_set():
                return  # the service is stopping under it: stop() handed the job back to the queue
            held = self._fail(job, exc)
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

    def _brief(self, job: Job, connection: Connection) -> Brief:
        request = BriefRequest.model_validate(job.request)
        settings = replace(self.settings, summary=request.options.summary or self.settings.summary)
        progress = ProgressCounter(self.store, job.id, job.attempts)
        return summarize(to_articles(request), settings, progress=progress, connection=connection)

    def _fail(self, job: Job, exc: Exception) -> bool:
        """Record why the job failed; False when the job is no longer this worker's."""
        if isinstance(exc, SummarizerError):
            log.warning("brief %s failed: %s", job.id, exc)
            return self.store.fail(job.id, _error_code(exc), str(exc), attempt=job.attempts)
        # a bug must fail the job, not kill the worker
        log.exception("brief %s failed", job.id)
        return self.store.fail(job.id, "internal_error", f"{type(exc).__name__}: {exc}", attempt=job.attempts)
