"""Topics: the words an editor reads as a group's heading.

- A group of figures is headed by what they count, whose and when ("people killed", "points
  (McDermott, now)").
- A group worded alike is headed by a phrase cut from one of its claims: the shortest run of words,
  within one clause, that holds the words its claims share ("Creighton beat Drake", "the bridge
  reopens"), as a headline would say it; never a bag of shared words out of order. When no claim
  holds such a short run, the heading is the run of at most HEADLINE_WORDS words of one clause that
  holds the most shared words, cut from a claim as it is written.
"""

from __future__ import annotations

import re
from collections import Counter

from summarizer.consensus.similarity import Similarity, tokens
from summarizer.models import Claim, Frame

TOPIC_WORDS = 6  # a group's topic is at most this many of its shared words


def wording_topic(claims: list[Claim], sim: Similarity) -> str:
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
    return _shortest_phrase(claims, shared) or _densest_window(claims, shared)


def frame_topic(frame: Frame, members: list[Claim]) -> str:
    """The frame in words, its owner spelled as a quote spells it ("McBride", not "Mcbride")."""
    topic = frame.describe()
    if frame.owner:
        pattern = re.compile(rf"\b{re.escape(frame.owner)}\b", re.IGNORECASE)
        for c in members:
            for found in pattern.finditer(c.quote):
                if found.group(0)[0].isupper():  # a name as written, not the word in a sentence
                    return topic.replace(frame.owner.title(), found.group(0), 1)
    return topic


HEADLINE_WORDS = 9  # a heading cut from a claim is at most this many words
_CLAUSE_BREAK = re.compile(r"[;:,()\u2014\u2013\"“”]|\s-\s")


def _shortest_phrase(claims: list[Claim], shared: set[str]) -> str | None:
    """The shortest run of one claim's words, inside one clause, holding every shared word (when at
    least two are shared)."""
    if len(shared) < 2:
        return None
    best: str | None = None
    for claim in claims:
        found = [(offset, offset + len(word)) for stem_, word, offset in tokens(claim) if stem_ in shared]
        seen = {stem_ for stem_, _, _ in tokens(claim) if stem_ in shared}
        if seen != shared or not found:
            continue
        start, end = min(s for s, _ in found), max(e for _, e in found)
        text = claim.quote[start:end]
        if _CLAUSE_BREAK.search(text) or len(text.split()) > HEADLINE_WORDS:
            continue
        if best is None or len(text.split()) < len(best.split()):
            best = text
    if best is None:
        return None
    first, _, rest = best.partition(" ")
    return (first.lower() if first.lower() in _LOWER else first) + (" " + rest if rest else "")


# words that open a heading but are no names: written lower-case when a phrase starts with them
_LOWER = frozenset("the a an this that these those its their his her".split())


def _densest_window(claims: list[Claim], shared: set[str]) -> str:
    """The run of at most HEADLINE_WORDS words, inside one clause of one claim, holding the most shared
    words (ties: the earliest), from its first shared word, as the claim writes it."""
    best: tuple[int, int, str] = (-1, 0, "")
    for index, claim in enumerate(claims):
        words = [(stem_, offset, offset + len(word)) for stem_, word, offset in tokens(claim)]
        for i, (stem_, start, _) in enumerate(words):
            if stem_ not in shared:
                continue
            end, count = words[i][2], 0
            for other, _, stop in words[i:]:
                text = claim.quote[start:stop]
                if len(text.split()) > HEADLINE_WORDS or _CLAUSE_BREAK.search(text):
                    break
                if other in shared:
                    count, end = count + 1, stop
            if count > best[0]:
                best = (count, index, claim.quote[start:end])
    return best[2] or " ".join(w for _, w, _ in tokens(claims[0])[:TOPIC_WORDS])
