"""Child processes for tests: Ctrl-C works in them whatever the parent ignores, and nothing outlives the test."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

# A child inherits an ignored SIGINT (nohup, a background job, some CI runners), and Python then never turns
# SIGINT into KeyboardInterrupt. This first program puts SIGINT back to its default and execs the real one in
# the same process (same pid), which then installs its own handler as it would from a terminal.
_SIGINT_DEFAULT_THEN_EXEC = (
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])"
)


def interruptible(argv: Sequence[str]) -> list[str]:
    """`argv` (an absolute executable first) started with SIGINT at its default disposition."""
    return [sys.executable, "-c", _SIGINT_DEFAULT_THEN_EXEC, *argv]


@contextmanager
def child(argv: Sequence[str], **popen: Any) -> Iterator[subprocess.Popen[Any]]:
    """Run `argv` with Ctrl-C working in it; on the way out, kill it if it still runs, reap it, close its pipes.

    A test that fails mid-way (a timeout, an assertion) thus leaves no process and no open pipe behind for the
    garbage collector to report as a ResourceWarning in some later test.
    """
    with subprocess.Popen(interruptible(argv), **popen) as proc:
        try:
            yield proc
        finally:
            if proc.poll() is None:
                proc.kill()
            # Popen.__exit__ closes the pipes and waits; the process is dead or dying by now.
