"""Check that requirements.lock matches pyproject.toml, in an environment installed from the lock.

    python .ci/lockcheck.py [requirements.lock]

Offline and deterministic: it reads the project's own requirements (the runtime dependencies and every
extra) from pyproject.toml, and walks their dependencies through the metadata of the installed
distributions. It fails when
- a lock line is not an exact `==` pin with at least one sha256 hash;
- a package needed (directly, or by one needed) is not pinned in the lock, or its pin is outside a range
  that pyproject.toml or a dependency asks for;
- the installed version differs from the pin (the environment was not installed from this lock);
- a pin is not needed by anything any more (a dependency removed from pyproject.toml, lock not refreshed).
Lines whose environment marker does not hold here (another platform, another Python) are checked for form only.
The fix for any of these: refresh the lock with the command in its header (README: Development).
"""

from __future__ import annotations

import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
# Installed by pip/venv themselves, never locked.
UNLOCKED = {"pip", "setuptools", "wheel"}


def read_lock(path: Path) -> tuple[dict[str, Version], list[str]]:
    """The pins that apply to this environment, and what is wrong with the file's form."""
    text = re.sub(r"\\\n", " ", path.read_text(encoding="utf-8"))
    pins: dict[str, Version] = {}
    problems: list[str] = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        hashes = re.findall(r"--hash=sha256:[0-9a-f]{64}", line)
        spec = re.sub(r"\s*--hash=\S+", "", line).strip()
        try:
            requirement = Requirement(spec)
        except InvalidRequirement:
            problems.append(f"not a requirement line: {raw.strip()[:80]}")
            continue
        name = canonicalize_name(requirement.name)
        pinned = [s for s in requirement.specifier if s.operator == "=="]
        if len(pinned) != 1 or len(requirement.specifier) != 1 or "*" in pinned[0].version:
            problems.append(f"{requirement.name}: not pinned with a single '==' ({spec})")
            continue
        if not hashes:
            problems.append(f"{requirement.name}: no sha256 hash")
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        if name in pins:
            problems.append(f"{requirement.name}: pinned twice for this environment")
        pins[name] = Version(pinned[0].version)
    return pins, problems


def project_requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        wanted.extend(extra)
    return [Requirement(r) for r in wanted]


def applies(requirement: Requirement, extras: set[str]) -> bool:
    if requirement.marker is None:
        return True
    return any(requirement.marker.evaluate({"extra": e}) for e in (extras or {""}))


def main(argv: list[str]) -> int:
    lock = Path(argv[0]) if argv else ROOT / "requirements.lock"
    pins, problems = read_lock(lock)
    needed: dict[str, set[str]] = {}  # package -> extras asked for
    queue: list[tuple[Requirement, str]] = [(r, "pyproject.toml") for r in project_requirements()]
    while queue:
        requirement, wanted_by = queue.pop()
        name = canonicalize_name(requirement.name)
        if name in UNLOCKED:
            continue
        if name not in pins:
            problems.append(f"{requirement.name}: wanted by {wanted_by} ({requirement}) but not in the lock")
            continue
        if not requirement.specifier.contains(pins[name], prereleases=True):
            problems.append(f"{requirement.name}=={pins[name]}: {wanted_by} wants {requirement}")
        extras = {canonicalize_name(e) for e in requirement.extras}
        if name in needed and extras <= needed[name]:
            continue
        needed[name] = needed.get(name, set()) | extras
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            problems.append(f"{requirement.name}: pinned but not installed here (install the lock first)")
            continue
        if Version(dist.version) != pins[name]:
            problems.append(f"{requirement.name}: installed {dist.version}, locked {pins[name]}")
        for sub in dist.requires or []:
            child = Requirement(sub)
            if applies(child, needed[name]):
                queue.append((child, f"{dist.metadata['Name']} {dist.version}"))
    for name in sorted(set(pins) - set(needed) - UNLOCKED):
        problems.append(f"{name}=={pins[name]}: in the lock, but nothing needs it here")
    if problems:
        print(f"{lock.name} does not match pyproject.toml; refresh it (README: Development):", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print(f"{lock.name}: {len(pins)} pins for this environment, all needed, all within range, all installed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
