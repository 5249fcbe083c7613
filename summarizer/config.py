"""Settings resolved once per run: flags > environment (SUMMARIZER_*, OPENAI_*) > defaults."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
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

    def with_endpoint(self, base_url: str, model: str) -> Settings:
        return replace(self, base_url=base_url, model=model)


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
    base = base_url or _env(env, "SUMMARIZER_BASE_URL", "OPENAI_BASE_URL")
    if base is None and api_key:
        base = OPENAI_URL
    chosen_model = model or _env(env, "SUMMARIZER_MODEL")
    if base is not None and chosen_model is None:
        if base.rstrip("/") == OPENAI_URL:
            chosen_model = OPENAI_DEFAULT_MODEL
        else:
            raise ConfigError(f"an endpoint is set ({base}) but no model: pass --model or set SUMMARIZER_MODEL")
    chosen_dialect = dialect or _env(env, "SUMMARIZER_DIALECT") or "auto"
    if chosen_dialect not in DIALECTS:
        raise ConfigError(f"unknown dialect {chosen_dialect!r}: choose one of {', '.join(DIALECTS)}")
    timeout_text = _env(env, "SUMMARIZER_TIMEOUT")
    try:
        chosen_timeout = timeout if timeout is not None else float(timeout_text or 600.0)
    except ValueError as exc:
        raise ConfigError(f"SUMMARIZER_TIMEOUT must be a number of seconds, got {timeout_text!r}") from exc
    if chosen_timeout <= 0:
        raise ConfigError("the timeout must be a positive number of seconds")
    chosen_summary = summary or _env(env, "SUMMARIZER_SUMMARY") or "rules"
    if chosen_summary not in ("rules", "model"):
        raise ConfigError(f"unknown summary mode {chosen_summary!r}: choose 'rules' or 'model'")
    cache = Path(cache_dir) if cache_dir else Path(_env(env, "SUMMARIZER_CACHE_DIR") or default_cache_dir())
    model_cache = _env(env, "SUMMARIZER_MODEL_CACHE_DIR")
    chosen_prompt = prompt or _env(env, "SUMMARIZER_PROMPT") or Settings.prompt
    if not chosen_prompt.startswith("extract."):
        raise ConfigError(f"unknown extraction prompt {chosen_prompt!r}: use one of prompts/extract.*.txt")
    jobs_text = _env(env, "SUMMARIZER_JOBS")
    try:
        chosen_jobs = jobs if jobs is not None else (int(jobs_text) if jobs_text else None)
    except ValueError as exc:
        raise ConfigError(f"SUMMARIZER_JOBS must be a whole number, got {jobs_text!r}") from exc
    if chosen_jobs is not None and not 1 <= chosen_jobs <= 64:
        raise ConfigError("--jobs must be between 1 and 64")
    adjudicate_text = (_env(env, "SUMMARIZER_ADJUDICATE") or "0").strip().lower()
    if adjudicate_text not in ("0", "1", "false", "true", "no", "yes"):
        raise ConfigError(f"SUMMARIZER_ADJUDICATE must be 1 or 0, got {adjudicate_text!r}")
    chosen_adjudicate = adjudicate if adjudicate is not None else adjudicate_text in ("1", "true", "yes")
    return Settings(
        adjudicate=chosen_adjudicate,
        jobs=chosen_jobs,
        model_cache_dir=Path(model_cache) if model_cache else None,
        model=chosen_model,
        base_url=base,
        api_key=api_key,
        dialect=chosen_dialect,  # type: ignore[arg-type]
        cache_dir=cache,
        use_cache=not no_cache,
        timeout=chosen_timeout,
        summary=chosen_summary,  # type: ignore[arg-type]
        prompt=chosen_prompt,
    )


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
