"""Locating quotes in their source: exact, normalised and fuzzy, always with true offsets."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from summarizer.aligner import align, normalize
from summarizer.models import Span

SOURCE = "The bridge “will reopen” on Monday — officials said.\nAbout 2,400 homes (roughly) lost power?"

words = st.text(alphabet="abcdefghij ,.'-", min_size=1, max_size=12)


@settings(max_examples=200, deadline=None)
@given(st.lists(words, min_size=1, max_size=30), st.data())
def test_any_substring_is_found_exactly_at_its_offsets(parts: list[str], data: st.DataObject) -> None:
    text = " ".join(parts)
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    quote = text[start:end]
    assume(quote.strip() == quote and quote)
    found = align(quote, text)
    assert found is not None and found.match == "exact"
    assert text[found.start : found.end] == quote
    own = align(quote, text, within=Span(start=start, end=end))
    assert own is not None and (own.start, own.end) == (start, end)


def test_quote_with_straight_quotes_and_hyphen_is_found_normalized() -> None:
    found = align('bridge "will reopen" on Monday - officials', SOURCE)
    assert found is not None and found.match == "normalized"
    assert SOURCE[found.start : found.end] == "bridge “will reopen” on Monday — officials"


def test_whitespace_and_case_differences_are_normalized() -> None:
    found = align("ABOUT 2,400   homes", SOURCE)
    assert found is not None and found.match == "normalized"
    assert SOURCE[found.start : found.end] == "About 2,400 homes"


def test_quote_across_a_line_break_is_found() -> None:
    found = align("officials said. About 2,400", SOURCE)
    assert found is not None and SOURCE[found.start : found.end] == "officials said.\nAbout 2,400"


def test_one_misspelt_word_is_a_fuzzy_match() -> None:
    found = align("About 2,400 homse (roughly) lost power", SOURCE)
    assert found is not None and found.match == "fuzzy" and found.score < 1
    assert SOURCE[found.start : found.end].startswith("About 2,400")


def test_fabricated_quote_is_not_found() -> None:
    assert align("The mayor resigned after the vote", SOURCE) is None


def test_regex_metacharacters_in_a_quote_are_literal() -> None:
    found = align("homes (roughly) lost power?", SOURCE)
    assert found is not None and found.match == "exact"


def test_empty_quote_is_not_found() -> None:
    assert align("   ", SOURCE) is None


def test_normalize_folds_quotes_dashes_and_ellipsis() -> None:
    assert normalize("“Wait…” — she  said") == '"wait..." - she said'
