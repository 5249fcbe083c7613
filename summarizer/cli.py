"""Command line: argument parsing and calls into the library, nothing more."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from summarizer import __version__, config
from summarizer.articles import load_articles
from summarizer.connection import connect, describe_endpoint
from summarizer.errors import ConfigError, InputError, SummarizerError
from summarizer.evaluate import format_table, load_gold, score, to_json_line
from summarizer.events import Event
from summarizer.install import install_hint
from summarizer.models import Brief
from summarizer.pipeline import check_articles, extract, summarize
from summarizer.serve.callbacks import CALLBACK_TIMEOUT
from summarizer.serve.jobs import LEASE_SECONDS, MAX_ATTEMPTS, Limits


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _report(event: Event) -> None:
    """A run's progress, one line each on stderr."""
    _say(str(event))


def _add_model_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("articles", nargs="*", metavar="ARTICLE", help="article files, folders of them, or - for stdin")
    p.add_argument("--model", help="model name (env SUMMARIZER_MODEL); default: the embedded model")
    p.add_argument("--base-url", help="OpenAI-compatible endpoint (env SUMMARIZER_BASE_URL / OPENAI_BASE_URL)")
    p.add_argument(
        "--dialect",
        choices=config.DIALECTS,
        help="structured-output dialect of the endpoint (env SUMMARIZER_DIALECT; default auto)",
    )
    p.add_argument("--cache-dir", help="cache location (env SUMMARIZER_CACHE_DIR)")
    p.add_argument("--no-cache", action="store_true", help="neither read nor write the extraction cache")
    p.add_argument("--timeout", type=float, help="seconds to wait for one model call (env SUMMARIZER_TIMEOUT)")
    p.add_argument(
        "--jobs",
        type=int,
        help="articles extracted at once (env SUMMARIZER_JOBS; default 1 for the embedded model, 4 for an endpoint)",
    )
    p.add_argument("--prompt", help="extraction prompt in prompts/ (env SUMMARIZER_PROMPT)")


_ADJUDICATE_HELP = "let the model confirm or reject the rules' conflicts and near merges (env SUMMARIZER_ADJUDICATE=1)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="summarizer", description="Grounded briefs from several news articles.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    _add_brief(sub.add_parser("brief", help="write a brief: agreements, conflicts, single-source claims"))
    ext = sub.add_parser("extract", help="stop after validation: verified claims per article")
    _add_model_flags(ext)
    ext.add_argument("--json", dest="json_path", help="write the claims here (default: stdout)")
    srv = sub.add_parser("serve", help="run the HTTP service for editorial tools (needs the [server] extra)")
    _add_serve_flags(srv)
    _add_serve_limits(srv)
    _add_eval(sub.add_parser("eval", help="score a brief against gold files (table + one JSON line)"))
    return parser


def _add_brief(brief: argparse.ArgumentParser) -> None:
    _add_model_flags(brief)
    brief.add_argument("-o", "--output", help="write the Markdown brief here (default: stdout)")
    brief.add_argument("--json", dest="json_path", help="also write the JSON brief here")
    brief.add_argument("--html", dest="html_path", help="also write the review page (one self-contained HTML file)")
    brief.add_argument(
        "--summary", choices=("rules", "model"), help="who writes the summary (env SUMMARIZER_SUMMARY; default rules)"
    )
    brief.add_argument("--adjudicate", action="store_true", default=None, help=_ADJUDICATE_HELP)


def _add_serve_flags(srv: argparse.ArgumentParser) -> None:
    """Where the service listens, and the model settings (worded for jobs, not for one run)."""
    srv.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1: this machine only)")
    srv.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    srv.add_argument("--workers", type=int, default=1, help="briefs made at once (default 1)")
    srv.add_argument(
        "--db",
        help="job database: a SQLite file, or postgresql://... shared by several services "
        "(env SUMMARIZER_DB; default <cache dir>/jobs.sqlite3)",
    )
    srv.add_argument("--model", help="model name (env SUMMARIZER_MODEL); default: the embedded model")
    srv.add_argument("--base-url", help="OpenAI-compatible endpoint (env SUMMARIZER_BASE_URL / OPENAI_BASE_URL)")
    srv.add_argument("--dialect", choices=config.DIALECTS, help="structured-output dialect (env SUMMARIZER_DIALECT)")
    srv.add_argument("--cache-dir", help="cache location (env SUMMARIZER_CACHE_DIR)")
    srv.add_argument("--no-cache", action="store_true", help="neither read nor write the extraction cache")
    srv.add_argument("--timeout", type=float, help="seconds to wait for one model call (env SUMMARIZER_TIMEOUT)")
    srv.add_argument("--jobs", type=int, help="articles of one brief extracted at once (env SUMMARIZER_JOBS)")
    srv.add_argument("--prompt", help="extraction prompt in prompts/ (env SUMMARIZER_PROMPT)")
    srv.add_argument(
        "--summary", choices=("rules", "model"), help="default summary writer for jobs that do not choose one"
    )


def _add_serve_limits(srv: argparse.ArgumentParser) -> None:
    """What one request may hold, and where callbacks may go."""
    srv.add_argument("--max-articles", type=int, default=Limits.max_articles, help="articles per request")
    srv.add_argument("--max-article-chars", type=int, default=Limits.max_article_chars, help="characters per article")
    srv.add_argument("--max-body-bytes", type=int, default=Limits.max_body_bytes, help="bytes per request body")
    srv.add_argument("--max-queued", type=int, default=Limits.max_queued, help="briefs waiting before 503s")
    srv.add_argument(
        "--lease",
        type=float,
        default=LEASE_SECONDS,
        metavar="SECONDS",
        help=f"a claimed brief stays its worker's this long without renewal; a dead service's briefs are taken "
        f"over after it (default {LEASE_SECONDS:g})",
    )
    srv.add_argument(
        "--attempts",
        type=int,
        default=MAX_ATTEMPTS,
        help=f"times a brief is started before one whose service keeps dying fails (default {MAX_ATTEMPTS})",
    )
    srv.add_argument(
        "--callback-origin",
        action="append",
        default=[],
        metavar="URL",
        help="only call back to this scheme://host:port, whatever its address (repeatable; env "
        "SUMMARIZER_CALLBACK_ORIGINS, comma-separated); default: any public address",
    )
    srv.add_argument(
        "--callback-timeout",
        type=float,
        default=CALLBACK_TIMEOUT,
        metavar="SECONDS",
        help=f"overall seconds for one callback try (default {CALLBACK_TIMEOUT:g})",
    )


def _add_eval(ev: argparse.ArgumentParser) -> None:
    ev.add_argument("gold", nargs="+", metavar="GOLD.json", help="gold files; their folder holds the articles")
    ev.add_argument("--brief", dest="brief_path", help="score this JSON brief instead of making one (one gold)")
    for flag in ("--model", "--base-url", "--cache-dir", "--timeout", "--prompt"):
        ev.add_argument(flag, type=float if flag == "--timeout" else str)
    ev.add_argument("--dialect", choices=config.DIALECTS)
    ev.add_argument("--no-cache", action="store_true")
    ev.add_argument("--summary", choices=("rules", "model"))
    ev.add_argument("--adjudicate", action="store_true", default=None, help=_ADJUDICATE_HELP)


def _evaluate(args: argparse.Namespace) -> int:
    if args.brief_path and len(args.gold) != 1:
        raise InputError("--brief scores one brief: give exactly one gold file")
    golds = [(path, load_gold(path)) for path in args.gold]
    scores = []
    if args.brief_path:
        try:
            brief = Brief.model_validate_json(Path(args.brief_path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(f"{args.brief_path}: not a readable JSON brief ({str(exc).splitlines()[0]})") from exc
        scores.append(score(brief, golds[0][1]))
    else:
        settings = _settings(args)
        endpoint = describe_endpoint(settings)
        with connect(settings, _report) as connection:  # one model server for every story
            for gold_path, gold in golds:
                _say(f"summarizer: model {endpoint.model} via {endpoint.label}; story {gold.story}")
                articles = load_articles([str(Path(gold_path).parent)])
                scores.append(score(summarize(articles, settings, progress=_report, connection=connection), gold))
    print(format_table(scores))
    for s in scores:
        if s.missed:
            print(f"{s.story} missed: {', '.join(s.missed)}")
    print(to_json_line(scores))
    return 0


def _serve(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from summarizer.serve.app import create_app
        from summarizer.serve.stores import is_postgres
    except ImportError as exc:
        raise ConfigError(f"the service needs the server extra ({exc}): {install_hint('server')}") from exc
    _check_serve_flags(args)
    settings = _settings(args)
    db: str | Path = args.db or os.environ.get("SUMMARIZER_DB") or settings.cache_dir / "jobs.sqlite3"
    if not is_postgres(db):
        db = Path(db)
    token = _api_token()
    app = create_app(
        settings,
        db,
        workers=args.workers,
        token=token,
        limits=Limits(
            max_body_bytes=args.max_body_bytes,
            max_articles=args.max_articles,
            max_article_chars=args.max_article_chars,
            max_queued=args.max_queued,
        ),
        callback_origins=_callback_origins(args),
        callback_timeout=args.callback_timeout,
        lease=args.lease,
        attempts=args.attempts,
    )
    _announce(args, settings, app.state.service.store.label, token)
    _log_to_stderr()
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def _check_serve_flags(args: argparse.Namespace) -> None:
    if not 0 <= args.port <= 65535:
        raise ConfigError(f"--port must be between 0 and 65535, got {args.port}")
    if not 1 <= args.lease <= 3600:
        raise ConfigError(f"--lease must be between 1 and 3600 seconds, got {args.lease:g}")
    if not 0 < args.callback_timeout <= 600:
        raise ConfigError(
            f"--callback-timeout must be more than 0 and at most 600 seconds, got {args.callback_timeout:g}"
        )
    for flag, value in (
        ("--workers", args.workers),
        ("--max-articles", args.max_articles),
        ("--max-article-chars", args.max_article_chars),
        ("--max-body-bytes", args.max_body_bytes),
        ("--max-queued", args.max_queued),
        ("--attempts", args.attempts),
    ):
        if value < 1:
            raise ConfigError(f"{flag} must be at least 1, got {value}")


def _api_token() -> str | None:
    token = os.environ.get("SUMMARIZER_API_TOKEN") or None
    if token is not None and token != token.strip():
        # the client's header value loses it, so no request could ever match: refuse it rather than lock all out
        raise ConfigError(
            "SUMMARIZER_API_TOKEN starts or ends with whitespace (a newline from a file?); remove it, "
            "as no client can send it back"
        )
    return token


def _callback_origins(args: argparse.Namespace) -> tuple[str, ...]:
    env_origins = os.environ.get("SUMMARIZER_CALLBACK_ORIGINS", "")
    return tuple(args.callback_origin) + tuple(o.strip() for o in env_origins.split(",") if o.strip())


def _announce(args: argparse.Namespace, settings: config.Settings, db: str, token: str | None) -> None:
    """Say where the service listens, who can reach it, and which model it uses."""
    endpoint = describe_endpoint(settings)
    loopback = args.host in ("127.0.0.1", "localhost", "::1")
    _say(
        f"summarizer: serving on http://{args.host}:{args.port} "
        f"({'loopback: this machine only' if loopback else 'reachable from other machines'}; "
        f"auth {'on' if token else 'off, set SUMMARIZER_API_TOKEN to require a token'}); "
        f"jobs in {db}; model {endpoint.model} via {endpoint.label}"
    )
    if not loopback and not token:
        _say("summarizer: warning: anyone who can reach this port can submit briefs; set SUMMARIZER_API_TOKEN")


def _log_to_stderr() -> None:
    """The service's log lines go to stderr as `summarizer: ...`, like the command line's own."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("summarizer: %(message)s"))
    logger = logging.getLogger("summarizer")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


def _settings(args: argparse.Namespace) -> config.Settings:
    return config.resolve(
        model=args.model,
        base_url=args.base_url,
        dialect=args.dialect,
        cache_dir=args.cache_dir,
        no_cache=args.no_cache,
        timeout=args.timeout,
        summary=getattr(args, "summary", None),
        jobs=getattr(args, "jobs", None),
        prompt=getattr(args, "prompt", None),
        adjudicate=getattr(args, "adjudicate", None),
    )


def _write(path: str | None, text: str) -> None:
    if path is None or path == "-":
        sys.stdout.write(text)
        return
    target = Path(path)
    if target.parent and not target.parent.exists():
        raise InputError(f"{path}: folder {target.parent} does not exist")
    target.write_text(text, encoding="utf-8")
    _say(f"wrote {path}")


def run(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "eval":
        return _evaluate(args)
    if args.command == "serve":
        return _serve(args)
    settings = _settings(args)
    articles = load_articles(args.articles)
    check_articles(articles)  # before the model line: an article with no sentence is the run's only line
    endpoint = describe_endpoint(settings)
    _say(f"summarizer: model {endpoint.model} via {endpoint.label}; {len(articles)} article(s)")
    if args.command == "extract":
        extractions = extract(articles, settings, progress=_report)
        payload = json.dumps([e.model_dump(mode="json") for e in extractions], indent=2, ensure_ascii=False)
        _write(args.json_path, payload + "\n")
        return 0
    brief = summarize(articles, settings, progress=_report)
    if args.json_path:
        _write(args.json_path, brief.model_dump_json(indent=2) + "\n")
    _write(args.output, brief.to_markdown())
    if args.html_path:
        from summarizer.render.html import render_html

        _write(args.html_path, render_html(brief, articles))
    st = brief.stats
    _say(
        f"done in {st.seconds:.1f}s: {st.claims_verified}/{st.claims_extracted} claims verified, "
        f"{st.claims_dropped} dropped; {st.groups_conflict} conflicts, {st.groups_agree} agreements, "
        f"{st.groups_single} single-source"
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: user mistakes and model failures become one line on stderr and a non-zero exit."""
    try:
        return run(argv)
    except (InputError, ConfigError) as exc:
        _say(f"summarizer: error: {exc}")
        return 2
    except SummarizerError as exc:
        _say(f"summarizer: error: {exc}")
        return 1
    except KeyboardInterrupt:
        _say("summarizer: interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
