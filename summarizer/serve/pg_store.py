"""The shared job store: one PostgreSQL database, any number of service processes on any machines.

The rules it keeps are in jobs.py. How it keeps them with several processes at once:

- A worker claims the oldest queued job with `SELECT ... FOR UPDATE SKIP LOCKED` inside the UPDATE
  that marks it running: two replicas never take the same row, and neither waits on the other.
- A claimed job is leased (`lease_until`, on the database's clock, so the replicas' clocks need not
  agree); its worker renews the lease while it works. A job whose lease ran out belongs to a replica
  that died or froze: any replica's next claim queues it again, or fails it once it has been started
  `attempts` times. A worker that comes back after its lease was taken over changes nothing (its
  updates name the attempt it claimed).
- Callbacks are leased the same way, and a try's outcome is recorded only under the lease it was
  made with: a callback is sent by one replica at a time, and again only if that replica died
  before recording its answer (the receiver can drop the repeat by its Idempotency-Key header).
- Submissions take a transaction-level advisory lock, so that the queue limit and an
  Idempotency-Key hold across replicas (a submission is a few milliseconds).
- Errors are not sticky, unlike SQLite's: a database that restarts or fails over is a 503 for the
  calls made meanwhile, and the next call opens a new connection.

Connections: a small pool per process (`pool_size`), opened on demand and dropped when broken.
"""

from __future__ import annotations

import json
import threading
import urllib.parse
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, Concatenate, ParamSpec, TypeVar

import psycopg
from psycopg import pq
from psycopg.rows import DictRow, dict_row

from summarizer.errors import ConfigError, JobStoreError
from summarizer.serve import migrations
from summarizer.serve.jobs import (
    IDEMPOTENCY_SECONDS,
    LEASE_SECONDS,
    MAX_ATTEMPTS,
    Job,
    JobStatus,
    KeyReused,
    Submitted,
    interrupted_error,
    job_from_row,
    one_line,
)

Conn = psycopg.Connection[DictRow]
P = ParamSpec("P")
R = TypeVar("R")
NOW = "EXTRACT(EPOCH FROM statement_timestamp())::double precision"  # the database's clock, epoch seconds
_MIGRATE_LOCK = 0x73756D6D01  # advisory lock ids ("summ" + 1, 2): one migration run, one submission at a time
_SUBMIT_LOCK = 0x73756D6D02
POOL_SIZE = 10
WAIT_FOR_CONNECTION = 30.0


def label(url: str) -> str:
    """The URL as the log may show it: no password, no query (which may carry one)."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    user = f"{parts.username}@" if parts.username else ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{user}{host}{port}{parts.path}"


class _Pool:
    """At most `size` connections, opened on first need and reused; a broken one is dropped, not returned."""

    def __init__(self, url: str, size: int) -> None:
        self.url, self.size = url, size
        self._idle: list[Conn] = []
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(size)

    @contextmanager
    def connection(self) -> Iterator[Conn]:
        if not self._slots.acquire(timeout=WAIT_FOR_CONNECTION):
            raise JobStoreError(f"all {self.size} connections to the job database stayed busy")
        conn: Conn | None = None
        try:
            with self._lock:
                conn = self._idle.pop() if self._idle else None
            if conn is None:
                conn = psycopg.connect(self.url, autocommit=True, row_factory=dict_row, connect_timeout=10)
            yield conn
        finally:
            if conn is not None:
                if conn.broken or conn.closed or conn.info.transaction_status != pq.TransactionStatus.IDLE:
                    conn.close()
                else:
                    with self._lock:
                        self._idle.append(conn)
            self._slots.release()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()


def _operation(method: Callable[Concatenate[PostgresStore, P], R]) -> Callable[Concatenate[PostgresStore, P], R]:
    """A store call: a lost connection or an unreachable server is a JobStoreError (503) for this call only."""

    @wraps(method)
    def call(self: PostgresStore, /, *args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(self, *args, **kwargs)
        except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
            raise JobStoreError(f"the job database {self.label} failed: {one_line(exc)}") from exc

    return call


class PostgresStore:
    """Jobs and results in PostgreSQL, shared by every service process that names the same database."""

    def __init__(
        self, url: str, *, lease: float = LEASE_SECONDS, attempts: int = MAX_ATTEMPTS, pool_size: int = POOL_SIZE
    ) -> None:
        """Connect and run the missing migrations; a database that cannot be reached or used is a ConfigError."""
        self.url, self.label = url, label(url)
        self.owner = uuid.uuid4().hex
        self.lease, self.attempts = lease, attempts
        self._pool = _Pool(url, pool_size)
        try:
            with self._pool.connection() as conn:
                self._migrate(conn)
        except psycopg.Error as exc:
            self._pool.close()
            raise ConfigError(f"{self.label}: cannot use the job database ({one_line(exc)})") from exc
        except BaseException:
            self._pool.close()
            raise

    def _migrate(self, conn: Conn) -> None:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATE_LOCK,))
            conn.execute(migrations.CREATE_TABLE.format(time="DOUBLE PRECISION"))
            applied = [row["name"] for row in conn.execute("SELECT name FROM schema_migrations")]
            for migration in migrations.pending(applied, self.label):
                for statement in migration.postgres:
                    conn.execute(statement)
                conn.execute(f"INSERT INTO schema_migrations (name, applied) VALUES (%s, {NOW})", (migration.name,))

    @_operation
    def check(self) -> None:
        with self._pool.connection() as conn:
            conn.execute("SELECT 1")

    def close(self) -> None:
        self._pool.close()

    @_operation
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
        job_id = uuid.uuid4().hex
        values = (job_id, json.dumps(request), total, callback_url, "pending" if callback_url else None)
        insert = (
            "INSERT INTO jobs (id, status, request, total, callback_url, callback_state, created, updated)"
            f" SELECT %s, 'queued', %s, %s, %s, %s, {NOW}, {NOW}"
        )
        with self._pool.connection() as conn, conn.transaction():
            if max_queued is not None or key is not None:
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (_SUBMIT_LOCK,))
            if key is not None:
                named = _named_job(conn, key, digest or "")
                if named is not None:
                    return Submitted(_get(conn, named), replayed=True)
            if max_queued is None:
                row = conn.execute(insert + " RETURNING id", values).fetchone()
            else:
                room = " WHERE (SELECT COUNT(*) FROM jobs WHERE status = 'queued') < %s RETURNING id"
                row = conn.execute(insert + room, (*values, max_queued)).fetchone()
            if row is None:
                return None
            if key is not None:
                conn.execute(
                    f"INSERT INTO idempotency_keys (key, digest, job_id, created) VALUES (%s, %s, %s, {NOW})",
                    (key, digest or "", job_id),
                )
            return Submitted(_get(conn, job_id))

    @_operation
    def get(self, job_id: str) -> Job | None:
        with self._pool.connection() as conn:
            row = conn.execute("SELECT * FROM jobs WHERE id = %s", (job_id,)).fetchone()
        return job_from_row(row) if row else None

    @_operation
    def claim_next(self) -> Job | None:
        with self._pool.connection() as conn, conn.transaction():
            self._reap(conn)
            row = conn.execute(
                "UPDATE jobs SET status = 'running', owner = %s, attempts = attempts + 1,"
                f" lease_until = {NOW} + %s, updated = {NOW}"
                " WHERE id = (SELECT id FROM jobs WHERE status = 'queued' ORDER BY created, id LIMIT 1"
                " FOR UPDATE SKIP LOCKED) RETURNING *",
                (self.owner, self.lease),
            ).fetchone()
        return job_from_row(row) if row else None

    def _reap(self, conn: Conn) -> tuple[int, int]:
        """Running jobs whose lease ran out: failed once started `attempts` times, else queued again."""
        expired = f"SELECT id FROM jobs WHERE status = 'running' AND COALESCE(lease_until, 0) < {NOW}"
        failed = conn.execute(
            f"UPDATE jobs SET status = 'failed', owner = NULL, lease_until = NULL, error = %s, updated = {NOW}"
            f" WHERE id IN ({expired} AND attempts >= %s FOR UPDATE SKIP LOCKED)",
            (interrupted_error(self.attempts), self.attempts),
        ).rowcount
        requeued = conn.execute(
            f"UPDATE jobs SET status = 'queued', owner = NULL, lease_until = NULL, updated = {NOW}"
            f" WHERE id IN ({expired} FOR UPDATE SKIP LOCKED)"
        ).rowcount
        return requeued, failed

    _HELD = " WHERE id = %s AND status = 'running' AND owner = %s AND (%s::integer IS NULL OR attempts = %s)"

    def _update_held(self, assignments: str, values: tuple[Any, ...], job_id: str, attempt: int | None) -> bool:
        with self._pool.connection() as conn:
            cursor = conn.execute(
                f"UPDATE jobs SET {assignments}" + self._HELD, (*values, job_id, self.owner, attempt, attempt)
            )
        return cursor.rowcount == 1

    @_operation
    def renew(self, job_id: str, attempt: int) -> bool:
        return self._update_held(f"lease_until = {NOW} + %s", (self.lease,), job_id, attempt)

    @_operation
    def progress(self, job_id: str, done: int, total: int, *, attempt: int | None = None) -> bool:
        sets = f"done = %s, total = %s, updated = {NOW}, lease_until = {NOW} + %s"
        return self._update_held(sets, (done, total, self.lease), job_id, attempt)

    @_operation
    def finish(self, job_id: str, result: str, *, attempt: int | None = None) -> bool:
        sets = f"status = 'done', result = %s, error = NULL, done = total, lease_until = NULL, updated = {NOW}"
        return self._update_held(sets, (result,), job_id, attempt)

    @_operation
    def fail(self, job_id: str, code: str, message: str, *, attempt: int | None = None) -> bool:
        sets = f"status = 'failed', error = %s, lease_until = NULL, updated = {NOW}"
        return self._update_held(sets, (json.dumps({"code": code, "message": message}),), job_id, attempt)

    @_operation
    def release(self, job_id: str) -> bool:
        sets = "status = 'queued', owner = NULL, lease_until = NULL, attempts = GREATEST(attempts - 1, 0)"
        sets += f", updated = {NOW}"
        return self._update_held(sets, (), job_id, None)

    @_operation
    def recover(self) -> tuple[int, int]:
        """At start: only jobs whose lease ran out (other replicas may be working on the rest)."""
        with self._pool.connection() as conn, conn.transaction():
            return self._reap(conn)

    # ---- the callbacks' queue ----------------------------------------------------------------------

    _DUE = "status IN ('done', 'failed') AND callback_state = 'pending'"

    @_operation
    def claim_callback(self, lease: float) -> Job | None:
        with self._pool.connection() as conn:
            row = conn.execute(
                f"UPDATE jobs SET callback_next = {NOW} + %s, callback_attempts = callback_attempts + 1"
                f" WHERE id = (SELECT id FROM jobs WHERE {self._DUE} AND COALESCE(callback_next, 0) <= {NOW}"
                " ORDER BY COALESCE(callback_next, 0), updated LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING *",
                (lease,),
            ).fetchone()
        return job_from_row(row) if row else None

    @_operation
    def callback_result(
        self, job_id: str, *, attempt: int, delivered: bool, error: str | None, retry_in: float | None
    ) -> bool:
        if delivered:
            state, error, retry_in = "delivered", None, None
        else:
            state = "pending" if retry_in is not None else "failed"
        with self._pool.connection() as conn:
            cursor = conn.execute(
                "UPDATE jobs SET callback_state = %s, callback_error = %s,"
                f" callback_next = {NOW} + %s::double precision"
                " WHERE id = %s AND callback_state = 'pending' AND callback_attempts = %s",
                (state, error, retry_in, job_id, attempt),
            )
        return cursor.rowcount == 1

    @_operation
    def callback_due_in(self) -> float | None:
        with self._pool.connection() as conn:
            row = conn.execute(
                f"SELECT MIN(COALESCE(callback_next, 0)) - {NOW} AS due FROM jobs WHERE {self._DUE}"
            ).fetchone()
        return None if row is None or row["due"] is None else max(float(row["due"]), 0.0)

    @_operation
    def count(self, status: JobStatus) -> int:
        with self._pool.connection() as conn:
            row = conn.execute("SELECT COUNT(*) AS n FROM jobs WHERE status = %s", (status,)).fetchone()
        return int(row["n"]) if row else 0


def _get(conn: Conn, job_id: str) -> Job:
    return job_from_row(conn.execute("SELECT * FROM jobs WHERE id = %s", (job_id,)).fetchone())


def _named_job(conn: Conn, key: str, digest: str) -> str | None:
    """The job an Idempotency-Key names (keys past their time are forgotten first); KeyReused if it was
    made from another request. Called under the submission lock."""
    conn.execute(f"DELETE FROM idempotency_keys WHERE created < {NOW} - %s", (IDEMPOTENCY_SECONDS,))
    row = conn.execute("SELECT digest, job_id FROM idempotency_keys WHERE key = %s", (key,)).fetchone()
    if row is None:
        return None
    if row["digest"] != digest:
        raise KeyReused()
    return str(row["job_id"])
