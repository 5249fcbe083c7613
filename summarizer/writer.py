"""Writing: a neutral Markdown brief from a `Brief` (pure function, no model)."""

from __future__ import annotations

import re

from summarizer.models import Brief, Claim, Source
from summarizer.citations import credit_note, labelled_name, singles_by_source, source_labels

# Text from an article or a request is data, not Markdown: these characters could start HTML, a link,
# emphasis, code or a table cell, so they are backslash-escaped (which renders them as themselves).
# Apostrophes, hyphens, commas, periods, percent signs and colons are left alone.
_MD_SPECIAL = re.compile(r"[\\`*_\[\]<>|~]|&(?=#?\w+;)")
# ...and these would start a heading, quote or list when the text begins a line or a list item.
_MD_LEADING = re.compile(r"^(?:[#>]|[-+=](?=\s|$)|\d{1,9}(?=[.)](?:\s|$)))")


def _md(text: str) -> str:
    """External text made inert in Markdown, on one line: it shows as written and builds no markup."""
    escaped = _MD_SPECIAL.sub(lambda m: "\\" + m.group(0), " ".join(text.split()))
    leading = _MD_LEADING.match(escaped)
    if leading is None:
        return escaped
    if leading.group(0)[0].isdigit():  # "1. " would start a numbered list: escape its dot
        end = leading.end()
        return escaped[:end] + "\\" + escaped[end:]
    return "\\" + escaped


def _code(text: str) -> str:
    """External text as an inline code span, fenced by more backticks than it holds (nothing is escaped in code)."""
    flat = " ".join(text.split())
    if "`" not in flat:
        return f"`{flat}`"
    fence = "`" * (max(len(run) for run in re.findall(r"`+", flat)) + 1)
    return f"{fence} {flat} {fence}"


def _name(source: Source, label: str) -> str:
    return _md(labelled_name(source, label))


def _cite(claims: list[Claim], labels: dict[str, str]) -> str:
    keys = sorted({labels[c.source_id] for c in claims}, key=lambda k: int(k[1:]))
    return "[" + ", ".join(keys) + "]"


def _quote(text: str) -> str:
    return "“" + _md(text) + "”"


def _credit(claim: Claim) -> str:
    note = credit_note(claim)
    return f" ({_md(note)})" if note else ""


def render_markdown(brief: Brief) -> str:
    """The brief as Markdown: summary, agreements, conflicts, single-source claims, sources, method."""
    labels = source_labels(brief.sources)
    claims = {c.id: c for c in brief.claims}
    by_source = {s.id: s for s in brief.sources}
    distinct = [s for s in brief.sources if s.duplicate_of is None]
    out: list[str] = [f"# Brief: {len(distinct)} source{'s' if len(distinct) != 1 else ''} compared", ""]
    if len(distinct) == 1:
        out += ["> Only one source was given: nothing could be cross-checked, so every claim is single-source.", ""]
    duplicates = [s for s in brief.sources if s.duplicate_of]
    for s in duplicates:
        out += [
            f"> {labels[s.id]} ({_md(s.id)}) has the same text as {labels[s.duplicate_of or '']} "
            "and counts as one source.",
            "",
        ]

    out += ["## Summary", ""]
    if brief.summary:
        for sentence in brief.summary:
            out.append(f"- {_md(sentence.text)} {_cite([claims[c] for c in sentence.claim_ids], labels)}")
    else:
        out.append("_No summary sentence could be checked against the sources._")
    out.append("")

    def section(title: str, status: str, empty: str) -> None:
        out.extend([f"## {title}", ""])
        groups = [g for g in brief.groups if g.status == status]
        if not groups:
            out.extend([f"_{empty}_", ""])
        return None

    section("Where sources agree", "agree", "No fact was reported by more than one source.")
    for g in (g for g in brief.groups if g.status == "agree"):
        members = [claims[c] for c in g.claim_ids]
        out.append(f"**{_md(g.topic)}** {_cite(members, labels)}")
        out.append("")
        for c in members:
            out.append(f"- {_name(by_source[c.source_id], labels[c.source_id])}: {_quote(c.quote)}{_credit(c)}")
        out.append("")

    section("Where sources conflict", "conflict", "No conflicting figures, dates or names were found.")
    for g in (g for g in brief.groups if g.status == "conflict"):
        members = [claims[c] for c in g.claim_ids]
        kind = g.judged_on.kind if g.judged_on else ""
        out.append(f"**{_md(g.topic)}** ({kind} conflict) {_cite(members, labels)}")
        out.append("")
        out.append("| Source | Says | Quote |")
        out.append("|---|---|---|")
        for c in members:
            out.append(
                f"| {_name(by_source[c.source_id], labels[c.source_id])} | {_md(g.says(c))} | "
                f"{_quote(c.quote)}{_credit(c)} |"
            )
        out.append("")

    section("Reported by one source", "single", "Every claim was reported by more than one source.")
    for source, singles in singles_by_source(brief):
        out += [f"**{_name(source, labels[source.id])}**", ""]
        out += [f"- {_quote(c.quote)}{_credit(c)} [{labels[c.source_id]}]" for c in singles]
        out.append("")

    out += ["## Sources", ""]
    for s in brief.sources:
        bits = [_md(b) for b in (s.title, s.outlet, s.path) if b]
        out.append(f"- **{labels[s.id]}** {_code(s.id)}: {' — '.join(bits)}")
    out.append("")

    if brief.dropped:
        out += ["## Dropped or repaired model output", ""]
        for d in brief.dropped:
            out.append(f"- {_md(labels.get(d.source_id, d.source_id))}: {_md(d.reason)}")
        out.append("")

    st, m = brief.stats, brief.method
    out += [
        "---",
        "",
        f"_Method: model `{m.model}` via {m.endpoint_kind}; prompt `{m.prompt_version}`; summary by {m.summary_mode}. "
        + (f"Model check of the groups: {m.adjudication}. " if m.adjudication else "")
        + f"Claims extracted {st.claims_extracted}, verified {st.claims_verified}, dropped {st.claims_dropped}. "
        f"Every quote above is cut from its source at recorded character offsets (see the JSON brief)._",
        "",
    ]
    return "\n".join(out)
