"""What the service's clients send and get back: the request, the job, and the error body."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from summarizer.articles import article_from_text
from summarizer.models import Article, Brief
from summarizer.serve.jobs import CallbackState, Job, JobStatus


class ArticleIn(BaseModel):
    """One source article. `text` is kept exactly as sent: claim offsets index into it."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=200, description="unique within the request")
    text: str = Field(
        description=(
            "the article's plain text (header lines Title:/Outlet:/Date: are understood); it needs at least "
            "one sentence, a line that is not only a heading, a header or web boilerplate (else 422 no_sentences)"
        )
    )
    title: str | None = Field(default=None, max_length=1000)
    outlet: str | None = Field(default=None, max_length=1000)
    url: str | None = Field(default=None, max_length=2000)
    published: str | None = Field(default=None, max_length=100)


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid")

    summary: Literal["rules", "model"] | None = Field(
        default=None, description="who writes the summary; default: the service's setting (rules)"
    )


class BriefRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    articles: list[ArticleIn] = Field(min_length=1)
    options: Options = Field(default_factory=Options)
    callback_url: str | None = Field(
        default=None,
        max_length=2000,
        description=(
            "http(s) URL that gets the finished job POSTed to it; no credentials in it, and by default only "
            "public addresses (the service's --callback-origin list otherwise)"
        ),
    )


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorBody(BaseModel):
    error: ErrorDetail


class Progress(BaseModel):
    done: int = Field(description="articles extracted so far")
    total: int = Field(description="articles to extract (identical texts count once)")


class Links(BaseModel):
    status: str
    markdown: str
    html: str


class CallbackOut(BaseModel):
    state: CallbackState = Field(
        description="pending (not yet sent, or to be tried again), delivered (a 2xx answer), or failed (given up)"
    )
    attempts: int = Field(description="tries made so far")
    error: str | None = Field(default=None, description="why the last try failed, if it did")


class JobOut(BaseModel):
    id: str
    status: JobStatus
    progress: Progress
    attempts: int = Field(description="times a worker started this job (more than 1 after a crash)")
    error: ErrorDetail | None = None
    created: str = Field(description="when the job was accepted (ISO 8601, UTC)")
    updated: str = Field(description="when the job last changed (ISO 8601, UTC)")
    links: Links
    callback: CallbackOut | None = Field(
        default=None, description="delivery of the finished job to callback_url (null without one)"
    )
    brief: Brief | None = Field(default=None, description="the JSON brief (see its schema_version), once done")


def _time(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def job_out(job: Job) -> JobOut:
    return JobOut(
        id=job.id,
        status=job.status,
        progress=Progress(done=job.done, total=job.total),
        attempts=job.attempts,
        error=ErrorDetail(**job.error) if job.error else None,
        created=_time(job.created),
        updated=_time(job.updated),
        links=Links(
            status=f"/v1/briefs/{job.id}", markdown=f"/v1/briefs/{job.id}.md", html=f"/v1/briefs/{job.id}.html"
        ),
        callback=CallbackOut(state=job.callback_state, attempts=job.callback_attempts, error=job.callback_error)
        if job.callback_url and job.callback_state
        else None,
        brief=Brief.model_validate_json(job.result) if job.status == "done" and job.result else None,
    )


def to_articles(request: BriefRequest) -> list[Article]:
    """The request's articles as pipeline Articles; header lines fill in metadata the request left out."""
    articles = []
    for a in request.articles:
        parsed = article_from_text(a.text, article_id=a.id)  # raises InputError for empty text or an HTML page
        articles.append(
            Article(
                id=a.id,
                text=a.text,
                title=a.title or parsed.title,
                outlet=a.outlet or parsed.outlet,
                published=a.published or parsed.published,
                url=a.url or parsed.url,
            )
        )
    return articles
