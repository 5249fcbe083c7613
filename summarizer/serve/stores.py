"""Which job store `--db` names: a PostgreSQL URL, or else a SQLite file (jobs.py has the rules both keep)."""

from __future__ import annotations

from pathlib import Path

from summarizer.errors import ConfigError
from summarizer.install import install_hint
from summarizer.serve.jobs import LEASE_SECONDS, MAX_ATTEMPTS, JobStore
from summarizer.serve.sqlite_store import SQLiteStore

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def is_postgres(db: str | Path) -> bool:
    return isinstance(db, str) and db.startswith(POSTGRES_SCHEMES)


def open_store(
    db: str | Path, *, lock: bool = False, lease: float = LEASE_SECONDS, attempts: int = MAX_ATTEMPTS
) -> JobStore:
    """Open the job store `db` names. `lock` claims a SQLite file for this process (a PostgreSQL
    database is shared by design: its rows are leased instead)."""
    if is_postgres(db):
        try:
            from summarizer.serve.pg_store import PostgresStore
        except ImportError as exc:
            raise ConfigError(f"a PostgreSQL job store needs psycopg ({exc}): {install_hint('server')}") from exc
        return PostgresStore(str(db), lease=lease, attempts=attempts)
    return SQLiteStore(Path(db), lock=lock, lease=lease, attempts=attempts)
