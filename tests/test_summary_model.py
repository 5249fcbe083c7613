"""The model-written summary path, recorded: every kept sentence cites claims and checks out."""

from __future__ import annotations

from conftest import StoryBriefs

from summarizer.summary import check_sentence


def test_model_summary_sentences_pass_the_citation_and_number_checks(story_briefs: StoryBriefs) -> None:
    brief = story_briefs.get("harbor-storm", summary="model")[0]
    claims = {c.id: c for c in brief.claims}
    sources = {s.id: s for s in brief.sources}
    assert brief.summary
    for sentence in brief.summary:
        assert check_sentence(sentence, claims, sources) is None
    assert brief.method.summary_mode.startswith(("model", "rules (the model's summary"))


def test_model_summary_drops_are_reported_not_hidden(story_briefs: StoryBriefs) -> None:
    brief = story_briefs.get("harbor-storm", summary="model")[0]
    if brief.method.summary_mode.startswith("rules"):
        assert any(d.source_id == "summary" for d in brief.dropped)
    else:
        assert brief.stats.model_calls >= brief.stats.articles + 1
