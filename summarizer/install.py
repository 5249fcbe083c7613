"""What to run when an optional part is missing: the command differs for a checkout and an installed package."""

from __future__ import annotations

import shlex
from pathlib import Path

from summarizer._version import __version__

# The name on PyPI (`summarizer` there is an unrelated project); the import name and the command stay `summarizer`.
DISTRIBUTION = "newsbrief-summarizer"
LOCK_FILE = "requirements.lock"


def source_tree() -> Path | None:
    """The checkout this code runs from (installed editable, or imported from the tree); None when installed."""
    root = Path(__file__).resolve().parent.parent
    return root if (root / "pyproject.toml").is_file() else None


def install_hint(extra: str) -> str:
    """The command that installs an extra (`local`, `server`) the way this copy of summarizer was installed.

    A checkout installs the locked versions of every extra, as its README says; an installed package adds
    the extra of its own version from PyPI.
    """
    root = source_tree()
    if root is not None:
        return f"pip install -r {shlex.quote(str(root / LOCK_FILE))}"
    return f"pip install '{DISTRIBUTION}[{extra}]=={__version__}'"
