"""Validation: the model's JSON against the schema, and every claim against its source text."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from summarizer.aligner import align, normalize

# Credits and hedges are read by rule in summarizer.credits; the names stay importable from here.
from summarizer.credits import HEDGES as HEDGES
from summarizer.credits import checked_credit, checked_hedge
from summarizer.credits import rule_credit as rule_credit
from summarizer.credits import rule_hedge as rule_hedge
from summarizer.errors import ModelOutputError
from summarizer.models import Article, Claim, Dropped, RawClaim, Span

# Bump when a grounding rule (credit, hedge, duplicate handling) or the choice of sentences offered
# to the model (headings, questions, boilerplate, instructions) changes: it is part of the cache key,
# so cached extractions made under older rules are not reused.
RULES_VERSION = "6"
REPAIRED = "repaired: "  # how the reason of a Dropped entry of kind "repaired" starts (the claim was kept)
_NUMBER = re.compile(r"\d[\d,.]*")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class _WireClaim(BaseModel):
    """One claim in the extraction answer (compact field names keep generated tokens down)."""

    model_config = ConfigDict(extra="forbid")

    s: int
    by: str = ""
    hedge: str = ""


class _WireAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    claims: list[_WireClaim] = Field(default_factory=list)


class _WireCredit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    s: int
    by: str


class _WireFacts(BaseModel):
    """The compact v2 answer: fact sentence numbers, and credits only where the article gives one."""

    model_config = ConfigDict(extra="forbid")

    facts: list[int] = Field(default_factory=list)
    credits: list[_WireCredit] = Field(default_factory=list)


class _WireIds(BaseModel):
    """The v3 answer: only the numbers of the sentences that state facts."""

    model_config = ConfigDict(extra="forbid")

    facts: list[int] = Field(default_factory=list)


def answer_schema(fmt: str = "ids") -> dict[str, Any]:
    """JSON schema sent to the endpoint; strict-mode friendly (all fields required, no extras)."""
    if fmt == "ids":
        return {
            "type": "object",
            "properties": {"facts": {"type": "array", "items": {"type": "integer"}}},
            "required": ["facts"],
            "additionalProperties": False,
        }
    if fmt == "facts":
        return {
            "type": "object",
            "properties": {
                "facts": {"type": "array", "items": {"type": "integer"}},
                "credits": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {"s": {"type": "integer"}, "by": {"type": "string"}},
                        "required": ["s", "by"],
                        "additionalProperties": False,
                    },
                },
            },
            "required": ["facts", "credits"],
            "additionalProperties": False,
        }
    return {
        "type": "object",
        "properties": {
            "claims": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "s": {"type": "integer"},
                        "by": {"type": "string"},
                        "hedge": {"type": "string"},
                    },
                    "required": ["s", "by", "hedge"],
                    "additionalProperties": False,
                },
            }
        },
        "required": ["claims"],
        "additionalProperties": False,
    }


def parse_answer(content: str, fmt: str = "ids") -> list[RawClaim]:
    """Parse the model's JSON answer; a failure says what was wrong so the model can be re-asked."""
    text = content.strip()
    if text.startswith("```"):
        text = text.strip("`").removeprefix("json").strip()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ModelOutputError(f"the answer is not valid JSON ({exc.msg} at character {exc.pos})") from exc
    except RecursionError as exc:  # a looping model: "[[[[..." past the parser's nesting limit
        raise ModelOutputError("the answer is not usable JSON (nested too deeply)") from exc
    except ValueError as exc:  # an integer of more digits than Python converts (4300)
        raise ModelOutputError(f"the answer is not usable JSON ({str(exc).split(':')[0]})") from exc
    try:
        if fmt == "ids":
            return [RawClaim(sentence=s) for s in _WireIds.model_validate(data).facts]
        if fmt == "facts":
            facts = _WireFacts.model_validate(data)
            credit = {c.s: c.by.strip() for c in facts.credits if c.by.strip()}
            claims = [RawClaim(sentence=s, attributed_to=credit.get(s)) for s in facts.facts]
        else:
            if isinstance(data, list):
                data = {"claims": data}
            answer = _WireAnswer.model_validate(data)
            claims = [
                RawClaim(sentence=c.s, attributed_to=c.by.strip() or None, hedge=c.hedge.strip() or None)
                for c in answer.claims
            ]
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ModelOutputError(f"the answer does not match the schema: {where}: {first['msg']}") from exc
    for claim in claims:
        for value in (claim.attributed_to, claim.hedge):
            if value is not None and _LONE_SURROGATE.search(value):
                # from an unpaired "\\ud800"-style escape: not text, and it could not be stored or printed
                raise ModelOutputError("the answer has an unpaired surrogate escape (\\ud800-\\udfff) in a string")
    return claims


def numbers_in(text: str) -> set[str]:
    """Digit strings in a text, without separators, for the 'every number is in its quote' check."""
    return {n.replace(",", "").rstrip(".") for n in _NUMBER.findall(text)}


@dataclass
class Verification:
    """What survived, what was dropped, and which failures a re-ask could fix."""

    claims: list[Claim] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    fixable: list[str] = field(default_factory=list)


def _credit_repair(source_id: str, credit: str, why: str, raw: str) -> Dropped:
    """A proposed credit that did not hold up: reported as a repair, the claim kept without it."""
    reason = f"{REPAIRED}credited source {credit!r} {why}; claim kept without it"
    return Dropped(source_id=source_id, reason=reason, raw=raw, kind="repaired")


def verify_claims(
    raw_claims: list[RawClaim],
    article: Article,
    sentences: list[Span],
    *,
    first_id: int = 1,
    taken: set[int] | None = None,
) -> Verification:
    """Ground each raw claim in the article: a sentence it points at, or a quote found by the aligner.

    `sentences` are the numbered sentences the model saw (1-based in its answer). `taken` holds
    article offsets already claimed, so the same fact is not emitted twice.
    """
    result = Verification()
    taken = set() if taken is None else taken
    text = article.text
    next_id = first_id
    for raw in raw_claims:
        raw_json = raw.model_dump_json(exclude_none=True)
        within = None
        if raw.sentence is not None:
            if not 1 <= raw.sentence <= len(sentences):
                reason = f"sentence {raw.sentence} does not exist (the article has {len(sentences)})"
                result.dropped.append(Dropped(source_id=article.id, reason=reason, raw=raw_json))
                result.fixable.append(reason)
                continue
            within = sentences[raw.sentence - 1]
        if raw.quote:
            alignment = align(raw.quote, text, within=within)
            if alignment is None:
                result.dropped.append(
                    Dropped(source_id=article.id, reason="quote not found in the source", raw=raw_json)
                )
                continue
            start, end, match = alignment.start, alignment.end, alignment.match
        elif within is not None:
            start, end, match = within.start, within.end, "exact"
        else:
            result.dropped.append(Dropped(source_id=article.id, reason="claim has no quote or sentence", raw=raw_json))
            continue
        if start in taken:
            result.dropped.append(Dropped(source_id=article.id, reason="duplicate of an earlier claim", raw=raw_json))
            continue
        quote = text[start:end]
        claim_text = raw.text or quote
        missing = numbers_in(claim_text) - numbers_in(quote)
        if missing:
            reason = f"claim states numbers not in its quote: {', '.join(sorted(missing))}"
            result.dropped.append(Dropped(source_id=article.id, reason=reason, raw=raw_json))
            continue
        attributed = raw.attributed_to
        if attributed and normalize(attributed) not in normalize(quote):
            result.dropped.append(_credit_repair(article.id, attributed, "is not in the claim's sentence", raw_json))
            attributed = None
        credit = checked_credit(attributed) if attributed else None
        if attributed and credit is None:
            why = "is a clause, not a speaker or a source"
            result.dropped.append(_credit_repair(article.id, attributed, why, raw_json))
        attributed = credit or rule_credit(quote)
        hedge = checked_hedge(raw.hedge, quote)
        taken.add(start)
        result.claims.append(
            Claim(
                id=f"{article.id}:c{next_id}",
                source_id=article.id,
                text=claim_text,
                quote=quote,
                start=start,
                end=end,
                match=match,
                attributed_to=attributed,
                hedge=hedge,
            )
        )
        next_id += 1
    return result
