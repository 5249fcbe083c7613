"""Credits and hedges read from a quote by rule: a credit is a speaker or a source, a hedge hedges."""

from __future__ import annotations

import pytest

from summarizer.credits import checked_credit, checked_hedge, rule_credit, rule_hedge
from summarizer.validator import HEDGES
from summarizer.validator import rule_credit as validator_rule_credit


@pytest.mark.parametrize(
    ("quote", "credit"),
    [
        ("Health Minister Lestari Wibowo said 12 clinics were damaged.", "Health Minister Lestari Wibowo"),
        ("Police spokeswoman Jane Roe said the driver was detained.", "Police spokeswoman Jane Roe"),
        ("The ferry sank in 40 metres of water, the U.S. Coast Guard said.", "the U.S. Coast Guard"),
        ("Officials said the bridge would reopen on Friday.", "Officials"),
        ("A statement said 40 workers would lose their jobs.", "A statement"),
        ("The company said revenue fell 5% in the quarter.", "The company"),
        ("The tanker ran aground at dawn, according to a police report.", "a police report"),
        ("Damages reached $3 million, according to the filing.", "the filing"),
        ("An adviser to the president said the talks would resume.", "An adviser to the president"),
        ("Officials involved in the talks said a deal was close.", "Officials involved in the talks"),
        ("Local media reported that 20 people were missing.", "Local media"),
    ],
)
def test_a_speaker_or_a_source_is_credited(quote: str, credit: str) -> None:
    assert rule_credit(quote) == credit


def test_a_clause_before_said_credits_the_speaker_not_the_clause() -> None:
    assert rule_credit("Four hamlets had been badly flooded, the official said.") == "the official"


@pytest.mark.parametrize(
    "quote",
    [
        "But outrage grew after the minister said the camp would close.",
        "No matter how many times the council said it would act, the road stayed shut.",
        "When the levee broke the mayor said nothing at all.",
        "If the river rises, as engineers have said it will, the town floods.",
    ],
)
def test_a_clause_opening_with_a_conjunction_is_never_a_credit(quote: str) -> None:
    credit = rule_credit(quote)
    assert credit is None or credit.split()[0].lower() not in {"but", "no", "when", "if", "after"}


def test_a_phrase_with_a_finite_verb_is_never_a_credit() -> None:
    assert rule_credit("Prices had been climbing for weeks as traders said supply was short.") != (
        "Prices had been climbing for weeks as traders"
    )
    assert rule_credit("Anger mounted after the mayor said nothing.") is None


def test_a_reported_clause_after_said_is_not_the_speaker() -> None:
    quote = "Dana Kerr, who runs the shelter, said the county had more than 80 people waiting."
    assert rule_credit(quote) == "Dana Kerr"


def test_a_pronoun_is_no_credit_even_after_a_conjunction() -> None:
    assert rule_credit("And he said the pumps had failed twice.") is None
    assert rule_credit("But she told reporters the pier was safe.") is None


def test_a_leading_conjunction_is_dropped_from_a_credit() -> None:
    assert rule_credit("The lines were busy, and a recording said the office was closed.") == "a recording"


def test_a_name_with_a_title_or_an_initial_is_credited_whole() -> None:
    assert rule_credit("Two men were held, said Det. Sgt. Omar Haddad.") == "Det. Sgt. Omar Haddad"
    assert rule_credit('"We are searching every house," said Rita J. Moreno.') == "Rita J. Moreno"


def test_the_name_before_an_appositive_is_the_speaker() -> None:
    quote = "Fourteen patients were treated, Ana Ortiz, a nurse at the county hospital, said."
    assert rule_credit(quote) == "Ana Ortiz"


def test_an_age_or_a_degree_after_a_name_does_not_hide_the_name() -> None:
    assert rule_credit("Leo Brandt, 52, said the shop had flooded twice.") == "Leo Brandt"
    assert rule_credit("Mira Osei, MD, said the clinic would stay open.") == "Mira Osei"


def test_a_name_set_off_by_commas_after_a_title_is_the_speaker() -> None:
    assert rule_credit("The ministry's spokesman, Li Wei, said 40 died.") == "Li Wei"


def test_a_noun_phrase_before_a_relative_clause_is_the_speaker() -> None:
    assert rule_credit("The governor, who toured the coast on Sunday, said 200 homes were damaged.") == "The governor"


def test_a_speaker_after_an_inverted_verb_is_credited() -> None:
    assert rule_credit("The storm, which had built for days, said forecasters, was the worst since 1998.") == (
        "forecasters"
    )
    assert rule_credit("Two men were held, said the officer who made the arrest.") == "the officer"


def test_whom_a_speaker_told_is_not_the_speaker() -> None:
    quote = "Six homes were lost, Mark Lund, a spokesman for the port authority, told Reuters on Monday."
    assert rule_credit(quote) == "Mark Lund"


def test_all_told_is_no_speech() -> None:
    assert rule_credit("All told, the storm destroyed 90 homes.") is None


def test_a_verb_with_a_plain_object_reports_an_act_not_a_statement() -> None:
    assert rule_credit("The firm has added 300 jobs this year.") is None
    assert rule_credit("The council announced a budget of $4 million.") is None


def test_an_opening_phrase_of_time_is_not_part_of_the_credit() -> None:
    assert rule_credit("In a Tuesday statement the Interior Ministry said 300 homes were lost.") == (
        "the Interior Ministry"
    )
    assert rule_credit("Police at first told staff to stay inside.") == "Police"


def test_a_relative_clause_is_cut_from_the_credit() -> None:
    assert rule_credit("The doctor who treated the victims said most would recover.") == "The doctor"


def test_the_attribution_that_closes_a_sentence_wins_over_one_inside_it() -> None:
    quote = "Witnesses said the gunman fled on foot, county Sheriff Ada Lowe said."
    assert rule_credit(quote) == "county Sheriff Ada Lowe"


def test_speech_inside_a_quotation_is_not_the_sentence_credit() -> None:
    assert rule_credit('"The mayor said no," Ines Farrow said.') == "Ines Farrow"


@pytest.mark.parametrize(
    "proposed",
    [
        "four hamlets had been badly flooded",
        "But outrage grew after the vote",
        "No matter how often the central bank",
        "he",
        "Steinberg's office and",
    ],
)
def test_a_proposed_credit_that_is_a_clause_or_a_pronoun_is_refused(proposed: str) -> None:
    assert checked_credit(proposed) is None


@pytest.mark.parametrize(
    ("proposed", "credit"),
    [
        ("Health Minister Lestari Wibowo", "Health Minister Lestari Wibowo"),
        ("officials", "officials"),
        ("a police report", "a police report"),
        ("according to the filing", "the filing"),
        ("Police at first", "Police"),
    ],
)
def test_a_proposed_credit_is_kept_as_its_noun_phrase(proposed: str, credit: str) -> None:
    assert checked_credit(proposed) == credit


def test_a_credit_is_always_text_of_its_quote() -> None:
    quotes = [
        "Four hamlets had been badly flooded, the official said.",
        "In a Tuesday statement the Interior Ministry said 300 homes were lost.",
        "Two men were held, said Det. Sgt. Omar Haddad.",
    ]
    for quote in quotes:
        credit = rule_credit(quote)
        assert credit is not None and credit in quote


def test_credit_rules_stay_importable_from_the_validator() -> None:
    assert validator_rule_credit is rule_credit
    assert "reportedly" in HEDGES


@pytest.mark.parametrize(
    "quote",
    [
        "Payment fell due on a May 19 deadline.",
        "The plant closed in May 2012.",
        "The talks began in May and ended in June.",
        "May was the wettest month on record.",
        "Former minister Theresa Vale-May said the vote was close.",
    ],
)
def test_the_month_may_is_never_a_hedge(quote: str) -> None:
    assert rule_hedge(quote) is None


def test_the_verb_may_is_a_hedge() -> None:
    assert rule_hedge("Officials said the toll may rise.") == "may"


def test_a_hedge_in_a_quote_with_a_month_is_still_found() -> None:
    assert rule_hedge("In May, the storm may have cost $2 million.") == "may"


@pytest.mark.parametrize(
    ("quote", "hedge"),
    [
        ("About 300 people fled the valley.", "About"),
        ("Up to 40 homes burned.", "Up to"),
        ("At least two people died.", "At least"),
        ("More than 3,000 people were evacuated.", "More than"),
        ("About a third of homes lost power.", "About"),
        ("Nearly half the town was evacuated.", "Nearly"),
        ("The crossing takes around an hour.", "around"),
    ],
)
def test_a_quantity_hedge_hedges_a_quantity(quote: str, hedge: str) -> None:
    assert rule_hedge(quote) == hedge


@pytest.mark.parametrize(
    "quote",
    [
        "Officials spoke about the plan on Monday.",
        "The decision is up to the council.",
        "At least for now, the road is shut.",
        "He scored 13 more than his nearest rival.",
        "Fans gathered around the stadium.",
    ],
)
def test_a_preposition_that_hedges_no_quantity_is_no_hedge(quote: str) -> None:
    assert rule_hedge(quote) is None


def test_could_not_reports_a_fact_and_hedges_nothing() -> None:
    assert rule_hedge("Officers could not say how many people were inside.") is None
    assert rule_hedge("The dam could fail within days.") == "could"


def test_a_models_hedge_that_is_a_month_gives_way_to_the_rule() -> None:
    assert checked_hedge("May", "A May 19 deadline was set for about 40 firms.") == "about"


def test_a_models_hedge_that_hedges_in_the_quote_is_kept() -> None:
    assert checked_hedge("reportedly", "The ship reportedly sank near the cape.") == "reportedly"
