"""Grouping rules: which claims are about one fact, and when they agree or conflict."""

from __future__ import annotations

from summarizer.consensus import group_claims
from summarizer.models import Claim, Group


def claim(source: str, quote: str, n: int = 1, by: str | None = None) -> Claim:
    return Claim(
        id=f"{source}:c{n}",
        source_id=source,
        text=quote,
        quote=quote,
        start=0,
        end=len(quote),
        match="exact",
        attributed_to=by,
    )


FILLER = [
    claim("x", "Shopkeepers spent the morning sweeping mud out of their doorways.", 7),
    claim("y", "Forecasters expect calmer weather for the rest of the week.", 8),
    claim("z", "Volunteers from the rowing club helped older residents move to higher ground.", 9),
]


def group_of(groups: list[Group], claim_id: str) -> Group:
    return next(g for g in groups if claim_id in g.claim_ids)


def test_different_counts_of_the_same_thing_conflict() -> None:
    a = claim("a", "The utility said 2,400 homes were without power by mid-morning.")
    b = claim("b", "The storm left 2,900 homes without power, according to the utility.")
    g = group_of(group_claims([a, b, *FILLER]), a.id)
    assert g.status == "conflict" and b.id in g.claim_ids and g.basis == "number:home"


def test_a_point_inside_a_range_agrees() -> None:
    a = claim("a", "The utility said between 30 and 40 repair crews were working across the town.")
    b = claim("b", "The utility has 35 crews in the field repairing lines.")
    g = group_of(group_claims([a, b, *FILLER]), a.id)
    assert g.status == "agree" and b.id in g.claim_ids


def test_around_a_figure_agrees_with_one_within_five_percent() -> None:
    a = claim("a", "Around 4,000 drivers walked off the job on Monday morning.")
    b = claim("b", "Some 4,100 drivers walked off the job, the union said.")
    assert group_of(group_claims([a, b, *FILLER]), a.id).status == "agree"


def test_counts_of_different_things_are_not_set_against_each_other() -> None:
    a = claim("a", "The storm left 2,900 homes without power across the town.")
    b = claim("b", "The utility has 35 crews in the field repairing lines across the town.")
    groups = group_claims([a, b, *FILLER])
    assert not any(a.id in g.claim_ids and b.id in g.claim_ids for g in groups)


def test_different_days_for_the_same_event_conflict() -> None:
    a = claim("a", "Town engineers said the bridge will reopen on Monday once inspections are complete.")
    b = claim("b", "The Tern Street bridge will reopen on Friday, according to a notice.")
    g = group_of(group_claims([a, b, *FILLER]), a.id)
    assert g.status == "conflict" and g.basis == "date"


def test_same_action_credited_to_different_actors_is_a_name_conflict() -> None:
    a = claim("a", "Mayor Dana Whitlock ordered the evacuation of the Lower Quay before midnight.")
    b = claim("b", "The Port Averly Harbour Authority ordered the evacuation of the Lower Quay after the surge.")
    g = group_of(group_claims([a, b, *FILLER]), a.id)
    assert g.status == "conflict" and g.basis == "name"


def test_two_outlets_quoting_the_same_official_agree() -> None:
    a = claim("a", '"We were lucky the tide turned when it did," fire chief Rosa Imbert said.', by="Rosa Imbert")
    b = claim(
        "b",
        'Fire chief Rosa Imbert told the radio: "We were lucky the tide turned when it did."',
        by="Fire chief Rosa Imbert",
    )
    g = group_of(group_claims([a, b, *FILLER]), a.id)
    assert g.status == "agree" and b.id in g.claim_ids


def test_a_claim_no_other_source_makes_is_single() -> None:
    a = claim("a", "Hale Elementary School will open as a shelter for displaced families.")
    assert group_of(group_claims([a, *FILLER]), a.id).status == "single"


def test_claims_of_one_source_are_never_linked_to_each_other() -> None:
    a1 = claim("a", "The utility said 2,400 homes were without power.", 1)
    a2 = claim("a", "The utility later said 2,900 homes were without power.", 2)
    groups = group_claims([a1, a2, *FILLER])
    assert all(g.status == "single" for g in groups)


def test_every_claim_is_in_exactly_one_group() -> None:
    claims = [claim("a", "2,400 homes lost power."), claim("b", "2,900 homes lost power."), *FILLER]
    members = [cid for g in group_claims(claims) for cid in g.claim_ids]
    assert sorted(members) == sorted(c.id for c in claims)


def test_the_same_person_with_different_titles_is_a_title_conflict() -> None:
    a = claim("a", "The plan was announced by chief executive Dora Quill.")
    b = claim("b", "The announcement came from Dora Quill, the chief financial officer of the port authority.")
    g = group_of(group_claims([a, b, *FILLER]), a.id)
    assert g.status == "conflict" and b.id in g.claim_ids and g.basis == "title"


def test_the_same_person_with_the_same_title_is_no_conflict() -> None:
    a = claim("a", "The plan was announced by chief executive Dora Quill on Monday.")
    b = claim("b", "Chief executive Dora Quill announced the plan at a briefing.")
    g = group_of(group_claims([a, b, *FILLER]), a.id)
    assert g.status == "agree" and b.id in g.claim_ids


def test_figures_of_different_actors_are_different_facts() -> None:
    demand = claim("a", "The Harbour Pilots Guild is demanding a 7% raise over two years.")
    offer = claim("b", "Talks stalled after the Averly Port Board offered a 3% raise.")
    groups = group_claims([demand, offer, *FILLER])
    assert not any(demand.id in g.claim_ids and offer.id in g.claim_ids for g in groups)


def test_whom_a_claim_credits_is_not_its_actor() -> None:
    a = claim("a", "Mayor Ines Farrow said 2,400 homes were without power.", by="Mayor Ines Farrow")
    b = claim("b", "Averly Power said 2,900 homes were without power.", by="Averly Power")
    g = group_of(group_claims([a, b, *FILLER]), a.id)
    assert g.status == "conflict" and b.id in g.claim_ids


def test_members_and_workers_are_counted_as_people() -> None:
    a = claim("a", "Around 4,000 transit workers walked off the job.")
    b = claim("b", "The walkout involves 6,100 members of the Transit Workers Union.")
    g = group_of(group_claims([a, b, *FILLER]), a.id)
    assert g.status == "conflict" and g.basis == "number:person"


def test_the_same_large_figure_of_the_same_thing_links_differently_worded_claims() -> None:
    a = claim("a", "The guild is preparing to send an estimated 2,500 to 3,000 additional pilots north.")
    b = claim("b", "According to a leaked memo, officials plan to move between 2,500 and 3,000 more pilots.")
    g = group_of(group_claims([a, b, *FILLER]), a.id)
    assert g.status == "agree" and b.id in g.claim_ids


def test_people_killed_or_wounded_are_not_compared_with_people_deployed() -> None:
    a = claim("a", "Last year's deployment of 11,000 soldiers, many of whom were killed or wounded, drew criticism.")
    b = claim("b", "Reports indicate that 4,700 soldiers have been killed or wounded so far.")
    groups = group_claims([a, b, *FILLER])
    assert not any(a.id in g.claim_ids and b.id in g.claim_ids for g in groups)


def test_a_lone_figure_joins_the_group_it_contradicts_when_it_links_strongly_to_one_member() -> None:
    same = [
        claim("a", "The move would expand on last year's deployment of 1,100 harbour pilots, many of whom left."),
        claim("b", "This would add to the estimated 1,100 pilots already working along the coast since spring."),
        claim("c", "In late spring, the guild quietly sent 1,100 pilots to the southern ports, officials confirmed."),
    ]
    lone = claim("d", "Earlier in the year, roughly 1,200 pilots were posted to the southern ports.")
    g = group_of(group_claims([*same, lone, *FILLER]), lone.id)
    assert g.status == "conflict" and {c.id for c in same} <= set(g.claim_ids)


def test_a_disputed_count_with_a_short_topic_says_what_is_counted() -> None:
    a = claim("a", "The guild employed 1,100 pilots last spring.")
    b = claim("b", "The guild employs 1,400 pilots, its secretary said.")
    g = group_of(group_claims([a, b, *FILLER]), a.id)
    assert g.status == "conflict" and g.topic.split()[-1] == "pilots"


def test_a_small_figure_under_a_far_higher_up_to_bound_is_not_taken_for_the_same_fact() -> None:
    a = claim("a", "The guild will send up to 3,000 more pilots to help rebuild the southern ports.")
    b = claim("b", "The ministry announced another 600 pilots to help rebuild the harbour walls in the south.")
    groups = group_claims([a, b, *FILLER])
    assert group_of(groups, a.id).status == "single" and group_of(groups, b.id).status == "single"


def test_a_figure_near_an_up_to_bound_still_meets_it() -> None:
    a = claim("a", "The guild will send up to 3,000 more pilots to help rebuild the southern ports.")
    b = claim("b", "The ministry announced another 2,800 pilots to help rebuild the harbour walls in the south.")
    g = group_of(group_claims([a, b, *FILLER]), a.id)
    assert g.status == "agree" and b.id in g.claim_ids


def test_small_counts_that_differ_tie_no_claims_together() -> None:
    a = claim("a", "Kell scored a game-high 21 points and grabbed seven rebounds.")
    b = claim("b", "Marlow had all nine of her points after the break, grabbed 11 rebounds and blocked four shots.")
    c = claim("c", "Marlow finished with nine points, 11 rebounds and four blocked shots for the Otters.")
    groups = group_claims([a, b, c, *FILLER])
    assert group_of(groups, a.id).claim_ids == [a.id]
    assert any(g.status == "agree" and {b.id, c.id} <= set(g.claim_ids) for g in groups)


def test_a_wording_groups_topic_is_a_phrase_cut_from_a_claim() -> None:
    a = claim("a", "Crews restored power to the eastern suburbs late on Sunday, the utility said.")
    b = claim("b", "By Sunday night crews had restored power to the eastern suburbs.")
    g = group_of(group_claims([a, b, *FILLER]), a.id)
    assert b.id in g.claim_ids and g.topic in a.quote + " " + b.quote and len(g.topic.split()) >= 3


def test_one_judge_of_two_jurisdictions_is_a_title_conflict() -> None:
    a = claim("a", "The motion was denied, said U.S. District Judge Hana Morrow on Monday.")
    b = claim("b", "The defence failed to remove state District Judge Hana Morrow from the case.")
    g = group_of(group_claims([a, b, *FILLER]), a.id)
    assert g.status == "conflict" and g.basis == "title" and b.id in g.claim_ids
