"""Timeline: is a conflict a dispute between sources, or one figure that moved as reports came in?

A toll of 1, then 3, then 5, then 24 over two days is not four outlets disagreeing: it is one count
rising. The rules, for an editor:

- Every source is dated: its `published` day (the `Date:` header, or the API's field), else a full
  date said near the top of its text (a dateline or an "Updated" stamp: "July 3, 2013").
- A conflict on figures is **superseded** when they count something that moves with time (people
  killed, injured, arrested, evacuated or displaced, things damaged or destroyed, the cost of the
  damage, votes counted, cases) and the reports of the newest day agree with one another on a figure
  larger than every earlier report's. Each side must be dated, and the newest day must be later
  than every other side's: a conflict between articles of one day stays a **dispute**, and so does
  a figure that fell, or one that is no running count (a magnitude, a price, a score).
- It is also superseded when an article says so itself: its figure "rose to", "climbed to", "now
  stands at", or it tells what "earlier reports said". That report's figure is then the latest,
  whatever the dates.
- Every other conflict is a dispute. Each side of a conflict carries its article's day.

This reads the consensus output (groups, their frames and stances) and only adds to it: the kind
of each conflict and the date of each side.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from summarizer.models import Article, Claim, ConflictKind, Frame, Group, Source, Value

# Events whose counts grow as reports come in (frame events, see frames.py), and nouns counted so.
MOVING_EVENTS = frozenset("killed injured evacuated displaced arrested rescued damaged destroyed".split())
MOVING_NOUNS = frozenset("vote ballot case arrest casualty fatality death evacuee".split())
MOVING_MEASURES = frozenset(["damage"])  # the cost of the damage ("$2 billion in damage")

# An article that says its figure is an update: "the toll rose to 24", "earlier reports said five".
_UPDATE = re.compile(
    r"\b(?:(?:rose|risen|rises|rising|climbed|climbs|jumped|increased|grew|grown|swelled|revised(?:\s+(?:up|upward))?)"
    r"\s+to|up\s+from|now\s+(?:stands|stood)\s+at|has\s+(?:now\s+)?reached|"
    r"(?:earlier|initial|previous|first)\s+reports?\s+(?:said|put|gave|had|spoke)|"
    r"(?:earlier|initially|previously)\s+(?:said|reported|put|given)|raising\s+the\s+(?:death\s+)?(?:toll|count|number)|"
    r"updated\s+(?:count|figure|toll|total|tally|estimate|number)|"
    r"(?:higher|lower|more|fewer|up|down)\s+(?:than|from)\s+(?:the\s+)?(?:first|initial|earlier|previous)(?:ly)?\s+"
    r"(?:reported|said|given|announced|figure|count|estimate)|"
    r"than\s+the\s+(?:figure|count|number|estimate)\s+(?:it|they|he|she|officials|police)\s+(?:had\s+)?(?:gave|given))\b",
    re.IGNORECASE,
)
_TEXT_DATE = re.compile(
    r"\b(?:\d{4}-\d{2}-\d{2}|\d{1,2}\s+[A-Z][a-z]{2,8}\.?,?\s+\d{4}|[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4})\b"
)
_DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y")
TOP_OF_TEXT = 400  # characters: a date said this near the top dates the article (a dateline, a stamp)


def parse_day(text: str | None) -> date | None:
    """A day written as ISO ("2013-07-02", a timestamp after it is ignored) or in words ("July 2, 2013")."""
    if not text:
        return None
    cleaned = re.sub(r"[.,]", " ", text.strip()[:10] if re.match(r"\d{4}-\d{2}-\d{2}", text.strip()) else text)
    cleaned = " ".join(cleaned.split())
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    return None


def article_date(article: Article) -> date | None:
    """The day an article is dated to: its `published` day, else a full date near the top of its text."""
    published = parse_day(article.published)
    if published is not None:
        return published
    for found in _TEXT_DATE.finditer(article.text[:TOP_OF_TEXT]):
        day = parse_day(found.group(0))
        if day is not None:
            return day
    return None


def moves_with_time(frame: Frame | None) -> bool:
    """Whether a frame counts something that grows as reports come in (a toll, arrests, damage, votes)."""
    if frame is None or frame.portion is not None or frame.when is not None:
        return False  # a share of the whole, or another event's figure
    nouns = {frame.noun, frame.noun.removesuffix("s")}
    return frame.event in MOVING_EVENTS or bool(nouns & MOVING_NOUNS) or frame.measure in MOVING_MEASURES


def says_updated(claim: Claim) -> bool:
    """The claim tells its figure is an update ("the toll rose to 24", "earlier reports said five")."""
    return bool(_UPDATE.search(claim.quote))


@dataclass(frozen=True)
class _Reading:
    """One side's claim in a conflict on figures: its day and the range its figures span."""

    claim: Claim
    day: date | None
    low: float
    high: float


def _figures(claim: Claim, group: Group) -> list[Value]:
    """The claim's figures in the group's frame (the figures the conflict is about)."""
    key = group.judged_on.key if group.judged_on else None
    measure = group.frame.measure if group.frame else None
    return [
        v
        for v in claim.values
        if v.kind == "number"
        and v.frame is not None
        and ("|".join(x or "" for x in v.frame.key()).rstrip("|") == key or v.frame.measure == measure)
    ]


def _bounds(claim: Claim, group: Group) -> list[float]:
    return [b for v in _figures(claim, group) for b in (v.low, v.high) if b is not None]


def _reading(claim: Claim, group: Group, day: date | None) -> _Reading | None:
    bounds = _bounds(claim, group)
    return _Reading(claim, day, min(bounds), max(bounds)) if bounds else None


def _latest(group: Group, claims: Mapping[str, Claim], days: Mapping[str, date | None]) -> list[_Reading]:
    """The readings of the side whose figure supersedes the others' (none when the conflict is a dispute)."""
    if group.judged_on is None or group.judged_on.kind != "number":
        return []
    members = [claims[cid] for cid in group.claim_ids if cid in claims]
    readings = [r for c in members if (r := _reading(c, group, days.get(c.source_id))) is not None]
    if len({r.claim.source_id for r in readings}) < 2:
        return []
    if moves_with_time(group.frame) and all(r.day is not None for r in readings):
        newest = max(r.day for r in readings if r.day is not None)
        latest = [r for r in readings if r.day == newest]
        earlier = [r for r in readings if r.day != newest]
        one_side = len({group.stances[r.claim.id].side for r in latest if r.claim.id in group.stances}) <= 1
        if earlier and one_side and all(r.high < min(x.low for x in latest) for r in earlier):
            return latest
    # an article that says its figure replaces an earlier one, and is no older than the others
    said = [
        r for r in readings if says_updated(r.claim) and not any(o.day and r.day and o.day > r.day for o in readings)
    ]
    side = {group.stances[r.claim.id].side for r in said if r.claim.id in group.stances}
    if said and len(side) <= 1:
        return [r for r in readings if group.stances.get(r.claim.id) and group.stances[r.claim.id].side in side] or said
    return []


def conflict_kind(group: Group, claims: Mapping[str, Claim], days: Mapping[str, date | None]) -> ConflictKind:
    """Dispute or superseded, by the rules at the top of this module."""
    return "superseded" if _latest(group, claims, days) else "dispute"


def date_sources(sources: Sequence[Source], articles: Sequence[Article]) -> tuple[list[Source], dict[str, date | None]]:
    """Each source with the day it is dated to, and the days by source id."""
    by_id = {a.id: a for a in articles}
    days = {s.id: article_date(by_id[s.id]) if s.id in by_id else None for s in sources}
    dated = [s.model_copy(update={"date": d.isoformat() if (d := days[s.id]) else None}) for s in sources]
    return dated, days


def _newest_first(group: Group, claims: Mapping[str, Claim], days: Mapping[str, date | None]) -> list[str]:
    """A superseded conflict's claim ids with the latest figure's claims first, then the earlier
    reports newest first, so a table of its sides (and the JSON) starts with the figure that stands."""

    def order(cid: str) -> tuple[bool, int, float, bool]:
        claim, stance = claims.get(cid), group.stances.get(cid)
        if claim is None or stance is None:
            return True, 0, 0.0, True
        day = days.get(claim.source_id)
        exact = any(v.qualifier == "exact" for v in _figures(claim, group))
        top = max(_bounds(claim, group), default=0.0)
        return stance.side != group.latest_side, -(day.toordinal() if day else 0), -top, not exact

    return sorted(group.claim_ids, key=order)


def mark_conflicts(groups: Sequence[Group], claims: Sequence[Claim], days: Mapping[str, date | None]) -> list[Group]:
    """Every conflict with its kind, and each of its sides with its article's day; a superseded
    conflict lists the latest figure's claims first."""
    by_id = {c.id: c for c in claims}
    marked: list[Group] = []
    for g in groups:
        if g.status != "conflict":
            marked.append(g)
            continue
        stances = {
            cid: s.model_copy(update={"date": d.isoformat() if (d := days.get(by_id[cid].source_id)) else None})
            for cid, s in g.stances.items()
            if cid in by_id
        }
        g = g.model_copy(update={"stances": stances})
        latest = _latest(g, by_id, days)
        side = g.stances[latest[0].claim.id].side if latest and latest[0].claim.id in g.stances else None
        g = g.model_copy(update={"kind": "superseded" if latest else "dispute", "latest_side": side})
        marked.append(g.model_copy(update={"claim_ids": _newest_first(g, by_id, days)}) if latest else g)
    return marked


# --- in words ----------------------------------------------------------------------------------


@dataclass
class Step:
    """One figure of an update: what it says, who said it, on which day, and its lowest bound."""

    says: str
    names: list[str]
    day: date | None
    low: float = 0.0


MAX_STEPS_A_DAY = 3  # more figures than this on one earlier day read as a range: "dozens to around 50"


def _earlier_steps(earlier: list[Claim], group: Group, names: Mapping[str, str]) -> list[Step]:
    """The earlier reports' figures, one step per figure and day (the same figure said two ways is
    one step: "dozens" and "Dozens", "around 50" and "at least 50"), a crowded day as one range."""
    steps: list[Step] = []
    for c in earlier:
        day, says = parse_day(group.stances[c.id].date), group.stances[c.id].says
        low = min(_bounds(c, group), default=0.0)
        name = names.get(c.source_id, c.source_id)
        same = steps and steps[-1].day == day and (steps[-1].says.lower() == says.lower() or steps[-1].low == low)
        if same:
            steps[-1].names.append(name)
        else:
            steps.append(Step(says, [name], day, low))
    ranged: list[Step] = []
    for day in dict.fromkeys(s.day for s in steps):
        that_day = [s for s in steps if s.day == day]
        if len(that_day) > MAX_STEPS_A_DAY:
            tellers = [n for s in that_day for n in s.names]
            that_day = [Step(f"{that_day[0].says} to {that_day[-1].says}", tellers, day, that_day[0].low)]
        ranged.extend(that_day)
    return ranged


def _day_text(day: date | None, with_year: bool) -> str:
    return "" if day is None else f"{day.day} {day:%B}" + (f" {day.year}" if with_year else "")


def update_steps(group: Group, claims: Mapping[str, Claim], names: Mapping[str, str]) -> list[Step]:
    """A superseded conflict's figures in the order they were reported, the latest last: one step per
    figure and day (see `_earlier_steps`), the latest side as one step giving its most precise figure.
    `names` maps source ids to the names prose uses. Empty unless the conflict is superseded."""
    if group.kind != "superseded" or group.latest_side is None:
        return []
    members = [claims[cid] for cid in group.claim_ids if cid in claims and cid in group.stances]

    def order(c: Claim) -> tuple[date, float, bool]:
        bounds = _bounds(c, group)
        figures = _figures(c, group)
        day = parse_day(group.stances[c.id].date) or date.min
        return day, min(bounds, default=0.0), any(v.qualifier == "exact" for v in figures)

    latest = [c for c in members if group.stances[c.id].side == group.latest_side]
    earlier = sorted((c for c in members if group.stances[c.id].side != group.latest_side), key=order)
    steps = _earlier_steps(earlier, group, names)
    if latest:
        best = max(latest, key=order)
        tellers = list(dict.fromkeys(names.get(c.source_id, c.source_id) for c in latest))
        steps.append(Step(group.stances[best.id].says, tellers, max(order(c)[0] for c in latest)))
    for step in steps:
        step.names[:] = list(dict.fromkeys(step.names))
    return steps


def update_line(group: Group, claims: Mapping[str, Claim], names: Mapping[str, str]) -> str:
    """ "Updated: 1 (SunStar, 2 July) → 24 (BBC, 3 July); the latest reports give 24." ("" unless superseded)"""
    steps = update_steps(group, claims, names)
    if not steps:
        return ""
    years = {s.day.year for s in steps if s.day and s.day != date.min}
    parts = []
    for s in steps:
        day = _day_text(s.day if s.day != date.min else None, len(years) > 1)
        parts.append(f"{s.says} ({', '.join(s.names + ([day] if day else []))})")
    return f"Updated: {' → '.join(parts)}; the latest reports give {steps[-1].says}."


def update_sentence(group: Group, claims: Mapping[str, Claim], names: Mapping[str, str]) -> str:
    """The summary's sentence on a superseded figure, latest first: "The latest reports give 24 for people
    killed (The Independent and BBC News); earlier reports gave at least one (SunStar), ..." ("" unless superseded)."""
    steps = update_steps(group, claims, names)
    if not steps:
        return ""
    latest, earlier = steps[-1], steps[:-1]
    said = [f"{s.says} ({', '.join(s.names)})" for s in earlier]
    listed = said[0] if len(said) == 1 else ", ".join(said[:-1]) + f" and {said[-1]}"
    return (
        f"The latest reports give {latest.says} for {group.topic} ({' and '.join(latest.names)}); "
        f"earlier reports gave {listed}."
    )
