"""Configuration precedence: flags > environment > defaults."""

from __future__ import annotations

import pytest

from summarizer.config import OPENAI_DEFAULT_MODEL, resolve
from summarizer.errors import ConfigError


def test_no_endpoint_means_the_embedded_model() -> None:
    assert resolve(env={}).embedded


def test_flag_beats_environment() -> None:
    env = {"SUMMARIZER_MODEL": "env-model", "OPENAI_BASE_URL": "http://env/v1"}
    s = resolve(model="flag-model", base_url="http://flag/v1", env=env)
    assert (s.model, s.base_url) == ("flag-model", "http://flag/v1")


def test_environment_beats_default() -> None:
    s = resolve(env={"SUMMARIZER_MODEL": "m", "OPENAI_BASE_URL": "http://vllm:8000/v1", "SUMMARIZER_DIALECT": "vllm"})
    assert (s.model, s.base_url, s.dialect) == ("m", "http://vllm:8000/v1", "vllm")


def test_api_key_alone_means_openai_with_its_default_model() -> None:
    s = resolve(env={"OPENAI_API_KEY": "sk-x"})
    assert s.base_url == "https://api.openai.com/v1" and s.model == OPENAI_DEFAULT_MODEL


def test_custom_endpoint_without_model_is_a_config_error_naming_the_variable() -> None:
    with pytest.raises(ConfigError, match="SUMMARIZER_MODEL"):
        resolve(env={"OPENAI_BASE_URL": "http://localhost:8000/v1"})


def test_unknown_dialect_is_rejected() -> None:
    with pytest.raises(ConfigError, match="dialect"):
        resolve(dialect="grpc", env={})


def test_bad_timeout_in_environment_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="SUMMARIZER_TIMEOUT"):
        resolve(env={"SUMMARIZER_TIMEOUT": "soon"})


def test_api_key_is_not_in_the_settings_repr() -> None:
    assert "sk-secret" not in repr(resolve(env={"OPENAI_API_KEY": "sk-secret"}))
