"""The service against hostile or clumsy peers (issue 12): callback receivers that answer garbage,
trickle or redirect, callbacks aimed at internal addresses, a second owner through a symlink, a
burst of submissions against the queue limit, and a job database that is damaged or deleted.

Each test runs a real `summarizer serve` process on loopback (tests/test_service.py's helpers), with
the scripted stand-in model; the callback receivers are raw TCP listeners on loopback.
"""

from __future__ import annotations

import itertools
import os
import select
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from standin import Reply, StandIn, serve
from test_service import (
    COURIER,
    FACTS,
    HERALD,
    Service,
    assert_error,
    clean_env,
    free_port,
    running,
    submit,
    wait_for,
)

from summarizer.serve.sqlite_store import SQLiteStore

TRICKLE = b"HTTP/1.1 200 OK\r\n"


@dataclass
class Connection:
    path: str = ""
    method: str = ""
    head: bytes = b""
    accepted: float = 0.0
    closed: float | None = None  # when the peer closed it (only the trickling answer watches for this)


@dataclass
class Listener:
    """A loopback TCP server that answers by path, below the level of any HTTP library:

    /ssh        `SSH-2.0-x\\r\\n`, then closes (not HTTP at all)
    /truncated  a 200 whose body stops short of its Content-Length (IncompleteRead for a reader)
    /trickle    a status line one byte every 2 s, for up to 60 s, or until the peer closes
    /redirect   302 to `redirect_to`
    anything else: 200
    """

    redirect_to: str = ""
    connections: list[Connection] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)

    def __post_init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = int(self.sock.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self._closing = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._closing:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        record = Connection(accepted=time.monotonic())
        with conn:
            conn.settimeout(10)
            try:
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                head, _, body = data.partition(b"\r\n\r\n")
                record.head = head
                request_line = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ")
                record.method, record.path = (request_line + ["", ""])[:2]
                length = next(
                    (
                        int(line.split(b":", 1)[1])
                        for line in head.split(b"\r\n")
                        if line.lower().startswith(b"content-length:")
                    ),
                    0,
                )
                while len(body) < length:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    body += chunk
                self._add(record)
                self._answer(conn, record)
            except OSError:
                pass
        with self.changed:
            if record.closed is None:
                record.closed = time.monotonic()
            self.changed.notify_all()

    def _add(self, record: Connection) -> None:
        with self.changed:
            self.connections.append(record)
            self.changed.notify_all()

    def _answer(self, conn: socket.socket, record: Connection) -> None:
        path = record.path.split("?")[0]
        if path == "/ssh":
            conn.sendall(b"SSH-2.0-x\r\n")
        elif path == "/truncated":
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial")
        elif path == "/redirect":
            conn.sendall(f"HTTP/1.1 302 Found\r\nLocation: {self.redirect_to}\r\nContent-Length: 0\r\n\r\n".encode())
        elif path == "/trickle":
            for byte in itertools.islice(itertools.cycle(TRICKLE), 30):
                conn.sendall(bytes([byte]))
                readable, _, _ = select.select([conn], [], [], 2.0)
                if readable and not conn.recv(1024):  # the peer closed the connection
                    with self.changed:
                        record.closed = time.monotonic()
                    return
        else:
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")

    def paths(self) -> list[str]:
        with self.changed:
            return [c.path for c in self.connections]

    def wait(self, predicate: Any, timeout: float = 20.0) -> None:
        with self.changed:
            assert self.changed.wait_for(lambda: predicate(self.connections), timeout), self.connections

    def close(self) -> None:
        self._closing = True
        self.sock.close()


@pytest.fixture(scope="module")
def model() -> Iterator[tuple[str, StandIn]]:
    with serve([Reply(content=FACTS)]) as endpoint:
        yield endpoint


@pytest.fixture(scope="module")
def receiver() -> Iterator[Listener]:
    listener = Listener()
    yield listener
    listener.close()


@pytest.fixture(scope="module")
def elsewhere() -> Iterator[Listener]:
    """Where a redirect points: it must never be called."""
    listener = Listener()
    yield listener
    listener.close()


@pytest.fixture(scope="module")
def allowed(
    model: tuple[str, StandIn], receiver: Listener, elsewhere: Listener, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Service]:
    """One worker; callbacks allowed (explicitly) to the receiver and to `elsewhere` on loopback."""
    receiver.redirect_to = f"{elsewhere.url}/stolen"
    with running(
        tmp_path_factory.mktemp("allowed"),
        model[0],
        "--workers",
        "1",
        "--callback-origin",
        receiver.url,
        "--callback-origin",
        elsewhere.url,
    ) as service:
        yield service


@pytest.fixture(scope="module")
def default_deny(model: tuple[str, StandIn], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """No --callback-origin: callbacks may go to public addresses only."""
    with running(tmp_path_factory.mktemp("default"), model[0]) as service:
        yield service


_unique = itertools.count(1)


def fresh(article: dict[str, str]) -> dict[str, str]:
    """The article with a sentence no other job used (so each job runs the pipeline anew)."""
    return {**article, "text": article["text"] + f"Police opened case {next(_unique)}.\n"}


def wait_callback(client: httpx.Client, job_id: str, *states: str, timeout: float = 30.0) -> dict[str, Any]:
    """Poll the job until its callback's state is one of `states`."""
    deadline = time.monotonic() + timeout
    while True:
        job: dict[str, Any] = client.get(f"/v1/briefs/{job_id}").json()
        if (job.get("callback") or {}).get("state") in states:
            return job
        if time.monotonic() > deadline:
            pytest.fail(f"callback of job {job_id} not {states} after {timeout:.0f}s: {job.get('callback')}")
        time.sleep(0.1)


# ---- 1. a callback receiver that answers garbage kills nothing --------------------------------------


@pytest.mark.parametrize(("path", "state"), [("/ssh", "failed"), ("/truncated", "delivered")])
def test_a_callback_receiver_that_answers_garbage_stops_no_later_brief(
    allowed: Service, receiver: Listener, path: str, state: str
) -> None:
    with allowed.client() as client:
        first = submit(client, fresh(COURIER), fresh(HERALD), callback_url=f"{receiver.url}{path}")["id"]
        receiver.wait(lambda conns: any(c.path == path for c in conns))
        second = submit(client, fresh(COURIER), fresh(HERALD))["id"]
        assert wait_for(client, second, timeout=15)["status"] == "done"
        job = wait_callback(client, first, "delivered", "failed")
    assert job["callback"]["state"] == state
    if state == "failed":  # every try recorded, the reason with it
        assert job["callback"]["attempts"] == 4
        assert job["callback"]["error"] == "not an HTTP answer: 'SSH-2.0-x??'"
    assert "Traceback" not in allowed.output()


# ---- 2. a slow callback receiver holds nothing ------------------------------------------------------


def test_a_callback_receiver_that_trickles_holds_no_later_brief(allowed: Service, receiver: Listener) -> None:
    with allowed.client() as client:
        submit(client, fresh(COURIER), fresh(HERALD), callback_url=f"{receiver.url}/trickle?t=holds")
        receiver.wait(lambda conns: any(c.path == "/trickle?t=holds" and c.closed is None for c in conns))
        started = time.monotonic()
        second = submit(client, fresh(COURIER), fresh(HERALD))["id"]
        job = wait_for(client, second, timeout=8)
    assert job["status"] == "done" and time.monotonic() - started < 8


def test_one_callback_try_ends_at_its_deadline_however_slowly_the_receiver_answers(
    model: tuple[str, StandIn], receiver: Listener, tmp_path: Path
) -> None:
    path = "/trickle?t=deadline"
    args = ("--callback-origin", receiver.url, "--callback-timeout", "2")
    with running(tmp_path, model[0], *args) as service, service.client() as client:
        job_id = submit(client, callback_url=f"{receiver.url}{path}")["id"]
        receiver.wait(lambda conns: any(c.path == path and c.closed is not None for c in conns), timeout=15)
        deadline = time.monotonic() + 10
        while (callback := client.get(f"/v1/briefs/{job_id}").json()["callback"])["error"] is None:
            assert time.monotonic() < deadline, callback
            time.sleep(0.1)
    first = next(c for c in receiver.connections if c.path == path)
    assert first.closed is not None and first.closed - first.accepted < 2 + 1.5  # one byte every 2 s kept it no longer
    assert callback["error"] == "no complete answer within 2s"


# ---- 3. callbacks go to public addresses only, unless an origin is allowed ---------------------------

INTERNAL = [
    "http://127.0.0.1:{port}/internal",
    "http://127.1:{port}/internal",
    "http://0x7f000001:{port}/internal",
    "http://2130706433:{port}/internal",
    "http://017700000001:{port}/internal",
    "http://[::ffff:127.0.0.1]:{port}/internal",
    "http://[::1]:{port}/internal",
    "http://localhost:{port}/internal",
    "http://0.0.0.0:{port}/internal",
    "http://169.254.169.254/latest/meta-data/",
    "http://[fe80::1]/internal",
    "http://10.0.0.1/internal",
    "http://172.16.5.4/internal",
    "http://192.168.1.1/internal",
    "http://100.64.0.1/internal",
    "http://224.0.0.1/internal",
    "http://240.0.0.1/internal",
    "http://[fd00::1]/internal",
]


@pytest.mark.parametrize("url", INTERNAL)
def test_a_callback_to_an_internal_address_is_refused_by_default(
    default_deny: Service, receiver: Listener, url: str
) -> None:
    with default_deny.client() as client:
        response = client.post(
            "/v1/briefs", json={"articles": [COURIER], "callback_url": url.format(port=receiver.port)}
        )
        message = assert_error(response, 422, "callback_not_allowed")
        assert "--callback-origin" in message
        time.sleep(0.2)
    assert "/internal" not in receiver.paths()  # nothing was sent


def test_a_callback_redirect_is_not_followed(allowed: Service, receiver: Listener, elsewhere: Listener) -> None:
    with allowed.client() as client:
        job_id = submit(client, fresh(COURIER), callback_url=f"{receiver.url}/redirect")["id"]
        job = wait_callback(client, job_id, "delivered", "failed")
    time.sleep(1.0)
    assert elsewhere.paths() == []
    assert job["callback"] == {
        "state": "failed",
        "attempts": 1,
        "error": "answered HTTP 302, a redirect; callbacks follow no redirects",
    }


def test_a_callback_host_that_resolves_elsewhere_at_delivery_gets_nothing(receiver: Listener) -> None:
    """The address is checked at every try, and the try connects to the checked address itself."""
    from summarizer.serve.callbacks import Policy, parse_url
    from summarizer.serve.delivery import Callbacks
    from summarizer.serve.jobs import Job

    answers = iter([["93.184.216.34"], ["127.0.0.1"]])  # public when submitted, loopback when delivered
    policy = Policy(resolver=lambda host, port: [__import__("ipaddress").ip_address(a) for a in next(answers)])
    target = parse_url(f"http://cms.example:{receiver.port}/rebind")
    policy.check(target)  # accepted at submission
    job = Job(
        id="j", status="done", request={}, done=0, total=0, result=None, error=None,
        callback_url=f"http://cms.example:{receiver.port}/rebind", callback_state="pending",
        attempts=1, created=0, updated=0,
    )  # fmt: skip
    outcome = Callbacks(store=None, policy=policy).deliver(job)  # type: ignore[arg-type]
    assert not outcome.delivered and not outcome.retry
    assert outcome.error is not None and "cms.example is a loopback address (127.0.0.1)" in outcome.error
    time.sleep(0.2)
    assert "/rebind" not in receiver.paths()


def test_a_callback_connects_to_the_checked_address_and_names_the_host(receiver: Listener) -> None:
    from ipaddress import ip_address

    from summarizer.serve.callbacks import Policy
    from summarizer.serve.delivery import Callbacks
    from summarizer.serve.jobs import Job

    resolved: list[str] = []

    def resolver(host: str, port: int) -> list[Any]:
        resolved.append(host)
        return [ip_address("127.0.0.1")]

    policy = Policy([f"http://cms.example:{receiver.port}"], resolver=resolver)
    url = f"http://cms.example:{receiver.port}/named?x=1"
    job = Job(
        id="j2", status="done", request={"articles": []}, done=0, total=0, result=None, error=None,
        callback_url=url, callback_state="pending", attempts=1, created=0, updated=0,
    )  # fmt: skip
    outcome = Callbacks(store=None, policy=policy).deliver(job)  # type: ignore[arg-type]
    assert outcome.delivered, outcome
    assert resolved == ["cms.example"]  # resolved once, by the check; the connection used its answer
    sent = next(c for c in receiver.connections if c.path == "/named?x=1")
    assert f"\r\nHost: cms.example:{receiver.port}\r\n".encode() in sent.head + b"\r\n"


# ---- 4. one owner per job file ------------------------------------------------------------------------


def test_a_second_service_through_a_symlink_to_the_database_is_refused(allowed: Service, tmp_path: Path) -> None:
    link = tmp_path / "link.sqlite3"
    link.symlink_to(allowed.db)
    result = subprocess.run(
        [sys.executable, "-m", "summarizer", "serve", "--db", str(link), "--port", str(free_port())],
        capture_output=True,
        text=True,
        env=clean_env(SUMMARIZER_BASE_URL="http://127.0.0.1:9/v1", SUMMARIZER_MODEL="m"),
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [
        f"summarizer: error: {link} is in use by another summarizer service; give this one its own --db"
    ]


def test_a_second_service_through_a_hard_link_to_the_database_is_refused(allowed: Service, tmp_path: Path) -> None:
    """The reproduction of issue 19: a hard link is another name for the same file, with its own -wal."""
    link = tmp_path / "hardlink.sqlite3"
    os.link(allowed.db, link)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "summarizer", "serve", "--db", str(link), "--port", str(free_port())],
            capture_output=True,
            text=True,
            env=clean_env(SUMMARIZER_BASE_URL="http://127.0.0.1:9/v1", SUMMARIZER_MODEL="m"),
            timeout=60,
        )
    finally:
        link.unlink()
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [
        f"summarizer: error: {link} is in use by another summarizer service; give this one its own --db"
    ]


def test_a_database_file_with_a_second_hard_link_is_refused_at_start(tmp_path: Path) -> None:
    db = tmp_path / "jobs.sqlite3"
    SQLiteStore(db).close()  # a job database no service holds
    os.link(db, tmp_path / "copy.sqlite3")
    result = subprocess.run(
        [sys.executable, "-m", "summarizer", "serve", "--db", str(db), "--port", str(free_port())],
        capture_output=True,
        text=True,
        env=clean_env(SUMMARIZER_BASE_URL="http://127.0.0.1:9/v1", SUMMARIZER_MODEL="m"),
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [
        f"summarizer: error: {db} has 2 hard links; SQLite keeps a write-ahead log per name, so a job database "
        "must have one name: remove the other links, or give a new --db"
    ]


def test_a_worker_cannot_finish_a_job_another_process_took_over(tmp_path: Path) -> None:
    from summarizer.serve.sqlite_store import SQLiteStore

    first = SQLiteStore(tmp_path / "jobs.sqlite3")
    submitted = first.create({"articles": []}, total=1, callback_url=None)
    assert submitted is not None and first.claim_next() is not None  # the first process is working on it
    job = submitted.job
    second = SQLiteStore(tmp_path / "jobs.sqlite3")  # a second process on the same file, lock or no lock
    second.recover()
    taken = second.claim_next()
    assert taken is not None and taken.id == job.id
    first.finish(job.id, '{"stale": true}')
    first.fail(job.id, "error", "stale")
    first.progress(job.id, 1, 1)
    now = second.get(job.id)
    assert now is not None and (now.status, now.result, now.error, now.done) == ("running", None, None, 0)
    second.finish(job.id, '{"fresh": true}')
    done = second.get(job.id)
    assert done is not None and (done.status, done.result) == ("done", '{"fresh": true}')


# ---- 7. smaller items -----------------------------------------------------------------------------------


def test_an_api_token_with_surrounding_whitespace_is_refused_at_start(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "summarizer", "serve", "--db", str(tmp_path / "j.sqlite3"), "--port", str(free_port())],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=clean_env(SUMMARIZER_BASE_URL="http://127.0.0.1:9/v1", SUMMARIZER_MODEL="m", SUMMARIZER_API_TOKEN="tok\n"),
    )
    try:
        _, err = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail("the service started with a token no client can send")
    assert process.returncode == 2
    assert err.splitlines() == [
        "summarizer: error: SUMMARIZER_API_TOKEN starts or ends with whitespace (a newline from a file?); "
        "remove it, as no client can send it back"
    ]


def test_a_callback_url_with_credentials_is_refused_and_never_logged(allowed: Service, receiver: Listener) -> None:
    url = f"http://editor:hunter2@127.0.0.1:{receiver.port}/creds"  # an allowed origin, but with a password
    with allowed.client() as client:
        response = client.post("/v1/briefs", json={"articles": [fresh(COURIER)], "callback_url": url})
    message = assert_error(response, 422, "invalid_callback_url")
    assert "hunter2" not in message and "credentials" in message
    time.sleep(0.3)
    assert "hunter2" not in allowed.output()
    assert "/creds" not in receiver.paths()


def test_thirty_concurrent_submissions_never_queue_more_than_the_limit(tmp_path: Path) -> None:
    with (
        serve([Reply(content=FACTS, delay=60)]) as (url, model),
        running(tmp_path, url, "--workers", "1", "--max-queued", "10") as service,
        service.client() as client,
    ):
        busy = submit(client, fresh(COURIER))["id"]  # holds the only worker for a minute
        wait_for(client, busy, "running")
        barrier = threading.Barrier(30)

        def post(i: int) -> int:
            with service.client() as own:
                body = {"articles": [{"id": "a", "text": f"Fire crews said {i + 10} buses were damaged."}]}
                barrier.wait()
                return own.post("/v1/briefs", json=body).status_code

        with ThreadPoolExecutor(30) as pool:
            statuses = list(pool.map(post, range(30)))
        with sqlite3.connect(service.db) as db:
            queued = db.execute("SELECT COUNT(*) FROM jobs WHERE status = 'queued'").fetchone()[0]
    assert sorted(set(statuses)) == [202, 503]
    assert statuses.count(202) == 10 and queued == 10


def _corrupt_a_page(db: Path) -> None:
    """Overwrite the jobs table's root page with garbage (the file header stays intact)."""
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'jobs'").fetchone()[0]
    with db.open("r+b") as f:
        f.seek((root - 1) * page_size)
        f.write(bytes(range(256)) * (page_size // 256))


def test_a_database_with_a_corrupted_page_is_a_one_line_error_at_start(tmp_path: Path) -> None:
    db = tmp_path / "jobs.sqlite3"
    with serve([Reply(content=FACTS)]) as (url, _):
        with running(tmp_path, url, db=db) as service, service.client() as client:
            for _ in range(3):
                wait_for(client, submit(client, fresh(COURIER))["id"])
        _corrupt_a_page(db)
        result = subprocess.run(
            [sys.executable, "-m", "summarizer", "serve", "--db", str(db), "--port", str(free_port())],
            capture_output=True,
            text=True,
            env=clean_env(SUMMARIZER_BASE_URL=url, SUMMARIZER_MODEL="standin"),
            timeout=60,
        )
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"summarizer: error: {db}: not a usable job database ("), lines
    assert "malformed" in lines[0] or "corrupt" in lines[0] or "page" in lines[0], lines


def test_a_database_deleted_while_the_service_runs_makes_it_answer_503(
    model: tuple[str, StandIn], tmp_path: Path
) -> None:
    with running(tmp_path, model[0]) as service, service.client() as client:
        done = wait_for(client, submit(client, fresh(COURIER))["id"])
        assert done["status"] == "done"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{service.db}{suffix}").unlink(missing_ok=True)
        response = client.post("/v1/briefs", json={"articles": [fresh(COURIER)]})
        message = assert_error(response, 503, "database_unavailable")
        assert str(service.db) in message and "deleted or replaced" in message
        assert_error(client.get(f"/v1/briefs/{done['id']}"), 503, "database_unavailable")
        health = client.get("/healthz")
        assert_error(health, 503, "database_unavailable")
        again = client.post("/v1/briefs", json={"articles": [fresh(COURIER)]})
        assert_error(again, 503, "database_unavailable")
    assert not service.db.exists()  # nothing quietly made a new, empty database in its place
    assert "Traceback" not in service.output()


def test_the_job_shows_no_callback_without_a_callback_url(allowed: Service) -> None:
    with allowed.client() as client:
        job = wait_for(client, submit(client, fresh(COURIER))["id"])
    assert "callback" in job and job["callback"] is None
