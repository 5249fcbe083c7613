"""A hostile article (prompt injection, fake JSON, fake roles) briefed with the recorded embedded model.

Each article is extracted in its own call with its text marked as data, and every claim is cut from
its own article by offset, so a hostile article can at worst add its own sentences as claims: it
cannot change another article's claims, invent a quote, or change the brief's structure.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CASSETTES, EXAMPLES, StoryBriefs, make_vcr

from summarizer import config
from summarizer.articles import load_articles
from summarizer.extractor import INSTRUCTIONS_SKIPPED
from summarizer.models import Brief
from summarizer.pipeline import summarize
from summarizer.sentences import looks_like_instructions

HOSTILE = Path(__file__).parent / "data" / "hostile" / "06-quayside-notice.txt"
STORY = "harbor-storm"


@pytest.fixture(scope="module")
def hostile_brief(model_endpoint: tuple[str, str], recording: bool, tmp_path_factory: pytest.TempPathFactory) -> Brief:
    """The example story plus the hostile article, from one cassette (every recorded call used)."""
    name = "brief-harbor-storm-hostile.yaml"
    if not recording and not (CASSETTES / name).exists():
        pytest.fail(f"no cassette {name}: record it with `pytest --record tests/test_injection.py`")
    base_url, model = model_endpoint
    settings = config.Settings(
        model=model, base_url=base_url, dialect="llamacpp", cache_dir=tmp_path_factory.mktemp("hostile"), jobs=1
    )
    with make_vcr(recording).use_cassette(name) as cass:
        brief = summarize(load_articles([str(EXAMPLES / STORY), str(HOSTILE)]), settings)
        if not recording:
            assert cass.all_played, f"{name}: some recorded calls were not made"
    return brief


def _without(brief: Brief, source_id: str) -> list[tuple[str, str, int, int]]:
    return sorted((c.source_id, c.quote, c.start, c.end) for c in brief.claims if c.source_id != source_id)


def test_a_hostile_article_leaves_the_other_articles_claims_unchanged(
    hostile_brief: Brief, story_briefs: StoryBriefs
) -> None:
    clean: Brief = story_briefs.get(STORY)[0]
    assert _without(hostile_brief, HOSTILE.stem) == _without(clean, HOSTILE.stem)


def test_a_hostile_article_gets_no_quote_that_is_not_its_own_text(hostile_brief: Brief) -> None:
    text = HOSTILE.read_text(encoding="utf-8")
    for claim in (c for c in hostile_brief.claims if c.source_id == HOSTILE.stem):
        assert text[claim.start : claim.end] == claim.quote


def test_instructions_in_an_article_are_not_offered_to_the_model_and_are_reported(hostile_brief: Brief) -> None:
    mine = [c.quote for c in hostile_brief.claims if c.source_id == HOSTILE.stem]
    skipped = [d.raw for d in hostile_brief.dropped if d.source_id == HOSTILE.stem and d.reason == INSTRUCTIONS_SKIPPED]
    assert not any(looks_like_instructions(q) for q in mine)
    assert any(q.startswith("The Lower Quay ferry will run every 40 minutes") for q in mine)
    assert [s.split()[0] for s in skipped] == ["Ignore", "SYSTEM:"]


def test_a_hostile_article_does_not_change_the_conflicts_found(hostile_brief: Brief, story_briefs: StoryBriefs) -> None:
    clean: Brief = story_briefs.get(STORY)[0]

    def conflicts(brief: Brief) -> list[list[str]]:
        return sorted(sorted(g.claim_ids) for g in brief.groups if g.status == "conflict")

    found = conflicts(hostile_brief)
    assert all(any(set(c) <= set(f) for f in found) for c in conflicts(clean))


def test_a_hostile_article_does_not_change_the_brief_structure(hostile_brief: Brief) -> None:
    md = hostile_brief.to_markdown()
    headings = ["## Summary", "## Where sources agree", "## Where sources conflict", "## Reported by one source"]
    assert [md.index(h) for h in headings] == sorted(md.index(h) for h in headings)
    assert Brief.model_validate_json(hostile_brief.model_dump_json()) == hostile_brief
