"""Pydantic contracts between the pipeline stages: articles -> claims -> groups -> brief."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SCHEMA_VERSION = "3"

MatchKind = Literal["exact", "normalized", "fuzzy"]
GroupStatus = Literal["agree", "conflict", "single"]
OwnerKind = Literal["area", "place", "agent"]
# a figure that is only a share of the total: "25,000 more troops" (more), "25 of the injured" (part)
# "change": a difference, not a level ("$50 cheaper", "won by three points"); "expected": a forecast, target
# or expectation, not an outcome; "previous": the level a change started from ("rose from 5% to 7%");
# "listed": one of several figures a sentence pairs up with several things ("$299 and $399")
Portion = Literal["more", "part", "change", "expected", "previous", "listed"]
# "invalid": model output that failed a check and was not kept; "repaired": a fix was made and the claim
# kept; "skipped": article text never offered to the model
DropKind = Literal["invalid", "repaired", "skipped"]
# what a group's status rests on: figures of one frame, a compass direction, days, who did it, a title,
# a name spelled two ways, yes against no, opposite outcomes (approved / rejected), who did what to whom
# (swapped parties), one detail of one sentence ("lap 12" / "lap 21"), or wording alone
BasisKind = Literal[
    "number", "direction", "date", "name", "title", "spelling", "negation", "outcome", "role", "detail", "wording"
]
# what a count counts beyond its noun: the dead and hurt ("4,700 soldiers killed or wounded"), an
# increment ("25,000 more troops")
Aspect = Literal["casualties", "additional", "change", "expected", "previous", "listed"]
# a conflict's kind: sources disagreeing ("dispute"), or a figure that moved as reports came in, the newer
# report giving the later figure ("superseded": a toll of 5, then 24)
ConflictKind = Literal["dispute", "superseded"]
# where a claim comes from in the end: a news agency it credits ("according to AFP"), another outlet it
# credits ("CNN reported"), a person ("Arif Wiranata Sastro said") or a body ("the disaster agency said") it
# credits, or its own outlet ("own") when it credits nobody
OriginKind = Literal["agency", "outlet", "person", "body", "own"]


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


class Frame(BaseModel):
    """What a figure counts, whose it is and when (see frames.py): figures compare only within one frame."""

    measure: str  # in words: "people killed", "magnitude", "depth", "funding (USD)", "point", "troop (more)"
    noun: str = ""  # what is counted or measured: "people", "magnitude", "depth", "USD", "point"
    portion: Portion | None = None  # only a share of the whole: "25,000 more troops", "25 of the injured"
    event: str | None = None  # what happened to it, when the text says: "killed", "injured", "funding"
    owner: str | None = None  # whose figure: a place, a person, an organisation ("rowan", "brandt")
    # "area" (a district, a village: must match exactly), "place" (where it happened: may go unsaid),
    # "agent" (whose: a figure with none may be anyone's)
    owner_kind: OwnerKind | None = None
    when: str | None = None  # the time it belongs to when not the story's own event ("2004", "2013-04-20", "now")
    part: str | None = None  # the stretch of a game it belongs to: "during a 15-2 run", "in the second half"
    clock: str | None = None  # the game clock of a score: "9:12" (from "with 9:12 to play")
    bearing: str | None = None  # a compass direction given with a distance ("40 km north of Marsden")
    strong: bool = True  # False when the measure is only a counted noun: the wording must match as well

    def when_said(self) -> str | None:
        """The figure's time in words, one of a date, a stretch of the game or its clock."""
        if self.part is not None:
            return f"part: {self.part}"
        if self.clock is not None:
            return f"clock {self.clock}"
        return self.when

    def key(self) -> tuple[str, str | None, str | None]:
        return (self.measure, self.owner, self.when_said())

    def describe(self) -> str:
        """The frame in words, for a group's topic: "people killed (Rowan, 2004)", "points (Brandt)"."""
        measure = self.measure
        if measure == self.noun and measure.isalpha() and measure not in _MASS_NOUNS:
            measure = (
                "people"
                if measure == "person"
                else measure[:-1] + "ies"
                if measure.endswith("y")
                else (measure if measure.endswith("s") else measure + "s")
            )
        when = self.part or (f"at {self.clock}" if self.clock else self.when) or ""
        owner = self.owner.title() if self.owner and self.owner.lower() not in measure.lower() else None
        extra = [x for x in (owner, when) if x]
        return measure + (f" ({', '.join(extra)})" if extra else "")


# nouns a figure measures rather than counts: no plural in a topic ("magnitude", not "magnitudes")
_MASS_NOUNS = frozenset("magnitude depth age length area weight duration speed distance record height".split())


class DateParts(BaseModel):
    """A date as the text gives it; any part may be missing ("Friday", "July 4", "May 2012", "2004")."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: str | None = None  # "friday"
    relative: str | None = None  # "last-year", "yesterday"

    def key(self) -> str:
        """The date as one normalised string: "weekday:friday", "2025-07", "2025-07-04", "year:2025",
        "month:07", "month:07-04", "relative:last-year"."""
        if self.weekday:
            return f"weekday:{self.weekday}"
        if self.relative:
            return f"relative:{self.relative}"
        month = f"{self.month:02d}" if self.month is not None else ""
        day = f"-{self.day:02d}" if self.day is not None else ""
        if self.year is None:
            return f"month:{month}{day}"
        return f"{self.year}-{month}{day}" if month else f"year:{self.year}"


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
    # "score": a game score ("65-53"), low and high are its two figures, compared only as a pair
    qualifier: Literal["exact", "approx", "range", "up_to", "at_least", "more_than", "less_than", "score"] = "exact"
    noun: str | None = None  # what is counted or measured: "home", "USD", "%", "m", "score"
    per: str | None = None  # a rate's period: "patients a day" -> noun "patient", per "day"
    aspect: Aspect | None = None  # "killed or wounded" -> "casualties"; "25,000 more troops" -> "additional"
    # measurements (lengths, areas, masses, durations, speeds): low/high are in the base unit named by
    # ("m", "m2", "kg", "s", "km/h"); `measured_in` is the unit the text used ("mile")
    measured_in: str | None = None
    # dates: what the text says of the day
    on: DateParts | None = None
    # numbers: what the figure counts, whose it is and when (None where nothing could be read)
    frame: Frame | None = None

    # for readers, as the JSON contract has them: "troop (casualties)", "patient/day"; "2025-07-04",
    # "weekday:friday". Written from `noun`, `per`, `aspect` and `on`, never read by the code (a brief
    # stored before those fields existed keeps its own)
    unit: str | None = None
    date: str | None = None

    @model_validator(mode="after")
    def _write_for_readers(self) -> Value:
        if self.noun is not None:
            self.unit = self.noun + (f"/{self.per}" if self.per else "") + (f" ({self.aspect})" if self.aspect else "")
        if self.on is not None:
            self.date = self.on.key()
        return self


class RawClaim(BaseModel):
    """A claim as the model returned it, before grounding."""

    model_config = ConfigDict(extra="ignore")

    sentence: int | None = None
    quote: str | None = None
    text: str | None = None
    attributed_to: str | None = None
    hedge: str | None = None


class Origin(BaseModel):
    """Where a claim comes from in the end (see provenance.py): claims of one origin are one confirmation."""

    name: str  # for readers: "AFP", "Arif Wiranata Sastro", "the disaster agency", "SunStar"
    key: str  # what origins are compared on: "afp", "person:nugroho", "body:disaster agency", "own:sunstar"
    kind: OriginKind
    # the source whose text this claim's sentence nearly copies, when it does: its origin is that one's
    via: str | None = None


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
    origin: Origin | None = None  # None in a brief stored before origins were read


def claim_id(source_id: str, number: int) -> str:
    """The id of an article's `number`-th verified claim ("courier:c3"): ids are made here and never read apart."""
    return f"{source_id}:c{number}"


class Dropped(BaseModel):
    """A model output that did not survive validation, kept visible with the reason."""

    source_id: str
    reason: str
    raw: str
    # None: not recorded (a brief stored before kinds were): read as a drop, its reason says what it was
    kind: DropKind | None = None

    @property
    def is_drop(self) -> bool:
        """Model output that failed a check and was not kept (not a repair, not text never offered)."""
        return self.kind not in ("repaired", "skipped")


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
    """Verified claims of one article, plus what was dropped and what it cost.

    Claims are numbered in order: the n-th has the id `claim_id(source_id, n)`."""

    source_id: str
    claims: list[Claim]
    dropped: list[Dropped] = Field(default_factory=list)
    extracted: int = 0
    usage: Usage = Field(default_factory=Usage)
    cached: bool = False


class Basis(BaseModel):
    """What a group's status rests on; `key` names the frame of the figures for "number" and "direction"."""

    model_config = ConfigDict(frozen=True)

    kind: BasisKind
    key: str | None = None  # a frame key ("people killed||2004", see frames.key_text)

    def __str__(self) -> str:
        return self.kind if self.key is None else f"{self.kind}:{self.key}"


class Stance(BaseModel):
    """One claim's part in a conflict: which side it takes and what it says on the disputed point."""

    side: int  # claims that do not contradict one another share a side (0, 1, ...)
    says: str  # "2,400 homes", "Friday", "Marta Kells"; the quote itself when nothing narrower is known
    date: str | None = None  # the day of the claim's article ("2013-07-02"), when it is known
    origin: str | None = None  # the name of the claim's origin ("AFP", "the police"), when it was read
    # its source gives values on more than one side of this conflict (a source set against itself)
    several: bool = False


class Group(BaseModel):
    """Claims from one or more sources about the same fact."""

    id: str
    status: GroupStatus
    topic: str
    claim_ids: list[str]
    judged_on: Basis | None = None  # None for a single-source group
    # for a group of figures: what they count, whose and when (see frames.py)
    frame: Frame | None = None
    # a conflict's sides, worked out once by consensus: claim id -> its stance (empty unless a conflict)
    stances: dict[str, Stance] = Field(default_factory=dict)
    # a conflict's kind (timeline.py): a dispute, or a figure superseded by a later report; None otherwise
    kind: ConflictKind | None = None
    latest_side: int | None = None  # a superseded conflict's side that gives the latest figure
    # provenance (provenance.py), for groups of several sources: how many outlets state it, and the
    # independent origins behind them ("3 outlets, 2 independent: AFP and the disaster agency")
    outlets: int | None = None
    independent: int | None = None
    origins: list[str] = Field(default_factory=list)

    def says_in_table(self, claim: Claim) -> str:
        """What a claim says, as a conflict's table shows it: with a note when its source gives more than one value."""
        stance = self.stances.get(claim.id)
        return self.says(claim) + (
            " (this source gives more than one)" if stance is not None and stance.several else ""
        )

    def says(self, claim: Claim) -> str:
        """What a claim says on this conflict's disputed point (its quote where no stance was worked out)."""
        stance = self.stances.get(claim.id)
        return stance.says if stance is not None else f"“{claim.quote}”"

    # `judged_on` in one string, as the JSON contract has it: "number:home", "date", "wording". Written
    # from it, never read by the code (a brief stored before `judged_on` existed keeps its own)
    basis: str | None = None

    @model_validator(mode="after")
    def _write_basis(self) -> Group:
        if self.judged_on is not None:
            self.basis = str(self.judged_on)
        return self


class SummarySentence(BaseModel):
    text: str
    claim_ids: list[str]


class CopiedRun(BaseModel):
    """A run of sentences nearly copied from another source: [start, end) here, [source_start, source_end) there."""

    start: int
    end: int
    source_start: int
    source_end: int
    sentences: int  # how many of this run's sentences match one of the source's
    similarity: float  # the mean similarity of those sentences (shared word triples / all of both)


class Derivation(BaseModel):
    """This source nearly copies another one's text, in part (`runs`) or as a whole (`whole`)."""

    source_id: str  # the source copied from
    whole: bool  # most of this article is a near-copy of that source's
    share: float  # the share of this article's sentence text inside the copied runs
    runs: list[CopiedRun] = Field(default_factory=list)


class Source(BaseModel):
    id: str
    title: str | None = None
    outlet: str | None = None
    path: str | None = None
    duplicate_of: str | None = None
    date: str | None = None  # the day the source is dated to ("2013-07-02"): `published`, or a date in its text
    derived_from: list[Derivation] = Field(default_factory=list)  # near-copied text (provenance.py)


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
        """The brief as Markdown, by the renderer plugged in with `use_markdown_renderer`."""
        if _markdown_renderer is None:
            raise RuntimeError("no Markdown renderer: import the summarizer package, which plugs one in")
        return _markdown_renderer(self)


# The Markdown renderer reads these models, so the models cannot import it without a cycle: the
# package's __init__ plugs it in here instead, and it runs before any of its modules is imported.
_markdown_renderer: Callable[[Brief], str] | None = None


def use_markdown_renderer(render: Callable[[Brief], str]) -> None:
    """Make `render` what `Brief.to_markdown` calls."""
    global _markdown_renderer
    _markdown_renderer = render
