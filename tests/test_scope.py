"""Scope: claims about earlier or other events never join the story's groups (consensus/scope.py)."""

from __future__ import annotations

from datetime import date

from summarizer.consensus import group_claims
from summarizer.consensus.scope import eras
from summarizer.models import Claim

PUBLISHED = date(2026, 7, 9)


def claim(source: str, quote: str, start: int = 0, n: int = 1) -> Claim:
    return Claim(
        id=f"{source}:c{n}", source_id=source, text=quote, quote=quote, start=start, end=start + len(quote),
        match="exact",
    )  # fmt: skip


def dated(*claims: Claim) -> dict[str, date | None]:
    return {c.source_id: PUBLISHED for c in claims}


def test_a_claim_dated_to_an_earlier_year_has_that_era() -> None:
    c = claim("a", "The 2019 floods killed 40 people along the river.")
    assert eras([c], dated(c))[c.id] == frozenset({"2019"})


def test_a_claim_about_the_story_has_no_era() -> None:
    c = claim("a", "The flood killed 12 people along the river on Tuesday.")
    assert eras([c], dated(c))[c.id] == frozenset()


def test_a_year_that_starts_a_span_dates_no_other_event() -> None:
    c = claim("a", "The dam has protected the town since 1974.")
    assert eras([c], dated(c))[c.id] is None


def test_a_sentence_pointing_back_takes_the_era_of_the_sentence_before() -> None:
    first = claim("a", "A cyclone struck the coast in 2011.", start=0, n=1)
    second = claim("a", "It killed 40 people.", start=first.end + 1, n=2)
    assert eras([first, second], dated(first))[second.id] == frozenset({"2011"})


def test_an_earlier_events_toll_does_not_join_the_storys_toll() -> None:
    old = claim("a", "The 2019 floods killed 40 people along the river.")
    new = claim("b", "This week's flood killed 12 people along the river.")
    groups = group_claims([old, new], dated(old, new))
    assert not any(old.id in g.claim_ids and new.id in g.claim_ids for g in groups)


def test_one_earlier_event_told_by_two_outlets_still_groups() -> None:
    a = claim("a", "A 2004 earthquake off the coast killed 230 people in the province.")
    b = claim("b", "The 2004 earthquake off the coast killed 230 people in the province, officials recalled.")
    groups = group_claims([a, b], dated(a, b))
    (g,) = [g for g in groups if a.id in g.claim_ids]
    assert b.id in g.claim_ids and g.status == "agree"


def test_a_year_later_in_the_sentence_does_not_make_another_era() -> None:
    c = claim("a", "The firm raised $40 million, most of it before the stimulus law of 2009.")
    assert eras([c], dated(c))[c.id] is None


def test_a_claim_that_says_no_time_has_no_era() -> None:
    c = claim("a", "She received her medical degree from the state university.")
    assert eras([c], dated(c))[c.id] is None


def test_a_timeless_claim_groups_with_a_dated_background_claim() -> None:
    a = claim("a", "She received a law degree in 1989 from the state university in Pellham.")
    b = claim("b", "She received her law degree from the state university in Pellham.")
    groups = group_claims([a, b], dated(a, b))
    (g,) = [g for g in groups if a.id in g.claim_ids]
    assert b.id in g.claim_ids and g.status == "agree"


def test_naming_the_storys_day_keeps_a_background_year_out_of_the_era() -> None:
    c = claim("a", "In a valley flooded in 2019, the river burst its banks again on Tuesday.")
    assert eras([c], dated(c))[c.id] == frozenset()
