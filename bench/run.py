"""Benchmark: cold and warm brief times against the model's own floor, tokens, concurrency, memory.

    python -m bench [--story examples/harbor-storm] [--corpus ../shared/corpus/nk-troops-2025]
    python -m bench --pairs [-v]    (the cross-domain pair suite, rules only: see bench/pairs.py)

With no endpoint configured it runs the embedded model (one server for the whole benchmark).
It prints a table and one JSON line; copy a run's figures into bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench import pairs
from summarizer import config
from summarizer.articles import load_articles
from summarizer.embedded import EmbeddedServer, ensure_model
from summarizer.evaluate import load_gold, score
from summarizer.llm import ModelClient
from summarizer.models import Article, Brief
from summarizer.pipeline import summarize

ROOT = Path(__file__).resolve().parent.parent
BASELINE_PROMPT = "extract.v1"  # the first working version: one object per claim with credit and hedge


def _calibrate(client: ModelClient) -> dict[str, float]:
    """Prompt and generation speed of the endpoint, from two small calls (unique text: no cache hit)."""

    def prompt_call(items: int) -> tuple[int, float]:
        filler = " ".join(f"item {uuid.uuid4().hex[:6]} is listed." for _ in range(items))  # unique: no cache hit
        started = time.monotonic()
        result = client.chat_json(
            [{"role": "user", "content": filler + "\nReply with {}."}],
            schema={"type": "object"},
            schema_name="x",
            max_tokens=1,
        )
        return result.prompt_tokens, time.monotonic() - started

    # two prompt lengths: the slope is the prompt speed, without the fixed cost of a request
    short_tokens, short_seconds = prompt_call(30)
    long_tokens, long_seconds = prompt_call(150)
    prompt_speed = (long_tokens - short_tokens) / max(long_seconds - short_seconds, 1e-3)
    started = time.monotonic()
    free = client._client.chat.completions.create(  # free generation, no grammar
        model=client.model,
        temperature=0,
        max_tokens=128,
        messages=[{"role": "user", "content": f"{uuid.uuid4().hex[:8]}: count from 1 to 200, comma separated."}],
    )
    gen_seconds = time.monotonic() - started
    usage = free.usage
    assert usage is not None
    generated = max(usage.completion_tokens, 1)
    gen_speed = generated / max(gen_seconds - usage.prompt_tokens / prompt_speed, 1e-3)
    return {"prompt_tokens_per_s": round(prompt_speed, 1), "generation_tokens_per_s": round(gen_speed, 1)}


SERVER_LOG = Path(tempfile.gettempdir()) / "bench-server.log"
_PREFIX_HIT = re.compile(r"Llama\.generate: (\d+) prefix-match hit")


def _floor(brief: Brief, speeds: dict[str, float], prompt_tokens: int | None = None) -> float:
    """Seconds the model itself needs: prompt tokens at prompt speed plus completion tokens at
    generation speed (`prompt_tokens` overrides the count, e.g. with cached prefixes left out)."""
    st = brief.stats
    prompt = st.prompt_tokens if prompt_tokens is None else prompt_tokens
    return prompt / speeds["prompt_tokens_per_s"] + st.completion_tokens / speeds["generation_tokens_per_s"]


def _log_size() -> int:
    return SERVER_LOG.stat().st_size if SERVER_LOG.exists() else 0


def _prefix_hits_since(offset: int) -> int | None:
    """Prompt tokens the embedded server took from its prefix cache since `offset` of its log
    (llama-cpp-python logs `N prefix-match hit` per request); None for another endpoint."""
    if not SERVER_LOG.exists():
        return None
    with SERVER_LOG.open("rb") as f:
        f.seek(offset)
        text = f.read().decode("utf-8", errors="replace")
    return sum(int(n) for n in _PREFIX_HIT.findall(text))


def _cold(articles: list[Article], settings: config.Settings, cache: Path) -> tuple[Brief, float]:
    """A brief on an empty cache dir (left filled, so the warm run can reuse it)."""
    s = replace(settings, cache_dir=cache)
    started = time.monotonic()
    brief = summarize(articles, s)
    return brief, time.monotonic() - started


def _story_figures(
    name: str,
    articles: list[Article],
    settings: config.Settings,
    speeds: dict[str, float],
    gold: Path | None,
    baseline: bool,
    out: Path | None = None,
    embedded: bool = False,
) -> dict[str, Any]:
    print(f"[bench] {name}: cold brief ({settings.prompt})...", file=sys.stderr, flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp)
        log_offset = _log_size()
        brief, cold = _cold(articles, settings, cache)
        hits = _prefix_hits_since(log_offset) if embedded else None
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            (out / f"{name}.md").write_text(brief.to_markdown(), encoding="utf-8")
            (out / f"{name}.json").write_text(brief.model_dump_json(indent=2), encoding="utf-8")
        st = brief.stats
        floor = _floor(brief, speeds)
        # the floor again, counting only the prompt tokens the server did not take from its prefix cache
        cached_floor = _floor(brief, speeds, st.prompt_tokens - hits) if hits is not None else None
        figures: dict[str, Any] = {
            "story": name,
            "articles": st.articles,
            "prompt": settings.prompt,
            "cold_s": round(cold, 1),
            "floor_s": round(floor, 1),
            "cold_over_floor": round(cold / floor, 2),
            "prefix_cached_tokens": hits,
            "floor_cached_prefix_s": round(cached_floor, 1) if cached_floor else None,
            "cold_over_floor_cached_prefix": round(cold / cached_floor, 2) if cached_floor else None,
            "model_s": round(st.model_seconds, 1),
            "share_outside_model_calls": round(max(cold - st.model_seconds, 0.0) / cold, 3),
            "model_calls": st.model_calls,
            "prompt_tokens": st.prompt_tokens,
            "completion_tokens": st.completion_tokens,
            "prompt_tokens_per_article": round(st.prompt_tokens / st.articles),
            "completion_tokens_per_article": round(st.completion_tokens / st.articles),
            "completion_tokens_per_verified_claim": round(st.completion_tokens / max(st.claims_verified, 1), 1),
            "claims": f"{st.claims_extracted}/{st.claims_verified}/{st.claims_dropped}",
            "conflicts": st.groups_conflict,
            "agreements": st.groups_agree,
        }
        warm_settings = replace(settings, cache_dir=cache)
        started = time.monotonic()
        warm = summarize(articles, warm_settings)
        figures["warm_s"] = round(time.monotonic() - started, 3)
        assert warm.stats.model_calls == 0
        figures["warm_cli_s"] = _warm_cli(articles, warm_settings)
    if gold is not None:
        result = score(brief, load_gold(gold))
        figures["eval"] = {
            k: getattr(result, k)
            for k in (
                "conflict_recall",
                "conflict_precision",
                "agreement_recall",
                "single_recall",
                "grounding_rate",
                "summary_faithfulness",
            )
        }
    if baseline:
        print(f"[bench] {name}: cold brief ({BASELINE_PROMPT}, first working version)...", file=sys.stderr)
        with tempfile.TemporaryDirectory() as tmp:
            base, base_cold = _cold(articles, replace(settings, prompt=BASELINE_PROMPT), Path(tmp))
        figures["baseline_cold_s"] = round(base_cold, 1)
        figures["baseline_completion_tokens"] = base.stats.completion_tokens
        figures["speedup_vs_baseline"] = round(base_cold / cold, 2)
        if gold is not None:
            b = score(base, load_gold(gold))
            figures["baseline_eval"] = {
                "conflict_recall": b.conflict_recall,
                "agreement_recall": b.agreement_recall,
                "single_recall": b.single_recall,
            }
    return figures


def _warm_cli(articles: list[Article], settings: config.Settings) -> float | None:
    """Wall time of the CLI on a warm cache, interpreter start-up included."""
    paths = [a.path for a in articles if a.path]
    if len(paths) != len(articles):
        return None
    env = {**os.environ, "SUMMARIZER_CACHE_DIR": str(settings.cache_dir), "SUMMARIZER_PROMPT": settings.prompt}
    cmd = [sys.executable, "-m", "summarizer", "brief", *paths, "-o", os.devnull]
    if settings.base_url:
        cmd += ["--base-url", settings.base_url, "--model", settings.model or "", "--dialect", settings.dialect]
    started = time.monotonic()
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    return round(time.monotonic() - started, 3)


def _cli_start(runs: int = 5) -> dict[str, float]:
    """The CLI's start: `summarizer --version` and `summarizer --help`, the median of `runs` each."""
    figures: dict[str, float] = {}
    for flag in ("--version", "--help"):
        times = []
        for _ in range(runs):
            started = time.monotonic()
            subprocess.run([sys.executable, "-m", "summarizer", flag], check=True, capture_output=True)
            times.append(time.monotonic() - started)
        figures[f"{flag.strip('-')}_s"] = round(statistics.median(times), 3)
    return figures


def _concurrency(delay: float = 1.0, n: int = 10) -> dict[str, Any]:
    """10 one-sentence articles against a stand-in server that answers after a fixed delay."""
    sys.path.insert(0, str(ROOT / "tests"))
    from standin import Reply, serve  # the tests' loopback stand-in; bench only

    articles = [Article(id=f"a{i}", text=f"Item {i}: the depot opened {i} new bays on Monday.") for i in range(n)]
    answer = json.dumps({"facts": [1]})  # one valid answer per article: no re-ask, one call each
    figures: dict[str, Any] = {"delay_s": delay, "articles": n}
    with serve([Reply(content=answer, delay=delay)]) as (url, _):
        for jobs in (1, n):
            with tempfile.TemporaryDirectory() as cache:
                s = config.Settings(
                    base_url=url, model="standin", dialect="json", cache_dir=Path(cache), jobs=jobs, prompt="extract.v4"
                )
                started = time.monotonic()
                brief = summarize(articles, s)
                figures[f"jobs_{jobs}_s"] = round(time.monotonic() - started, 2)
                figures[f"jobs_{jobs}_model_calls"] = brief.stats.model_calls
    figures["jobs_n_over_one_delay"] = round(figures[f"jobs_{n}_s"] / delay, 2)
    return figures


def _peak_rss_mb(pid: int | None = None) -> float | None:
    if pid is None:
        return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--story", default=str(ROOT / "examples" / "harbor-storm"))
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "nk-troops-2025"))
    parser.add_argument("--no-baseline", action="store_true", help="skip the first-working-version comparison")
    parser.add_argument("--no-corpus", action="store_true")
    parser.add_argument("--out", help="also write each story's cold brief here (NAME.md and NAME.json)")
    parser.add_argument("--start-only", action="store_true", help="only time the CLI's start (no model)")
    parser.add_argument("--pairs", action="store_true", help="score the cross-domain pair suite (no model)")
    parser.add_argument("--pairs-file", type=Path, default=pairs.SUITE, help="the pair suite to score")
    parser.add_argument("-v", "--verbose", action="store_true", help="with --pairs: list every misjudged pair")
    parser.add_argument(
        "--soak", action="store_true", help="run the replica soak and scale benchmark instead (--soak --help)"
    )
    args = parser.parse_args(argv)
    if args.pairs:
        return pairs.report(args.pairs_file, args.verbose)
    if args.start_only:
        print(json.dumps({"bench": {"cli_start": _cli_start()}}, sort_keys=True))
        return 0

    settings = config.resolve()
    results: dict[str, Any] = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}"}
    server: EmbeddedServer | None = None
    try:
        if settings.embedded:
            path = ensure_model(settings.model_home)
            started = time.monotonic()
            server = EmbeddedServer(path, log_path=SERVER_LOG, seed=settings.seed).start()
            results["server_start_s"] = round(time.monotonic() - started, 1)
            settings = replace(settings, base_url=server.base_url, model=server.model, dialect="llamacpp", jobs=1)
        assert settings.base_url and settings.model
        client = ModelClient(
            base_url=settings.base_url,
            model=settings.model,
            dialect=settings.dialect if settings.dialect != "auto" else "json",
            api_key=settings.api_key,
        )
        results["speeds"] = _calibrate(client)
        story = Path(args.story)
        results["stories"] = [
            _story_figures(
                story.name,
                load_articles([str(story)]),
                settings,
                results["speeds"],
                story / "gold.json" if (story / "gold.json").exists() else None,
                not args.no_baseline,
                Path(args.out) if args.out else None,
                server is not None,
            )
        ]
        corpus = Path(args.corpus)
        if not args.no_corpus and corpus.is_dir():
            results["stories"].append(
                _story_figures(
                    corpus.name,
                    load_articles([str(corpus)]),
                    settings,
                    results["speeds"],
                    None,
                    False,
                    Path(args.out) if args.out else None,
                    server is not None,
                )
            )
        results["concurrency"] = _concurrency()
        results["cli_start"] = _cli_start()
        results["peak_rss_mb"] = {
            "summarizer": _peak_rss_mb(),
            "model_server": _peak_rss_mb(server.pid) if server and server.pid else None,
        }
    finally:
        if server is not None:
            server.stop()
    _print_table(results)
    print(json.dumps({"bench": results}, sort_keys=True))
    return 0


def _print_table(results: dict[str, Any]) -> None:
    print(f"machine: {results['machine']}")
    print(f"endpoint speeds: {results['speeds']}  (server start {results.get('server_start_s', '-')} s)")
    keys = [
        "story",
        "articles",
        "cold_s",
        "floor_s",
        "cold_over_floor",
        "prefix_cached_tokens",
        "floor_cached_prefix_s",
        "cold_over_floor_cached_prefix",
        "model_s",
        "share_outside_model_calls",
        "warm_s",
        "warm_cli_s",
        "prompt_tokens_per_article",
        "completion_tokens_per_article",
        "completion_tokens_per_verified_claim",
        "claims",
        "baseline_cold_s",
        "speedup_vs_baseline",
    ]
    for story in results["stories"]:
        print()
        for k in keys:
            if k in story:
                print(f"  {k:<38} {story[k]}")
        for k in ("eval", "baseline_eval"):
            if k in story:
                print(f"  {k:<38} {story[k]}")
    c = results["concurrency"]
    print(
        f"\nconcurrency ({c['articles']} articles, stand-in delay {c['delay_s']} s): jobs=1 {c['jobs_1_s']} s, "
        f"jobs={c['articles']} {c['jobs_10_s']} s = {c['jobs_n_over_one_delay']} x one delay"
    )
    print(f"peak memory (MB): {results['peak_rss_mb']}")
    print(f"CLI start (median of 5, s): {results['cli_start']}")
