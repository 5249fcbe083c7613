"""Scoring a brief against a gold file: matching by source and quote content, not model wording."""

from __future__ import annotations

import json
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from summarizer.errors import InputError
from summarizer.models import Brief, Claim, Group
from summarizer.summary import check_sentence


class Ref(BaseModel):
    """A claim in the gold: the article it comes from and a phrase its quote must contain."""

    model_config = ConfigDict(extra="ignore")
    source: str
    quote_contains: str
    side: str | None = None
    note: str | None = None


class GoldConflict(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: str
    fact: str = ""
    sides: list[Ref]
    note: str = ""

    @property
    def superseded(self) -> bool:
        """The gold calls this conflict an update, not a dispute: its note starts "Superseded", or it
        says "possibly superseded" (in any case)."""
        return bool(_SUPERSEDED.search(self.note))


_SUPERSEDED = re.compile(r"^\s*superseded\b|\bpossibly\s+superseded\b", re.IGNORECASE)


class GoldAgreement(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: str
    fact: str = ""
    members: list[Ref]
    min_members: int = 2


class GoldSingle(Ref):
    id: str
    fact: str = ""


class GoldNonConflict(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: str
    fact: str = ""
    sides: list[Ref]


class Gold(BaseModel):
    model_config = ConfigDict(extra="ignore")
    story: str
    conflicts: list[GoldConflict] = Field(default_factory=list)
    agreements: list[GoldAgreement] = Field(default_factory=list)
    single: list[GoldSingle] = Field(default_factory=list)
    non_conflicts: list[GoldNonConflict] = Field(default_factory=list)
    no_claims: list[Ref] = Field(default_factory=list)


class Score(BaseModel):
    """Every figure the eval prints; `None` where the gold has nothing to measure."""

    story: str
    conflict_recall: float | None
    conflict_precision: float | None
    agreement_recall: float | None
    single_recall: float | None
    grounding_rate: float | None
    summary_faithfulness: float | None
    false_alarms: int
    unjudged_conflicts: int
    boilerplate_claims: int
    opinion_claims: int
    missed: list[str]
    seconds: float
    model_calls: int
    # the share of the gold's superseded conflicts that the brief labels superseded (one it misses is not
    # labelled), and how many of the gold's disputes it labels superseded (wrongly)
    superseded: float | None = None
    superseded_wrong: int = 0
    # the counts behind the ratios, so several stories can be pooled (`total`)
    counts: dict[str, int] = Field(default_factory=dict)


def load_gold(path: str | Path) -> Gold:
    p = Path(path)
    try:
        return Gold.model_validate_json(p.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such gold file") from exc
    except ValueError as exc:
        raise InputError(f"{path}: not a valid gold file: {str(exc).splitlines()[0]}") from exc


def _matches(claim: Claim, ref: Ref) -> bool:
    return claim.source_id == ref.source and ref.quote_contains in claim.quote


def _ratio(hits: int, total: int) -> float | None:
    return round(hits / total, 3) if total else None


def _group_of(brief: Brief) -> dict[str, Group]:
    return {cid: g for g in brief.groups for cid in g.claim_ids}


def _refs_in(group: Group, refs: list[Ref], claims: dict[str, Claim]) -> list[Ref]:
    return [r for r in refs if any(_matches(claims[cid], r) for cid in group.claim_ids)]


def _conflict_hits(gc: GoldConflict, conflict_groups: list[Group], claims: dict[str, Claim]) -> set[str]:
    """The reported conflicts that hold two sides of a gold conflict."""
    return {
        g.id for g in conflict_groups if len({r.side or r.quote_contains for r in _refs_in(g, gc.sides, claims)}) >= 2
    }


def _false_alarms(gold: Gold, conflict_groups: list[Group], true_groups: set[str], claims: dict[str, Claim]) -> int:
    """Reported conflicts, no gold conflict among them, that join two sources of a gold non-conflict."""
    return sum(
        g.id not in true_groups
        and any(len({r.source for r in _refs_in(g, nc.sides, claims)}) >= 2 for nc in gold.non_conflicts)
        for g in conflict_groups
    )


def _agreement_found(ga: GoldAgreement, brief: Brief, claims: dict[str, Claim]) -> bool:
    return any(
        g.status != "single" and len({r.source for r in _refs_in(g, ga.members, claims)}) >= ga.min_members
        for g in brief.groups
    )


def _single_found(gs: GoldSingle, brief: Brief, group_of: dict[str, Group]) -> bool:
    return any(_matches(c, gs) and group_of[c.id].status == "single" for c in brief.claims)


def _no_claims_kept(brief: Brief, gold: Gold, *, opinion: bool) -> int:
    """Claims of what the gold says holds none: boilerplate, or with `opinion` the opinions."""
    return sum(1 for c in brief.claims for r in gold.no_claims if _matches(c, r) and (r.note == "opinion") == opinion)


def _labelled_superseded(gold: Gold, hits: list[set[str]], brief: Brief) -> tuple[list[bool], int]:
    """For each superseded gold conflict, whether the brief labels it so; and how many gold disputes it
    labels superseded."""
    kinds = {g.id: g.kind for g in brief.groups}
    labelled = [any(kinds.get(gid) == "superseded" for gid in found) for found in hits]
    right = [ok for gc, ok in zip(gold.conflicts, labelled, strict=True) if gc.superseded]
    wrong = sum(ok for gc, ok in zip(gold.conflicts, labelled, strict=True) if not gc.superseded)
    return right, wrong


def score(brief: Brief, gold: Gold) -> Score:
    """Recall and precision of conflicts, agreement and single-source recall, grounding, faithfulness."""
    claims = {c.id: c for c in brief.claims}
    conflict_groups = [g for g in brief.groups if g.status == "conflict"]
    conflict_hits = [_conflict_hits(gc, conflict_groups, claims) for gc in gold.conflicts]
    true_groups: set[str] = set().union(*conflict_hits)
    false_alarms = _false_alarms(gold, conflict_groups, true_groups, claims)
    agreed = [_agreement_found(ga, brief, claims) for ga in gold.agreements]
    group_of = _group_of(brief)
    singled = [_single_found(gs, brief, group_of) for gs in gold.single]
    missed = [
        *(f"conflict {gc.id}" for gc, hits in zip(gold.conflicts, conflict_hits, strict=True) if not hits),
        *(f"agreement {ga.id}" for ga, ok in zip(gold.agreements, agreed, strict=True) if not ok),
        *(f"single {gs.id}" for gs, ok in zip(gold.single, singled, strict=True) if not ok),
    ]
    found = sum(bool(hits) for hits in conflict_hits)
    superseded, superseded_wrong = _labelled_superseded(gold, conflict_hits, brief)
    sources = {s.id: s for s in brief.sources}
    faithful = sum(check_sentence(s, claims, sources) is None for s in brief.summary)
    return Score(
        story=gold.story,
        conflict_recall=_ratio(found, len(gold.conflicts)),
        # strict: every reported conflict that is not a gold conflict counts against precision
        conflict_precision=_ratio(len(true_groups), len(conflict_groups)) if conflict_groups else None,
        agreement_recall=_ratio(sum(agreed), len(gold.agreements)),
        single_recall=_ratio(sum(singled), len(gold.single)),
        grounding_rate=_ratio(brief.stats.claims_verified, brief.stats.claims_extracted),
        summary_faithfulness=_ratio(faithful, len(brief.summary)),
        false_alarms=false_alarms,
        unjudged_conflicts=len(conflict_groups) - len(true_groups) - false_alarms,
        boilerplate_claims=_no_claims_kept(brief, gold, opinion=False),
        opinion_claims=_no_claims_kept(brief, gold, opinion=True),
        missed=missed,
        seconds=brief.stats.seconds,
        model_calls=brief.stats.model_calls,
        superseded=_ratio(sum(superseded), len(superseded)),
        superseded_wrong=superseded_wrong,
        counts={
            "conflicts_found": found,
            "conflicts_gold": len(gold.conflicts),
            "conflicts_true": len(true_groups),
            "conflicts_reported": len(conflict_groups),
            "agreements_found": sum(agreed),
            "agreements_gold": len(gold.agreements),
            "singles_found": sum(singled),
            "singles_gold": len(gold.single),
            "claims_verified": brief.stats.claims_verified,
            "claims_extracted": brief.stats.claims_extracted,
            "superseded_labelled": sum(superseded),
            "superseded_gold": len(superseded),
        },
    )


def total(scores: list[Score]) -> Score:
    """All stories pooled: ratios over the summed counts (not an average of the stories' ratios)."""
    n = {k: sum(s.counts.get(k, 0) for s in scores) for k in scores[0].counts} if scores else {}

    def r(hits: str, of: str) -> float | None:
        return _ratio(n.get(hits, 0), n.get(of, 0))

    return Score(
        story="total",
        conflict_recall=r("conflicts_found", "conflicts_gold"),
        conflict_precision=r("conflicts_true", "conflicts_reported"),
        agreement_recall=r("agreements_found", "agreements_gold"),
        single_recall=r("singles_found", "singles_gold"),
        grounding_rate=r("claims_verified", "claims_extracted"),
        summary_faithfulness=None,
        false_alarms=sum(s.false_alarms for s in scores),
        unjudged_conflicts=sum(s.unjudged_conflicts for s in scores),
        boilerplate_claims=sum(s.boilerplate_claims for s in scores),
        opinion_claims=sum(s.opinion_claims for s in scores),
        missed=[],
        seconds=round(sum(s.seconds for s in scores), 3),
        model_calls=sum(s.model_calls for s in scores),
        superseded=r("superseded_labelled", "superseded_gold"),
        superseded_wrong=sum(s.superseded_wrong for s in scores),
        counts=n,
    )


def format_table(scores: list[Score]) -> str:
    """A fixed-width table for people, one row per story, then a `total` row pooling them."""
    cols = [
        "story",
        "conflict_recall",
        "conflict_precision",
        "superseded",
        "superseded_wrong",
        "agreement_recall",
        "single_recall",
        "grounding_rate",
        "summary_faithfulness",
        "false_alarms",
        "boilerplate_claims",
        "opinion_claims",
        "model_calls",
        "seconds",
    ]
    shown = [*scores, total(scores)] if len(scores) > 1 else scores
    rows = [[str(getattr(s, c)) if getattr(s, c) is not None else "-" for c in cols] for s in shown]
    widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(cols)]

    def line(cells: list[str]) -> str:
        return "  ".join(cell.ljust(w) for cell, w in zip(cells, widths, strict=True))

    return "\n".join([line(cols), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def to_json_line(scores: list[Score]) -> str:
    return json.dumps({"eval": [s.model_dump() for s in scores]}, sort_keys=True)
