"""Pydantic contracts between the pipeline stages: articles -> claims -> groups -> brief."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1"

MatchKind = Literal["exact", "normalized", "fuzzy"]
GroupStatus = Literal["agree", "conflict", "single"]


class Article(BaseModel):
    """One source article; `text` is kept byte-exact so character offsets stay valid."""

    model_config = ConfigDict(extra="forbid")

    id: str
    text: str
    title: str | None = None
    outlet: str | None = None
    path: str | None = None
    published: str | None = None
    url: str | None = None


class Span(BaseModel):
    """A half-open character interval [start, end) in some text."""

    start: int
    end: int


class Alignment(BaseModel):
    """Where a quote was found in its source, and how strictly it matched."""

    start: int
    end: int
    match: MatchKind
    score: float = 1.0


class Value(BaseModel):
    """A typed value parsed from a quote, so claims can be compared by rule, not by wording.

    Offsets are relative to the text the value was parsed from.
    """

    kind: Literal["number", "date", "name"]
    text: str
    start: int
    end: int
    # numbers: the interval the figure stands for ("2,000 to 3,000" -> 2000..3000; "up to 50" -> None..50)
    low: float | None = None
    high: float | None = None
    qualifier: Literal["exact", "approx", "range", "up_to", "at_least", "more_than", "less_than"] = "exact"
    unit: str | None = None
    # dates: a normalised key such as "weekday:friday", "2025-07", "2025-07-04", "year:2025", "month:july"
    date: str | None = None


class RawClaim(BaseModel):
    """A claim as the model returned it, before grounding."""

    model_config = ConfigDict(extra="ignore")

    sentence: int | None = None
    quote: str | None = None
    text: str | None = None
    attributed_to: str | None = None
    hedge: str | None = None


class Claim(BaseModel):
    """A claim grounded in its source: `quote` is found at [start, end) of the article text."""

    id: str
    source_id: str
    text: str
    quote: str
    start: int
    end: int
    match: MatchKind
    attributed_to: str | None = None
    hedge: str | None = None
    values: list[Value] = Field(default_factory=list)


class Dropped(BaseModel):
    """A model output that did not survive validation, kept visible with the reason."""

    source_id: str
    reason: str
    raw: str


class Usage(BaseModel):
    """Model cost of one stage, summed over calls."""

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0

    def add(self, other: Usage) -> Usage:
        return Usage(
            calls=self.calls + other.calls,
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            seconds=self.seconds + other.seconds,
        )


class Extraction(BaseModel):
    """Verified claims of one article, plus what was dropped and what it cost."""

    source_id: str
    claims: list[Claim]
    dropped: list[Dropped] = Field(default_factory=list)
    extracted: int = 0
    usage: Usage = Field(default_factory=Usage)
    cached: bool = False


class Group(BaseModel):
    """Claims from one or more sources about the same fact."""

    id: str
    status: GroupStatus
    topic: str
    claim_ids: list[str]
    # what the status rests on, e.g. "number:home", "date", "name", "wording"
    basis: str | None = None


class SummarySentence(BaseModel):
    text: str
    claim_ids: list[str]


class Source(BaseModel):
    id: str
    title: str | None = None
    outlet: str | None = None
    path: str | None = None
    duplicate_of: str | None = None


class Stats(BaseModel):
    articles: int = 0
    claims_extracted: int = 0
    claims_verified: int = 0
    claims_dropped: int = 0
    groups_agree: int = 0
    groups_conflict: int = 0
    groups_single: int = 0
    model_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_articles: int = 0
    seconds: float = 0.0
    model_seconds: float = 0.0  # wall time spent waiting on model calls (retries included)


class Method(BaseModel):
    model: str
    endpoint: str
    endpoint_kind: str
    prompt_version: str
    summary_mode: str
    adjudication: str | None = None  # what the optional model pass checked and changed, when it ran


class Brief(BaseModel):
    """The whole result; its JSON form is the stable contract for editorial tools."""

    schema_version: str = SCHEMA_VERSION
    sources: list[Source]
    claims: list[Claim]
    groups: list[Group]
    summary: list[SummarySentence]
    dropped: list[Dropped]
    stats: Stats
    method: Method

    def claim(self, claim_id: str) -> Claim:
        for c in self.claims:
            if c.id == claim_id:
                return c
        raise KeyError(claim_id)

    def to_markdown(self) -> str:
        from summarizer.writer import render_markdown

        return render_markdown(self)
