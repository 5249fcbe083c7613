"""The job store's interface: what the service needs from its queue, whichever database keeps it.

Two implementations keep the same rules: `sqlite_store.SQLiteStore` (one file, one service process,
the default) and `pg_store.PostgresStore` (one PostgreSQL database shared by any number of service
processes, on any number of machines). `stores.open_store` picks one from `--db`.

The rules both keep:

- A job is committed before the service answers, so nothing accepted is lost.
- A worker claims a job (`claim_next`): the job becomes `running`, owned by this store, on a new
  attempt, and leased for `lease` seconds. The worker renews the lease while it works (`renew`).
- A job whose lease ran out (its process died) is taken again by any worker of any process; one
  that has been started `attempts` times fails instead (`interrupted`), so a poisonous request
  cannot keep the service in a crash loop.
- A worker changes a job only while it holds it: running, owned by this store, on the attempt it
  claimed (`progress`, `finish`, `fail` return False otherwise), so a job that another process took
  over is never finished twice.
- A finished job with a callback URL waits in the same table for a delivery thread, which leases
  the callback (`claim_callback`) and records the try (`callback_result`) only while its lease is
  still the latest one, so each try is recorded once.
- An `Idempotency-Key` names one job for `IDEMPOTENCY_SECONDS`: the same key with the same request
  returns that job; with another request it is a `KeyReused` error.

A store that cannot be opened is a `ConfigError` (one line at start); one that fails while the
service runs raises `JobStoreError` (the routes answer 503).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from summarizer.errors import InputError

JobStatus = Literal["queued", "running", "done", "failed"]
CallbackState = Literal["pending", "delivered", "failed"]
MAX_ATTEMPTS = 3  # default: times a job may be started before an interrupted one fails
LEASE_SECONDS = 30.0  # default: how long a claimed job stays its worker's without a renewal
IDEMPOTENCY_SECONDS = 24 * 3600  # how long an Idempotency-Key keeps naming its job


@dataclass(frozen=True)
class Limits:
    """What one request to the service may hold; anything larger is refused with a 4xx and a JSON error.

    (Here rather than in app.py so the command line can show the defaults without importing FastAPI.)
    """

    max_body_bytes: int = 5_000_000
    max_articles: int = 50
    max_article_chars: int = 100_000
    max_queued: int = 100


@dataclass(frozen=True)
class Job:
    id: str
    status: JobStatus
    request: dict[str, Any]
    done: int
    total: int
    result: str | None
    error: dict[str, str] | None
    callback_url: str | None
    callback_state: CallbackState | None
    attempts: int
    created: float
    updated: float
    owner: str | None = None
    callback_attempts: int = 0
    callback_error: str | None = None
    callback_next: float | None = None
    lease_until: float | None = None


@dataclass(frozen=True)
class Submitted:
    """A job as `create` left it: new, or (`replayed`) the one an Idempotency-Key already named."""

    job: Job
    replayed: bool = False


class KeyReused(InputError):
    """An Idempotency-Key already names a job made from another request (422)."""

    def __init__(self) -> None:
        super().__init__("this Idempotency-Key was sent with another request; use a new key for a new brief")


class JobStore(Protocol):
    """The job queue and its callbacks' queue (the rules are in this module's docstring)."""

    label: str  # where the jobs are, for the log: a path, or a URL without its password
    owner: str  # this store's id, set on each job it claims
    lease: float
    attempts: int

    def check(self) -> None:
        """Raise JobStoreError if the database cannot be used now."""

    def close(self) -> None:
        """Let go of the database: its lock and connections."""

    def create(
        self,
        request: dict[str, Any],
        *,
        total: int,
        callback_url: str | None,
        max_queued: int | None = None,
        key: str | None = None,
        digest: str | None = None,
    ) -> Submitted | None:
        """Queue a job (None when `max_queued` jobs wait already); with `key`, return the job it names
        if `digest` (of the request) matches, raise KeyReused if not, or queue one and name it."""

    def get(self, job_id: str) -> Job | None: ...

    def claim_next(self) -> Job | None:
        """Take the oldest queued job (after requeueing or failing the expired ones), leased to this store."""

    def renew(self, job_id: str, attempt: int) -> bool:
        """Extend a held job's lease; False if it is no longer this worker's."""

    def progress(self, job_id: str, done: int, total: int, *, attempt: int | None = None) -> bool: ...

    def finish(self, job_id: str, result: str, *, attempt: int | None = None) -> bool: ...

    def fail(self, job_id: str, code: str, message: str, *, attempt: int | None = None) -> bool: ...

    def release(self, job_id: str) -> bool:
        """A clean shutdown hands a running job back to the queue without counting it as an attempt."""

    def recover(self) -> tuple[int, int]:
        """At start: jobs whose holder is gone go back to the queue, or fail after `attempts`.
        Returns (requeued, failed)."""

    def claim_callback(self, lease: float) -> Job | None:
        """Lease the callback due first for `lease` seconds, counting the try."""

    def callback_result(
        self, job_id: str, *, attempt: int, delivered: bool, error: str | None, retry_in: float | None
    ) -> bool:
        """Record try `attempt`: delivered, or failed and tried again in `retry_in` seconds (None: never).
        False when that try's lease is no longer the latest (another try was made since)."""

    def callback_due_in(self) -> float | None:
        """Seconds until the next pending callback is due (0 if one is), None if none waits."""

    def count(self, status: JobStatus) -> int: ...


def interrupted_error(attempts: int) -> str:
    """The error of a job given up after its holder stopped `attempts` times, as the store keeps it."""
    message = f"the service stopped {attempts} times while working on this brief; not retried again"
    return json.dumps({"code": "interrupted", "message": message})


def job_from_row(row: Any) -> Job:
    """A Job from a row of either database (sqlite3.Row or a dict: both index by column name)."""
    return Job(
        id=row["id"],
        status=row["status"],
        request=json.loads(row["request"]),
        done=row["done"],
        total=row["total"],
        result=row["result"],
        error=json.loads(row["error"]) if row["error"] else None,
        callback_url=row["callback_url"],
        callback_state=row["callback_state"],
        attempts=row["attempts"],
        created=row["created"],
        updated=row["updated"],
        owner=row["owner"],
        callback_attempts=row["callback_attempts"],
        callback_error=row["callback_error"],
        callback_next=row["callback_next"],
        lease_until=row["lease_until"],
    )


def one_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__
