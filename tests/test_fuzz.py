"""Bounded, reproducible fuzzing of the parsers that take untrusted text: quotes, values, answers, files.

Every target runs a fixed number of examples (the constants below) with a derandomized seed, so a
run is repeatable and its cost is known. Each test states the contract it fuzzes: what may come
back, and the one typed error allowed instead.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from summarizer.aligner import FUZZY_THRESHOLD, align, normalize
from summarizer.articles import claim_sentences, load_articles
from summarizer.consensus.values import parse_values
from summarizer.errors import InputError, ModelOutputError
from summarizer.models import Span
from summarizer.validator import parse_answer

ALIGNER_EXAMPLES = 1000
VALUES_EXAMPLES = 1000
ANSWER_EXAMPLES = 600
ARTICLE_EXAMPLES = 600

# Characters the parsers treat specially: quotes, dashes, ellipsis, odd whitespace, currency, digits of
# other scripts, letters whose case folding differs (ß, İ, ı, ſ, the Kelvin sign), combining marks.
SPECIAL = "“”‘’\"'-–—−…  \t\n\r\u2028\u200b$€£%.,:;!?()[]ßİıſ\u212aﬁé\u0301٣४𝟗0123456789"
unicode_text = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(SPECIAL), max_size=200)
words = st.sampled_from(
    "about up to nearly some between from and to - – $ € £ US$ 2,400 1,000,000 4.5 0.5 07 15 2025 1999 "
    "million bn m k thousand % percent per cent a day per year homes people Friday March 4 July May may "
    "tomorrow last week Dana Whitlock de la İ ı ſ \u212a mıllıon fıve ſeptember auguſt FRİDAY US$3 ٣ ١٢ 𝟗".split()
)
soup = st.lists(words | unicode_text.map(lambda t: t[:8]), max_size=20).map(" ".join)


def _fuzz(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None, derandomize=True, database=None)


# -- (a) the quote aligner ---------------------------------------------------------------------------


@st.composite
def text_and_quote(draw: st.DrawFn) -> tuple[str, str]:
    """A text, and a quote that is either unrelated, a slice of it, or a slice with a few edits."""
    text = draw(unicode_text)
    kind = draw(st.sampled_from(["unrelated", "slice", "edited"]))
    if kind == "unrelated" or not text:
        return text, draw(unicode_text)
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    quote = text[start:end]
    if kind == "edited":
        chars = list(quote)
        for _ in range(draw(st.integers(1, 3))):
            i = draw(st.integers(0, len(chars)))
            chars.insert(i, draw(st.sampled_from(SPECIAL + "xyz ")))
        quote = "".join(chars)
    return text, quote


spans = st.none() | st.builds(Span, start=st.integers(-5, 250), end=st.integers(-5, 250))


@_fuzz(ALIGNER_EXAMPLES)
@given(text_and_quote(), spans)
@example(("Straße", "s"), None)
@example(("İstanbul", "i"), None)
def test_aligner_never_raises_and_every_span_keeps_its_contract(pair: tuple[str, str], within: Span | None) -> None:
    text, quote = pair
    found = align(quote, text, within=within)
    if found is None:
        return
    assert 0 <= found.start < found.end <= len(text)
    piece = text[found.start : found.end]
    if found.match == "exact":
        assert piece == quote
        return
    assert piece == piece.strip(), "a normalised or fuzzy span is trimmed of outer whitespace"
    if found.match == "normalized":
        assert normalize(quote) in normalize(piece)
    else:
        assert FUZZY_THRESHOLD <= found.score <= 1.0


# -- (b) the value parser -------------------------------------------------------------------------------


@_fuzz(VALUES_EXAMPLES)
@given(unicode_text | soup)
@example("fıve mıllıon homes on ſeptember 4, up to 3 FİVE MİLLİON")
@example("Uſ$4 bıllıon, at leaſt 3\u212a, 4 \u212aM, laſt week")
def test_value_parser_never_raises_and_offsets_hold(text: str) -> None:
    for value in parse_values(text):
        assert 0 <= value.start < value.end <= len(text)
        assert value.text == text[value.start : value.end]
        if value.low is not None and value.high is not None:
            assert value.low <= value.high


# -- (c) the validator's answer parser ------------------------------------------------------------------

# Strings may hold lone surrogates: json.dumps writes them as "\ud800" escapes, which json.loads accepts.
json_text = st.text(alphabet=st.characters(codec="utf-8") | st.characters(categories=["Cs"]), max_size=20)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | json_text,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5),
    max_leaves=20,
)
claim_objects = st.fixed_dictionaries(
    {"s": st.integers(-3, 30) | json_values},
    optional={"by": json_values | json_text, "hedge": json_values | json_text, "x": json_values},
)
shaped = st.one_of(
    st.builds(lambda v: {"facts": v}, st.lists(st.integers(-3, 30) | json_values, max_size=8)),
    st.builds(lambda v, c: {"facts": v, "credits": c}, st.lists(st.integers(-3, 30)), st.lists(claim_objects)),
    st.builds(lambda v: {"claims": v}, st.lists(claim_objects, max_size=6)),
    st.lists(claim_objects, max_size=4),
)


@st.composite
def answers(draw: st.DrawFn) -> str:
    """What a model might send back: any text, any JSON, JSON near the expected shapes (whole or cut
    off), or what a looping model emits: brackets nested thousands deep, a number thousands of digits long."""
    kind = draw(st.sampled_from(["text", "json", "shaped", "truncated", "looping"]))
    if kind == "text":
        return draw(st.text(max_size=200))
    if kind == "looping":
        n = draw(st.integers(1, 20_000))
        return draw(st.sampled_from(['{"facts": [@]}', '{"facts": @', "@"])).replace(
            "@", draw(st.sampled_from(["[" * n + "]" * n, "[" * n, "7" * n, '{"a":' * n]))
        )
    value = draw(json_values if kind == "json" else shaped)
    encoded = json.dumps(value, ensure_ascii=draw(st.booleans()))
    if kind == "truncated":
        encoded = encoded[: draw(st.integers(0, len(encoded)))]
    return draw(st.sampled_from(["@", "```json\n@\n```", "  @\n"])).replace("@", encoded)


@_fuzz(ANSWER_EXAMPLES)
@given(answers(), st.sampled_from(["ids", "facts", "claims"]))
@example("[" * 100_000, "ids")
@example('{"facts": [' + "1" * 5000 + "]}", "ids")
@example('{"claims": [{"s": 1, "by": "\\ud800", "hedge": ""}]}', "claims")
@example('{"facts": [1], "credits": [{"s": 1, "by": "\\udfff"}]}', "facts")
def test_answer_parser_returns_claims_or_raises_model_output_error(answer: str, fmt: str) -> None:
    try:
        claims = parse_answer(answer, fmt)
    except ModelOutputError:
        return
    for claim in claims:
        assert isinstance(claim.sentence, int)
        claim.model_dump_json()  # what validation does next: every string must be valid text


# -- (d) loading an article file ------------------------------------------------------------------------

# Pieces of real and broken articles: headers, a BOM, NUL, invalid and cut-off UTF-8, HTML, line ends.
PIECES = [b"Title: x\n", b"Outlet: \n", b"\xef\xbb\xbf", b"\x00", b"\xff\xfe", b"<html>", b"\r\n", b"\n\n"]
PIECES += [b"# Heading\n", b"Share this article\n", b"The mayor said 14 buses burned.", b"\xe2\x80", b" "]
article_bytes = st.one_of(
    st.binary(max_size=600),
    unicode_text.map(lambda t: t.encode("utf-8")),
    st.lists(
        st.sampled_from(PIECES) | st.binary(max_size=20),
        max_size=12,
    ).map(b"".join),
)


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


@_fuzz(ARTICLE_EXAMPLES)
@given(raw=article_bytes)
def test_loading_any_bytes_gives_an_article_or_an_input_error(raw: bytes, scratch: Path) -> None:
    path = scratch / "article.txt"
    path.write_bytes(raw)
    try:
        [article] = load_articles([str(path)])
    except InputError:
        return
    assert article.text == raw.decode("utf-8-sig")
    for span in claim_sentences(article):
        assert 0 <= span.start < span.end <= len(article.text)
