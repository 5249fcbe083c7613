"""The bundled example story, briefed from recorded model answers: contract, grounding, sections."""

from __future__ import annotations

import json

import pytest
from conftest import EXAMPLES, StoryBriefs

from summarizer.articles import load_articles
from summarizer.models import Brief
from summarizer.pipeline import summarize
from summarizer.summary import check_sentence

STORY = "harbor-storm"


@pytest.fixture
def brief(story_briefs: StoryBriefs) -> Brief:
    made: Brief = story_briefs.get(STORY)[0]
    return made


def _texts() -> dict[str, str]:
    return {a.id: a.text for a in load_articles([str(EXAMPLES / STORY)])}


def test_every_exact_or_normalized_quote_is_the_source_text_at_its_offsets(brief: Brief) -> None:
    texts = _texts()
    assert brief.claims
    for claim in brief.claims:
        assert claim.match in ("exact", "normalized")
        assert claim.quote == texts[claim.source_id][claim.start : claim.end]


def test_json_brief_has_the_documented_contract(brief: Brief) -> None:
    data = json.loads(brief.model_dump_json())
    assert data["schema_version"] == "3"
    assert set(data) >= {"sources", "claims", "groups", "summary", "dropped", "stats"}
    assert set(data["sources"][0]) >= {"id", "title", "outlet", "path", "date", "derived_from"}
    assert set(data["claims"][0]) >= {
        "id",
        "source_id",
        "text",
        "quote",
        "start",
        "end",
        "match",
        "attributed_to",
        "hedge",
        "values",
        "origin",
    }
    assert set(data["claims"][0]["origin"]) == {"name", "key", "kind", "via"}
    assert set(data["groups"][0]) >= {
        "id", "status", "topic", "claim_ids", "basis", "frame", "kind", "outlets", "independent", "origins",
    }  # fmt: skip
    framed = [v["frame"] for c in data["claims"] for v in c["values"] if v["kind"] == "number" and v["frame"]]
    assert framed and all(set(f) >= {"measure", "noun", "event", "owner", "when"} for f in framed)
    assert {g["status"] for g in data["groups"]} <= {"agree", "conflict", "single"}
    assert set(data["dropped"][0] if data["dropped"] else {"source_id", "reason", "raw"}) >= {
        "source_id",
        "reason",
        "raw",
    }


def test_every_group_member_is_a_claim_of_the_brief(brief: Brief) -> None:
    ids = {c.id for c in brief.claims}
    members = [cid for g in brief.groups for cid in g.claim_ids]
    assert sorted(members) == sorted(ids)


def test_markdown_has_every_section_in_order(brief: Brief) -> None:
    md = brief.to_markdown()
    headings = [
        "## Summary",
        "## Where sources agree",
        "## Where sources conflict",
        "## Reported by one source",
        "## Sources",
    ]
    positions = [md.index(h) for h in headings]
    assert positions == sorted(positions)
    assert "_Method: model" in md


def test_summary_sentences_cite_claims_and_their_numbers_check_out(brief: Brief) -> None:
    claims = {c.id: c for c in brief.claims}
    sources = {s.id: s for s in brief.sources}
    assert brief.summary
    for sentence in brief.summary:
        assert check_sentence(sentence, claims, sources) is None


def test_boilerplate_lines_yield_no_claims(brief: Brief) -> None:
    quotes = " ".join(c.quote for c in brief.claims)
    for line in ("Share this article", "Subscribe to our newsletter", "Also read:"):
        assert line not in quotes


def test_second_run_is_served_from_the_cache_without_a_model_call(story_briefs: StoryBriefs) -> None:
    first, settings = story_briefs.get(STORY)
    # Outside any cassette and with no server: a model call here would fail the test.
    again = summarize(load_articles([str(EXAMPLES / STORY)]), settings)
    assert again.stats.model_calls == 0
    assert again.stats.cached_articles == first.stats.articles
    assert [c.quote for c in again.claims] == [c.quote for c in first.claims]
