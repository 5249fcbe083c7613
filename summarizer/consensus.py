"""Consensus: group claims about the same fact across sources and mark agree / conflict / single.

The rules are meant to be read by an editor:
- Two claims from different sources are about the same fact when their wording overlaps a lot
  (WORDING_LINK), or when they count the same thing (same unit, e.g. homes, troops, USD) or give a
  date and their wording overlaps somewhat (VALUE_LINK).
- A group of claims from several sources is a conflict when, for some unit they share, no figure
  in one source is compatible with any figure in the other (see `values_compatible`: ranges contain
  points, "about" allows +/-5%), or when they name different days for the same event; when the
  same statement credits different actors, that is a name conflict. Otherwise they agree.
- A claim that no other source matches is single-source.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import combinations

from summarizer.models import Claim, Group, GroupStatus, Value
from summarizer.values import parse_values, values_compatible

WORDING_LINK = 0.45
VALUE_LINK = 0.15
NAME_CONFLICT_LINK = 0.3
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


def _actors(claim: Claim) -> set[str]:
    names = {v.text.lower() for v in claim.values if v.kind == "name"}
    if claim.attributed_to:
        names.add(claim.attributed_to.lower())
    return names


def _linked(a: Claim, b: Claim, words: dict[str, set[str]]) -> bool:
    sim = jaccard(words[a.id], words[b.id])
    if sim >= WORDING_LINK:
        return True
    if sim >= VALUE_LINK and _units(a) & _units(b):
        return True
    return sim >= VALUE_LINK * 2 and bool(_dates(a)) and bool(_dates(b))


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
    actors_a, actors_b = _actors(a), _actors(b)
    if actors_a and actors_b and not (actors_a & actors_b):
        rest_a = content_words(a.quote) - content_words(" ".join(actors_a))
        rest_b = content_words(b.quote) - content_words(" ".join(actors_b))
        if jaccard(rest_a, rest_b) >= 0.6 and not _overlapping_names(actors_a, actors_b):
            return "name"
    return None


def _overlapping_names(a: set[str], b: set[str]) -> bool:
    """'Rosa Imbert' and 'fire chief Rosa Imbert' are the same actor."""
    return any(x in y or y in x for x in a for y in b)


def _topic(claims: list[Claim], words: dict[str, set[str]], basis: str | None) -> str:
    counts: Counter[str] = Counter()
    for c in claims:
        counts.update(words[c.id])
    shared = [w for w, n in counts.most_common() if n > 1] or [w for w, _ in counts.most_common()]
    topic = ", ".join(shared[:4])
    if basis and basis.startswith("number:"):
        unit = basis.split(":", 1)[1]
        topic = f"{unit}: {topic}" if unit not in shared[:4] else topic
    return topic


def group_claims(claims: list[Claim]) -> list[Group]:
    """Union claims that are about the same fact, then judge each group."""
    for c in claims:
        if not c.values:
            c.values = parse_values(c.quote)
    words = {c.id: content_words(c.quote) for c in claims}
    parent = {c.id: c.id for c in claims}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in combinations(claims, 2):
        if a.source_id != b.source_id and _linked(a, b, words):
            parent[find(a.id)] = find(b.id)
    members: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        members[find(c.id)].append(c)
    groups: list[Group] = []
    for cluster in members.values():
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
        groups.append(
            Group(id="", status=status, topic=_topic(cluster, words, basis), claim_ids=[c.id for c in cluster],
                  basis=basis)
        )
    order = {"conflict": 0, "agree": 1, "single": 2}
    groups.sort(key=lambda g: (order[g.status], -len(g.claim_ids)))
    for i, g in enumerate(groups, start=1):
        g.id = f"g{i}"
    return groups
