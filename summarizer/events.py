"""What a run reports while it works, as values: the CLI prints them, the service counts them.

Each event's `str()` is the line the command line prints for it (and the service logs), so no
reader ever has to parse a sentence back into numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


def _claims(n: int) -> str:
    return f"{n} claim" if n == 1 else f"{n} claims"


@dataclass(frozen=True)
class ArticleStarted:
    """The model starts on article `index` of `total` (cache misses only)."""

    index: int
    total: int
    article_id: str

    def __str__(self) -> str:
        return f"[{self.index}/{self.total}] {self.article_id}: extracting..."


@dataclass(frozen=True)
class ArticleDone:
    """An article was extracted and its claims checked; `dropped` counts the invalid ones only."""

    index: int
    total: int
    article_id: str
    verified: int
    dropped: int
    seconds: float

    def __str__(self) -> str:
        return (
            f"[{self.index}/{self.total}] {self.article_id}: {_claims(self.verified)} verified, "
            f"{self.dropped} dropped ({self.seconds:.1f}s)"
        )


@dataclass(frozen=True)
class ArticleCached:
    """An article's claims came from the extraction cache: no model call."""

    index: int
    total: int
    article_id: str
    claims: int

    def __str__(self) -> str:
        return f"[{self.index}/{self.total}] {self.article_id}: {_claims(self.claims)} (cached)"


@dataclass(frozen=True)
class Reasking:
    """The model's answer for an article failed the checks; it is asked once more, told why."""

    article_id: str
    problem: str

    def __str__(self) -> str:
        return f"{self.article_id}: re-asking ({self.problem})"


@dataclass(frozen=True)
class ModelAssembling:
    """The bundled model's weights are being joined into one file (reported every 10%)."""

    percent: int

    def __str__(self) -> str:
        return f"assembling model: {self.percent}%"


@dataclass(frozen=True)
class ModelRebuilding:
    """The assembled model file turned out corrupt after it was verified; it is built again."""

    def __str__(self) -> str:
        return "the model file is corrupt; rebuilding it from the installed packages..."


@dataclass(frozen=True)
class ServerStarting:
    """The embedded model server is being started (it takes seconds to load the model)."""

    def __str__(self) -> str:
        return "starting the embedded model server..."


@dataclass(frozen=True)
class CheckingConflicts:
    """The model is asked to confirm or reject the rules' conflicts and near merges."""

    def __str__(self) -> str:
        return "asking the model to check the conflicts and near merges..."


@dataclass(frozen=True)
class WritingSummary:
    """The model writes the brief's summary."""

    def __str__(self) -> str:
        return "writing the summary with the model..."


Event = (
    ArticleStarted
    | ArticleDone
    | ArticleCached
    | Reasking
    | ModelAssembling
    | ModelRebuilding
    | ServerStarting
    | CheckingConflicts
    | WritingSummary
)
Listener = Callable[[Event], None]


def ignore(_: Event) -> None:
    """The listener of a caller that wants no reports."""
