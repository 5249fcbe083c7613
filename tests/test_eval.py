"""Brief quality on the project's gold stories, from recorded embedded-model runs.

The floors only ever go up: lowering one needs a reason in the commit message.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import EXAMPLES, StoryBriefs
from standin import Reply, serve

from summarizer import config
from summarizer.evaluate import Gold, GoldConflict, Ref, Score, load_gold, score
from summarizer.models import Article, Brief
from summarizer.pipeline import summarize

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
        "superseded": 1.0,
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
def test_no_dispute_is_labelled_superseded(story_briefs: StoryBriefs, story: str) -> None:
    assert _score(story_briefs, story).superseded_wrong == 0


@pytest.mark.parametrize("story", STORIES)
def test_boilerplate_yields_no_claims(story_briefs: StoryBriefs, story: str) -> None:
    assert _score(story_briefs, story).boilerplate_claims == 0


@pytest.mark.parametrize("story", STORIES)
def test_opinion_sentences_yield_no_claims(story_briefs: StoryBriefs, story: str) -> None:
    assert _score(story_briefs, story).opinion_claims == 0


def test_the_total_pools_the_stories_counts_not_their_ratios() -> None:
    from summarizer.evaluate import Score, format_table, total

    def story(name: str, found: int, gold: int) -> Score:
        return Score(
            story=name, conflict_recall=found / gold, conflict_precision=None, agreement_recall=None,
            single_recall=None, grounding_rate=None, summary_faithfulness=None, false_alarms=1,
            unjudged_conflicts=0, boilerplate_claims=0, opinion_claims=0, missed=[], seconds=1.0, model_calls=2,
            counts={"conflicts_found": found, "conflicts_gold": gold},
        )  # fmt: skip

    pooled = total([story("a", 1, 1), story("b", 0, 3)])
    assert pooled.superseded is None and pooled.superseded_wrong == 0  # no gold superseded conflict
    assert pooled.conflict_recall == 0.25 and pooled.false_alarms == 2 and pooled.model_calls == 4
    assert format_table([story("a", 1, 1), story("b", 0, 3)]).splitlines()[-1].startswith("total")


def _flood_brief(tmp_path: Path) -> Brief:
    """A toll that rose from one day to the next, briefed by the real pipeline over a scripted model."""
    articles = [
        Article(id="early", text="The flood in Marren district killed at least six people.\n", published="2025-03-04"),
        Article(id="late", text="The flood in Marren district has killed 19 people.\n", published="2025-03-05"),
    ]
    with serve([Reply(content=json.dumps({"facts": [1]}))]) as (url, _):
        settings = config.Settings(base_url=url, model="m", dialect="llamacpp", cache_dir=tmp_path / "cache")
        return summarize(articles, settings)


def _toll_gold(note: str) -> Gold:
    return Gold(
        story="flood",
        conflicts=[
            GoldConflict(
                id="toll",
                note=note,
                sides=[Ref(source="early", quote_contains="at least six"), Ref(source="late", quote_contains="19")],
            )
        ],
    )


def test_a_gold_update_labelled_superseded_scores_in_the_superseded_column(tmp_path: Path) -> None:
    result = score(_flood_brief(tmp_path), _toll_gold("Superseded: the toll rose as reports came in."))
    assert (result.superseded, result.superseded_wrong) == (1.0, 0)


def test_a_gold_dispute_labelled_superseded_counts_as_wrong(tmp_path: Path) -> None:
    result = score(_flood_brief(tmp_path), _toll_gold("Two outlets give different tolls."))
    assert (result.superseded, result.superseded_wrong) == (None, 1)
