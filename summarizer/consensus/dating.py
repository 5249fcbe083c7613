"""Dating: which event a date belongs to, and whether two dates of one event disagree.

- Dates compare only when said next to the same words ("reopens Friday" / "reopens Monday"): "won
  on Friday" and "Saturday's semifinal" date two events, and so do two dates each after an act the
  are acts of two excluding kinds ("resumed on Tuesday" / "was halted on Monday"); one act said in
  other words keeps one date ("will be held on December 1" / "is scheduled for December 8").
- When something began ("founded in 1990" / "a staple since 1987") is one fact of a named thing.
"""

from __future__ import annotations

import re
from functools import lru_cache

from summarizer.consensus.similarity import STOPWORDS, WORD, long_names, stem
from summarizer.consensus.values import values_compatible
from summarizer.lexicon import GAME_CLOCK, outcome_family
from summarizer.models import Claim, Value


def _dates(claim: Claim) -> list[Value]:
    return [v for v in claim.values if v.kind == "date"]


def comparable_dates(a: Claim, b: Claim) -> bool:
    return any(values_compatible(x, y) is not None for x in _dates(a) for y in _dates(b))


def _date_context(claim: Claim, value: Value) -> set[str]:
    """Content words next to a date ("Saturday's semifinal", "defeated Drake on Friday"): which event it dates."""

    def content(text: str) -> list[str]:
        return [stem(w) for w in WORD.findall(text) if w.lower() not in STOPWORDS and len(w) > 2]

    return set(content(claim.quote[: value.start])[-2:] + content(claim.quote[value.end :])[:2])


def _date_names(claim: Claim, value: Value) -> set[str]:
    """Names said right next to a date ("Hurricane Dennis in 2005", "2004's Hurricane Ivan")."""
    return {
        n.text.lower()
        for n in claim.values
        if n.kind == "name" and (0 <= value.start - n.end <= 4 or 0 <= n.start - value.end <= 4)
    }


_START = re.compile(r"\b(?:found(?:ed|ing)|established|opened|launched|created|set up|since|began|started)\b", re.I)


def is_start(claim: Claim, value: Value) -> bool:
    """ "founded it in 1990", "a staple since 1987", "since its founding in 1990": when something began."""
    near = claim.quote[max(0, value.start - 30) : value.start] + " " + claim.quote[value.end : value.end + 20]
    return bool(_START.search(near))


def same_moment(a: Claim, b: Claim) -> bool:
    """The same game clock ("with 4:43 left in the first half" / "with 4:43 to play in the first half")."""
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


def _act_before(claim: Claim, value: Value) -> str | None:
    """The content word right before a date: the act it dates ("resumed" in "resumed on Tuesday")."""
    before = [stem(w) for w in WORD.findall(claim.quote[: value.start]) if w.lower() not in STOPWORDS and len(w) > 2]
    return before[-1] if before else None


def _opposed_acts(a: Claim, x: Value, b: Claim, y: Value) -> bool:
    """The two dates date acts of two excluding kinds (a start and a stop, an opening and a closing)."""
    acts = _act_before(a, x), _act_before(b, y)
    if acts[0] is None or acts[1] is None:
        return False
    fa, fb = outcome_family(acts[0]), outcome_family(acts[1])
    return fa is not None and fb is not None and fa[0] == fb[0] and fa[1] != fb[1]


def dates_disagree(a: Claim, b: Claim) -> bool:
    """Days that cannot both be true of one event. Days compare only when said next to the same words
    ("reopens Friday" / "reopens Monday"): "won on Friday" and "Saturday's semifinal" date two events."""
    xs, ys = _dates(a), _dates(b)
    verdicts = [values_compatible(x, y) for x in xs for y in ys if _same_event(a, x, b, y)]
    known = [v for v in verdicts if v is not None]
    return bool(known) and not any(known)
