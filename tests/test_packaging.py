"""Packaging: one version, the prompts as package data, install hints that work where they are shown."""

from __future__ import annotations

import fnmatch
import importlib.util
import os
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT

from summarizer import __version__, cli, install, prompts
from summarizer.errors import ConfigError

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


@pytest.fixture
def fresh_prompts() -> Iterator[None]:
    """Templates are cached per name; a test that moves where they are read from starts and ends uncached."""
    prompts.load_prompt.cache_clear()
    prompts.extraction_example.cache_clear()
    yield
    prompts.load_prompt.cache_clear()
    prompts.extraction_example.cache_clear()


def test_version_flag_prints_the_version_written_once(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out == f"summarizer {__version__}\n"
    assert "version" not in PYPROJECT["project"] and "version" in PYPROJECT["project"]["dynamic"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "summarizer._version.__version__"}


def test_the_distribution_name_is_the_one_hints_use() -> None:
    assert PYPROJECT["project"]["name"] == install.DISTRIBUTION != "summarizer"
    assert PYPROJECT["project"]["scripts"] == {"summarizer": "summarizer.cli:main"}


def test_every_template_in_prompts_loads() -> None:
    names = prompts.prompt_names()
    assert names == sorted(p.stem for p in (ROOT / "prompts").glob("*.txt")) and "extract.v4" in names
    for name in names:
        prompt = prompts.load_prompt(name)
        assert prompt.version and prompt.system and prompt.user
    for example in (ROOT / "prompts").glob("extract.*.example.json"):
        article, answer = prompts.extraction_example(example.name.removesuffix(".example.json"))
        assert article.startswith("[1] ") and answer.startswith("{")


def test_every_file_in_prompts_is_package_data() -> None:
    setuptools = PYPROJECT["tool"]["setuptools"]
    assert prompts.DATA_PACKAGE in setuptools["packages"]
    assert setuptools["package-dir"] == {prompts.DATA_PACKAGE: "prompts"}
    globs = setuptools["package-data"][prompts.DATA_PACKAGE]
    files = [p.name for p in (ROOT / "prompts").iterdir() if p.is_file() and p.name != "__init__.py"]
    left_out = [f for f in files if not any(fnmatch.fnmatch(f, g) for g in globs)]
    assert files and left_out == [], f"prompts/ files the wheel would not carry: {left_out} (globs {globs})"
    assert "py.typed" in setuptools["package-data"]["summarizer"] and (ROOT / "summarizer" / "py.typed").is_file()


def test_a_checkout_reads_its_own_prompts_folder() -> None:
    assert install.source_tree() == ROOT
    assert Path(str(prompts.prompts_dir())) == ROOT / "prompts"


def test_an_installed_package_reads_the_templates_as_package_data(
    monkeypatch: pytest.MonkeyPatch, fresh_prompts: None
) -> None:
    if importlib.util.find_spec(prompts.DATA_PACKAGE) is None:
        if os.environ.get("CI"):
            pytest.fail(f"{prompts.DATA_PACKAGE} is not importable: the Quick start's editable install is missing")
        pytest.skip(f"{prompts.DATA_PACKAGE} not installed (pip install --no-deps -e .)")
    monkeypatch.setattr(prompts, "source_tree", lambda: None)
    names = prompts.prompt_names()
    assert "extract.v4" in names and "summary.v1" in names
    assert prompts.load_prompt("extract.v4").version == "extract-v4"
    assert prompts.extraction_example("extract.v4")[1].startswith('{"facts"')


def test_a_missing_template_names_those_there_are(fresh_prompts: None) -> None:
    with pytest.raises(ConfigError, match=r"template not found: .*extract\.v0\.txt \(there are: .*extract\.v4"):
        prompts.load_prompt("extract.v0")


def test_install_hints_fit_a_checkout_and_an_installed_package(monkeypatch: pytest.MonkeyPatch) -> None:
    assert install.install_hint("local") == f"pip install -r {ROOT / 'requirements.lock'}"
    assert (ROOT / "requirements.lock").is_file()
    monkeypatch.setattr(install, "source_tree", lambda: None)
    assert install.install_hint("server") == f"pip install 'newsbrief-summarizer[server]=={__version__}'"
    assert PYPROJECT["project"]["optional-dependencies"]["server"]


def test_every_subpackage_of_the_package_is_listed_for_the_wheel() -> None:
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "summarizer").rglob("__init__.py")}
    assert found <= set(PYPROJECT["tool"]["setuptools"]["packages"])


def test_the_cli_imports_without_the_server_extras_http_client() -> None:
    """A wheel installed without extras has no httpx: the CLI must still start."""
    import subprocess
    import sys

    code = "import sys; sys.modules['httpx'] = None; import summarizer.cli; print('ok')"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr
