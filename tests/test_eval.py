"""Brief quality on the project's gold stories, from recorded embedded-model runs.

The floors only ever go up: lowering one needs a reason in the commit message.
"""

from __future__ import annotations

import pytest
from conftest import EXAMPLES, StoryBriefs

from summarizer.evaluate import Score, load_gold, score

STORIES = ["harbor-storm", "clinic-closure", "transit-strike"]
FLOORS = {
    "harbor-storm": {
        "conflict_recall": 1.0,
        "conflict_precision": 1.0,
        "agreement_recall": 1.0,
        "single_recall": 1.0,
        "grounding_rate": 1.0,
        "summary_faithfulness": 1.0,
    },
    "clinic-closure": {
        "conflict_recall": 1.0,
        "conflict_precision": 1.0,
        "agreement_recall": 1.0,
        "single_recall": 1.0,
        "grounding_rate": 1.0,
        "summary_faithfulness": 1.0,
    },
    "transit-strike": {
        "conflict_recall": 1.0,
        "conflict_precision": 1.0,
        "agreement_recall": 1.0,
        "single_recall": 1.0,
        "grounding_rate": 1.0,
        "summary_faithfulness": 1.0,
    },
}


def _score(story_briefs: StoryBriefs, story: str) -> Score:
    brief = story_briefs.get(story)[0]
    return score(brief, load_gold(EXAMPLES / story / "gold.json"))


@pytest.mark.parametrize("story", STORIES)
def test_brief_meets_the_quality_floors(story_briefs: StoryBriefs, story: str) -> None:
    result = _score(story_briefs, story)
    below = {
        name: getattr(result, name)
        for name, floor in FLOORS[story].items()
        if (getattr(result, name) if getattr(result, name) is not None else 1.0) < floor
    }
    assert not below, f"{story} below its floors: {below}; missed: {result.missed}"


@pytest.mark.parametrize("story", STORIES)
def test_boilerplate_yields_no_claims(story_briefs: StoryBriefs, story: str) -> None:
    assert _score(story_briefs, story).boilerplate_claims == 0


@pytest.mark.parametrize("story", STORIES)
def test_opinion_sentences_yield_no_claims(story_briefs: StoryBriefs, story: str) -> None:
    assert _score(story_briefs, story).opinion_claims == 0
