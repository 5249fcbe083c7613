"""The HTTP service, over HTTP: a real `python -m summarizer serve` process on a free loopback port,
a real job database (a SQLite file in WAL mode; the tests marked so run again on PostgreSQL), and a
scripted model server (tests/standin.py) behind it.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from standin import Reply, StandIn, serve

from summarizer.articles import article_from_text, require_sentences
from summarizer.cli import main
from summarizer.errors import InputError, NoSentencesError
from summarizer.serve.jobs import MAX_ATTEMPTS, JobStatus
from summarizer.serve.sqlite_store import SQLiteStore
from summarizer.serve.stores import open_store

ROOT = Path(__file__).resolve().parent.parent
FACTS = json.dumps({"facts": [1, 2]})
COURIER = {
    "id": "courier",
    "title": "Depot fire",
    "outlet": "Kessel Courier",
    "url": "https://courier.example/depot-fire",
    "published": "2025-03-04",
    "text": "A fire broke out at the Kessel Road bus depot on Tuesday night.\nFire crews said 14 buses were damaged.\n",
}
HERALD = {
    "id": "herald",
    "outlet": "Kessel Herald",
    "text": "Fire damaged 12 buses at the Kessel Road bus depot on Tuesday night.\nNo one was hurt.\n",
}
STARTUP_SECONDS = 30.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without the developer's model settings, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SUMMARIZER_", "OPENAI_"))}
    return {**env, **extra}


@dataclass
class Service:
    """One `summarizer serve` process; its output goes to `log`."""

    url: str
    process: subprocess.Popen[bytes]
    db: Path | str  # a SQLite file, or a PostgreSQL URL
    log: Path
    headers: dict[str, str] = field(default_factory=dict)

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers=self.headers, timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def start_service(
    workdir: Path, model_url: str, *args: str, db: Path | str | None = None, env: dict[str, str] | None = None
) -> Service:
    """Start the service against `model_url` and wait until /healthz answers."""
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    db = db or workdir / "jobs.sqlite3"
    log = workdir / f"service-{port}.log"
    command = [
        sys.executable,
        "-m",
        "summarizer",
        "serve",
        "--port",
        str(port),
        "--db",
        str(db),
        "--base-url",
        model_url,
        "--model",
        "standin",
        "--dialect",
        "llamacpp",
        "--timeout",
        "60",
        *args,
    ]
    environment = clean_env(SUMMARIZER_CACHE_DIR=str(workdir / "cache"), **(env or {}))
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=environment, cwd=ROOT)
    service = Service(url=f"http://127.0.0.1:{port}", process=process, db=db, log=log)
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the service exited with {process.returncode}:\n{service.output()}")
        try:
            if httpx.get(f"{service.url}/healthz", timeout=1).status_code == 200:
                return service
        except httpx.TransportError:
            time.sleep(0.1)
    service.stop()
    pytest.fail(f"the service did not answer within {STARTUP_SECONDS:.0f}s:\n{service.output()}")


@contextmanager
def running(workdir: Path, model_url: str, *args: str, **kwargs: Any) -> Iterator[Service]:
    service = start_service(workdir, model_url, *args, **kwargs)
    try:
        yield service
    finally:
        service.stop()


def submit(client: httpx.Client, *articles: dict[str, str], **extra: Any) -> dict[str, Any]:
    response = client.post("/v1/briefs", json={"articles": list(articles or (COURIER, HERALD)), **extra})
    assert response.status_code == 202, response.text
    body: dict[str, Any] = response.json()
    return body


def wait_for(client: httpx.Client, job_id: str, *statuses: str, timeout: float = 30.0) -> dict[str, Any]:
    """Poll the job until its status is one of `statuses` (default: finished)."""
    wanted = statuses or ("done", "failed")
    deadline = time.monotonic() + timeout
    while True:
        job: dict[str, Any] = client.get(f"/v1/briefs/{job_id}").json()
        if job["status"] in wanted:
            return job
        if time.monotonic() > deadline:
            pytest.fail(f"job {job_id} still {job['status']} after {timeout:.0f}s: {job}")
        time.sleep(0.05)


def assert_error(response: httpx.Response, status: int, code: str) -> str:
    """The response is the service's JSON error with this status and code; returns its message."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == code, body
    message: str = body["error"]["message"]
    assert message and "\n" not in message and "Traceback" not in message
    return message


def count_jobs(service: Service, *statuses: JobStatus) -> int:
    """Jobs in the service's database (in any status, without `statuses`), read by a store of the test's own."""
    store = open_store(service.db)
    try:
        return sum(store.count(s) for s in statuses or ("queued", "running", "done", "failed"))
    finally:
        store.close()


class CallbackSink:
    """A loopback HTTP server that records POSTed callbacks (and their headers) and answers with scripted statuses."""

    def __init__(self) -> None:
        self.statuses: list[int] = [200]
        self.received: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.arrived = threading.Condition()
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                return None

            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))))
                with sink.arrived:
                    sink.received.append(body)
                    sink.headers.append({k.lower(): v for k, v in self.headers.items()})
                    status = sink.statuses[min(len(sink.received), len(sink.statuses)) - 1]
                    sink.arrived.notify_all()
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait(self, count: int, timeout: float = 20.0) -> list[dict[str, Any]]:
        with self.arrived:
            assert self.arrived.wait_for(lambda: len(self.received) >= count, timeout), self.received
            return list(self.received)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# ---- a service with a quick model ---------------------------------------------------------------


@pytest.fixture(scope="module")
def model() -> Iterator[tuple[str, StandIn]]:
    with serve([Reply(content=FACTS)]) as endpoint:
        yield endpoint


@pytest.fixture(scope="module")
def sink() -> Iterator[CallbackSink]:
    sink = CallbackSink()
    yield sink
    sink.close()


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def service(
    request: pytest.FixtureRequest,
    model: tuple[str, StandIn],
    sink: CallbackSink,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Service]:
    """Small limits so each is easy to cross: 3 articles, 2,000 characters each, 20,000-byte bodies.

    Once on a SQLite file, once on a PostgreSQL database (a new schema on the tests' server).
    """
    limits = ("--max-articles", "3", "--max-article-chars", "2000", "--max-body-bytes", "20000")
    db = request.getfixturevalue("new_pg_schema")() if request.param == "postgres" else None
    with running(
        tmp_path_factory.mktemp("service"), model[0], "--workers", "2", *limits, "--callback-origin", sink.url, db=db
    ) as service:
        yield service


@pytest.fixture
def client(service: Service) -> Iterator[httpx.Client]:
    with service.client() as client:
        yield client


def test_a_finished_job_carries_the_json_brief(client: httpx.Client) -> None:
    job = wait_for(client, submit(client)["id"])
    assert job["status"] == "done" and job["error"] is None
    assert job["progress"] == {"done": 2, "total": 2}
    brief = job["brief"]
    assert brief["schema_version"] == "3"
    assert [s["id"] for s in brief["sources"]] == ["courier", "herald"]
    assert brief["stats"]["groups_conflict"] == 1
    assert {c["quote"] for c in brief["claims"]} >= {"Fire crews said 14 buses were damaged."}


def test_the_markdown_of_a_finished_brief(client: httpx.Client) -> None:
    job = wait_for(client, submit(client)["id"])
    response = client.get(job["links"]["markdown"])
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/markdown")
    assert response.text.startswith("# Brief: 2 sources compared")
    assert "| S1 Kessel Courier | 14 |" in response.text


def test_the_review_page_of_a_finished_brief(client: httpx.Client) -> None:
    job = wait_for(client, submit(client)["id"])
    response = client.get(job["links"]["html"])
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["content-security-policy"].startswith("default-src 'none'")
    assert 'tabindex="-1">Fire crews said 14 buses were damaged.</mark>' in response.text
    assert '<a href="https://courier.example/depot-fire"' in response.text


SQLITE_ONLY = pytest.mark.parametrize("service", ["sqlite"], indirect=True)


@SQLITE_ONLY
def test_the_job_and_its_result_are_in_a_sqlite_file_in_wal_mode(client: httpx.Client, service: Service) -> None:
    job = wait_for(client, submit(client)["id"])
    with sqlite3.connect(service.db) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        status, result = db.execute("SELECT status, result FROM jobs WHERE id = ?", (job["id"],)).fetchone()
    assert status == "done" and json.loads(result) == job["brief"]


def test_an_unknown_job_is_a_json_404(client: httpx.Client) -> None:
    for path in ("/v1/briefs/nope", "/v1/briefs/nope.md", "/v1/briefs/nope.html"):
        assert "'nope'" in assert_error(client.get(path), 404, "not_found")


def test_an_unknown_route_is_a_json_404(client: httpx.Client) -> None:
    assert assert_error(client.get("/v2/everything"), 404, "not_found") == "no route GET /v2/everything"


def test_the_openapi_schema_describes_every_route(client: httpx.Client) -> None:
    schema = client.get("/openapi.json").json()
    assert set(schema["paths"]) == {
        "/healthz",
        "/v1/briefs",
        "/v1/briefs/{job_id}",
        "/v1/briefs/{job_id}.md",
        "/v1/briefs/{job_id}.html",
    }
    assert {"ArticleIn", "BriefRequest", "JobOut", "Brief", "ErrorBody"} <= set(schema["components"]["schemas"])


def test_the_callback_gets_the_finished_job_and_is_retried(client: httpx.Client, sink: CallbackSink) -> None:
    sink.statuses, sink.received = [503, 200], []
    job_id = submit(client, callback_url=f"{sink.url}/hook")["id"]
    first, second = sink.wait(2)
    assert first == second
    assert second["id"] == job_id and second["status"] == "done"
    assert second["brief"]["stats"]["articles"] == 2


def test_the_callback_carries_the_job_id_and_an_idempotency_key(client: httpx.Client, sink: CallbackSink) -> None:
    sink.statuses, sink.received, sink.headers = [200], [], []
    job_id = submit(client, callback_url=f"{sink.url}/hook")["id"]
    (body,) = sink.wait(1)
    assert body["id"] == job_id
    assert sink.headers[0]["idempotency-key"] == job_id


def test_the_same_idempotency_key_and_body_return_the_first_job(client: httpx.Client, service: Service) -> None:
    body = {"articles": [COURIER, HERALD]}
    key = {"idempotency-key": f"brief-{time.monotonic_ns()}"}
    first = client.post("/v1/briefs", json=body, headers=key)
    before = count_jobs(service)
    spaced = json.dumps(body, indent=2)  # the same request, written out differently
    again = client.post("/v1/briefs", content=spaced, headers={**key, "content-type": "application/json"})
    assert (first.status_code, again.status_code) == (202, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["location"] == first.headers["location"] == f"/v1/briefs/{first.json()['id']}"
    assert count_jobs(service) == before


def test_the_same_idempotency_key_with_another_body_is_a_422(client: httpx.Client, service: Service) -> None:
    key = {"idempotency-key": f"brief-{time.monotonic_ns()}"}
    assert client.post("/v1/briefs", json={"articles": [COURIER]}, headers=key).status_code == 202
    before = count_jobs(service)
    response = client.post("/v1/briefs", json={"articles": [HERALD]}, headers=key)
    assert "another request" in assert_error(response, 422, "idempotency_key_reused")
    assert count_jobs(service) == before


@pytest.mark.parametrize("key", ["", "x" * 256, "two words"])
def test_an_idempotency_key_that_is_empty_long_or_spaced_is_a_422(client: httpx.Client, key: str) -> None:
    response = client.post("/v1/briefs", json={"articles": [COURIER]}, headers={"idempotency-key": key})
    assert_error(response, 422, "invalid_idempotency_key")


# any text, mostly ending as a sentence does (a text with no sentence in it is a 422, issue 19)
any_text = st.builds(
    str.__add__,
    st.text(st.characters(codec="utf-8"), min_size=1, max_size=400),
    st.sampled_from([".", "!", "。", ""]),
)


@given(text=any_text, title=st.text(max_size=40))
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_accepted_article_gives_a_brief_in_every_format(service: Service, text: str, title: str) -> None:
    with service.client() as client:
        response = client.post("/v1/briefs", json={"articles": [{"id": "a", "title": title, "text": text}]})
        assume(response.status_code != 422)  # blank text, a web page instead of an article, or no sentence
        assert response.status_code == 202, response.text
        job = wait_for(client, response.json()["id"])
        assert job["status"] == "done", job["error"]
        for link in ("markdown", "html"):
            assert client.get(job["links"][link]).status_code == 200


def _articles(n: int) -> list[dict[str, str]]:
    return [{"id": f"a{i}", "text": f"Fire crews said {i + 10} buses were damaged."} for i in range(n)]


BAD_REQUESTS: dict[str, tuple[Any, int, str]] = {
    "too-many-articles": ({"articles": _articles(4)}, 422, "too_many_articles"),
    "article-too-long": ({"articles": [{"id": "a", "text": "Ten buses burned. " * 120}]}, 422, "article_too_long"),
    "empty-text": ({"articles": [{"id": "a", "text": ""}]}, 422, "empty_text"),
    "blank-text": ({"articles": [{"id": "a", "text": " \n\t "}]}, 422, "empty_text"),
    "unknown-field": ({"articles": _articles(1), "priority": "high"}, 422, "unknown_field"),
    "unknown-article-field": ({"articles": [{**_articles(1)[0], "author": "X"}]}, 422, "unknown_field"),
    "unknown-option": ({"articles": _articles(1), "options": {"model": "gpt"}}, 422, "unknown_field"),
    "missing-text": ({"articles": [{"id": "a"}]}, 422, "missing_field"),
    "no-articles": ({"articles": []}, 422, "invalid_request"),
    "not-an-object": ([1, 2], 422, "invalid_request"),
    "bad-summary-option": ({"articles": _articles(1), "options": {"summary": "poem"}}, 422, "invalid_request"),
    "duplicate-ids": ({"articles": [_articles(1)[0], _articles(1)[0]]}, 422, "duplicate_id"),
    "html-page": ({"articles": [{"id": "a", "text": "<!doctype html><p>Hi.</p>"}]}, 422, "invalid_article"),
    "callback-not-http": (
        {"articles": _articles(1), "callback_url": "file:///etc/passwd"},
        422,
        "invalid_callback_url",
    ),
    "callback-elsewhere": (
        {"articles": _articles(1), "callback_url": "http://127.0.0.1:1/hook"},
        422,
        "callback_not_allowed",
    ),
}


@pytest.mark.parametrize("name", list(BAD_REQUESTS))
def test_a_request_that_breaks_a_rule_gets_a_json_4xx(client: httpx.Client, name: str) -> None:
    body, status, code = BAD_REQUESTS[name]
    assert_error(client.post("/v1/briefs", json=body), status, code)


def test_the_error_names_where_the_unknown_field_is(client: httpx.Client) -> None:
    body, _, _ = BAD_REQUESTS["unknown-article-field"]
    assert (
        assert_error(client.post("/v1/briefs", json=body), 422, "unknown_field") == "articles.0.author: unknown field"
    )


def test_a_body_that_is_not_json_is_a_400(client: httpx.Client) -> None:
    response = client.post("/v1/briefs", content=b"{articles: [", headers={"content-type": "application/json"})
    assert_error(response, 400, "invalid_json")


def test_a_body_that_is_not_utf8_is_a_400(client: httpx.Client) -> None:
    body = b'{"articles": [{"id": "a", "text": "Caf\xe9 closes."}]}'
    assert_error(
        client.post("/v1/briefs", content=body, headers={"content-type": "application/json"}), 400, "invalid_json"
    )


def test_a_body_over_the_size_limit_is_a_413(client: httpx.Client) -> None:
    body = {"articles": [{"id": f"a{i}", "text": "x" * 1900} for i in range(12)]}
    assert_error(client.post("/v1/briefs", json=body), 413, "body_too_large")


def test_a_chunked_body_over_the_size_limit_is_a_413(client: httpx.Client) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"articles": [{"id": "a", "text": "'
        for _ in range(30):
            yield b"x" * 1000
        yield b'"}]}'

    response = client.post("/v1/briefs", content=chunks(), headers={"content-type": "application/json"})
    assert "content-length" not in response.request.headers
    assert_error(response, 413, "body_too_large")


def test_a_refused_request_leaves_no_job_behind(client: httpx.Client, service: Service) -> None:
    before = count_jobs(service)
    for body, _, _ in BAD_REQUESTS.values():
        client.post("/v1/briefs", json=body)
    assert count_jobs(service) == before


@SQLITE_ONLY
def test_a_second_service_on_the_same_database_is_refused_in_one_line(service: Service) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "summarizer", "serve", "--db", str(service.db), "--port", str(free_port())],
        capture_output=True,
        text=True,
        env=clean_env(SUMMARIZER_BASE_URL="http://127.0.0.1:9/v1", SUMMARIZER_MODEL="m"),
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"summarizer: error: {service.db} is in use by another summarizer service; give this one its own --db"
    ]


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["--workers", "0"], "--workers must be at least 1"),
        (["--port", "70000"], "--port must be between 0 and 65535"),
        (["--max-articles", "0"], "--max-articles must be at least 1"),
        (["--lease", "0.5"], "--lease must be between 1 and 3600 seconds"),
        (["--attempts", "0"], "--attempts must be at least 1"),
    ],
)
def test_bad_serve_flags_are_one_line_errors(capsys: pytest.CaptureFixture[str], argv: list[str], needle: str) -> None:
    assert main(["serve", *argv]) == 2
    assert capsys.readouterr().err.splitlines() == [f"summarizer: error: {needle}, got {argv[1]}"]


# ---- a service with a slow model: one worker, one article at a time ------------------------------


@pytest.fixture(scope="module")
def slow(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    with (
        serve([Reply(content=FACTS, delay=1.0)]) as (url, _),
        running(tmp_path_factory.mktemp("slow"), url, "--workers", "1", "--jobs", "1", "--max-queued", "2") as service,
    ):
        yield service


def test_submitting_answers_202_at_once_while_the_model_works(slow: Service) -> None:
    with slow.client() as client:
        started = time.monotonic()
        response = client.post("/v1/briefs", json={"articles": [COURIER, HERALD]})
        elapsed = time.monotonic() - started
    assert response.status_code == 202 and elapsed < 1.0
    job = response.json()
    assert job["status"] == "queued" and job["progress"] == {"done": 0, "total": 2}
    assert response.headers["location"] == f"/v1/briefs/{job['id']}" == job["links"]["status"]


_fresh = itertools.count(1)


def fresh(article: dict[str, str]) -> dict[str, str]:
    """The article with a sentence no other job used, so the extraction cache cannot answer for the model."""
    return {**article, "text": article["text"] + f"Police opened case {next(_fresh)}.\n"}


def test_progress_counts_the_articles_done(slow: Service) -> None:
    with slow.client() as client:
        job_id = submit(client, fresh(COURIER), fresh(HERALD))["id"]
        deadline = time.monotonic() + 30
        seen = set()
        while (job := client.get(f"/v1/briefs/{job_id}").json())["status"] != "done":
            seen.add((job["status"], job["progress"]["done"], job["progress"]["total"]))
            assert time.monotonic() < deadline, seen
            time.sleep(0.05)
    assert ("running", 1, 2) in seen
    assert job["progress"] == {"done": 2, "total": 2}


def test_an_unfinished_brief_has_no_markdown_yet(slow: Service) -> None:
    with slow.client() as client:
        job = submit(client, fresh(COURIER), fresh(HERALD))  # fresh: a cached pair could finish between the asks
        assert "poll the job" in assert_error(client.get(job["links"]["markdown"]), 409, "not_ready")
        assert_error(client.get(job["links"]["html"]), 409, "not_ready")


def test_a_full_queue_answers_503_with_retry_after(slow: Service) -> None:
    with slow.client() as client:
        for _ in range(4):
            response = client.post("/v1/briefs", json={"articles": [fresh(COURIER)]})
            if response.status_code == 503:
                break
    assert_error(response, 503, "queue_full")
    assert response.headers["retry-after"] == "30"


# ---- failures, auth, crashes ---------------------------------------------------------------------


def test_a_job_whose_model_endpoint_fails_is_failed_with_the_error(tmp_path: Path) -> None:
    with serve([Reply(status=404)]) as (url, _), running(tmp_path, url) as service, service.client() as client:
        job = wait_for(client, submit(client)["id"])
        assert job["status"] == "failed" and job["brief"] is None
        assert job["error"]["code"] == "model_error"
        assert "does not know model 'standin'" in job["error"]["message"]
        assert "does not know model" in assert_error(client.get(job["links"]["markdown"]), 409, "job_failed")


TOKEN = "s3cret-token"


@pytest.fixture(scope="module")
def guarded(model: tuple[str, StandIn], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    with running(tmp_path_factory.mktemp("auth"), model[0], env={"SUMMARIZER_API_TOKEN": TOKEN}) as service:
        yield service


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/openapi.json"), ("POST", "/v1/briefs"), ("GET", "/v1/briefs/x"), ("GET", "/v1/briefs/x.md")],
)
@pytest.mark.parametrize("authorization", [None, "Bearer wrong", f"Basic {TOKEN}", TOKEN])
def test_with_a_token_set_every_route_but_healthz_needs_it(
    guarded: Service, method: str, path: str, authorization: str | None
) -> None:
    headers = {"authorization": authorization} if authorization else {}
    response = httpx.request(method, guarded.url + path, headers=headers, json={"articles": [COURIER]})
    assert_error(response, 401, "unauthorized")
    assert response.headers["www-authenticate"] == "Bearer"


def test_with_a_token_set_healthz_needs_none(guarded: Service) -> None:
    assert httpx.get(f"{guarded.url}/healthz").json() == {"ok": True}


def test_with_the_right_token_a_brief_is_made(guarded: Service) -> None:
    guarded.headers = {"authorization": f"Bearer {TOKEN}"}
    with guarded.client() as client:
        assert wait_for(client, submit(client)["id"])["status"] == "done"


def test_the_service_says_it_binds_to_loopback_only(service: Service) -> None:
    first = service.output().splitlines()[0]
    assert first.startswith(f"summarizer: serving on {service.url} (loopback: this machine only; auth off")


def test_jobs_accepted_before_a_sigkill_are_finished_after_a_restart(tmp_path: Path) -> None:
    with serve([Reply(content=FACTS, delay=60)]) as (url, model):
        args = ("--workers", "1", "--jobs", "1")
        first = start_service(tmp_path, url, *args)
        try:
            with first.client() as client:
                working = submit(client)["id"]
                waiting = submit(client, COURIER)["id"]
                wait_for(client, working, "running")
                deadline = time.monotonic() + 10
                while not model.requests:  # the model is answering the first article
                    assert time.monotonic() < deadline
                    time.sleep(0.05)
        finally:
            first.process.send_signal(signal.SIGKILL)
            first.process.wait()
        model.replies[:] = [Reply(content=FACTS)]  # the model is quick from now on
        with running(tmp_path, url, *args, db=first.db) as second, second.client() as client:
            resumed = wait_for(client, working)
            queued = wait_for(client, waiting)
    assert (resumed["status"], resumed["attempts"], resumed["progress"]) == ("done", 2, {"done": 2, "total": 2})
    assert (queued["status"], queued["attempts"]) == ("done", 1)
    assert "resuming 1 brief(s) interrupted by the last shutdown" in second.output()
    assert "Traceback" not in second.output()


def test_a_job_interrupted_again_and_again_fails_instead_of_looping(tmp_path: Path) -> None:
    submitted = SQLiteStore(tmp_path / "jobs.sqlite3").create({"articles": []}, total=1, callback_url=None)
    assert submitted is not None
    job = submitted.job
    for _ in range(MAX_ATTEMPTS):
        store = SQLiteStore(tmp_path / "jobs.sqlite3")  # a fresh process, as after a crash
        assert store.recover()[1] == 0
        assert store.claim_next() == store.get(job.id)
    assert SQLiteStore(tmp_path / "jobs.sqlite3").recover() == (0, 1)
    failed = SQLiteStore(tmp_path / "jobs.sqlite3").get(job.id)
    assert failed is not None and failed.status == "failed"
    assert failed.error is not None and failed.error["code"] == "interrupted"


# ---- the OpenAPI schema, fuzzed --------------------------------------------------------------------


@pytest.fixture(scope="module")
def api_calls() -> list[tuple[str, int]]:
    """(operation, status) of every call schemathesis makes."""
    return []


@pytest.fixture(scope="module")
def api_schema(
    model: tuple[str, StandIn], api_calls: list[tuple[str, int]], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Any]:
    """The live schema of a service with default limits; callbacks may only go to the discard port."""
    with running(
        tmp_path_factory.mktemp("schemathesis"), model[0], "--callback-origin", "http://127.0.0.1:9"
    ) as service:
        schema = schemathesis.openapi.from_url(f"{service.url}/openapi.json")
        schema.hook("filter_body")(_distinct_ids)
        schema.hook("before_generate_body")(_articles_with_a_sentence)
        schema.hook("filter_case")(_no_placeholder_body)
        schema.hook("map_case")(_fresh_idempotency_key)
        schema.hook("after_call")(
            lambda _, case, response: api_calls.append((case.operation.label, response.status_code))
        )
        yield schema


def _distinct_ids(_: Any, body: Any) -> bool:
    """Article ids are unique per request: the one rule of the API that JSON Schema cannot state."""
    articles = body.get("articles") if isinstance(body, dict) else None
    if not isinstance(articles, list):
        return True
    ids = [json.dumps(a.get("id")) for a in articles if isinstance(a, dict)]
    return len(ids) == len(set(ids))


def _articles_with_a_sentence(_: Any, bodies: Any) -> Any:
    """Each article has a sentence (issue 19), the other rule JSON Schema cannot state: each text gets a
    full stop at its end, as a sentence has, and a body that still has an article without one is left out."""
    return bodies.map(_with_full_stops).filter(_each_has_a_sentence)


def _articles_of(body: Any) -> list[Any]:
    articles = body.get("articles") if isinstance(body, dict) else None
    return articles if isinstance(articles, list) else []


def _has_text(article: Any) -> bool:
    return isinstance(article, dict) and isinstance(article.get("text"), str)


def _with_full_stops(body: Any) -> Any:
    if not any(_has_text(a) for a in _articles_of(body)):
        return body
    ended = [{**a, "text": a["text"] + "."} if _has_text(a) else a for a in _articles_of(body)]
    return {**body, "articles": ended}


def _each_has_a_sentence(body: Any) -> bool:
    for article in filter(_has_text, _articles_of(body)):
        try:
            require_sentences(article_from_text(article["text"], article_id="a"))
        except NoSentencesError:
            return False
        except InputError:
            pass  # another rule's 422, as before
    return True


def _no_placeholder_body(_: Any, case: Any) -> bool:
    """Leave out the cases schemathesis 4.32's coverage phase makes for a header's boundaries: it pairs each
    header value with the body `0` and calls the request schema-valid (the header is; the body is not)."""
    data = getattr(case.meta.phase, "data", None) if case.meta is not None else None
    header_case = getattr(data, "parameter_location", None) == "header"  # a str enum
    return not (header_case and case.meta.generation.mode.is_positive and not isinstance(case.body, dict))


_keys = itertools.count()


def _fresh_idempotency_key(_: Any, case: Any) -> Any:
    """Give each generated request a key of its own, of the same length and alphabet: a client reuses a key
    only to resend the same request, and a key sent with another body is a 422 by design (a test of its own)."""
    key = (case.headers or {}).get("Idempotency-Key")
    if isinstance(key, str) and re.fullmatch(r"[!-~]{1,255}", key):
        suffix = f"-{next(_keys)}"
        case.headers["Idempotency-Key"] = (key + suffix)[-max(len(key), len(suffix)) :][-255:]
    return case


fuzzed = schemathesis.pytest.from_fixture("api_schema")


@fuzzed.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_meets_its_openapi_schema(case: Any) -> None:
    case.call_and_validate()


def test_submitted_jobs_can_be_read_back_as_the_schema_links_say(
    api_schema: Any, api_calls: list[tuple[str, int]]
) -> None:
    """Stateful: submit, then follow the 202's links to the job, its Markdown and its review page."""
    api_calls.clear()
    api_schema.as_state_machine().run(
        settings=settings(
            max_examples=15, stateful_step_count=4, deadline=None, suppress_health_check=list(HealthCheck)
        )
    )
    assert ("GET /v1/briefs/{job_id}", 200) in api_calls


@pytest.mark.parametrize("facts", [[1], [1, 2]])
def test_progress_counts_an_article_whatever_its_number_of_claims(tmp_path: Path, facts: list[int]) -> None:
    from summarizer.config import Settings
    from summarizer.models import Article
    from summarizer.pipeline import summarize
    from summarizer.serve.worker import ProgressCounter as _ProgressCounter

    store = SQLiteStore(tmp_path / "jobs.sqlite3")
    submitted = store.create({"articles": []}, total=1, callback_url=None)
    assert submitted is not None and store.claim_next() is not None  # running, as a worker would have it
    job = submitted.job
    with serve([Reply(content=json.dumps({"facts": facts}))]) as (url, _):
        settings = Settings(base_url=url, model="m", dialect="llamacpp", cache_dir=tmp_path / "cache")
        summarize([Article(id="courier", text=COURIER["text"])], settings, progress=_ProgressCounter(store, job.id))
    done = store.get(job.id)
    assert done is not None and (done.done, done.total) == (1, 1)
