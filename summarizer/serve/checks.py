"""The rules a brief request must meet beyond its schema; each broken one is a 422 with its own code."""

from __future__ import annotations

import re

from summarizer.articles import article_from_text, require_sentences
from summarizer.errors import InputError, NoSentencesError
from summarizer.serve.callbacks import CallbackRefused, CallbackURLError, Policy, parse_url
from summarizer.serve.http_errors import ApiError
from summarizer.serve.jobs import Limits
from summarizer.serve.wire import ArticleIn, BriefRequest

# A character that is not blank, spelled so that Python and JSON Schema (ECMA) regexes agree: Python's
# \s also holds \x1c-\x1f and \x85, ECMA's also \ufeff. Article text needs one (else: empty_text).
VISIBLE = re.compile(r"[^\s\x1c-\x1f\x85\ufeff]")


def check_request(body: BriefRequest, limits: Limits, policy: Policy) -> None:
    """Raise ApiError for the first rule the request breaks."""
    if len(body.articles) > limits.max_articles:
        raise ApiError(
            422, "too_many_articles", f"{len(body.articles)} articles; at most {limits.max_articles} per brief"
        )
    seen: set[str] = set()
    for i, a in enumerate(body.articles):
        _check_article(a, f"articles.{i}", seen, limits)
        seen.add(a.id)
    if body.callback_url is not None:
        try:
            target = parse_url(body.callback_url)  # the URL is never echoed: it may hold a secret
            policy.check(target)
        except CallbackURLError as exc:
            raise ApiError(422, "invalid_callback_url", f"callback_url: {exc}") from None
        except CallbackRefused as exc:
            raise ApiError(422, "callback_not_allowed", f"callback_url: {exc}") from None


def _check_article(a: ArticleIn, where: str, seen: set[str], limits: Limits) -> None:
    for name in ("id", "text", "title", "outlet", "url", "published"):
        value = getattr(a, name)
        if value is not None and not _is_text(value):
            raise ApiError(422, "invalid_text", f"{where}.{name}: contains characters that are not valid Unicode")
    if a.id in seen:
        raise ApiError(422, "duplicate_id", f"{where}.id: {a.id!r} is used twice; give each article its own id")
    if not VISIBLE.search(a.text):
        raise ApiError(422, "empty_text", f"{where}.text: article {a.id!r} has no text")
    if len(a.text) > limits.max_article_chars:
        raise ApiError(
            422,
            "article_too_long",
            f"{where}.text: article {a.id!r} has {len(a.text):,} characters; at most {limits.max_article_chars:,}",
        )
    try:
        require_sentences(article_from_text(a.text, article_id=a.id))
    except NoSentencesError as exc:
        raise ApiError(422, "no_sentences", f"{where}.text: {exc}") from exc
    except InputError as exc:
        raise ApiError(422, "invalid_article", f"{where}.text: {exc}") from exc


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
