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
  `Host:`), so a name that re-resolves elsewhere between check and connect reaches nothing else;
- one try has an overall deadline (connect, TLS, sending and the answer's status line together);
  redirects are not followed; a 2xx answer is success.
"""

from __future__ import annotations

import contextlib
import ipaddress
import re
import socket
import ssl
import threading
import time
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from summarizer import __version__
from summarizer.errors import InputError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Sequence[IPAddress]]
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_STATUS = re.compile(rb"^HTTP/\d(?:\.\d)? (\d{3})(?:[ \t][^\r\n]*)?\r?\n")
_MAX_HEAD = 65_536
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


class _Deadline(Exception):
    pass


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

    Never raises: every failure, whatever its kind, is an Outcome.
    """
    deadline = time.monotonic() + timeout
    try:
        return _post(target, addresses, body, job_id, deadline, timeout, tls)
    except _Deadline:
        return Outcome(False, f"no complete answer within {timeout:g}s", retry=True)
    except ssl.SSLError as exc:
        return Outcome(False, f"TLS failed: {exc.reason or exc}", retry=True)
    except OSError as exc:
        if time.monotonic() >= deadline:
            return Outcome(False, f"no complete answer within {timeout:g}s", retry=True)
        return Outcome(False, _describe(exc), retry=True)
    except Exception as exc:  # anything at all: recorded, never raised into the delivery thread
        return Outcome(False, f"{type(exc).__name__}: {exc}", retry=True)


def _post(
    target: Target,
    addresses: Sequence[IPAddress],
    body: bytes,
    job_id: str,
    deadline: float,
    timeout: float,
    tls: ssl.SSLContext | None,
) -> Outcome:
    sock, address = _connect(addresses, target.port, deadline)
    aborted = threading.Event()

    def abort() -> None:  # the overall deadline: whatever the socket is blocked on, it ends now
        aborted.set()
        with contextlib.suppress(OSError):
            socket.socket.shutdown(sock, socket.SHUT_RDWR)

    watchdog = threading.Timer(max(deadline - time.monotonic(), 0.0), abort)
    watchdog.daemon = True
    watchdog.start()
    try:
        peer = ipaddress.ip_address(str(sock.getpeername()[0]).split("%", 1)[0])
        if peer != address:  # connected somewhere other than the checked address: send nothing
            return Outcome(False, f"connected to {peer}, not the checked address {address}")
        if target.scheme == "https":
            context = tls or ssl.create_default_context()
            sock.settimeout(_left(deadline))
            sock = context.wrap_socket(sock, server_hostname=target.host)
        head = (
            f"POST {target.path} HTTP/1.1\r\n"
            f"Host: {target.host_header}\r\n"
            "Content-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n"
            f"User-Agent: summarizer/{__version__}\r\n"
            f"X-Summarizer-Job: {job_id}\r\n"
            f"Idempotency-Key: {job_id}\r\n"  # the same on every try, from any replica: a receiver drops repeats
            "Connection: close\r\n\r\n"
        ).encode("ascii")
        sock.settimeout(_left(deadline))
        sock.sendall(head + body)
        status = _read_status(sock, deadline)
    except OSError:
        if aborted.is_set():
            raise _Deadline() from None
        raise
    finally:
        watchdog.cancel()
        sock.close()
    if 200 <= status < 300:
        return Outcome(True)
    if 300 <= status < 400:
        return Outcome(False, f"answered HTTP {status}, a redirect; callbacks follow no redirects")
    retry = status in (408, 429) or status >= 500
    return Outcome(False, f"answered HTTP {status}", retry=retry)


def _left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise _Deadline()
    return left


def _connect(addresses: Sequence[IPAddress], port: int, deadline: float) -> tuple[socket.socket, IPAddress]:
    last: OSError = OSError("no address to connect to")
    for address in addresses:
        family = socket.AF_INET6 if address.version == 6 else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.settimeout(_left(deadline))
            sock.connect((str(address), port))
            return sock, address
        except OSError as exc:
            sock.close()
            last = exc
        except BaseException:
            sock.close()
            raise
    raise last


def _read_status(sock: socket.socket, deadline: float) -> int:
    """The final status code of the answer (1xx interim answers skipped); the body is not read."""
    buffer = b""
    while True:
        if len(buffer) >= 5 and not buffer.startswith(b"HTTP/"):
            raise ProtocolError(f"not an HTTP answer: {_shown(buffer)}")
        if b"\n" in buffer:
            match = _STATUS.match(buffer)
            if match is None:
                raise ProtocolError(f"not an HTTP answer: {_shown(buffer)}")
            status = int(match.group(1))
            if status >= 200:
                return status
            end = buffer.find(b"\r\n\r\n")
            if end >= 0:  # "100 Continue" and the like: the real answer follows
                buffer = buffer[end + 4 :]
                continue
        if len(buffer) > _MAX_HEAD:
            raise ProtocolError(f"an answer header over {_MAX_HEAD:,} bytes")
        sock.settimeout(_left(deadline))
        chunk = sock.recv(4096)
        if not chunk:
            if buffer:
                raise ProtocolError(f"not an HTTP answer: {_shown(buffer)}")
            raise ProtocolError("the connection closed without an answer")
        buffer += chunk


class ProtocolError(OSError):
    """The receiver's answer is not HTTP."""


def _shown(data: bytes) -> str:
    text = data[:40].decode("ascii", "replace")
    return repr("".join(ch if ch.isprintable() else "?" for ch in text)) + ("..." if len(data) > 40 else "")


def _describe(exc: OSError) -> str:
    if isinstance(exc, ProtocolError):
        return str(exc)
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, ConnectionResetError):
        return "connection reset"
    if isinstance(exc, socket.gaierror):
        return f"the host does not resolve ({exc.strerror or exc})"
    return exc.strerror or str(exc) or type(exc).__name__
