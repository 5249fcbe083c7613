"""Versioned prompt templates loaded from the prompts/ folder (never long strings in code).

The top-level prompts/ folder of the source tree is the one place the templates are kept. pyproject.toml
maps it into the package as `summarizer.prompts_data` (every `*.txt` and `*.json` in it), so an installed
wheel carries it as package data, read with importlib.resources; an editable install resolves that
package to the checkout's prompts/ itself.
"""

from __future__ import annotations

import json
import re
import string
from dataclasses import dataclass
from functools import cache
from importlib.abc import Traversable
from importlib.resources import files

from summarizer.answers import answer_model
from summarizer.errors import ConfigError
from summarizer.install import source_tree

DATA_PACKAGE = "summarizer.prompts_data"
DEFAULT_PROMPT = "extract.v4"  # the extraction prompt a run uses unless told otherwise
_HEADER_KEYS = ("version", "format")
_SECTION = re.compile(r"^--- (system|user|reask) ---$", re.MULTILINE)


@dataclass(frozen=True)
class Prompt:
    """A template pair (system, user) and the version that goes into cache keys.

    An extraction prompt also declares the shape of its answer (`format:` in its header, a name in
    summarizer.answers) and holds the message that sends a wrong answer back (its `--- reask ---`
    section, with `$problem`), since both are part of the conversation the version stands for.
    """

    name: str
    version: str
    system: str
    user: str
    answer_format: str | None = None
    reask: str | None = None

    def render(self, **values: str) -> tuple[str, str]:
        """Fill both templates; a missing variable is an error, not a silent blank."""
        try:
            return (
                string.Template(self.system).substitute(values),
                string.Template(self.user).substitute(values),
            )
        except KeyError as exc:
            raise ConfigError(f"prompt {self.version} needs a value for ${exc.args[0]}") from exc

    def reask_message(self, problem: str) -> str:
        """What the model is told after a wrong answer: the problem, and to answer again."""
        if self.reask is None:
            raise ConfigError(f"prompt {self.version} has no '--- reask ---' section")
        return string.Template(self.reask).substitute(problem=problem)


def prompts_dir() -> Traversable:
    """Where the templates are read: the package data `summarizer.prompts_data`, through importlib.resources.

    Code that runs from a source tree (an editable install, the tests, `python -m summarizer` in a checkout)
    reads that tree's own prompts/ directly: the folder the package data is made from, and the one an
    editable install's `summarizer.prompts_data` resolves to. Directly, so that a second checkout on
    PYTHONPATH, while another is installed editable, reads its own templates and not the other's.
    """
    tree = source_tree()
    if tree is not None and (tree / "prompts").is_dir():
        return tree / "prompts"
    return files(DATA_PACKAGE)


def prompt_names() -> list[str]:
    """Every template there is (`extract.v4`, `summary.v1`, ...), sorted."""
    return sorted(p.name.removesuffix(".txt") for p in prompts_dir().iterdir() if p.name.endswith(".txt"))


@cache
def load_prompt(name: str) -> Prompt:
    """Parse `prompts/<name>.txt`: a header (`version:`, then `format:` for extraction), then the sections."""
    path = prompts_dir() / f"{name}.txt"
    if not path.is_file():
        raise ConfigError(f"prompt template not found: {path} (there are: {', '.join(prompt_names())})")
    text = path.read_text(encoding="utf-8")
    first = _SECTION.search(text)
    head = text[: first.start()] if first else text
    header = _header(str(path), head)
    parts = _SECTION.split(text[len(head) :])
    names = parts[1::2]
    if len(names) != len(set(names)) or not {"system", "user"} <= set(names):
        raise ConfigError(
            f"{path} must have exactly one '--- system ---' and one '--- user ---' section (and at most one reask)"
        )
    sections = dict(zip(names, (body.strip("\n") for body in parts[2::2]), strict=True))
    fmt = header.get("format")
    if fmt is not None:
        answer_model(fmt)  # an unknown format fails here, when the prompt loads
    return Prompt(
        name=name,
        version=header["version"],
        system=sections["system"],
        user=sections["user"],
        answer_format=fmt,
        reask=sections.get("reask"),
    )


def _header(path: str, head: str) -> dict[str, str]:
    """The `key: value` lines above the first section; the first is `version:`."""
    lines = [line.partition(":") for line in head.splitlines() if line.strip()]
    if not lines or lines[0][0] != "version":
        raise ConfigError(f"{path} must start with a 'version:' line")
    fields: dict[str, str] = {}
    for key, colon, value in lines:
        if not colon or key not in _HEADER_KEYS or key in fields:
            known = ", ".join(_HEADER_KEYS)
            raise ConfigError(f"{path}: header line {key}{colon}{value} is not one of {known} (each once)")
        fields[key] = value.strip()
    return fields


def number_sentences(sentences: list[str]) -> str:
    """The article layout the extraction prompt expects: one `[n] sentence` per line."""
    return "\n".join(f"[{i}] {s}" for i, s in enumerate(sentences, start=1))


@cache
def extraction_example(name: str = "extract.v1") -> tuple[str, str]:
    """The few-shot example (article, answer), checked against its own text before use."""
    path = prompts_dir() / f"{name}.example.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    sentences: list[str] = data["sentences"]
    claims: list[dict[str, object]] = data["claims"]
    for claim in claims:
        s = claim["s"]
        if not isinstance(s, int) or not 1 <= s <= len(sentences):
            raise ConfigError(f"{path}: example claim points at sentence {s!r}, which does not exist")
        sentence = sentences[s - 1]
        for field in ("by", "hedge"):
            value = claim.get(field)
            if not isinstance(value, str) or (value and value not in sentence):
                raise ConfigError(f"{path}: example {field}={value!r} does not occur in sentence {s}")
    answer = answer_model(load_prompt(name).answer_format).from_example(claims)
    return number_sentences(sentences), json.dumps(answer.model_dump(), ensure_ascii=False)
