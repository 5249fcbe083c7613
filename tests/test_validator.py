"""Validation of model answers: schema, grounding, numbers, credits and hedges."""

from __future__ import annotations

import pytest

from summarizer.errors import ModelOutputError
from summarizer.models import Article, RawClaim, Span
from summarizer.sentences import split_sentences
from summarizer.validator import REPAIRED, parse_answer, rule_credit, verify_claims

TEXT = (
    "Title: Test\n\n"
    "About 600 residents were told to leave, the sheriff's office said.\n"
    "The bridge will reopen on Friday.\n"
)
ARTICLE = Article(id="a", text=TEXT)
SENTENCES = [s for s in split_sentences(TEXT) if not TEXT[s.start : s.end].startswith("Title:")]


def test_answer_that_is_not_json_is_an_output_error() -> None:
    with pytest.raises(ModelOutputError, match="not valid JSON"):
        parse_answer('{"facts": [')


def test_truncated_answer_is_an_output_error() -> None:
    with pytest.raises(ModelOutputError, match="not valid JSON"):
        parse_answer('{"facts": [1, 2, 3')


def test_answer_of_the_wrong_shape_names_the_field() -> None:
    with pytest.raises(ModelOutputError, match="claims.0.s"):
        parse_answer('{"claims": [{"s": "first"}]}', "claims")


def test_answer_with_unknown_fields_is_rejected() -> None:
    with pytest.raises(ModelOutputError, match="schema"):
        parse_answer('{"facts": [1], "verdict": "all sources agree"}')


def test_answer_in_a_code_fence_is_accepted() -> None:
    assert parse_answer('```json\n{"claims": [{"s": 1, "by": "", "hedge": ""}]}\n```', "claims")[0].sentence == 1


def test_compact_answer_joins_credits_to_their_fact_sentences() -> None:
    raw = parse_answer('{"facts": [1, 2], "credits": [{"s": 1, "by": "the sheriff\'s office"}]}', "facts")
    assert [(r.sentence, r.attributed_to) for r in raw] == [(1, "the sheriff's office"), (2, None)]


def test_empty_claim_list_is_valid_and_empty() -> None:
    assert parse_answer('{"facts": []}') == []


def test_sentence_numbers_only_answer_gives_one_raw_claim_per_number() -> None:
    assert [r.sentence for r in parse_answer('{"facts": [3, 1]}')] == [3, 1]


@pytest.mark.parametrize(
    ("quote", "credit"),
    [
        ("The utility said 2,400 homes were without power.", "The utility"),
        ('"We were lucky," fire chief Rosa Imbert said.', "fire chief Rosa Imbert"),
        ('"It came fast," said baker Tomas Ferrante, whose shop is near.', "baker Tomas Ferrante"),
        ("The bridge will reopen on Friday, according to a notice from the council.", "a notice from the council"),
        ('"We were lucky," she said.', None),
        ("Seventeen people were rescued.", None),
        ("Of those, 600 are confirmed dead, officials in the port said.", "officials in the port"),
        ("Of those, 600 are confirmed dead.", None),
        ("One rescued sailor reportedly told the coastguard that the engine failed.", "One rescued sailor"),
    ],
)
def test_credit_is_read_from_the_quote_by_rule(quote: str, credit: str | None) -> None:
    assert rule_credit(quote) == credit


def test_sentence_claim_quotes_the_source_at_its_offsets() -> None:
    result = verify_claims([RawClaim(sentence=2)], ARTICLE, SENTENCES)
    claim = result.claims[0]
    assert claim.quote == "The bridge will reopen on Friday." == TEXT[claim.start : claim.end]
    assert claim.match == "exact"


def test_sentence_number_out_of_range_is_dropped_and_fixable() -> None:
    result = verify_claims([RawClaim(sentence=9)], ARTICLE, SENTENCES)
    assert not result.claims and result.fixable
    assert "does not exist" in result.dropped[0].reason


def test_same_sentence_twice_is_one_claim() -> None:
    result = verify_claims([RawClaim(sentence=1)] * 10, ARTICLE, SENTENCES)
    assert len(result.claims) == 1
    assert len(result.dropped) == 9 and all("duplicate" in d.reason for d in result.dropped)


def test_fabricated_quote_is_dropped() -> None:
    result = verify_claims([RawClaim(quote="The mayor resigned in disgrace.")], ARTICLE, SENTENCES)
    assert not result.claims and result.dropped[0].reason == "quote not found in the source"


def test_quote_with_curly_quotes_and_extra_spaces_is_found_normalized() -> None:
    result = verify_claims([RawClaim(quote="the  sheriff’s office said")], ARTICLE, SENTENCES)
    claim = result.claims[0]
    assert claim.match == "normalized" and TEXT[claim.start : claim.end] == "the sheriff's office said"


def test_claim_with_a_number_not_in_its_quote_is_dropped() -> None:
    raw = RawClaim(sentence=1, text="About 900 residents were told to leave.")
    result = verify_claims([raw], ARTICLE, SENTENCES)
    assert not result.claims and "900" in result.dropped[0].reason


def test_credit_not_in_the_sentence_is_replaced_and_reported() -> None:
    result = verify_claims([RawClaim(sentence=2, attributed_to="the sheriff's office")], ARTICLE, SENTENCES)
    assert result.claims[0].attributed_to is None  # and the rule finds no credit in that sentence
    assert result.dropped[0].reason.startswith(REPAIRED)


def test_credit_in_the_sentence_is_kept() -> None:
    result = verify_claims([RawClaim(sentence=1, attributed_to="the sheriff's office")], ARTICLE, SENTENCES)
    assert result.claims[0].attributed_to == "the sheriff's office"


def test_a_models_credit_that_is_a_clause_is_replaced_by_the_rules_and_reported() -> None:
    raw = RawClaim(sentence=1, attributed_to="About 600 residents were told to leave")
    result = verify_claims([raw], ARTICLE, SENTENCES)
    assert result.claims[0].attributed_to == "the sheriff's office"
    assert result.dropped[0].reason.startswith(REPAIRED) and "clause" in result.dropped[0].reason


def test_a_models_credit_is_cut_to_its_noun_phrase() -> None:
    text = "Forty homes were lost, according to the harbour board.\n"
    raw = RawClaim(sentence=1, attributed_to="according to the harbour board")
    result = verify_claims([raw], Article(id="b", text=text), split_sentences(text))
    assert result.claims[0].attributed_to == "the harbour board"


def test_hedge_that_is_not_a_hedge_is_replaced_by_the_rule() -> None:
    result = verify_claims([RawClaim(sentence=1, hedge="told")], ARTICLE, SENTENCES)
    assert result.claims[0].hedge == "About"


def test_firm_claim_has_no_hedge() -> None:
    assert verify_claims([RawClaim(sentence=2)], ARTICLE, SENTENCES).claims[0].hedge is None


def test_a_sentence_with_a_figure_the_model_left_out_is_added_and_reported() -> None:
    from summarizer.extractor import FIGURE_ADDED, add_left_out_figures
    from summarizer.models import Extraction

    text = "The ferry sank near the pier.\nNine people were rescued on Sunday.\nDivers searched all night.\n"
    article = Article(id="a", text=text)
    kept = verify_claims([RawClaim(sentence=1)], article, [Span(start=0, end=29)]).claims
    done = add_left_out_figures(Extraction(source_id="a", claims=kept, extracted=1), article)
    assert [c.quote for c in done.claims] == ["The ferry sank near the pier.", "Nine people were rescued on Sunday."]
    assert [d.reason for d in done.dropped] == [FIGURE_ADDED] and done.extracted == 2
