"""Run a summarizer command against the tests' scripted stand-in model on loopback (no real model).

    python .ci/standin.py summarizer brief examples/harbor-storm/ --json brief.json

starts tests/standin.py's server on a free 127.0.0.1 port, appends `--base-url <it> --model standin` to the
command, runs it and exits with its status. The stand-in answers every extraction request (the default
prompt's `{"facts": [...]}` form) with all the sentence numbers of the article it was sent.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from standin import Reply, serve  # noqa: E402 (the tests' stand-in, stdlib only)


def every_sentence(request: dict[str, Any]) -> Reply:
    """All the numbered sentences of the article in the last user message are facts."""
    user = [m["content"] for m in request.get("messages", []) if m.get("role") == "user"]
    article = user[-1].rsplit("<article>", 1)[-1] if user else ""
    numbers = [int(n) for n in re.findall(r"^\[(\d+)\] ", article, re.MULTILINE)]
    return Reply(content=json.dumps({"facts": numbers}))


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    with serve([], answer=every_sentence) as (url, standin):
        code = subprocess.call([*argv, "--base-url", url, "--model", "standin"])
    print(f"standin: answered {len(standin.requests)} request(s)", file=sys.stderr)
    return code if standin.requests or code else 1  # a run that never asked the model proved nothing


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
