"""Names: who does what a claim reports, what title it gives a person, and how it spells a name.

- Whom a claim credits ("X said") is not its actor. Two claims naming disjoint actors report
  different facts unless everything else about them is the same act.
- A person given two different titles by two sources is a title conflict only when the titles
  differ in kind, not in wording.
- A name spelled one letter apart by two sources is a spelling conflict, unless one source writes
  both forms (then they are two forms of a word).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import NamedTuple

from summarizer.consensus.similarity import crude_stem, fold, stem, tokens
from summarizer.lexicon import LEADER_WORDS
from summarizer.models import Claim

PREDICATE_WORDS = 3


def same_predicate_other_actor(a: Claim, b: Claim) -> bool:
    """'Mayor X ordered the evacuation of ...' vs 'The Y Authority ordered the evacuation of ...':
    the same first words after differently named actors, and no other name said of the act."""
    ta, tb = tokens(a), tokens(b)
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
    if len(pa) != PREDICATE_WORDS or pa != pb:
        return False
    # everything else said of the act is the same: "... at the Lindau festival" / "... at the Osterby
    # festival" are two acts, each with its own actor
    return {t[0] for t in ta[ia:] if t[1][0].isupper()} == {t[0] for t in tb[ib:] if t[1][0].isupper()}


def _names_before(claim: Claim, offset: int) -> bool:
    return any(v.kind == "name" and v.start < offset for v in claim.values)


TITLE_WORDS = frozenset(
    """chief executive officer operating financial director president vice chair chairman chairwoman
    chairperson spokesperson spokesman spokeswoman minister secretary mayor governor manager head
    commissioner superintendent deputy treasurer administrator sheriff chancellor principal dean
    general senior managing editor founder owner captain commander colonel general lieutenant judge justice
    prosecutor attorney""".split()
)
# words that say whose or what level of office a title is ("U.S. District Judge" / "state District
# Judge"): part of the title, so two of them differing is a title conflict
JURISDICTION_WORDS = frozenset("u.s. us federal state county district city municipal supreme appeals circuit".split())


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
    words = re.findall(r"[A-Za-z][A-Za-z.-]*", quote[max(0, start - 60) : start])
    taken: list[str] = []
    for word in reversed(words):
        lowered = word.lower().rstrip(".") + ("." if word.lower().endswith("u.s.") else "")
        if lowered not in TITLE_WORDS and lowered not in JURISDICTION_WORDS:
            break
        taken.insert(0, lowered)
    if taken and all(w in JURISDICTION_WORDS for w in taken):
        return None
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
    """Titles of different rank ("chief executive" / "chief operating officer", "vice president" /
    "president"), or the same title words of disjoint things ("products division" / "global business
    units"). Words for one rank are a paraphrase: "head", "chair" and "director" of a body are one
    title however the body is named."""
    rx, ry = _rank(x.words), _rank(y.words)
    if rx != ry:
        return True
    if x.words != y.words:
        return False  # "head of the weather service" / "director of the meteorological office"
    return bool(x.domain and y.domain) and not set(x.domain.split()) & set(y.domain.split())


def _rank(words: str) -> str:
    """A title's rank: its words, with every word for leading a body read as one ("head")."""
    return " ".join("head" if w in LEADER_WORDS else w for w in words.split())


def person_titles(claim: Claim) -> dict[str, Title]:
    """Person name (lower case) -> the title the quote gives them, read next to the name:
    "chief executive Helen Marsh" or "Helen Marsh, the chief operating officer"."""
    names = tuple((v.text, v.start, v.end) for v in claim.values if v.kind == "name")
    return dict(_titles(claim.quote, names))


@lru_cache(maxsize=8192)
def _titles(quote: str, names: tuple[tuple[str, int, int], ...]) -> tuple[tuple[str, Title], ...]:
    found: dict[str, Title] = {}
    for text, start, end in names:
        words = text.split()
        lead = 0  # title words read as part of the name ("District Judge Hana Morrow"): the title's
        while lead < len(words) - 2 and words[lead].lower() in TITLE_WORDS | JURISDICTION_WORDS:
            lead += 1
        if lead:
            name_start = start + len(" ".join(words[:lead])) + 1
            title = _title_before(quote, name_start)
            text = " ".join(words[lead:])
        else:
            title = _title_before(quote, start) or _title_after(quote, end)
        if title:
            found[text.lower()] = title
    return tuple(found.items())


def title_conflict(a: Claim, b: Claim) -> bool:
    ta, tb = person_titles(a), person_titles(b)
    return any(name in tb and _titles_differ(tb[name], title) for name, title in ta.items())


def _actors(claim: Claim) -> set[str]:
    """Names in the quote that are not whom the claim credits: who does what it reports."""
    credit = fold((claim.attributed_to or "").lower())
    return {fold(v.text.lower()) for v in claim.values if v.kind == "name" and fold(v.text.lower()) not in credit}


def different_actors(a: Claim, b: Claim) -> bool:
    xa, xb = _actors(a), _actors(b)
    return bool(xa) and bool(xb) and not any(x in y or y in x for x in xa for y in xb)


# Spelling variants that are the same word, not two names: "Advisers"/"Advisors", "Centre"/"Center".
_VARIANT_ENDINGS = (("er", "or"), ("ers", "ors"), ("ise", "ize"), ("our", "or"), ("re", "er"), ("ed", "t"))


def one_edit(x: str, y: str) -> bool:
    """True when x and y differ by one substitution, insertion or deletion (accents aside: "Zürich" and
    "Zurich" are one spelling)."""
    if abs(len(x) - len(y)) > 1 or x == y or fold(x) == fold(y):
        return False
    if len(x) == len(y):
        return sum(p != q for p, q in zip(x, y, strict=True)) == 1
    short, long_ = sorted((x, y), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def variant(x: str, y: str) -> bool:
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
            if len(p) >= 4 and one_edit(p.lower(), q.lower()) and not variant(p.lower(), q.lower()):
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
    return tuple((m.group(2), crude_stem(m.group(1))) for m in _HEADED.finditer(quote) if m.group(1) not in _NOT_HEAD)


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
        if head == hb[y] and one_edit(x.lower(), y.lower()) and not variant(x.lower(), y.lower())
        and not re.search(rf"\b{re.escape(x)}\b", b.quote) and not re.search(rf"\b{re.escape(y)}\b", a.quote)
    ]  # fmt: skip
    return words


def spellings(a: Claim, b: Claim, forms: Mapping[str, set[str]] | None = None) -> bool:
    """A name spelled two ways by two sources. `forms` holds the words each source uses: when one
    source writes both ("South Koria" and "South Korian", "Korian" and "Korians") they are two forms
    of a word, not a dispute. Without it nothing is called a spelling conflict."""
    if forms is None:
        return False
    return any(
        not any(x.lower() in used and y.lower() in used for used in forms.values()) for x, y in _spelled_pairs(a, b)
    )


def distinct_names(claim: Claim, others: Iterable[Claim]) -> list[str]:
    """Names this claim gives that the other claims do not: the sides of a name conflict."""
    elsewhere = {v.text.lower() for o in others if o.id != claim.id for v in o.values if v.kind == "name"}
    return [v.text for v in claim.values if v.kind == "name" and v.text.lower() not in elsewhere]


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
