"""Extraction: one article in, verified claims out (prompt, model call, validation, one re-ask)."""

from __future__ import annotations

from summarizer.answers import answer_model
from summarizer.articles import claim_sentences
from summarizer.consensus.values import parse_values
from summarizer.errors import ModelOutputError
from summarizer.events import Listener, Reasking
from summarizer.llm import ChatResult, ModelClient
from summarizer.models import Article, Dropped, Extraction, RawClaim, Span, Usage
from summarizer.prompts import DEFAULT_PROMPT, Prompt, extraction_example, load_prompt, number_sentences
from summarizer.schemas import strict_schema
from summarizer.sentences import looks_like_instructions
from summarizer.validator import REPAIRED, missing_sentence, parse_answer, verify_claims

FIGURE_ADDED = f"{REPAIRED}added: a sentence with a figure or a date that the model left out"
INSTRUCTIONS_SKIPPED = "reads like instructions to a model (possible prompt injection); not offered to it"
# Sentences per call: a long article is cut on sentence boundaries so each call stays well inside
# the context window and the answer stays short enough for a small model to get right.
CHUNK_CHARS = 6000
_MAX_TOKENS_BASE = 64
_MAX_TOKENS_PER_SENTENCE = 24
_MAX_TOKENS_LIMIT = 4096


def prompt_version(name: str = DEFAULT_PROMPT) -> str:
    return load_prompt(name).version


def chunk_sentences(text: str, spans: list[Span], limit: int = CHUNK_CHARS) -> list[list[Span]]:
    """Group consecutive sentences into chunks of at most `limit` characters (one sentence minimum)."""
    chunks: list[list[Span]] = []
    current: list[Span] = []
    size = 0
    for span in spans:
        length = span.end - span.start + 1
        if current and size + length > limit:
            chunks.append(current)
            current, size = [], 0
        current.append(span)
        size += length
    if current:
        chunks.append(current)
    return chunks


def _messages(article: Article, chunk: list[Span], prompt: Prompt) -> list[dict[str, str]]:
    example_article, example_answer = extraction_example(prompt.name)
    numbered = number_sentences([" ".join(article.text[s.start : s.end].split()) for s in chunk])
    system, user = prompt.render(example_article=example_article, example_answer=example_answer, article=numbered)
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def _usage(result: ChatResult) -> Usage:
    return Usage(
        calls=1,
        prompt_tokens=result.prompt_tokens,
        completion_tokens=result.completion_tokens,
        seconds=result.seconds,
    )


def extract_article(
    article: Article,
    client: ModelClient,
    *,
    prompt_name: str = DEFAULT_PROMPT,
    progress: Listener | None = None,
) -> Extraction:
    """Ask the model which sentences hold facts, ground them, and re-ask once when that fails.

    A re-ask sends the error back with the conversation; claims that already checked out are kept,
    and repeats of them in the second answer are ignored rather than reported as duplicates.
    """
    extraction = Extraction(source_id=article.id, claims=[])
    spans = _offered(article, extraction)
    prompt = load_prompt(prompt_name)
    taken: set[int] = set()
    for chunk in chunk_sentences(article.text, spans):
        _extract_chunk(article, chunk, client, prompt, extraction, taken, progress)
    return extraction


def _offered(article: Article, extraction: Extraction) -> list[Span]:
    """The sentences offered to the model; those that read like instructions are noted as skipped."""
    spans = claim_sentences(article)
    for span in [s for s in spans if looks_like_instructions(article.text[s.start : s.end])]:
        spans.remove(span)
        extraction.dropped.append(
            Dropped(
                source_id=article.id,
                reason=INSTRUCTIONS_SKIPPED,
                raw=article.text[span.start : span.end],
                kind="skipped",
            )
        )
    return spans


def _extract_chunk(
    article: Article,
    chunk: list[Span],
    client: ModelClient,
    prompt: Prompt,
    extraction: Extraction,
    taken: set[int],
    progress: Listener | None,
) -> None:
    """One chunk's call, and one re-ask with the problem when its answer is unusable or partly invalid."""
    messages = _messages(article, chunk, prompt)
    schema = strict_schema(answer_model(prompt.answer_format))
    max_tokens = min(_MAX_TOKENS_BASE + _MAX_TOKENS_PER_SENTENCE * len(chunk), _MAX_TOKENS_LIMIT)
    for attempt in (1, 2):
        result = client.chat_json(messages, schema=schema, schema_name="claims", max_tokens=max_tokens)
        extraction.usage = extraction.usage.add(_usage(result))
        try:
            raw = parse_answer(result.content, prompt.answer_format)
        except ModelOutputError as exc:
            problem, max_tokens = _problem(str(exc), result, max_tokens)
            if attempt == 2:
                extraction.dropped.append(_unusable(article.id, problem, result))
        else:
            new = raw if attempt == 1 else _not_taken(raw, chunk, taken)
            fixable = _keep_verified(new, article, chunk, extraction, taken)
            if attempt == 2 or not fixable:
                break
            problem = "some claims were invalid: " + "; ".join(fixable[:5])
        if attempt == 1:
            if progress:
                progress(Reasking(article.id, problem))
            reask = {"role": "user", "content": prompt.reask_message(problem)}
            messages = [*messages, {"role": "assistant", "content": result.content}, reask]


def _problem(problem: str, result: ChatResult, max_tokens: int) -> tuple[str, int]:
    """An unusable answer's problem, and the token budget for the re-ask: twice the room when it was cut
    off, since the same budget would cut the re-ask off too."""
    if result.finish_reason != "length":
        return problem, max_tokens
    return f"{problem} (the answer was cut off at the {max_tokens}-token limit)", min(2 * max_tokens, _MAX_TOKENS_LIMIT)


def _unusable(source_id: str, problem: str, result: ChatResult) -> Dropped:
    reason = f"unusable answer after a re-ask: {problem}"
    return Dropped(source_id=source_id, reason=reason, raw=result.content[:2000], kind="invalid")


def _not_taken(raw: list[RawClaim], chunk: list[Span], taken: set[int]) -> list[RawClaim]:
    """A re-ask's answer without the claims that already checked out the first time."""
    return [
        r for r in raw if r.sentence is None or missing_sentence(r, chunk) or chunk[r.sentence - 1].start not in taken
    ]


def _keep_verified(
    raw: list[RawClaim], article: Article, chunk: list[Span], extraction: Extraction, taken: set[int]
) -> list[str]:
    """Ground an answer's claims into `extraction`; returns the failures a re-ask could fix."""
    checked = verify_claims(raw, article, chunk, first_id=len(extraction.claims) + 1, taken=taken)
    extraction.claims.extend(checked.claims)
    # a claim that points at no sentence ("sentence 25" of 24) is an invalid answer, not
    # an ungrounded claim: it is dropped with its reason but not counted as extracted
    extraction.extracted += len(raw) - sum(missing_sentence(r, chunk) and not r.quote for r in raw)
    extraction.dropped.extend(checked.dropped)
    return checked.fixable


def add_left_out_figures(extraction: Extraction, article: Article) -> Extraction:
    """Every offered sentence that carries a figure or a date is a claim, whatever the model chose.

    A small model skips a few such sentences on long articles (3 of 149 on one real story, all with
    figures), and a lost figure is a lost conflict. Applied after the cache, on every run, so it
    needs no new cache key; each added sentence is reported in `dropped` as a repair."""
    spans = [s for s in claim_sentences(article) if not looks_like_instructions(article.text[s.start : s.end])]
    covered = [(c.start, c.end) for c in extraction.claims]
    missing = [
        s
        for s in spans
        if not any(a < s.end and s.start < b for a, b in covered)
        and any(v.kind in ("number", "date") for v in parse_values(article.text[s.start : s.end]))
    ]
    if not missing:
        return extraction
    next_id = len(extraction.claims) + 1  # claims are numbered in order (see Extraction)
    raw = [RawClaim(sentence=i) for i in range(1, len(missing) + 1)]
    added = verify_claims(raw, article, missing, first_id=next_id)
    notes = [Dropped(source_id=article.id, reason=FIGURE_ADDED, raw=c.quote, kind="repaired") for c in added.claims]
    return extraction.model_copy(
        update={
            "claims": sorted([*extraction.claims, *added.claims], key=lambda c: c.start),
            "dropped": [*extraction.dropped, *notes],
            "extracted": extraction.extracted + len(added.claims),
        }
    )
