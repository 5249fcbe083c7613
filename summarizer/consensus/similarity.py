"""Similarity: how alike two claims are worded, the first sign that they report one fact.

- Wording is compared as IDF-weighted content words (IDF over the brief's own claims, so words every
  article uses, like the town's name, count for little), after a crude stemmer and a few newsroom
  synonyms ("soldiers" / "troops"). Figures and dates are masked out, so two claims giving different
  numbers for one fact can still be seen as one fact.
- A long name or a two-word phrase that few claims use ties the claims that use it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from functools import lru_cache

from summarizer.models import Claim

# Similarity is the cosine of IDF-weighted content words (IDF over the brief's own claims, so
# words every article uses, like the town's name, count for little); figures and dates are left
# out of the words so that two claims giving different numbers can still be about one fact.
LINK = 0.5


NEAR = 0.3  # below LINK but this close: a merge the optional model pass may confirm


UNIT_LINK = 0.15


WEAK_LINK = 0.3  # figures whose frame is only a counted noun ("14 points") group only when the wording is this close


DATE_LINK = 0.2


RARE_NAME_CLAIMS = 3  # a long name said by at most this many claims ties them together


RARE_PHRASE_CLAIMS = 2  # a two-word phrase only two claims use, with NEAR wording, ties them


RARE_NAME_WORDS = 4  # ... when it has at least this many words ("Coastal Freight Logistics Services")


WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’-])+")  # a word of letters, accented ones too ("Société")


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
    "identify": "name", "treaty": "pact", "agreement": "pact", "accord": "pact", "deal": "pact", "contract": "pact",
    "lawyer": "attorney", "counsel": "attorney",
}  # fmt: skip


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Letters without their accents: "Zürich" and "Zurich", "Société" and "Societe" are one spelling."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A deliberately crude stemmer, with a few newsroom synonyms: enough to match 'homes'/'home',
    'reopens'/'reopen' and 'soldiers'/'troops'."""
    base = crude_stem(word)
    return SYNONYMS.get(base, base)


def crude_stem(word: str) -> str:
    w = fold(word.lower().strip("'’-"))
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


def tokens(claim: Claim) -> list[tuple[str, str, int]]:
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
        for m in WORD.finditer(text)
        if m.group(0).lower() not in STOPWORDS and len(m.group(0)) > 2
    ]


class Similarity:
    """Cosine similarity of IDF-weighted content-word sets, IDF taken over the claims at hand."""

    def __init__(self, claims: list[Claim], era: Mapping[str, frozenset[str] | None] | None = None) -> None:
        self.era = dict(era or {})  # claim id -> the other event it is about (scope.py); empty: the story's
        self.texts = {c.id: _plain(c.quote) for c in claims}
        self.rare: dict[str, set[str]] = {}  # a long name said by few claims -> their ids
        for c in claims:
            for name in long_names(c, RARE_NAME_WORDS):
                ids = {o.id for o in claims if _plain(name) in self.texts[o.id]}
                if len(ids) <= RARE_NAME_CLAIMS:
                    self.rare[_plain(name)] = ids
        self.words = {c.id: {t[0] for t in tokens(c)} for c in claims}
        self.phrases = {c.id: _phrases(c) for c in claims}
        self.phrase_df: Counter[tuple[str, str]] = Counter(p for ps in self.phrases.values() for p in ps)
        self.forms: dict[str, set[str]] = {}  # source -> the words its claims use, as written (lower case)
        for c in claims:
            self.forms.setdefault(c.source_id, set()).update(
                re.sub(r"['’]s$", "", w.lower()) for w in WORD.findall(c.quote)
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

    def same_era(self, a: Claim, b: Claim) -> bool:
        """Both about the story's event, or both about the same other event (a claim of no era, one that
        says no time, may be about either)."""
        ea, eb = self.era.get(a.id), self.era.get(b.id)
        return ea is None or eb is None or ea == eb

    def __call__(self, a: Claim, b: Claim) -> float:
        wa, wb = self.words[a.id], self.words[b.id]
        shared = sum(self.idf[w] ** 2 for w in wa & wb)
        norm = math.sqrt(sum(self.idf[w] ** 2 for w in wa) * sum(self.idf[w] ** 2 for w in wb))
        return shared / norm if norm else 0.0


def _phrases(claim: Claim) -> set[tuple[str, str]]:
    """Pairs of content words next to each other in the quote ("aid pact"), names left out."""
    words = [t for t in tokens(claim) if not t[1][0].isupper()]
    return {
        (x[0], y[0])
        for x, y in zip(words, words[1:], strict=False)
        if re.fullmatch(r"[\s-]+", claim.quote[x[2] + len(x[1]) : y[2]])  # adjacent, not across a stop word
    }


def _plain(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def long_names(claim: Claim, words: int = 3) -> set[str]:
    return {v.text.lower() for v in claim.values if v.kind == "name" and len(v.text.split()) >= words}
