"""The answer shapes the extraction prompts ask for: one pydantic wire model per shape.

A prompt names its shape in its header (`format: ids`). The model of that name gives the JSON schema
sent with the request (`strict_schema`), parses the answer (leniently: a missing list is empty), turns
it into raw claims, and writes the prompt's few-shot example answer, so the shape is written once.
Field names are compact to keep generated tokens down. The class names show in the validation errors
a re-ask sends back to the model, so they are part of the conversation and stay as they are.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from summarizer.errors import ConfigError
from summarizer.models import RawClaim


class Answer(BaseModel):
    """What every answer shape does: become raw claims, and be built from an example's claims."""

    model_config = ConfigDict(extra="forbid")

    @abstractmethod
    def raw_claims(self) -> list[RawClaim]:
        """The answer as claims to ground."""

    @classmethod
    @abstractmethod
    def from_example(cls, claims: list[dict[str, Any]]) -> Answer:
        """The answer a prompt's example shows, from the example file's claims ({"s", "by", "hedge"})."""


class _WireClaim(BaseModel):
    model_config = ConfigDict(extra="forbid")

    s: int
    by: str = ""
    hedge: str = ""


class _WireAnswer(Answer):
    """extract.v1: every fact sentence with its credit and hedge as the model reads them."""

    claims: list[_WireClaim] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _bare_list(cls, data: Any) -> Any:
        """A bare list of claims (small models often drop the wrapper) is read as {"claims": [...]}."""
        return {"claims": data} if isinstance(data, list) else data

    def raw_claims(self) -> list[RawClaim]:
        return [
            RawClaim(sentence=c.s, attributed_to=c.by.strip() or None, hedge=c.hedge.strip() or None)
            for c in self.claims
        ]

    @classmethod
    def from_example(cls, claims: list[dict[str, Any]]) -> Answer:
        return cls.model_validate({"claims": claims})


class _WireCredit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    s: int
    by: str


class _WireFacts(Answer):
    """extract.v2: fact sentence numbers, and credits only where the article gives one (hedges by rule)."""

    facts: list[int] = Field(default_factory=list)
    credits: list[_WireCredit] = Field(default_factory=list)

    def raw_claims(self) -> list[RawClaim]:
        credit = {c.s: c.by.strip() for c in self.credits if c.by.strip()}
        return [RawClaim(sentence=s, attributed_to=credit.get(s)) for s in self.facts]

    @classmethod
    def from_example(cls, claims: list[dict[str, Any]]) -> Answer:
        credits = [{"s": c["s"], "by": c["by"]} for c in claims if c.get("by")]
        return cls.model_validate({"facts": [c["s"] for c in claims], "credits": credits})


class _WireIds(Answer):
    """extract.v3 on: only the fact sentence numbers; credits and hedges are read from each quote by rule."""

    facts: list[int] = Field(default_factory=list)

    def raw_claims(self) -> list[RawClaim]:
        return [RawClaim(sentence=s) for s in self.facts]

    @classmethod
    def from_example(cls, claims: list[dict[str, Any]]) -> Answer:
        return cls.model_validate({"facts": [c["s"] for c in claims]})


ANSWER_FORMATS: dict[str, type[Answer]] = {"claims": _WireAnswer, "facts": _WireFacts, "ids": _WireIds}


def answer_model(fmt: str | None) -> type[Answer]:
    """The wire model of a format a prompt declares; an unknown or missing one is a configuration error."""
    model = ANSWER_FORMATS.get(fmt or "")
    if model is None:
        raise ConfigError(f"unknown answer format {fmt!r}: use one of {', '.join(ANSWER_FORMATS)}")
    return model
