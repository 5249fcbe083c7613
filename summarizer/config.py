"""Settings resolved once per run: flags > environment (SUMMARIZER_*, OPENAI_*) > defaults."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from summarizer.errors import ConfigError
from summarizer.prompts import DEFAULT_PROMPT

Dialect = Literal["auto", "openai", "llamacpp", "vllm", "ollama", "json"]
DIALECTS: tuple[str, ...] = ("auto", "openai", "llamacpp", "vllm", "ollama", "json")
SummaryMode = Literal["rules", "model"]

OPENAI_DEFAULT_MODEL = "gpt-4o-mini"
OPENAI_URL = "https://api.openai.com/v1"


def default_cache_dir() -> Path:
    """The per-user cache dir (XDG on Linux, ~/Library/Caches on macOS)."""
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        return Path(xdg) / "summarizer"
    home = Path.home()
    if (home / "Library" / "Caches").is_dir():
        return home / "Library" / "Caches" / "summarizer"
    return home / ".cache" / "summarizer"


@dataclass(frozen=True)
class Settings:
    """Everything a run needs to know about where and how to call the model."""

    model: str | None = None
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    dialect: Dialect = "auto"
    cache_dir: Path = field(default_factory=default_cache_dir)
    use_cache: bool = True
    timeout: float = 600.0
    max_retries: int = 4
    summary: SummaryMode = "rules"
    seed: int = 7
    prompt: str = DEFAULT_PROMPT
    jobs: int | None = None  # articles extracted at once; None: 1 for the embedded model, 4 elsewhere
    model_cache_dir: Path | None = None  # where the embedded model is assembled; default: cache_dir
    adjudicate: bool = False  # let the model confirm or reject the rules' conflicts and near merges

    @property
    def effective_jobs(self) -> int:
        if self.jobs is not None:
            return self.jobs
        return 1 if self.embedded else 4

    @property
    def model_home(self) -> Path:
        return self.model_cache_dir or self.cache_dir

    @property
    def embedded(self) -> bool:
        """No endpoint configured: run the bundled local model."""
        return self.base_url is None


def _env(env: Mapping[str, str], *names: str) -> str | None:
    for name in names:
        value = env.get(name)
        if value:
            return value
    return None


def resolve(
    *,
    model: str | None = None,
    base_url: str | None = None,
    dialect: str | None = None,
    cache_dir: str | Path | None = None,
    no_cache: bool = False,
    timeout: float | None = None,
    summary: str | None = None,
    prompt: str | None = None,
    jobs: int | None = None,
    adjudicate: bool | None = None,
    env: Mapping[str, str] | None = None,
) -> Settings:
    """Merge flags (the keyword arguments) over environment variables over defaults."""
    env = os.environ if env is None else env
    api_key = _env(env, "OPENAI_API_KEY")
    base, chosen_model = _endpoint(env, base_url, model, api_key)
    # checked in this order, so that the first mistake is the one reported
    chosen_dialect = _dialect(env, dialect)
    chosen_timeout = _timeout(env, timeout)
    chosen_summary = _summary(env, summary)
    cache = Path(cache_dir) if cache_dir else Path(_env(env, "SUMMARIZER_CACHE_DIR") or default_cache_dir())
    model_cache = _env(env, "SUMMARIZER_MODEL_CACHE_DIR")
    chosen_prompt = _prompt(env, prompt)
    chosen_jobs = _jobs(env, jobs)
    chosen_adjudicate = _adjudicate(env, adjudicate)
    return Settings(
        adjudicate=chosen_adjudicate,
        jobs=chosen_jobs,
        model_cache_dir=Path(model_cache) if model_cache else None,
        model=chosen_model,
        base_url=base,
        api_key=api_key,
        dialect=chosen_dialect,
        cache_dir=cache,
        use_cache=not no_cache,
        timeout=chosen_timeout,
        summary=chosen_summary,
        prompt=chosen_prompt,
    )


def _endpoint(
    env: Mapping[str, str], base_url: str | None, model: str | None, api_key: str | None
) -> tuple[str | None, str | None]:
    """(base URL, model): none for the embedded model; OpenAI's when only an API key is given."""
    base = base_url or _env(env, "SUMMARIZER_BASE_URL", "OPENAI_BASE_URL")
    if base is None and api_key:
        base = OPENAI_URL
    chosen = model or _env(env, "SUMMARIZER_MODEL")
    if base is not None and chosen is None:
        if base.rstrip("/") != OPENAI_URL:
            raise ConfigError(f"an endpoint is set ({base}) but no model: pass --model or set SUMMARIZER_MODEL")
        chosen = OPENAI_DEFAULT_MODEL
    return base, chosen


def _dialect(env: Mapping[str, str], dialect: str | None) -> Dialect:
    chosen = dialect or _env(env, "SUMMARIZER_DIALECT") or "auto"
    if chosen not in DIALECTS:
        raise ConfigError(f"unknown dialect {chosen!r}: choose one of {', '.join(DIALECTS)}")
    return chosen  # type: ignore[return-value]


def _timeout(env: Mapping[str, str], timeout: float | None) -> float:
    text = _env(env, "SUMMARIZER_TIMEOUT")
    try:
        chosen = timeout if timeout is not None else float(text or 600.0)
    except ValueError as exc:
        raise ConfigError(f"SUMMARIZER_TIMEOUT must be a number of seconds, got {text!r}") from exc
    if chosen <= 0:
        raise ConfigError("the timeout must be a positive number of seconds")
    return chosen


def _summary(env: Mapping[str, str], summary: str | None) -> SummaryMode:
    chosen = summary or _env(env, "SUMMARIZER_SUMMARY") or "rules"
    if chosen not in ("rules", "model"):
        raise ConfigError(f"unknown summary mode {chosen!r}: choose 'rules' or 'model'")
    return chosen  # type: ignore[return-value]


def _prompt(env: Mapping[str, str], prompt: str | None) -> str:
    chosen = prompt or _env(env, "SUMMARIZER_PROMPT") or Settings.prompt
    if not chosen.startswith("extract."):
        raise ConfigError(f"unknown extraction prompt {chosen!r}: use one of prompts/extract.*.txt")
    return chosen


def _jobs(env: Mapping[str, str], jobs: int | None) -> int | None:
    text = _env(env, "SUMMARIZER_JOBS")
    try:
        chosen = jobs if jobs is not None else (int(text) if text else None)
    except ValueError as exc:
        raise ConfigError(f"SUMMARIZER_JOBS must be a whole number, got {text!r}") from exc
    if chosen is not None and not 1 <= chosen <= 64:
        raise ConfigError("--jobs must be between 1 and 64")
    return chosen


def _adjudicate(env: Mapping[str, str], adjudicate: bool | None) -> bool:
    text = (_env(env, "SUMMARIZER_ADJUDICATE") or "0").strip().lower()
    if text not in ("0", "1", "false", "true", "no", "yes"):
        raise ConfigError(f"SUMMARIZER_ADJUDICATE must be 1 or 0, got {text!r}")
    return adjudicate if adjudicate is not None else text in ("1", "true", "yes")


def endpoint_kind(settings: Settings) -> str:
    """A short name for the kind of endpoint, shown in the brief's method footer."""
    if settings.embedded:
        return "embedded llama.cpp"
    assert settings.base_url is not None
    if settings.base_url.rstrip("/") == OPENAI_URL:
        return "openai"
    return f"openai-compatible ({settings.dialect})"


def effective_dialect(settings: Settings, *, embedded: bool) -> str:
    """Pick the structured-output dialect: explicit setting, else guess from the endpoint."""
    if settings.dialect != "auto":
        return settings.dialect
    if embedded:
        return "llamacpp"
    if settings.base_url and settings.base_url.rstrip("/") == OPENAI_URL:
        return "openai"
    return "json"
