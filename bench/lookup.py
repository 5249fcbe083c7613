"""Does speculative decoding by prompt lookup pay off for summarizer's prompts on the embedded model?

    python -m bench.lookup [--story examples/harbor-storm] [--rounds 1]

Starts the embedded server twice, plain and with llama.cpp's prompt-lookup draft
(`--draft_model prompt-lookup-decoding --draft_model_num_pred_tokens 10`), and times a cold brief
of the story with the default prompt (the model answers with sentence numbers) and with the first
version's prompt (the model retypes every quote, where copying from the prompt could help).
Prints a table and one JSON line.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench.run import BASELINE_PROMPT, ROOT, _cold
from summarizer import config
from summarizer.articles import load_articles
from summarizer.embedded import EmbeddedServer, ensure_model
from summarizer.prompts import DEFAULT_PROMPT

LOOKUP_ARGS = ["--draft_model", "prompt-lookup-decoding", "--draft_model_num_pred_tokens", "10"]


class _LookupServer(EmbeddedServer):
    """The embedded server with the prompt-lookup draft model switched on."""

    def _command(self) -> list[str]:
        return super()._command() + LOOKUP_ARGS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.lookup", description=__doc__)
    parser.add_argument("--story", default=str(ROOT / "examples" / "harbor-storm"))
    parser.add_argument("--rounds", type=int, default=1, help="cold briefs per case (the fastest is kept)")
    args = parser.parse_args(argv)

    settings = config.resolve()
    if not settings.embedded:
        print("bench.lookup measures the embedded server: unset the endpoint settings", file=sys.stderr)
        return 2
    articles = load_articles([args.story])
    path = ensure_model(settings.model_home)
    rows: list[dict[str, Any]] = []
    for name, cls in (("plain", EmbeddedServer), ("prompt lookup", _LookupServer)):
        with tempfile.TemporaryDirectory() as scratch:
            server = cls(path, log_path=Path(scratch) / "server.log", seed=settings.seed).start()
            try:
                served = replace(settings, base_url=server.base_url, model=server.model, dialect="llamacpp", jobs=1)
                for prompt in (DEFAULT_PROMPT, BASELINE_PROMPT):
                    times = []
                    for i in range(args.rounds):
                        print(f"[lookup] {name}, {prompt}, round {i + 1}...", file=sys.stderr, flush=True)
                        cache = Path(scratch) / f"cache-{prompt}-{i}"
                        brief, seconds = _cold(articles, replace(served, prompt=prompt), cache)
                        times.append(seconds)
                    st = brief.stats
                    rows.append(
                        {
                            "server": name,
                            "prompt": prompt,
                            "cold_s": round(min(times), 1),
                            "completion_tokens": st.completion_tokens,
                            "claims_verified": st.claims_verified,
                        }
                    )
            finally:
                server.stop()
    print(f"{'server':<15} {'prompt':<12} {'cold_s':>7} {'completion_tokens':>18} {'claims_verified':>16}")
    for r in rows:
        print(
            f"{r['server']:<15} {r['prompt']:<12} {r['cold_s']:>7} {r['completion_tokens']:>18} "
            f"{r['claims_verified']:>16}"
        )
    print(json.dumps({"lookup": {"story": Path(args.story).name, "rows": rows}}, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
