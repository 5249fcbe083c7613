"""The default job store: one SQLite file in WAL mode, owned by one service process.

The rules it keeps are in jobs.py. What is SQLite's own:

- One service process owns a database file at a time (`lock`): an advisory `flock` on the database
  file itself, so a second service is refused whatever name it is given (a symlink, a hard link,
  another relative path), and a file with more than one hard link is refused outright: SQLite keeps
  its write-ahead log beside the name it was opened by, so two names of one file are two logs, and
  what one process commits the other never sees.
- At start, every job still `running` belongs to a process that is gone (the lock says so): it goes
  back to the queue, or fails once it has been started `attempts` times (`recover`).
- A database that is damaged at start is a `ConfigError`; one that is deleted or replaced while the
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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any, Concatenate, NoReturn, ParamSpec, TypeVar

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

P = ParamSpec("P")
R = TypeVar("R")


def _operation(method: Callable[Concatenate[SQLiteStore, P], R]) -> Callable[Concatenate[SQLiteStore, P], R]:
    """A store call: refused once the database is gone, and any SQLite error turns it gone for good."""

    @wraps(method)
    def call(self: SQLiteStore, /, *args: P.args, **kwargs: P.kwargs) -> R:
        self.check()
        try:
            return method(self, *args, **kwargs)
        except sqlite3.DatabaseError as exc:
            if type(exc) not in (sqlite3.DatabaseError, sqlite3.OperationalError):
                raise  # e.g. a constraint or a programming error: this call's problem, not the file's
            if "locked" in str(exc) or "busy" in str(exc):
                raise JobStoreError(f"the job database {self.path} stayed locked: {one_line(exc)}") from exc
            self._gone(f"SQLite failed on it ({one_line(exc)})", exc)

    return call


@contextmanager
def _immediate(db: sqlite3.Connection) -> Iterator[None]:
    """One write transaction, taken at its start (so a read inside it cannot be overtaken by a writer)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


class SQLiteStore:
    """Jobs and results in SQLite; each thread has its own connection, each call its own transaction."""

    def __init__(
        self, path: Path, *, lock: bool = False, lease: float = LEASE_SECONDS, attempts: int = MAX_ATTEMPTS
    ) -> None:
        """Open (or create) the database and run its missing migrations; with `lock`, claim it first (see
        `lock`), so that a second service is refused before it reads or changes anything."""
        self.path = path
        self.label = str(path)
        self.owner = uuid.uuid4().hex  # whose `running` jobs are whose: set on each job this store claims
        self.lease, self.attempts = lease, attempts
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
            self._migrate(db)
        except (sqlite3.DatabaseError, OSError) as exc:
            raise ConfigError(
                f"{path}: not a usable job database ({one_line(exc)}); give a new --db, or restore a backup"
            ) from exc
        if str(mode).lower() != "wal":
            raise ConfigError(f"{path}: SQLite could not switch the job database to WAL mode (got {mode!r})")

    def _migrate(self, db: sqlite3.Connection) -> None:
        """Run the migrations this file lacks, in one transaction (see migrations.py)."""
        with _immediate(db):
            db.execute(migrations.CREATE_TABLE.format(time="REAL"))
            applied = [row[0] for row in db.execute("SELECT name FROM schema_migrations")]
            legacy = db.execute("PRAGMA user_version").fetchone()[0]
            if not applied and legacy:
                if legacy not in migrations.LEGACY_USER_VERSIONS:
                    raise ConfigError(f"{self.path}: job database schema {legacy} is not known; use a new file")
                applied = [m.name for m in migrations.MIGRATIONS[: migrations.LEGACY_USER_VERSIONS[legacy]]]
                self._record_migrations(db, applied)
            todo = migrations.pending(applied, self.label)
            for migration in todo:
                for statement in migration.sqlite:
                    db.execute(statement)
            self._record_migrations(db, [m.name for m in todo])
            db.execute(f"PRAGMA user_version = {len(migrations.MIGRATIONS)}")

    @staticmethod
    def _record_migrations(db: sqlite3.Connection, names: list[str]) -> None:
        now = time.time()
        db.executemany("INSERT INTO schema_migrations (name, applied) VALUES (?, ?)", [(n, now) for n in names])

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

        The lock is an advisory `flock` on the database file itself (opened through its name, so a
        symlink leads to the same file, and a hard link is the same file), released by the kernel
        when the process dies, so a crashed service never blocks its own restart. A file with a second
        hard link is refused even when no one holds it (see the module's docstring).

        (flock and SQLite's own fcntl locks do not interact on Linux. The descriptor stays open until
        `close`: closing any descriptor of a file drops every fcntl lock this process holds on it.)
        """
        try:
            import fcntl
        except ImportError:  # not POSIX: one process per file is then the operator's promise
            return
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            raise ConfigError(
                f"{self.path} is in use by another summarizer service; give this one its own --db"
            ) from exc
        links = os.fstat(fd).st_nlink
        if links > 1:
            os.close(fd)
            raise ConfigError(
                f"{self.path} has {links} hard links; SQLite keeps a write-ahead log per name, so a job "
                "database must have one name: remove the other links, or give a new --db"
            )
        self._lock_file = fd

    def close(self) -> None:
        if self._lock_file is not None:
            os.close(self._lock_file)
            self._lock_file = None

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
        """Queue a job; with `max_queued`, only while fewer jobs are queued (counted and inserted in one
        transaction, so concurrent submissions cannot overshoot). None when the queue is full."""
        db, now = self._db(), time.time()
        job_id = uuid.uuid4().hex
        values = (job_id, json.dumps(request), total, callback_url, "pending" if callback_url else None, now, now)
        insert = (
            "INSERT INTO jobs (id, status, request, total, callback_url, callback_state, created, updated)"
            " SELECT ?, 'queued', ?, ?, ?, ?, ?, ?"
        )
        with _immediate(db):
            if key is not None:
                named = _named_job(db, key, digest or "", now)
                if named is not None:
                    return Submitted(self._get(db, named), replayed=True)
            if max_queued is None:
                inserted = db.execute(insert, values).rowcount
            else:
                room = " WHERE (SELECT COUNT(*) FROM jobs WHERE status = 'queued') < ?"
                inserted = db.execute(insert + room, (*values, max_queued)).rowcount
            if not inserted:
                return None
            if key is not None:
                db.execute(
                    "INSERT INTO idempotency_keys (key, digest, job_id, created) VALUES (?, ?, ?, ?)",
                    (key, digest or "", job_id, now),
                )
            return Submitted(self._get(db, job_id))

    @staticmethod
    def _get(db: sqlite3.Connection, job_id: str) -> Job:
        return job_from_row(db.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone())

    @_operation
    def get(self, job_id: str) -> Job | None:
        row = self._db().execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return job_from_row(row) if row else None

    @_operation
    def claim_next(self) -> Job | None:
        """Take the oldest queued job and mark it running, owned by this store and leased to it (atomically:
        safe with several workers); expired leases are settled first."""
        db, now = self._db(), time.time()
        with _immediate(db):
            self._reap(db, now, expired_only=True)
            row = db.execute("SELECT id FROM jobs WHERE status = 'queued' ORDER BY created, id LIMIT 1").fetchone()
            if row is None:
                return None
            db.execute(
                "UPDATE jobs SET status = 'running', owner = ?, attempts = attempts + 1, lease_until = ?, updated = ?"
                " WHERE id = ? AND status = 'queued'",
                (self.owner, now + self.lease, now, row["id"]),
            )
            return self._get(db, row["id"])

    def _reap(self, db: sqlite3.Connection, now: float, *, expired_only: bool) -> tuple[int, int]:
        """Running jobs whose holder is gone (all of them, or those whose lease ran out): failed once they
        were started `attempts` times, else queued again. Returns (requeued, failed)."""
        gone = "status = 'running'" + (" AND COALESCE(lease_until, 0) < ?" if expired_only else "")
        when: tuple[float, ...] = (now,) if expired_only else ()
        failed = db.execute(
            "UPDATE jobs SET status = 'failed', owner = NULL, lease_until = NULL, error = ?, updated = ?"
            f" WHERE {gone} AND attempts >= ?",
            (interrupted_error(self.attempts), now, *when, self.attempts),
        ).rowcount
        requeued = db.execute(
            f"UPDATE jobs SET status = 'queued', owner = NULL, lease_until = NULL, updated = ? WHERE {gone}",
            (now, *when),
        ).rowcount
        return requeued, failed

    # Every change to a running job names the job as the worker holds it: running, owned by this store,
    # on the attempt it claimed. A job another process took over (or handed back) is left alone, and the
    # call returns False.
    _HELD = " WHERE id = ? AND status = 'running' AND owner = ? AND (? IS NULL OR attempts = ?)"

    def _held(self, job_id: str, attempt: int | None) -> tuple[Any, ...]:
        return (job_id, self.owner, attempt, attempt)

    @_operation
    def renew(self, job_id: str, attempt: int) -> bool:
        cursor = self._db().execute(
            "UPDATE jobs SET lease_until = ?" + self._HELD, (time.time() + self.lease, *self._held(job_id, attempt))
        )
        return cursor.rowcount == 1

    @_operation
    def progress(self, job_id: str, done: int, total: int, *, attempt: int | None = None) -> bool:
        now = time.time()
        cursor = self._db().execute(
            "UPDATE jobs SET done = ?, total = ?, updated = ?, lease_until = ?" + self._HELD,
            (done, total, now, now + self.lease, *self._held(job_id, attempt)),
        )
        return cursor.rowcount == 1

    @_operation
    def finish(self, job_id: str, result: str, *, attempt: int | None = None) -> bool:
        cursor = self._db().execute(
            "UPDATE jobs SET status = 'done', result = ?, error = NULL, done = total, lease_until = NULL,"
            " updated = ?" + self._HELD,
            (result, time.time(), *self._held(job_id, attempt)),
        )
        return cursor.rowcount == 1

    @_operation
    def fail(self, job_id: str, code: str, message: str, *, attempt: int | None = None) -> bool:
        cursor = self._db().execute(
            "UPDATE jobs SET status = 'failed', error = ?, lease_until = NULL, updated = ?" + self._HELD,
            (json.dumps({"code": code, "message": message}), time.time(), *self._held(job_id, attempt)),
        )
        return cursor.rowcount == 1

    @_operation
    def release(self, job_id: str) -> bool:
        cursor = self._db().execute(
            "UPDATE jobs SET status = 'queued', owner = NULL, lease_until = NULL, attempts = MAX(attempts - 1, 0),"
            " updated = ? WHERE id = ? AND status = 'running' AND owner = ?",
            (time.time(), job_id, self.owner),
        )
        return cursor.rowcount == 1

    @_operation
    def recover(self) -> tuple[int, int]:
        """At start, every running job is a dead process's (this one holds the lock): requeue or fail it."""
        db = self._db()
        with _immediate(db):
            return self._reap(db, time.time(), expired_only=False)

    # ---- the callbacks' queue ----------------------------------------------------------------------

    _DUE = "status IN ('done', 'failed') AND callback_state = 'pending'"

    @_operation
    def claim_callback(self, lease: float) -> Job | None:
        db, now = self._db(), time.time()
        with _immediate(db):
            row = db.execute(
                f"SELECT id FROM jobs WHERE {self._DUE} AND COALESCE(callback_next, 0) <= ?"
                " ORDER BY COALESCE(callback_next, 0), updated LIMIT 1",
                (now,),
            ).fetchone()
            if row is None:
                return None
            db.execute(
                "UPDATE jobs SET callback_next = ?, callback_attempts = callback_attempts + 1 WHERE id = ?",
                (now + lease, row["id"]),
            )
            return self._get(db, row["id"])

    @_operation
    def callback_result(
        self, job_id: str, *, attempt: int, delivered: bool, error: str | None, retry_in: float | None
    ) -> bool:
        if delivered:
            state, error, retry_at = "delivered", None, None
        else:
            state = "pending" if retry_in is not None else "failed"
            retry_at = None if retry_in is None else time.time() + retry_in
        cursor = self._db().execute(
            "UPDATE jobs SET callback_state = ?, callback_error = ?, callback_next = ?"
            " WHERE id = ? AND callback_state = 'pending' AND callback_attempts = ?",
            (state, error, retry_at, job_id, attempt),
        )
        return cursor.rowcount == 1

    @_operation
    def callback_due_in(self) -> float | None:
        row = self._db().execute(f"SELECT MIN(COALESCE(callback_next, 0)) FROM jobs WHERE {self._DUE}").fetchone()
        return None if row[0] is None else max(float(row[0]) - time.time(), 0.0)

    @_operation
    def count(self, status: JobStatus) -> int:
        row = self._db().execute("SELECT COUNT(*) FROM jobs WHERE status = ?", (status,)).fetchone()
        return int(row[0])


def _named_job(db: sqlite3.Connection, key: str, digest: str, now: float) -> str | None:
    """The job an Idempotency-Key names (keys past their time are forgotten first); KeyReused if it was
    made from another request."""
    db.execute("DELETE FROM idempotency_keys WHERE created < ?", (now - IDEMPOTENCY_SECONDS,))
    row = db.execute("SELECT digest, job_id FROM idempotency_keys WHERE key = ?", (key,)).fetchone()
    if row is None:
        return None
    if row["digest"] != digest:
        raise KeyReused()
    return str(row["job_id"])


def _identity(path: Path) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_dev, st.st_ino
