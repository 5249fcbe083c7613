"""The model client: dialects, retries with backoff, Retry-After, fallbacks and clear failures."""

from __future__ import annotations

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


def test_rate_limit_honours_retry_after() -> None:
    with serve([Reply(status=429, headers={"retry-after": "1"}), Reply(content="{}")]) as (url, _):
        started = time.monotonic()
        ask(client(url))
    assert time.monotonic() - started >= 0.9


def test_retries_are_capped_and_end_in_a_model_error_naming_the_endpoint() -> None:
    with serve([Reply(status=502)]) as (url, standin), pytest.raises(ModelError) as info:
        ask(client(url, max_retries=2))
    assert len(standin.requests) == 3
    assert url in str(info.value)


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
