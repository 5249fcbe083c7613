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
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from functools import lru_cache
from itertools import combinations
from typing import NamedTuple

from summarizer.frames import agent, assign_frames, frame_key, frames_match, key_text
from summarizer.models import Basis, BasisKind, Claim, Frame, Group, GroupStatus, Stance, Value
from summarizer.values import parse_values, values_compatible

# Similarity is the cosine of IDF-weighted content words (IDF over the brief's own claims, so
# words every article uses, like the town's name, count for little); figures and dates are left
# out of the words so that two claims giving different numbers can still be about one fact.
LINK = 0.5
NEAR = 0.3  # below LINK but this close: a merge the optional model pass may confirm
UNIT_LINK = 0.15
SMALL = 20  # a figure under this, of a bare noun, is too common to tell two facts apart
WEAK_LINK = 0.3  # figures whose frame is only a counted noun ("14 points") group only when the wording is this close
DATE_LINK = 0.2
PREDICATE_WORDS = 3
RARE_NAME_CLAIMS = 3  # a long name said by at most this many claims ties them together
RARE_PHRASE_CLAIMS = 2  # a two-word phrase only two claims use, with NEAR wording, ties them
RARE_NAME_WORDS = 4  # ... when it has at least this many words ("Coastal Freight Logistics Services")
TOPIC_WORDS = 6  # a group's topic is at most this many of its shared words
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
STOPWORDS = frozenset(
    """a an the and or but of to in on at for from by with as is are was were be been being has have had
    will would could should may might can this that these those it its their his her they them he she we
    our you your i not no than then there here which who whom whose what when where while after before
    into over under about up down out more most some any all each other such also said says say told
    according per new one two three just very since until during because so if do does did""".split()
)


# Words news outlets use for one another's ("soldiers" / "troops", "earthquake" / "quake"), after stemming.
SYNONYMS = {
    "soldier": "troop", "earthquake": "quake", "tremor": "quake", "effort": "operation", "house": "home",
    "landslip": "landslide", "cause": "trigger", "spark": "trigger", "kill": "dead", "died": "dead",
    "death": "dead", "injur": "injured", "wound": "injured", "acquire": "buy", "acquisition": "buy",
    "purchase": "buy", "chief": "head", "officer": "official", "authoritie": "official", "identifi": "name",
    "identify": "name", "treaty": "pact", "agreement": "pact", "accord": "pact", "deal": "pact",
}  # fmt: skip


def stem(word: str) -> str:
    """A deliberately crude stemmer, with a few newsroom synonyms: enough to match 'homes'/'home',
    'reopens'/'reopen' and 'soldiers'/'troops'."""
    base = _stem(word)
    return SYNONYMS.get(base, base)


def _stem(word: str) -> str:
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


def _units(claim: Claim) -> set[str]:
    """The frames of the claim's figures (see frames.py), as keys."""
    return {k for v in claim.values if (k := frame_key(v))}


def _matching(a: Claim, b: Claim) -> list[tuple[str, list[Value], list[Value]]]:
    """The figures of two claims whose frames match, per frame of the first: only these compare."""
    found: list[tuple[str, list[Value], list[Value]]] = []
    for key in sorted(_units(a)):
        xs = [x for x in a.values if frame_key(x) == key]
        ys = [y for y in b.values if y.frame and any(x.frame and frames_match(x.frame, y.frame) for x in xs)]
        if ys:
            found.append((key, xs, ys))
    return found


def _shared_frames(a: Claim, b: Claim) -> set[str]:
    return {key for key, _, _ in _matching(a, b)}


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
        self.texts = {c.id: _plain(c.quote) for c in claims}
        self.rare: dict[str, set[str]] = {}  # a long name said by few claims -> their ids
        for c in claims:
            for name in _long_names(c, RARE_NAME_WORDS):
                ids = {o.id for o in claims if _plain(name) in self.texts[o.id]}
                if len(ids) <= RARE_NAME_CLAIMS:
                    self.rare[_plain(name)] = ids
        self.words = {c.id: {t[0] for t in _tokens(c)} for c in claims}
        self.phrases = {c.id: _phrases(c) for c in claims}
        self.phrase_df: Counter[tuple[str, str]] = Counter(p for ps in self.phrases.values() for p in ps)
        self.forms: dict[str, set[str]] = {}  # source -> the words its claims use, as written (lower case)
        for c in claims:
            self.forms.setdefault(c.source_id, set()).update(
                re.sub(r"['’]s$", "", w.lower()) for w in _WORD.findall(c.quote)
            )
        df: Counter[str] = Counter()
        for ws in self.words.values():
            df.update(ws)
        n = len(claims)
        self.idf = {w: math.log((n + 1) / (d + 1)) + 1 for w, d in df.items()}

    def shares_rare_name(self, a: Claim, b: Claim) -> bool:
        """Both name a thing few other claims name ("the Coastal Freight Logistics Services unit" /
        "its coastal-freight logistics services arm"): one fact, however the rest is worded."""
        return any(a.id in ids and b.id in ids for ids in self.rare.values())

    def shares_rare_phrase(self, a: Claim, b: Claim) -> bool:
        """Worded alike in part (NEAR) and sharing a two-word phrase no other claim uses ("a mutual
        aid pact" / "a mutual aid clause"): the same fact in other words."""
        shared = self.phrases[a.id] & self.phrases[b.id]
        return any(self.phrase_df[p] <= RARE_PHRASE_CLAIMS for p in shared) and self(a, b) >= NEAR

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
    if ta[ia][0] in TITLE_WORDS or tb[ib][0] in TITLE_WORDS:
        return False  # "X, general manager of ..." / "Y, who will become general manager of ...": titles
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
_TITLE_AFTER = re.compile(
    r"^,\s*(?:who\s+[^,]{0,60}?\s(?:as|is|was)\s+)?(?:the|a|an|its|their)?\s*"
    r"(?P<title>(?:[A-Za-z-]+\s+){0,7}?[A-Za-z-]+?)\s*(?:(?P<of>\b(?:of|for|at)\s+[^,.;:]{2,60})|[,.;:]|$)"
)
_DOMAIN_STOP = frozenset("the a an new newly its their his her of for at and".split())


class Title(NamedTuple):
    """A person's title as a quote gives it: its words, and what it is of ("retail"), when said."""

    words: str
    domain: str = ""

    def __str__(self) -> str:
        return self.words + (f" | {self.domain}" if self.domain else "")


def _title_before(quote: str, start: int) -> Title | None:
    words = re.findall(r"[A-Za-z-]+", quote[max(0, start - 60) : start])
    taken: list[str] = []
    for word in reversed(words):
        if word.lower() not in TITLE_WORDS:
            break
        taken.insert(0, word.lower())
    return Title(" ".join(taken)) if taken else None


def _title_after(quote: str, end: int) -> Title | None:
    """ "Helen Marsh, the chief operating officer", "Ana Ruiz, who came over to act as vice president and
    head of retail": the title words, and what it is of."""
    m = _TITLE_AFTER.match(quote[end : end + 160])
    if not m:
        return None
    words = [w for w in m.group("title").lower().split() if w != "and"]
    if not words or not all(w in TITLE_WORDS for w in words):
        return None
    domain = [
        stem(w).removesuffix("'s").removesuffix("’s")
        for w in re.findall(r"[A-Za-z'’-]+", (m.group("of") or "").lower())
        if w not in _DOMAIN_STOP
    ]
    return Title(" ".join(words), " ".join(domain))


def _titles_differ(x: Title, y: Title) -> bool:
    """Different title words, or titles of disjoint things ("products division" / "global business units")."""
    if x.words != y.words:
        return True
    return bool(x.domain and y.domain) and not set(x.domain.split()) & set(y.domain.split())


def person_titles(claim: Claim) -> dict[str, Title]:
    """Person name (lower case) -> the title the quote gives them, read next to the name:
    "chief executive Helen Marsh" or "Helen Marsh, the chief operating officer"."""
    names = tuple((v.text, v.start, v.end) for v in claim.values if v.kind == "name")
    return dict(_titles(claim.quote, names))


@lru_cache(maxsize=8192)
def _titles(quote: str, names: tuple[tuple[str, int, int], ...]) -> tuple[tuple[str, Title], ...]:
    found: dict[str, Title] = {}
    for text, start, end in names:
        title = _title_before(quote, start) or _title_after(quote, end)
        if title:
            found[text.lower()] = title
    return tuple(found.items())


def _title_conflict(a: Claim, b: Claim) -> bool:
    ta, tb = person_titles(a), person_titles(b)
    return any(name in tb and _titles_differ(tb[name], title) for name, title in ta.items())


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

    same = any(
        x.low == y.low and x.high == y.high and max(x.low or 0, x.high or 0) >= 100
        for _, xs, ys in _matching(a, b)
        for x in xs
        for y in ys
    )
    return same and not _different_actors(a, b)


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


def _untold_difference(xs: list[Value], ys: list[Value]) -> bool:
    """Only small counts of a bare noun that differ ("seven rebounds" / "11 rebounds"): too common to
    be one fact and too vague to be a conflict (see `_telling`), so no sign that two claims meet."""
    pairs = [(x, y) for x in xs for y in ys]
    return bool(pairs) and all(not (_telling(x) and _telling(y)) and values_compatible(x, y) is False for x, y in pairs)


def link_score(a: Claim, b: Claim, sim: _Similarity) -> float:
    """How strongly two claims of different sources look like one fact (>= LINK: the same fact).

    Wording alone must reach LINK; counting the same unit or giving comparable dates lowers the
    wording needed to UNIT_LINK or DATE_LINK; the same predicate after other actors is a link.
    """
    score = sim(a, b)
    matching = [] if _different_actors(a, b) else _matching(a, b)
    shared_units = {key for key, xs, ys in matching if not _untold_difference(xs, ys)}
    rate = any(x.per for _, xs, _ in matching for x in xs)  # both give a rate of one frame ("patients a day")
    if _same_figure(a, b):
        score += LINK  # the very same large figure of the same thing: one fact, however worded
    elif rate and score >= UNIT_LINK / 3:
        score += LINK - UNIT_LINK / 3  # the same rate ("patients a day") is a strong sign of one measure
    elif shared_units and score >= UNIT_LINK and not _only_loose_fits(a, b, shared_units):
        score += LINK - UNIT_LINK
    elif _comparable_dates(a, b) and score >= DATE_LINK:
        score += LINK - DATE_LINK
    tied = _same_predicate_other_actor(a, b) or _title_conflict(a, b) or _start_dates(a, b)
    tied = tied or _spellings(a, b, sim.forms)
    phrase = sim.shares_rare_phrase(a, b) and not _only_loose_fits(a, b, _shared_frames(a, b))
    if tied or sim.shares_rare_name(a, b) or _same_moment(a, b) or phrase:
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
            counted = [c for c in group if _shared_frames(c, claim) or _spellings(c, claim, forms)]
            top = max((scores[(claim.id, c.id)] for c in counted), default=0.0)
            if top >= LINK and (best is None or top > best[0]):
                best = (top, group)
        if best is not None:
            best[1].append(claim)
            clusters.remove(lone)
    return clusters


def _date_context(claim: Claim, value: Value) -> set[str]:
    """Content words next to a date ("Saturday's semifinal", "defeated Drake on Friday"): which event it dates."""

    def content(text: str) -> list[str]:
        return [stem(w) for w in _WORD.findall(text) if w.lower() not in STOPWORDS and len(w) > 2]

    return set(content(claim.quote[: value.start])[-2:] + content(claim.quote[value.end :])[:2])


def _date_names(claim: Claim, value: Value) -> set[str]:
    """Names said right next to a date ("Hurricane Dennis in 2005", "2004's Hurricane Ivan")."""
    return {
        n.text.lower()
        for n in claim.values
        if n.kind == "name" and (0 <= value.start - n.end <= 4 or 0 <= n.start - value.end <= 4)
    }


_START = re.compile(r"\b(?:found(?:ed|ing)?|established|opened|launched|created|set up|since|began|started)\b", re.I)


def _is_start(claim: Claim, value: Value) -> bool:
    """ "founded it in 1990", "a staple since 1987", "since its founding in 1990": when something began."""
    near = claim.quote[max(0, value.start - 30) : value.start] + " " + claim.quote[value.end : value.end + 20]
    return bool(_START.search(near))


_GAME_CLOCK = re.compile(r"\b(\d{1,2}:\d{2})\s+(?:left|to play|to go|remaining)(?:\s+in the (\w+) half)?")


def _same_moment(a: Claim, b: Claim) -> bool:
    """The same game clock ("with 4:43 left in the first half" / "with 4:43 to play in the first half")."""
    ca, cb = _clocks(a.quote), _clocks(b.quote)
    return any(x == y or (x[0] == y[0] and None in (x[1], y[1])) for x in ca for y in cb)


def _phrases(claim: Claim) -> set[tuple[str, str]]:
    """Pairs of content words next to each other in the quote ("aid pact"), names left out."""
    tokens = [t for t in _tokens(claim) if not t[1][0].isupper()]
    return {
        (x[0], y[0])
        for x, y in zip(tokens, tokens[1:], strict=False)
        if re.fullmatch(r"[\s-]+", claim.quote[x[2] + len(x[1]) : y[2]])  # adjacent, not across a stop word
    }


@lru_cache(maxsize=8192)
def _clocks(quote: str) -> frozenset[tuple[str, str | None]]:
    return frozenset((m.group(1), m.group(2)) for m in _GAME_CLOCK.finditer(quote))


def _plain(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def _long_names(claim: Claim, words: int = 3) -> set[str]:
    return {v.text.lower() for v in claim.values if v.kind == "name" and len(v.text.split()) >= words}


def _start_dates(a: Claim, b: Claim) -> bool:
    """Two claims dating the start of the same named thing ("founded the Bayou Rural Health Clinic in
    1990" / "the Bayou Rural Health Clinic has been a staple since 1987")."""
    return (
        bool(_long_names(a) & _long_names(b))
        and any(_is_start(a, x) for x in _dates(a))
        and any(_is_start(b, y) for y in _dates(b))
    )


def _same_event(a: Claim, x: Value, b: Claim, y: Value) -> bool:
    if _is_start(a, x) and _is_start(b, y) and _long_names(a) & _long_names(b):
        return True
    na, nb = _date_names(a, x), _date_names(b, y)
    if na and nb:
        return bool(na & nb)  # "Hurricane Dennis in 2005" and "Hurricane Ivan in 2004": two storms
    return bool(_date_context(a, x) & _date_context(b, y))


def _dates_disagree(a: Claim, b: Claim) -> bool:
    """Days that cannot both be true of one event. Days compare only when said next to the same words
    ("reopens Friday" / "reopens Monday"): "won on Friday" and "Saturday's semifinal" date two events."""
    xs, ys = _dates(a), _dates(b)
    verdicts = [values_compatible(x, y) for x in xs for y in ys if _same_event(a, x, b, y)]
    known = [v for v in verdicts if v is not None]
    return bool(known) and not any(known)


def _bearings_disagree(xs: Iterable[Value], ys: Iterable[Value]) -> bool:
    """'40 km north of Marsden' against '40 km west of Marsden': one distance, two directions."""
    bx = {v.frame.bearing for v in xs if v.frame and v.frame.bearing}
    by = {v.frame.bearing for v in ys if v.frame and v.frame.bearing}
    return bool(bx) and bool(by) and not bx & by


def _sets_disagree(xs: Iterable[Value], ys: Iterable[Value]) -> bool:
    """True when the two sides give values that can be compared and none of them fit together."""
    verdicts = [values_compatible(x, y) for x in xs for y in ys]
    known = [v for v in verdicts if v is not None]
    return bool(known) and not any(known)


def compare(a: Claim, b: Claim, forms: Mapping[str, set[str]] | None = None) -> Basis | None:
    """The basis of a conflict between two claims about one fact, or None when they agree.
    `forms` (the words each source uses) lets a name spelled two ways count (see `_spellings`)."""
    for key, xs, ys in _matching(a, b):
        if _sets_disagree([x for x in xs if _telling(x)], [y for y in ys if _telling(y)]):
            return Basis(kind="number", key=key)
        if _bearings_disagree(xs, ys):
            return Basis(kind="direction", key=key)
    for kind, disagree in _OTHER_CONFLICTS:
        if disagree(a, b, forms):
            return Basis(kind=kind)
    return None


_NEGATION = re.compile(
    r"\b(?:not|never|no longer|n['’]t|declined to|refused to)\s+(?:\w+ly\s+|be\s+|been\s+|yet\s+)?(?P<verb>[a-z]+)",
    re.IGNORECASE,
)
_NOT_ASSERTED = re.compile(r"\b(?:not|never|no|n['’]t|declined|refused|without)\b", re.IGNORECASE)


def _negated(a: Claim, b: Claim) -> bool:
    """Yes against no: `a` says an act did not happen ("police would not name her") that `b`, worded
    alike, says did ("police named her"). Only claims already grouped as one fact are asked."""

    def lemma(word: str) -> str:
        return stem(word).removesuffix("e")  # "name" and "named" -> "nam"

    for m in _NEGATION.finditer(a.quote):
        verb = lemma(m.group("verb"))
        if len(verb) < 3 or m.group("verb").lower() in STOPWORDS:
            continue
        for w in _WORD.finditer(b.quote):
            if lemma(w.group(0)) == verb and not _NOT_ASSERTED.search(b.quote[max(0, w.start() - 25) : w.start()]):
                return True
    return False


# Spelling variants that are the same word, not two names: "Advisers"/"Advisors", "Centre"/"Center".
_VARIANT_ENDINGS = (("er", "or"), ("ers", "ors"), ("ise", "ize"), ("our", "or"), ("re", "er"), ("ed", "t"))


def _one_edit(x: str, y: str) -> bool:
    """True when x and y differ by one substitution, insertion or deletion."""
    if abs(len(x) - len(y)) > 1 or x == y:
        return False
    if len(x) == len(y):
        return sum(p != q for p, q in zip(x, y, strict=True)) == 1
    short, long_ = sorted((x, y), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _variant(x: str, y: str) -> bool:
    for p, q in _VARIANT_ENDINGS:
        for u, v in ((x, y), (y, x)):
            if u.endswith(p) and v.endswith(q) and u[: -len(p)] == v[: -len(q)]:
                return True
    return False


def spelling_pairs(a: Claim, b: Claim) -> list[tuple[str, str]]:
    """Names the two claims spell differently: the same first name with a surname one letter apart
    ("Marta Kell" / "Marta Kells"). Spelling variants of one word ("Advisers"/"Advisors") are not."""
    found: list[tuple[str, str]] = []
    na = {v.text for v in a.values if v.kind == "name"}
    nb = {v.text for v in b.values if v.kind == "name"}
    for x in na - nb:
        for y in nb - na:
            wx, wy = x.split(), y.split()
            if len(wx) != len(wy) or len(wx) < 2:
                continue
            diff = [(p, q) for p, q in zip(wx, wy, strict=True) if p != q]
            if len(diff) != 1 or diff[0] == (wx[0], wy[0]):
                continue
            p, q = diff[0]
            if len(p) >= 4 and _one_edit(p.lower(), q.lower()) and not _variant(p.lower(), q.lower()):
                found.append((x, y))
    return found


_HEADED = re.compile(r"\b([A-Z][a-z]+)\s+(?:[A-Z][a-z]+\s+(?:and|or|&)\s+)?([A-Z][a-z]{3,})\b")


def _headed_names(claim: Claim) -> dict[str, str]:
    """Single names after a capitalised head word: "Hurricane Dennis", "Hurricanes Ivan and Denis"
    (name -> head, stemmed), so "Denis" and "Dennis" are seen as one storm spelled two ways."""
    return dict(_headed_in(claim.quote))


@lru_cache(maxsize=8192)
def _headed_in(quote: str) -> tuple[tuple[str, str], ...]:
    # cached: clustering asks for the same quote's names once per pair it scores
    return tuple((m.group(2), _stem(m.group(1))) for m in _HEADED.finditer(quote) if m.group(1) not in _NOT_HEAD)


_NOT_HEAD = frozenset("The A An In On At By For And But Of To Dr Mr Mrs Ms".split())


def _spelled_pairs(a: Claim, b: Claim) -> list[tuple[str, str]]:
    """Words the two claims spell one letter apart: in full names ("Marta Kell" / "Marta Kells") or
    after one head word ("Hurricanes Ivan and Denis" / "Hurricane Dennis")."""
    words = [next((p, q) for p, q in zip(x.split(), y.split(), strict=True) if p != q) for x, y in spelling_pairs(a, b)]
    ha, hb = _headed_names(a), _headed_names(b)
    words += [
        (x, y)
        for x, head in ha.items()
        for y in hb
        if head == hb[y] and _one_edit(x.lower(), y.lower()) and not _variant(x.lower(), y.lower())
        and not re.search(rf"\b{re.escape(x)}\b", b.quote) and not re.search(rf"\b{re.escape(y)}\b", a.quote)
    ]  # fmt: skip
    return words


def _spellings(a: Claim, b: Claim, forms: Mapping[str, set[str]] | None = None) -> bool:
    """A name spelled two ways by two sources. `forms` holds the words each source uses: when one
    source writes both ("South Koria" and "South Korian", "Korian" and "Korians") they are two forms
    of a word, not a dispute. Without it nothing is called a spelling conflict."""
    if forms is None:
        return False
    return any(
        not any(x.lower() in used and y.lower() in used for used in forms.values()) for x, y in _spelled_pairs(a, b)
    )


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


def distinct_names(claim: Claim, others: Iterable[Claim]) -> list[str]:
    """Names this claim gives that the other claims do not: the sides of a name conflict."""
    elsewhere = {v.text.lower() for o in others if o.id != claim.id for v in o.values if v.kind == "name"}
    return [v.text for v in claim.values if v.kind == "name" and v.text.lower() not in elsewhere]


def group_claims(claims: list[Claim], published: dict[str, date | None] | None = None) -> list[Group]:
    """Group claims about the same fact, then judge each group.

    Figures are grouped by frame first (a claim with several figures may sit in several such groups:
    "killing five and injuring dozens" is in the dead and in the injured); then claims are clustered
    by wording. A wording cluster that only repeats a frame group is left out."""
    dates = published or {}
    for c in claims:
        # read here, once, and never cached, so parser fixes reach cached extractions too
        c.values = assign_frames(c.quote, parse_values(c.quote), dates.get(c.source_id))
    sim = _Similarity(claims)
    framed = _frame_groups(claims, sim)
    clusters = _cluster(claims, sim)
    return judge(clusters, framed)


def _frame_groups(claims: list[Claim], sim: _Similarity) -> list[tuple[Frame, list[Claim], list[Value]]]:
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
        if a.source_id == b.source_id or not frames_match(fa, fb, same_figure):
            continue
        ri, rj = find(i), find(j)
        if ri == rj or len(events[ri] | events[rj]) > 1 or len(agents[ri] | agents[rj]) > 1:
            continue
        if _only_loose_fits(a, b, {frame_key(x) or ""}):
            continue
        if not same_figure and _different_actors(a, b) and not (fa.owner and fb.owner) and not (fa.event and fb.event):
            continue  # "the union demands 7%" / "the authority offered 3%": other actors' figures
        if _untold_difference([x], [y]):
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


def _frame_topic(frame: Frame, members: list[Claim]) -> str:
    """The frame in words, its owner spelled as a quote spells it ("McBride", not "Mcbride")."""
    topic = frame.describe()
    if frame.owner:
        pattern = re.compile(rf"\b{re.escape(frame.owner)}\b", re.IGNORECASE)
        for c in members:
            for found in pattern.finditer(c.quote):
                if found.group(0)[0].isupper():  # a name as written, not the word in a sentence
                    return topic.replace(frame.owner.title(), found.group(0), 1)
    return topic


def near_misses(singles: list[Claim], claims: list[Claim]) -> list[tuple[Claim, Claim]]:
    """Pairs of single-source claims from different sources that nearly linked (NEAR <= score <
    LINK), closest first: the merges worth a second opinion (see adjudicator.py)."""
    sim = _Similarity(claims)
    scored = [(link_score(a, b, sim), a, b) for a, b in combinations(singles, 2) if a.source_id != b.source_id]
    return [(a, b) for score, a, b in sorted(scored, key=lambda t: -t[0]) if NEAR <= score < LINK]


_MANY_A_GAME = frozenset(("lead", "run"))  # scores a game has many of; the final and halftime it has one


def _telling(v: Value) -> bool:
    """A small count of a bare noun ("seven points", "11 rebounds": whose? when?) can agree, not conflict."""
    if v.frame is None:
        return False
    if v.frame.noun == "score" and v.frame.event in _MANY_A_GAME and v.frame.when_said() is None:
        return False  # "pushed the lead to 58-47": a game has many leads; which moment is not said
    counted = v.frame.noun.replace(" ", "").isalpha() and v.frame.portion is None and v.measured_in is None
    # (not %, money, km, rates, nor a share of a whole)
    return v.frame.strong or not counted or max(v.low or 0, v.high or 0) >= SMALL


def _judge_frame(frame: Frame, cluster: list[Claim], figures: list[Value]) -> tuple[GroupStatus, Basis, list[Claim]]:
    key = key_text(frame)
    ids = {id(v) for v in figures}
    values = {c.id: [v for v in c.values if id(v) in ids and _telling(v)] for c in cluster}
    checks: tuple[tuple[BasisKind, Callable[[list[Value], list[Value]], bool]], ...] = (
        ("number", _sets_disagree),
        ("direction", _bearings_disagree),
    )
    for kind, disagree in checks:
        sides = [
            c
            for c in cluster
            if any(o.source_id != c.source_id and disagree(values[c.id], values[o.id]) for o in cluster)
        ]
        if sides:
            return "conflict", Basis(kind=kind, key=key), sides + [c for c in cluster if c not in sides]
    return "agree", Basis(kind="number", key=key), cluster


def judge(clusters: list[list[Claim]], framed: Sequence[tuple[Frame, list[Claim], list[Value]]] = ()) -> list[Group]:
    """Mark each cluster agree / conflict / single, put conflict sides first, and number the groups.

    Frame groups (`framed`) are judged on their figures alone; a wording cluster that is a subset of
    a frame group, or whose only disagreement is a figure a frame group already shows, is dropped."""
    every = list({c.id: c for cluster in [*clusters, *(m for _, m, _ in framed)] for c in cluster}.values())
    sim = _Similarity(every)
    source_of = {c.id: c.source_id for c in every}
    groups: list[Group] = []
    covered: list[set[str]] = []
    status: GroupStatus
    basis: Basis | None
    for frame, members, figures in framed:
        status, basis, ordered = _judge_frame(frame, members, figures)
        groups.append(_group(status, _frame_topic(frame, members), ordered, basis, sim, frame))
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
        status = "single" if len(sources) == 1 else "agree"
        basis = None if len(sources) == 1 else Basis(kind="wording")
        if len(sources) > 1:
            for a, b in combinations(cluster, 2):
                if a.source_id == b.source_id:
                    continue
                found = compare(a, b, sim.forms)
                if found:
                    status, basis = "conflict", found
                    break
            if status == "conflict" and basis and basis.kind in ("number", "direction") and ids & in_frames:
                # that figure's dispute is shown by its frame group; the claims outside it are judged again
                rest = [c for c in cluster if c.id not in in_frames]
                work.extend([rest] if len({c.source_id for c in rest}) > 1 else [[c] for c in rest])
                continue
            if status == "conflict":
                # the sides first: claims that take part in the conflict, then the rest of the group
                sides = [
                    c for c in cluster if any(o.source_id != c.source_id and compare(c, o, sim.forms) for o in cluster)
                ]
                cluster = sides + [c for c in cluster if c not in sides]
        groups.append(_group(status, _topic(cluster, sim), cluster, basis, sim))
    order = {"conflict": 0, "agree": 1, "single": 2}
    groups.sort(key=lambda g: (order[g.status], -len({source_of[c] for c in g.claim_ids})))
    for i, g in enumerate(groups, start=1):
        g.id = f"g{i}"
    return groups


# conflicts that are not about figures, in the order they are looked for
_OTHER_CONFLICTS: tuple[tuple[BasisKind, Callable[[Claim, Claim, Mapping[str, set[str]] | None], bool]], ...] = (
    ("date", lambda a, b, _: _dates_disagree(a, b)),
    ("name", lambda a, b, _: _same_predicate_other_actor(a, b)),
    ("title", lambda a, b, _: _title_conflict(a, b)),
    ("spelling", _spellings),
    ("negation", lambda a, b, _: _negated(a, b) or _negated(b, a)),
)


def _group(
    status: GroupStatus,
    topic: str,
    members: list[Claim],
    basis: Basis | None,
    sim: _Similarity,
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
    return {
        c.id: Stance(side=i, says=side_text(c, basis, members, frame)) for i, side in enumerate(sides) for c in side
    }


# words that open a figure mid-sentence ("about 2,400 homes"): a side's text starts lower-case then
LOWER_FIRST = frozenset(
    """about around roughly approximately nearly almost some an estimated up as at more over less under
    fewer between from""".split()
)


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
    texts = [t[0].lower() + t[1:] if t.split()[0].lower() in LOWER_FIRST else t for t in texts]
    return " and ".join(dict.fromkeys(texts)) or f"“{claim.quote}”"


def spelled_names(claim: Claim, others: Iterable[Claim]) -> list[str]:
    """The side of a spelling conflict a claim takes: its headed names the others spell otherwise."""
    rest = [o for o in others if o.id != claim.id]
    full = [x for o in rest for x, _ in spelling_pairs(claim, o)]  # "Marta Kell" against "Marta Kells"
    headed = [
        name
        for name in _headed_names(claim)
        if not all(re.search(rf"\b{re.escape(name)}\b", o.quote) for o in rest)
        and any(name in {x for x, _ in _spelled_pairs(claim, o)} for o in rest)
    ]  # "Denis" against "Dennis"
    return list(dict.fromkeys(full or headed))
