"""A throwaway PostgreSQL server in a temporary directory, for the tests and the soak benchmark (stdlib only).

It uses the server binaries installed on the machine (Debian's `/usr/lib/postgresql/N/bin`, the newest
N; or `SUMMARIZER_PG_BIN`). PostgreSQL refuses to run as root, so under root the server runs as the
`postgres` user (`runuser`), in a directory handed to that user. `fast` turns off fsync: right for
tests, whose server dies with them; the benchmark leaves it on, as a real server would.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

PG_BIN = os.environ.get("SUMMARIZER_PG_BIN")  # read at import: the tests clear SUMMARIZER_ variables


def find_bin() -> Path | None:
    """The directory of initdb, pg_ctl and postgres, or None when PostgreSQL is not installed."""
    given = PG_BIN
    if given:
        return Path(given) if (Path(given) / "initdb").exists() else None
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if versions:
        return versions[-1].parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def why_unavailable() -> str | None:
    """Why no throwaway server can start here (None: it can)."""
    if find_bin() is None:
        return "PostgreSQL is not installed (no initdb in /usr/lib/postgresql/*/bin or on PATH; set SUMMARIZER_PG_BIN)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root, and there is no 'postgres' user to run PostgreSQL as"
        if shutil.which("runuser") is None:
            return "running as root, and there is no runuser to run PostgreSQL as 'postgres'"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def throwaway(*, fast: bool = True, max_connections: int = 200) -> Iterator[str]:
    """Start a new PostgreSQL server on a free loopback port; yield its URL (user postgres, no password)."""
    bin_dir = find_bin()
    if bin_dir is None:
        raise RuntimeError(why_unavailable() or "PostgreSQL is not installed")
    as_root = os.geteuid() == 0
    run_as = ["runuser", "-u", "postgres", "--"] if as_root else []
    home = Path(tempfile.mkdtemp(prefix="summarizer-pg-"))
    if as_root:
        entry = pwd.getpwnam("postgres")
        os.chown(home, entry.pw_uid, entry.pw_gid)
    data, port = home / "data", _free_port()
    options = f"-k {home} -c listen_addresses=127.0.0.1 -p {port} -c max_connections={max_connections}"
    if fast:
        options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE, "check": True}
    try:
        initdb = [*run_as, str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"]
        subprocess.run([*initdb, *(["--no-sync"] if fast else [])], **quiet)
        subprocess.run(
            [*run_as, str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(home / "log"), "-w", "-o", options, "start"],
            **quiet,
        )
    except subprocess.CalledProcessError as exc:
        log = home / "log"
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        shutil.rmtree(home, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL did not start: {exc.stderr.decode(errors='replace')}{tail}") from exc
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*run_as, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shutil.rmtree(home, ignore_errors=True)


def with_schema(url: str, schema: str) -> str:
    """`url` with its connections' search path set to `schema` (tables are made and found there)."""
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
