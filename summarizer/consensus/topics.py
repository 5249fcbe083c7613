"""Topics: the words an editor reads as a group's heading."""

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
    last: dict[str, tuple[int, str]] = {}
    for stem_, word, offset in tokens(claims[0]):
        if stem_ in shared or not shared:
            last[stem_] = (offset, word)
    words = [word for _, word in sorted(last.values())]
    return " ".join(words[:TOPIC_WORDS])


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
