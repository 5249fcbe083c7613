"""Consensus: group claims about the same fact across sources and mark agree / conflict / single.

The rules are meant to be read by an editor:
- Two claims from different sources are about the same fact when their wording is close
  (similarity >= LINK), or when they count the same thing (same unit: homes, troops, USD)
  and their wording overlaps somewhat (UNIT_LINK), or both give comparable dates and overlap
  (DATE_LINK), or they give the very same figure of the same thing (a rate such as "patients a
  day", or a count of 100 or more: "25,000 to 30,000 troops") and overlap a little, or they start
  the same predicate after differently named actors ("Mayor X ordered the evacuation" / "The Y
  Authority ordered the evacuation").
- A group of claims from several sources is a conflict when, for some unit they share, no figure
  in one source is compatible with any figure in the other (see `values_compatible`: ranges contain
  points, "about" allows +/-5%), or when they name different days for the same event; when the
  same statement credits different actors, that is a name conflict; when both name the same
  person with different titles ("chief executive Helen Marsh" / "Helen Marsh, the chief operating
  officer"), that is a title conflict. Otherwise they agree.
- Figures do not tie two claims together when each names a different actor doing the thing
  ("the union is demanding a 7% raise" / "the transit authority offered a 3% raise"): those are
  different facts, however alike the figures. Whom a claim credits ("X said") is not its actor.
  Nor does counting the same thing when the figures only fit the way any small figure fits under
  a far higher "up to" bound ("up to 30,000 more personnel" / "another 6,000 soldiers").
- Groups form by average linkage (a group's claims must link on average), then a claim left
  alone joins a group of several sources when it links strongly to one member counting the same
  thing ("approximately 12,000 troops" to one of four outlets' "11,000 troops").
- A claim that no other source matches is single-source.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from itertools import combinations

from summarizer.models import Claim, Group, GroupStatus, Value
from summarizer.values import parse_values, values_compatible

# Similarity is the cosine of IDF-weighted content words (IDF over the brief's own claims, so
# words every article uses, like the town's name, count for little); figures and dates are left
# out of the words so that two claims giving different numbers can still be about one fact.
LINK = 0.5
NEAR = 0.3  # below LINK but this close: a merge the optional model pass may confirm
UNIT_LINK = 0.15
DATE_LINK = 0.2
PREDICATE_WORDS = 3
TOPIC_WORDS = 6  # a group's topic is at most this many of its shared words
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
STOPWORDS = frozenset(
    """a an the and or but of to in on at for from by with as is are was were be been being has have had
    will would could should may might can this that these those it its their his her they them he she we
    our you your i not no than then there here which who whom whose what when where while after before
    into over under about up down out more most some any all each other such also said says say told
    according per new one two three just very since until during because so if do does did""".split()
)


def stem(word: str) -> str:
    """A deliberately crude stemmer: enough to match 'homes'/'home' and 'reopens'/'reopen'."""
    w = word.lower().strip("'’-")
    for suffix in ("'s", "’s"):
        w = w.removesuffix(suffix)
    if len(w) > 5 and w.endswith("ing"):
        return w[:-3]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith("ed"):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
        return w[:-1]
    return w


def content_words(text: str) -> set[str]:
    return {stem(w) for w in _WORD.findall(text) if w.lower() not in STOPWORDS and len(w) > 2}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _units(claim: Claim) -> set[str]:
    return {v.unit for v in claim.values if v.kind == "number" and v.unit}


def _dates(claim: Claim) -> list[Value]:
    return [v for v in claim.values if v.kind == "date"]


def _tokens(claim: Claim) -> list[tuple[str, str, int]]:
    """(stem, word, offset) of each content word in the quote, figures and dates left out."""
    masks = tuple((v.start, v.end) for v in claim.values if v.kind in ("number", "date"))
    return _masked_tokens(claim.quote, masks)


@lru_cache(maxsize=8192)
def _masked_tokens(quote: str, masks: tuple[tuple[int, int], ...]) -> list[tuple[str, str, int]]:
    # cached: clustering asks for the same claim's words once per pair it scores
    masked = list(quote)
    for start, end in masks:
        masked[start:end] = " " * (end - start)
    text = "".join(masked)
    return [
        (stem(m.group(0)), m.group(0), m.start())
        for m in _WORD.finditer(text)
        if m.group(0).lower() not in STOPWORDS and len(m.group(0)) > 2
    ]


class _Similarity:
    """Cosine similarity of IDF-weighted content-word sets, IDF taken over the claims at hand."""

    def __init__(self, claims: list[Claim]) -> None:
        self.words = {c.id: {t[0] for t in _tokens(c)} for c in claims}
        df: Counter[str] = Counter()
        for ws in self.words.values():
            df.update(ws)
        n = len(claims)
        self.idf = {w: math.log((n + 1) / (d + 1)) + 1 for w, d in df.items()}

    def __call__(self, a: Claim, b: Claim) -> float:
        wa, wb = self.words[a.id], self.words[b.id]
        shared = sum(self.idf[w] ** 2 for w in wa & wb)
        norm = math.sqrt(sum(self.idf[w] ** 2 for w in wa) * sum(self.idf[w] ** 2 for w in wb))
        return shared / norm if norm else 0.0


def _same_predicate_other_actor(a: Claim, b: Claim) -> bool:
    """'Mayor X ordered the evacuation of ...' vs 'The Y Authority ordered the evacuation of ...':
    the same first words after differently named actors."""
    ta, tb = _tokens(a), _tokens(b)
    sa, sb = {t[0] for t in ta}, {t[0] for t in tb}
    ia = next((i for i, t in enumerate(ta) if t[0] in sb), None)
    ib = next((i for i, t in enumerate(tb) if t[0] in sa), None)
    if not ia or not ib:
        return False
    actor_a, actor_b = {t[0] for t in ta[:ia]}, {t[0] for t in tb[:ib]}
    if actor_a & actor_b or actor_a & sb or actor_b & sa:
        return False
    if not (_names_before(a, ta[ia][2]) and _names_before(b, tb[ib][2])):
        return False
    if ta[ia][1][0].isupper() or tb[ib][1][0].isupper():
        return False  # the shared words start with a name, not an action
    pa = [t[0] for t in ta[ia : ia + PREDICATE_WORDS]]
    pb = [t[0] for t in tb[ib : ib + PREDICATE_WORDS]]
    return len(pa) == PREDICATE_WORDS and pa == pb


def _names_before(claim: Claim, offset: int) -> bool:
    return any(v.kind == "name" and v.start < offset for v in claim.values)


TITLE_WORDS = frozenset(
    """chief executive officer operating financial director president vice chair chairman chairwoman
    chairperson spokesperson spokesman spokeswoman minister secretary mayor governor manager head
    commissioner superintendent deputy treasurer administrator sheriff chancellor principal dean
    general senior managing editor founder owner captain commander colonel general lieutenant""".split()
)
_TITLE_AFTER = re.compile(r"^,?\s*(?:the|a|an|its|their)?\s*((?:[A-Za-z-]+\s+){0,4}?[A-Za-z-]+)\s*(?:[,.;:]|\bof\b|$)")


def _title_before(quote: str, start: int) -> str | None:
    words = re.findall(r"[A-Za-z-]+", quote[max(0, start - 60) : start])
    taken: list[str] = []
    for word in reversed(words):
        if word.lower() not in TITLE_WORDS:
            break
        taken.insert(0, word.lower())
    return " ".join(taken) or None


def _title_after(quote: str, end: int) -> str | None:
    m = _TITLE_AFTER.match(quote[end : end + 80])
    if not m or quote[end : end + 1] != ",":
        return None
    words = m.group(1).lower().split()
    return " ".join(words) if words and all(w in TITLE_WORDS for w in words) else None


def person_titles(claim: Claim) -> dict[str, str]:
    """Person name (lower case) -> the title the quote gives them, read next to the name:
    "chief executive Helen Marsh" or "Helen Marsh, the chief operating officer"."""
    names = tuple((v.text, v.start, v.end) for v in claim.values if v.kind == "name")
    return dict(_titles(claim.quote, names))


@lru_cache(maxsize=8192)
def _titles(quote: str, names: tuple[tuple[str, int, int], ...]) -> tuple[tuple[str, str], ...]:
    found: dict[str, str] = {}
    for text, start, end in names:
        title = _title_before(quote, start) or _title_after(quote, end)
        if title:
            found[text.lower()] = title
    return tuple(found.items())


def _title_conflict(a: Claim, b: Claim) -> bool:
    ta, tb = person_titles(a), person_titles(b)
    return any(name in tb and tb[name] != title for name, title in ta.items())


def _actors(claim: Claim) -> set[str]:
    """Names in the quote that are not whom the claim credits: who does what it reports."""
    credit = (claim.attributed_to or "").lower()
    return {v.text.lower() for v in claim.values if v.kind == "name" and v.text.lower() not in credit}


def _different_actors(a: Claim, b: Claim) -> bool:
    xa, xb = _actors(a), _actors(b)
    return bool(xa) and bool(xb) and not any(x in y or y in x for x in xa for y in xb)


def _same_figure(a: Claim, b: Claim) -> bool:
    """The very same figure of the same thing ("25,000 to 30,000 troops" in both), not a small one:
    strong evidence of one fact however differently the sentences are worded."""

    def figures(c: Claim) -> set[tuple[str, float | None, float | None]]:
        return {
            ((v.unit or "").removesuffix(" (additional)"), v.low, v.high)
            for v in c.values
            if v.kind == "number" and v.unit and max(v.low or 0, v.high or 0) >= 100
        }

    return not _different_actors(a, b) and bool(figures(a) & figures(b))


def _comparable_dates(a: Claim, b: Claim) -> bool:
    return any(values_compatible(x, y) is not None for x in _dates(a) for y in _dates(b))


def _only_loose_fits(a: Claim, b: Claim, units: set[str]) -> bool:
    """True when the two claims' figures of these units fit together only the way any small figure
    fits under "up to 30,000" (or any large one over "more than 500"): a figure less than half of
    an open bound, or more than twice it. That is no sign of one fact: "up to 30,000 more personnel"
    and "another 6,000 construction soldiers" are different reports. Figures that contradict each
    other are not loose fits: those claims should meet, so the conflict is seen."""
    pairs = [
        (x, y)
        for x in a.values
        for y in b.values
        if x.kind == y.kind == "number" and x.unit == y.unit and x.unit in units
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


def link_score(a: Claim, b: Claim, sim: _Similarity) -> float:
    """How strongly two claims of different sources look like one fact (>= LINK: the same fact).

    Wording alone must reach LINK; counting the same unit or giving comparable dates lowers the
    wording needed to UNIT_LINK or DATE_LINK; the same predicate after other actors is a link.
    """
    score = sim(a, b)
    shared_units = set() if _different_actors(a, b) else _units(a) & _units(b)
    if _same_figure(a, b):
        score += LINK  # the very same large figure of the same thing: one fact, however worded
    elif any("/" in u for u in shared_units) and score >= UNIT_LINK / 3:
        score += LINK - UNIT_LINK / 3  # the same rate ("patients a day") is a strong sign of one measure
    elif shared_units and score >= UNIT_LINK and not _only_loose_fits(a, b, shared_units):
        score += LINK - UNIT_LINK
    elif _comparable_dates(a, b) and score >= DATE_LINK:
        score += LINK - DATE_LINK
    if _same_predicate_other_actor(a, b) or _title_conflict(a, b):
        score = max(score, LINK)
    return score


def _cluster(claims: list[Claim], sim: _Similarity) -> list[list[Claim]]:
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
            return _attach_lone_claims(clusters, scores)
        i, j = pair
        clusters[i] = clusters[i] + clusters[j]
        del clusters[j]
        keys[i] = next_key
        next_key += 1
        del keys[j]


def _attach_lone_claims(clusters: list[list[Claim]], scores: dict[tuple[str, str], float]) -> list[list[Claim]]:
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
            counted = [c for c in group if _units(c) & _units(claim)]  # only figures of the same thing
            top = max((scores[(claim.id, c.id)] for c in counted), default=0.0)
            if top >= LINK and (best is None or top > best[0]):
                best = (top, group)
        if best is not None:
            best[1].append(claim)
            clusters.remove(lone)
    return clusters


def _sets_disagree(xs: Iterable[Value], ys: Iterable[Value]) -> bool:
    """True when the two sides give values that can be compared and none of them fit together."""
    verdicts = [values_compatible(x, y) for x in xs for y in ys]
    known = [v for v in verdicts if v is not None]
    return bool(known) and not any(known)


def compare(a: Claim, b: Claim) -> str | None:
    """The basis of a conflict between two claims about one fact, or None when they agree."""
    for unit in sorted(_units(a) & _units(b)):
        xs = [v for v in a.values if v.kind == "number" and v.unit == unit]
        ys = [v for v in b.values if v.kind == "number" and v.unit == unit]
        if _sets_disagree(xs, ys):
            return f"number:{unit}"
    if _sets_disagree(_dates(a), _dates(b)):
        return "date"
    if _same_predicate_other_actor(a, b):
        return "name"
    if _title_conflict(a, b):
        return "title"
    return None


def _topic(claims: list[Claim], sim: _Similarity) -> str:
    """The words every claim of the group shares, else those most of its claims share (else any
    two), as the first claim orders them."""
    counts: Counter[str] = Counter()
    for c in claims:
        counts.update(sim.words[c.id])
    shared: set[str] = set()
    for need in dict.fromkeys((len(claims), len(claims) // 2 + 1, 2)):
        shared = {w for w, n in counts.items() if n >= need}
        if shared:
            break
    last: dict[str, tuple[int, str]] = {}
    for stem_, word, offset in _tokens(claims[0]):
        if stem_ in shared or not shared:
            last[stem_] = (offset, word)
    words = [word for _, word in sorted(last.values())]
    return " ".join(words[:TOPIC_WORDS])


def _with_unit(topic: str, unit: str) -> str:
    """A short topic of a disputed count says what is counted: "North Korean" becomes "North Korean troops"."""
    noun = unit.split(" (")[0]
    named = {stem(w) for w in topic.split()}
    if len(topic.split()) >= 3 or not noun.isalpha() or noun == "person" or stem(noun) in named:
        return topic  # "person" stands for workers, members, residents: the topic already names them
    plural = noun if noun.endswith("s") else noun + "s"
    return f"{topic} {plural}".strip()


def distinct_names(claim: Claim, others: Iterable[Claim]) -> list[str]:
    """Names this claim gives that the other claims do not: the sides of a name conflict."""
    elsewhere = {v.text.lower() for o in others if o.id != claim.id for v in o.values if v.kind == "name"}
    return [v.text for v in claim.values if v.kind == "name" and v.text.lower() not in elsewhere]


def group_claims(claims: list[Claim]) -> list[Group]:
    """Union claims that are about the same fact, then judge each group."""
    for c in claims:
        c.values = parse_values(c.quote)  # re-parsed, so parser fixes reach cached extractions too
    return judge(_cluster(claims, _Similarity(claims)))


def near_misses(singles: list[Claim], claims: list[Claim]) -> list[tuple[Claim, Claim]]:
    """Pairs of single-source claims from different sources that nearly linked (NEAR <= score <
    LINK), closest first: the merges worth a second opinion (see adjudicator.py)."""
    sim = _Similarity(claims)
    scored = [(link_score(a, b, sim), a, b) for a, b in combinations(singles, 2) if a.source_id != b.source_id]
    return [(a, b) for score, a, b in sorted(scored, key=lambda t: -t[0]) if NEAR <= score < LINK]


def judge(clusters: list[list[Claim]]) -> list[Group]:
    """Mark each cluster agree / conflict / single, put conflict sides first, and number the groups."""
    sim = _Similarity([c for cluster in clusters for c in cluster])
    groups: list[Group] = []
    for cluster in clusters:
        sources = {c.source_id for c in cluster}
        status: GroupStatus = "single" if len(sources) == 1 else "agree"
        basis: str | None = None if len(sources) == 1 else "wording"
        if len(sources) > 1:
            for a, b in combinations(cluster, 2):
                if a.source_id == b.source_id:
                    continue
                found = compare(a, b)
                if found:
                    status, basis = "conflict", found
                    break
            if status == "conflict":
                # the sides first: claims that take part in the conflict, then the rest of the group
                sides = [c for c in cluster if any(o.source_id != c.source_id and compare(c, o) for o in cluster)]
                cluster = sides + [c for c in cluster if c not in sides]
        topic = _topic(cluster, sim)
        if basis and basis.startswith("number:"):
            topic = _with_unit(topic, basis.split(":", 1)[1])
        groups.append(Group(id="", status=status, topic=topic, claim_ids=[c.id for c in cluster], basis=basis))
    order = {"conflict": 0, "agree": 1, "single": 2}
    groups.sort(key=lambda g: (order[g.status], -len({c.rsplit(":", 1)[0] for c in g.claim_ids})))
    for i, g in enumerate(groups, start=1):
        g.id = f"g{i}"
    return groups
