"""Several `summarizer serve` processes on one PostgreSQL database: one queue, nothing lost or done twice.

Real service processes on loopback (tests/test_service.py's helpers), the scripted stand-in model, and
a PostgreSQL schema of the test's own on the tests' server (conftest.py). Replicas are killed with
SIGKILL, as a machine that dies would be.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from standin import Reply, StandIn, serve
from test_service import (
    COURIER,
    FACTS,
    CallbackSink,
    Service,
    clean_env,
    free_port,
    running,
    start_service,
    submit,
    wait_for,
)

POISON = "The depot's records were lost in the fire."
SLOW = "The inquiry into the fire will take months."


def article(n: int, extra: str = "") -> dict[str, str]:
    return {"id": f"a{n}", "text": f"Fire crews said {n + 10} buses were damaged at depot {n}.\n{extra}"}


def slow_on_poison(request: dict[str, Any]) -> Reply:
    """Quick answers, except for an article holding POISON: that request hangs (its replica is killed)."""
    user = " ".join(str(m.get("content")) for m in request.get("messages", []) if m.get("role") == "user")
    return Reply(content=FACTS, delay=120 if POISON in user else 0.05)


@pytest.fixture
def model() -> Iterator[tuple[str, StandIn]]:
    with serve([], answer=slow_on_poison) as endpoint:
        yield endpoint


def kill(service: Service) -> None:
    service.process.send_signal(signal.SIGKILL)
    service.process.wait()


def wait_until(predicate: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"still waiting for {what}"
        time.sleep(0.05)


def poison_requests(model: StandIn) -> int:
    return sum(POISON in json.dumps(r.get("messages")) for r in model.requests)


def done_lines(service: Service) -> list[str]:
    """The ids of the briefs this replica finished, from its log."""
    return re.findall(r"brief ([0-9a-f]{32}) done in", service.output())


@pytest.fixture(scope="module")
def sink() -> Iterator[CallbackSink]:
    sink = CallbackSink()
    yield sink
    sink.close()


@pytest.fixture(scope="module")
def pair(
    new_pg_schema: Callable[[], str], sink: CallbackSink, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Service, Service]]:
    """Two replicas on one database, one worker each, with a lease of 1 s; a model that takes 0.2 s an article
    (so that a dozen briefs keep one replica busy long enough for the other to poll the queue), and 3 s for
    an article that says SLOW."""

    def answer(request: dict[str, Any]) -> Reply:
        return Reply(content=FACTS, delay=3.0 if SLOW in json.dumps(request.get("messages")) else 0.2)

    db, work = new_pg_schema(), tmp_path_factory.mktemp("pair")
    args = ("--callback-origin", sink.url, "--lease", "1")
    with (
        serve([], answer=answer) as (url, _),
        running(work / "a", url, *args, db=db) as first,
        running(work / "b", url, *args, db=db) as second,
    ):
        yield first, second


def test_two_replicas_share_one_queue_and_finish_each_brief_once(pair: tuple[Service, Service]) -> None:
    first, second = pair
    with first.client() as client:
        ids = [submit(client, article(n))["id"] for n in range(12)]  # all sent to the first replica
        jobs = [wait_for(client, job_id) for job_id in ids]
    finished = [i for i in done_lines(first) + done_lines(second) if i in ids]
    assert [j["status"] for j in jobs] == ["done"] * 12
    assert sorted(finished) == sorted(ids)  # each finished once, by one replica or the other
    assert set(done_lines(first)) & set(ids) and set(done_lines(second)) & set(ids)  # both took work


def test_a_brief_longer_than_its_lease_stays_with_its_live_worker(pair: tuple[Service, Service]) -> None:
    """The lease is renewed while the model works: the other replica, idle, never takes the brief over."""
    first, second = pair
    with first.client() as client:
        job = wait_for(client, submit(client, article(3, SLOW))["id"], timeout=30)
    assert (job["status"], job["attempts"]) == ("done", 1)
    assert "lease was taken over" not in first.output() + second.output()


def test_callbacks_from_several_replicas_are_delivered_once_each_with_their_key(
    pair: tuple[Service, Service], sink: CallbackSink
) -> None:
    sink.received, sink.headers = [], []
    ids = []
    for n, replica in enumerate(pair * 5):
        with replica.client() as client:
            ids.append(submit(client, article(100 + n), callback_url=f"{sink.url}/done")["id"])
    sink.wait(10)
    time.sleep(1.0)  # a second delivery, were there one, would have arrived by now
    assert sorted(body["id"] for body in sink.received) == sorted(ids)
    assert [h.get("idempotency-key") for h in sink.headers] == [body["id"] for body in sink.received]


def test_one_idempotency_key_sent_to_two_replicas_makes_one_job(pair: tuple[Service, Service]) -> None:
    key = {"idempotency-key": "cms-story-4411-v1"}
    body = {"articles": [COURIER]}
    answers = [httpx.post(f"{s.url}/v1/briefs", json=body, headers=key, timeout=10) for s in pair]
    assert [a.status_code for a in answers] == [202, 200]
    assert answers[0].json()["id"] == answers[1].json()["id"]
    assert answers[1].headers["location"] == f"/v1/briefs/{answers[0].json()['id']}"


def test_a_killed_replicas_brief_is_finished_by_another_after_its_lease(
    model: tuple[str, StandIn], pg_url: str, tmp_path: Path
) -> None:
    url, standin = model
    dead = start_service(tmp_path / "dead", url, "--lease", "2", db=pg_url)
    try:
        with dead.client() as client:
            job_id = submit(client, article(1, POISON))["id"]
        wait_until(lambda: poison_requests(standin) == 1, 20, "the first replica to ask the model")
    finally:
        kill(dead)
    standin.answer = lambda request: Reply(content=FACTS)  # the model answers from now on
    started = time.monotonic()
    with running(tmp_path / "alive", url, "--lease", "2", db=pg_url) as alive, alive.client() as client:
        job = wait_for(client, job_id, timeout=30)
    assert (job["status"], job["attempts"]) == ("done", 2)
    assert time.monotonic() - started < 20


def test_a_brief_whose_replicas_keep_dying_fails_after_its_attempts(
    model: tuple[str, StandIn], pg_url: str, tmp_path: Path
) -> None:
    url, standin = model
    args = ("--lease", "1", "--attempts", "2")
    job_id = ""
    for attempt in (1, 2):
        replica = start_service(tmp_path / f"r{attempt}", url, *args, db=pg_url)
        try:
            if attempt == 1:
                with replica.client() as client:
                    job_id = submit(client, article(2, POISON))["id"]
            wait_until(lambda n=attempt: poison_requests(standin) == n, 30, f"attempt {attempt} to reach the model")
        finally:
            kill(replica)
    with running(tmp_path / "last", url, *args, db=pg_url) as last, last.client() as client:
        job = wait_for(client, job_id, timeout=20)
    assert (job["status"], job["attempts"], job["error"]["code"]) == ("failed", 2, "interrupted")
    assert poison_requests(standin) == 2  # never started a third time


def test_an_unreachable_postgresql_is_a_one_line_error_without_its_password() -> None:
    port = free_port()  # nothing listens there
    result = subprocess.run(
        [sys.executable, "-m", "summarizer", "serve", "--port", str(free_port())],
        capture_output=True,
        text=True,
        env=clean_env(
            SUMMARIZER_BASE_URL="http://127.0.0.1:9/v1",
            SUMMARIZER_MODEL="m",
            SUMMARIZER_DB=f"postgresql://editor:hunter2@127.0.0.1:{port}/briefs",
        ),
        timeout=60,
    )
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "hunter2" not in result.stderr
    assert lines[0].startswith(
        f"summarizer: error: postgresql://editor@127.0.0.1:{port}/briefs: cannot use the job database ("
    )
