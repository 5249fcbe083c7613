"""Validation: the model's JSON against the schema, and every claim against its source text."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from pydantic import ValidationError

from summarizer.aligner import align, normalize
from summarizer.answers import answer_model

# Credits and hedges are read by rule in summarizer.credits; the names stay importable from here.
from summarizer.credits import HEDGES as HEDGES
from summarizer.credits import checked_credit, checked_hedge
from summarizer.credits import rule_credit as rule_credit
from summarizer.credits import rule_hedge as rule_hedge
from summarizer.errors import ModelOutputError
from summarizer.llm import LONE_SURROGATE
from summarizer.models import Alignment, Article, Claim, Dropped, RawClaim, Span, claim_id

# Bump when a grounding rule (credit, hedge, duplicate handling) or the choice of sentences offered
# to the model (headings, questions, boilerplate, instructions) changes: it is part of the cache key,
# so cached extractions made under older rules are not reused.
RULES_VERSION = "7"
REPAIRED = "repaired: "  # how the reason of a Dropped entry of kind "repaired" starts (the claim was kept)
_NUMBER = re.compile(r"\d[\d,.]*")


def parse_answer(content: str, fmt: str | None = "ids") -> list[RawClaim]:
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
        claims = answer_model(fmt).model_validate(data).raw_claims()
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ModelOutputError(f"the answer does not match the schema: {where}: {first['msg']}") from exc
    for claim in claims:
        for value in (claim.attributed_to, claim.hedge):
            if value is not None and LONE_SURROGATE.search(value):
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


def missing_sentence(raw: RawClaim, sentences: list[Span]) -> bool:
    """Whether a raw claim points at a sentence number the model was not given (a fixable mistake)."""
    return raw.sentence is not None and not 1 <= raw.sentence <= len(sentences)


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
    for raw in raw_claims:
        raw_json = raw.model_dump_json(exclude_none=True)
        found = _ground(raw, article.text, sentences, taken)
        if isinstance(found, str):
            result.dropped.append(Dropped(source_id=article.id, reason=found, raw=raw_json, kind="invalid"))
            if missing_sentence(raw, sentences):
                result.fixable.append(found)
            continue
        quote = article.text[found.start : found.end]
        attributed, repair = _credit(raw.attributed_to, quote, article.id, raw_json)
        if repair is not None:
            result.dropped.append(repair)
        taken.add(found.start)
        result.claims.append(
            Claim(
                id=claim_id(article.id, first_id + len(result.claims)),
                source_id=article.id,
                text=raw.text or quote,
                quote=quote,
                start=found.start,
                end=found.end,
                match=found.match,
                attributed_to=attributed,
                hedge=checked_hedge(raw.hedge, quote),
            )
        )
    return result


def _ground(raw: RawClaim, text: str, sentences: list[Span], taken: set[int]) -> Alignment | str:
    """Where a raw claim's quote is in the article, or why it cannot be kept."""
    found = _place(raw, text, sentences)
    if isinstance(found, str):
        return found
    return _unusable(raw, text, found, taken) or found


def _place(raw: RawClaim, text: str, sentences: list[Span]) -> Alignment | str:
    """Where a raw claim's quote is in the article, or why it is nowhere."""
    if missing_sentence(raw, sentences):
        return f"sentence {raw.sentence} does not exist (the article has {len(sentences)})"
    within = sentences[raw.sentence - 1] if raw.sentence is not None else None
    if raw.quote:
        alignment = align(raw.quote, text, within=within)
        return "quote not found in the source" if alignment is None else alignment
    if within is not None:
        return Alignment(start=within.start, end=within.end, match="exact")
    return "claim has no quote or sentence"


def _unusable(raw: RawClaim, text: str, found: Alignment, taken: set[int]) -> str | None:
    """Why a placed claim is still dropped: a repeat, or a figure its quote does not hold."""
    if found.start in taken:
        return "duplicate of an earlier claim"
    quote = text[found.start : found.end]
    missing = numbers_in(raw.text or quote) - numbers_in(quote)
    if missing:
        return f"claim states numbers not in its quote: {', '.join(sorted(missing))}"
    return None


def _credit(proposed: str | None, quote: str, source_id: str, raw_json: str) -> tuple[str | None, Dropped | None]:
    """The claim's credit: the model's proposal where it holds up (else a repair note), or the rule's."""
    if proposed and normalize(proposed) not in normalize(quote):
        return rule_credit(quote), _credit_repair(source_id, proposed, "is not in the claim's sentence", raw_json)
    credit = checked_credit(proposed) if proposed else None
    if proposed and credit is None:
        why = "is a clause, not a speaker or a source"
        return rule_credit(quote), _credit_repair(source_id, proposed, why, raw_json)
    return credit or rule_credit(quote), None
