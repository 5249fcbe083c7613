"""Delivery of finished jobs to their callback URLs, retried with backoff, apart from the brief workers."""

from __future__ import annotations

import logging
import threading

from summarizer.errors import JobStoreError
from summarizer.serve.callbacks import (
    CALLBACK_TIMEOUT,
    CallbackRefused,
    CallbackURLError,
    Outcome,
    Policy,
    origin,
    parse_url,
    post,
)
from summarizer.serve.jobs import Job, JobStore
from summarizer.serve.wire import job_out

log = logging.getLogger(__name__)

CALLBACK_ATTEMPTS = 4
CALLBACK_THREADS = 4


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
                # a try ends by its deadline, well inside its lease: only a dead replica's callback is sent again
                job = self.store.claim_callback(lease=self.timeout + self.store.lease)
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
            due = self.store.callback_due_in()
        except Exception:
            due = None
        wait = 0.5 if due is None else min(0.5, max(due, 0.01))
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
        retry_in = None
        if not outcome.delivered and outcome.retry and job.callback_attempts < self.attempts:
            retry_in = self.backoff * 2 ** (job.callback_attempts - 1)
        try:
            self.store.callback_result(
                job.id,
                attempt=job.callback_attempts,
                delivered=outcome.delivered,
                error=outcome.error,
                retry_in=retry_in,
            )
        except Exception as exc:
            log.warning("callback for job %s: could not record the outcome (%s)", job.id, exc)
            return
        if outcome.delivered:
            log.info("callback for job %s delivered to %s", job.id, where)
        elif retry_in is not None:
            tries = job.callback_attempts
            log.info("callback for job %s to %s: try %d failed: %s", job.id, where, tries, outcome.error)
        else:
            log.warning("callback for job %s to %s failed: %s", job.id, where, outcome.error)


def _safe_origin(url: str) -> str:
    """Where a callback goes, for the log: scheme://host:port only (no path or query, no credentials)."""
    try:
        return str(origin(url))
    except ValueError:
        return "an invalid URL"
