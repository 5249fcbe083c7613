"""The service's routes: submit a brief, read the job, read the brief as Markdown or a review page."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request, Response
from fastapi.responses import HTMLResponse, PlainTextResponse

from summarizer.models import Brief
from summarizer.pipeline import dedupe
from summarizer.render.html import CSP, render_html
from summarizer.serve.callbacks import Policy
from summarizer.serve.checks import check_request
from summarizer.serve.http_errors import ApiError
from summarizer.serve.jobs import Job, JobStore, KeyReused, Limits
from summarizer.serve.openapi import responses
from summarizer.serve.wire import BriefRequest, JobOut, job_out, to_articles
from summarizer.serve.worker import Worker


@dataclass(frozen=True)
class Service:
    """What the routes work with; one per application, kept in `app.state.service`."""

    store: JobStore
    worker: Worker
    limits: Limits
    policy: Policy

    def job(self, job_id: str) -> Job:
        job = self.store.get(job_id)
        if job is None:
            raise ApiError(404, "not_found", f"no brief job {job_id!r}")
        return job

    def done(self, job_id: str) -> tuple[Job, Brief]:
        """A finished job and its brief; 409 while it is queued or running, or when it failed."""
        job = self.job(job_id)
        if job.status == "failed":
            message = job.error["message"] if job.error else "unknown error"
            raise ApiError(409, "job_failed", f"the brief failed: {message}")
        if job.status != "done" or not job.result:
            raise ApiError(
                409, "not_ready", f"the brief is {job.status} ({job.done}/{job.total} articles done); poll the job"
            )
        return job, Brief.model_validate_json(job.result)


def _service(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


Current = Annotated[Service, Depends(_service)]
router = APIRouter()


class MarkdownResponse(PlainTextResponse):
    media_type = "text/markdown"


@router.get(
    "/healthz",
    summary="Liveness (never needs the token); 503 once the job database is gone",
    operation_id="healthz",
    responses={503: responses()[503]},
)
def healthz(service: Current) -> dict[str, bool]:
    service.store.check()
    return {"ok": True}


IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        pattern=r"^[!-~]+$",
        description=(
            "Any string of your own (visible ASCII, at most 255 characters; a UUID does) naming this brief for "
            "24 hours: sent again with the same request, it returns the job it made (200) instead of a new one; "
            "with another request, it is a 422 (idempotency_key_reused)."
        ),
    ),
]


@router.post(
    "/v1/briefs",
    status_code=202,
    operation_id="submitBrief",
    summary="Submit articles for a brief; answers at once with the job",
    responses={
        200: {"model": JobOut, "description": "the job this Idempotency-Key made earlier, with its Location"},
        **responses(400, 422, 503),
    },
)
def submit(body: BriefRequest, response: Response, service: Current, idempotency_key: IdempotencyKey = None) -> JobOut:
    check_request(body, service.limits, service.policy)
    distinct, _ = dedupe(to_articles(body))  # the articles the pipeline will extract
    try:
        submitted = service.store.create(
            body.model_dump(),
            total=len(distinct),
            callback_url=body.callback_url,
            max_queued=service.limits.max_queued,
            key=idempotency_key,
            digest=request_digest(body) if idempotency_key else None,
        )
    except KeyReused as exc:
        raise ApiError(422, "idempotency_key_reused", str(exc)) from None
    if submitted is None:
        raise ApiError(503, "queue_full", "too many briefs are waiting; try again later", {"retry-after": "30"})
    out = job_out(submitted.job)
    response.headers["location"] = out.links.status
    if submitted.replayed:
        response.status_code = 200
    else:
        service.worker.notify()
    return out


def request_digest(body: BriefRequest) -> str:
    """What an Idempotency-Key is checked against: the request as parsed, so that its spacing and key
    order do not matter, and any change of content does."""
    canonical = json.dumps(body.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


@router.get(
    "/v1/briefs/{job_id}.md",
    operation_id="getBriefMarkdown",
    response_class=MarkdownResponse,
    summary="The brief as Markdown",
    responses=responses(404, 409),
)
def markdown(job_id: str, service: Current) -> MarkdownResponse:
    return MarkdownResponse(service.done(job_id)[1].to_markdown())


@router.get(
    "/v1/briefs/{job_id}.html",
    operation_id="getBriefHtml",
    response_class=HTMLResponse,
    summary="The review page: the brief beside its sources, every claim highlighted",
    responses=responses(404, 409),
)
def html(job_id: str, service: Current) -> HTMLResponse:
    job, brief = service.done(job_id)
    page = render_html(brief, to_articles(BriefRequest.model_validate(job.request)))
    return HTMLResponse(page, headers={"content-security-policy": CSP})


@router.get(
    "/v1/briefs/{job_id}",
    operation_id="getBrief",
    summary="The job: status, progress, and the JSON brief when done",
    responses=responses(404),
)
def status(job_id: str, service: Current) -> JobOut:
    return job_out(service.job(job_id))
