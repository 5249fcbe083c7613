"""Dating: which event a date belongs to, and whether two dates of one event disagree.

- Dates compare only when said next to the same words ("reopens Friday" / "reopens Monday"): "won
  on Friday" and "Saturday's semifinal" date two events, and so do two dates each after an act the
  are acts of two excluding kinds ("resumed on Tuesday" / "was halted on Monday") or each an act the
  other never names ("was announced on September 9" / "ships on September 20"); a verb that only
  places the event in time keeps one date ("will be held on December 1" / "is scheduled for
  December 8").
- When something began ("founded in 1990" / "a staple since 1987") is one fact of a named thing.
"""

from __future__ import annotations

import re
from functools import lru_cache

from summarizer.consensus.similarity import STOPWORDS, WORD, long_names, stem
from summarizer.consensus.values import values_compatible
from summarizer.lexicon import GAME_CLOCK, SCHEDULING_VERBS, outcome_family
from summarizer.models import Claim, Value


def _dates(claim: Claim) -> list[Value]:
    return [v for v in claim.values if v.kind == "date"]


def comparable_dates(a: Claim, b: Claim) -> bool:
    return any(values_compatible(x, y) is not None for x in _dates(a) for y in _dates(b))


def _date_context(claim: Claim, value: Value) -> set[str]:
    """Common words next to a date in its clause ("Saturday's semifinal", "reopens on Friday"): which event
    it dates. Names are left out (a place or a person is in every sentence of a story: see
    `_date_names`), and so is anything past a comma."""

    def content(text: str) -> list[str]:
        return [stem(w) for w in WORD.findall(text) if w.lower() not in STOPWORDS and len(w) > 2 and w[0].islower()]

    before = claim.quote[: value.start].rsplit(", ", 1)[-1]
    after = claim.quote[value.end :].split(", ", 1)[0]
    return set(content(before)[-2:] + content(after)[:2])


def _date_names(claim: Claim, value: Value) -> set[str]:
    """Names said right next to a date ("Hurricane Dennis in 2005", "2004's Hurricane Ivan")."""
    return {
        n.text.lower()
        for n in claim.values
        if n.kind == "name" and (0 <= value.start - n.end <= 4 or 0 <= n.start - value.end <= 4)
    }


_START = re.compile(r"\b(?:found(?:ed|ing)|established|opened|launched|created|set up|since|began|started)\b", re.I)


def is_start(claim: Claim, value: Value) -> bool:
    """ "founded it in 1990", "a staple since 1987", "since it was founded in 1990", "founded the Bayou
    Rural Health Clinic in Alabama in 1990": when something began (a start word in the date's clause)."""
    before = claim.quote[: value.start]
    clause_start = max(before.rfind(", "), before.rfind("; "), value.start - 80)
    near = claim.quote[max(0, clause_start) : value.start] + " " + claim.quote[value.end : value.end + 20]
    return bool(_START.search(near))


def same_moment(a: Claim, b: Claim) -> bool:
    """The same game clock ("with 6:12 left in the second period" / "with 6:12 to play in the second period")."""
    ca, cb = _clocks(a.quote), _clocks(b.quote)
    return any(x == y or (x[0] == y[0] and None in (x[1], y[1])) for x in ca for y in cb)


@lru_cache(maxsize=8192)
def _clocks(quote: str) -> frozenset[tuple[str, str | None]]:
    return frozenset((m.group(1), m.group(2)) for m in GAME_CLOCK.finditer(quote))


def start_dates(a: Claim, b: Claim) -> bool:
    """Two claims dating the start of the same named thing ("founded the Bayou Rural Health Clinic in
    1990" / "the Bayou Rural Health Clinic has been a staple since 1987")."""
    return (
        bool(long_names(a) & long_names(b))
        and any(is_start(a, x) for x in _dates(a))
        and any(is_start(b, y) for y in _dates(b))
    )


def _same_event(a: Claim, x: Value, b: Claim, y: Value) -> bool:
    if is_start(a, x) and is_start(b, y) and long_names(a) & long_names(b):
        return True
    na, nb = _date_names(a, x), _date_names(b, y)
    if na and nb:
        return bool(na & nb)  # "Hurricane Dennis in 2005" and "Hurricane Ivan in 2004": two storms
    if _opposed_acts(a, x, b, y):
        return False  # "resumed on Tuesday" / "was halted on Monday": a start and a stop, two events
    return bool(_date_context(a, x) & _date_context(b, y))


_ACT_BEFORE = re.compile(r"\b([a-z][a-z'’-]+)\s+(?:(?:on|in|for|at|by|since|until|from)\s+)?$")


def _act_before(claim: Claim, value: Value) -> str | None:
    """The word that dates an act, right before a date or its preposition ("resumed" in "resumed on
    Tuesday", "ships" in "ships on September 20"); none when a name or a noun phrase stands there."""
    m = _ACT_BEFORE.search(claim.quote[: value.start])
    if m is None or m.group(1) in STOPWORDS:
        return None
    return stem(m.group(1))


def _opposed_acts(a: Claim, x: Value, b: Claim, y: Value) -> bool:
    """The two dates date two acts: of two excluding kinds (a start and a stop), or each an act the other
    claim never names ("was announced on September 9" / "ships on September 20"), unless a verb only
    places the event in time ("will be held on" / "is scheduled for")."""
    acts = _act_before(a, x), _act_before(b, y)
    if acts[0] is None or acts[1] is None:
        return False
    fa, fb = outcome_family(acts[0]), outcome_family(acts[1])
    if fa is not None and fb is not None and fa[0] == fb[0] and fa[1] != fb[1]:
        return True
    if any(act in SCHEDULING_VERBS for act in acts):
        return False
    return acts[0] not in _stems(b) and acts[1] not in _stems(a)


def _stems(claim: Claim) -> set[str]:
    return {stem(w) for w in WORD.findall(claim.quote)}


def dates_disagree(a: Claim, b: Claim) -> bool:
    """Days that cannot both be true of one event. Days compare only when said next to the same words
    ("reopens Friday" / "reopens Monday"): "won on Friday" and "Saturday's semifinal" date two events."""
    xs, ys = _dates(a), _dates(b)
    verdicts = [values_compatible(x, y) for x in xs for y in ys if _same_event(a, x, b, y)]
    known = [v for v in verdicts if v is not None]
    return bool(known) and not any(known)
