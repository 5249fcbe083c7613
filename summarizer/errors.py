"""Typed errors: one base class so callers (and the CLI) can catch everything we raise."""

from __future__ import annotations


class SummarizerError(Exception):
    """Base class for every error summarizer raises on purpose."""


class InputError(SummarizerError):
    """The user's input cannot be used (missing, empty or binary file, no articles)."""


class NoSentencesError(InputError):
    """An article holds no sentence to check: only headings, header lines or web boilerplate."""


class ConfigError(SummarizerError):
    """Configuration is missing or contradictory (bad flag, unknown dialect, bad env var)."""


class ModelError(SummarizerError):
    """The model endpoint failed: unreachable, erroring, or timing out after retries."""

    def __init__(self, message: str, *, endpoint: str | None = None, original: BaseException | None = None):
        super().__init__(message)
        self.endpoint = endpoint
        self.original = original


class ModelOutputError(SummarizerError):
    """The model answered, but its output could not be used even after a re-ask."""


class EmbeddedServerError(SummarizerError):
    """The bundled local model could not be assembled or started."""


class JobStoreError(SummarizerError):
    """The service's job database went away or broke while it ran (deleted, replaced, unreadable)."""
