"""The model client: dialects, retries with backoff, Retry-After, fallbacks and clear failures."""

from __future__ import annotations

import json
import time

import pytest
from standin import Reply, serve

from summarizer.errors import ModelError
from summarizer.llm import ModelClient

SCHEMA = {"type": "object", "properties": {"claims": {"type": "array"}}, "required": ["claims"]}
MESSAGES = [{"role": "user", "content": "hello"}]


def client(base_url: str, dialect: str = "llamacpp", **kw: float) -> ModelClient:
    return ModelClient(base_url=base_url, model="m", dialect=dialect, backoff_initial=0.01, backoff_max=0.05, **kw)  # type: ignore[arg-type]


def ask(c: ModelClient) -> str:
    return c.chat_json(MESSAGES, schema=SCHEMA, schema_name="claims", max_tokens=50).content


def test_llamacpp_dialect_sends_json_object_with_schema() -> None:
    with serve([Reply(content='{"claims": []}')]) as (url, standin):
        assert ask(client(url)) == '{"claims": []}'
    assert standin.requests[0]["response_format"] == {"type": "json_object", "schema": SCHEMA}


def test_openai_dialect_sends_strict_json_schema() -> None:
    with serve([Reply(content='{"claims": []}')]) as (url, standin):
        ask(client(url, dialect="openai"))
    fmt = standin.requests[0]["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["strict"] is True


def test_requests_are_deterministic() -> None:
    with serve([Reply(content="{}")]) as (url, standin):
        ask(client(url))
    assert standin.requests[0]["temperature"] == 0 and "seed" in standin.requests[0]


def test_server_errors_are_retried_until_success() -> None:
    with serve([Reply(status=500), Reply(status=503), Reply(content='{"claims": []}')]) as (url, standin):
        assert ask(client(url)) == '{"claims": []}'
    assert len(standin.requests) == 3


@pytest.mark.parametrize("status", [500, 502, 503, 504, 408])
def test_gateway_errors_and_request_timeouts_are_retried_like_500(status: int) -> None:
    with serve([Reply(status=status), Reply(content='{"claims": []}')]) as (url, standin):
        assert ask(client(url)) == '{"claims": []}'
    assert len(standin.requests) == 2


def test_connection_reset_mid_response_is_retried_then_succeeds() -> None:
    script = [Reply(content='{"claims": ["cut off"]}', reset=True), Reply(content='{"claims": []}')]
    with serve(script) as (url, standin):
        assert ask(client(url)) == '{"claims": []}'
    assert len(standin.requests) == 2


def test_rate_limit_without_retry_after_backs_off_then_succeeds() -> None:
    script = [Reply(status=429), Reply(status=429), Reply(content="{}")]
    with serve(script) as (url, standin):
        started = time.monotonic()
        ask(ModelClient(base_url=url, model="m", backoff_initial=0.1, backoff_max=0.3))
        elapsed = time.monotonic() - started
    assert len(standin.requests) == 3
    # waits of at least 0.1 s then 0.2 s (exponential), each capped at backoff_max (the default would be >= 3 s)
    assert 0.3 <= elapsed < 3


def test_rate_limit_honours_retry_after() -> None:
    with serve([Reply(status=429, headers={"retry-after": "1"}), Reply(content="{}")]) as (url, _):
        started = time.monotonic()
        ask(client(url))
    assert time.monotonic() - started >= 0.9


@pytest.mark.parametrize(
    "reply",
    [Reply(status=429), Reply(status=500), Reply(status=502), Reply(status=503), Reply(content="{}", reset=True)],
    ids=["429", "500", "502", "503", "reset"],
)
def test_retries_are_capped_and_end_in_a_model_error_naming_the_endpoint(reply: Reply) -> None:
    with serve([reply]) as (url, standin), pytest.raises(ModelError) as info:
        ask(client(url, max_retries=2))
    assert len(standin.requests) == 3
    message = str(info.value)
    assert url in message and "after 3 attempts" in message and "\n" not in message
    assert info.value.endpoint == url


def test_other_refusals_are_a_model_error_without_retries() -> None:
    with serve([Reply(status=403)]) as (url, standin), pytest.raises(ModelError) as info:
        ask(client(url))
    assert len(standin.requests) == 1
    assert url in str(info.value) and "HTTP 403" in str(info.value)


@pytest.mark.parametrize(
    "body",
    [
        b"<html><body>Welcome to the dashboard</body></html>",
        b'{"choices": [{"index": 0, "mess',
        b'{"choices": []}',
        b"{}",
        b"[1, 2]",
        b'{"choices": [{"index": 0, "message": null, "finish_reason": "stop"}]}',
    ],
    ids=["html-page", "cut-off-json", "no-choices", "empty-object", "a-list", "no-message"],
)
def test_ok_response_that_is_not_a_chat_completion_is_a_model_error_naming_the_endpoint(body: bytes) -> None:
    with serve([Reply(body=body)]) as (url, standin), pytest.raises(ModelError) as info:
        ask(client(url))
    assert len(standin.requests) == 1  # the same URL would answer the same: not retried
    assert url in str(info.value) and "OpenAI-compatible" in str(info.value) and "\n" not in str(info.value)


def test_unpaired_surrogate_escape_in_the_answer_becomes_a_replacement_character() -> None:
    body = b'{"choices": [{"index": 0, "finish_reason": "stop", "message": {"content": "{\\"by\\": \\"\\ud800\\"}"}}]}'
    with serve([Reply(body=body)]) as (url, _):
        content = ask(client(url))
    assert content == '{"by": "\ufffd"}'
    content.encode("utf-8")


def test_finish_reason_is_reported() -> None:
    with serve([Reply(content='{"claims": [', finish_reason="length")]) as (url, _):
        result = client(url).chat_json(MESSAGES, schema=SCHEMA, schema_name="claims", max_tokens=5)
    assert result.finish_reason == "length" and result.content == '{"claims": ['


def test_connection_refused_is_a_model_error() -> None:
    with pytest.raises(ModelError, match="127.0.0.1:9"):
        ask(client("http://127.0.0.1:9/v1", max_retries=1))


def test_a_call_that_hangs_past_the_timeout_is_a_model_error() -> None:
    with serve([Reply(content="{}", delay=3)]) as (url, _), pytest.raises(ModelError):
        ask(client(url, timeout=0.5, max_retries=0))


def test_refused_structured_dialect_falls_back_to_plain_json_mode() -> None:
    with serve([Reply(status=400), Reply(content='{"claims": []}')]) as (url, standin):
        c = client(url, dialect="openai")
        assert ask(c) == '{"claims": []}'
    assert standin.requests[1]["response_format"] == {"type": "json_object"}
    assert c.dialect == "json"


def test_api_key_is_sent_but_never_in_errors() -> None:
    secret = "sk-test-0123456789abcdefSECRET"
    with serve([Reply(status=500)]) as (url, standin):
        c = ModelClient(base_url=url, model="m", api_key=secret, max_retries=0)
        with pytest.raises(ModelError) as info:
            ask(c)
    assert standin.requests[0]["_headers"]["authorization"] == f"Bearer {secret}"
    assert secret not in str(info.value) and secret not in repr(info.value.__dict__)


@pytest.mark.parametrize("status", [500, 403, 400])
def test_key_echoed_back_by_the_endpoint_is_cut_from_the_error(status: int) -> None:
    secret = "sk-test-0123456789abcdefECHOED"
    with serve([Reply(status=status, echo_headers=True)]) as (url, standin):
        c = ModelClient(base_url=url, model="m", api_key=secret, dialect="json", max_retries=0)
        with pytest.raises(ModelError) as info:
            ask(c)
    assert secret in json.dumps(standin.requests[0]["_headers"])  # it was sent, and echoed back
    assert secret not in str(info.value) and "[redacted]" in str(info.value)
