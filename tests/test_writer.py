"""The summary checks and the Markdown writer, on a hand-built brief (no model)."""

from __future__ import annotations

from summarizer.consensus import group_claims
from summarizer.models import Brief, Claim, Method, Source, Stats, SummarySentence
from summarizer.summary import check_sentence, rule_summary

A = Claim(
    id="a:c1",
    source_id="a",
    text="",
    quote="The utility said 2,400 homes were without power.",
    start=0,
    end=48,
    match="exact",
)
B = Claim(
    id="b:c1",
    source_id="b",
    text="",
    quote="The storm left 2,900 homes without power, the utility said.",
    start=0,
    end=59,
    match="exact",
)
C = Claim(
    id="b:c2",
    source_id="b",
    text="",
    quote="Hale Elementary School will open as a shelter.",
    start=0,
    end=46,
    match="exact",
)
SOURCES = {"a": Source(id="a", outlet="The Gazette"), "b": Source(id="b", outlet="Channel 4 News")}
CLAIMS = {c.id: c for c in (A, B, C)}


def brief(sources: list[Source] | None = None) -> Brief:
    groups = group_claims([A, B, C])
    return Brief(
        sources=sources or list(SOURCES.values()),
        claims=[A, B, C],
        groups=groups,
        summary=rule_summary(groups, CLAIMS, SOURCES),
        dropped=[],
        stats=Stats(),
        method=Method(model="m", endpoint="e", endpoint_kind="k", prompt_version="extract-v1", summary_mode="rules"),
    )


def test_sentence_citing_no_claim_fails() -> None:
    assert check_sentence(SummarySentence(text="Homes lost power.", claim_ids=[]), CLAIMS, SOURCES) == "cites no claim"


def test_sentence_with_a_number_its_claims_lack_fails() -> None:
    problem = check_sentence(SummarySentence(text="3,100 homes lost power.", claim_ids=["a:c1"]), CLAIMS, SOURCES)
    assert problem is not None and "3100" in problem


def test_sentence_with_numbers_from_its_claims_passes() -> None:
    sentence = SummarySentence(text="The Gazette gives 2,400 homes; others 2,900.", claim_ids=["a:c1", "b:c1"])
    assert check_sentence(sentence, CLAIMS, SOURCES) is None


def test_digits_in_a_cited_outlet_name_are_allowed() -> None:
    sentence = SummarySentence(text="Channel 4 News reports 2,900 homes.", claim_ids=["b:c1"])
    assert check_sentence(sentence, CLAIMS, SOURCES) is None


def test_rule_summary_gives_both_sides_of_a_conflict() -> None:
    text = " ".join(s.text for s in brief().summary)
    assert "2,400" in text and "2,900" in text and "The Gazette" in text


def test_markdown_lists_the_conflict_with_both_quotes_side_by_side() -> None:
    md = brief().to_markdown()
    conflicts = md.split("## Where sources conflict")[1].split("## Reported by one source")[0]
    assert "| S1 The Gazette | 2,400 |" in conflicts and "| S2 Channel 4 News | 2,900 |" in conflicts


def test_markdown_lists_single_source_claims_with_their_citation() -> None:
    assert "“Hale Elementary School will open as a shelter.” [S2]" in brief().to_markdown()


def test_one_source_brief_says_nothing_could_be_cross_checked() -> None:
    md = brief([Source(id="a"), Source(id="b", duplicate_of="a")]).to_markdown()
    assert "Only one source was given" in md
    assert "has the same text as S1" in md


def test_a_source_with_a_long_headline_and_no_outlet_is_named_by_its_label_in_prose() -> None:
    headline = "Storm leaves 2,900 homes dark as crews race to restore the grid before the weekend"
    sources = {"a": Source(id="a", outlet="The Gazette"), "b": Source(id="b", title=headline)}
    sentence = rule_summary(group_claims([A, B, C]), CLAIMS, sources)[0]
    assert "S2 gives 2,900" in sentence.text and headline not in sentence.text


def test_a_number_in_a_long_headline_does_not_excuse_a_summary_sentence() -> None:
    headline = "Storm leaves 3,100 homes dark as crews race to restore the grid before the weekend"
    sources = {"a": Source(id="a", outlet="The Gazette"), "b": Source(id="b", title=headline)}
    sentence = SummarySentence(text="S2 reports 3,100 homes without power.", claim_ids=["b:c1"])
    assert check_sentence(sentence, CLAIMS, sources) == "states numbers not in its cited claims: 3100"


def test_a_source_with_a_short_title_is_named_by_it_in_the_conflict_table() -> None:
    out = brief([Source(id="a", outlet="The Gazette"), Source(id="b", title="Storm night")]).to_markdown()
    assert "| S2 Storm night |" in out


def test_each_side_of_a_name_conflict_says_the_name_it_gives() -> None:
    mayor = Claim(
        id="a:c9",
        source_id="a",
        text="",
        quote="Mayor Ann Holt ordered the evacuation of the quay.",
        start=0,
        end=50,
        match="exact",
    )
    port = Claim(
        id="b:c9",
        source_id="b",
        text="",
        quote="The Harbour Board ordered the evacuation of the quay.",
        start=0,
        end=53,
        match="exact",
    )
    claims = {c.id: c for c in (mayor, port)}
    groups = group_claims([mayor, port])
    assert [g.basis for g in groups] == ["name"]
    sentence = rule_summary(groups, claims, SOURCES)[0]
    assert "The Gazette names Mayor Ann Holt; Channel 4 News names Harbour Board." in sentence.text


def test_single_source_claims_are_listed_under_their_source_in_article_order() -> None:
    later = Claim(
        id="b:c3", source_id="b", text="", quote="The ferry will resume on Sunday.", start=90, end=122, match="exact"
    )
    claims = [A, B, later, C]
    groups = group_claims(claims)
    md = Brief(
        sources=list(SOURCES.values()),
        claims=claims,
        groups=groups,
        summary=[],
        dropped=[],
        stats=Stats(),
        method=Method(model="m", endpoint="e", endpoint_kind="k", prompt_version="p", summary_mode="rules"),
    ).to_markdown()
    singles = md.split("## Reported by one source")[1].split("## Sources")[0]
    assert singles.index("**S2 Channel 4 News**") < singles.index("Hale Elementary") < singles.index("ferry")


def test_a_citation_label_does_not_excuse_its_digit_elsewhere_in_a_sentence() -> None:
    sentence = SummarySentence(text="S2 says 2 bridges closed and 2,900 homes lost power.", claim_ids=["b:c1"])
    sources = {"a": Source(id="a"), "b": Source(id="b")}
    assert check_sentence(sentence, CLAIMS, sources) == "states numbers not in its cited claims: 2"


def test_an_agreement_in_the_summary_pastes_no_quote() -> None:
    from summarizer.summary import agreement_sentence

    qa, qb = (
        "The landslide killed 14 people in the valley on Sunday.",
        "On Sunday 14 people were killed by the landslide.",
    )
    a = Claim(id="a:c1", source_id="a", text=qa, quote=qa, start=0, end=len(qa), match="exact")
    b = Claim(id="b:c1", source_id="b", text=qb, quote=qb, start=0, end=len(qb), match="exact")
    (g,) = [g for g in group_claims([a, b]) if a.id in g.claim_ids and b.id in g.claim_ids]
    sentence = agreement_sentence(g, [a, b], ["The Courier", "The Ledger"])
    assert sentence == "The Courier and The Ledger give 14 for people killed (Valley)."
