"""Timeline: a figure that moved as reports came in is an update (superseded), not a dispute.

Each test briefs short articles of its own (the project's own sentences) through the real pipeline
over a scripted model, so consensus, timeline and rendering run as they do for a user.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from standin import Reply, serve

from summarizer import config
from summarizer.models import Article, Brief, Group
from summarizer.pipeline import summarize
from summarizer.timeline import article_date, parse_day


def _brief(tmp_path: Path, *articles: Article) -> Brief:
    with serve([Reply(content=json.dumps({"facts": [1]}))]) as (url, _):
        settings = config.Settings(base_url=url, model="m", dialect="llamacpp", cache_dir=tmp_path / "cache")
        return summarize(list(articles), settings)


def _article(article_id: str, text: str, day: str | None) -> Article:
    return Article(id=article_id, text=text + "\n", published=day, outlet=f"The {article_id.title()} Times")


def _conflict(brief: Brief) -> Group:
    conflicts = [g for g in brief.groups if g.status == "conflict"]
    assert len(conflicts) == 1, [g.topic for g in brief.groups]
    return conflicts[0]


FLOOD_EARLY = "The flood in Marren district killed at least six people, officials said."
FLOOD_LATE = "The flood in Marren district has killed 19 people, officials said."


def test_a_toll_that_rose_on_a_later_day_is_superseded(tmp_path: Path) -> None:
    brief = _brief(tmp_path, _article("early", FLOOD_EARLY, "2025-03-04"), _article("late", FLOOD_LATE, "2025-03-05"))
    group = _conflict(brief)
    assert group.kind == "superseded"
    latest = {s.says for s in group.stances.values() if s.side == group.latest_side}
    assert latest == {"19"}


def test_each_side_of_a_conflict_carries_its_articles_day(tmp_path: Path) -> None:
    brief = _brief(tmp_path, _article("early", FLOOD_EARLY, "2025-03-04"), _article("late", FLOOD_LATE, "2025-03-05"))
    assert sorted((s.says, s.date) for s in _conflict(brief).stances.values()) == [
        ("19", "2025-03-05"),
        ("at least six", "2025-03-04"),
    ]


def test_two_tolls_of_one_day_stay_a_dispute(tmp_path: Path) -> None:
    brief = _brief(tmp_path, _article("early", FLOOD_EARLY, "2025-03-04"), _article("late", FLOOD_LATE, "2025-03-04"))
    group = _conflict(brief)
    assert group.kind == "dispute" and group.latest_side is None


def test_a_toll_that_fell_on_a_later_day_stays_a_dispute(tmp_path: Path) -> None:
    brief = _brief(tmp_path, _article("first", FLOOD_LATE, "2025-03-04"), _article("second", FLOOD_EARLY, "2025-03-05"))
    assert _conflict(brief).kind == "dispute"


def test_a_side_without_a_date_makes_a_dispute(tmp_path: Path) -> None:
    brief = _brief(tmp_path, _article("early", FLOOD_EARLY, None), _article("late", FLOOD_LATE, "2025-03-05"))
    assert _conflict(brief).kind == "dispute"


def test_arrests_counted_again_the_next_day_are_superseded(tmp_path: Path) -> None:
    brief = _brief(
        tmp_path,
        _article("saturday", "Police arrested 12 people after the riot in Tolvik on Saturday.", "2025-05-10"),
        _article("sunday", "Police have arrested 31 people after the riot in Tolvik on Saturday.", "2025-05-11"),
    )
    assert _conflict(brief).kind == "superseded"


def test_votes_counted_by_a_later_day_are_superseded(tmp_path: Path) -> None:
    brief = _brief(
        tmp_path,
        _article("night", "Election officials had counted 41,200 votes in Brask county by Sunday night.", "2025-09-14"),
        _article("monday", "Election officials had counted 58,900 votes in Brask county by Monday.", "2025-09-15"),
    )
    assert _conflict(brief).kind == "superseded"


def test_the_injured_rising_from_dozens_to_a_count_is_superseded(tmp_path: Path) -> None:
    brief = _brief(
        tmp_path,
        _article("first", "Dozens of people were injured in the blast at the Kerrow plant.", "2025-04-01"),
        _article("next", "The blast at the Kerrow plant injured 212 people, the fire service said.", "2025-04-02"),
    )
    assert _conflict(brief).kind == "superseded"


def test_a_price_that_differs_on_a_later_day_stays_a_dispute(tmp_path: Path) -> None:
    """A deal's price is no running count: a later, larger figure is a dispute, not an update."""
    brief = _brief(
        tmp_path,
        _article("monday", "Halvor Foods will pay $2.1 billion for Brightmill, the companies said.", "2025-02-03"),
        _article("tuesday", "Halvor Foods will pay $2.4 billion for Brightmill, the companies said.", "2025-02-04"),
    )
    assert _conflict(brief).kind == "dispute"


def test_an_article_that_says_its_toll_replaces_earlier_reports_is_superseded_on_one_day(tmp_path: Path) -> None:
    brief = _brief(
        tmp_path,
        _article("morning", FLOOD_EARLY, "2025-03-04"),
        _article(
            "evening",
            "The flood in Marren district killed 19 people, officials said, raising the toll from earlier reports.",
            "2025-03-04",
        ),
    )
    group = _conflict(brief)
    assert group.kind == "superseded"
    assert {s.says for s in group.stances.values() if s.side == group.latest_side} == {"19"}


def test_a_date_at_the_top_of_the_text_dates_an_article_without_metadata() -> None:
    article = Article(id="a", text=f"March 4, 2025\n\n{FLOOD_EARLY}\n")
    assert article_date(article) == date(2025, 3, 4)


def test_published_metadata_wins_over_a_date_in_the_text() -> None:
    article = Article(id="a", text=f"Updated 6 March 2025\n\n{FLOOD_EARLY}\n", published="2025-03-05T08:00:00Z")
    assert article_date(article) == date(2025, 3, 5)


@pytest.mark.parametrize(
    ("written", "day"),
    [("2013-07-02", date(2013, 7, 2)), ("July 2, 2013", date(2013, 7, 2)), ("2 Jul. 2013", date(2013, 7, 2))],
)
def test_a_day_is_read_as_iso_or_in_words(written: str, day: date) -> None:
    assert parse_day(written) == day


def test_the_markdown_says_how_the_toll_moved_with_the_latest_figure_last(tmp_path: Path) -> None:
    brief = _brief(
        tmp_path,
        _article("courier", "The quake in Tarn province killed at least one person.", "2025-07-02"),
        _article("herald", "The quake in Tarn province killed at least five people.", "2025-07-02"),
        _article("radio", "The quake in Tarn province killed 24 people, officials said.", "2025-07-03"),
    )
    md = brief.to_markdown()
    assert (
        "Updated: at least one (The Courier Times, 2 July) → at least five (The Herald Times, 2 July) → "
        "24 (The Radio Times, 3 July); the latest reports give 24." in md
    )
    assert "(updated figure)" in md


def test_the_summary_leads_with_the_latest_figure(tmp_path: Path) -> None:
    brief = _brief(tmp_path, _article("early", FLOOD_EARLY, "2025-03-04"), _article("late", FLOOD_LATE, "2025-03-05"))
    first = brief.summary[0].text
    assert first.startswith("The latest reports give 19 for people killed (The Late Times)")
    assert first.index("19") < first.index("at least six")


def test_a_model_writing_the_summary_is_told_which_figure_is_the_latest(tmp_path: Path) -> None:
    articles = [_article("early", FLOOD_EARLY, "2025-03-04"), _article("late", FLOOD_LATE, "2025-03-05")]
    with serve([Reply(content=json.dumps({"facts": [1]}))]) as (url, standin):
        settings = config.Settings(
            base_url=url, model="m", dialect="llamacpp", cache_dir=tmp_path / "cache", summary="model"
        )
        summarize(articles, settings)
    asked = standin.requests[-1]["messages"][-1]["content"]
    assert "(conflict, about people killed; an update: the latest reports give 19):" in asked


def test_one_figure_said_by_several_earlier_reports_is_one_step_of_the_update(tmp_path: Path) -> None:
    brief = _brief(
        tmp_path,
        _article("first", "Dozens of people were injured in the blast at the Kerrow plant.", "2025-04-01"),
        _article("second", "The blast at the Kerrow plant injured dozens of people.", "2025-04-01"),
        _article("next", "The blast at the Kerrow plant injured 212 people, the fire service said.", "2025-04-02"),
    )
    assert (
        "Updated: Dozens (The First Times, The Second Times, 1 April) → 212 (The Next Times, 2 April); "
        "the latest reports give 212." in brief.to_markdown()
    )


def test_an_updated_toll_lists_the_latest_figure_first(tmp_path: Path) -> None:
    brief = _brief(
        tmp_path,
        _article("courier", "The quake in Tarn province killed at least one person.", "2025-07-02"),
        _article("radio", "The quake in Tarn province killed 24 people, officials said.", "2025-07-03"),
        _article("herald", "The quake in Tarn province killed at least five people.", "2025-07-02"),
    )
    group = _conflict(brief)
    assert [group.stances[cid].says for cid in group.claim_ids] == ["24", "at least five", "at least one"]
    table = brief.to_markdown().split("| Source | Says | Date | Origin | Quote |")[1]
    assert table.index("| 24 |") < table.index("| at least five |") < table.index("| at least one |")
