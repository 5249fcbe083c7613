"""Finding a quote in its source with character offsets: exact, then normalised, then fuzzy."""

from __future__ import annotations

import difflib
import re

from summarizer.models import Alignment, Span

# A fuzzy hit needs a similarity ratio (difflib, on normalised text) of at least this much:
# one mistyped word in a ten-word quote scores about 0.95; a paraphrase scores well below 0.85.
FUZZY_THRESHOLD = 0.85

_CHAR_MAP = {
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'",
    "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"',
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
}  # fmt: skip


def _normalize_with_map(text: str) -> tuple[str, list[int]]:
    """Normalised text plus, for each of its characters, the index of the original character."""
    out: list[str] = []
    index: list[int] = []
    in_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if not in_space:
                out.append(" ")
                index.append(i)
            in_space = True
            continue
        in_space = False
        if ch == "…":
            out.extend("...")
            index.extend([i, i, i])
            continue
        for folded in _CHAR_MAP.get(ch, ch).casefold():
            out.append(folded)
            index.append(i)
    return "".join(out), index


def normalize(text: str) -> str:
    """Fold quotes, dashes, ellipses, whitespace runs and case, so copies that differ only there match."""
    return _normalize_with_map(text)[0].strip()


def _span_from(index: list[int], text: str, start: int, end: int) -> tuple[int, int]:
    """Map a normalised [start, end) back to original offsets, trimmed of outer whitespace."""
    o_start = index[start]
    o_end = index[end - 1] + 1
    while o_start < o_end and text[o_start].isspace():
        o_start += 1
    while o_end > o_start and text[o_end - 1].isspace():
        o_end -= 1
    return o_start, o_end


def _occurrences(needle: str, haystack: str) -> list[int]:
    """Every start of `needle` in `haystack`, overlapping ones included (plain find, no regex)."""
    hits: list[int] = []
    i = haystack.find(needle)
    while i != -1:
        hits.append(i)
        i = haystack.find(needle, i + 1)
    return hits


def _prefer(hits: list[int], within: Span | None, width: int) -> int:
    if within is not None:
        for h in hits:
            if h >= within.start and h + width <= within.end:
                return h
    return hits[0]


def _exact(quote: str, source: str, within: Span | None) -> Alignment | None:
    hits = _occurrences(quote, source)
    if not hits:
        return None
    start = _prefer(hits, within, len(quote))
    return Alignment(start=start, end=start + len(quote), match="exact")


def _normalized(quote: str, source: str, within: Span | None) -> Alignment | None:
    nq = normalize(quote)
    ns, index = _normalize_with_map(source)
    hits = _occurrences(nq, ns) if nq else []
    if not nq or not hits:
        return None
    mapped = [_span_from(index, source, h, h + len(nq)) for h in hits]
    chosen = mapped[0]
    if within is not None:
        chosen = next((m for m in mapped if m[0] >= within.start and m[1] <= within.end), chosen)
    return Alignment(start=chosen[0], end=chosen[1], match="normalized")


def _fuzzy(quote: str, source: str, threshold: float) -> Alignment | None:
    """Best window of about the quote's word count, anchored at word starts, scored with difflib."""
    nq = normalize(quote)
    ns, index = _normalize_with_map(source)
    q_words = nq.split(" ")
    starts = [m.start() for m in re.finditer(r"\S+", ns)]
    ends = [m.end() for m in re.finditer(r"\S+", ns)]
    n = len(q_words)
    if n == 0 or not starts:
        return None
    first_words = {q_words[0], q_words[-1]} | set(q_words[:3])
    best: tuple[float, int, int] | None = None
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(nq)
    for i, s in enumerate(starts):
        word = ns[s : ends[i]]
        if word not in first_words and i % 4:  # anchor on likely starts, plus a sparse sweep
            continue
        for width in (n - 1, n, n + 1):
            j = i + width - 1
            if width < 1 or j >= len(ends):
                continue
            window = ns[s : ends[j]]
            matcher.set_seq1(window)
            if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
                continue
            ratio = matcher.ratio()
            if ratio >= threshold and (best is None or ratio > best[0]):
                best = (ratio, s, ends[j])
    if best is None:
        return None
    start, end = _span_from(index, source, best[1], best[2])
    return Alignment(start=start, end=end, match="fuzzy", score=round(best[0], 3))


def align(
    quote: str, source: str, *, within: Span | None = None, fuzzy_threshold: float = FUZZY_THRESHOLD
) -> Alignment | None:
    """Where `quote` stands in `source` (preferring a hit inside `within`), or None if nowhere."""
    if not quote.strip():
        return None
    return _exact(quote, source, within) or _normalized(quote, source, within) or _fuzzy(quote, source, fuzzy_threshold)
