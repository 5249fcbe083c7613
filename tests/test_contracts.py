"""The typed contracts that replaced strings read back: schemas from wire models, events, bases, stances."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import BaseModel, Field

from summarizer.answers import answer_model
from summarizer.consensus import group_claims
from summarizer.consensus.values import parse_values
from summarizer.errors import ConfigError
from summarizer.events import ArticleCached, ArticleDone
from summarizer.models import Brief, Claim, DateParts, Method, Source, Stats
from summarizer.prompts import load_prompt
from summarizer.schemas import strict_schema

DATA = Path(__file__).parent / "data"


class _Inner(BaseModel):
    """A docstring that must not reach the model."""

    s: int
    by: str = ""


class _Outer(BaseModel):
    items: list[_Inner] = Field(default_factory=list)
    note: str = "x"


def claim(source: str, quote: str) -> Claim:
    return Claim(id=f"{source}:c1", source_id=source, text=quote, quote=quote, start=0, end=len(quote), match="exact")


def test_a_strict_schema_requires_every_field_and_forbids_extras_at_every_depth() -> None:
    assert strict_schema(_Outer) == {
        "type": "object",
        "properties": {
            "items": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"s": {"type": "integer"}, "by": {"type": "string"}},
                    "required": ["s", "by"],
                    "additionalProperties": False,
                },
            },
            "note": {"type": "string"},
        },
        "required": ["items", "note"],
        "additionalProperties": False,
    }


def test_a_field_the_strict_form_cannot_express_is_refused_not_dropped() -> None:
    class Loose(BaseModel):
        n: int | str

    with pytest.raises(TypeError):
        strict_schema(Loose)


def test_every_extraction_prompt_declares_an_answer_shape_that_has_a_schema() -> None:
    for name in ("extract.v1", "extract.v2", "extract.v3", "extract.v4"):
        prompt = load_prompt(name)
        assert prompt.answer_format is not None
        assert strict_schema(answer_model(prompt.answer_format))["additionalProperties"] is False


def test_the_reask_message_carries_the_problem() -> None:
    message = load_prompt("extract.v4").reask_message("sentence 9 does not exist")
    assert "sentence 9 does not exist" in message


def test_an_unknown_answer_shape_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        answer_model("paragraphs")


def test_an_event_prints_the_line_the_command_line_always_printed() -> None:
    assert str(ArticleDone(1, 2, "courier", verified=1, dropped=0, seconds=2.25)) == (
        "[1/2] courier: 1 claim verified, 0 dropped (2.2s)"
    )
    assert str(ArticleCached(2, 2, "herald", claims=7)) == "[2/2] herald: 7 claims (cached)"


def test_a_count_keeps_its_noun_rate_and_aspect_apart() -> None:
    (rate,) = [v for v in parse_values("The clinic saw 40 patients a day.") if v.kind == "number"]
    (dead,) = [v for v in parse_values("Reports say 4,700 soldiers have been killed or wounded.") if v.kind == "number"]
    assert (rate.noun, rate.per, rate.aspect, rate.unit) == ("patient", "day", None, "patient/day")
    assert (dead.noun, dead.per, dead.aspect, dead.unit) == ("troop", None, "casualties", "troop (casualties)")


def test_a_date_keeps_the_parts_the_text_gives() -> None:
    (day,) = [v for v in parse_values("The bridge reopens on July 4.") if v.kind == "date"]
    assert day.on == DateParts(month=7, day=4) and day.date == "month:07-04"


def test_a_conflict_carries_its_basis_and_each_side_once_worked_out() -> None:
    a = claim("a", "The utility said 2,400 homes were without power by mid-morning.")
    b = claim("b", "The storm left 2,900 homes without power, according to the utility.")
    (g,) = [g for g in group_claims([a, b]) if a.id in g.claim_ids]
    assert g.judged_on is not None and (g.judged_on.kind, g.judged_on.key) == ("number", "home")
    assert g.basis == "number:home"
    assert {cid: (s.side, s.says) for cid, s in g.stances.items()} == {a.id: (0, "2,400"), b.id: (1, "2,900")}


def test_a_brief_read_back_from_json_keeps_its_typed_fields() -> None:
    a = claim("a", "The bridge reopens on Friday, the council said.")
    b = claim("b", "The bridge reopens on Monday, the council said.")
    groups = group_claims([a, b])
    brief = Brief(
        sources=[Source(id="a"), Source(id="b")],
        claims=[a, b],
        groups=groups,
        summary=[],
        dropped=[],
        stats=Stats(),
        method=Method(model="m", endpoint="e", endpoint_kind="k", prompt_version="p", summary_mode="rules"),
    )
    again = Brief.model_validate_json(brief.model_dump_json())
    assert again == brief
    assert [g.basis for g in again.groups if g.status == "conflict"] == ["date"]


def test_a_brief_stored_before_the_typed_fields_is_served_back_with_its_own_strings() -> None:
    stored = json.loads((DATA / "brief-before-typed-fields.json").read_text(encoding="utf-8"))
    served = json.loads(Brief.model_validate(stored).model_dump_json())
    assert [g["basis"] for g in served["groups"]] == [g["basis"] for g in stored["groups"]]
    units = [[(v["unit"], v["date"]) for v in c["values"]] for c in served["claims"]]
    assert units == [[(v["unit"], v["date"]) for v in c["values"]] for c in stored["claims"]]
    assert "number:home" in [g["basis"] for g in served["groups"]]
    assert [d["kind"] for d in served["dropped"]] == [None]  # not recorded then: not guessed now


def test_a_brief_stored_before_the_typed_fields_still_renders_its_conflicts() -> None:
    brief = Brief.model_validate_json((DATA / "brief-before-typed-fields.json").read_text(encoding="utf-8"))
    md = brief.to_markdown()
    assert "**homes** (conflict) [S1, S2]" in md
    assert "| S1 Gazette | “The utility said 2,400 homes were without power by mid-morning.” |" in md
