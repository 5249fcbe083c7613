"""The optional model pass: the model may split a conflict or confirm a near merge, nothing more."""

from __future__ import annotations

import json
from pathlib import Path

from standin import Reply, serve

from summarizer import config
from summarizer.adjudicator import adjudicate
from summarizer.consensus import group_claims
from summarizer.consensus.values import parse_values
from summarizer.llm import ModelClient
from summarizer.models import Article, Claim, Group
from summarizer.pipeline import summarize

SAME = json.dumps({"same_fact": True})
DIFFERENT = json.dumps({"same_fact": False})


def claim(source: str, quote: str, n: int = 1) -> Claim:
    return Claim(
        id=f"{source}:c{n}", source_id=source, text=quote, quote=quote, start=0, end=len(quote), match="exact",
        values=parse_values(quote),
    )  # fmt: skip


HOMES_A = claim("a", "The utility said 2,400 homes were without power by mid-morning.")
HOMES_B = claim("b", "The storm left 2,900 homes without power, according to the utility.")
FILLER = [
    claim("x", "Shopkeepers spent the morning sweeping mud out of their doorways.", 7),
    claim("y", "Forecasters expect calmer weather for the rest of the week.", 8),
]


def run(groups: list[Group], claims: list[Claim], replies: list[Reply]) -> tuple[list[Group], dict[str, int], int]:
    with serve(replies) as (url, standin):
        model = ModelClient(base_url=url, model="m", dialect="llamacpp", max_retries=0)
        result, _, counts = adjudicate(groups, {c.id: c for c in claims}, lambda: model)
    return result, counts, len(standin.requests)


def status_of(groups: list[Group], claim_id: str) -> str:
    return next(g.status for g in groups if claim_id in g.claim_ids)


def test_a_conflict_the_model_calls_different_facts_is_split_into_single_claims() -> None:
    claims = [HOMES_A, HOMES_B, *FILLER]
    groups, counts, _ = run(group_claims(claims), claims, [Reply(content=DIFFERENT)])
    assert status_of(groups, HOMES_A.id) == "single" and status_of(groups, HOMES_B.id) == "single"
    assert counts["conflicts_split"] == 1


def test_the_model_cannot_turn_incompatible_figures_into_agreement() -> None:
    claims = [HOMES_A, HOMES_B, *FILLER]
    groups, counts, _ = run(group_claims(claims), claims, [Reply(content=SAME)])
    assert status_of(groups, HOMES_A.id) == "conflict" and counts["conflicts_split"] == 0


def test_a_near_merge_the_model_confirms_is_judged_by_the_rules() -> None:
    a = claim("a", "Schools across Averly will stay closed until the flood water recedes.")
    b = claim("b", "Averly schools remain shut while water stays in the streets, officials said.")
    claims = [a, b, *FILLER]
    before = group_claims(claims)
    assert status_of(before, a.id) == "single"  # the wording alone falls short of a link
    groups, counts, _ = run(before, claims, [Reply(content=SAME)])
    assert counts["merges_made"] == 1 and status_of(groups, a.id) == "agree"


def test_a_near_merge_the_model_rejects_stays_apart() -> None:
    a = claim("a", "Schools across Averly will stay closed until the flood water recedes.")
    b = claim("b", "Averly schools remain shut while water stays in the streets, officials said.")
    claims = [a, b, *FILLER]
    groups, counts, calls = run(group_claims(claims), claims, [Reply(content=DIFFERENT)])
    assert calls == 1 and counts["merges_made"] == 0 and status_of(groups, a.id) == "single"


def test_an_unusable_verdict_leaves_the_rules_verdict_and_is_reported() -> None:
    claims = [HOMES_A, HOMES_B, *FILLER]
    dropped: list[str] = []
    with serve([Reply(content='{"same_fact": "maybe"}')]) as (url, _):
        model = ModelClient(base_url=url, model="m", dialect="llamacpp", max_retries=0)
        groups, _, counts = adjudicate(
            group_claims(claims), {c.id: c for c in claims}, lambda: model, on_drop=lambda r, _: dropped.append(r)
        )
    assert status_of(groups, HOMES_A.id) == "conflict" and counts["unusable"] == 1
    assert dropped and dropped[0].startswith("adjudication: verdict unusable")


def test_a_warm_adjudicated_brief_makes_no_model_call(tmp_path: Path) -> None:
    articles = [
        Article(id="a", text="The utility said 2,400 homes were without power by mid-morning.\n"),
        Article(id="b", text="The storm left 2,900 homes without power, according to the utility.\n"),
    ]
    facts = json.dumps({"facts": [1]})
    with serve([Reply(content=facts), Reply(content=facts), Reply(content=SAME)]) as (url, standin):
        s = config.Settings(base_url=url, model="m", dialect="llamacpp", cache_dir=tmp_path, jobs=1, adjudicate=True)
        cold = summarize(articles, s)
        calls = len(standin.requests)
        warm = summarize(articles, s)
    assert cold.method.adjudication is not None and "1 conflicts checked" in cold.method.adjudication
    assert calls == 3 and len(standin.requests) == calls and warm.stats.model_calls == 0
    assert [g.status for g in warm.groups] == [g.status for g in cold.groups]
