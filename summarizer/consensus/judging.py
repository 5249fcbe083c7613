"""Judging: mark each group agree / conflict / single, and say what each side of a conflict says.

- A group of claims from several sources is a conflict when, for some measure they share, no figure
  in one source fits any figure in the other (ranges contain points, "about" allows +/-5%), or when
  they name different days for one event, different actors for one act, different titles for one
  person, opposite outcomes, swapped roles, or one says an act happened that the other says did
  not, or the two are one sentence but for one detail (see slots.py). Otherwise they agree: an
  agreement is checked like a conflict.
- A group of figures that agree is still a conflict when its claims give different days, opposite
  outcomes, swapped roles or one differing detail of the same statement.
- What a side says is its value (figure, date, name, title, outcome, detail), never its whole quote;
  a member that says nothing on the disputed point is no row of the conflict and is judged again. A
  source on both sides of a conflict is said to give more than one value.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from itertools import combinations

from summarizer.consensus.dating import dates_disagree
from summarizer.consensus.figures import bearings_disagree, matching, sets_disagree, telling
from summarizer.consensus.frames import frame_key, frames_match, key_text
from summarizer.consensus.names import (
    different_actors,
    distinct_names,
    person_titles,
    same_predicate_other_actor,
    spelled_names,
    spellings,
    title_conflict,
)
from summarizer.consensus.similarity import Similarity
from summarizer.consensus.slots import (
    aligned_figures_differ,
    minimal_difference,
    modality,
    negated,
    opposed_outcomes,
    stated_outcome,
    swapped_roles,
)
from summarizer.consensus.topics import frame_topic, wording_topic
from summarizer.models import Basis, BasisKind, Claim, Frame, Group, GroupStatus, Stance, Value


def compare(a: Claim, b: Claim, forms: Mapping[str, set[str]] | None = None) -> Basis | None:
    """The basis of a conflict between two claims about one fact, or None when they agree.
    `forms` (the words each source uses) lets a name spelled two ways count (see `spellings`)."""
    for key, xs, ys in matching(a, b):
        if sets_disagree([x for x in xs if telling(x)], [y for y in ys if telling(y)]):
            return Basis(kind="number", key=key)
        if bearings_disagree(xs, ys):
            return Basis(kind="direction", key=key)
    if not different_actors(a, b) and (aligned := aligned_figures_differ(a, b)):
        return aligned  # one figure of the same thing in each, worded alike: the same slot (slots.py)
    for kind, disagree in _OTHER_CONFLICTS:
        if disagree(a, b, forms):
            return Basis(kind=kind)
    return None


def _judge_frame(frame: Frame, cluster: list[Claim], figures: list[Value]) -> tuple[GroupStatus, Basis, list[Claim]]:
    key = key_text(frame)
    ids = {id(v) for v in figures}
    values = {c.id: [v for v in c.values if id(v) in ids and telling(v)] for c in cluster}
    checks: tuple[tuple[BasisKind, Callable[[list[Value], list[Value]], bool]], ...] = (
        ("number", sets_disagree),
        ("direction", bearings_disagree),
    )
    for kind, disagree in checks:
        sides = [
            c
            for c in cluster
            if any(o.source_id != c.source_id and disagree(values[c.id], values[o.id]) for o in cluster)
        ]
        if sides:
            return "conflict", Basis(kind=kind, key=key), sides + [c for c in cluster if c not in sides]
    for kind, opposed in _ACROSS_FIGURES:  # the same figure agrees; what is said of it may not
        sides = [c for c in cluster if any(o.source_id != c.source_id and opposed(c, o) for o in cluster)]
        if sides:
            return "conflict", Basis(kind=kind), sides + [c for c in cluster if c not in sides]
    return "agree", Basis(kind="number", key=key), cluster


# what two claims giving the same figure may still disagree on: the outcome, and who did what to whom
_ACROSS_FIGURES: tuple[tuple[BasisKind, Callable[[Claim, Claim], bool]], ...] = (
    ("date", lambda a, b: dates_disagree(a, b)),
    ("outcome", lambda a, b: opposed_outcomes(a, b)),
    ("role", lambda a, b: swapped_roles(a, b)),
    ("detail", lambda a, b: minimal_difference(a, b) is not None),
)


def judge(clusters: list[list[Claim]], framed: Sequence[tuple[Frame, list[Claim], list[Value]]] = ()) -> list[Group]:
    """Mark each cluster agree / conflict / single, put conflict sides first, and number the groups.

    Frame groups (`framed`) are judged on their figures alone; a wording cluster that is a subset of
    a frame group, or whose only disagreement is a figure a frame group already shows, is dropped."""
    every = list({c.id: c for cluster in [*clusters, *(m for _, m, _ in framed)] for c in cluster}.values())
    sim = Similarity(every)
    source_of = {c.id: c.source_id for c in every}
    groups: list[Group] = []
    covered: list[set[str]] = []
    status: GroupStatus
    basis: Basis | None
    for frame, members, figures in framed:
        status, basis, ordered = _judge_frame(frame, members, figures)
        groups.append(_group(status, frame_topic(frame, members), ordered, basis, sim, frame))
        covered.append({c.id for c in members})
    in_frames = set().union(*covered) if covered else set()
    work = list(clusters)
    while work:
        cluster = work.pop(0)
        ids = {c.id for c in cluster}
        sources = {c.source_id for c in cluster}
        if len(sources) == 1 and ids <= in_frames:
            continue  # its figures are already compared with other sources'
        if any(ids <= cover for cover in covered):
            continue
        judged = _judge_cluster(cluster, sim, in_frames)
        status, basis, cluster, rest = judged
        work.extend(_regroup(rest))
        if cluster:
            groups.append(_group(status, wording_topic(cluster, sim), cluster, basis, sim))
    order = {"conflict": 0, "agree": 1, "single": 2}
    groups.sort(key=lambda g: (order[g.status], -len({source_of[c] for c in g.claim_ids})))
    for i, g in enumerate(groups, start=1):
        g.id = f"g{i}"
    return groups


# conflicts that are not about figures, in the order they are looked for
_OTHER_CONFLICTS: tuple[tuple[BasisKind, Callable[[Claim, Claim, Mapping[str, set[str]] | None], bool]], ...] = (
    ("date", lambda a, b, _: dates_disagree(a, b)),
    ("name", lambda a, b, _: same_predicate_other_actor(a, b)),
    ("title", lambda a, b, _: title_conflict(a, b)),
    ("spelling", spellings),
    ("negation", lambda a, b, _: modality(a) == modality(b) and negated(a, b)),
    ("outcome", lambda a, b, _: opposed_outcomes(a, b)),
    ("role", lambda a, b, _: swapped_roles(a, b)),
    ("detail", lambda a, b, _: minimal_difference(a, b) is not None),
)


def _group(
    status: GroupStatus,
    topic: str,
    members: list[Claim],
    basis: Basis | None,
    sim: Similarity,
    frame: Frame | None = None,
) -> Group:
    stances = stances_of(members, basis, sim.forms, frame) if status == "conflict" else {}
    return Group(
        id="",
        status=status,
        topic=topic,
        claim_ids=[c.id for c in members],
        judged_on=basis,
        frame=frame,
        stances=stances,
    )


def stances_of(
    members: Sequence[Claim],
    basis: Basis | None,
    forms: Mapping[str, set[str]] | None = None,
    frame: Frame | None = None,
) -> dict[str, Stance]:
    """Each member's side and what it says: a claim joins the first side none of whose claims it
    contradicts ("about 2,400" sides with "2,400", not against it); one that contradicts every side
    starts a new one."""
    sides: list[list[Claim]] = []
    for c in members:
        home = next((side for side in sides if not any(compare(c, o, forms) for o in side)), None)
        if home is None:
            sides.append([c])
        else:
            home.append(c)
    on_sides: dict[str, set[int]] = {}
    for i, side in enumerate(sides):
        for c in side:
            on_sides.setdefault(c.source_id, set()).add(i)
    stances: dict[str, Stance] = {}
    for i, side in enumerate(sides):
        for c in side:
            # a source set against itself says so (Group.says_in_table)
            several = len(on_sides[c.source_id]) > 1
            stances[c.id] = Stance(side=i, says=side_text(c, basis, members, frame), several=several)
    return stances


# words that open a figure mid-sentence ("about 2,400 homes"): a side's text starts lower-case then
LOWER_FIRST = frozenset(
    """about around roughly approximately nearly almost some an estimated up as at more over less under
    fewer between from""".split()
)


def _regroup(rest: list[Claim]) -> list[list[Claim]]:
    """Claims set aside from a group, to be judged again: together when of several sources, else alone."""
    if not rest:
        return []
    return [rest] if len({c.source_id for c in rest}) > 1 else [[c] for c in rest]


def _judge_cluster(
    cluster: list[Claim], sim: Similarity, in_frames: set[str]
) -> tuple[GroupStatus, Basis | None, list[Claim], list[Claim]]:
    """A wording cluster's status and basis, its members (conflict sides first) and the claims set aside
    to be judged again."""
    sources = {c.source_id for c in cluster}
    if len(sources) == 1:
        return "single", None, cluster, []
    basis = next(
        (
            found
            for a, b in combinations(cluster, 2)
            if a.source_id != b.source_id and (found := compare(a, b, sim.forms))
        ),
        None,
    )
    if basis is None:
        return "agree", Basis(kind="wording"), cluster, []
    if basis.kind in ("number", "direction") and any(c.id in in_frames for c in cluster):
        # that figure's dispute is shown by its frame group; the claims outside it are judged again
        return "conflict", basis, [], [c for c in cluster if c.id not in in_frames]
    sides = [c for c in cluster if any(o.source_id != c.source_id and compare(c, o, sim.forms) for o in cluster)]
    others = [c for c in cluster if c not in sides]
    valued = [c for c in others if side_text(c, basis, cluster)]
    # a member that says nothing on the disputed point is no row of the conflict: it is judged again
    return "conflict", basis, sides + valued, [c for c in others if c not in valued]


def side_text(claim: Claim, basis: Basis | None, others: Sequence[Claim], frame: Frame | None = None) -> str:
    """What one side of a conflict says: its figures, dates or names for the disputed fact. A figure
    in the group's frame counts though its own frame says less ("McBride, a senior guard, now owns 2,129
    career points": whose points is not read, so its key lacks the owner)."""
    texts: list[str] = []
    kind = basis.kind if basis else None
    if kind == "number":
        texts = [v.text for v in claim.values if basis and frame_key(v) == basis.key]
        if not texts and frame is not None:
            texts = [v.text for v in claim.values if v.frame and frames_match(v.frame, frame)]
        if not texts and basis is not None:  # an aligned figure (slots.py): its key is the counted noun
            texts = [v.text for v in claim.values if v.kind == "number" and v.noun == basis.key]
    elif kind == "direction":
        texts = [f"{v.text} {v.frame.bearing}" for v in claim.values if v.frame and v.frame.bearing]
    elif kind == "date":
        texts = [v.text for v in claim.values if v.kind == "date"]
    elif kind == "spelling":
        texts = spelled_names(claim, others)
    elif kind == "name":
        texts = distinct_names(claim, others) or ([claim.attributed_to] if claim.attributed_to else [])
    elif kind == "title":
        texts = [f"{title} ({name.title()})" for name, title in person_titles(claim).items()]
    elif kind in ("negation", "outcome", "role"):
        texts = stated_outcome(claim, others, kind)
    elif kind == "detail":
        texts = [d[0] for o in others if o.source_id != claim.source_id if (d := minimal_difference(claim, o))][:1]
    texts = [t[0].lower() + t[1:] if t.split()[0].lower() in LOWER_FIRST else t for t in texts]
    return " and ".join(dict.fromkeys(texts))
