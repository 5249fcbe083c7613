"""The callback sender (httpx) on its own: one POST to a checked address, against real receivers on loopback.

tests/test_service_safety.py holds the rules as the service keeps them (garbage, trickling and
redirecting receivers, internal addresses, a host that resolves elsewhere); these tests pin what the
sender adds on its own: TLS to the host's name, its deadline inside a TLS handshake, no proxy from the
environment, the next address when one refuses, and the words for each failure.
"""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from ipaddress import ip_address
from pathlib import Path

import pytest

from summarizer.serve.callbacks import Target, post

LOOPBACK = ip_address("127.0.0.1")


@dataclass
class Receiver:
    """A loopback TCP server that reads one request head and sends `answer` (raw bytes), over TLS when
    given a context; it records the request heads and the names clients asked for by SNI."""

    answer: bytes = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
    tls: ssl.SSLContext | None = None
    heads: list[bytes] = field(default_factory=list)
    server_names: list[str | None] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = int(self.sock.getsockname()[1])
        if self.tls is not None:
            self.tls.sni_callback = lambda _sock, name, _ctx: self.server_names.append(name)
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            if self.tls is not None:
                conn = self.tls.wrap_socket(conn, server_side=True)
            conn.settimeout(10)
            data = b""
            while b"\r\n\r\n" not in data and (chunk := conn.recv(65536)):
                data += chunk
            head, _, body = data.partition(b"\r\n\r\n")
            self.heads.append(head)
            length = next((int(v) for k, _, v in _fields(head) if k.lower() == b"content-length"), 0)
            while len(body) < length and (chunk := conn.recv(65536)):  # all of it: closing on unread data resets
                body += chunk
            conn.sendall(self.answer)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self.sock.close()


def _fields(head: bytes) -> list[tuple[bytes, bytes, bytes]]:
    return [line.partition(b":") for line in head.split(b"\r\n")[1:]]


def certificate(directory: Path, name: str) -> tuple[Path, Path]:
    """A self-signed certificate for `name` and its key, made by the openssl command."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a test certificate")
    cert, key = directory / f"{name}.pem", directory / f"{name}.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", f"/CN={name}",
         "-addext", f"subjectAltName=DNS:{name}"],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture(scope="module")
def cms_cert(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return certificate(tmp_path_factory.mktemp("tls"), "cms.example")


def server_tls(cert: Path, key: Path) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


def trusting(cert: Path) -> ssl.SSLContext:
    """A client context that trusts only this certificate (and checks host names, as the default does)."""
    return ssl.create_default_context(cafile=str(cert))


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    listener = Receiver()
    yield listener
    listener.close()


def target(scheme: str, port: int, path: str = "/hook") -> Target:
    return Target(scheme=scheme, host="cms.example", port=port, path=path)


# ---- TLS to the host's name, at the checked address ------------------------------------------------------


def test_an_https_callback_names_the_host_for_sni_and_host_and_checks_the_certificate_against_it(
    cms_cert: tuple[Path, Path],
) -> None:
    tls_receiver = Receiver(tls=server_tls(*cms_cert))
    try:
        outcome = post(
            target("https", tls_receiver.port), [LOOPBACK], b"{}", job_id="j", timeout=5, tls=trusting(cms_cert[0])
        )
    finally:
        tls_receiver.close()
    assert outcome.delivered, outcome
    assert tls_receiver.server_names == ["cms.example"]
    assert f"\r\nHost: cms.example:{tls_receiver.port}\r\n".encode() in tls_receiver.heads[0] + b"\r\n"


def test_an_https_callback_to_a_receiver_whose_certificate_names_another_host_fails(
    tmp_path: Path, cms_cert: tuple[Path, Path]
) -> None:
    other = certificate(tmp_path, "other.example")
    tls_receiver = Receiver(tls=server_tls(*other))
    try:
        trust_both = trusting(cms_cert[0])
        trust_both.load_verify_locations(cafile=str(other[0]))
        outcome = post(target("https", tls_receiver.port), [LOOPBACK], b"{}", job_id="j", timeout=5, tls=trust_both)
    finally:
        tls_receiver.close()
    assert not outcome.delivered and outcome.retry
    assert outcome.error == "TLS failed: CERTIFICATE_VERIFY_FAILED"
    assert tls_receiver.heads == []  # nothing was sent


def test_a_tls_handshake_that_never_completes_ends_at_the_deadline(cms_cert: tuple[Path, Path]) -> None:
    silent = socket.socket()  # accepts (the kernel's backlog) and never says a word
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)
    try:
        started = time.monotonic()
        port = silent.getsockname()[1]
        outcome = post(target("https", port), [LOOPBACK], b"{}", job_id="j", timeout=1, tls=trusting(cms_cert[0]))
        elapsed = time.monotonic() - started
    finally:
        silent.close()
    assert outcome.error == "no complete answer within 1s" and outcome.retry
    assert elapsed < 1.5


# ---- where the connection goes -------------------------------------------------------------------------


def test_a_callback_ignores_proxy_settings_in_the_environment(
    receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    proxy = Receiver()
    try:
        for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
            monkeypatch.setenv(name, f"http://127.0.0.1:{proxy.port}")
        outcome = post(target("http", receiver.port), [LOOPBACK], b"{}", job_id="j", timeout=5)
        time.sleep(0.2)
    finally:
        proxy.close()
    assert outcome.delivered, outcome
    assert len(receiver.heads) == 1 and proxy.heads == []


def test_when_an_address_refuses_the_connection_the_next_checked_one_is_tried(receiver: Receiver) -> None:
    refusing = ip_address("127.0.0.2")  # the receiver listens on 127.0.0.1 only
    outcome = post(target("http", receiver.port), [refusing, LOOPBACK], b"{}", job_id="j", timeout=5)
    assert outcome.delivered, outcome
    assert len(receiver.heads) == 1


def test_a_refused_connection_is_recorded_in_words() -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]  # bound, never listening: the connection is refused
        outcome = post(target("http", port), [LOOPBACK], b"{}", job_id="j", timeout=5)
    assert outcome == type(outcome)(False, "connection refused", retry=True)


# ---- what the receiver answers ---------------------------------------------------------------------------


def test_the_request_carries_the_job_its_length_and_the_path_and_query_of_the_url(receiver: Receiver) -> None:
    body = b'{"id": "j7"}'
    outcome = post(target("http", receiver.port, "/hook?x=1&y=%2F"), [LOOPBACK], body, job_id="j7", timeout=5)
    assert outcome.delivered
    head = receiver.heads[0].decode("latin-1").split("\r\n")
    assert head[0] == "POST /hook?x=1&y=%2F HTTP/1.1"
    fields = {line.split(":", 1)[0].lower(): line.split(":", 1)[1].strip() for line in head[1:]}
    assert fields["x-summarizer-job"] == "j7"
    assert fields["content-length"] == str(len(body)) and fields["content-type"] == "application/json"


def test_an_interim_100_continue_is_skipped_for_the_answer_after_it() -> None:
    interim = Receiver(answer=b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n")
    try:
        outcome = post(target("http", interim.port), [LOOPBACK], b"{}", job_id="j", timeout=5)
    finally:
        interim.close()
    assert outcome.delivered, outcome


def test_a_receiver_that_closes_without_answering_is_recorded_in_words() -> None:
    mute = Receiver(answer=b"")
    try:
        outcome = post(target("http", mute.port), [LOOPBACK], b"{}", job_id="j", timeout=5)
    finally:
        mute.close()
    assert outcome.error == "the connection closed without an answer" and outcome.retry


@pytest.mark.parametrize(("status", "retry"), [(503, True), (429, True), (408, True), (404, False), (400, False)])
def test_an_error_status_is_tried_again_only_when_it_may_pass(status: int, retry: bool) -> None:
    answering = Receiver(answer=f"HTTP/1.1 {status} Whatever\r\nContent-Length: 0\r\n\r\n".encode())
    try:
        outcome = post(target("http", answering.port), [LOOPBACK], b"{}", job_id="j", timeout=5)
    finally:
        answering.close()
    assert outcome.error == f"answered HTTP {status}" and outcome.retry is retry
