"""Reading articles: files, folders or stdin in; `Article` models with byte-exact text out."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from summarizer.consensus.values import parse_values
from summarizer.errors import InputError, NoSentencesError
from summarizer.models import Article, Span
from summarizer.sentences import (
    answers_own_question,
    is_boilerplate,
    is_own_question,
    is_rhetorical,
    split_sentences,
)

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".text")
_HEADER = re.compile(r"^(Title|Outlet|Source|Date|Published|URL|By|Author):[ \t]*(.*)$", re.IGNORECASE)
_HEADING_MAX_WORDS = 20  # headlines run long ("North Korea prepares 30,000 new troops for ... setback")
# A longer text is not one news article (the largest features run to ~100k characters), and at the
# embedded model's speed it would take hours: refuse it with a clear message rather than grind.
MAX_ARTICLE_CHARS = 300_000
_HTML = re.compile(r"\s*(<!doctype html|<html\b|<head\b|<body\b)", re.IGNORECASE)
_OPINION = re.compile(r"^(?:opinion|editorial|comment|op-ed|column|viewpoint)\b", re.IGNORECASE)
_QUESTION = re.compile(r"[?？][\"'”’)\]」』）]*$")
# "He now has 2,029 points, but who's counting?": a statement with a figure and a short tag question
_TAG_QUESTION = re.compile(r",\s*[^,]{1,30}\?[\"'”’)\]]*$")
_SENTENCE_END = re.compile(r"[.!?…。｡！？][\"'”’)\]」』）]*$")


def _decode(raw: bytes, name: str) -> str:
    """Decode UTF-8 (BOM tolerated); refuse binary data instead of guessing at it."""
    if b"\x00" in raw[:8192]:
        raise InputError(f"{name}: looks like a binary file, not a text article")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: is not UTF-8 text (bad byte at offset {exc.start}); convert it with iconv first"
        ) from exc


def article_from_text(text: str, *, article_id: str, path: str | None = None) -> Article:
    """Build an Article, taking title/outlet/date from `Key: value` header lines when present."""
    name = path or article_id
    if not text.strip():
        raise InputError(f"{name}: the article is empty")
    if len(text) > MAX_ARTICLE_CHARS:
        raise InputError(
            f"{name}: {len(text):,} characters is more than one article ({MAX_ARTICLE_CHARS:,} at most); split it"
        )
    if _HTML.match(text):
        raise InputError(f"{name}: looks like an HTML page; save the article's text (e.g. the reader view) instead")
    meta: dict[str, str] = {}
    for line in text.splitlines():
        match = _HEADER.match(line.strip())
        if not match:
            break
        key = match.group(1).lower()
        key = {"source": "outlet", "published": "date", "by": "author"}.get(key, key)
        meta.setdefault(key, match.group(2).strip())
    title = meta.get("title")
    if title is None:
        lines = [line.strip().lstrip("# ").strip() for line in text.splitlines()]
        first = next((line for line in lines if line and not is_boilerplate(line)), "")
        if first and len(first.split()) <= _HEADING_MAX_WORDS and not _SENTENCE_END.search(first):
            title = first
    return Article(
        id=article_id,
        text=text,
        title=title or None,
        outlet=meta.get("outlet") or None,
        published=meta.get("date") or None,
        url=meta.get("url") or None,
        path=path,
    )


def _expand(paths: Iterable[str]) -> list[Path]:
    files: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found = sorted(
                p
                for p in path.iterdir()
                if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES and not p.stem.lower().startswith("readme")
            )
            if not found:
                raise InputError(f"{name}: folder has no article files ({', '.join(ARTICLE_SUFFIXES)})")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        elif name != "-":
            raise InputError(f"{name}: no such file or folder")
    return files


def load_articles(paths: Iterable[str], *, stdin: TextIO | None = None) -> list[Article]:
    """Read every named file, folder (its .txt/.md files, READMEs skipped) or `-` (stdin)."""
    names = list(paths)
    if not names:
        raise InputError("no articles given: name files, a folder, or - for stdin")
    articles: list[Article] = []
    seen_ids: set[str] = set()
    for name in names:
        if name == "-":
            stream = stdin or sys.stdin
            articles.append(article_from_text(stream.read(), article_id="stdin"))
            seen_ids.add("stdin")
            continue
        for path in _expand([name]):
            article_id = path.stem
            n = 2
            while article_id in seen_ids:
                article_id, n = f"{path.stem}-{n}", n + 1
            seen_ids.add(article_id)
            text = _decode(path.read_bytes(), str(path))
            articles.append(article_from_text(text, article_id=article_id, path=str(path)))
    if not articles:
        raise InputError("no articles found")
    return articles


def _is_heading(sentence: str, line: str) -> bool:
    """A short line without closing punctuation is a headline or subhead, not a claim."""
    return sentence == line and len(line.split()) <= _HEADING_MAX_WORDS and not _SENTENCE_END.search(line)


def _tag_question(sentence: str) -> bool:
    tag = _TAG_QUESTION.search(sentence)
    return tag is not None and any(v.kind == "number" for v in parse_values(sentence[: tag.start()]))


def is_opinion(article: Article) -> bool:
    """An opinion piece says so in its title or its first line ("Opinion: ...", "Editorial")."""
    first = next((line.strip() for line in article.text.splitlines() if line.strip() and not _HEADER.match(line)), "")
    return any(_OPINION.match(x) for x in (article.title or "", first))


def _found_sentences(article: Article) -> Iterator[tuple[Span, str]]:
    """The article's sentences, leaving out its header lines, headings and web boilerplate."""
    text = article.text
    for span in split_sentences(text):
        sentence = text[span.start : span.end]
        line_start = text.rfind("\n", 0, span.start) + 1
        line_end = text.find("\n", span.end)
        line = text[line_start : len(text) if line_end == -1 else line_end].strip()
        if not (_HEADER.match(line) or is_boilerplate(sentence) or _is_heading(sentence, line)):
            yield span, sentence


def require_sentences(article: Article) -> None:
    """NoSentencesError for an article with no sentence in it (headings, header lines or web furniture
    only): it would add nothing to the brief, and nothing would say why."""
    if next(_found_sentences(article), None) is None:
        name = article.path or f"article {article.id!r}"
        raise NoSentencesError(
            f"{name}: no sentence found (every line reads as a heading, a header line or web boilerplate; "
            "a sentence ends with . ! ? or 。！？)"
        )


def claim_sentences(article: Article) -> list[Span]:
    """Sentences worth offering to the model: no header lines, headings, web and newsletter noise
    (`summarizer.sentences`), questions, the writer's short answers to their own questions, or
    rhetorical one-liners.

    In an opinion piece only sentences that carry a figure or a date are offered: its other
    sentences argue rather than report ("It is time for both sides to put riders first")."""
    opinion = is_opinion(article)
    spans: list[Span] = []
    asked = False  # the sentence before was the writer's own question
    for span, sentence in _found_sentences(article):
        after_question, asked = asked, is_own_question(sentence)
        if not any(ch.isalpha() for ch in sentence) or (_QUESTION.search(sentence) and not _tag_question(sentence)):
            continue  # a question asks, it does not claim ("A mercenary army or a strategic alliance?")
        if is_rhetorical(sentence) or (after_question and answers_own_question(sentence)):
            continue  # "Here we go.", "But there's a catch.", "Will it work? Time will tell.": nothing to check
        if opinion and not any(v.kind in ("number", "date") for v in parse_values(sentence)):
            continue
        spans.append(span)
    return spans
