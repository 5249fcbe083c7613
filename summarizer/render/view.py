"""What every rendering of a brief shares: its lookups, its title, and its sections' headings.

Both renderings print the same words for a section and for an empty one, so these live here once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from summarizer.citations import source_labels, source_name
from summarizer.models import Brief, Claim, Group, GroupStatus, Source
from summarizer.timeline import parse_day


@dataclass(frozen=True)
class Heading:
    """A section of the brief: its anchor on the review page, its title, and what it says when empty."""

    anchor: str
    title: str
    empty: str


SUMMARY = Heading("summary", "Summary", "No summary sentence could be checked against the sources.")
AGREEMENTS = Heading("agreements", "Where sources agree", "No fact was reported by more than one source.")
CONFLICTS = Heading("conflicts", "Where sources conflict", "No conflicting figures, dates or names were found.")
SINGLES = Heading("single", "Reported by one source", "Every claim was reported by more than one source.")

Section = Literal["summary", "agreements", "conflicts", "singles", "sources", "dropped", "method"]

# The order of a brief's sections in every rendering. The review page shows the sources in their
# own column beside the brief, so there "sources" is where that column is built, not a place in
# the brief's column.
ORDER: tuple[Section, ...] = ("summary", "agreements", "conflicts", "singles", "sources", "dropped", "method")


@dataclass(frozen=True)
class View:
    """A brief with the lookups every section needs, built once per rendering."""

    brief: Brief
    labels: dict[str, str]  # source id -> "S1", "S2", ...
    claims: dict[str, Claim]
    sources: dict[str, Source]
    names: dict[str, str]  # source id -> the name prose uses ("SunStar (Philippines)", else a short title or "S2")

    @classmethod
    def of(cls, brief: Brief) -> View:
        labels = source_labels(brief.sources)
        return cls(
            brief=brief,
            labels=labels,
            claims={c.id: c for c in brief.claims},
            sources={s.id: s for s in brief.sources},
            names={s.id: source_name(s, labels[s.id]) for s in brief.sources},
        )

    def label(self, source_id: str) -> str:
        """A source's citation label, or its id when the brief does not list it."""
        return self.labels.get(source_id, source_id)

    def groups(self, status: GroupStatus) -> list[Group]:
        return [g for g in self.brief.groups if g.status == status]

    def distinct(self) -> int:
        """How many sources the brief compares: a source with the same text as another counts once."""
        return sum(1 for s in self.brief.sources if s.duplicate_of is None)

    def title(self) -> str:
        """The page's title: "Brief: 3 sources compared"."""
        distinct = self.distinct()
        return f"Brief: {distinct} source{'s' if distinct != 1 else ''} compared"


def one_line(text: str) -> str:
    """External text on one line: a quote's or a reason's line breaks and runs of spaces become one space."""
    return " ".join(text.split())


def conflict_label(group: Group) -> str:
    """What kind of conflict a group is, in words: "number conflict", "updated figure" (superseded)."""
    if group.kind == "superseded":
        return "updated figure"
    return f"{group.judged_on.kind} conflict" if group.judged_on else "conflict"  # none in a brief stored before it


def has_provenance(group: Group) -> bool:
    """Whether a conflict's sides carry their days and origins (a brief stored before them does not)."""
    return any(s.date or s.origin for s in group.stances.values())


def day_text(iso: str | None) -> str:
    """A day as a reader writes it: "2013-07-02" -> "2 July 2013" (the text itself when it is no day)."""
    day = parse_day(iso)
    return f"{day.day} {day:%B %Y}" if day else (iso or "")
