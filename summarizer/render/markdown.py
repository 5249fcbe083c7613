"""The brief as neutral Markdown (a pure function, no model): the CLI's brief.md and `Brief.to_markdown`.

Text from an article or a request is data, not Markdown: it is escaped so that it shows as written
and builds no markup. The page is its title, then the sections of `SECTIONS` in `view.ORDER`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from summarizer.citations import credit_note, labelled_name, singles_by_source
from summarizer.models import Brief, Claim, Group, Source
from summarizer.provenance import derived_notes, one_origin_note, origins_phrase
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

# These characters could start HTML, a link, emphasis, code or a table cell, so they are
# backslash-escaped (which renders them as themselves). Apostrophes, hyphens, commas, periods,
# percent signs and colons are left alone.
_MD_SPECIAL = re.compile(r"[\\`*_\[\]<>|~]|&(?=#?\w+;)")
# ...and these would start a heading, quote or list when the text begins a line or a list item.
_MD_LEADING = re.compile(r"^(?:[#>]|[-+=](?=\s|$)|\d{1,9}(?=[.)](?:\s|$)))")


def _md(text: str) -> str:
    """External text made inert in Markdown, on one line: it shows as written and builds no markup."""
    escaped = _MD_SPECIAL.sub(lambda m: "\\" + m.group(0), one_line(text))
    leading = _MD_LEADING.match(escaped)
    if leading is None:
        return escaped
    if leading.group(0)[0].isdigit():  # "1. " would start a numbered list: escape its dot
        end = leading.end()
        return escaped[:end] + "\\" + escaped[end:]
    return "\\" + escaped


def _code(text: str) -> str:
    """External text as an inline code span, fenced by more backticks than it holds (nothing is escaped in code)."""
    flat = one_line(text)
    if "`" not in flat:
        return f"`{flat}`"
    fence = "`" * (max(len(run) for run in re.findall(r"`+", flat)) + 1)
    return f"{fence} {flat} {fence}"


def _name(source: Source, label: str) -> str:
    return _md(labelled_name(source, label))


def _cite(claims: list[Claim], view: View) -> str:
    """The labels of the claims' sources, each once and in source order: "[S1, S3]"."""
    cited = {view.labels[c.source_id] for c in claims}
    return "[" + ", ".join(label for label in view.labels.values() if label in cited) + "]"


def _quote(text: str) -> str:
    return "“" + _md(text) + "”"


def _credit(claim: Claim) -> str:
    note = credit_note(claim)
    return f" ({_md(note)})" if note else ""


def _teller(view: View, claim: Claim) -> str:
    """The labelled name of the source a claim is from."""
    return _name(view.sources[claim.source_id], view.labels[claim.source_id])


def _heading(heading: Heading, empty: bool = False) -> list[str]:
    """A section's title, and the line saying it has nothing when it is empty."""
    return [f"## {heading.title}", ""] + ([f"_{heading.empty}_", ""] if empty else [])


def _header(view: View) -> list[str]:
    """The title, and notes on a lone source and on sources that repeat another's text."""
    out = [f"# {view.title()}", ""]
    if view.distinct() == 1:
        out += ["> Only one source was given: nothing could be cross-checked, so every claim is single-source.", ""]
    for s in view.brief.sources:
        if s.duplicate_of:
            out += [
                f"> {view.labels[s.id]} ({_md(s.id)}) has the same text as {view.labels[s.duplicate_of]} "
                "and counts as one source.",
                "",
            ]
    for note in derived_notes(view.brief.sources, view.labels):
        out += [f"> {_md(note)}", ""]
    return out


def _summary(view: View) -> list[str]:
    if not view.brief.summary:
        return _heading(SUMMARY, empty=True)
    lines = [f"- {_md(s.text)} {_cite([view.claims[c] for c in s.claim_ids], view)}" for s in view.brief.summary]
    return _heading(SUMMARY) + lines + [""]


def _agreements(view: View) -> list[str]:
    groups = view.groups("agree")
    out = _heading(AGREEMENTS, empty=not groups)
    for g in groups:
        members = [view.claims[c] for c in g.claim_ids]
        out += [f"**{_md(g.topic)}** {_cite(members, view)}", ""]
        counted = origins_phrase(g)
        out += [f"_{_md(counted)}_", ""] if counted else []
        out += [f"- {_teller(view, c)}: {_quote(c.quote)}{_credit(c)}" for c in members]
        out.append("")
    return out


def _conflict_table(view: View, g: Group, members: list[Claim]) -> list[str]:
    """A conflict's sides, one row per claim; with the day and origin of each where the brief has them."""
    if not has_provenance(g):
        rows = [f"| {_teller(view, c)} | {_md(g.says_in_table(c))} | {_quote(c.quote)}{_credit(c)} |" for c in members]
        return ["| Source | Says | Quote |", "|---|---|---|", *rows]
    rows = []
    for c in members:
        stance = g.stances.get(c.id)
        day = _md(day_text(stance.date)) if stance and stance.date else "–"
        origin = _md(stance.origin) if stance and stance.origin else "–"
        rows.append(
            f"| {_teller(view, c)} | {_md(g.says_in_table(c))} | {day} | {origin} | {_quote(c.quote)}{_credit(c)} |"
        )
    return ["| Source | Says | Date | Origin | Quote |", "|---|---|---|---|---|", *rows]


def _conflicts(view: View) -> list[str]:
    groups = view.groups("conflict")
    out = _heading(CONFLICTS, empty=not groups)
    for g in groups:
        members = [view.claims[c] for c in g.claim_ids]
        out += [f"**{_md(g.topic)}** ({conflict_label(g)}) {_cite(members, view)}", ""]
        for line in (update_line(g, view.claims, view.names), one_origin_note(g)):
            out += [_md(line), ""] if line else []
        out += _conflict_table(view, g, members)
        out.append("")
    return out


def _singles(view: View) -> list[str]:
    out = _heading(SINGLES, empty=not view.groups("single"))
    for source, singles in singles_by_source(view.brief):
        out += [f"**{_name(source, view.labels[source.id])}**", ""]
        out += [f"- {_quote(c.quote)}{_credit(c)} [{view.labels[c.source_id]}]" for c in singles]
        out.append("")
    return out


def _sources(view: View) -> list[str]:
    out = ["## Sources", ""]
    for s in view.brief.sources:
        bits = [_md(b) for b in (s.title, s.outlet, day_text(s.date) if s.date else None, s.path) if b]
        copied = [f"near-copy of {view.label(d.source_id)}" for d in s.derived_from]
        bits += [f"{', '.join(copied)} (see above)"] if copied else []
        out.append(f"- **{view.labels[s.id]}** {_code(s.id)}: {' — '.join(bits)}")
    return out + [""]


def _dropped(view: View) -> list[str]:
    """What the model returned that was dropped or repaired, and text never offered to it (if any)."""
    if not view.brief.dropped:
        return []
    lines = [f"- {_md(view.label(d.source_id))}: {_md(d.reason)}" for d in view.brief.dropped]
    return ["## Dropped or repaired model output", ""] + lines + [""]


def _method(view: View) -> list[str]:
    """The footer: which model and prompt made the brief, and how many claims survived."""
    st, m = view.brief.stats, view.brief.method
    return [
        "---",
        "",
        f"_Method: model `{m.model}` via {m.endpoint_kind}; prompt `{m.prompt_version}`; summary by {m.summary_mode}. "
        + (f"Model check of the groups: {m.adjudication}. " if m.adjudication else "")
        + f"Claims extracted {st.claims_extracted}, verified {st.claims_verified}, dropped {st.claims_dropped}. "
        f"Every quote above is cut from its source at recorded character offsets (see the JSON brief)._",
        "",
    ]


# Each section's builder: it returns its lines, blank lines included.
SECTIONS: Mapping[Section, Callable[[View], list[str]]] = {
    "summary": _summary,
    "agreements": _agreements,
    "conflicts": _conflicts,
    "singles": _singles,
    "sources": _sources,
    "dropped": _dropped,
    "method": _method,
}


def render_markdown(brief: Brief) -> str:
    """The brief as Markdown: summary, agreements, conflicts, single-source claims, sources, method."""
    view = View.of(brief)
    return "\n".join(_header(view) + [line for name in ORDER for line in SECTIONS[name](view)])
