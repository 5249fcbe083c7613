"""The service's HTTP manners (issue 19): HEAD wherever GET, the bearer scheme in any case, the review
page's Content-Security-Policy, and an article in which no sentence is found refused with a 422.

A real `summarizer serve` process on loopback with the scripted stand-in model (tests/test_service.py's
helpers).
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from standin import Reply, StandIn, serve
from test_service import COURIER, FACTS, HERALD, Service, assert_error, running, submit, wait_for

from summarizer.render.html import CSP

TOKEN = "quay-light-7"


@pytest.fixture(scope="module")
def model() -> Iterator[tuple[str, StandIn]]:
    with serve([Reply(content=FACTS)]) as endpoint:
        yield endpoint


@pytest.fixture(scope="module")
def service(model: tuple[str, StandIn], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    with running(tmp_path_factory.mktemp("http"), model[0], "--workers", "2") as service:
        yield service


@pytest.fixture
def client(service: Service) -> Iterator[httpx.Client]:
    with service.client() as client:
        yield client


@pytest.fixture(scope="module")
def done_job(service: Service) -> str:
    with service.client() as client:
        job = wait_for(client, submit(client)["id"])
    assert job["status"] == "done"
    return str(job["id"])


@pytest.fixture(scope="module")
def guarded(model: tuple[str, StandIn], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    with running(tmp_path_factory.mktemp("guarded"), model[0], env={"SUMMARIZER_API_TOKEN": TOKEN}) as service:
        yield service


# ---- HEAD is answered wherever GET is ----------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/healthz", "/openapi.json", "/v1/briefs/{id}", "/v1/briefs/{id}.md", "/v1/briefs/{id}.html"]
)
def test_head_answers_with_the_status_and_headers_of_get_and_no_body(
    client: httpx.Client, done_job: str, path: str
) -> None:
    url = path.format(id=done_job)
    get, head = client.get(url), client.head(url)
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert int(head.headers["content-length"]) == len(get.content)


def test_head_of_an_unknown_job_is_a_404(client: httpx.Client) -> None:
    head = client.head("/v1/briefs/nope")
    assert head.status_code == 404 and head.content == b""
    assert head.headers["content-type"] == "application/json"


def test_head_on_a_route_without_get_is_a_405_that_allows_post(client: httpx.Client) -> None:
    head = client.head("/v1/briefs")
    assert head.status_code == 405 and head.headers["allow"] == "POST"


def test_a_405_on_a_get_route_says_it_allows_head(client: httpx.Client, done_job: str) -> None:
    response = client.delete(f"/v1/briefs/{done_job}")
    assert_error(response, 405, "method_not_allowed")
    assert response.headers["allow"] == "GET, HEAD"


def test_head_needs_the_token_as_get_does(guarded: Service) -> None:
    head = httpx.head(f"{guarded.url}/openapi.json")
    assert head.status_code == 401 and head.headers["www-authenticate"] == "Bearer"


# ---- the bearer scheme is case-insensitive (RFC 7235) --------------------------------------------------


@pytest.mark.parametrize("scheme", ["bearer", "BEARER", "bEaReR", "Bearer "])
def test_the_bearer_scheme_is_accepted_in_any_case(guarded: Service, scheme: str) -> None:
    response = httpx.get(f"{guarded.url}/openapi.json", headers={"authorization": f"{scheme} {TOKEN}"})
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("authorization", ["bearer wrong", f"bearer{TOKEN}", f"bearer {TOKEN}x", f"token {TOKEN}"])
def test_a_lower_case_scheme_with_the_wrong_token_is_still_refused(guarded: Service, authorization: str) -> None:
    response = httpx.get(f"{guarded.url}/openapi.json", headers={"authorization": authorization})
    assert_error(response, 401, "unauthorized")


# ---- the review page over HTTP ------------------------------------------------------------------------


def test_the_review_page_is_served_with_the_hash_based_policy_it_carries(client: httpx.Client, done_job: str) -> None:
    response = client.get(f"/v1/briefs/{done_job}.html")
    assert response.headers["content-security-policy"] == CSP
    assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' in response.text
    assert "unsafe-inline" not in CSP and "script-src 'sha256-" in CSP


# ---- an article in which no sentence is found ---------------------------------------------------------


def test_an_article_with_no_sentence_is_a_422_naming_it(client: httpx.Client) -> None:
    headlines = {"id": "headlines", "text": "Depot fire\nBuses damaged\nReopening on Friday\n"}
    response = client.post("/v1/briefs", json={"articles": [COURIER, headlines]})
    message = assert_error(response, 422, "no_sentences")
    assert message.startswith("articles.1.text: article 'headlines': no sentence found")


def test_an_article_in_chinese_gives_a_brief_of_its_sentences(client: httpx.Client) -> None:
    text = "仓库失火\n周二晚上，城东仓库发生火灾。消防部门说，十四辆货车受损。\n"
    job = wait_for(client, submit(client, {"id": "zh", "text": text}, HERALD)["id"])
    assert job["status"] == "done", job["error"]
    quotes = {c["quote"] for c in job["brief"]["claims"] if c["source_id"] == "zh"}
    assert quotes == {"周二晚上，城东仓库发生火灾。", "消防部门说，十四辆货车受损。"}
