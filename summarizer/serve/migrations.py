"""The job database's schema as named, ordered migrations, one list for SQLite and PostgreSQL.

Each migration has a name and its statements in each dialect (they differ in little more than the
type of a timestamp: SQLite's REAL is a double, PostgreSQL's is a single float, too coarse for epoch
seconds). A database records the names it has run in `schema_migrations`; a store runs the missing
ones in order, all in one transaction, at start. Both stores take a lock for it (SQLite's write lock,
a PostgreSQL advisory lock), so replicas that start together run each migration once. A database
that lists a migration this version does not know was made by a newer summarizer: it is refused
rather than guessed at.

Files made before migrations existed recorded a schema number in SQLite's `PRAGMA user_version`
(1: the first jobs table; 2: owner and callback-queue columns added); they are taken as having run
the migrations that number stands for (`LEGACY_USER_VERSIONS`). After migrating, a SQLite file's
`user_version` is the number of migrations run, so that an older summarizer, which checks it, refuses
the file instead of running on a schema it does not know.

Why not a migration tool: Alembic needs SQLAlchemy, which nothing else here uses; yoyo-migrations
(9.0) would bring three packages (sqlparse, tabulate, importlib-metadata) for what this list and one
table do, and neither adopts the SQLite files that recorded their schema in user_version. A queue
library (procrastinate, pgqueuer) would keep jobs in its own tables, for PostgreSQL only, while the
service reads its jobs back through one interface for both databases.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from summarizer.errors import ConfigError


@dataclass(frozen=True)
class Migration:
    name: str
    sqlite: tuple[str, ...]
    postgres: tuple[str, ...]


_JOBS = """
CREATE TABLE jobs (
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
    created {time} NOT NULL,
    updated {time} NOT NULL
)"""
_JOBS_INDEX = "CREATE INDEX jobs_status ON jobs (status, created)"
_OWNER_AND_CALLBACKS = (
    "ALTER TABLE jobs ADD COLUMN owner TEXT",
    "ALTER TABLE jobs ADD COLUMN callback_attempts INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE jobs ADD COLUMN callback_error TEXT",
    "ALTER TABLE jobs ADD COLUMN callback_next {time}",
)
_KEYS = """
CREATE TABLE idempotency_keys (
    key TEXT PRIMARY KEY,
    digest TEXT NOT NULL,
    job_id TEXT NOT NULL REFERENCES jobs (id),
    created {time} NOT NULL
)"""


def _typed(statements: Sequence[str], time: str) -> tuple[str, ...]:
    return tuple(s.format(time=time) for s in statements)


def _dialects(name: str, *statements: str) -> Migration:
    return Migration(name, _typed(statements, "REAL"), _typed(statements, "DOUBLE PRECISION"))


MIGRATIONS: tuple[Migration, ...] = (
    _dialects("0001_jobs", _JOBS, _JOBS_INDEX),
    _dialects("0002_owner_and_callback_queue", *_OWNER_AND_CALLBACKS),
    _dialects(
        "0003_leases",
        "ALTER TABLE jobs ADD COLUMN lease_until {time}",
        "CREATE INDEX jobs_callbacks_due ON jobs (callback_next) WHERE callback_state = 'pending'",
    ),
    _dialects("0004_idempotency_keys", _KEYS, "CREATE INDEX idempotency_keys_created ON idempotency_keys (created)"),
)
# PRAGMA user_version of a SQLite file made before migrations -> how many of MIGRATIONS it has run
LEGACY_USER_VERSIONS = {1: 1, 2: 2}
CREATE_TABLE = "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied {time} NOT NULL)"


def pending(applied: Sequence[str], where: str) -> list[Migration]:
    """The migrations still to run on a database that has run `applied`, in order.

    ConfigError if it has run one this version does not know, or skipped one (not a prefix of ours).
    """
    names = [m.name for m in MIGRATIONS]
    unknown = sorted(set(applied) - set(names))
    if unknown:
        raise ConfigError(
            f"{where}: the job database was migrated by a newer summarizer ({', '.join(unknown)}); "
            "run that version, or give a new database"
        )
    done = sorted(applied)
    if done != names[: len(done)]:
        raise ConfigError(f"{where}: the job database's migrations are out of order ({', '.join(done)})")
    return list(MIGRATIONS[len(done) :])
