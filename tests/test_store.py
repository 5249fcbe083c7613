"""The job store's rules (summarizer/serve/jobs.py), one suite run against both implementations:
a real SQLite file and a real PostgreSQL database (a throwaway server; see conftest.py).

Two stores opened on the same database stand for two service processes (for SQLite, as if the lock
had been bypassed: the rules hold even then).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from summarizer.errors import ConfigError
from summarizer.serve import migrations
from summarizer.serve.jobs import IDEMPOTENCY_SECONDS, JobStore, KeyReused
from summarizer.serve.sqlite_store import SQLiteStore
from summarizer.serve.stores import open_store

SHORT = 0.3  # seconds: a lease that runs out within a test


class Backend:
    """Opens stores on one database, and runs raw SQL on it (to set up what a test needs)."""

    def __init__(self, kind: str, db: str | Path) -> None:
        self.kind, self.db = kind, db
        self.opened: list[JobStore] = []

    def store(self, **options: Any) -> JobStore:
        store = open_store(self.db, **options)
        self.opened.append(store)
        return store

    def sql(self, statement: str, *params: Any) -> list[tuple[Any, ...]]:
        if self.kind == "sqlite":
            with sqlite3.connect(self.db) as conn:
                return list(conn.execute(statement, params).fetchall())
        import psycopg

        with psycopg.connect(str(self.db), autocommit=True) as conn:
            cursor = conn.execute(statement.replace("?", "%s"), params)  # type: ignore[arg-type]
            return list(cursor.fetchall()) if cursor.description else []


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    db: str | Path = tmp_path / "jobs.sqlite3"
    if request.param == "postgres":
        db = request.getfixturevalue("pg_url")
    made = Backend(request.param, db)
    yield made
    for store in made.opened:
        store.close()


def queue(store: JobStore, n: int = 1, **options: Any) -> list[str]:
    ids = []
    for i in range(n):
        submitted = store.create({"articles": [{"id": f"a{i}"}]}, total=1, callback_url=None, **options)
        assert submitted is not None
        ids.append(submitted.job.id)
    return ids


def expire(backend: Backend, job_id: str) -> None:
    """Make a running job's lease run out now, as if its process had died a lease ago."""
    backend.sql("UPDATE jobs SET lease_until = ? WHERE id = ?", time.time() - 3600, job_id)


# ---- the queue ------------------------------------------------------------------------------------


def test_a_created_job_is_queued_with_its_request(backend: Backend) -> None:
    store = backend.store()
    submitted = store.create({"articles": [{"id": "a"}]}, total=2, callback_url="https://cms.example/hook")
    assert submitted is not None and not submitted.replayed
    job = store.get(submitted.job.id)
    assert job == submitted.job
    assert (job.status, job.request, job.total, job.attempts) == ("queued", {"articles": [{"id": "a"}]}, 2, 0)
    assert (job.callback_url, job.callback_state) == ("https://cms.example/hook", "pending")


def test_a_claim_takes_the_oldest_queued_job_and_leases_it(backend: Backend) -> None:
    store = backend.store(lease=30)
    first, _ = queue(store, 2)
    before = time.time()
    job = store.claim_next()
    assert job is not None and job.id == first
    assert (job.status, job.attempts, job.owner) == ("running", 1, store.owner)
    assert job.lease_until is not None and before + 25 < job.lease_until < time.time() + 35


def test_two_processes_never_claim_the_same_job(backend: Backend) -> None:
    stores = [backend.store(), backend.store()]
    ids = set(queue(stores[0], 20))
    claimed: list[str] = []
    lock = threading.Lock()

    def work(store: JobStore) -> None:
        while (job := store.claim_next()) is not None:
            with lock:
                claimed.append(job.id)

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(work, stores * 2))
    assert sorted(claimed) == sorted(ids)


def test_a_renewed_lease_keeps_the_job_from_other_processes(backend: Backend) -> None:
    mine, other = backend.store(lease=SHORT), backend.store(lease=SHORT)
    queue(mine)
    job = mine.claim_next()
    assert job is not None
    for _ in range(4):
        time.sleep(SHORT / 3)
        assert mine.renew(job.id, job.attempts)
    assert other.claim_next() is None


def test_a_job_whose_lease_ran_out_is_taken_over_on_a_new_attempt(backend: Backend) -> None:
    dead, alive = backend.store(lease=SHORT), backend.store()
    queue(dead)
    job = dead.claim_next()
    assert job is not None
    expire(backend, job.id)
    taken = alive.claim_next()
    assert taken is not None and (taken.id, taken.attempts, taken.owner) == (job.id, 2, alive.owner)


def test_a_process_cannot_change_a_job_another_took_over(backend: Backend) -> None:
    dead, alive = backend.store(), backend.store()
    queue(dead)
    job = dead.claim_next()
    assert job is not None
    expire(backend, job.id)
    assert alive.claim_next() is not None
    assert not dead.finish(job.id, '{"stale": true}', attempt=job.attempts)
    assert not dead.fail(job.id, "error", "stale", attempt=job.attempts)
    assert not dead.progress(job.id, 1, 1, attempt=job.attempts)
    assert not dead.renew(job.id, job.attempts)
    now = alive.get(job.id)
    assert now is not None and (now.status, now.result, now.error, now.done) == ("running", None, None, 0)
    assert alive.finish(job.id, '{"fresh": true}', attempt=2)
    done = alive.get(job.id)
    assert done is not None and (done.status, done.result) == ("done", '{"fresh": true}')


def test_a_job_started_as_often_as_attempts_allow_fails_when_its_lease_runs_out(backend: Backend) -> None:
    store = backend.store(attempts=2)
    (job_id,) = queue(store)
    for attempt in (1, 2):
        job = store.claim_next()
        assert job is not None and job.attempts == attempt
        expire(backend, job_id)
    assert store.claim_next() is None
    failed = store.get(job_id)
    assert failed is not None and failed.status == "failed" and failed.error is not None
    assert failed.error["code"] == "interrupted" and "2 times" in failed.error["message"]


def test_a_released_job_is_queued_again_without_counting_the_attempt(backend: Backend) -> None:
    store = backend.store()
    (job_id,) = queue(store)
    assert store.claim_next() is not None
    assert store.release(job_id)
    job = store.get(job_id)
    assert job is not None and (job.status, job.attempts, job.owner) == ("queued", 0, None)


def test_recovery_at_start_requeues_the_jobs_whose_lease_ran_out(backend: Backend) -> None:
    dead = backend.store()
    (job_id,) = queue(dead)
    assert dead.claim_next() is not None
    expire(backend, job_id)
    assert backend.store().recover() == (1, 0)
    job = dead.get(job_id)
    assert job is not None and (job.status, job.attempts) == ("queued", 1)


def test_the_queue_limit_holds_under_thirty_concurrent_submissions(backend: Backend) -> None:
    stores = [backend.store(), backend.store()]
    barrier = threading.Barrier(30)

    def submit(i: int) -> bool:
        barrier.wait()
        return stores[i % 2].create({"n": i}, total=1, callback_url=None, max_queued=10) is not None

    with ThreadPoolExecutor(30) as pool:
        accepted = list(pool.map(submit, range(30)))
    assert accepted.count(True) == 10 and stores[0].count("queued") == 10


# ---- idempotency keys -----------------------------------------------------------------------------


def test_the_same_key_and_request_return_the_first_job(backend: Backend) -> None:
    store = backend.store()
    first = store.create({"n": 1}, total=1, callback_url=None, key="k-1", digest="d1")
    again = store.create({"n": 1}, total=1, callback_url=None, key="k-1", digest="d1")
    assert first is not None and again is not None
    assert (again.job.id, again.replayed, first.replayed) == (first.job.id, True, False)
    assert store.count("queued") == 1


def test_the_same_key_with_another_request_is_refused(backend: Backend) -> None:
    store = backend.store()
    assert store.create({"n": 1}, total=1, callback_url=None, key="k-1", digest="d1") is not None
    with pytest.raises(KeyReused):
        store.create({"n": 2}, total=1, callback_url=None, key="k-1", digest="d2")
    assert store.count("queued") == 1


def test_one_key_sent_to_two_processes_at_once_makes_one_job(backend: Backend) -> None:
    stores = [backend.store(), backend.store()]
    barrier = threading.Barrier(8)

    def submit(i: int) -> str:
        barrier.wait()
        submitted = stores[i % 2].create({"n": 1}, total=1, callback_url=None, key="k-race", digest="d")
        assert submitted is not None
        return submitted.job.id

    with ThreadPoolExecutor(8) as pool:
        ids = set(pool.map(submit, range(8)))
    assert len(ids) == 1 and stores[0].count("queued") == 1


def test_a_key_is_kept_a_day_and_then_forgotten(backend: Backend) -> None:
    store = backend.store()
    first = store.create({"n": 1}, total=1, callback_url=None, key="k-old", digest="d1")
    assert first is not None
    backend.sql("UPDATE idempotency_keys SET created = created - ?", IDEMPOTENCY_SECONDS - 60)
    kept = store.create({"n": 1}, total=1, callback_url=None, key="k-old", digest="d1")
    assert kept is not None and kept.job.id == first.job.id
    backend.sql("UPDATE idempotency_keys SET created = created - 120")
    later = store.create({"n": 2}, total=1, callback_url=None, key="k-old", digest="d2")
    assert later is not None and not later.replayed and later.job.id != first.job.id


def test_a_submission_refused_for_a_full_queue_leaves_its_key_unused(backend: Backend) -> None:
    store = backend.store()
    queue(store, 1)
    assert store.create({"n": 1}, total=1, callback_url=None, max_queued=1, key="k-full", digest="d1") is None
    assert store.claim_next() is not None  # room again
    later = store.create({"n": 2}, total=1, callback_url=None, max_queued=1, key="k-full", digest="d2")
    assert later is not None and not later.replayed


# ---- the callbacks' queue -------------------------------------------------------------------------


def finished_with_callback(store: JobStore) -> str:
    submitted = store.create({"n": 1}, total=1, callback_url="https://cms.example/hook")
    assert submitted is not None
    job = store.claim_next()
    assert job is not None and store.finish(job.id, "{}", attempt=job.attempts)
    return job.id


def test_a_leased_callback_is_not_taken_by_another_process(backend: Backend) -> None:
    first, second = backend.store(), backend.store()
    job_id = finished_with_callback(first)
    claimed = first.claim_callback(lease=30)
    assert claimed is not None and (claimed.id, claimed.callback_attempts) == (job_id, 1)
    assert second.claim_callback(lease=30) is None


def test_a_delivered_callback_is_never_claimed_again(backend: Backend) -> None:
    store = backend.store()
    job_id = finished_with_callback(store)
    claimed = store.claim_callback(lease=SHORT)
    assert claimed is not None
    assert store.callback_result(job_id, attempt=1, delivered=True, error=None, retry_in=None)
    time.sleep(SHORT)
    assert store.claim_callback(lease=SHORT) is None
    assert store.callback_due_in() is None
    job = store.get(job_id)
    assert job is not None and (job.callback_state, job.callback_attempts) == ("delivered", 1)


def test_a_failed_try_is_due_again_after_its_backoff(backend: Backend) -> None:
    store = backend.store()
    job_id = finished_with_callback(store)
    assert store.claim_callback(lease=30) is not None
    assert store.callback_result(job_id, attempt=1, delivered=False, error="answered HTTP 503", retry_in=5)
    due = store.callback_due_in()
    assert due is not None and 3 < due <= 5
    assert store.claim_callback(lease=30) is None
    job = store.get(job_id)
    assert job is not None and (job.callback_state, job.callback_error) == ("pending", "answered HTTP 503")


def test_a_dead_processs_callback_is_sent_by_another_and_its_late_answer_is_not_recorded(backend: Backend) -> None:
    dead, alive = backend.store(), backend.store()
    job_id = finished_with_callback(dead)
    assert dead.claim_callback(lease=SHORT) is not None
    time.sleep(SHORT + 0.1)
    taken = alive.claim_callback(lease=30)
    assert taken is not None and taken.callback_attempts == 2
    assert not dead.callback_result(job_id, attempt=1, delivered=False, error="late", retry_in=None)
    assert alive.callback_result(job_id, attempt=2, delivered=True, error=None, retry_in=None)
    job = alive.get(job_id)
    assert job is not None and (job.callback_state, job.callback_error) == ("delivered", None)


# ---- migrations -----------------------------------------------------------------------------------


def test_a_new_database_runs_every_migration_once_in_order(backend: Backend) -> None:
    backend.store()
    backend.store()  # a second start (or a second replica) runs nothing again
    rows = backend.sql("SELECT name FROM schema_migrations ORDER BY name")
    assert [r[0] for r in rows] == [m.name for m in migrations.MIGRATIONS]


def test_a_database_migrated_by_a_newer_version_is_refused(backend: Backend) -> None:
    backend.store()
    backend.sql("INSERT INTO schema_migrations (name, applied) VALUES ('9999_from_the_future', 0)")
    with pytest.raises(ConfigError, match="migrated by a newer summarizer .9999_from_the_future."):
        backend.store()


# ---- SQLite's own: files made before migrations ---------------------------------------------------


@pytest.mark.parametrize("version", [1, 2])
def test_a_sqlite_file_from_before_migrations_keeps_its_jobs(tmp_path: Path, version: int) -> None:
    db = tmp_path / "jobs.sqlite3"
    with sqlite3.connect(db) as conn:
        for m in migrations.MIGRATIONS[:version]:
            for statement in m.sqlite:
                conn.execute(statement)
        conn.execute(
            "INSERT INTO jobs (id, status, request, created, updated) VALUES ('old', 'queued', '{\"n\": 1}', 1, 1)"
        )
        conn.execute(f"PRAGMA user_version = {version}")
    store = SQLiteStore(db)
    job = store.claim_next()
    assert job is not None and (job.id, job.request, job.attempts) == ("old", {"n": 1}, 1)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(migrations.MIGRATIONS)


def test_a_sqlite_file_with_an_unknown_schema_number_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "jobs.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA user_version = 7")
    with pytest.raises(ConfigError, match="job database schema 7 is not known"):
        SQLiteStore(db)
