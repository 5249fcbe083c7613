"""End to end against the real embedded model server (slow: CI runs it to catch install gaps)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from importlib.util import find_spec
from pathlib import Path

import pytest
from conftest import EXAMPLES
from procs import child

from summarizer import config
from summarizer.articles import load_articles
from summarizer.pipeline import summarize

pytestmark = pytest.mark.e2e


@pytest.fixture
def embedded_settings(tmp_path: Path) -> config.Settings:
    if find_spec("llama_cpp") is None:
        if os.environ.get("CI"):
            pytest.fail("llama-cpp-python is missing in CI: the Quick start's install step did not provide it")
        pytest.skip("llama-cpp-python not installed (pip install -r requirements.lock)")
    settings = config.resolve(cache_dir=tmp_path / "cache")
    home = settings.model_cache_dir or config.default_cache_dir()  # reuse the model the Quick start assembled
    return config.Settings(cache_dir=settings.cache_dir, model_cache_dir=home)


def test_embedded_model_briefs_two_articles_with_grounded_claims(embedded_settings: config.Settings) -> None:
    paths = sorted((EXAMPLES / "harbor-storm").glob("0[12]-*.txt"))
    articles = load_articles([str(p) for p in paths])
    brief = summarize(articles, embedded_settings)
    texts = {a.id: a.text for a in articles}
    assert brief.method.endpoint_kind == "embedded llama.cpp"
    assert brief.stats.model_calls >= 2
    assert brief.stats.claims_verified >= 2
    for claim in brief.claims:
        assert texts[claim.source_id][claim.start : claim.end] == claim.quote


def _children_running_the_model_server(parent: int) -> list[int]:
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (stat.parent / "cmdline").read_bytes()
        except (OSError, ValueError, IndexError):
            continue
        if ppid == parent and b"summarizer._llama_server" in cmdline:
            pids.append(int(stat.parent.name))
    return pids


def _alive(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_ctrl_c_mid_run_stops_the_embedded_model_server(embedded_settings: config.Settings, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SUMMARIZER_"))}
    env |= {"SUMMARIZER_CACHE_DIR": str(tmp_path / "run")}
    env["SUMMARIZER_MODEL_CACHE_DIR"] = str(embedded_settings.model_home)  # the model the Quick start assembled
    argv = [sys.executable, "-m", "summarizer", "brief", str(EXAMPLES / "harbor-storm")]
    servers: list[int] = []
    try:
        with child(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env) as proc:
            assert proc.stderr is not None
            lines = []
            for line in proc.stderr:  # the server starts with the first article's extraction
                lines.append(line)
                if "starting the embedded model server" in line:
                    break
            deadline = time.monotonic() + 30
            while not (servers := _children_running_the_model_server(proc.pid)) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert len(servers) == 1, "".join(lines)
            time.sleep(5)  # loaded, and at work on the first article
            proc.send_signal(signal.SIGINT)
            rest = proc.stderr.read()
            assert proc.wait(timeout=60) == 130
        assert rest.strip().splitlines()[-1] == "summarizer: interrupted"
        deadline = time.monotonic() + 10
        while _alive(servers[0]) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(servers[0])
    finally:  # a failed run must not leave a model server behind (it has its own session: nothing else stops it)
        for pid in servers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
