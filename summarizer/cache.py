"""On-disk cache of extractions, so a second run of the same brief makes no model call."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from types import TracebackType

import diskcache

from summarizer.models import Extraction

CACHE_FORMAT = "1"


def extraction_key(*, model: str, endpoint: str, prompt_version: str, dialect: str, text: str) -> str:
    """Everything that changes the answer goes into the key; the API key never does."""
    text_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()
    parts = [CACHE_FORMAT, model, endpoint, prompt_version, dialect, text_hash]
    return hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()


class ExtractionCache:
    """A thin typed layer over diskcache (SQLite underneath, safe across processes)."""

    def __init__(self, directory: Path, *, enabled: bool = True) -> None:
        self.enabled = enabled
        self._cache = diskcache.Cache(str(directory / "extractions")) if enabled else None

    def get(self, key: str) -> Extraction | None:
        if self._cache is None:
            return None
        data = self._cache.get(key)
        if not isinstance(data, str):
            return None
        try:
            return Extraction.model_validate_json(data)
        except ValueError:
            return None  # written by an incompatible version: treat as a miss

    def put(self, key: str, extraction: Extraction) -> None:
        if self._cache is not None:
            self._cache.set(key, extraction.model_dump_json())

    def get_text(self, key: str) -> str | None:
        """A small cached answer other than an extraction (e.g. an adjudication verdict)."""
        value = self._cache.get(key) if self._cache is not None else None
        return value if isinstance(value, str) else None

    def put_text(self, key: str, value: str) -> None:
        if self._cache is not None:
            self._cache.set(key, value)

    def close(self) -> None:
        if self._cache is not None:
            self._cache.close()

    def __enter__(self) -> ExtractionCache:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
