"""Durable job store for the HTTP service: one SQLite file in WAL mode, safe across crashes.

A job is committed before the service answers 202, so nothing accepted is lost. When the service
starts again, every job a crash left `running` goes back to the queue (its extractions already made
are in the extraction cache, so the work resumes rather than restarts). A job that was running
during `MAX_ATTEMPTS` crashes in a row fails instead, so one poisonous request cannot keep a
service in a crash loop. One service process owns a database file at a time (see `JobStore.lock`).
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from summarizer.errors import ConfigError

JobStatus = Literal["queued", "running", "done", "failed"]
CallbackState = Literal["pending", "delivered", "failed"]
MAX_ATTEMPTS = 3
_SCHEMA_VERSION = 1

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
    updated REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_status ON jobs (status, created);
"""


@dataclass(frozen=True)
class Limits:
    """What one request to the service may hold; anything larger is refused with a 4xx and a JSON error.

    (Here rather than in service.py so the command line can show the defaults without importing FastAPI.)
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


class JobStore:
    """Jobs and results in SQLite; each thread has its own connection, each call its own transaction."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._lock_file: int | None = None
        try:
            db = self._db()
            mode = db.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            db.executescript(_SCHEMA)
            version = db.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise ConfigError(f"{path}: not a usable job database ({exc})") from exc
        if str(mode).lower() != "wal":
            raise ConfigError(f"{path}: SQLite could not switch the job database to WAL mode (got {mode!r})")
        if version == 0:
            db.execute(f"PRAGMA user_version = {_SCHEMA_VERSION}")
        elif version != _SCHEMA_VERSION:
            raise ConfigError(f"{path}: job database schema {version} is not {_SCHEMA_VERSION}; use a new file")

    def _db(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA synchronous=FULL")  # a 202 means the job is on disk
            conn.execute("PRAGMA busy_timeout=30000")
            self._local.conn = conn
        return conn

    def lock(self) -> None:
        """Claim the database for this process, or fail with a one-line error if a live service holds it.

        The lock is an advisory `flock` on `<db>.lock`, released by the kernel when the process dies,
        so a crashed service never blocks its own restart.
        """
        try:
            import fcntl
        except ImportError:  # not POSIX: one process per file is then the operator's promise
            return
        fd = os.open(f"{self.path}.lock", os.O_RDWR | os.O_CREAT, 0o644)
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

    def create(self, request: dict[str, Any], *, total: int, callback_url: str | None) -> Job:
        now = time.time()
        job_id = uuid.uuid4().hex
        self._db().execute(
            "INSERT INTO jobs (id, status, request, total, callback_url, callback_state, created, updated)"
            " VALUES (?, 'queued', ?, ?, ?, ?, ?, ?)",
            (job_id, json.dumps(request), total, callback_url, "pending" if callback_url else None, now, now),
        )
        job = self.get(job_id)
        assert job is not None
        return job

    def get(self, job_id: str) -> Job | None:
        row = self._db().execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return _job(row) if row else None

    def claim_next(self) -> Job | None:
        """Take the oldest queued job and mark it running (atomically: safe with several workers)."""
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            row = db.execute("SELECT id FROM jobs WHERE status = 'queued' ORDER BY created, id LIMIT 1").fetchone()
            if row is not None:
                db.execute(
                    "UPDATE jobs SET status = 'running', attempts = attempts + 1, updated = ? WHERE id = ?",
                    (time.time(), row["id"]),
                )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return self.get(row["id"]) if row is not None else None

    def progress(self, job_id: str, done: int, total: int) -> None:
        self._db().execute(
            "UPDATE jobs SET done = ?, total = ?, updated = ? WHERE id = ? AND status = 'running'",
            (done, total, time.time(), job_id),
        )

    def finish(self, job_id: str, result: str) -> None:
        self._db().execute(
            "UPDATE jobs SET status = 'done', result = ?, error = NULL, done = total, updated = ? WHERE id = ?",
            (result, time.time(), job_id),
        )

    def fail(self, job_id: str, code: str, message: str) -> None:
        self._db().execute(
            "UPDATE jobs SET status = 'failed', error = ?, updated = ? WHERE id = ?",
            (json.dumps({"code": code, "message": message}), time.time(), job_id),
        )

    def release(self, job_id: str) -> None:
        """A clean shutdown hands a running job back to the queue without counting it as a crash."""
        self._db().execute(
            "UPDATE jobs SET status = 'queued', attempts = MAX(attempts - 1, 0), updated = ?"
            " WHERE id = ? AND status = 'running'",
            (time.time(), job_id),
        )

    def recover(self) -> tuple[int, int]:
        """After a crash: running jobs go back to the queue, or fail after MAX_ATTEMPTS. Returns (requeued, failed)."""
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
                "UPDATE jobs SET status = 'failed', error = ?, updated = ? WHERE status = 'running' AND attempts >= ?",
                (message, now, MAX_ATTEMPTS),
            ).rowcount
            requeued = db.execute(
                "UPDATE jobs SET status = 'queued', updated = ? WHERE status = 'running'", (now,)
            ).rowcount
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return requeued, failed

    def undelivered(self) -> list[Job]:
        """Finished jobs whose callback was not yet made (the service stopped before it could)."""
        rows = (
            self._db()
            .execute(
                "SELECT * FROM jobs WHERE status IN ('done', 'failed') AND callback_state = 'pending' ORDER BY updated"
            )
            .fetchall()
        )
        return [_job(row) for row in rows]

    def callback_done(self, job_id: str, delivered: bool) -> None:
        self._db().execute(
            "UPDATE jobs SET callback_state = ? WHERE id = ?", ("delivered" if delivered else "failed", job_id)
        )

    def count(self, status: JobStatus) -> int:
        row = self._db().execute("SELECT COUNT(*) FROM jobs WHERE status = ?", (status,)).fetchone()
        return int(row[0])


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
    )
