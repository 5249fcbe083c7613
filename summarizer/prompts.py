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

from summarizer.errors import ConfigError
from summarizer.install import source_tree

DATA_PACKAGE = "summarizer.prompts_data"
_SECTION = re.compile(r"^--- (system|user) ---$", re.MULTILINE)


@dataclass(frozen=True)
class Prompt:
    """A template pair (system, user) and the version that goes into cache keys."""

    name: str
    version: str
    system: str
    user: str

    def render(self, **values: str) -> tuple[str, str]:
        """Fill both templates; a missing variable is an error, not a silent blank."""
        try:
            return (
                string.Template(self.system).substitute(values),
                string.Template(self.user).substitute(values),
            )
        except KeyError as exc:
            raise ConfigError(f"prompt {self.version} needs a value for ${exc.args[0]}") from exc


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
    """Parse `prompts/<name>.txt`: a `version:` header, then `--- system ---` and `--- user ---`."""
    path = prompts_dir() / f"{name}.txt"
    if not path.is_file():
        raise ConfigError(f"prompt template not found: {path} (there are: {', '.join(prompt_names())})")
    text = path.read_text(encoding="utf-8")
    header, _, rest = text.partition("\n")
    if not header.startswith("version:"):
        raise ConfigError(f"{path} must start with a 'version:' line")
    version = header.split(":", 1)[1].strip()
    parts = _SECTION.split(rest)
    sections = {parts[i]: parts[i + 1].strip("\n") for i in range(1, len(parts) - 1, 2)}
    if set(sections) != {"system", "user"}:
        raise ConfigError(f"{path} must have exactly one '--- system ---' and one '--- user ---' section")
    return Prompt(name=name, version=version, system=sections["system"], user=sections["user"])


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
    if wire_format(name) == "claims":
        answer = json.dumps({"claims": claims}, ensure_ascii=False)
    elif wire_format(name) == "ids":
        answer = json.dumps({"facts": [c["s"] for c in claims]})
    else:
        credits = [{"s": c["s"], "by": c["by"]} for c in claims if c.get("by")]
        answer = json.dumps({"facts": [c["s"] for c in claims], "credits": credits}, ensure_ascii=False)
    return number_sentences(sentences), answer


def wire_format(name: str) -> str:
    """The answer shape a prompt asks for. v1 lists claims with credit and hedge; v2 lists fact
    sentence numbers plus credits where there is one (hedges by rule); v3 lists fact sentence
    numbers only, and credits and hedges are read from each verified quote by rule."""
    return {"extract.v1": "claims", "extract.v2": "facts"}.get(name, "ids")
