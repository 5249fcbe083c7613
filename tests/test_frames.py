"""Frames: a figure is compared only with figures that count the same thing, of the same owner and time."""

from __future__ import annotations

from datetime import date

from summarizer.consensus import group_claims
from summarizer.consensus.frames import assign_frames, frames_match
from summarizer.consensus.values import parse_values
from summarizer.models import Claim, Frame, Group

PUBLISHED = date(2024, 5, 14)


def frames(text: str) -> list[Frame | None]:
    return [v.frame for v in assign_frames(text, parse_values(text), PUBLISHED) if v.kind == "number"]


def claim(source: str, quote: str, n: int = 1) -> Claim:
    return Claim(id=f"{source}:c{n}", source_id=source, text=quote, quote=quote, start=0, end=len(quote), match="exact")


FILLER = [
    claim("x", "Ferry crews spent the afternoon clearing driftwood from the slipway.", 7),
    claim("y", "The weather service expects lighter winds for the rest of the week.", 8),
    claim("z", "Teachers at the primary school organised hot meals for families.", 9),
]


def groups_with(groups: list[Group], claim_id: str) -> list[Group]:
    return [g for g in groups if claim_id in g.claim_ids]


def brief(*claims: Claim) -> list[Group]:
    return group_claims([*claims, *FILLER], {c.source_id: PUBLISHED for c in claims})


def test_the_dead_and_the_injured_in_one_sentence_get_different_measures() -> None:
    dead, hurt = frames("The landslide buried a hamlet on Monday, killing at least four people and injuring dozens.")
    assert dead is not None and hurt is not None
    assert (dead.measure, hurt.measure) == ("people killed", "people injured")


def test_a_count_after_its_event_word_takes_that_event() -> None:
    (f,) = frames("Officials said 31 people were injured in the blast.")
    assert f is not None and f.event == "injured"


def test_a_figure_of_an_earlier_year_belongs_to_that_year() -> None:
    (f,) = frames("In 2009 a stronger quake killed 1,100 people in the same province.")
    assert f is not None and f.when == "2009"


def test_last_year_is_resolved_against_the_publication_date() -> None:
    (f,) = frames("In March last year a 7.0-magnitude quake struck off the coast.")
    assert f is not None and (f.measure, f.when) == ("magnitude", "2023")


def test_a_date_of_another_verb_does_not_date_the_figure() -> None:
    (f,) = frames("The firm was set up in 2015 and has raised $12 million from investors.")
    assert f is not None and f.when is None and f.event == "funding"


def test_a_district_count_belongs_to_its_district() -> None:
    (f,) = frames("In the neighbouring Rowan district, nine people were killed.")
    assert f is not None and f.owner == "rowan"


def test_a_speaker_is_not_the_owner_of_a_figure() -> None:
    (f,) = frames("Mayor Lina Ortz said 2,400 homes were without power.")
    assert f is not None and f.owner is None


def test_the_scorer_owns_the_points() -> None:
    (f,) = frames("Tomas Brandt scored 19 points off the bench.")
    assert f is not None and (f.noun, f.owner) == ("point", "brandt")


def test_a_distance_with_a_direction_is_a_distance_from_that_place() -> None:
    f, converted = frames("The epicentre was 40 kilometres (25 miles) north of Marsden.")
    assert f is not None and (f.measure, f.bearing) == ("distance from Marsden", "north")
    assert converted == f


def test_a_time_reference_is_not_a_duration() -> None:
    assert frames("The line reopened two years after the flood.") == [None]


def test_an_age_after_a_name_is_that_persons_age() -> None:
    (f,) = frames("The nominee, Clara Voss, 47, is a paediatrician.")
    assert f is not None and (f.measure, f.owner) == ("age", "voss")


def test_a_bare_count_of_things_matches_any_event_of_those_things() -> None:
    damaged = Frame(measure="home damaged", noun="home", event="damaged")
    bare = Frame(measure="home", noun="home", strong=False)
    destroyed = Frame(measure="home destroyed", noun="home", event="destroyed")
    assert frames_match(damaged, bare) and not frames_match(damaged, destroyed)


def test_a_bare_count_of_people_is_no_toll() -> None:
    killed = Frame(measure="people killed", noun="person", event="killed")
    bare = Frame(measure="person", noun="person", strong=False)
    assert not frames_match(killed, bare)


def test_tolls_of_one_event_from_two_sources_conflict() -> None:
    a = claim("a", "The ferry capsized near the harbour mouth, killing at least three people.")
    b = claim("b", "Rescuers said 17 people were killed when the ferry capsized.")
    (g,) = groups_with(brief(a, b), a.id)
    assert g.status == "conflict" and b.id in g.claim_ids and g.frame and g.frame.measure == "people killed"


def test_one_sentence_can_sit_in_the_dead_and_in_the_injured_groups() -> None:
    a = claim("a", "The ferry capsized near the harbour mouth, killing at least three people and injuring dozens.")
    b = claim("b", "Rescuers said 17 people were killed when the ferry capsized.")
    c = claim("c", "Hospital staff said 212 people were injured when the ferry capsized.")
    measures = {g.frame.measure for g in groups_with(brief(a, b, c), a.id) if g.frame and g.status == "conflict"}
    assert measures == {"people killed", "people injured"}


def test_an_explicit_none_conflicts_with_a_positive_count() -> None:
    a = claim("a", "The tremor caused no casualties, the disaster agency said.")
    b = claim("b", "Two people were killed when the tremor brought down a wall, the disaster agency said.")
    (g,) = groups_with(brief(a, b), a.id)
    assert g.status == "conflict" and b.id in g.claim_ids


def test_an_earlier_events_toll_is_not_set_against_this_events() -> None:
    a = claim("a", "In 2009 a larger quake killed 1,100 people in the province.")
    b = claim("b", "Officials said 12 people were killed in the quake on Monday.")
    assert not any(a.id in g.claim_ids and b.id in g.claim_ids for g in brief(a, b))


def test_a_district_toll_is_not_set_against_the_total() -> None:
    a = claim("a", "Nine people were killed by the landslide in Rowan district.")
    b = claim("b", "Officials said 23 people were killed by the landslides.")
    groups = brief(a, b)
    assert not any(a.id in g.claim_ids and b.id in g.claim_ids and g.status == "conflict" for g in groups)


def test_the_same_distance_in_miles_and_kilometres_agrees() -> None:
    a = claim("a", "The quake struck at a depth of 10 kilometres beneath the valley.")
    b = claim("b", "The quake struck at a depth of six miles beneath the valley.")
    (g,) = groups_with(brief(a, b), a.id)
    assert g.status == "agree" and b.id in g.claim_ids


def test_amounts_in_different_currencies_are_never_compared() -> None:
    a = claim("a", "The city will pay €40 million for the stadium.")
    b = claim("b", "The city will pay $44 million for the stadium.")
    groups = brief(a, b)
    assert not any(g.status == "conflict" and a.id in g.claim_ids and b.id in g.claim_ids for g in groups)


def test_at_least_a_few_against_many_times_more_is_a_conflict() -> None:
    a = claim("a", "The blast killed at least two people, police said.")
    b = claim("b", "Police said 19 people were killed by the blast.")
    (g,) = groups_with(brief(a, b), a.id)
    assert g.status == "conflict"


def test_more_than_a_figure_fits_a_figure_a_little_above_it() -> None:
    a = claim("a", "More than 6,000 fans filled the arena for the final.")
    b = claim("b", "About 6,800 fans filled the arena for the final.")
    (g,) = groups_with(brief(a, b), a.id)
    assert g.status == "agree" and b.id in g.claim_ids


def test_one_distance_in_two_directions_is_a_conflict() -> None:
    a = claim("a", "The epicentre was 40 kilometres north of Marsden, the survey said.")
    b = claim("b", "The epicentre was 40 kilometres west of Marsden, according to the survey.")
    (g,) = groups_with(brief(a, b), a.id)
    assert g.status == "conflict" and (g.basis or "").startswith("direction:")


def test_a_surname_spelled_two_ways_is_a_conflict() -> None:
    a = claim("a", "Hospital spokeswoman Marta Kell said two patients were in surgery.")
    b = claim("b", "Marta Kells, a spokeswoman for the hospital, said the families had been told.")
    (g,) = groups_with(brief(a, b), a.id)
    assert g.status == "conflict" and g.basis == "spelling"


def test_a_spelling_variant_of_one_word_is_no_conflict() -> None:
    a = claim("a", "He had worked at Harlow Advisers for six years.")
    b = claim("b", "He had worked at Harlow Advisors until last week.")
    assert all(g.status != "conflict" for g in brief(a, b))


def test_one_person_with_titles_of_different_units_is_a_title_conflict() -> None:
    a = claim("a", "“It fits our plans,” said Nadia Rhee, vice president and general manager of the storage division.")
    b = claim("b", "Nadia Rhee, vice president and general manager for cloud services, approved the deal.")
    (g,) = groups_with(brief(a, b), a.id)
    assert g.status == "conflict" and g.basis == "title"


def test_an_act_denied_by_one_source_and_reported_by_another_is_a_conflict() -> None:
    a = claim("a", "Police would not name the man who died in the crash on the coast road.")
    b = claim("b", "Police named the man who died in the crash on the coast road as Arlo Grint.")
    (g,) = groups_with(brief(a, b), a.id)
    assert g.status == "conflict" and g.basis == "negation"


def test_two_sources_that_both_deny_an_act_agree() -> None:
    a = claim("a", "Police would not name the man who died in the crash on the coast road.")
    b = claim("b", "Police did not name the man who died in the crash on the coast road.")
    (g,) = groups_with(brief(a, b), a.id)
    assert g.status == "agree" and b.id in g.claim_ids


def test_a_leading_date_dates_every_figure_of_the_sentence() -> None:
    quake, none = frames("On March 2, a 5.2-magnitude quake shook the islands, but caused no casualties.")
    assert quake is not None and none is not None and quake.when == none.when == "2024-03-02"


def test_two_scores_of_one_moment_of_a_game_conflict() -> None:
    a = claim("a", "Two free throws by Ortega gave the Hawks a 51-40 lead with 9:12 to play.")
    b = claim("b", "Ortega's free throws made it a 51-41 Hawks lead with 9:12 to play.")
    (g,) = groups_with(brief(a, b), a.id)
    assert g.status == "conflict" and g.frame and g.frame.measure == "score lead"


def test_a_game_clock_later_in_the_sentence_dates_the_score() -> None:
    (f,) = frames("A pair of Ortega free throws pushed the Hawks' lead to 45-35 with 13:41 to go.")
    assert f is not None and f.clock == "13:41"


def test_a_game_clock_does_not_carry_a_later_stretch_to_other_figures() -> None:
    (record,) = frames(
        "Ortega passed the school mark of 2,116 career points on a layup with 4:43 left in the first half."
    )
    assert record is not None and record.part is None and record.clock is None


def test_two_leads_with_no_moment_said_do_not_conflict() -> None:
    a = claim("a", "The Hawks pushed their lead to 62-46 before the Owls answered.")
    b = claim("b", "Soon afterwards the Hawks were back in front, leading 54-46.")
    assert all(g.status != "conflict" for g in brief(a, b))


def test_a_win_loss_record_is_not_a_game_score() -> None:
    (f,) = frames("The Hawks improved to 22-9 on the season.")
    assert f is not None and f.event == "record"


def test_the_same_final_score_in_two_sources_agrees() -> None:
    a = claim("a", "The Hawks beat the Owls 71-64 in the semifinal.")
    b = claim("b", "A 71-64 victory sent the Hawks to the final.")
    (g,) = groups_with(brief(a, b), a.id)
    assert g.status == "agree" and b.id in g.claim_ids


def test_two_start_dates_of_one_named_place_conflict() -> None:
    a = claim("a", "In 2003 she founded the Marsh Creek Family Clinic in the valley.")
    b = claim("b", "The Marsh Creek Family Clinic has served the valley since 1999.")
    (g,) = groups_with(brief(a, b), a.id)
    assert g.status == "conflict" and g.basis == "date"


def test_one_storm_named_two_ways_is_a_spelling_conflict_showing_both_names() -> None:
    a = claim("a", "The clinic was hit by both Hurricanes Ivan and Denis, the county said.")
    b = claim("b", "The clinic was battered by Hurricane Dennis in 2005, the county said.")
    (g,) = groups_with(brief(a, b), a.id)
    assert g.status == "conflict" and g.basis == "spelling"
    assert (g.stances[a.id].says, g.stances[b.id].says) == ("Denis", "Dennis")


def test_a_duration_belongs_to_what_lasted() -> None:
    (f,) = frames("People ran into the street as the tremor shook houses for about 40 seconds.")
    assert f is not None and (f.noun, f.owner) == ("duration", "tremor")


def test_a_named_subject_owns_a_figure_only_when_it_holds_it() -> None:
    (held,) = frames("Ines Marlow scored 19 points for the visitors.")
    (other,) = frames("Storms over Kerrin Bay damaged roads in 12 towns.")
    assert held is not None and held.owner == "marlow"
    assert other is not None and other.owner is None


def test_one_moment_of_a_game_ties_two_differently_worded_reports() -> None:
    a = claim("a", "Nadir broke the club record with a penalty with 12:05 left in the second half.")
    b = claim("b", "The record fell when Nadir converted from the spot with 12:05 to play in the second half.")
    (g,) = groups_with(brief(a, b), a.id)
    assert g.status == "agree" and b.id in g.claim_ids


def test_a_long_name_few_claims_use_ties_them_together() -> None:
    a = claim("a", "Hollis will run the new Coastal Freight Logistics Services unit from March.")
    b = claim("b", "From March, the group's coastal-freight logistics services arm will report to Hollis.")
    (g,) = groups_with(brief(a, b), a.id)
    assert g.status == "agree" and b.id in g.claim_ids


def test_two_forms_of_one_word_that_one_source_uses_are_no_spelling_conflict() -> None:
    a = claim("a", "Officials in South Koria said the talks would resume, and South Korian envoys agreed.", 1)
    b = claim("b", "Envoys from South Korian ports said the talks would resume next week.", 1)
    assert all(g.status != "conflict" for g in brief(a, b))


def test_a_supplied_vague_amount_agrees_with_a_close_one() -> None:
    a = claim("a", "The factory supplied millions of sandbags to the river towns.")
    b = claim("b", "The factory reportedly provided several million sandbags to the river towns.")
    (g,) = groups_with(brief(a, b), a.id)
    assert g.status == "agree" and b.id in g.claim_ids


def test_a_rare_phrase_in_two_partly_alike_sentences_ties_them() -> None:
    a = claim("a", "During a visit to the capital last month, ministers signed a mutual aid pact covering the ports.")
    b = claim("b", "After ministers signed a cooperation deal with a mutual aid clause, joint patrols of ports began.")
    (g,) = groups_with(brief(a, b), a.id)
    assert g.status == "agree" and b.id in g.claim_ids


def test_a_groups_topic_spells_its_owner_as_the_sources_do() -> None:
    a = claim("a", "Tomas McBride now owns 2,129 career points going into the semifinal.")
    b = claim("b", "Tomas McBride now owns 2,029 career points over 106 games for the Otters.")
    (g,) = groups_with(brief(a, b), a.id)
    assert g.topic == "points (McBride, now)"


def test_a_side_whose_figure_fits_the_groups_frame_says_that_figure() -> None:
    a = claim("a", "Tomas McBride now owns 2,129 career points going into the semifinal.")
    b = claim("b", "Tomas McBride now owns 2,029 career points over 106 games for the Otters.")
    c = claim("c", "McBride, a senior guard, now owns 2,129 career points, nine more than the previous mark.")
    (g,) = groups_with(brief(a, b, c), c.id)
    assert g.stances[c.id].says == "2,129" and g.stances[c.id].side == g.stances[a.id].side


def test_money_is_what_it_is_in_right_after_it() -> None:
    (f,) = frames("The court ordered the insurer to pay $4.5 million in damages.")
    assert f is not None and f.event == "damage"


def test_the_n_worst_hit_places_are_a_part() -> None:
    (f,) = frames("Aid will go first to the 12 worst-hit villages.")
    assert f is not None and f.portion == "part"


def test_an_event_after_a_count_is_no_place() -> None:
    (f,) = frames("Three people were wounded in the shooting outside the station.")
    assert f is not None and f.owner is None


def test_a_loss_dates_the_final_score() -> None:
    (f,) = frames("The Rams lost 27-20 to the Falcons.")
    assert f is not None and f.event == "final"
