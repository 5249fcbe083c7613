"""The cross-domain pair suite: does the grouping judge two one-sentence articles as an editor would?

Each pair is two articles of one sentence each, from two outlets, about one story, labelled by a
person: `conflict` (the same fact, stated incompatibly), `agree` (the same fact, stated compatibly)
or `separate` (different facts, however alike they look). `judge` builds one claim per sentence,
its quote the whole sentence, and groups them with `summarizer.consensus.group_claims`, the call the
pipeline makes, so the suite measures the product's rules and nothing written for it. `score`
tallies a suite per domain and as a confusion matrix (`python -m bench --pairs` prints it).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal, cast, get_args

from summarizer.consensus import group_claims
from summarizer.errors import InputError
from summarizer.models import Claim

Label = Literal["conflict", "agree", "separate"]
# "worth_checking": both claims in a group of a weaker status than a conflict, should the grouping
# gain one; it is scored as `separate`, since the eval counts only real conflicts
Verdict = Literal["conflict", "agree", "separate", "worth_checking"]
LABELS: tuple[Label, ...] = get_args(Label)
_DECIDED = frozenset(("conflict", "agree", "single"))  # the statuses a group has today


@dataclass(frozen=True)
class Article:
    """One side of a pair: a one-sentence article, with its outlet and date where given."""

    text: str
    outlet: str | None = None
    published: date | None = None


@dataclass(frozen=True)
class Pair:
    """Two articles about one story and what a person says of them."""

    id: str
    domain: str
    label: Label
    a: Article
    b: Article
    note: str = ""


def _claim(source: str, article: Article) -> Claim:
    """The claim the extractor would keep for a one-sentence article: the whole sentence, quoted."""
    text = article.text
    return Claim(id=f"{source}:c1", source_id=source, text=text, quote=text, start=0, end=len(text), match="exact")


def judge(a: Article | str, b: Article | str) -> Verdict:
    """How the grouping rules see two one-sentence articles from two outlets.

    `conflict` when one group holding both is a conflict, else `worth_checking` when one holding
    both has a status weaker than a conflict, else `agree` when one holding both agrees, else
    `separate` (each claim alone, or only in groups without the other)."""
    left = a if isinstance(a, Article) else Article(a)
    right = b if isinstance(b, Article) else Article(b)
    claims = [_claim("a", left), _claim("b", right)]
    published = {"a": left.published, "b": right.published}
    both = {c.id for c in claims}
    statuses = {str(g.status) for g in group_claims(claims, published) if both <= set(g.claim_ids)}
    if "conflict" in statuses:
        return "conflict"
    if statuses - _DECIDED:
        return "worth_checking"
    return "agree" if "agree" in statuses else "separate"


def scored(verdict: Verdict) -> Label:
    """The label a verdict counts as: a pair only worth checking is not called a conflict."""
    return "separate" if verdict == "worth_checking" else verdict


@dataclass(frozen=True)
class Outcome:
    pair: Pair
    verdict: Verdict

    @property
    def right(self) -> bool:
        return scored(self.verdict) == self.pair.label


@dataclass
class Score:
    """A suite's results: per domain, overall and as a confusion matrix (gold label -> predicted)."""

    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return _share(self.outcomes)

    def domains(self) -> dict[str, float]:
        """Accuracy per domain, domains in the suite's order."""
        by: dict[str, list[Outcome]] = {}
        for o in self.outcomes:
            by.setdefault(o.pair.domain, []).append(o)
        return {d: _share(os) for d, os in by.items()}

    def confusion(self) -> dict[Label, Counter[Label]]:
        matrix: dict[Label, Counter[Label]] = {label: Counter() for label in LABELS}
        for o in self.outcomes:
            matrix[o.pair.label][scored(o.verdict)] += 1
        return matrix

    def wrong(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.right]


def _share(outcomes: Sequence[Outcome]) -> float:
    return sum(o.right for o in outcomes) / len(outcomes) if outcomes else 0.0


def score(pairs: Iterable[Pair]) -> Score:
    """Judge every pair."""
    return Score([Outcome(p, judge(p.a, p.b)) for p in pairs])


def _article(raw: Any, where: str) -> Article:
    if isinstance(raw, str):
        raw = {"text": raw}
    if not isinstance(raw, dict) or not isinstance(raw.get("text"), str) or not raw["text"].strip():
        raise InputError(f"{where}: an article is a sentence or an object with a non-empty 'text'")
    outlet, published = raw.get("outlet"), raw.get("published")
    try:
        day = date.fromisoformat(published) if isinstance(published, str) else None
    except ValueError as exc:
        raise InputError(f"{where}: 'published' is a date written YYYY-MM-DD, not {published!r}") from exc
    return Article(raw["text"], outlet if isinstance(outlet, str) else None, day)


def load_pairs(path: Path) -> list[Pair]:
    """The suite stored at `path`: a JSON list of {id, domain, label, a, b, note}."""
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot read the pair suite ({exc})") from exc
    if not isinstance(rows, list):
        raise InputError(f"{path}: the pair suite is a JSON list of pairs")
    pairs: list[Pair] = []
    for n, row in enumerate(rows, start=1):
        where = f"{path} pair {n}"
        if not isinstance(row, dict) or row.get("label") not in LABELS:
            raise InputError(f"{where}: each pair is an object whose label is one of {', '.join(LABELS)}")
        pid, domain = row.get("id"), row.get("domain")
        if not isinstance(pid, str) or not isinstance(domain, str):
            raise InputError(f"{where}: each pair needs a string 'id' and 'domain'")
        label = cast(Label, row["label"])
        note = row["note"] if isinstance(row.get("note"), str) else ""
        pairs.append(Pair(pid, domain, label, _article(row.get("a"), where), _article(row.get("b"), where), note))
    ids = Counter(p.id for p in pairs)
    if doubles := [i for i, k in ids.items() if k > 1]:
        raise InputError(f"{path}: pair ids used twice: {', '.join(doubles)}")
    return pairs
