"""Scope: which event a claim is about, so that earlier and other events never join the story's groups.

- A claim that dates itself, in its opening clause (up to its first comma or semicolon), to another
  year than its article's ("The 2019 floods, which ...", "In September 2009 a quake ...", "Last year
  ...") is about another event: its era is that year. A year said later in a sentence dates only
  what is said there (frames.py reads it with the figure it belongs to). Nor is a claim of another
  era when it also names the story's
  own time ("on Tuesday", "today", "this week"): then the other year is background to the story's
  event ("killing five in a region devastated by the tsunami of 2004"). Years that only say when
  something began or how long it has lasted ("founded in 1990", "since 2004") date no other event.
- A claim that opens by pointing back ("It killed 40 people", "That quake ...") is about the event of
  the sentence right before it in its article, and takes that claim's era.
- A claim that says no time at all may be about any event: it is of no era, and may group with
  claims of any era ("received her degree from the University of Alabama" / "received a degree in
  1984 from the University of Alabama"). Figures of other years are still kept apart by their own
  frames (frames.py: a year said with the figure).
- Claims of different eras are never one fact, unless they name the same particular thing (a long
  name few claims use, or one name spelled two ways: "Hurricane Dennis in 2005" / "Hurricane Denis");
  claims of one background era may still group with each other (one earlier quake, two outlets).
- Where no article is dated, the story's year is the year most of its dated articles give; with no
  dated article at all, every claim is the story's.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from datetime import date

from summarizer.consensus.dating import is_start
from summarizer.consensus.values import parse_values
from summarizer.models import Claim, Value

Era = frozenset[str]
STORY: Era = frozenset()

# what a year says when it starts a span to now rather than dating an event
_SPAN_BEFORE = re.compile(
    r"\b(?:since|until|till|through|founded|established|began|started|created|opened)\s+(?:in\s+)?$", re.I
)
_POINTS_BACK = re.compile(r"^\s*(?:It|That|This|The same)\b(?!\s+(?:is|was)\s+(?:not|unclear|the first))")
_ADJACENT = 4  # characters between two sentences of one article


def _story_year(claims: list[Claim], published: Mapping[str, date | None]) -> int | None:
    years = Counter(d.year for c in claims if (d := published.get(c.source_id)) is not None)
    return years.most_common(1)[0][0] if years else None


_OPENING_END = re.compile(r"[,;:]\s|\s[-\u2013\u2014]\s")
_STORY_TIME = frozenset(["today", "tonight", "yesterday", "this-week", "this-month"])


def _foreign_years(claim: Claim, year: int) -> set[str]:
    found: set[str] = set()
    values = claim.values or parse_values(claim.quote)
    if any(v.kind == "date" and v.on is not None and (v.on.weekday or v.on.relative in _STORY_TIME) for v in values):
        return found  # the story's own day is named: other years are its background
    opening = _OPENING_END.search(claim.quote)
    limit = opening.start() if opening else len(claim.quote)
    for v in values:
        if v.kind != "date" or v.on is None or v.start >= limit:
            continue
        if v.on.relative == "last-year":
            found.add(str(year - 1))
        elif v.on.year is not None and v.on.year != year and not _is_span(claim, v):
            found.add(str(v.on.year))
    return found


def _says_story_time(claim: Claim, year: int) -> bool:
    """The claim names a time of the story: a weekday, "today", "this week", or a date of its year."""
    for v in claim.values or parse_values(claim.quote):
        if (
            v.kind == "date"
            and v.on is not None
            and (v.on.weekday or v.on.relative in _STORY_TIME or v.on.year == year)
        ):
            return True
    return False


def _is_span(claim: Claim, value: Value) -> bool:
    return bool(_SPAN_BEFORE.search(claim.quote[max(0, value.start - 24) : value.start])) or is_start(claim, value)


def eras(claims: list[Claim], published: Mapping[str, date | None]) -> dict[str, Era | None]:
    """Claim id -> its era: empty for the story's own event (it names the story's time), the other years
    it is about, or None when it says no time at all (then it may be about any event)."""
    story = _story_year(claims, published)
    if story is None:
        return {c.id: None for c in claims}
    found: dict[str, Era | None] = {}
    by_source: dict[str, list[Claim]] = {}
    for c in sorted(claims, key=lambda c: (c.source_id, c.start)):
        year = d.year if (d := published.get(c.source_id)) is not None else story
        foreign = _foreign_years(c, year)
        era: Era | None = frozenset(foreign) if foreign else (STORY if _says_story_time(c, year) else None)
        before = by_source.setdefault(c.source_id, [])
        if not foreign and before and _POINTS_BACK.match(c.quote) and 0 <= c.start - before[-1].end <= _ADJACENT:
            era = found[before[-1].id]  # "It killed 40 people": the event of the sentence before
        found[c.id] = era
        before.append(c)
    return found
