"""An agreement is checked like a conflict: figures, outcomes and roles of claims worded alike, and
the differences that make two claims different facts rather than a dispute (consensus/slots.py)."""

from __future__ import annotations

from datetime import date

from summarizer.consensus import group_claims
from summarizer.models import Claim, Group

PUBLISHED = date(2026, 3, 4)


def claim(source: str, quote: str, n: int = 1) -> Claim:
    return Claim(id=f"{source}:c{n}", source_id=source, text=quote, quote=quote, start=0, end=len(quote), match="exact")


FILLER = [
    claim("x", "Volunteers handed out blankets at the community hall on Tuesday night.", 7),
    claim("y", "The regional airport expects to run a normal timetable by the weekend.", 8),
]


def judged(a: str, b: str) -> tuple[str, Group]:
    """How two one-sentence articles are judged: "conflict", "agree" or "separate", and a's group."""
    ca, cb = claim("a", a), claim("b", b)
    groups = group_claims([ca, cb, *FILLER], {"a": PUBLISHED, "b": PUBLISHED, "x": PUBLISHED, "y": PUBLISHED})
    group = next(g for g in groups if ca.id in g.claim_ids)
    if cb.id not in group.claim_ids:
        return "separate", group
    return group.status, group


def test_a_different_vote_tally_in_the_same_sentence_is_a_conflict() -> None:
    verdict, group = judged(
        "The council voted 7-2 on Monday to approve the new stadium lease.",
        "The council voted 6-3 on Monday to approve the new stadium lease.",
    )
    assert verdict == "conflict" and group.judged_on is not None and group.judged_on.kind == "number"


def test_a_different_small_count_of_one_thing_in_the_same_sentence_is_a_conflict() -> None:
    verdict, group = judged(
        "Prosecutors brought 9 counts of fraud against the former treasurer.",
        "Prosecutors brought 11 counts of fraud against the former treasurer.",
    )
    assert verdict == "conflict"
    assert sorted(s.says for s in group.stances.values()) == ["11", "9"]


def test_a_different_final_score_of_one_match_is_a_conflict() -> None:
    verdict, _ = judged(
        "Rovers beat United 3-1 at the harbour ground on Saturday.",
        "Rovers beat United 2-1 at the harbour ground on Saturday.",
    )
    assert verdict == "conflict"


def test_approved_against_rejected_is_an_outcome_conflict() -> None:
    verdict, group = judged(
        "The medicines regulator approved the asthma inhaler on Thursday.",
        "The medicines regulator rejected the asthma inhaler on Thursday.",
    )
    assert verdict == "conflict" and group.basis == "outcome"
    assert sorted(s.says for s in group.stances.values()) == ["approved", "rejected"]


def test_guilty_against_acquitted_is_an_outcome_conflict() -> None:
    verdict, group = judged(
        "A jury found the ferry captain guilty of manslaughter on Friday.",
        "A jury acquitted the ferry captain of manslaughter on Friday.",
    )
    assert verdict == "conflict" and group.basis == "outcome"


def test_swapped_buyer_and_seller_is_a_role_conflict() -> None:
    verdict, group = judged(
        "Corvane Systems agreed to buy Lumetra for $1.2 billion.",
        "Lumetra agreed to buy Corvane Systems for $1.2 billion.",
    )
    assert verdict == "conflict" and group.basis == "role"


def test_two_parties_joined_by_and_in_either_order_agree() -> None:
    verdict, _ = judged(
        "Corvane Systems and Lumetra announced a $1.2 billion merger on Monday.",
        "Lumetra and Corvane Systems announced a $1.2 billion merger on Monday.",
    )
    assert verdict == "agree"


def test_a_forecast_that_differs_from_the_outcome_is_a_different_fact() -> None:
    verdict, _ = judged(
        "Economists had expected the jobless rate to rise to 4.4 percent in February.",
        "The jobless rate rose to 4.1 percent in February.",
    )
    assert verdict == "separate"


def test_not_raising_rates_against_an_expected_raise_is_no_negation_conflict() -> None:
    verdict, _ = judged(
        "The central bank did not raise interest rates on Wednesday.",
        "The central bank is expected to raise interest rates in June.",
    )
    assert verdict == "separate"


def test_different_people_casting_the_same_vote_are_different_facts() -> None:
    verdict, _ = judged(
        "Senator Ilse Ward voted against the water bill.",
        "Representative Omar Cole voted against the water bill.",
    )
    assert verdict == "separate"


def test_different_people_giving_the_same_order_are_a_name_conflict() -> None:
    verdict, group = judged(
        "Mayor Dana Pruitt ordered the evacuation of the riverside streets.",
        "The Harbour Authority ordered the evacuation of the riverside streets.",
    )
    assert verdict == "conflict" and group.basis == "name"


def test_two_dates_each_after_an_act_the_other_never_names_are_different_events() -> None:
    verdict, _ = judged(
        "Ferries resumed on Thursday after the storm.",
        "Ferry service was suspended on Tuesday because of the storm.",
    )
    assert verdict == "separate"


def test_one_act_given_two_days_is_a_date_conflict() -> None:
    verdict, group = judged(
        "The coastal road reopens Friday after repairs.",
        "The coastal road reopens Monday after repairs.",
    )
    assert verdict == "conflict" and group.basis == "date"


def test_a_celsius_and_a_fahrenheit_reading_of_one_heat_agree() -> None:
    verdict, _ = judged(
        "Temperatures in the capital reached 41 degrees Celsius on Sunday.",
        "Temperatures in the capital reached 106 degrees Fahrenheit on Sunday.",
    )
    assert verdict == "agree"


def test_a_rounded_floor_agrees_with_a_larger_figure() -> None:
    verdict, _ = judged(
        "The airline will cut more than 1,000 jobs at its maintenance base.",
        "The airline will cut 2,200 jobs at its maintenance base.",
    )
    assert verdict == "agree"


def test_a_share_of_a_loan_is_not_set_against_the_whole_loan() -> None:
    verdict, _ = judged(
        "Greece's share of the rescue loan is 4 billion euros.",
        "The lenders approved the 25 billion euro rescue loan.",
    )
    assert verdict == "separate"


def test_no_one_hurt_against_people_hurt_is_a_conflict() -> None:
    verdict, group = judged(
        "No one was hurt when the scaffolding fell onto the square.",
        "Three people were hurt when the scaffolding fell onto the square.",
    )
    assert verdict == "conflict" and group.basis is not None and group.basis.startswith("number")


def test_a_conflict_side_says_a_value_never_a_quote() -> None:
    _, group = judged(
        "The council voted 7-2 on Monday to approve the new stadium lease.",
        "The council voted 6-3 on Monday to approve the new stadium lease.",
    )
    assert group.stances and all("“" not in s.says and len(s.says.split()) <= 3 for s in group.stances.values())


def test_a_source_on_both_sides_of_a_conflict_is_said_to_give_both() -> None:
    a1 = claim("a", "The depot blast killed 12 people, the fire service said.", 1)
    a2 = claim("a", "The depot blast killed 20 people, the ministry said later.", 2)
    b1 = claim("b", "The depot blast killed 12 people, officials said.", 1)
    groups = group_claims([a1, a2, b1, *FILLER], {"a": PUBLISHED, "b": PUBLISHED})
    (group,) = [g for g in groups if a2.id in g.claim_ids]
    assert group.status == "conflict"
    assert all(group.says_in_table(c).endswith("(this source gives more than one)") for c in (a1, a2))
    assert not group.says_in_table(b1).endswith("(this source gives more than one)")


def test_one_sentence_with_one_other_detail_is_a_detail_conflict() -> None:
    verdict, group = judged(
        "The goalkeeper was injured in a collision in the 34th minute of the derby.",
        "The goalkeeper was injured in a collision in the 43rd minute of the derby.",
    )
    assert verdict == "conflict" and group.basis == "detail"
    assert sorted(s.says for s in group.stances.values()) == ["34th", "43rd"]


def test_one_sentence_arrested_in_two_cities_is_a_conflict() -> None:
    verdict, _ = judged(
        "The fugitive banker was arrested in Porto on Sunday evening.",
        "The fugitive banker was arrested in Seville on Sunday evening.",
    )
    assert verdict == "conflict"


def test_the_same_detail_in_a_synonym_agrees() -> None:
    verdict, _ = judged(
        "The club signed the Danish winger on a three-year deal.",
        "The club signed the Danish winger on a three-year contract.",
    )
    assert verdict == "agree"


def test_a_contraction_is_no_detail() -> None:
    verdict, _ = judged(
        "Firefighters couldn't reach the upper floors of the warehouse.",
        "Firefighters could not reach the upper floors of the warehouse.",
    )
    assert verdict == "agree"


def test_a_different_opening_subject_doing_a_collective_act_is_a_different_fact() -> None:
    verdict, _ = judged(
        "Teachers at the Northfield school voted to strike next month.",
        "Cleaners at the Northfield school voted to strike next month.",
    )
    assert verdict == "separate"


def test_a_demand_against_the_decision_is_a_different_fact() -> None:
    verdict, _ = judged(
        "The union had demanded a pay rise of 11 percent for the drivers.",
        "The drivers were given a pay rise of 6 percent on Friday.",
    )
    assert verdict == "separate"


def test_two_demands_of_different_sizes_conflict() -> None:
    verdict, _ = judged(
        "The nurses' union is demanding a 9% raise over two years.",
        "Union leaders want a 12% raise over two years for the nurses.",
    )
    assert verdict == "conflict"


def test_a_plan_may_agree_with_the_report_of_it() -> None:
    verdict, _ = judged(
        "The carmaker will open its new battery plant in Leipzig in the spring.",
        "The carmaker plans to open its new battery plant in Leipzig in the spring.",
    )
    assert verdict == "agree"


def test_a_plan_against_a_report_it_was_not_done_is_no_negation_conflict() -> None:
    verdict, _ = judged(
        "Investigators expect to question more witnesses this week.",
        "Investigators did not question any witnesses on Monday.",
    )
    assert verdict == "separate"


def test_none_of_anyone_conflicts_with_some_of_a_kind_of_people() -> None:
    verdict, _ = judged(
        "No one was injured when the stand collapsed at the show ground.",
        "Four spectators were injured when the stand collapsed at the show ground.",
    )
    assert verdict == "conflict"


def test_a_kind_of_people_killed_is_not_set_against_all_killed() -> None:
    verdict, _ = judged(
        "Twelve people were killed when the ferry capsized off Lembar.",
        "Five children were killed when the ferry capsized off Lembar.",
    )
    assert verdict != "conflict"


def test_a_score_told_from_the_losers_side_agrees() -> None:
    verdict, _ = judged(
        "The Falcons beat the Rams 27-20 in Atlanta.",
        "The Rams lost 27-20 to the Falcons in Atlanta.",
    )
    assert verdict == "agree"


def test_a_head_and_a_director_of_one_body_are_one_title() -> None:
    _, group = judged(
        "Ona Berg, head of the port authority, said the cranes were undamaged.",
        "Ona Berg, director of the port authority, said the cranes were undamaged.",
    )
    assert group.status != "conflict"


def test_one_event_scheduled_in_other_words_on_two_days_is_a_date_conflict() -> None:
    verdict, group = judged(
        "The party congress will be held on October 3.",
        "The party congress is scheduled for October 10.",
    )
    assert verdict == "conflict" and group.basis == "date"


def test_an_announcement_and_a_launch_on_two_days_are_two_events() -> None:
    verdict, _ = judged(
        "The console was unveiled on June 4.",
        "The console goes on sale on June 18.",
    )
    assert verdict == "separate"


def test_one_common_word_in_other_words_is_no_detail_conflict() -> None:
    verdict, _ = judged(
        "Protesters gathered outside the parliament building in the capital on Saturday.",
        "Protesters gathered outside the parliament building in the city on Saturday.",
    )
    assert verdict != "conflict"
