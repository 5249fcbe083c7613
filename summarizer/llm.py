"""The one module that talks to a model: the openai client, structured-output dialects, retries.

The openai SDK is imported where a client is made or an error of its is read, not with this module:
it is most of the CLI's start time (about 0.6 s), and `--help`, `--version` or a fully cached brief
should not wait for it.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any

from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)

from summarizer.errors import ModelError

# Also retried, as the SDK itself would (its own retries are off): request timeout and conflict.
_TRANSIENT_STATUS = (408, 409)
_MAX_RETRY_AFTER = 60.0
# A lone surrogate (from an unpaired "\\ud800"-style escape) is not text: it cannot be written as UTF-8.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _transient(exc: BaseException) -> bool:
    import openai

    transient = (
        openai.APIConnectionError,  # includes APITimeoutError and a connection reset mid-response
        openai.RateLimitError,
        openai.InternalServerError,  # every 5xx
    )
    return isinstance(exc, transient) or (
        isinstance(exc, openai.APIStatusError) and exc.status_code in _TRANSIENT_STATUS
    )


@dataclass(frozen=True)
class ChatResult:
    """The model's text plus what the call cost."""

    content: str
    prompt_tokens: int
    completion_tokens: int
    seconds: float
    finish_reason: str | None


def _retry_after(state: RetryCallState) -> float | None:
    """Honour a server's Retry-After header (seconds), capped so a bad value cannot stall a run."""
    exc = state.outcome.exception() if state.outcome else None
    response = getattr(exc, "response", None)
    if response is None:
        return None
    value = response.headers.get("retry-after")
    try:
        return min(max(float(value), 0.0), _MAX_RETRY_AFTER) if value is not None else None
    except ValueError:
        return None


class _Wait:
    """Exponential backoff with jitter, replaced by Retry-After when the server sends one."""

    def __init__(self, initial: float, maximum: float) -> None:
        self._backoff = wait_exponential_jitter(initial=initial, max=maximum)

    def __call__(self, state: RetryCallState) -> float:
        hinted = _retry_after(state)
        return hinted if hinted is not None else float(self._backoff(state))


class ModelClient:
    """Chat completions returning JSON, in whichever structured-output dialect the endpoint speaks."""

    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        api_key: str | None = None,
        dialect: str = "json",
        timeout: float = 600.0,
        max_retries: int = 4,
        seed: int = 7,
        backoff_initial: float = 1.0,
        backoff_max: float = 20.0,
    ) -> None:
        self.base_url = base_url
        self.model = model
        self.dialect = dialect
        self.seed = seed
        self._attempts = max_retries + 1
        self._wait = _Wait(backoff_initial, backoff_max)
        self._secret = api_key or None
        import openai

        # tenacity owns retries, so the SDK's own are off; the key never leaves this object.
        self._client = openai.OpenAI(base_url=base_url, api_key=api_key or "not-needed", timeout=timeout, max_retries=0)

    def _format_args(self, schema: dict[str, Any], name: str) -> dict[str, Any]:
        if self.dialect == "openai":
            return {
                "response_format": {
                    "type": "json_schema",
                    "json_schema": {"name": name, "schema": schema, "strict": True},
                }
            }
        if self.dialect == "llamacpp":
            return {"response_format": {"type": "json_object", "schema": schema}}
        if self.dialect == "vllm":
            return {"extra_body": {"guided_json": schema}}
        if self.dialect == "ollama":
            return {"response_format": {"type": "json_schema", "json_schema": {"name": name, "schema": schema}}}
        if self.dialect == "json":
            return {"response_format": {"type": "json_object"}}
        return {}

    def chat_json(
        self,
        messages: list[dict[str, str]],
        *,
        schema: dict[str, Any],
        schema_name: str,
        max_tokens: int,
    ) -> ChatResult:
        """One chat call asking for JSON; transient failures retried, dialect refusals fall back."""
        import openai

        try:
            return self._call(messages, schema, schema_name, max_tokens)
        except (openai.BadRequestError, openai.UnprocessableEntityError) as exc:
            if self.dialect in ("json", "plain"):
                raise ModelError(
                    f"{self.base_url} refused the request: {self._brief(exc)}", endpoint=self.base_url, original=exc
                ) from exc
            # The endpoint does not speak this structured-output dialect: plain JSON mode, validated after.
            self.dialect = "json"
            return self.chat_json(messages, schema=schema, schema_name=schema_name, max_tokens=max_tokens)

    def _call(self, messages: list[dict[str, str]], schema: dict[str, Any], name: str, max_tokens: int) -> ChatResult:
        import openai

        retrying = Retrying(
            stop=stop_after_attempt(self._attempts),
            wait=self._wait,
            retry=retry_if_exception(_transient),
            reraise=True,
        )
        started = time.monotonic()
        try:
            for attempt in retrying:
                with attempt:
                    response = self._client.chat.completions.create(
                        model=self.model,
                        messages=messages,  # type: ignore[arg-type]
                        temperature=0,
                        seed=self.seed,
                        max_tokens=max_tokens,
                        **self._format_args(schema, name),
                    )
        except (openai.BadRequestError, openai.UnprocessableEntityError):
            raise  # chat_json falls back to plain JSON mode or reports the refusal
        except openai.AuthenticationError as exc:
            raise ModelError(
                f"{self.base_url} rejected the API key: check OPENAI_API_KEY", endpoint=self.base_url, original=exc
            ) from exc
        except openai.NotFoundError as exc:
            raise ModelError(
                f"{self.base_url} does not know model {self.model!r}: check --model / SUMMARIZER_MODEL",
                endpoint=self.base_url,
                original=exc,
            ) from exc
        except openai.APIError as exc:
            what = f"failed after {self._attempts} attempts" if _transient(exc) else "refused the request"
            raise ModelError(
                f"model endpoint {self.base_url} {what}: {self._brief(exc)}", endpoint=self.base_url, original=exc
            ) from exc
        except ValueError as exc:  # a 200 whose body is not JSON (a proxy's HTML page, a cut-off body)
            raise self._not_a_chat_endpoint(f"{type(exc).__name__}: {_one_line(str(exc))}", exc) from exc
        return self._result(response, time.monotonic() - started)

    def _result(self, response: Any, seconds: float) -> ChatResult:
        """The answer of a 200 response, checked: the SDK does not validate the body's shape."""
        choices = getattr(response, "choices", None)
        if not isinstance(choices, list) or not choices:
            raise self._not_a_chat_endpoint("the response has no choices")
        message = getattr(choices[0], "message", None)
        content = getattr(message, "content", None)
        if message is None or not isinstance(content, str | None):
            raise self._not_a_chat_endpoint("the first choice has no message text")
        usage = getattr(response, "usage", None)
        finish = getattr(choices[0], "finish_reason", None)
        return ChatResult(
            # a lone surrogate (an unpaired surrogate escape in the body) could not be written as UTF-8 later
            content=LONE_SURROGATE.sub("\ufffd", content or ""),
            prompt_tokens=_count(getattr(usage, "prompt_tokens", 0)),
            completion_tokens=_count(getattr(usage, "completion_tokens", 0)),
            seconds=seconds,
            finish_reason=finish if isinstance(finish, str) else None,
        )

    def _not_a_chat_endpoint(self, problem: str, original: BaseException | None = None) -> ModelError:
        return ModelError(
            f"{self.base_url} did not answer like an OpenAI-compatible chat endpoint ({_one_line(problem)}); "
            "check --base-url, which usually ends in /v1",
            endpoint=self.base_url,
            original=original,
        )

    def _brief(self, exc: BaseException) -> str:
        return _brief(exc, self._secret)

    def close(self) -> None:
        self._client.close()


def _count(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def _one_line(text: str) -> str:
    return text.strip().splitlines()[0][:200] if text.strip() else ""


def _brief(exc: BaseException, secret: str | None = None) -> str:
    """One line about an SDK error, without request headers, and with the key cut out even where an
    endpoint echoes it back in its error body."""
    status = getattr(exc, "status_code", None)
    kind = type(exc).__name__
    text = str(getattr(exc, "message", "") or exc)
    message = _one_line(text.replace(secret, "[redacted]") if secret else text)
    return f"{kind}{f' (HTTP {status})' if status else ''}{': ' + message if message else ''}"
