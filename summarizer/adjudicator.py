"""Optional model pass (`--adjudicate`): the model confirms or rejects what the rules propose.

The rules group claims by wording, units and dates, and can be fooled by two claims that look
alike but are about different things. Here the model sees each proposed conflict (and each
near-miss merge) as two quotes and answers one question: the same fact or not. Its verdict is
validated like every other model output, and it can only do two things:
- split a conflict the rules proposed, when it says the two sides are different facts;
- merge two single-source claims the rules nearly linked, when it says they are the same fact
  (the merged group is then judged by the same rules: agree or conflict).
It never turns incompatible figures into agreement. An unusable answer leaves the rules' verdict
standing and is reported in `dropped`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from typing import Protocol

from pydantic import BaseModel, ConfigDict, ValidationError

from summarizer.consensus import judge, near_misses
from summarizer.errors import ModelOutputError
from summarizer.llm import ModelClient
from summarizer.models import Claim, Group, Usage
from summarizer.prompts import load_prompt
from summarizer.schemas import strict_schema

PROMPT_NAME = "adjudicate.v1"
MAX_CANDIDATE_MERGES = 12  # each is one model call; near misses beyond this keep the rules' verdict


class Verdict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    same_fact: bool


def adjudicate_version() -> str:
    return load_prompt(PROMPT_NAME).version


class VerdictStore(Protocol):
    """Where verdicts are kept between runs (the extraction cache), so a warm brief calls no model."""

    def get_text(self, key: str) -> str | None: ...

    def put_text(self, key: str, value: str) -> None: ...


def verdict_key(cache_id: str, a: Claim, b: Claim) -> str:
    """Model and endpoint (`cache_id`), prompt version and both quotes (order-free); never the API key."""
    quotes = sorted([a.quote, b.quote])
    parts = ["verdict", cache_id, adjudicate_version(), *quotes]
    return "verdict:" + hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()


def _ask(client: ModelClient, a: Claim, b: Claim, usage: list[Usage]) -> Verdict:
    system, user = load_prompt(PROMPT_NAME).render(
        quote_a=" ".join(a.quote.split()).replace('"', "'"), quote_b=" ".join(b.quote.split()).replace('"', "'")
    )
    result = client.chat_json(
        [{"role": "system", "content": system}, {"role": "user", "content": user}],
        schema=strict_schema(Verdict),
        schema_name="verdict",
        max_tokens=16,
    )
    usage.append(Usage(calls=1, prompt_tokens=result.prompt_tokens, completion_tokens=result.completion_tokens,
                       seconds=result.seconds))  # fmt: skip
    try:
        return Verdict.model_validate(json.loads(result.content))
    except (json.JSONDecodeError, ValidationError) as exc:
        raise ModelOutputError(f"verdict unusable: {str(exc).splitlines()[0]} in {result.content[:200]!r}") from exc


def _conflict_pair(group: Group, claims: dict[str, Claim]) -> tuple[Claim, Claim]:
    """The first two sides of a conflict group (the rules put the sides first)."""
    members = [claims[cid] for cid in group.claim_ids]
    a = members[0]
    b = next(c for c in members[1:] if c.source_id != a.source_id)
    return a, b


def adjudicate(
    groups: Sequence[Group],
    claims: dict[str, Claim],
    client: Callable[[], ModelClient],
    *,
    store: VerdictStore | None = None,
    cache_id: str = "",
    on_drop: Callable[[str, str], None] | None = None,
) -> tuple[list[Group], Usage, dict[str, int]]:
    """Groups after the model's verdicts, what the calls cost, and counts of what changed.

    `client` is called only when a verdict is not in `store`, so a warm run starts no server."""
    usage: list[Usage] = []
    counts = {"conflicts_checked": 0, "conflicts_split": 0, "merges_checked": 0, "merges_made": 0, "unusable": 0}
    kept: list[list[Claim]] = []

    def verdict(a: Claim, b: Claim) -> bool | None:
        key = verdict_key(cache_id, a, b)
        known = store.get_text(key) if store is not None else None
        if known in ("same", "different"):
            return known == "same"
        try:
            same = _ask(client(), a, b, usage).same_fact  # the endpoint opens only on a cache miss
        except ModelOutputError as exc:
            counts["unusable"] += 1
            if on_drop:
                on_drop(f"adjudication: {exc}", json.dumps([a.id, b.id]))
            return None
        if store is not None:
            store.put_text(key, "same" if same else "different")
        return same

    for g in groups:
        members = [claims[cid] for cid in g.claim_ids]
        if g.status != "conflict":
            kept.append(members)
            continue
        counts["conflicts_checked"] += 1
        if verdict(*_conflict_pair(g, claims)) is False:
            counts["conflicts_split"] += 1
            kept.extend([c] for c in members)  # different facts: each claim stands alone
        else:
            kept.append(members)
    singles = [m[0] for m in kept if len(m) == 1]
    merged: set[str] = set()
    for a, b in near_misses(singles, list(claims.values()))[:MAX_CANDIDATE_MERGES]:
        if a.id in merged or b.id in merged:
            continue
        counts["merges_checked"] += 1
        if verdict(a, b):
            counts["merges_made"] += 1
            merged.update((a.id, b.id))
            kept = [m for m in kept if m not in ([a], [b])] + [[a, b]]
    total = Usage()
    for u in usage:
        total = total.add(u)
    return judge(kept), total, counts
