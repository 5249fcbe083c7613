"""Figures: which figures of two claims measure the same thing, and whether they fit together.

- Two figures compare only when their frames match (see frames.py): the same measure of the same
  holder at the same time.
- A small count of a bare noun ("seven points") is too common to tie two claims or to set against
  another; an open bound ("up to 30,000") says little about a far smaller figure.
"""

from __future__ import annotations

from collections.abc import Iterable

from summarizer.consensus.frames import frame_key, frames_match
from summarizer.consensus.names import different_actors
from summarizer.consensus.values import values_compatible
from summarizer.models import Claim, Value

SMALL = 20  # a figure under this, of a bare noun, is too common to tell two facts apart


def _units(claim: Claim) -> set[str]:
    """The frames of the claim's figures (see frames.py), as keys."""
    return {k for v in claim.values if (k := frame_key(v))}


def matching(a: Claim, b: Claim) -> list[tuple[str, list[Value], list[Value]]]:
    """The figures of two claims whose frames match, per frame of the first: only these compare."""
    found: list[tuple[str, list[Value], list[Value]]] = []
    for key in sorted(_units(a)):
        xs = [x for x in a.values if frame_key(x) == key]
        ys = [y for y in b.values if y.frame and any(x.frame and frames_match(x.frame, y.frame) for x in xs)]
        if ys:
            found.append((key, xs, ys))
    return found


def shared_frames(a: Claim, b: Claim) -> set[str]:
    return {key for key, _, _ in matching(a, b)}


def same_figure(a: Claim, b: Claim) -> bool:
    """The very same figure of the same thing ("25,000 to 30,000 troops" in both), not a small one:
    strong evidence of one fact however differently the sentences are worded."""

    same = any(
        x.low == y.low and x.high == y.high and max(x.low or 0, x.high or 0) >= 100
        for _, xs, ys in matching(a, b)
        for x in xs
        for y in ys
    )
    return same and not different_actors(a, b)


def only_loose_fits(a: Claim, b: Claim, units: set[str]) -> bool:
    """True when the two claims' figures of these units fit together only the way any small figure
    fits under "up to 30,000" (or any large one over "more than 500"): a figure less than half of
    an open bound, or more than twice it. That is no sign of one fact: "up to 30,000 more personnel"
    and "another 6,000 construction soldiers" are different reports. Figures that contradict each
    other are not loose fits: those claims should meet, so the conflict is seen."""
    pairs = [
        (x, y)
        for x in a.values
        for y in b.values
        if x.frame and y.frame and frames_match(x.frame, y.frame) and frame_key(x) in units
    ]

    def loose(x: Value, y: Value) -> bool:
        for open_, point in ((x, y), (y, x)):
            size = point.high if point.high is not None else point.low
            if size is None or (open_.low is not None and open_.high is not None):
                continue
            if open_.low is None and open_.high is not None and size < open_.high / 2:
                return True
            if open_.high is None and open_.low is not None and size > open_.low * 2:
                return True
        return False

    return bool(pairs) and all(values_compatible(x, y) and loose(x, y) for x, y in pairs)


def untold_difference(xs: list[Value], ys: list[Value]) -> bool:
    """Only small counts of a bare noun that differ ("seven rebounds" / "11 rebounds"): too common to
    be one fact and too vague to be a conflict (see `telling`), so no sign that two claims meet."""
    pairs = [(x, y) for x in xs for y in ys]
    return bool(pairs) and all(not (telling(x) and telling(y)) and values_compatible(x, y) is False for x, y in pairs)


def bearings_disagree(xs: Iterable[Value], ys: Iterable[Value]) -> bool:
    """'40 km north of Marsden' against '40 km west of Marsden': one distance, two directions."""
    bx = {v.frame.bearing for v in xs if v.frame and v.frame.bearing}
    by = {v.frame.bearing for v in ys if v.frame and v.frame.bearing}
    return bool(bx) and bool(by) and not bx & by


def sets_disagree(xs: Iterable[Value], ys: Iterable[Value]) -> bool:
    """True when the two sides give values that can be compared and none of them fit together."""
    verdicts = [values_compatible(x, y) for x in xs for y in ys]
    known = [v for v in verdicts if v is not None]
    return bool(known) and not any(known)


_MANY_A_GAME = frozenset(("lead", "run"))  # scores a game has many of; the final and halftime it has one


def telling(v: Value) -> bool:
    """A small count of a bare noun ("seven points", "11 rebounds": whose? when?) can agree, not conflict."""
    if v.frame is None:
        return False
    if v.frame.noun == "score" and v.frame.event in _MANY_A_GAME and v.frame.when_said() is None:
        return False  # "pushed the lead to 58-47": a game has many leads; which moment is not said
    counted = v.frame.noun.replace(" ", "").isalpha() and v.frame.portion is None and v.measured_in is None
    # (not %, money, km, rates, nor a share of a whole)
    return v.frame.strong or not counted or max(v.low or 0, v.high or 0) >= SMALL
