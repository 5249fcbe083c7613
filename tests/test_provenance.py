"""Provenance: near-copies of another article, each claim's origin, independent origins per fact.

The articles are the project's own sentences about an invented ferry fire.
"""

from __future__ import annotations

import json
from pathlib import Path

from standin import Reply, serve

from summarizer import config
from summarizer.models import Article, Brief, Group, Origin
from summarizer.pipeline import summarize
from summarizer.provenance import derivation, read_origin, same_origin

WIRE = (
    "A fire broke out on a passenger ferry near the port of Saltholm on Thursday evening.\n"
    "The coast guard said all 212 passengers and 14 crew members were taken off the vessel.\n"
    "Seven people were treated in hospital for smoke inhalation, a hospital spokeswoman said.\n"
    "The fire started in the engine room shortly after the ferry left its berth, the operator said.\n"
    "Firefighters from two tugboats sprayed water on the hull for more than three hours.\n"
    "The ferry, built in 1998, was towed back to the harbour on Friday morning.\n"
    "An investigation into the cause of the fire has been opened by the maritime authority.\n"
)
# the same story as another outlet ran it: a new first paragraph and a few words changed
EDITED = (
    "Passengers described scenes of panic as smoke filled the lower deck of the ferry.\n"
    "Many of them had been returning from a weekend market on the mainland.\n"
    "A fire broke out on a passenger ferry close to the port of Saltholm on Thursday evening.\n"
    "The coast guard said all 212 passengers and 14 crew were taken off the ship.\n"
    "Seven people were treated in hospital for smoke inhalation, a hospital spokeswoman said.\n"
    "The blaze started in the engine room shortly after the ferry left its berth, the operator said.\n"
    "Firefighters from two tugboats sprayed water on the hull for more than three hours.\n"
    "The ferry, built in 1998, was towed back to the harbour on Friday morning.\n"
    "An investigation into the cause of the fire has been opened by the maritime authority.\n"
)
# the same event reported independently: the same facts, in the reporter's own words
OWN_REPORT = (
    "Rescuers evacuated everyone aboard a burning ferry off Saltholm late on Thursday.\n"
    "According to the coast guard, 226 people were on board when the engine caught fire.\n"
    "Seven passengers needed hospital care after breathing in smoke.\n"
    "Tugboat crews fought the flames for over three hours before the fire was out.\n"
    "The vessel is 27 years old and was brought back to port the next morning.\n"
    "The maritime authority has opened an inquiry.\n"
)


def _brief(tmp_path: Path, *articles: Article) -> Brief:
    with serve([Reply(content=json.dumps({"facts": [1]}))]) as (url, _):
        settings = config.Settings(base_url=url, model="m", dialect="llamacpp", cache_dir=tmp_path / "cache")
        return summarize(list(articles), settings)


def test_a_lightly_edited_copy_is_marked_as_derived_as_a_whole() -> None:
    found = derivation(Article(id="copy", text=EDITED), Article(id="wire", text=WIRE))
    assert found is not None and found.source_id == "wire" and found.whole


def test_an_edited_copy_counts_every_sentence_it_copies() -> None:
    found = derivation(Article(id="copy", text=EDITED), Article(id="wire", text=WIRE))
    assert found is not None and sum(run.sentences for run in found.runs) == 7


def test_two_independent_reports_of_one_event_are_not_marked() -> None:
    assert derivation(Article(id="own", text=OWN_REPORT), Article(id="wire", text=WIRE)) is None
    assert derivation(Article(id="wire", text=WIRE), Article(id="own", text=OWN_REPORT)) is None


def test_one_shared_sentence_is_no_copy() -> None:
    """Two reports quoting the same spokeswoman alike share a sentence, not a run of them."""
    own = OWN_REPORT + "Seven people were treated in hospital for smoke inhalation, a hospital spokeswoman said.\n"
    assert derivation(Article(id="own", text=own), Article(id="wire", text=WIRE)) is None


def test_the_brief_marks_the_newer_article_as_derived_from_the_older(tmp_path: Path) -> None:
    brief = _brief(
        tmp_path,
        Article(id="later", text=EDITED, outlet="Harbour Post", published="2025-06-13"),
        Article(id="wire", text=WIRE, outlet="Saltholm Wire", published="2025-06-12"),
    )
    derived = {s.id: [d.source_id for d in s.derived_from] for s in brief.sources}
    assert derived == {"later": ["wire"], "wire": []}


def test_an_uncredited_copied_sentence_has_the_original_outlet_as_origin(tmp_path: Path) -> None:
    brief = _brief(
        tmp_path,
        Article(id="wire", text=WIRE, outlet="Saltholm Wire", published="2025-06-12"),
        Article(id="later", text=EDITED, outlet="Harbour Post", published="2025-06-13"),
    )
    built = next(c for c in brief.claims if c.source_id == "later" and "1998" in c.quote)
    assert built.origin is not None
    assert (built.origin.name, built.origin.kind, built.origin.via) == ("Saltholm Wire", "own", "wire")


def test_a_copied_fact_agreed_by_two_outlets_has_one_origin(tmp_path: Path) -> None:
    brief = _brief(
        tmp_path,
        Article(id="wire", text=WIRE, outlet="Saltholm Wire", published="2025-06-12"),
        Article(id="later", text=EDITED, outlet="Harbour Post", published="2025-06-13"),
    )
    built = next(g for g in brief.groups if any("1998" in c.quote for c in brief.claims if c.id in g.claim_ids))
    assert (built.outlets, built.independent, built.origins) == (2, 1, ["Saltholm Wire"])
    assert "2 outlets, one origin: Saltholm Wire" in brief.to_markdown()


def _toll(outlet: str, sentence: str) -> Article:
    return Article(id=outlet.lower().replace(" ", "-"), text=sentence + "\n", outlet=outlet, published="2025-08-02")


def test_an_agreement_counts_its_independent_origins(tmp_path: Path) -> None:
    brief = _brief(
        tmp_path,
        _toll("Valley Ledger", "The landslide in Orrin district killed 12 people, according to AFP."),
        _toll("Coast Herald", "The landslide in Orrin district killed 12 people, Agence France-Presse reported."),
        _toll("Ridge Radio", "The landslide in Orrin district killed 12 people, the disaster agency said."),
    )
    agreed = [g for g in brief.groups if g.status == "agree"]
    assert [(g.outlets, g.independent, g.origins) for g in agreed] == [(3, 2, ["AFP", "the disaster agency"])]
    assert "_3 outlets, 2 independent: AFP and the disaster agency_" in brief.to_markdown()


def test_the_summary_says_when_outlets_share_one_origin(tmp_path: Path) -> None:
    brief = _brief(
        tmp_path,
        _toll("Valley Ledger", "The landslide in Orrin district killed 12 people, according to AFP."),
        _toll("Coast Herald", "The landslide in Orrin district killed 12 people, Agence France-Presse reported."),
    )
    assert any(s.text.endswith("(two outlets, one origin: AFP).") for s in brief.summary)


def _conflict(brief: Brief) -> Group:
    conflicts = [g for g in brief.groups if g.status == "conflict"]
    assert len(conflicts) == 1
    return conflicts[0]


def test_a_conflict_whose_sides_credit_one_source_says_so(tmp_path: Path) -> None:
    brief = _brief(
        tmp_path,
        _toll("Valley Ledger", "Police said 12 people were arrested at the Tolvik protest."),
        _toll("Coast Herald", "Police said 18 people were arrested at the Tolvik protest."),
    )
    group = _conflict(brief)
    assert group.independent == 1 and {s.origin for s in group.stances.values()} == {"Police"}
    assert "Every side comes from one origin, Police: a dispute between reports of one source." in brief.to_markdown()


def test_each_side_of_a_conflict_shows_its_origin(tmp_path: Path) -> None:
    brief = _brief(
        tmp_path,
        _toll("Valley Ledger", "The landslide in Orrin district killed 12 people, police said."),
        _toll("Coast Herald", "The landslide in Orrin district killed 15 people, according to Reuters."),
    )
    assert sorted((s.says, s.origin) for s in _conflict(brief).stances.values()) == [
        ("12", "police"),
        ("15", "Reuters"),
    ]


def _origin(credit: str, quote: str = "") -> Origin | None:
    return read_origin(credit, quote, {"bbc new": "BBC News"})


def test_an_agency_is_one_origin_however_it_is_named() -> None:
    names = ["AFP", "Agence France-Presse", "Agence-France Presse", "an AFP reporter at the scene"]
    assert {o.key for name in names if (o := _origin(name))} == {"agency:afp"}


def test_an_unnamed_official_who_told_an_agency_has_the_agency_as_origin() -> None:
    origin = _origin("a local official", "Nine houses collapsed, a local official told Reuters.")
    assert origin is not None and origin.name == "Reuters"


def test_a_spokesman_and_his_agency_are_one_origin() -> None:
    spokesman = _origin("disaster agency spokesman Arif Wiryo Santoso")
    agency = _origin("the disaster agency")
    assert spokesman is not None and agency is not None and spokesman.name == "Arif Wiryo Santoso"
    assert same_origin(spokesman, agency)


def test_a_person_is_one_origin_by_surname() -> None:
    full, short = _origin("Fire chief Rosa Imbert"), _origin("Imbert")
    assert full is not None and short is not None and same_origin(full, short)


def test_two_different_bodies_are_two_origins() -> None:
    police, hospital = _origin("police"), _origin("the hospital")
    assert police is not None and hospital is not None and not same_origin(police, hospital)


def test_a_credit_naming_another_outlet_of_the_brief_is_that_outlet() -> None:
    origin = _origin("the BBC")
    assert origin is not None and (origin.name, origin.kind) == ("BBC News", "outlet")


def test_figures_from_a_company_have_the_company_as_origin() -> None:
    origin = _origin("figures from Averly Power & Light")
    assert origin is not None and (origin.name, origin.kind) == ("Averly Power & Light", "body")


def test_a_wire_dateline_makes_the_agency_the_origin_of_uncredited_text(tmp_path: Path) -> None:
    text = "SALTHOLM (AP) — A fire broke out on a passenger ferry on Thursday, injuring seven people.\n"
    brief = _brief(tmp_path, Article(id="a", text=text, outlet="Harbour Post"))
    assert {c.origin.name for c in brief.claims if c.origin} == {"AP"}


def test_a_conflict_over_the_outlets_own_words_is_not_called_one_sources_dispute() -> None:
    """Two outlets quoting one spokeswoman but giving her different titles disagree in their own words."""
    from summarizer.models import Basis
    from summarizer.provenance import one_origin_note

    def conflict(kind: str) -> Group:
        return Group(
            id="g1", status="conflict", topic="t", claim_ids=[], judged_on=Basis(kind=kind),  # type: ignore[arg-type]
            independent=1, origins=["Marta Kells"],
        )  # fmt: skip

    assert one_origin_note(conflict("title")) == ""
    assert one_origin_note(conflict("number")).startswith("Every side comes from one origin, Marta Kells")
