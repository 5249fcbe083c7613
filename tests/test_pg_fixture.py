"""Without PostgreSQL, its tests skip and say why; under SUMMARIZER_REQUIRE_PG=1 (CI) they fail instead."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ONE_PG_TEST = "tests/test_store.py::test_a_created_job_is_queued_with_its_request[postgres]"


def run_without_postgres(**extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUMMARIZER_")}
    env.update(SUMMARIZER_PG_BIN="/nonexistent", **extra)  # no server binaries here, no server given
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", ONE_PG_TEST],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def test_a_postgresql_test_skips_with_the_reason_when_there_is_no_server() -> None:
    result = run_without_postgres()
    assert result.returncode == 0, result.stdout
    assert "1 skipped" in result.stdout
    assert "no PostgreSQL: PostgreSQL is not installed" in result.stdout


def test_a_postgresql_test_that_cannot_run_fails_when_postgresql_is_required() -> None:
    result = run_without_postgres(SUMMARIZER_REQUIRE_PG="1")
    assert result.returncode != 0
    assert "SUMMARIZER_REQUIRE_PG=1, but PostgreSQL is not installed" in result.stdout
    assert "skipped" not in result.stdout
