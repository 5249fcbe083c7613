"""On-disk cache of extractions, so a second run of the same brief makes no model call.

The cache holds text only. diskcache stores other values as pickles and unpickles whatever a row
says it holds, so anyone who can write the cache's SQLite file could run code in every later run
(CVE-2025-69872). `TextDisk` refuses that: it stores only `str` and `bytes`, reads a pickled row as
a miss and deletes it. The cache directory is created readable by its owner only (0700).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from types import TracebackType
from typing import Any

import diskcache

from summarizer.models import Extraction

CACHE_FORMAT = "2"  # the stored form of an Extraction: 2 since Dropped.kind (older entries are misses)


class _Refused:
    """What `TextDisk.fetch` returns for a row it will not read (a pickle): never a cached value."""


REFUSED: Any = _Refused()


class TextDisk(diskcache.Disk):  # type: ignore[misc, unused-ignore]  # diskcache has no type hints
    """A diskcache `Disk` that never pickles or unpickles: keys are `str`, values `str` or `bytes`."""

    def put(self, key: Any) -> tuple[Any, bool]:
        if type(key) is not str:
            raise TypeError(f"cache keys are text, not {type(key).__name__}")
        stored: tuple[Any, bool] = super().put(key)
        return stored

    def get(self, key: Any, raw: bool) -> Any:
        if not raw:  # a pickled key: never unpickled
            return REFUSED
        return super().get(key, raw)

    def store(self, value: Any, read: bool, key: Any = diskcache.core.UNKNOWN) -> Any:
        if read or type(value) not in (str, bytes):
            raise TypeError(f"the cache stores text or bytes, not {type(value).__name__}")
        return super().store(value, read, key=key)

    def fetch(self, mode: int, filename: str | None, value: Any, read: bool) -> Any:
        if mode not in (diskcache.core.MODE_RAW, diskcache.core.MODE_BINARY, diskcache.core.MODE_TEXT) or read:
            return REFUSED
        if filename is not None and not _inside(filename):
            return REFUSED
        result = super().fetch(mode, filename, value, read)
        return result if type(result) in (str, bytes) else REFUSED

    def remove(self, file_path: str) -> None:
        if _inside(file_path):  # a row naming a file elsewhere deletes nothing there
            super().remove(file_path)


def _inside(filename: str) -> bool:
    """Whether a file name from a cache row stays inside the cache directory."""
    return not os.path.isabs(filename) and ".." not in Path(filename).parts


def extraction_key(*, model: str, endpoint: str, prompt_version: str, dialect: str, text: str) -> str:
    """Everything that changes the answer goes into the key; the API key never does."""
    text_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()
    parts = [CACHE_FORMAT, model, endpoint, prompt_version, dialect, text_hash]
    return hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()


class ExtractionCache:
    """A thin typed layer over diskcache (SQLite underneath, safe across processes)."""

    def __init__(self, directory: Path, *, enabled: bool = True) -> None:
        self.enabled = enabled
        self._cache: diskcache.Cache | None = None
        if enabled:
            folder = directory / "extractions"
            _private_dirs(folder)
            self._cache = diskcache.Cache(str(folder), disk=TextDisk)

    def _read(self, key: str) -> str | None:
        """The text stored under `key`; anything else there (a pickle) is deleted and counts as a miss."""
        if self._cache is None:
            return None
        value = self._cache.get(key)
        if value is REFUSED:
            self._cache.delete(key)
            return None
        return value if isinstance(value, str) else None

    def get(self, key: str) -> Extraction | None:
        data = self._read(key)
        if data is None:
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
        return self._read(key)

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


def _private_dirs(folder: Path) -> None:
    """Create `folder` (and missing parents) with mode 0700: the cache is nobody else's to read or write."""
    missing = []
    for parent in (folder, *folder.parents):
        if parent.exists():
            break
        missing.append(parent)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    for created in missing:
        os.chmod(created, 0o700)  # mkdir's mode is masked by the umask, and parents get the default
