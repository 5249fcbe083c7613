"""The JSON schema sent with a request, generated from the pydantic wire model that parses its answer.

Strict structured outputs (OpenAI's `"strict": true`) take a narrow form of JSON schema: every property
required, `additionalProperties: false`, nested objects inline, no titles or defaults. The wire models
keep their defaults, so parsing an answer stays lenient; the schema sent asks for every field.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

_SCALARS = ("string", "integer", "number", "boolean")
# What the strict form keeps, rewrites or leaves out (titles, defaults, and the docstrings pydantic turns into
# descriptions: they are written for the reader of the code); any other keyword (an enum, a bound, a union)
# is refused rather than silently dropped.
_KNOWN = {"type", "properties", "required", "additionalProperties", "items", "$defs", "title", "default", "description"}


def strict_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The strict schema of `model`'s JSON form (an error for a field type it cannot express)."""
    generated = model.model_json_schema(ref_template="{model}")
    return _strict(generated, generated.get("$defs", {}))


def _strict(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """One node rebuilt in the strict form, keys in a fixed order, `$ref`s replaced by what they name."""
    if "$ref" in node:
        return _strict(defs[node["$ref"]], defs)
    kind = node.get("type")
    if set(node) - _KNOWN or kind not in ("object", "array", *_SCALARS):
        raise TypeError(f"no strict JSON schema for {node}")
    if kind == "object":
        properties = {name: _strict(sub, defs) for name, sub in node.get("properties", {}).items()}
        return {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}
    if kind == "array":
        return {"type": "array", "items": _strict(node["items"], defs)}
    return {"type": kind}
