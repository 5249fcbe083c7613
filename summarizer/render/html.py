"""The review page: one self-contained HTML file with the brief beside its sources.

Every verified claim is highlighted in its article at its recorded character offsets. Clicking a
claim, a conflict row or a citation scrolls its span into view and flashes it (Escape returns to
where you were); the sides of a conflict have their own colours, in the table and in the text.
The page loads nothing (`CSP` forbids it), works by keyboard and prints. The brief's column is the
sections of `SECTIONS` in `view.ORDER`, as in the Markdown; the sources are the page's second column.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape

from summarizer.citations import credit_note, labelled_name, singles_by_source
from summarizer.models import Article, Brief, Claim, DropKind, Dropped, Group
from summarizer.provenance import derived_notes, one_origin_note, origins_phrase
from summarizer.render.assets import CSS, JS, SIDE_COLOURS
from summarizer.render.highlights import Place, Span, highlight, marked_text, side_colour
from summarizer.render.view import (
    AGREEMENTS,
    CONFLICTS,
    ORDER,
    SINGLES,
    SUMMARY,
    Heading,
    Section,
    View,
    conflict_label,
    day_text,
    has_provenance,
    one_line,
)
from summarizer.timeline import update_line


def _sha256_source(code: str) -> str:
    """A CSP source that allows exactly this inline <style> or <script> text and nothing else."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii") + "'"


# The page talks to nothing: its own stylesheet and script only, each allowed by its hash (so a script
# that got into the page some other way would not run), no fetches, no images from anywhere.
# Sent in the page's own <meta> and, by the service, as its Content-Security-Policy header.
CSP = f"default-src 'none'; style-src {_sha256_source(CSS)}; script-src {_sha256_source(JS)}; img-src data:"


@dataclass(frozen=True)
class _Page:
    """The brief's lookups, its sources' names and where each claim is highlighted: what sections read."""

    view: View
    names: dict[str, str]  # source id -> "S2 Coastline Courier"
    places: dict[str, Place]
    spans: dict[str, list[Span]]

    @classmethod
    def of(cls, brief: Brief, articles: Sequence[Article]) -> _Page:
        view = View.of(brief)
        names = {s.id: labelled_name(s, view.labels[s.id]) for s in brief.sources}
        found, spans = highlight(brief, articles)
        return cls(view=view, names=names, places=found, spans=spans)

    def name(self, source_id: str) -> str:
        return self.names.get(source_id, source_id)

    def claim_button(self, c: Claim) -> str:
        """A claim's quote as a button that shows it in its source (disabled where it has no highlight)."""
        shown = escape(one_line(c.quote))
        place = self.places.get(c.id)
        if place is None:
            return f'<button type="button" class="claim" disabled title="not located in the source">{shown}</button>'
        return (
            f'<button type="button" class="claim" data-target="{place.mark_id}" '
            f'aria-label="Show in {escape(self.view.label(c.source_id))}: {shown}">{shown}</button>'
        )

    def cite(self, claim_id: str) -> str:
        """A citation "[S2]" that links to the claim's highlight ("" for a claim the brief does not hold)."""
        c = self.view.claims.get(claim_id)
        if c is None:
            return ""
        place = self.places.get(claim_id)
        text = escape(self.view.label(c.source_id))
        if place is None:
            return f'<span class="muted">[{text}]</span>'
        return (
            f'<a href="#{place.mark_id}" class="cite" data-target="{place.mark_id}" '
            f'aria-label="show the quote in {text}">[{text}]</a>'
        )


def _credit(claim: Claim) -> str:
    note = credit_note(claim)
    return f' <span class="muted">({escape(note)})</span>' if note else ""


def _heading(heading: Heading) -> str:
    return f'<h2 id="{heading.anchor}">{heading.title}</h2>'


def _empty(heading: Heading) -> str:
    return f'<p class="muted">{heading.empty}</p>'


def _summary(page: _Page) -> list[str]:
    """The summary's sentences, each citing its claims in source order, as the Markdown does."""
    view = page.view
    if not view.brief.summary:
        return [_heading(SUMMARY), _empty(SUMMARY)]
    order = {s.id: i for i, s in enumerate(view.brief.sources)}
    out = [_heading(SUMMARY), "<ul>"]
    for sentence in view.brief.summary:
        known = [cid for cid in sentence.claim_ids if cid in view.claims]
        cited = sorted(known, key=lambda cid: order.get(view.claims[cid].source_id, 0))
        out.append(f"<li>{escape(sentence.text)} {' '.join(page.cite(cid) for cid in cited)}</li>")
    return out + ["</ul>"]


def _conflict_row(page: _Page, group: Group, c: Claim) -> str:
    """One claim of a conflict, in its side's colour: clicking the row shows the claim's highlight."""
    place = page.places.get(c.id)
    target = f' data-target="{place.mark_id}"' if place else ""
    stance = group.stances.get(c.id)
    cells = ""
    if has_provenance(group):
        day = day_text(stance.date) if stance and stance.date else "–"
        cells = f"<td>{escape(day)}</td><td>{escape(stance.origin if stance and stance.origin else '–')}</td>"
    return (
        f'<tr class="side side-{side_colour(group, c.id)}"{target} data-claim="{escape(c.id)}">'
        f"<td>{escape(page.name(c.source_id))}</td>"
        f"<td>{escape(group.says_in_table(c))}</td>{cells}<td>{page.claim_button(c)}{_credit(c)}</td></tr>"
    )


def _conflicts(page: _Page) -> list[str]:
    """Each conflict as a table of its sides, coloured as the group's stances say; an updated figure
    first says how it moved, and sides of one origin say so."""
    groups = page.view.groups("conflict")
    out = [_heading(CONFLICTS)] + ([] if groups else [_empty(CONFLICTS)])
    for g in groups:
        out.append(f'<h3>{escape(g.topic)} <span class="muted">({escape(conflict_label(g))})</span></h3>')
        update = update_line(g, page.view.claims, page.view.names)
        out += [f'<p class="update" data-group="{escape(g.id)}">{escape(update)}</p>'] if update else []
        note = one_origin_note(g)
        out += [f'<p class="muted one-origin">{escape(note)}</p>'] if note else []
        extra = '<th scope="col">Date</th><th scope="col">Origin</th>' if has_provenance(g) else ""
        out.append(
            f'<table class="conflict" data-group="{escape(g.id)}" data-kind="{escape(g.kind or "")}"><thead><tr>'
            f'<th scope="col">Source</th><th scope="col">Says</th>{extra}<th scope="col">Quote</th></tr></thead><tbody>'
        )
        members = [page.view.claims[cid] for cid in g.claim_ids if cid in page.view.claims]
        out += [_conflict_row(page, g, c) for c in members]
        out.append("</tbody></table>")
    return out


def _agreements(page: _Page) -> list[str]:
    groups = page.view.groups("agree")
    out = [_heading(AGREEMENTS)] + ([] if groups else [_empty(AGREEMENTS)])
    for g in groups:
        out.append(f"<h3>{escape(g.topic)}</h3>")
        counted = origins_phrase(g)
        out += [f'<p class="muted origins" data-group="{escape(g.id)}">{escape(counted)}</p>'] if counted else []
        out.append("<ul>")
        for c in (page.view.claims[cid] for cid in g.claim_ids if cid in page.view.claims):
            out.append(f"<li>{escape(page.name(c.source_id))}: {page.claim_button(c)}{_credit(c)}</li>")
        out.append("</ul>")
    return out


def _singles(page: _Page) -> list[str]:
    """Single-source claims under their source, as `singles_by_source` orders them."""
    by_source = singles_by_source(page.view.brief)
    out = [_heading(SINGLES)] + ([] if by_source else [_empty(SINGLES)])
    for teller, singles in by_source:
        out.append(f'<h3 class="single-source">{escape(page.names[teller.id])}</h3><ul>')
        for c in singles:
            out.append(f"<li>{page.claim_button(c)}{_credit(c)} [{escape(page.view.label(c.source_id))}]</li>")
        out.append("</ul>")
    return out


def _of_kind(page: _Page, kind: DropKind) -> list[Dropped]:
    return [d for d in page.view.brief.dropped if d.kind == kind]


def _failed(page: _Page) -> list[str]:
    """Model output that failed a check, each with what the model said (cut short)."""
    dropped = [d for d in page.view.brief.dropped if d.is_drop]
    heading = '<h2 id="dropped">Dropped model output</h2>'
    if not dropped:
        return [heading, '<p class="muted">Nothing the model returned was dropped.</p>']
    out = [heading, "<ul>"]
    for d in dropped:
        raw = f"<details><summary>what the model said</summary><pre>{escape(d.raw[:2000])}</pre></details>"
        out.append(f"<li>{escape(page.view.label(d.source_id))}: {escape(d.reason)}{raw if d.raw else ''}</li>")
    return out + ["</ul>"]


def _skipped(page: _Page) -> list[str]:
    """Article text never offered to the model, quoted, with why."""
    skipped = _of_kind(page, "skipped")
    if not skipped:
        return []
    items = [
        f"<li>{escape(page.view.label(d.source_id))}: “{escape(one_line(d.raw))}”: {escape(d.reason)}</li>"
        for d in skipped
    ]
    return ["<h3>Not offered to the model</h3><ul>"] + items + ["</ul>"]


def _repaired(page: _Page) -> list[str]:
    """Fixes made to the model's output before a claim was kept."""
    repaired = _of_kind(page, "repaired")
    if not repaired:
        return []
    items = [f"<li>{escape(page.view.label(d.source_id))}: {escape(d.reason)}</li>" for d in repaired]
    return ['<h3>Repaired</h3><ul class="muted">'] + items + ["</ul>"]


def _method(page: _Page) -> list[str]:
    """Which model and prompt made the brief, and how many claims survived."""
    m, st = page.view.brief.method, page.view.brief.stats
    return [
        f'<p class="muted">Method: model {escape(m.model)} via {escape(m.endpoint_kind)}; prompt '
        f"{escape(m.prompt_version)}; summary by {escape(m.summary_mode)}. Claims extracted {st.claims_extracted}, "
        f"verified {st.claims_verified}, dropped {st.claims_dropped}. Every highlight is the claim's quote at its "
        "recorded character offsets in the source.</p>"
    ]


def _dropped(page: _Page) -> list[str]:
    """What was dropped, then text never offered to the model, then what was repaired."""
    return _failed(page) + _skipped(page) + _repaired(page)


# Each section's builder in the brief's column: it returns its HTML pieces. The sources are
# not here: they are the page's own column (`_article`).
SECTIONS: Mapping[Section, Callable[[_Page], list[str]]] = {
    "summary": _summary,
    "agreements": _agreements,
    "conflicts": _conflicts,
    "singles": _singles,
    "dropped": _dropped,
    "method": _method,
}


def _article(page: _Page, a: Article) -> str:
    """One source: its label and title, where it came from, and its text with every claim highlighted."""
    source = page.view.sources.get(a.id)
    dated = day_text(source.date) if source is not None and source.date else a.published
    meta = [escape(x) for x in (a.outlet, dated) if x]
    if a.url and a.url.startswith(("https://", "http://")):
        meta.append(f'<a href="{escape(a.url)}" rel="noopener noreferrer">{escape(a.url)}</a>')
    elif a.path:
        meta.append(escape(a.path))
    heading = f"{escape(page.view.label(a.id))} {escape(a.title or a.id)}"
    body = f'<div class="text">{marked_text(a, page.spans.get(a.id, []))}</div>'
    if source is not None and source.duplicate_of:
        body = (
            f'<p class="muted">Same text as {escape(page.view.label(source.duplicate_of))}: it counts as one source, '
            f"and its claims are highlighted there.</p><details><summary>text</summary>{body}</details>"
        )
    notes = derived_notes([source], page.view.labels) if source is not None else []
    copied = "".join(f'<p class="muted derived">{escape(n)}</p>' for n in notes)
    return (
        f'<article id="source-{escape(a.id)}" aria-label="{heading}"><h3>{heading}</h3>'
        f'<div class="meta">{" · ".join(meta)}</div>{copied}{body}</article>'
    )


def _legend() -> str:
    return (
        '<p class="legend">Highlights: <span class="key-agree">agreed</span> '
        '<span class="key-single">one source</span> conflict sides '
        + " ".join(f'<span class="key-side-{i}">{i + 1}</span>' for i in range(SIDE_COLOURS))
        + ". Click a quote, row or citation to see it in its source; Escape goes back.</p>"
    )


def render_html(brief: Brief, articles: Sequence[Article]) -> str:
    """The whole review page as one string: the brief on the left, its sources on the right."""
    page = _Page.of(brief, articles)
    left = "".join(piece for name in ORDER if name != "sources" for piece in SECTIONS[name](page))
    right = "<h2>Sources</h2>" + "".join(_article(page, a) for a in articles)
    title = escape(page.view.title())
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>'
        f"<style>{CSS}</style></head><body>"
        '<a class="skip" href="#sources">Skip to the sources</a>'
        f"<header><h1>{title}</h1>{_legend()}</header><main>"
        f'<section id="brief" aria-label="Brief">{left}</section>'
        f'<section id="sources" aria-label="Source articles" tabindex="-1">{right}</section>'
        f"</main><script>{JS}</script></body></html>\n"
    )
