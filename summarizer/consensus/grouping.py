"""Grouping: tie claims of different sources that report one fact.

- Two claims are about the same fact when their wording is close (>= LINK), or when they count the
  same thing and their wording overlaps somewhat (UNIT_LINK), or both give comparable dates and
  overlap (DATE_LINK), or they give the very same large figure of the same thing.
- Figures do not tie two claims together when each names a different actor doing the thing.
- Claims of different eras (scope.py) and different facts (slots.py: a forecast or a demand against
  an outcome, others' figures, incomparable kinds of figures) never link; two claims that are one
  sentence but for one detail always do.
- Groups form by average linkage; a claim left alone joins a group of several sources when it links
  strongly to one member counting the same thing. A source never contradicts itself: two of its
  claims that would clash are about different facts.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from itertools import combinations

from summarizer.consensus.dating import comparable_dates, same_moment, start_dates
from summarizer.consensus.figures import matching, only_loose_fits, same_figure, shared_frames, untold_difference
from summarizer.consensus.frames import agent, assign_frames, frame_key, frames_match
from summarizer.consensus.judging import compare, judge
from summarizer.consensus.names import different_actors, same_predicate_other_actor, spellings, title_conflict
from summarizer.consensus.scope import eras
from summarizer.consensus.similarity import DATE_LINK, LINK, NEAR, UNIT_LINK, WEAK_LINK, Similarity
from summarizer.consensus.slots import different_facts, minimal_difference
from summarizer.consensus.values import parse_values
from summarizer.models import Claim, Frame, Group, Value


def link_score(a: Claim, b: Claim, sim: Similarity) -> float:
    """How strongly two claims of different sources look like one fact (>= LINK: the same fact).

    Wording alone must reach LINK; counting the same unit or giving comparable dates lowers the
    wording needed to UNIT_LINK or DATE_LINK; the same predicate after other actors is a link.
    """
    detail = minimal_difference(a, b) is not None  # one sentence but for one detail: one fact (slots.py)
    spelled = spellings(a, b, sim.forms)  # one name spelled two ways: that name is the fact, whatever else
    if not (detail or spelled) and not sim.same_era(a, b) and not sim.shares_rare_name(a, b):
        return 0.0  # one is about another event than the other, and they name no one thing (scope.py)
    score = sim(a, b)
    others = different_actors(a, b)
    if not spelled and different_facts(a, b, others):
        return 0.0  # an expectation against an outcome, others doing an act many do, ... (slots.py)
    found = [] if others else matching(a, b)
    shared_units = {key for key, xs, ys in found if not untold_difference(xs, ys)}
    # a span of time of no named act ("for about 30 minutes") is in every story: it needs more wording
    spans = all(
        x.noun == "s" and x.frame and not x.frame.strong for key, xs, _ in found if key in shared_units for x in xs
    )
    unit_link = WEAK_LINK if spans else UNIT_LINK
    rate = any(x.per for _, xs, _ in found for x in xs)  # both give a rate of one frame ("patients a day")
    if same_figure(a, b):
        score += LINK  # the very same large figure of the same thing: one fact, however worded
    elif rate and score >= UNIT_LINK / 3:
        score += LINK - UNIT_LINK / 3  # the same rate ("patients a day") is a strong sign of one measure
    elif shared_units and score >= unit_link and not only_loose_fits(a, b, shared_units):
        score += LINK - unit_link
    elif comparable_dates(a, b) and score >= DATE_LINK:
        score += LINK - DATE_LINK
    tied = same_predicate_other_actor(a, b) or title_conflict(a, b) or start_dates(a, b)
    tied = tied or spellings(a, b, sim.forms)
    phrase = sim.shares_rare_phrase(a, b) and not only_loose_fits(a, b, shared_frames(a, b))
    if tied or detail or sim.shares_rare_name(a, b) or same_moment(a, b) or phrase:
        score = max(score, LINK)
    return score


def _cluster(claims: list[Claim], sim: Similarity) -> list[list[Claim]]:
    """Average-linkage clustering over cross-source pairs: two groups merge only when their claims
    link on average, so one loose link cannot chain unrelated facts into one group.

    Pair scores, same-source contradictions and group linkages are each computed once (a merge
    only adds the new group's linkages), so a few hundred claims cluster in well under a second."""
    clusters: list[list[Claim]] = [[c] for c in claims]
    keys = list(range(len(clusters)))  # a stable key per cluster, for the linkage cache
    next_key = len(clusters)
    scores: dict[tuple[str, str], float] = {}
    clashes: set[frozenset[str]] = set()
    for a, b in combinations(claims, 2):
        if a.source_id != b.source_id:
            scores[(a.id, b.id)] = scores[(b.id, a.id)] = link_score(a, b, sim)
        elif compare(a, b):
            clashes.add(frozenset((a.id, b.id)))

    def linkage(x: list[Claim], y: list[Claim]) -> float:
        if clashes and any(frozenset((a.id, b.id)) in clashes for a in x for b in y):
            return 0.0  # a source does not contradict itself: such claims are about different facts
        pairs = [scores[(a.id, b.id)] for a in x for b in y if a.source_id != b.source_id]
        if len(pairs) < len(x) * len(y) / 2:  # mostly the same sources on both sides: not one fact
            return 0.0
        return sum(pairs) / len(pairs) if pairs else 0.0

    cache: dict[tuple[int, int], float] = {}
    while True:
        best, pair = LINK, None
        for i, j in combinations(range(len(clusters)), 2):
            key = (keys[i], keys[j])
            value = cache.get(key)
            if value is None:
                value = cache[key] = linkage(clusters[i], clusters[j])
            if value >= best:
                best, pair = value, (i, j)
        if pair is None:
            return _attach_lone_claims(clusters, scores, sim.forms)
        i, j = pair
        clusters[i] = clusters[i] + clusters[j]
        del clusters[j]
        keys[i] = next_key
        next_key += 1
        del keys[j]


def _attach_lone_claims(
    clusters: list[list[Claim]], scores: dict[tuple[str, str], float], forms: Mapping[str, set[str]]
) -> list[list[Claim]]:
    """A claim left alone that links strongly (>= LINK) to a member of a group of several sources
    counting the same thing, from a source the group lacks, joins that group. Average linkage alone
    would leave one outlet's "approximately 12,000 troops" outside four outlets' "11,000 troops",
    and the conflict unseen."""
    for lone in [cluster for cluster in clusters if len(cluster) == 1]:
        claim = lone[0]
        best: tuple[float, list[Claim]] | None = None
        for group in clusters:
            sources = {c.source_id for c in group}
            if len(sources) < 2 or claim.source_id in sources:
                continue
            # only figures of the same thing, or the same name spelled another way
            counted = [c for c in group if shared_frames(c, claim) or spellings(c, claim, forms)]
            top = max((scores[(claim.id, c.id)] for c in counted), default=0.0)
            if top >= LINK and (best is None or top > best[0]):
                best = (top, group)
        if best is not None:
            best[1].append(claim)
            clusters.remove(lone)
    return clusters


def group_claims(claims: list[Claim], published: dict[str, date | None] | None = None) -> list[Group]:
    """Group claims about the same fact, then judge each group.

    Figures are grouped by frame first (a claim with several figures may sit in several such groups:
    "killing five and injuring dozens" is in the dead and in the injured); then claims are clustered
    by wording. A wording cluster that only repeats a frame group is left out."""
    dates = published or {}
    for c in claims:
        # read here, once, and never cached, so parser fixes reach cached extractions too
        c.values = assign_frames(c.quote, parse_values(c.quote), dates.get(c.source_id))
    sim = Similarity(claims, eras(claims, dates))
    framed = _frame_groups(claims, sim)
    clusters = _cluster(claims, sim)
    return judge(clusters, framed)


def _frame_groups(claims: list[Claim], sim: Similarity) -> list[tuple[Frame, list[Claim], list[Value]]]:
    """Figures of several sources whose frames match (see frames.py), with their claims. A weak frame
    (only a counted noun) also needs the claims' wording to overlap (UNIT_LINK). Figures join one
    group only while its frames stay consistent: "24 people" may join the dead or the injured, not
    tie the two together."""
    nodes = [(c, v, v.frame) for c in claims for v in c.values if v.frame is not None and frame_key(v)]
    parent = list(range(len(nodes)))
    events: list[set[str]] = [{f.event} if f.event else set() for _, _, f in nodes]
    agents: list[set[str]] = [{who} if (who := agent(f)) else set() for _, _, f in nodes]

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for (i, (a, x, fa)), (j, (b, y, fb)) in combinations(enumerate(nodes), 2):
        same_figure = x.low == y.low and x.high == y.high
        if a.source_id == b.source_id or not frames_match(fa, fb, same_figure) or not sim.same_era(a, b):
            continue
        if different_facts(a, b, different_actors(a, b)):
            continue  # a demand against a sentence, other people's figures, ... (slots.py)
        ri, rj = find(i), find(j)
        if ri == rj or len(events[ri] | events[rj]) > 1 or len(agents[ri] | agents[rj]) > 1:
            continue
        if only_loose_fits(a, b, {frame_key(x) or ""}):
            continue
        if not same_figure and different_actors(a, b) and not (fa.owner and fb.owner) and not (fa.event and fb.event):
            continue  # "the union demands 7%" / "the authority offered 3%": other actors' figures
        if untold_difference([x], [y]):
            continue  # "seven rebounds" / "11 rebounds": small counts that differ may be anyone's; no one fact
        same_figure = same_figure and (max(x.low or 0, x.high or 0) >= 100 or x.qualifier == "score")
        need = 0.0 if fa.strong and fb.strong else WEAK_LINK
        if same_figure or sim(a, b) >= need:
            parent[ri] = rj
            events[rj] |= events[ri]
            agents[rj] |= agents[ri]
    components: dict[int, list[int]] = {}
    for i in range(len(nodes)):
        components.setdefault(find(i), []).append(i)
    groups: list[tuple[Frame, list[Claim], list[Value]]] = []
    for members in components.values():
        if len({nodes[i][0].source_id for i in members}) < 2:
            continue
        frame = max((nodes[i][2] for i in members), key=lambda f: (bool(f.event), f.strong))
        claims_in = list({nodes[i][0].id: nodes[i][0] for i in members}.values())
        groups.append((frame, claims_in, [nodes[i][1] for i in members]))
    return groups


def near_misses(singles: list[Claim], claims: list[Claim]) -> list[tuple[Claim, Claim]]:
    """Pairs of single-source claims from different sources that nearly linked (NEAR <= score <
    LINK), closest first: the merges worth a second opinion (see adjudicator.py)."""
    sim = Similarity(claims)
    scored = [(link_score(a, b, sim), a, b) for a, b in combinations(singles, 2) if a.source_id != b.source_id]
    return [(a, b) for score, a, b in sorted(scored, key=lambda t: -t[0]) if NEAR <= score < LINK]
