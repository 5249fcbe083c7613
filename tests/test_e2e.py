"""End to end against the real embedded model server (slow: CI runs it to catch install gaps)."""

from __future__ import annotations

import os
from importlib.util import find_spec
from pathlib import Path

import pytest
from conftest import EXAMPLES

from summarizer import config
from summarizer.articles import load_articles
from summarizer.pipeline import summarize

pytestmark = pytest.mark.e2e


@pytest.fixture
def embedded_settings(tmp_path: Path) -> config.Settings:
    if find_spec("llama_cpp") is None:
        if os.environ.get("CI"):
            pytest.fail("llama-cpp-python is missing in CI: the Quick start's install step did not provide it")
        pytest.skip("llama-cpp-python not installed (pip install -e '.[local]')")
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
