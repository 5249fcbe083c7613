"""Extraction: one article in, verified claims out (prompt, model call, validation, one re-ask)."""

from __future__ import annotations

from summarizer.articles import claim_sentences
from summarizer.errors import ModelOutputError
from summarizer.events import Listener, Reasking
from summarizer.llm import ChatResult, ModelClient
from summarizer.models import Article, Dropped, Extraction, RawClaim, Span, Usage
from summarizer.prompts import extraction_example, load_prompt, number_sentences, wire_format
from summarizer.sentences import looks_like_instructions
from summarizer.validator import REPAIRED, answer_schema, parse_answer, verify_claims
from summarizer.values import parse_values

DEFAULT_PROMPT = "extract.v4"
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


def _messages(article: Article, chunk: list[Span], prompt_name: str) -> list[dict[str, str]]:
    prompt = load_prompt(prompt_name)
    example_article, example_answer = extraction_example(prompt_name)
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
    spans = claim_sentences(article)
    extraction = Extraction(source_id=article.id, claims=[])
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
    taken: set[int] = set()
    fmt = wire_format(prompt_name)
    schema = answer_schema(fmt)
    for chunk in chunk_sentences(article.text, spans):
        messages = _messages(article, chunk, prompt_name)
        max_tokens = min(_MAX_TOKENS_BASE + _MAX_TOKENS_PER_SENTENCE * len(chunk), _MAX_TOKENS_LIMIT)
        for attempt in (1, 2):
            result = client.chat_json(messages, schema=schema, schema_name="claims", max_tokens=max_tokens)
            extraction.usage = extraction.usage.add(_usage(result))
            try:
                raw = parse_answer(result.content, fmt)
            except ModelOutputError as exc:
                problem = str(exc)
                if result.finish_reason == "length":
                    # the same budget would cut the re-ask off too: say so, and give it twice the room
                    problem += f" (the answer was cut off at the {max_tokens}-token limit)"
                    max_tokens = min(2 * max_tokens, _MAX_TOKENS_LIMIT)
                if attempt == 2:
                    extraction.dropped.append(
                        Dropped(
                            source_id=article.id,
                            reason=f"unusable answer after a re-ask: {problem}",
                            raw=result.content[:2000],
                        )
                    )
            else:
                if attempt == 2:
                    raw = [
                        r
                        for r in raw
                        if r.sentence is None
                        or not 1 <= r.sentence <= len(chunk)
                        or chunk[r.sentence - 1].start not in taken
                    ]
                checked = verify_claims(raw, article, chunk, first_id=len(extraction.claims) + 1, taken=taken)
                extraction.claims.extend(checked.claims)
                # a claim that points at no sentence ("sentence 25" of 24) is an invalid answer, not
                # an ungrounded claim: it is dropped with its reason but not counted as extracted
                extraction.extracted += len(raw) - sum(
                    r.sentence is not None and not 1 <= r.sentence <= len(chunk) and not r.quote for r in raw
                )
                extraction.dropped.extend(checked.dropped)
                if attempt == 2 or not checked.fixable:
                    break
                problem = "some claims were invalid: " + "; ".join(checked.fixable[:5])
            if attempt == 1:
                if progress:
                    progress(Reasking(article.id, problem))
                messages = [
                    *messages,
                    {"role": "assistant", "content": result.content},
                    {
                        "role": "user",
                        "content": f"That answer was wrong: {problem}. Answer again with the whole "
                        "corrected JSON only.",
                    },
                ]
    return extraction


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
    next_id = 1 + max((int(c.id.rsplit(":c", 1)[1]) for c in extraction.claims if ":c" in c.id), default=0)
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
