"""Durable job store for the HTTP service: one SQLite file in WAL mode, safe across crashes.

A job is committed before the service answers 202, so nothing accepted is lost. When the service
starts again, every job a crash left `running` goes back to the queue (its extractions already made
are in the extraction cache, so the work resumes rather than restarts). A job that was running
during `MAX_ATTEMPTS` crashes in a row fails instead, so one poisonous request cannot keep a
service in a crash loop. One service process owns a database file at a time (see `JobStore.lock`),
and a worker moves a job only from the state it holds it in: `running`, claimed by this store, on
this attempt (see `JobStore.finish`).

The same file is the callbacks' queue: a finished job whose `callback_state` is `pending` waits for
a delivery thread, which leases it (`claim_callback`) and records the outcome (`callback_result`).

A database that is damaged at start is a `ConfigError`; one that is deleted or replaced while the
service runs, or that SQLite stops reading, is a `JobStoreError`, and stays so for this store.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
import urllib.parse
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import Any, Concatenate, Literal, NoReturn, ParamSpec, TypeVar

from summarizer.errors import ConfigError, JobStoreError

JobStatus = Literal["queued", "running", "done", "failed"]
CallbackState = Literal["pending", "delivered", "failed"]
MAX_ATTEMPTS = 3
_SCHEMA_VERSION = 2

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    request TEXT NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    total INTEGER NOT NULL DEFAULT 0,
    result TEXT,
    error TEXT,
    callback_url TEXT,
    callback_state TEXT CHECK (callback_state IN ('pending', 'delivered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    created REAL NOT NULL,
    updated REAL NOT NULL,
    owner TEXT,
    callback_attempts INTEGER NOT NULL DEFAULT 0,
    callback_error TEXT,
    callback_next REAL
);
CREATE INDEX IF NOT EXISTS jobs_status ON jobs (status, created);
"""
# columns added by schema 2 (a schema-1 file gets them on first open)
_ADDED = {
    "owner": "TEXT",
    "callback_attempts": "INTEGER NOT NULL DEFAULT 0",
    "callback_error": "TEXT",
    "callback_next": "REAL",
}


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


P = ParamSpec("P")
R = TypeVar("R")


def _operation(method: Callable[Concatenate[JobStore, P], R]) -> Callable[Concatenate[JobStore, P], R]:
    """A store call: refused once the database is gone, and any SQLite error turns it gone for good."""

    @wraps(method)
    def call(self: JobStore, /, *args: P.args, **kwargs: P.kwargs) -> R:
        self.check()
        try:
            return method(self, *args, **kwargs)
        except sqlite3.DatabaseError as exc:
            if type(exc) not in (sqlite3.DatabaseError, sqlite3.OperationalError):
                raise  # e.g. a constraint or a programming error: this call's problem, not the file's
            if "locked" in str(exc) or "busy" in str(exc):
                raise JobStoreError(f"the job database {self.path} stayed locked: {_one_line(exc)}") from exc
            self._gone(f"SQLite failed on it ({_one_line(exc)})", exc)

    return call


class JobStore:
    """Jobs and results in SQLite; each thread has its own connection, each call its own transaction."""

    def __init__(self, path: Path, *, lock: bool = False) -> None:
        """Open (or create) the database; with `lock`, claim it first (see `lock`), so that a second
        service is refused before it reads or changes anything."""
        self.path = path
        self.owner = uuid.uuid4().hex  # whose `running` jobs are whose: set on each job this store claims
        self.broken: str | None = None
        path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._lock_file: int | None = None
        if lock:
            self.lock()
        try:
            db = self._connect(create=True)
            self._local.conn = db
            self._identity = _identity(path)
            mode = db.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            problems = [str(row[0]) for row in db.execute("PRAGMA quick_check(3)").fetchall()]
            if problems != ["ok"]:
                lines = [line for p in problems for line in p.splitlines() if line and not line.startswith("***")]
                raise sqlite3.DatabaseError("damaged: " + "; ".join(lines)[:300])
            db.executescript(_SCHEMA)
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version == 1:
                columns = {row["name"] for row in db.execute("PRAGMA table_info(jobs)")}
                for name, kind in _ADDED.items():
                    if name not in columns:
                        db.execute(f"ALTER TABLE jobs ADD COLUMN {name} {kind}")
                version = 0
        except (sqlite3.DatabaseError, OSError) as exc:
            raise ConfigError(
                f"{path}: not a usable job database ({_one_line(exc)}); give a new --db, or restore a backup"
            ) from exc
        if str(mode).lower() != "wal":
            raise ConfigError(f"{path}: SQLite could not switch the job database to WAL mode (got {mode!r})")
        if version == 0:
            db.execute(f"PRAGMA user_version = {_SCHEMA_VERSION}")
        elif version != _SCHEMA_VERSION:
            raise ConfigError(f"{path}: job database schema {version} is not {_SCHEMA_VERSION}; use a new file")

    def _connect(self, *, create: bool) -> sqlite3.Connection:
        # only the first connection may create the file: a later one opening a deleted database would
        # otherwise make a new, empty one and carry on as if nothing happened
        uri = f"file:{urllib.parse.quote(str(self.path))}?mode={'rwc' if create else 'rw'}"
        conn = sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA synchronous=FULL")  # a 202 means the job is on disk
        conn.execute("PRAGMA busy_timeout=30000")
        return conn

    def _db(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect(create=False)
            self._local.conn = conn
        return conn

    def check(self) -> None:
        """Raise JobStoreError if the database file is gone or is no longer the file this store opened."""
        if self.broken is None:
            try:
                same = _identity(self.path) == self._identity
            except OSError:
                same = False
            if not same:
                self._gone("it was deleted or replaced while the service ran")
        if self.broken is not None:
            raise JobStoreError(self.broken)

    def _gone(self, why: str, cause: BaseException | None = None) -> NoReturn:
        if self.broken is None:
            self.broken = f"the job database {self.path} is unusable: {why}; this service takes no more briefs"
        raise JobStoreError(self.broken) from cause

    def lock(self) -> None:
        """Claim the database for this process, or fail with a one-line error if a live service holds it.

        The lock is an advisory `flock` on `<db>.lock`, named after the database's resolved path (so a
        symlink to a database takes the same lock), and released by the kernel when the process dies,
        so a crashed service never blocks its own restart.
        """
        try:
            import fcntl
        except ImportError:  # not POSIX: one process per file is then the operator's promise
            return
        fd = os.open(f"{os.path.realpath(self.path)}.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            raise ConfigError(
                f"{self.path} is in use by another summarizer service; give this one its own --db"
            ) from exc
        self._lock_file = fd

    def unlock(self) -> None:
        if self._lock_file is not None:
            os.close(self._lock_file)
            self._lock_file = None

    @_operation
    def create(
        self, request: dict[str, Any], *, total: int, callback_url: str | None, max_queued: int | None = None
    ) -> Job | None:
        """Queue a job; with `max_queued`, only while fewer jobs are queued (counted and inserted in one
        statement, so concurrent submissions cannot overshoot). None when the queue is full."""
        now = time.time()
        job_id = uuid.uuid4().hex
        values = (job_id, json.dumps(request), total, callback_url, "pending" if callback_url else None, now, now)
        insert = (
            "INSERT INTO jobs (id, status, request, total, callback_url, callback_state, created, updated)"
            " SELECT ?, 'queued', ?, ?, ?, ?, ?, ?"
        )
        if max_queued is None:
            inserted = self._db().execute(insert, values).rowcount
        else:
            room = " WHERE (SELECT COUNT(*) FROM jobs WHERE status = 'queued') < ?"
            inserted = self._db().execute(insert + room, (*values, max_queued)).rowcount
        return self.get(job_id) if inserted else None

    @_operation
    def get(self, job_id: str) -> Job | None:
        row = self._db().execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return _job(row) if row else None

    @_operation
    def claim_next(self) -> Job | None:
        """Take the oldest queued job and mark it running, owned by this store (atomically: safe with several
        workers)."""
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            row = db.execute("SELECT id FROM jobs WHERE status = 'queued' ORDER BY created, id LIMIT 1").fetchone()
            if row is not None:
                db.execute(
                    "UPDATE jobs SET status = 'running', owner = ?, attempts = attempts + 1, updated = ?"
                    " WHERE id = ? AND status = 'queued'",
                    (self.owner, time.time(), row["id"]),
                )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return self.get(row["id"]) if row is not None else None

    # Every change to a running job names the job as the worker holds it: running, owned by this store,
    # on the attempt it claimed. A job another process took over (or handed back) is left alone, and the
    # call returns False.
    _HELD = " WHERE id = ? AND status = 'running' AND owner = ? AND (? IS NULL OR attempts = ?)"

    @_operation
    def progress(self, job_id: str, done: int, total: int, *, attempt: int | None = None) -> bool:
        cursor = self._db().execute(
            "UPDATE jobs SET done = ?, total = ?, updated = ?" + self._HELD,
            (done, total, time.time(), job_id, self.owner, attempt, attempt),
        )
        return cursor.rowcount == 1

    @_operation
    def finish(self, job_id: str, result: str, *, attempt: int | None = None) -> bool:
        cursor = self._db().execute(
            "UPDATE jobs SET status = 'done', result = ?, error = NULL, done = total, updated = ?" + self._HELD,
            (result, time.time(), job_id, self.owner, attempt, attempt),
        )
        return cursor.rowcount == 1

    @_operation
    def fail(self, job_id: str, code: str, message: str, *, attempt: int | None = None) -> bool:
        cursor = self._db().execute(
            "UPDATE jobs SET status = 'failed', error = ?, updated = ?" + self._HELD,
            (json.dumps({"code": code, "message": message}), time.time(), job_id, self.owner, attempt, attempt),
        )
        return cursor.rowcount == 1

    @_operation
    def release(self, job_id: str) -> bool:
        """A clean shutdown hands a running job back to the queue without counting it as a crash."""
        cursor = self._db().execute(
            "UPDATE jobs SET status = 'queued', owner = NULL, attempts = MAX(attempts - 1, 0), updated = ?"
            " WHERE id = ? AND status = 'running' AND owner = ?",
            (time.time(), job_id, self.owner),
        )
        return cursor.rowcount == 1

    @_operation
    def recover(self) -> tuple[int, int]:
        """After a crash: running jobs go back to the queue, or fail after MAX_ATTEMPTS. Returns (requeued, failed).

        Only the process holding the lock calls this, at start, before its workers run.
        """
        db = self._db()
        now = time.time()
        message = json.dumps(
            {
                "code": "interrupted",
                "message": f"the service stopped {MAX_ATTEMPTS} times while working on this brief; not retried again",
            }
        )
        db.execute("BEGIN IMMEDIATE")
        try:
            failed = db.execute(
                "UPDATE jobs SET status = 'failed', owner = NULL, error = ?, updated = ?"
                " WHERE status = 'running' AND attempts >= ?",
                (message, now, MAX_ATTEMPTS),
            ).rowcount
            requeued = db.execute(
                "UPDATE jobs SET status = 'queued', owner = NULL, updated = ? WHERE status = 'running'", (now,)
            ).rowcount
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return requeued, failed

    # ---- the callbacks' queue ----------------------------------------------------------------------

    _DUE = "status IN ('done', 'failed') AND callback_state = 'pending'"

    @_operation
    def claim_callback(self, lease: float) -> Job | None:
        """Lease the callback due first: no other delivery thread takes it for `lease` seconds (after a crash
        it is due again when the lease runs out). Counts the try."""
        db = self._db()
        now = time.time()
        db.execute("BEGIN IMMEDIATE")
        try:
            row = db.execute(
                f"SELECT id FROM jobs WHERE {self._DUE} AND COALESCE(callback_next, 0) <= ?"
                " ORDER BY COALESCE(callback_next, 0), updated LIMIT 1",
                (now,),
            ).fetchone()
            if row is not None:
                db.execute(
                    "UPDATE jobs SET callback_next = ?, callback_attempts = callback_attempts + 1 WHERE id = ?",
                    (now + lease, row["id"]),
                )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return self.get(row["id"]) if row is not None else None

    @_operation
    def callback_result(self, job_id: str, *, delivered: bool, error: str | None, retry_at: float | None) -> None:
        """Record one try: delivered; or failed, to be tried again at `retry_at`, or (None) never again."""
        if delivered:
            state, error, retry_at = "delivered", None, None
        else:
            state = "pending" if retry_at is not None else "failed"
        self._db().execute(
            "UPDATE jobs SET callback_state = ?, callback_error = ?, callback_next = ?"
            " WHERE id = ? AND callback_state = 'pending'",
            (state, error, retry_at, job_id),
        )

    @_operation
    def next_callback(self) -> float | None:
        """When the next pending callback is due (epoch seconds), or None if none waits."""
        row = self._db().execute(f"SELECT MIN(COALESCE(callback_next, 0)) FROM jobs WHERE {self._DUE}").fetchone()
        return None if row[0] is None else float(row[0])

    @_operation
    def count(self, status: JobStatus) -> int:
        row = self._db().execute("SELECT COUNT(*) FROM jobs WHERE status = ?", (status,)).fetchone()
        return int(row[0])


def _identity(path: Path) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_dev, st.st_ino


def _one_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def _job(row: sqlite3.Row) -> Job:
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
    )
