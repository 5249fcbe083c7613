"""The command line: bad input is one line on stderr and a non-zero exit; good input writes briefs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES
from vcr.cassette import Cassette

from summarizer.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(code: int, err: str, needle: str) -> None:
    assert code != 0
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("summarizer: error:") and needle in lines[0]
    assert "Traceback" not in err


def test_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "brief", str(tmp_path / "nope.txt"))
    assert_one_line_error(code, err, "no such file")


def test_empty_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("  \n\n")
    code, _, err = run(capsys, "brief", str(tmp_path / "empty.txt"))
    assert_one_line_error(code, err, "empty")


def test_binary_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    code, _, err = run(capsys, "brief", str(tmp_path / "image.txt"))
    assert_one_line_error(code, err, "binary")


def test_non_utf8_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "latin.txt").write_bytes("Caf\xe9 closes on Monday.".encode("latin-1"))
    code, _, err = run(capsys, "brief", str(tmp_path / "latin.txt"))
    assert_one_line_error(code, err, "UTF-8")


def test_no_articles(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "brief")
    assert_one_line_error(code, err, "no articles")


def test_folder_without_articles(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "brief", str(tmp_path))
    assert_one_line_error(code, err, "no article files")


def test_endpoint_without_model(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "brief", "--base-url", "http://127.0.0.1:9/v1", str(EXAMPLES / "harbor-storm"))
    assert_one_line_error(code, err, "SUMMARIZER_MODEL")


def test_one_article_brief_says_it_is_a_single_source(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, cassette: Cassette, model_endpoint: tuple[str, str]
) -> None:
    base_url, model = model_endpoint
    article = EXAMPLES / "harbor-storm" / "04-kestrel-bay-radio.txt"
    code, out, err = run(
        capsys,
        "brief",
        str(article),
        "--base-url",
        base_url,
        "--model",
        model,
        "--dialect",
        "llamacpp",
        "--json",
        str(tmp_path / "b.json"),
    )
    assert code == 0, err
    assert "Only one source was given" in out
    assert f"model {model} via {base_url}" in err.splitlines()[0]
    data = json.loads((tmp_path / "b.json").read_text())
    assert data["claims"] and {g["status"] for g in data["groups"]} == {"single"}


def test_extract_writes_verified_claims_per_article(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, cassette: Cassette, model_endpoint: tuple[str, str]
) -> None:
    base_url, model = model_endpoint
    article = EXAMPLES / "harbor-storm" / "04-kestrel-bay-radio.txt"
    code, _, err = run(
        capsys,
        "extract",
        str(article),
        "--base-url",
        base_url,
        "--model",
        model,
        "--dialect",
        "llamacpp",
        "--json",
        str(tmp_path / "claims.json"),
    )
    assert code == 0, err
    data = json.loads((tmp_path / "claims.json").read_text())
    text = article.read_text(encoding="utf-8")
    assert data[0]["source_id"] == "04-kestrel-bay-radio"
    assert all(text[c["start"] : c["end"]] == c["quote"] for c in data[0]["claims"])


def test_version_and_help_start_without_loading_the_model_sdk() -> None:
    """The openai SDK is most of the start time: only a command that calls a model loads it."""
    code = (
        "import contextlib, io, sys\n"
        "from summarizer.cli import main\n"
        "for flag in ('--version', '--help'):\n"
        "    with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        "        main([flag])\n"
        "print('openai' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_an_article_with_no_sentence_is_a_one_line_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "headlines.txt").write_text("Depot fire\nBuses damaged\nReopening on Friday\n", encoding="utf-8")
    argv = ("brief", str(tmp_path / "headlines.txt"), "--base-url", "http://127.0.0.1:9/v1", "--model", "m")
    code, out, err = run(capsys, *argv)  # nothing listens there: the error comes before any model call
    assert_one_line_error(code, err, "headlines.txt: no sentence found")
    assert code == 2 and out == ""
