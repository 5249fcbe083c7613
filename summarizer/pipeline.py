"""The pipeline: articles -> extractions (cached) -> groups -> summary -> Brief."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

from summarizer import config
from summarizer.adjudicator import adjudicate, adjudicate_version
from summarizer.cache import ExtractionCache, extraction_key
from summarizer.consensus import group_claims
from summarizer.errors import EmbeddedServerError, InputError, ModelError, SummarizerError
from summarizer.extractor import add_left_out_figures, extract_article, prompt_version
from summarizer.frames import parse_published
from summarizer.llm import ModelClient
from summarizer.models import Article, Brief, Dropped, Extraction, Method, Source, Stats, SummarySentence, Usage
from summarizer.summary import model_summary, rule_summary, summary_prompt_version
from summarizer.validator import RULES_VERSION

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


@dataclass(frozen=True)
class Endpoint:
    """Where model calls go; `cache_id` is stable across runs (no random port, no key)."""

    model: str
    label: str
    kind: str
    cache_id: str


def describe_endpoint(settings: config.Settings) -> Endpoint:
    """What a run will use, known before any server starts (printed at the top of a run)."""
    if settings.embedded:
        from summarizer.embedded import MODEL_NAME

        return Endpoint(
            model=MODEL_NAME,
            label="embedded llama.cpp server on loopback",
            kind="embedded llama.cpp",
            cache_id=f"embedded:{MODEL_NAME}",
        )
    assert settings.base_url is not None and settings.model is not None
    return Endpoint(
        model=settings.model,
        label=settings.base_url,
        kind=config.endpoint_kind(settings),
        cache_id=settings.base_url.rstrip("/"),
    )


class _Connection:
    """Opens the model endpoint on first use, so a fully cached run starts no server at all."""

    def __init__(self, settings: config.Settings, progress: Progress) -> None:
        self.settings = settings
        self.progress = progress
        self._client: ModelClient | None = None
        self._server: object | None = None
        self._lock = threading.Lock()

    def client(self) -> ModelClient:
        with self._lock:
            return self._open()

    def _open(self) -> ModelClient:
        if self._client is None:
            s = self.settings
            if s.embedded:
                from summarizer.embedded import EmbeddedServer, ensure_model, verify_model

                path = ensure_model(s.model_home, progress=self.progress, reuse=[config.default_cache_dir()])
                self.progress("starting the embedded model server...")
                log = s.cache_dir / "embedded-server.log"
                s.cache_dir.mkdir(parents=True, exist_ok=True)
                try:
                    server = EmbeddedServer(path, log_path=log, seed=s.seed).start()
                except EmbeddedServerError:
                    if verify_model(path):
                        raise
                    # the assembled file was damaged after it was verified: rebuild it once
                    self.progress("the model file is corrupt; rebuilding it from the installed packages...")
                    path = ensure_model(s.model_home, progress=self.progress, force=True)
                    server = EmbeddedServer(path, log_path=log, seed=s.seed).start()
                self._server = server
                base_url, model = server.base_url, server.model
            else:
                assert s.base_url is not None and s.model is not None
                base_url, model = s.base_url, s.model
            self._client = ModelClient(
                base_url=base_url,
                model=model,
                api_key=s.api_key,
                dialect=config.effective_dialect(s, embedded=s.embedded),
                timeout=s.timeout,
                max_retries=s.max_retries,
                seed=s.seed,
            )
        return self._client

    def explain(self, exc: ModelError) -> SummarizerError:
        """A failed call to the embedded server is often the server dying: say that, not 'connection error'."""
        notice = getattr(self._server, "death_notice", None)
        died = notice() if notice is not None else None
        return EmbeddedServerError(died) if died else exc

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
        stop = getattr(self._server, "stop", None)
        if stop is not None:
            stop()


@contextmanager
def connect(settings: config.Settings, progress: Progress) -> Iterator[_Connection]:
    connection = _Connection(settings, progress)
    try:
        yield connection
    finally:
        connection.close()


def _dedupe(articles: Sequence[Article]) -> tuple[list[Article], dict[str, str]]:
    """Same text twice counts as one source: returns the distinct articles and duplicate -> original."""
    first: dict[str, str] = {}
    distinct: list[Article] = []
    duplicates: dict[str, str] = {}
    ids: set[str] = set()
    for a in articles:
        if a.id in ids:
            raise InputError(f"two articles share the id {a.id!r}: give each a distinct id")
        ids.add(a.id)
        digest = hashlib.sha256(" ".join(a.text.split()).encode("utf-8")).hexdigest()
        if digest in first:
            duplicates[a.id] = first[digest]
        else:
            first[digest] = a.id
            distinct.append(a)
    return distinct, duplicates


def extract(
    articles: Sequence[Article],
    settings: config.Settings | None = None,
    *,
    progress: Progress | None = None,
    connection: _Connection | None = None,
) -> list[Extraction]:
    """Verified claims per article, using the cache where it can."""
    settings = settings or config.resolve()
    say = progress or _quiet
    if not articles:
        raise InputError("no articles given")
    endpoint = describe_endpoint(settings)
    version = f"{prompt_version(settings.prompt)}+rules{RULES_VERSION}"
    dialect = config.effective_dialect(settings, embedded=settings.embedded)
    results: dict[int, Extraction] = {}
    total = len(articles)
    with (
        ExtractionCache(settings.cache_dir, enabled=settings.use_cache) as cache,
        connect(settings, say) if connection is None else _nullcontext(connection) as conn,
    ):
        todo: list[tuple[int, Article, str]] = []
        for i, article in enumerate(articles, start=1):
            key = extraction_key(
                model=endpoint.model,
                endpoint=endpoint.cache_id,
                prompt_version=version,
                dialect=dialect,
                text=article.text,
            )
            cached = cache.get(key)
            if cached is None:
                todo.append((i, article, key))
                continue
            results[i] = _rebind(cached, article.id)
            say(f"[{i}/{total}] {article.id}: {_claims(len(cached.claims))} (cached)")

        def run(item: tuple[int, Article, str]) -> tuple[int, Extraction]:
            i, article, key = item
            say(f"[{i}/{total}] {article.id}: extracting...")
            started = time.monotonic()
            try:
                extraction = extract_article(article, conn.client(), prompt_name=settings.prompt, progress=say)
            except ModelError as exc:
                raise conn.explain(exc) from exc
            cache.put(key, extraction)  # at once, so an interrupted run resumes from here
            say(
                f"[{i}/{total}] {article.id}: {_claims(len(extraction.claims))} verified, "
                f"{_count_dropped(extraction.dropped)} dropped ({time.monotonic() - started:.1f}s)"
            )
            return i, extraction

        jobs = settings.effective_jobs
        if jobs <= 1 or len(todo) <= 1:
            results.update(run(item) for item in todo)
        else:
            conn.client()  # open the endpoint once, before the workers race for it
            with ThreadPoolExecutor(max_workers=jobs) as pool:
                results.update(pool.map(run, todo))
    return [add_left_out_figures(results[i], articles[i - 1]) for i in sorted(results)]


def _rebind(extraction: Extraction, article_id: str) -> Extraction:
    """A cache hit keyed by text may come from a file of another name: give it this article's id."""
    old = extraction.source_id
    claims = [
        c.model_copy(update={"source_id": article_id, "id": article_id + c.id.removeprefix(old)})
        for c in extraction.claims
    ]
    dropped = [d.model_copy(update={"source_id": article_id}) for d in extraction.dropped]
    return extraction.model_copy(update={"source_id": article_id, "claims": claims, "dropped": dropped, "cached": True})


@contextmanager
def _nullcontext(connection: _Connection) -> Iterator[_Connection]:
    yield connection


def _claims(n: int) -> str:
    return f"{n} claim" if n == 1 else f"{n} claims"


def _count_dropped(dropped: Sequence[Dropped]) -> int:
    return sum(1 for d in dropped if d.kind == "invalid")


def _note(dropped: list[Dropped], source_id: str = "brief") -> Callable[[str, str], None]:
    """A callback that keeps a later stage's rejected model output visible in `dropped`."""

    def note(reason: str, raw: str) -> None:
        dropped.append(Dropped(source_id=source_id, reason=reason, raw=raw))

    return note


def summarize(
    articles: Sequence[Article],
    settings: config.Settings | None = None,
    *,
    progress: Progress | None = None,
    connection: _Connection | None = None,
) -> Brief:
    """Brief several articles about one event: agreements, conflicts, single-source claims.

    A long-lived caller (the HTTP service) passes its own open `connection`, which is then left open.
    """
    settings = settings or config.resolve()
    say = progress or _quiet
    started = time.monotonic()
    distinct, duplicates = _dedupe(articles)
    endpoint = describe_endpoint(settings)
    with connect(settings, say) if connection is None else _nullcontext(connection) as conn:
        extractions = extract(distinct, settings, progress=say, connection=conn)
        claims = [c for e in extractions for c in e.claims]
        dropped = [d for e in extractions for d in e.dropped]
        groups = group_claims(claims, {a.id: parse_published(a.published) for a in distinct})
        sources = [
            Source(id=a.id, title=a.title, outlet=a.outlet, path=a.path, duplicate_of=duplicates.get(a.id))
            for a in articles
        ]
        by_id = {s.id: s for s in sources}
        claim_map = {c.id: c for c in claims}
        usage = Usage()
        for e in extractions:
            if not e.cached:
                usage = usage.add(e.usage)
        adjudication: str | None = None
        if settings.adjudicate and groups:
            say("asking the model to check the conflicts and near merges...")
            with ExtractionCache(settings.cache_dir, enabled=settings.use_cache) as verdicts:
                groups, checked_usage, counts = adjudicate(
                    groups,
                    claim_map,
                    conn.client,
                    store=verdicts,
                    cache_id=f"{endpoint.model}@{endpoint.cache_id}",
                    on_drop=_note(dropped),
                )
            usage = usage.add(checked_usage)
            adjudication = (
                f"{adjudicate_version()}: {counts['conflicts_checked']} conflicts checked, "
                f"{counts['conflicts_split']} split; {counts['merges_checked']} near merges checked, "
                f"{counts['merges_made']} made; {counts['unusable']} unusable verdicts"
            )
        summary_mode = "rules"
        summary: list[SummarySentence] = []
        if settings.summary == "model" and groups:
            say("writing the summary with the model...")
            summary, summary_usage = model_summary(
                groups, claim_map, by_id, conn.client(), on_drop=_note(dropped, "summary")
            )
            usage = usage.add(summary_usage)
            summary_mode = f"model ({summary_prompt_version()})"
            if not summary:
                summary_mode = "rules (the model's summary did not pass the checks)"
        if not summary:
            summary = rule_summary(groups, claim_map, by_id)
    stats = Stats(
        articles=len(distinct),
        claims_extracted=sum(e.extracted for e in extractions),
        claims_verified=len(claims),
        claims_dropped=_count_dropped(dropped),
        groups_agree=sum(g.status == "agree" for g in groups),
        groups_conflict=sum(g.status == "conflict" for g in groups),
        groups_single=sum(g.status == "single" for g in groups),
        model_calls=usage.calls,
        prompt_tokens=usage.prompt_tokens,
        completion_tokens=usage.completion_tokens,
        cached_articles=sum(e.cached for e in extractions),
        seconds=round(time.monotonic() - started, 3),
        model_seconds=round(usage.seconds, 3),
    )
    method = Method(
        model=endpoint.model,
        endpoint=endpoint.label,
        endpoint_kind=endpoint.kind,
        prompt_version=prompt_version(settings.prompt),
        summary_mode=summary_mode,
        adjudication=adjudication,
    )
    return Brief(
        sources=sources, claims=claims, groups=groups, summary=summary, dropped=dropped, stats=stats, method=method
    )
