"""Sentence spans with exact offsets, and web boilerplate detection."""

from __future__ import annotations

import re

from summarizer.models import Span

_ABBREVIATIONS = frozenset(
    """mr mrs ms dr st gen col lt sgt gov sen rep jan feb aug sept oct nov dec no vs inc ltd co jr sr prof
    capt cmdr adm maj fig approx est dept""".split()
)
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_BOILERPLATE = re.compile(
    r"^\s*(share this( article| story)?|subscribe\b|sign up\b|also read\b|read more\b|related:|advertisement\b|"
    r"image:|photo:|video:|follow\b|click here\b|copyright\b|©|all rights reserved|"
    r"comments are closed|download our app|listen to this article|the views expressed\b|"
    r"this article (?:was|has been) (?:updated|corrected)|your email address will not be published|"
    r"required fields are marked|leave a (?:reply|comment)|get the latest\w*\b|sign in\b|log in\b|"
    r"newsletter(?:\s+sign[- ]?up\b|\s*$)|join our\b|support our journalism)",
    re.IGNORECASE,
)


# Text that talks to a model rather than reporting anything: chat role markers, requests to drop
# earlier instructions, JSON at the start of a line. Such sentences are never offered to the model
# (the extractor lists them in `dropped`), so an article cannot steer its own extraction.
_INSTRUCTIONS = re.compile(
    r"^\s*(?:system|assistant|user|developer)\s*:"
    r"|\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+)?(?:of\s+)?(?:the\s+|your\s+)?"
    r"(?:previous|prior|above|earlier|preceding|system|original)\s+(?:instructions|prompts?|directions|rules)\b"
    r"|\byou are now (?:in|an?|the)\b|\bnew instructions\s*:"
    r"|^\s*[{\[]\s*[\"'{\[]",
    re.IGNORECASE,
)


def looks_like_instructions(sentence: str) -> bool:
    """True for text addressed to a language model (a possible prompt injection), not news."""
    return bool(_INSTRUCTIONS.search(sentence))


def _is_abbreviation(line: str, end: int) -> bool:
    """True when the period ending at `end` closes an abbreviation or an initial, not a sentence."""
    start = end
    while start > 0 and (line[start - 1].isalpha() or line[start - 1] == "."):
        start -= 1
    word = line[start:end].rstrip(".").lower()
    if not word:
        return False
    if word in _ABBREVIATIONS or "." in word:  # U.S., U.N., e.g., i.e.
        return True
    return len(word) == 1 and line[start].isupper()  # an initial: "J. Smith"


def _inside_quotation(text: str) -> bool:
    """True when a double quotation opened in `text` is still open at its end."""
    straight = text.count('"')
    return straight % 2 == 1 or text.count("“") > text.count("”")


def _split_line(line: str, offset: int) -> list[Span]:
    spans: list[Span] = []
    cursor = 0
    for match in _BOUNDARY.finditer(line):
        punct_end = match.start() + len(match.group(0).rstrip("\"'”’)]"))
        if line[match.start()] == "." and _is_abbreviation(line, punct_end):
            continue
        if _inside_quotation(line[cursor : match.end()]):
            continue  # a quotation of several sentences stays one claim with its attribution
        spans.append(Span(start=offset + cursor, end=offset + match.end()))
        cursor = match.end()
    spans.append(Span(start=offset + cursor, end=offset + len(line)))
    return spans


def split_sentences(text: str) -> list[Span]:
    """Sentences of an article as spans into `text`: every line break ends one, and so do . ! ?

    A span never begins or ends with whitespace; empty and punctuation-only pieces are skipped.
    """
    result: list[Span] = []
    position = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        for span in _split_line(body, position):
            piece = text[span.start : span.end]
            stripped = piece.strip()
            if not stripped or not any(ch.isalnum() for ch in stripped):
                continue
            lead = len(piece) - len(piece.lstrip())
            result.append(Span(start=span.start + lead, end=span.start + lead + len(stripped)))
        position += len(line)
    return result


def is_boilerplate(sentence: str) -> bool:
    """Obvious web furniture: share buttons, newsletter prompts, 'Also read' links, credits."""
    return bool(_BOILERPLATE.match(sentence))
