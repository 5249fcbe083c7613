"""Shared fixtures: an empty cache per test, and vcr cassettes recorded from the embedded model.

Replay (the default) needs no model: requests are answered from `cassettes/`, matched on method,
path and the whole JSON body, so a prompt change fails loudly instead of silently re-using an answer.
`pytest --record` starts the real embedded server and re-records the cassettes of the tests it runs.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pgserver
import pytest
import vcr
from vcr.cassette import Cassette
from vcr.serializers import yamlserializer

from summarizer import config

ROOT = Path(__file__).resolve().parent.parent
CASSETTES = ROOT / "cassettes"
EXAMPLES = ROOT / "examples"
REPLAY_URL = "http://127.0.0.1:9/v1"  # the discard port: nothing answers if a cassette misses
_VOLATILE_RESPONSE_HEADERS = (
    "date",
    "set-cookie",
    "server",
    "openai-organization",
    "openai-processing-ms",
    "cf-ray",
    "request-id",
)


# Read once, at import: the autouse `isolated_env` clears every SUMMARIZER_ variable for each test.
PG_URL = os.environ.get("SUMMARIZER_TEST_PG_URL") or None  # a server of your own; else a throwaway one is started
REQUIRE_PG = os.environ.get("SUMMARIZER_REQUIRE_PG") == "1"  # CI: a PostgreSQL test that cannot run fails


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--record", action="store_true", help="re-record cassettes against the real embedded model server (slow)"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that needs PostgreSQL is marked `postgres` (`pytest -m postgres` runs just those)."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        params = list(callspec.params.values()) if callspec is not None else []
        if "pg_server" in getattr(item, "fixturenames", ()) or "postgres" in params:  # a store parametrised by name
            item.add_marker(pytest.mark.postgres)


def _no_postgres(reason: str) -> None:
    if REQUIRE_PG:
        pytest.fail(f"SUMMARIZER_REQUIRE_PG=1, but {reason}", pytrace=False)
    pytest.skip(f"no PostgreSQL: {reason}")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A PostgreSQL server's URL: SUMMARIZER_TEST_PG_URL, or a throwaway server started for this session.

    Without either, the tests that need it skip with the reason (and fail under SUMMARIZER_REQUIRE_PG=1).
    """
    if PG_URL:
        yield PG_URL
        return
    reason = pgserver.why_unavailable()
    if reason:
        _no_postgres(reason)
    with ExitStack() as stack:
        try:
            url = stack.enter_context(pgserver.throwaway())
        except RuntimeError as exc:
            _no_postgres(str(exc))
        yield url


@pytest.fixture(scope="session")
def new_pg_schema(pg_server: str) -> Iterator[Callable[[], str]]:
    """Makes a new, empty schema on the server and returns a URL whose connections use it (a schema is
    made in a millisecond, a database in half a second); all are dropped at the end."""
    import psycopg

    made: list[str] = []

    def new() -> str:
        name = f"summarizer_test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(pg_server, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{name}"')
        made.append(name)
        return pgserver.with_schema(pg_server, name)

    yield new
    with psycopg.connect(pg_server, autocommit=True) as conn:
        for name in made:
            conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


@pytest.fixture
def pg_url(new_pg_schema: Callable[[], str]) -> str:
    """A PostgreSQL URL of this test's own: a new, empty schema."""
    return new_pg_schema()


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    headers = response.get("headers", {})
    for name in list(headers):
        lowered = name.lower()
        if lowered in _VOLATILE_RESPONSE_HEADERS or lowered.startswith("x-"):
            del headers[name]
    body = response.get("body", {}).get("string")
    if isinstance(body, bytes | str):
        try:
            data = json.loads(body)
        except ValueError:
            return response
        if isinstance(data, dict):
            data.pop("created", None)  # a timestamp: drop it so re-recording diffs only on content
            response["body"]["string"] = json.dumps(data, indent=1, ensure_ascii=False).encode("utf-8")
    return response


class _ReadableYaml:
    """vcr's YAML serializer, with response bodies kept as readable text in the file.

    httpx needs bytes back at replay, so bodies are encoded on load and decoded on save.
    """

    @staticmethod
    def deserialize(cassette_string: str) -> dict[str, Any]:
        data: dict[str, Any] = yamlserializer.deserialize(cassette_string)
        for interaction in data.get("interactions", []):
            body = interaction["response"].get("body", {})
            if isinstance(body.get("string"), str):
                body["string"] = body["string"].encode("utf-8")
        return data

    @staticmethod
    def serialize(cassette_dict: dict[str, Any]) -> str:
        for interaction in cassette_dict.get("interactions", []):
            body = interaction["response"].get("body", {})
            if isinstance(body.get("string"), bytes):
                body["string"] = body["string"].decode("utf-8")
        text: str = yamlserializer.serialize(cassette_dict)
        return text


def make_vcr(record: bool) -> vcr.VCR:
    recorder = vcr.VCR(
        cassette_library_dir=str(CASSETTES),
        record_mode="all" if record else "none",
        match_on=["method", "path", "body"],
        filter_headers=["authorization", "api-key", "x-api-key", "cookie", "openai-organization", "user-agent"],
        before_record_response=_scrub_response,
        decode_compressed_response=True,
        serializer="readable-yaml",
    )
    recorder.register_serializer("readable-yaml", _ReadableYaml)
    return recorder


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets an empty cache and no endpoint settings from the developer's shell."""
    for name in list(os.environ):
        if name.startswith(("SUMMARIZER_", "OPENAI_")) and name != "SUMMARIZER_MODEL_CACHE_DIR":
            monkeypatch.delenv(name, raising=False)
    cache = tmp_path / "cache"
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(cache))
    return cache


@pytest.fixture(scope="session")
def recording(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--record"))


@pytest.fixture(scope="session")
def model_endpoint(recording: bool) -> Iterator[tuple[str, str]]:
    """(base_url, model): the real embedded server when recording, a dead address when replaying."""
    from summarizer.embedded import MODEL_NAME, EmbeddedServer, ensure_model

    if not recording:
        yield REPLAY_URL, MODEL_NAME
        return
    home = Path(os.environ.get("SUMMARIZER_MODEL_CACHE_DIR") or config.default_cache_dir())
    path = ensure_model(home, progress=print)
    with EmbeddedServer(path, log_path=home / "record-server.log") as server:
        yield server.base_url, server.model


@pytest.fixture
def cassette(request: pytest.FixtureRequest, recording: bool) -> Iterator[Cassette]:
    """The test's own cassette, named after it; in replay every recorded call must be used."""
    name = request.node.name.replace("[", "-").replace("]", "").replace("/", "-") + ".yaml"
    if not recording and not (CASSETTES / name).exists():
        pytest.fail(f"no cassette {name}: record it with `pytest --record -k {request.node.name}`")
    with make_vcr(recording).use_cassette(name) as cass:
        yield cass
        if not recording:
            assert cass.all_played, f"{name}: {len(cass.data) - cass.play_count} recorded calls were not made"


@pytest.fixture
def recorded_settings(model_endpoint: tuple[str, str], isolated_env: Path) -> config.Settings:
    """Settings that send calls to the recorded endpoint in the embedded server's dialect."""
    base_url, model = model_endpoint
    return config.Settings(model=model, base_url=base_url, dialect="llamacpp", cache_dir=isolated_env, jobs=1)


class StoryBriefs:
    """Briefs of the example stories, made once per session from their cassettes."""

    def __init__(self, endpoint: tuple[str, str], recording: bool, factory: pytest.TempPathFactory) -> None:
        self.endpoint = endpoint
        self.recording = recording
        self.factory = factory
        self._made: dict[tuple[str, str], tuple[Any, config.Settings]] = {}

    def settings(self, story: str, summary: str) -> config.Settings:
        base_url, model = self.endpoint
        cache = self.factory.mktemp(f"cache-{story}-{summary}")
        return config.Settings(
            model=model, base_url=base_url, dialect="llamacpp", cache_dir=cache, summary=summary, jobs=1
        )  # type: ignore[arg-type]

    def get(self, story: str, summary: str = "rules") -> tuple[Any, config.Settings]:
        """(brief, settings used); the settings' cache then holds every extraction of the story."""
        from summarizer.articles import load_articles
        from summarizer.pipeline import summarize

        key = (story, summary)
        if key not in self._made:
            name = f"brief-{story}{'-model-summary' if summary == 'model' else ''}.yaml"
            if not self.recording and not (CASSETTES / name).exists():
                pytest.fail(f"no cassette {name}: record it with `pytest --record`")
            settings = self.settings(story, summary)
            with make_vcr(self.recording).use_cassette(name) as cass:
                brief = summarize(load_articles([str(EXAMPLES / story)]), settings)
                if not self.recording:
                    assert cass.all_played, f"{name}: some recorded calls were not made"
            self._made[key] = (brief, settings)
        return self._made[key]


@pytest.fixture(scope="session")
def story_briefs(
    model_endpoint: tuple[str, str], recording: bool, tmp_path_factory: pytest.TempPathFactory
) -> StoryBriefs:
    return StoryBriefs(model_endpoint, recording, tmp_path_factory)
