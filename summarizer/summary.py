"""The brief's opening summary: assembled from groups by rule, or written by the model and checked.

Either way every sentence cites claims, and every number in it must occur in a cited claim's quote;
a sentence that fails the check is dropped, and the rule-based summary stands in if none survive.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence

from pydantic import BaseModel, ConfigDict, ValidationError

from summarizer.citations import source_labels, source_name
from summarizer.errors import ModelOutputError
from summarizer.llm import ModelClient
from summarizer.models import Claim, Group, Source, SummarySentence, Usage, Value
from summarizer.prompts import load_prompt
from summarizer.provenance import one_origin_note, origins_phrase
from summarizer.schemas import strict_schema
from summarizer.timeline import update_sentence, update_steps
from summarizer.validator import numbers_in

PROMPT_NAME = "summary.v1"
MAX_AGREEMENTS = 3
_LABEL = re.compile(r"\bS\d+\b")  # a citation label as the renderers print it


def check_sentence(sentence: SummarySentence, claims: dict[str, Claim], sources: dict[str, Source]) -> str | None:
    """Why a summary sentence cannot be published, or None when its citations and numbers hold."""
    if not sentence.claim_ids:
        return "cites no claim"
    unknown = [cid for cid in sentence.claim_ids if cid not in claims]
    if unknown:
        return f"cites unknown claims: {', '.join(unknown)}"
    cited = [claims[cid] for cid in sentence.claim_ids]
    allowed = set().union(*(numbers_in(c.quote) for c in cited))
    # the digits of a cited source's name ("Channel 4 News") are no claim but may be written; those of
    # a label ("S2") are stripped first, so they excuse no number elsewhere in the sentence
    named = [source_name(sources[c.source_id], "") for c in cited if c.source_id in sources]
    allowed |= set().union(*(numbers_in(name) for name in named if name not in sources))
    missing = numbers_in(_LABEL.sub(" ", sentence.text)) - allowed
    if missing:
        return f"states numbers not in its cited claims: {', '.join(sorted(missing))}"
    return None


def _and(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" and {names[-1]}"


def rule_summary(
    groups: Sequence[Group], claims: dict[str, Claim], sources: dict[str, Source]
) -> list[SummarySentence]:
    """A plain summary built from the groups alone, so a brief never depends on model prose."""
    sentences: list[SummarySentence] = []
    labels = source_labels(sources.values())
    named = {sid: source_name(s, labels[sid]) for sid, s in sources.items()}
    # a superseded figure first, its latest value leading (timeline.py); then the disputes
    for group in sorted(groups, key=lambda g: g.kind != "superseded"):
        members = [claims[cid] for cid in group.claim_ids]
        if group.kind == "superseded" and (updated := update_sentence(group, claims, named)):
            sentences.append(SummarySentence(text=updated, claim_ids=list(dict.fromkeys(group.claim_ids))))
            continue
        if group.status == "conflict":
            by_source: dict[str, Claim] = {}
            for c in members:
                by_source.setdefault(c.source_id, c)
            saying: dict[str, list[str]] = {}  # what a side says -> the sources that say it
            for sid, c in by_source.items():
                saying.setdefault(group.says(c), []).append(source_name(sources[sid], labels[sid]))
            verb = "names" if group.judged_on and group.judged_on.kind in ("name", "title", "spelling") else "gives"
            sides = "; ".join(
                f"{_and(names)} {verb if len(names) == 1 else verb.removesuffix('s')} {said}"
                for said, names in saying.items()
            )
            one = one_origin_note(group)  # every side from one origin: say so (provenance.py)
            sentences.append(
                SummarySentence(
                    text=f"Sources differ on {group.topic}: {sides}." + (f" {one}" if one else ""),
                    claim_ids=[c.id for c in by_source.values()],
                )
            )
    # agreements backed by the most independent origins first, then by the most outlets
    agreements = sorted(
        (g for g in groups if g.status == "agree"),
        key=lambda g: (-(g.independent or 0), -len({claims[c].source_id for c in g.claim_ids})),
    )
    for group in agreements[:MAX_AGREEMENTS]:
        members = [claims[cid] for cid in group.claim_ids]
        in_order = sorted({c.source_id for c in members}, key=list(sources).index)
        names = [source_name(sources[sid], labels[sid]) for sid in in_order]
        counted = origins_phrase(group, spelled=True)  # "four outlets, one origin: AFP" (provenance.py)
        text = agreement_sentence(group, members, names)
        text = text[:-1] + f" ({counted})." if counted else text
        sentences.append(SummarySentence(text=text, claim_ids=[c.id for c in members]))
    return [s for s in sentences if check_sentence(s, claims, sources) is None]


def agreement_sentence(group: Group, members: Sequence[Claim], names: Sequence[str]) -> str:
    """An agreement in a sentence of its own words, no quote pasted in: a group of figures says the
    figure they give ("Six outlets give the magnitude as 6.1"), a group worded alike what its topic
    says, a phrase cut from one of its claims ("... agree: police and troops were deployed")."""
    who = _and(list(names))
    if group.frame is not None:
        said = [
            _with_unit(c, v) for c in members for v in c.values if v.frame and v.frame.measure == group.frame.measure
        ]
        if said:
            common = max(dict.fromkeys(said), key=said.count)
            return f"{who} give {common} for {group.topic}."
    topic = group.topic.rstrip(" .,;:")
    return f"{who} agree: {topic[:1].lower() + topic[1:] if _lower_first(topic) else topic}."


def _with_unit(claim: Claim, value: Value) -> str:
    """A figure as its claim writes it, with the unit word after it when it is a measurement ("10 kilometres")."""
    if value.measured_in is None:
        return value.text
    unit = re.match(r"[\s-]*[A-Za-z/]+", claim.quote[value.end :])
    return value.text + (unit.group(0) if unit else "")


def _lower_first(text: str) -> bool:
    """A topic's first word is lower-cased mid-sentence unless it is a name (capitalised in its claims)."""
    first = text.split(" ", 1)[0]
    return first[:1].isupper() and first.lower() in _COMMON_OPENERS


# words that open a topic phrase and are no names
_COMMON_OPENERS = frozenset("the a an this that these those its their his her police officials people".split())


class _WireSentence(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str
    groups: list[str]


class _WireSummary(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sentences: list[_WireSentence]


def _groups_text(groups: Sequence[Group], claims: dict[str, Claim], sources: dict[str, Source]) -> str:
    labels = source_labels(sources.values())
    names = {sid: source_name(s, labels[sid]) for sid, s in sources.items()}
    lines = []
    for g in groups:
        if g.status == "single":
            continue
        steps = update_steps(g, claims, names)  # a superseded figure: the model is told which is the latest
        latest = f"; an update: the latest reports give {steps[-1].says}" if steps else ""
        lines.append(f"{g.id} ({g.status}, about {g.topic}{latest}):")
        for cid in g.claim_ids:
            c = claims[cid]
            lines.append(f'  - {source_name(sources[c.source_id], labels[c.source_id])}: "{" ".join(c.quote.split())}"')
    return "\n".join(lines)


def model_summary(
    groups: Sequence[Group],
    claims: dict[str, Claim],
    sources: dict[str, Source],
    client: ModelClient,
    *,
    on_drop: Callable[[str, str], None] | None = None,
) -> tuple[list[SummarySentence], Usage]:
    """Ask the model for summary sentences citing groups, and keep only those that check out."""
    text = _groups_text(groups, claims, sources)
    if not text:
        return [], Usage()
    system, user = load_prompt(PROMPT_NAME).render(groups=text)
    result = client.chat_json(
        [{"role": "system", "content": system}, {"role": "user", "content": user}],
        schema=strict_schema(_WireSummary),
        schema_name="summary",
        max_tokens=400,
    )
    usage = Usage(
        calls=1, prompt_tokens=result.prompt_tokens, completion_tokens=result.completion_tokens, seconds=result.seconds
    )
    try:
        wire = _WireSummary.model_validate(json.loads(result.content))
    except (json.JSONDecodeError, ValidationError) as exc:
        if on_drop:
            on_drop(f"summary answer unusable: {ModelOutputError(str(exc).splitlines()[0])}", result.content[:2000])
        return [], usage
    by_id = {g.id: g for g in groups}
    kept: list[SummarySentence] = []
    for ws in wire.sentences:
        cited = [cid for gid in ws.groups if gid in by_id for cid in by_id[gid].claim_ids]
        sentence = SummarySentence(text=" ".join(ws.text.split()), claim_ids=cited)
        problem = check_sentence(sentence, claims, sources)
        if problem is None:
            kept.append(sentence)
        elif on_drop:
            on_drop(f"summary sentence dropped: {problem}", ws.model_dump_json())
    return kept, usage


def summary_prompt_version() -> str:
    return load_prompt(PROMPT_NAME).version
