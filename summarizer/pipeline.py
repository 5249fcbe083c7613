"""The pipeline: articles -> extractions (cached) -> groups -> summary -> Brief."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from summarizer import config
from summarizer.adjudicator import adjudicate, adjudicate_version
from summarizer.articles import require_sentences
from summarizer.cache import ExtractionCache, extraction_key
from summarizer.connection import Connection, connect, describe_endpoint
from summarizer.consensus import group_claims
from summarizer.consensus.frames import parse_published
from summarizer.errors import InputError, ModelError
from summarizer.events import (
    ArticleCached,
    ArticleDone,
    ArticleStarted,
    CheckingConflicts,
    Listener,
    WritingSummary,
    ignore,
)
from summarizer.extractor import add_left_out_figures, extract_article, prompt_version
from summarizer.models import (
    Article,
    Brief,
    Claim,
    Dropped,
    Extraction,
    Group,
    Method,
    Source,
    Stats,
    SummarySentence,
    Usage,
    claim_id,
)
from summarizer.provenance import count_origins, trace_origins
from summarizer.summary import model_summary, rule_summary, summary_prompt_version
from summarizer.timeline import date_sources, mark_conflicts
from summarizer.validator import RULES_VERSION

# an article the cache lacks: (its 1-based position, the article, its cache key)
_Todo = tuple[int, Article, str]


def dedupe(articles: Sequence[Article]) -> tuple[list[Article], dict[str, str]]:
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


def check_articles(articles: Sequence[Article]) -> None:
    """Refuse, before any model starts, what would give an empty brief with no word said."""
    if not articles:
        raise InputError("no articles given")
    for article in articles:
        require_sentences(article)


def extract(
    articles: Sequence[Article],
    settings: config.Settings | None = None,
    *,
    progress: Listener | None = None,
    connection: Connection | None = None,
) -> list[Extraction]:
    """Verified claims per article, using the cache where it can."""
    settings = settings or config.resolve()
    listener = progress or ignore
    check_articles(articles)
    with (
        ExtractionCache(settings.cache_dir, enabled=settings.use_cache) as cache,
        connect(settings, listener, reuse=connection) as conn,
    ):
        results, todo = _from_cache(articles, settings, cache, listener)
        results.update(_Extractor(settings, cache, conn, listener, len(articles)).all(todo))
    return [add_left_out_figures(results[i], articles[i - 1]) for i in sorted(results)]


def _from_cache(
    articles: Sequence[Article], settings: config.Settings, cache: ExtractionCache, listener: Listener
) -> tuple[dict[int, Extraction], list[_Todo]]:
    """The extractions the cache holds (by position), and the articles it lacks."""
    endpoint = describe_endpoint(settings)
    version = f"{prompt_version(settings.prompt)}+rules{RULES_VERSION}"
    dialect = config.effective_dialect(settings, embedded=settings.embedded)
    results: dict[int, Extraction] = {}
    todo: list[_Todo] = []
    for i, article in enumerate(articles, start=1):
        key = extraction_key(
            model=endpoint.model, endpoint=endpoint.cache_id, prompt_version=version, dialect=dialect, text=article.text
        )
        cached = cache.get(key)
        if cached is None:
            todo.append((i, article, key))
            continue
        results[i] = _rebind(cached, article.id)
        listener(ArticleCached(i, len(articles), article.id, len(cached.claims)))
    return results, todo


@dataclass(frozen=True)
class _Extractor:
    """Extracts the articles the cache lacked, storing each one as soon as it is done."""

    settings: config.Settings
    cache: ExtractionCache
    connection: Connection
    listener: Listener
    total: int

    def all(self, todo: list[_Todo]) -> list[tuple[int, Extraction]]:
        jobs = self.settings.effective_jobs
        if jobs <= 1 or len(todo) <= 1:
            return [self.one(item) for item in todo]
        self.connection.client()  # open the endpoint once, before the workers race for it
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            return list(pool.map(self.one, todo))

    def one(self, item: _Todo) -> tuple[int, Extraction]:
        i, article, key = item
        self.listener(ArticleStarted(i, self.total, article.id))
        started = time.monotonic()
        try:
            extraction = extract_article(
                article, self.connection.client(), prompt_name=self.settings.prompt, progress=self.listener
            )
        except ModelError as exc:
            raise self.connection.explain(exc) from exc
        self.cache.put(key, extraction)  # at once, so an interrupted run resumes from here
        verified, dropped = len(extraction.claims), _count_dropped(extraction.dropped)
        self.listener(ArticleDone(i, self.total, article.id, verified, dropped, time.monotonic() - started))
        return i, extraction


def _rebind(extraction: Extraction, article_id: str) -> Extraction:
    """A cache hit keyed by text may come from a file of another name: give it this article's id."""
    claims = [
        c.model_copy(update={"source_id": article_id, "id": claim_id(article_id, n)})
        for n, c in enumerate(extraction.claims, start=1)
    ]
    dropped = [d.model_copy(update={"source_id": article_id}) for d in extraction.dropped]
    return extraction.model_copy(update={"source_id": article_id, "claims": claims, "dropped": dropped, "cached": True})


def _count_dropped(dropped: Sequence[Dropped]) -> int:
    return sum(1 for d in dropped if d.is_drop)


def _note(dropped: list[Dropped], source_id: str = "brief") -> Callable[[str, str], None]:
    """A callback that keeps a later stage's rejected model output visible in `dropped`."""

    def note(reason: str, raw: str) -> None:
        dropped.append(Dropped(source_id=source_id, reason=reason, raw=raw, kind="invalid"))

    return note


def summarize(
    articles: Sequence[Article],
    settings: config.Settings | None = None,
    *,
    progress: Listener | None = None,
    connection: Connection | None = None,
) -> Brief:
    """Brief several articles about one event: agreements, conflicts, single-source claims.

    A long-lived caller (the HTTP service) passes its own open `connection`, which is then left open.
    """
    settings = settings or config.resolve()
    listener = progress or ignore
    started = time.monotonic()
    check_articles(articles)
    distinct, duplicates = dedupe(articles)
    with connect(settings, listener, reuse=connection) as conn:
        extractions = extract(distinct, settings, progress=listener, connection=conn)
        draft = _Draft.start(extractions, articles, distinct, duplicates)
        adjudication = draft.adjudicate(settings, conn, listener) if settings.adjudicate and draft.groups else None
        draft.trace(articles, distinct)
        summary, summary_mode = draft.summarize(settings, conn, listener)
    return Brief(
        sources=draft.sources,
        claims=draft.claims,
        groups=draft.groups,
        summary=summary,
        dropped=draft.dropped,
        stats=draft.stats(len(distinct), started),
        method=_method(settings, summary_mode, adjudication),
    )


@dataclass
class _Draft:
    """A brief being built: each later stage may replace the groups, note dropped output and add usage."""

    extractions: list[Extraction]
    claims: list[Claim]
    dropped: list[Dropped]
    groups: list[Group]
    sources: list[Source]
    usage: Usage

    @classmethod
    def start(
        cls,
        extractions: list[Extraction],
        articles: Sequence[Article],
        distinct: Sequence[Article],
        duplicates: dict[str, str],
    ) -> _Draft:
        """The claims grouped by the rules alone; every article a source, duplicates pointing at their original."""
        claims = [c for e in extractions for c in e.claims]
        usage = Usage()
        for e in extractions:
            if not e.cached:
                usage = usage.add(e.usage)
        return cls(
            extractions=extractions,
            claims=claims,
            dropped=[d for e in extractions for d in e.dropped],
            groups=group_claims(claims, {a.id: parse_published(a.published) for a in distinct}),
            sources=[
                Source(id=a.id, title=a.title, outlet=a.outlet, path=a.path, duplicate_of=duplicates.get(a.id))
                for a in articles
            ],
            usage=usage,
        )

    def adjudicate(self, settings: config.Settings, conn: Connection, listener: Listener) -> str:
        """Let the model confirm or reject the rules' conflicts and near merges; returns what it did."""
        listener(CheckingConflicts())
        endpoint = describe_endpoint(settings)
        with ExtractionCache(settings.cache_dir, enabled=settings.use_cache) as verdicts:
            self.groups, checked_usage, counts = adjudicate(
                self.groups,
                {c.id: c for c in self.claims},
                conn.client,
                store=verdicts,
                cache_id=f"{endpoint.model}@{endpoint.cache_id}",
                on_drop=_note(self.dropped),
            )
        self.usage = self.usage.add(checked_usage)
        return (
            f"{adjudicate_version()}: {counts['conflicts_checked']} conflicts checked, "
            f"{counts['conflicts_split']} split; {counts['merges_checked']} near merges checked, "
            f"{counts['merges_made']} made; {counts['unusable']} unusable verdicts"
        )

    def trace(self, articles: Sequence[Article], distinct: Sequence[Article]) -> None:
        """Timeline and provenance, after consensus: each source's day and what it nearly copies, each
        claim's origin, each conflict's kind (a dispute or a superseded figure), each group's origins."""
        self.sources, days = date_sources(self.sources, articles)
        self.sources, self.claims = trace_origins(distinct, self.sources, self.claims, days)
        self.groups = count_origins(mark_conflicts(self.groups, self.claims, days), self.claims)

    def summarize(
        self, settings: config.Settings, conn: Connection, listener: Listener
    ) -> tuple[list[SummarySentence], str]:
        """The summary and who wrote it: the model when asked and its sentences pass, else the rules."""
        claim_map = {c.id: c for c in self.claims}
        by_id = {s.id: s for s in self.sources}
        summary_mode = "rules"
        summary: list[SummarySentence] = []
        if settings.summary == "model" and self.groups:
            listener(WritingSummary())
            summary, summary_usage = model_summary(
                self.groups, claim_map, by_id, conn.client(), on_drop=_note(self.dropped, "summary")
            )
            self.usage = self.usage.add(summary_usage)
            summary_mode = f"model ({summary_prompt_version()})"
            if not summary:
                summary_mode = "rules (the model's summary did not pass the checks)"
        if not summary:
            summary = rule_summary(self.groups, claim_map, by_id)
        return summary, summary_mode

    def stats(self, articles: int, started: float) -> Stats:
        return Stats(
            articles=articles,
            claims_extracted=sum(e.extracted for e in self.extractions),
            claims_verified=len(self.claims),
            claims_dropped=_count_dropped(self.dropped),
            groups_agree=sum(g.status == "agree" for g in self.groups),
            groups_conflict=sum(g.status == "conflict" for g in self.groups),
            groups_single=sum(g.status == "single" for g in self.groups),
            model_calls=self.usage.calls,
            prompt_tokens=self.usage.prompt_tokens,
            completion_tokens=self.usage.completion_tokens,
            cached_articles=sum(e.cached for e in self.extractions),
            seconds=round(time.monotonic() - started, 3),
            model_seconds=round(self.usage.seconds, 3),
        )


def _method(settings: config.Settings, summary_mode: str, adjudication: str | None) -> Method:
    endpoint = describe_endpoint(settings)
    return Method(
        model=endpoint.model,
        endpoint=endpoint.label,
        endpoint_kind=endpoint.kind,
        prompt_version=prompt_version(settings.prompt),
        summary_mode=summary_mode,
        adjudication=adjudication,
    )
