"""Where callbacks may go, and one POST there that cannot hang, redirect or raise past its caller.

The rule (the README states it too):

- a callback URL is `http://` or `https://` with a host, and carries no credentials (`user:pw@`);
- with `--callback-origin` given, it must be one of those origins (scheme://host:port), whatever
  address the host has: that is how an operator allows an internal receiver;
- without, its host must resolve only to public addresses: loopback, private, link-local, shared
  (100.64/10), multicast, reserved and unspecified addresses are refused however they are spelled
  (`127.1`, `0x7f000001`, `2130706433`, `[::ffff:127.0.0.1]`);
- the check is made when the brief is submitted and again at each try, on the addresses the host
  resolves to then, and the POST connects to the checked address itself (sending the URL's host in
  `Host:` and as TLS's server name), so a name that re-resolves elsewhere between check and connect
  reaches nothing else; no proxy from the environment is used;
- one try has an overall deadline (connect, TLS, sending and the answer's status line together);
  redirects are not followed; a 2xx answer is success.

The POST is httpx's; a watchdog on httpx's `trace` extension keeps the overall deadline, which
httpx's own timeouts (each one read or write) do not.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import ssl
import threading
import time
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from summarizer import __version__
from summarizer.errors import InputError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Sequence[IPAddress]]
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
CALLBACK_TIMEOUT = 10.0  # default seconds for one whole try: connect, TLS, send, and the answer's status line


class CallbackURLError(InputError):
    """The URL cannot be a callback URL at all (422 invalid_callback_url)."""


class CallbackRefused(InputError):
    """The URL is well formed, but this service does not call there (422 callback_not_allowed)."""


_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Origin:
    """scheme://host:port, the unit an operator allows (--callback-origin) and the log names."""

    scheme: str
    host: str
    port: int

    def __str__(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}"

    @property
    def url_prefix(self) -> str:
        """How a URL to this origin starts when it leaves out its scheme's default port."""
        if self.host and self.port == _DEFAULT_PORTS.get(self.scheme):
            return f"{self.scheme}://{self.host}"
        return str(self)


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # as resolved and checked: lower case, IDNA-encoded, IPv6 without brackets
    port: int
    path: str  # the request target: path and query, percent-encoded

    @property
    def origin(self) -> Origin:
        return Origin(self.scheme, self.host, self.port)

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = _DEFAULT_PORTS[self.scheme]
        return host if self.port == default else f"{host}:{self.port}"


def parse_url(url: str) -> Target:
    """The callback URL's parts, or CallbackURLError saying what is wrong (never echoing credentials)."""
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        raise CallbackURLError("give an absolute http:// or https:// URL (no spaces or control characters)")
    try:
        url.encode("utf-8")
        parts = urllib.parse.urlsplit(url)
        port = parts.port
        hostname = parts.hostname
    except (ValueError, UnicodeError):
        raise CallbackURLError("give an absolute http:// or https:// URL") from None
    if parts.scheme not in ("http", "https") or not hostname:
        raise CallbackURLError("give an absolute http:// or https:// URL")
    if "@" in parts.netloc:
        raise CallbackURLError("credentials (user:password@) are not accepted in a callback URL")
    try:
        host = _ascii_host(hostname)
    except UnicodeError:
        raise CallbackURLError("the host is not a valid domain name") from None
    path = urllib.parse.quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    if parts.query:
        path += "?" + urllib.parse.quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    return Target(scheme=parts.scheme, host=host, port=port or _DEFAULT_PORTS[parts.scheme], path=path)


def origin(url: str) -> Origin:
    """scheme://host:port of a URL (an operator's --callback-origin, or a callback URL)."""
    parts = urllib.parse.urlsplit(url.strip())
    port = parts.port or _DEFAULT_PORTS.get(parts.scheme, 0)
    try:
        host = _ascii_host(parts.hostname or "")
    except UnicodeError:
        host = (parts.hostname or "").lower()
    return Origin(parts.scheme, host, port)


def _ascii_host(hostname: str) -> str:
    """A host name as DNS and `Host:` spell it: lower case, internationalized names IDNA-encoded."""
    return hostname.lower() if hostname.isascii() else hostname.encode("idna").decode("ascii").lower()


def literal_address(host: str) -> IPAddress | None:
    """The address a host names by itself, in any spelling the C resolver accepts (`127.1`, `0x7f000001`,
    `2130706433`, `0177.0.0.1`), or None for a name."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except (OSError, UnicodeError, ValueError):
        return None


def why_not_public(address: IPAddress) -> str | None:
    """Why an address is no place for a callback by default (None: a public address)."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is None and address.teredo is not None:
            embedded = address.teredo[1]
        if embedded is not None:
            reason = why_not_public(embedded)
            return f"{reason} (inside {address})" if reason else None
    for kind, flag in (
        ("loopback", address.is_loopback),
        ("unspecified", address.is_unspecified),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
    ):
        if flag:
            return f"a {kind} address"
    if not address.is_global:
        return "not a public address"
    return None


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address `host` resolves to (a literal in any spelling, without asking DNS)."""
    literal = literal_address(host)
    if literal is not None:
        return [literal]
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses: list[IPAddress] = []
    for _, _, _, _, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


class Policy:
    """Which callback URLs this service calls, and at which addresses (see the module's docstring)."""

    def __init__(self, allowed_origins: Sequence[str] = (), resolver: Resolver = resolve) -> None:
        self.allowed = {origin(o) for o in allowed_origins}
        self.resolver = resolver

    def check(self, target: Target) -> None:
        """The check at submission: an allowed origin, or (with no origins configured) a host that resolves,
        to public addresses only. CallbackURLError for a host that does not resolve."""
        try:
            self.addresses(target, resolve_allowed=False)
        except OSError as exc:
            raise CallbackURLError(f"the host {target.host} does not resolve ({_describe(exc)})") from None

    def addresses(self, target: Target, *, resolve_allowed: bool = True) -> list[IPAddress]:
        """Where a try may connect: CallbackRefused if the URL is not allowed, OSError if it does not resolve."""
        if self.allowed:
            if target.origin not in self.allowed:
                raise CallbackRefused("this service only calls back to its configured origins (--callback-origin)")
            # the operator allowed this origin, whatever its addresses
            return list(self.resolver(target.host, target.port)) if resolve_allowed else []
        addresses = list(self.resolver(target.host, target.port))
        if not addresses:
            raise OSError(f"{target.host} has no address")
        for address in addresses:
            reason = why_not_public(address)
            if reason is not None:
                raise CallbackRefused(
                    f"{target.host} is {reason} ({address}); callbacks go to public addresses only, "
                    "unless --callback-origin allows the origin"
                )
        return addresses


@dataclass(frozen=True)
class Outcome:
    """One try: delivered, or why not and whether another try could help."""

    delivered: bool
    error: str | None = None
    retry: bool = False


def post(
    target: Target,
    addresses: Sequence[IPAddress],
    body: bytes,
    *,
    job_id: str,
    timeout: float,
    tls: ssl.SSLContext | None = None,
) -> Outcome:
    """POST `body` to `target` at one of `addresses` (already checked), within `timeout` seconds in all.

    The addresses are tried in turn until one accepts the connection. Never raises: every failure,
    whatever its kind, is an Outcome.
    """
    deadline = time.monotonic() + timeout
    outcome = Outcome(False, "no address to connect to", retry=True)
    for address in addresses:
        outcome, connected = _try(target, address, body, job_id, deadline, timeout, tls)
        if connected or time.monotonic() >= deadline:
            break
    return outcome


def _try(
    target: Target,
    address: IPAddress,
    body: bytes,
    job_id: str,
    deadline: float,
    timeout: float,
    tls: ssl.SSLContext | None,
) -> tuple[Outcome, bool]:
    """One POST to one address: its outcome, and whether a connection was made at all."""
    watchdog = _Watchdog(deadline)
    try:
        with watchdog:
            status = _send(target, address, body, job_id, watchdog, tls)
    except Exception as exc:  # anything at all: recorded, never raised into the delivery thread
        return _failed(exc, watchdog, timeout), watchdog.connected
    if 200 <= status < 300:
        return Outcome(True), True
    if 300 <= status < 400:
        return Outcome(False, f"answered HTTP {status}, a redirect; callbacks follow no redirects"), True
    return Outcome(False, f"answered HTTP {status}", retry=status in (408, 429) or status >= 500), True


def _send(
    target: Target, address: IPAddress, body: bytes, job_id: str, watchdog: _Watchdog, tls: ssl.SSLContext | None
) -> int:
    """The answer's status. The URL names the checked address itself, so httpx resolves nothing; the host's
    name goes in `Host:` and in TLS (SNI, and the certificate is checked against it). No proxy from the
    environment, no redirect, and the answer's body is never read."""
    import httpx  # here, not at import: the CLI reads this module's defaults without the server extra

    host = f"[{address}]" if address.version == 6 else str(address)
    headers = {
        "Host": target.host_header,
        "Content-Type": "application/json",
        "User-Agent": f"summarizer/{__version__}",
        "X-Summarizer-Job": job_id,
        "Idempotency-Key": job_id,  # the same on every try, from any replica: a receiver drops repeats
        "Connection": "close",
    }
    verify: ssl.SSLContext | bool = tls or (ssl.create_default_context() if target.scheme == "https" else False)
    left = max(watchdog.deadline - time.monotonic(), 0.001)
    with (
        httpx.Client(verify=verify, trust_env=False, follow_redirects=False, timeout=left) as client,
        client.stream(
            "POST",
            f"{target.scheme}://{host}:{target.port}{target.path}",
            content=body,
            headers=headers,
            extensions={"sni_hostname": target.host, "trace": watchdog.trace},
        ) as response,
    ):
        return response.status_code


class _Watchdog:
    """One try's overall deadline, which httpx's timeouts cannot keep alone: each bounds one read or
    write, so a receiver that trickles its answer a byte at a time would hold a try for ever.

    httpx reports the connection through its `trace` extension, and at the deadline the watchdog shuts
    it down, whatever httpx is blocked on then (a TLS handshake, a trickling answer). On plain HTTP it
    also keeps the answer's first bytes, so that a receiver that does not speak HTTP is named by what it
    said.
    """

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.connected = self.expired = False
        self.first_bytes = b""
        self.tls = False
        self._sock: socket.socket | None = None  # a duplicate of the connection's socket, ours to close
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(deadline - time.monotonic(), 0.0), self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._timer.cancel()
        with self._lock:  # the timer's thread shuts the socket down under the lock, never after this
            if self._sock is not None:
                self._sock.close()
                self._sock = None

    def trace(self, event: str, info: dict[str, Any]) -> None:
        """httpx's `trace` request extension: called at each step of the request, in its thread."""
        if event == "connection.connect_tcp.complete":
            self._connected(info["return_value"].get_extra_info("socket"))
        elif event == "connection.start_tls.started":
            self.tls = True
        elif event == "http11.receive_response_headers.started" and not self.tls:
            self._peek()

    def _connected(self, sock: socket.socket) -> None:
        self.connected = True
        with self._lock:
            self._sock = sock.dup()  # shut down at the deadline even once TLS has taken over the original
            if self.expired:
                _shut(self._sock)

    def _peek(self) -> None:
        """Wait for the answer's first bytes and keep them, leaving them for httpx to read."""
        if self._sock is None:
            return
        with contextlib.suppress(OSError):  # httpx's own read meets the same failure and says so
            self._sock.settimeout(max(self.deadline - time.monotonic(), 0.001))
            self.first_bytes = self._sock.recv(64, socket.MSG_PEEK)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            if self._sock is not None:
                _shut(self._sock)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def _failed(exc: Exception, watchdog: _Watchdog, timeout: float) -> Outcome:
    """What went wrong, in words, for the job's `callback.error`; every failure may be tried again."""
    import httpx

    if watchdog.expired or isinstance(exc, httpx.TimeoutException):
        return Outcome(False, f"no complete answer within {timeout:g}s", retry=True)
    cause = _os_error(exc)
    if isinstance(cause, ssl.SSLError):
        return Outcome(False, f"TLS failed: {cause.reason or cause}", retry=True)
    if isinstance(exc, httpx.RemoteProtocolError):
        if watchdog.first_bytes and not watchdog.first_bytes.startswith(b"HTTP/"):
            return Outcome(False, f"not an HTTP answer: {_shown(watchdog.first_bytes)}", retry=True)
        if not watchdog.first_bytes and not watchdog.tls:
            return Outcome(False, "the connection closed without an answer", retry=True)
        return Outcome(False, f"not an HTTP answer ({exc})", retry=True)
    if cause is not None:
        return Outcome(False, _describe(cause), retry=True)
    return Outcome(False, f"{type(exc).__name__}: {exc}", retry=True)


def _os_error(exc: BaseException) -> OSError | None:
    """The operating system's (or TLS's) error under httpx's own, if there is one."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _shown(data: bytes) -> str:
    text = data[:40].decode("ascii", "replace")
    return repr("".join(ch if ch.isprintable() else "?" for ch in text)) + ("..." if len(data) > 40 else "")


def _describe(exc: OSError) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, ConnectionResetError):
        return "connection reset"
    if isinstance(exc, socket.gaierror):
        return f"the host does not resolve ({exc.strerror or exc})"
    return exc.strerror or str(exc) or type(exc).__name__
