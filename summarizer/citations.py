"""How a brief names and cites its sources: labels S1, S2, ..., names for prose and tables, credits.

The summary stage writes sources' names into its sentences and the renderers print them beside
quotes; both take them from here, so a source is named the same way everywhere and neither imports
the other.
"""

from __future__ import annotations

from collections.abc import Iterable

from summarizer.models import Brief, Claim, Source

SHORT_TITLE_WORDS = 8


def source_labels(sources: Iterable[Source]) -> dict[str, str]:
    """Citation labels S1, S2, ... in source order, as every rendering of a brief cites them."""
    return {s.id: f"S{i}" for i, s in enumerate(sources, start=1)}


def source_name(source: Source, label: str = "") -> str:
    """How prose names a source: its outlet, else a short title, else its label ("S2"), because a
    long headline or a file name swamps a sentence (and a headline's figures are no claim)."""
    if source.outlet:
        return source.outlet
    if source.title and len(source.title.split()) <= SHORT_TITLE_WORDS:
        return source.title
    return label or source.id


def labelled_name(source: Source, label: str) -> str:
    """A source as tables list it: "S2 Coastline Courier", or just "S2" when it has no short name."""
    name = source_name(source, label)
    return label if name == label else f"{label} {name}"


def singles_by_source(brief: Brief) -> list[tuple[Source, list[Claim]]]:
    """Single-source claims under their source, in source order and then in article order: a long
    list of one-source claims is read source by source, as the articles were written."""
    claims = {c.id: c for c in brief.claims}
    singles = [claims[cid] for g in brief.groups if g.status == "single" for cid in g.claim_ids if cid in claims]
    return [
        (source, sorted((c for c in singles if c.source_id == source.id), key=lambda c: c.start))
        for source in brief.sources
        if any(c.source_id == source.id for c in singles)
    ]


def credit_note(claim: Claim) -> str:
    """Whom a claim credits and how it hedges, as the brief and the review page print it ("" if neither)."""
    parts = []
    if claim.attributed_to:
        parts.append(f"credited to {claim.attributed_to}")
    if claim.hedge:
        parts.append(f"hedged: “{claim.hedge}”")
    return "; ".join(parts)
