"""Writing: a neutral Markdown brief from a `Brief` (pure function, no model)."""

from __future__ import annotations

from summarizer.models import Brief, Claim
from summarizer.summary import credit_note, labelled_name, side_text, singles_by_source, source_labels


def _cite(claims: list[Claim], labels: dict[str, str]) -> str:
    keys = sorted({labels[c.source_id] for c in claims}, key=lambda k: int(k[1:]))
    return "[" + ", ".join(keys) + "]"


def _quote(text: str) -> str:
    return "“" + " ".join(text.split()).replace("|", "\\|") + "”"


def _credit(claim: Claim) -> str:
    note = credit_note(claim)
    return f" ({note})" if note else ""


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
            f"> {labels[s.id]} ({s.id}) has the same text as {labels[s.duplicate_of or '']} and counts as one source.",
            "",
        ]

    out += ["## Summary", ""]
    if brief.summary:
        for sentence in brief.summary:
            out.append(f"- {sentence.text} {_cite([claims[c] for c in sentence.claim_ids], labels)}")
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
        out.append(f"**{g.topic}** {_cite(members, labels)}")
        out.append("")
        for c in members:
            out.append(f"- {labelled_name(by_source[c.source_id], labels[c.source_id])}: {_quote(c.quote)}{_credit(c)}")
        out.append("")

    section("Where sources conflict", "conflict", "No conflicting figures, dates or names were found.")
    for g in (g for g in brief.groups if g.status == "conflict"):
        members = [claims[c] for c in g.claim_ids]
        kind = (g.basis or "").split(":")[0]
        out.append(f"**{g.topic}** ({kind} conflict) {_cite(members, labels)}")
        out.append("")
        out.append("| Source | Says | Quote |")
        out.append("|---|---|---|")
        for c in members:
            out.append(
                f"| {labelled_name(by_source[c.source_id], labels[c.source_id])} | {side_text(c, g.basis, members)} | "
                f"{_quote(c.quote)}{_credit(c)} |"
            )
        out.append("")

    section("Reported by one source", "single", "Every claim was reported by more than one source.")
    for source, singles in singles_by_source(brief):
        out += [f"**{labelled_name(source, labels[source.id])}**", ""]
        out += [f"- {_quote(c.quote)}{_credit(c)} [{labels[c.source_id]}]" for c in singles]
        out.append("")

    out += ["## Sources", ""]
    for s in brief.sources:
        bits = [b for b in (s.title, s.outlet, s.path) if b]
        out.append(f"- **{labels[s.id]}** `{s.id}`: {' — '.join(bits)}")
    out.append("")

    if brief.dropped:
        out += ["## Dropped or repaired model output", ""]
        for d in brief.dropped:
            out.append(f"- {labels.get(d.source_id, d.source_id)}: {d.reason}")
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
