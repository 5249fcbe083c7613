"""The review page: one self-contained HTML file with the brief beside its sources.

Every verified claim is highlighted in its article at its recorded character offsets. Clicking a
claim, a conflict row or a citation scrolls its span into view and flashes it (Escape returns to
where you were); the sides of a conflict have their own colours, in the table and in the text.
The page loads nothing (a Content-Security-Policy forbids it), works by keyboard and prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from summarizer.models import Article, Brief, Claim
from summarizer.citations import credit_note, labelled_name, singles_by_source, source_labels

SIDE_COLOURS = 4  # conflict sides beyond this many reuse the colours
_CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"

_CSS = """
:root { --ink:#1b1b1b; --muted:#555; --line:#d0d0d0; --bg:#f6f6f4; --focus:#0b57d0;
  --agree:#dcefdc; --single:#fff1b8; --flash:#ffc83d;
  --side-0:#1f5fa8; --side-1:#b3261e; --side-2:#c25e00; --side-3:#7b3fa0;
  --tint-0:#dbe7f6; --tint-1:#f8dcd9; --tint-2:#fde3c8; --tint-3:#eadcf3; }
* { box-sizing:border-box; }
body { margin:0; font:16px/1.5 system-ui, sans-serif; color:var(--ink); background:var(--bg);
  display:flex; flex-direction:column; height:100vh; }
.skip { position:absolute; left:-999px; }
.skip:focus { left:1rem; top:.5rem; background:#fff; padding:.3rem; z-index:2; }
header { padding:.5rem 1rem; border-bottom:1px solid var(--line); background:#fff; display:flex;
  flex-wrap:wrap; gap:.3rem 1.5rem; align-items:baseline; }
header h1 { font-size:1.15rem; margin:0; } .legend { font-size:.85rem; color:var(--muted); }
.legend span { padding:0 .3rem; border-radius:3px; color:var(--ink); }
.key-agree { background:var(--agree); } .key-single { background:var(--single); }
.key-side-0 { background:var(--tint-0); } .key-side-1 { background:var(--tint-1); }
.key-side-2 { background:var(--tint-2); } .key-side-3 { background:var(--tint-3); }
main { display:grid; grid-template-columns:minmax(0,1fr) minmax(0,1fr); flex:1; min-height:0; }
main > section { overflow-y:auto; padding:.5rem 1.2rem 3rem; }
#brief { border-right:1px solid var(--line); background:#fff; }
h2 { font-size:1.05rem; margin:1.3rem 0 .4rem; } h3 { font-size:1rem; margin:.9rem 0 .3rem; }
table { border-collapse:collapse; width:100%; margin:.3rem 0 1rem; font-size:.95rem; }
th, td { border:1px solid var(--line); padding:.3rem .5rem; text-align:left; vertical-align:top; }
tr.side { cursor:pointer; } tr.side:hover { background:#f3f6fc; }
tr.side-0 td:first-child { border-left:6px solid var(--side-0); }
tr.side-1 td:first-child { border-left:6px solid var(--side-1); }
tr.side-2 td:first-child { border-left:6px solid var(--side-2); }
tr.side-3 td:first-child { border-left:6px solid var(--side-3); }
button.claim, a.cite { color:#174ea6; background:none; border:0; padding:0; font:inherit; cursor:pointer;
  text-decoration:underline; text-align:left; }
button.claim[disabled] { color:var(--muted); cursor:default; text-decoration:none; }
a.cite { font-size:.85em; }
:focus-visible { outline:3px solid var(--focus); outline-offset:2px; }
article { border:1px solid var(--line); background:#fff; padding:.5rem .9rem; margin:.8rem 0; }
article h3 { margin:.2rem 0; } .meta { color:var(--muted); font-size:.85rem; }
.text { white-space:pre-wrap; overflow-wrap:anywhere; }
mark.span { background:var(--single); color:inherit; scroll-margin:30vh; border-radius:2px; cursor:pointer; }
mark.span.agree { background:var(--agree); }
mark.span.side-0 { background:var(--tint-0); box-shadow:inset 0 -2px var(--side-0); }
mark.span.side-1 { background:var(--tint-1); box-shadow:inset 0 -2px var(--side-1); }
mark.span.side-2 { background:var(--tint-2); box-shadow:inset 0 -2px var(--side-2); }
mark.span.side-3 { background:var(--tint-3); box-shadow:inset 0 -2px var(--side-3); }
mark.span.active { outline:3px solid #8a5a00; outline-offset:1px; }
.flash { animation:flash 1.2s ease-out 1; }
@keyframes flash { 0%, 40% { background:var(--flash); box-shadow:0 0 0 6px var(--flash); } }
@media (prefers-reduced-motion: reduce) { .flash { animation:none; } }
.muted { color:var(--muted); } ul { padding-left:1.2rem; } li { margin:.15rem 0; }
details pre { white-space:pre-wrap; font-size:.8rem; background:#f4f4f4; padding:.4rem; }
@media print {
  * { -webkit-print-color-adjust:exact; print-color-adjust:exact; }
  body { background:#fff; display:block; height:auto; } main { display:block; height:auto; }
  main > section { overflow:visible; padding:0; }
  #brief { border:0; } #sources { break-before:page; } .skip { display:none; }
  button.claim, a.cite { color:inherit; text-decoration:none; } tr.side { break-inside:avoid; }
  mark.span.active { outline:0; }
}
@media (max-width: 900px) {
  body { display:block; height:auto; } main { display:block; } main > section { overflow:visible; }
}
"""

_JS = """
(function () {
  var last = null;
  function show(id, trigger) {
    var el = document.getElementById(id);
    if (!el) return;
    document.querySelectorAll('mark.active').forEach(function (m) { m.classList.remove('active', 'flash'); });
    el.classList.add('active');
    void el.offsetWidth;  // restart the flash when the same span is shown again
    el.classList.add('flash');
    el.scrollIntoView({block: 'center', inline: 'nearest'});
    el.focus({preventScroll: true});
    last = trigger || null;
  }
  function back(mark) {
    var t = document.querySelector('#brief [data-target="' + mark.id + '"]');
    if (!t) return;
    t.scrollIntoView({block: 'center'});
    t.classList.remove('flash'); void t.offsetWidth; t.classList.add('flash');
    t.focus({preventScroll: true});
  }
  document.addEventListener('click', function (e) {
    var t = e.target.closest('[data-target]');
    if (t && !t.disabled) { e.preventDefault(); show(t.getAttribute('data-target'), t); return; }
    var m = e.target.closest('mark.span');
    if (m) back(m);
  });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && last) { last.focus(); last = null; }
  });
})();
"""


@dataclass(frozen=True)
class _Place:
    """Where a claim is shown in its article: the mark's element id, and its status class."""

    mark_id: str
    css: str


_Span = tuple[int, int, str, str]  # start, end, mark id, css classes


def _places(brief: Brief, articles: Sequence[Article]) -> tuple[dict[str, _Place], dict[str, list[_Span]]]:
    """Give each claim a highlighted span in its article.

    Returns claim id -> place, and per article its non-overlapping spans in text order.
    A claim overlapping an earlier one shares that one's mark; a claim whose offsets fall outside its
    article (which a valid brief never has) gets no place, so nothing wrong is ever highlighted.
    """
    texts = {a.id: a.text for a in articles}
    css: dict[str, str] = {}
    for g in brief.groups:
        for cid in g.claim_ids:
            stance = g.stances.get(cid)
            css[cid] = (
                f"conflict side-{(stance.side if stance else 0) % SIDE_COLOURS}" if g.status == "conflict" else g.status
            )
    places: dict[str, _Place] = {}
    spans: dict[str, list[_Span]] = {}
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
                places[c.id] = _Place(taken[-1][2], taken[-1][3])
                continue
            n += 1
            mark_id, classes = f"m{n}", css.get(c.id, "single")
            taken.append((c.start, c.end, mark_id, classes))
            places[c.id] = _Place(mark_id, classes)
    return places, spans


def _article_html(article: Article, spans: Sequence[_Span]) -> str:
    out: list[str] = []
    cursor = 0
    text = article.text
    for start, end, mark_id, classes in spans:
        out.append(escape(text[cursor:start]))
        out.append(f'<mark class="span {classes}" id="{mark_id}" tabindex="-1">{escape(text[start:end])}</mark>')
        cursor = end
    out.append(escape(text[cursor:]))
    return "".join(out)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def render_html(brief: Brief, articles: Sequence[Article]) -> str:
    """The whole review page as one string: the brief on the left, its sources on the right."""
    labels = source_labels(brief.sources)
    names = {s.id: labelled_name(s, labels[s.id]) for s in brief.sources}
    claims = {c.id: c for c in brief.claims}
    places, spans = _places(brief, articles)

    def label(source_id: str) -> str:
        return labels.get(source_id, source_id)

    def claim_button(c: Claim, text: str | None = None) -> str:
        shown = escape(_one_line(text if text is not None else c.quote))
        place = places.get(c.id)
        if place is None:
            return f'<button type="button" class="claim" disabled title="not located in the source">{shown}</button>'
        return (
            f'<button type="button" class="claim" data-target="{place.mark_id}" '
            f'aria-label="Show in {escape(label(c.source_id))}: {shown}">{shown}</button>'
        )

    def cite(cid: str) -> str:
        c = claims.get(cid)
        if c is None:
            return ""
        place = places.get(cid)
        text = escape(label(c.source_id))
        if place is None:
            return f'<span class="muted">[{text}]</span>'
        return (
            f'<a href="#{place.mark_id}" class="cite" data-target="{place.mark_id}" '
            f'aria-label="show the quote in {text}">[{text}]</a>'
        )

    left: list[str] = ['<h2 id="summary">Summary</h2>']
    if brief.summary:
        left.append("<ul>")
        order = {s.id: i for i, s in enumerate(brief.sources)}  # cite in source order, as the Markdown does
        for sentence in brief.summary:
            known = [cid for cid in sentence.claim_ids if cid in claims]
            cited = sorted(known, key=lambda cid: order.get(claims[cid].source_id, 0))
            left.append(f"<li>{escape(sentence.text)} {' '.join(cite(cid) for cid in cited)}</li>")
        left.append("</ul>")
    else:
        left.append('<p class="muted">No summary sentence could be checked against the sources.</p>')

    left.append('<h2 id="conflicts">Where sources conflict</h2>')
    conflicts = [g for g in brief.groups if g.status == "conflict"]
    if not conflicts:
        left.append('<p class="muted">No conflicting figures, dates or names were found.</p>')
    for g in conflicts:
        members = [claims[cid] for cid in g.claim_ids if cid in claims]
        kind = g.judged_on.kind if g.judged_on else "wording"
        left.append(f'<h3>{escape(g.topic)} <span class="muted">({escape(kind)} conflict)</span></h3>')
        left.append(
            f'<table class="conflict" data-group="{escape(g.id)}"><thead><tr><th scope="col">Source</th>'
            '<th scope="col">Says</th><th scope="col">Quote</th></tr></thead><tbody>'
        )
        for c in members:
            place = places.get(c.id)
            stance = g.stances.get(c.id)
            side = (stance.side if stance else 0) % SIDE_COLOURS
            target = f' data-target="{place.mark_id}"' if place else ""
            left.append(
                f'<tr class="side side-{side}"{target} data-claim="{escape(c.id)}">'
                f"<td>{escape(names.get(c.source_id, c.source_id))}</td>"
                f"<td>{escape(g.says(c))}</td><td>{claim_button(c)}{_credit(c)}</td></tr>"
            )
        left.append("</tbody></table>")

    left.append('<h2 id="agreements">Where sources agree</h2>')
    agreements = [g for g in brief.groups if g.status == "agree"]
    if not agreements:
        left.append('<p class="muted">No fact was reported by more than one source.</p>')
    for g in agreements:
        left.append(f"<h3>{escape(g.topic)}</h3><ul>")
        for c in (claims[cid] for cid in g.claim_ids if cid in claims):
            left.append(f"<li>{escape(names.get(c.source_id, c.source_id))}: {claim_button(c)}{_credit(c)}</li>")
        left.append("</ul>")

    left.append('<h2 id="single">Reported by one source</h2>')
    by_source = singles_by_source(brief)
    for teller, singles in by_source:
        left.append(f'<h3 class="single-source">{escape(names[teller.id])}</h3><ul>')
        for c in singles:
            left.append(f"<li>{claim_button(c)}{_credit(c)} [{escape(label(c.source_id))}]</li>")
        left.append("</ul>")
    if not by_source:
        left.append('<p class="muted">Every claim was reported by more than one source.</p>')

    repaired = [d for d in brief.dropped if d.kind == "repaired"]
    skipped = [d for d in brief.dropped if d.kind == "skipped"]
    dropped = [d for d in brief.dropped if d not in repaired and d not in skipped]
    left.append('<h2 id="dropped">Dropped model output</h2>')
    if dropped:
        left.append("<ul>")
        for d in dropped:
            raw = f"<details><summary>what the model said</summary><pre>{escape(d.raw[:2000])}</pre></details>"
            left.append(f"<li>{escape(label(d.source_id))}: {escape(d.reason)}{raw if d.raw else ''}</li>")
        left.append("</ul>")
    else:
        left.append('<p class="muted">Nothing the model returned was dropped.</p>')
    if skipped:
        left.append("<h3>Not offered to the model</h3><ul>")
        for d in skipped:
            left.append(f"<li>{escape(label(d.source_id))}: “{escape(_one_line(d.raw))}”: {escape(d.reason)}</li>")
        left.append("</ul>")
    if repaired:
        left.append('<h3>Repaired</h3><ul class="muted">')
        left.extend(f"<li>{escape(label(d.source_id))}: {escape(d.reason)}</li>" for d in repaired)
        left.append("</ul>")

    m, st = brief.method, brief.stats
    left.append(
        f'<p class="muted">Method: model {escape(m.model)} via {escape(m.endpoint_kind)}; prompt '
        f"{escape(m.prompt_version)}; summary by {escape(m.summary_mode)}. Claims extracted {st.claims_extracted}, "
        f"verified {st.claims_verified}, dropped {st.claims_dropped}. Every highlight is the claim's quote at its "
        "recorded character offsets in the source.</p>"
    )

    right: list[str] = ["<h2>Sources</h2>"]
    sources = {s.id: s for s in brief.sources}
    for a in articles:
        source = sources.get(a.id)
        meta = [escape(x) for x in (a.outlet, a.published) if x]
        if a.url and a.url.startswith(("https://", "http://")):
            meta.append(f'<a href="{escape(a.url)}" rel="noopener noreferrer">{escape(a.url)}</a>')
        elif a.path:
            meta.append(escape(a.path))
        heading = f"{escape(label(a.id))} {escape(a.title or a.id)}"
        body = f'<div class="text">{_article_html(a, spans.get(a.id, []))}</div>'
        if source is not None and source.duplicate_of:
            body = (
                f'<p class="muted">Same text as {escape(label(source.duplicate_of))}: it counts as one source, and '
                f"its claims are highlighted there.</p><details><summary>text</summary>{body}</details>"
            )
        right.append(
            f'<article id="source-{escape(a.id)}" aria-label="{heading}"><h3>{heading}</h3>'
            f'<div class="meta">{" · ".join(meta)}</div>{body}</article>'
        )

    distinct = sum(1 for s in brief.sources if s.duplicate_of is None)
    title = f"Brief: {distinct} source{'s' if distinct != 1 else ''} compared"
    legend = (
        '<p class="legend">Highlights: <span class="key-agree">agreed</span> '
        '<span class="key-single">one source</span> conflict sides '
        + " ".join(f'<span class="key-side-{i}">{i + 1}</span>' for i in range(SIDE_COLOURS))
        + ". Click a quote, row or citation to see it in its source; Escape goes back.</p>"
    )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{escape(title)}</title>'
        f"<style>{_CSS}</style></head><body>"
        '<a class="skip" href="#sources">Skip to the sources</a>'
        f"<header><h1>{escape(title)}</h1>{legend}</header><main>"
        f'<section id="brief" aria-label="Brief">{"".join(left)}</section>'
        f'<section id="sources" aria-label="Source articles" tabindex="-1">{"".join(right)}</section>'
        f"</main><script>{_JS}</script></body></html>\n"
    )


def _credit(claim: Claim) -> str:
    note = credit_note(claim)
    return f' <span class="muted">({escape(note)})</span>' if note else ""
