"""Where each claim is highlighted in its article on the review page, and the article's text with its marks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from summarizer.models import Article, Brief, Claim, Group
from summarizer.render.assets import SIDE_COLOURS


@dataclass(frozen=True)
class Place:
    """Where a claim is shown in its article: the mark's element id, and its status class."""

    mark_id: str
    css: str


Span = tuple[int, int, str, str]  # start, end, mark id, css classes


def side_colour(group: Group, claim_id: str) -> int:
    """The colour of a claim's side in a conflict, as its group worked the sides out (never recomputed)."""
    stance = group.stances.get(claim_id)
    return (stance.side if stance else 0) % SIDE_COLOURS


def _classes(brief: Brief) -> dict[str, str]:
    """Claim id -> the css classes of its mark: its group's status, and a conflict's side."""
    return {
        cid: f"conflict side-{side_colour(g, cid)}" if g.status == "conflict" else g.status
        for g in brief.groups
        for cid in g.claim_ids
    }


def highlight(brief: Brief, articles: Sequence[Article]) -> tuple[dict[str, Place], dict[str, list[Span]]]:
    """Give each claim a highlighted span in its article.

    Returns claim id -> place, and per article its non-overlapping spans in text order.
    A claim overlapping an earlier one shares that one's mark; a claim whose offsets fall outside its
    article (which a valid brief never has) gets no place, so nothing wrong is ever highlighted.
    """
    texts = {a.id: a.text for a in articles}
    css = _classes(brief)
    found: dict[str, Place] = {}
    spans: dict[str, list[Span]] = {}
    by_source: dict[str, list[Claim]] = {}
    for c in brief.claims:
        by_source.setdefault(c.source_id, []).append(c)
    n = 0
    for source_id, claims in by_source.items():
        text = texts.get(source_id)
        if text is None:
            continue
        taken = spans.setdefault(source_id, [])
        for c in sorted(claims, key=lambda c: (c.start, -c.end)):
            if not 0 <= c.start < c.end <= len(text):
                continue
            if taken and c.start < taken[-1][1]:
                found[c.id] = Place(taken[-1][2], taken[-1][3])
                continue
            n += 1
            mark_id, classes = f"m{n}", css.get(c.id, "single")
            taken.append((c.start, c.end, mark_id, classes))
            found[c.id] = Place(mark_id, classes)
    return found, spans


def marked_text(article: Article, spans: Sequence[Span]) -> str:
    """The article's text as HTML, each span wrapped in its mark."""
    out: list[str] = []
    cursor = 0
    text = article.text
    for start, end, mark_id, classes in spans:
        out.append(escape(text[cursor:start]))
        out.append(f'<mark class="span {classes}" id="{mark_id}" tabindex="-1">{escape(text[start:end])}</mark>')
        cursor = end
    out.append(escape(text[cursor:]))
    return "".join(out)
