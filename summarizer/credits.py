"""Whom a claim credits and how it hedges, read from its verified quote by rule.

A credit is a speaker or a source: a person ("Police spokeswoman Jane Roe"), an organisation ("the
U.S. Coastal Survey"), a group ("officials") or a document ("a police report", "the filing").
It is a short noun phrase, never a clause: in "five villages were hit, the official said" the
credit is "the official". A candidate is refused when it
- starts like a clause ("But anger grew after ...", "No matter how ...", "When ...", "If ..."),
- holds a finite verb ("had been", "mounted", "will", "recovered from ..."),
- is a pronoun ("he", "nothing") or runs past eight words.
In "Jane Roe, a nurse at the clinic, said" the credit is the name; in ", told AFP" the news agency
is whom the speaker told, not the speaker.

A hedge is a hedging word or phrase. "about", "around", "up to", "at least", "more than" and the
like hedge only a quantity ("about 300", not "talks about the plan"); "may" hedges only as the
lower-case verb, never the month ("in May 2012", "a May 19 due date"); "could not" is no hedge.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from summarizer.lexicon import CALENDAR_WORDS, NUMBER_WORDS, SPEECH_VERBS, STATEMENT_VERBS, verb_pattern

# Words that mark a claim as uncertain; found by rule when the model's own hedge does not check out.
HEDGES = (
    "reportedly", "allegedly", "estimated", "an estimated", "about", "around", "roughly", "approximately",
    "nearly", "almost", "up to", "as many as", "at least", "more than", "possibly", "likely", "could",
    "may", "might", "expected to", "is expected to", "are expected to", "believed to", "is said to",
    "reports indicate", "unconfirmed", "according to",
)  # fmt: skip
_HEDGE_RE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, HEDGES), key=len, reverse=True)) + r")\b", re.I)

# Hedges of a figure: a hedge only where a quantity follows them.
_QUANTITY_HEDGES = frozenset(
    ("about", "around", "roughly", "approximately", "nearly", "almost", "up to", "as many as", "at least", "more than")
)
_NUMBER_WORD = (
    r"(?:"
    + "|".join(w.replace(" ", r"\s+") for w in sorted(NUMBER_WORDS, key=len, reverse=True) if w != "hundred")
    + r"|hundreds?|thousands?|millions?|billions?|trillions?|dozens?|tens|scores|half|twice|double|triple|all|every"
    r"|a\s+few|a\s+couple)"
)
_MEASURE_WORD = (
    r"(?:dozen|hundred|thousand|million|billion|trillion|quarter|third|fifth|sixth|tenth|half|fraction|couple|"
    r"few|minute|hour|day|week|fortnight|month|year|decade|century|mile|kilometre|kilometer|km|metre|meter|foot|"
    r"yard|inch|percent|per\s+cent|tonne|ton|pound|kilogram|litre|liter|gallon|acre|hectare)"
)
_QUANTITY_AFTER = re.compile(
    rf"\s*(?:[$€£¥]\s*)?\d|\s+(?:{_NUMBER_WORD}|an?\s+{_MEASURE_WORD}s?)\b|\s+(?:the\s+)?[$€£¥]", re.IGNORECASE
)
_DAY_NUMBER_AFTER = re.compile(r"\s*\d")  # "may 19": a month written in lower case
_NEGATION_AFTER = re.compile(r"\s+(?:not|never)\b|n[’']t\b", re.IGNORECASE)


def _is_hedge(quote: str, start: int, end: int) -> bool:
    """True when the hedging phrase at quote[start:end] hedges here (not a preposition, not a month)."""
    phrase = quote[start:end]
    word = phrase.lower()
    after = quote[end:]
    if word == "may":
        return phrase == "may" and not _DAY_NUMBER_AFTER.match(after)  # "May 2012" and "in May" are dates
    if word in _QUANTITY_HEDGES:
        return bool(_QUANTITY_AFTER.match(after))  # "about 300", not "asked about the plan"
    if word == "could":
        return not _NEGATION_AFTER.match(after)  # "police could not say" reports a fact, it hedges none
    return True


def _hedges_in(quote: str) -> Iterator[re.Match[str]]:
    for match in _HEDGE_RE.finditer(quote):
        if _is_hedge(quote, match.start(), match.end()):
            yield match


def rule_hedge(quote: str) -> str | None:
    """The first hedging phrase in a quote, by rule."""
    match = next(_hedges_in(quote), None)
    return match.group(0) if match else None


def checked_hedge(proposed: str | None, quote: str) -> str | None:
    """The model's hedge if it is a hedging phrase that hedges in the quote, else the rule's."""
    if proposed:
        match = _HEDGE_RE.search(proposed)
        if match:
            wanted = match.group(0).lower()
            if any(m.group(0).lower() == wanted for m in _hedges_in(quote)):
                return proposed if _HEDGE_RE.fullmatch(proposed.strip()) else match.group(0)
    return rule_hedge(quote)


# --- credits -------------------------------------------------------------------------------------

# Verbs that report speech. "X said", and after a comma or a quotation "..., said X".
_SPEECH = verb_pattern(SPEECH_VERBS)
# After these the speaker may follow ("..., said the mayor"); after "told" or "asked" the one told does.
_INVERTIBLE = frozenset(
    "said says added adds noted wrote writes stated explained insisted reported confirmed announced".split()
)
_NEEDS_OBJECT = frozenset("told tells".split())  # "All told, ..." is no speech
# These also take a plain object ("added 3,000 jobs", "announced a partnership", "warned of floods"):
# they credit a speaker only when a statement follows ("that ...", a quotation, the sentence's end).
_STATEMENT_VERBS = STATEMENT_VERBS
_STATEMENT_AFTER = re.compile(
    r"\s*(?:$|[,.;:!?\"“”'‘’—–-]|that\b|(?:on\s+|late\s+|early\s+)?(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|"
    r"yesterday|today|tonight|earlier|later|last\s+\w+|this\s+\w+)\b)"
)
_OBJECT_AFTER = re.compile(r"\s+[\w“\"'‘]")
_MAX_CHUNK = 160  # characters: no credit runs longer
_ACCORDING = re.compile(r"\baccording to\s+", re.IGNORECASE)

# A period inside a sentence ends a chunk only after a word that is not an abbreviation or initial.
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr st gen col lt sgt gov sen rep no vs inc ltd co corp jr sr prof capt cmdr adm maj det insp
    supt cpl pvt msgr rev fr pres gov atty dist ave calif fla mich ill mass wash penn conn ariz colo ore tenn
    ky la md mo va wis minn okla nev neb kan ga ala miss ind jan feb mar apr aug sep sept oct nov dec""".split()
)
_BOUNDARY_CHARS = frozenset(',;:"“”()[]—–')
_QUOTE_OPEN, _QUOTE_CLOSE = "“", "”"

_PRONOUNS = frozenset(
    """he she they it we i you this that these those there here who him her them us me nothing something anything
    everything someone somebody anyone anybody everyone everybody nobody none one another others""".split()
)
_PERSONAL_PRONOUNS = frozenset(
    "he she they it we i you him her them us me nothing something anything everything nobody none".split()
)
_LEADING_CONNECTIVES = re.compile(r"^(?:(?:and|but|so|yet|or|as|also|by|according to)\s+)+", re.IGNORECASE)
# Words that open a clause, not a noun phrase: "But anger mounted after ...", "No matter how ...".
_CLAUSE_OPENERS = frozenset(
    """after although because before if once since though unless until when whenever where whereas whether while
    whilst even no not how why what which whom whose that than then instead despite given having being
    whatever wherever only just ever never""".split()
)
_SUBORDINATORS = frozenset(
    "after although because before if since though unless until when whenever whereas whether while whilst".split()
)
_RELATIVES = frozenset("who which that whose whom".split())
_PREPOSITIONS = frozenset(
    """in on at during from for with under over to of among amid amidst into through across inside outside near
    like unlike per via throughout following within without upon""".split()
)
_FINITE = frozenset(
    """is are was were be been being am has have had do does did will would shall should can could may might must
    isn't aren't wasn't weren't hasn't haven't hadn't don't doesn't didn't won't wouldn't can't couldn't
    struck fell rose went came took made gave began ran won lost saw knew thought got held kept met paid sent
    spent stood brought bought caught fought sought taught built broke chose drove flew grew threw wore spoke
    shook hit fled left quit led sank spread rang""".split()
)
_ED_NOT_VERBS = frozenset(
    """red bed need needs seed speed creed breed greed feed weed deed reed heed hundred shed sled united aged
    alleged so-called retired unnamed armed masked embattled detained elected appointed designated unidentified
    concerned trusted learned skilled""".split()
)
_PARTICIPLE_PREPOSITIONS = frozenset("in with by on at for".split())  # "officials involved in the talks"
_ARTICLES = frozenset("a an the its his her their".split())
_DETERMINERS = frozenset(
    "a an the one two three four five six seven eight nine ten its his her their our some several many other".split()
)
_LY_NOUNS = frozenset(
    "family ally assembly rally supply monopoly anomaly daily weekly monthly quarterly july reply fly homily".split()
)
_TRAILING = re.compile(
    r"(?:\s+(?:at first|at the time|at one point|in turn|then|later|earlier|previously|again|first|once|now|still|"
    r"also|too|just|initially|yesterday|today|tonight|has|have|had|will|would|did|does|do|"
    r"(?:on|late|early|last|this)\s+(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|week|month|year|night|morning|"
    r"afternoon|evening)(?:\s+(?:morning|afternoon|evening|night))?|"
    r"in (?:a|an|its|his|her|their) (?:\w+ )?(?:statement|interview|news conference|press conference|"
    r"press release|briefing|post|tweet|letter|speech|email|e-mail|report|filing|address)|"
    r"on (?:Twitter|X|Facebook|Telegram|Instagram|television|TV|radio)))+$"
)
# What follows a name between commas and is not the speaker: an age, a degree or an order ("MD", "DC"),
# a generation ("III", "Jr.").
_AGE_OR_DEGREE = re.compile(
    r"^(?:\d{1,3}|\d{1,3}-year-old|aged \d{1,3}|Ph\.?D\.?|Jr\.?|Sr\.?|Esq\.?|(?:[A-Z]\.?){2,4})$"
)
_NAME_STOPS = (
    frozenset(
        """yesterday today tonight meanwhile however earlier later still separately instead also now then indeed overall
    last next in on at after before during since until when while if but and or so yet as for from with without
    by of to under over despite although because though once following amid among asked speaking writing
    according like unlike nearly about more some many most all both several other others it he she they we i
    you there here that this these those what who where why how january february march april may june july
    """.split()
    )
    | CALENDAR_WORDS
)
_NAME_PARTICLES = frozenset("de da di del della der van von al bin ibn la le du dos das y".split())


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the period at text[dot] closes an abbreviation or an initial ("Lt.", "J.", "U.S.")."""
    start = dot
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "."):
        start -= 1
    word = text[start:dot]
    if not word:
        return False
    return "." in word or word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isupper())


def _is_boundary(text: str, i: int) -> bool:
    char = text[i]
    if char in _BOUNDARY_CHARS or char in "!?":
        return True
    if char == "." and not _is_abbreviation(text, i):
        return True
    # a spaced hyphen is a dash: "the bill - she said"
    return char == "-" and 0 < i < len(text) - 1 and text[i - 1] == " " and text[i + 1] == " "


def _quoted(text: str) -> list[bool]:
    """For each character, whether it sits inside a quotation (only when the quotation marks pair up)."""
    inside = [False] * len(text)
    if text.count('"') % 2 or text.count(_QUOTE_OPEN) != text.count(_QUOTE_CLOSE):
        return inside  # a quotation that runs on from another line: no telling what is inside
    straight = curly = False
    for i, char in enumerate(text):
        if char == '"':
            straight = not straight
        elif char == _QUOTE_OPEN:
            curly = True
        elif char == _QUOTE_CLOSE:
            curly = False
        inside[i] = (straight or curly) and char not in '"”'
    return inside


def _chunk_before(text: str, end: int) -> tuple[int, int]:
    """The span of text before `end` back to the nearest boundary, stripped of spaces (at most
    _MAX_CHUNK characters: a longer one is no credit, and the search stays linear)."""
    start, limit = end, max(0, end - _MAX_CHUNK)
    while start > limit and not _is_boundary(text, start - 1):
        start -= 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _chunk_after(text: str, start: int) -> tuple[int, int]:
    while start < len(text) and text[start].isspace():
        start += 1
    end, limit = start, min(len(text), start + _MAX_CHUNK)
    while end < limit and not _is_boundary(text, end):
        end += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop leading connectives ("and", "but", "as") and trailing adverbials ("at first", "on Monday",
    "in a statement", "reportedly", "has") from a candidate span."""
    piece = text[start:end]
    lead = _LEADING_CONNECTIVES.match(piece)
    if lead and lead.end() < len(piece):
        start += lead.end()
    while True:
        piece = text[start:end]
        tail = _TRAILING.search(piece)
        if tail and tail.start() > 0:
            end = start + tail.start()
            continue
        last = piece.rsplit(None, 1)
        if len(last) == 2 and last[1].endswith("ly") and last[1].islower() and last[1] not in _LY_NOUNS:
            end = start + len(last[0].rstrip())  # "one soldier reportedly told": the soldier
            continue
        return start, end


def _words(phrase: str) -> list[str]:
    return [w.strip(".,'’\"“”") for w in phrase.split()]


def _is_verb(words: list[str], i: int) -> bool:
    """True when words[i] reads as a finite verb: an auxiliary, a past form, or an -ed word after a noun."""
    word = words[i]
    if not word.islower():
        return False  # "Will Echenique", "May Chen": names
    if word in _FINITE or _SPEECH.fullmatch(word):
        return True
    if len(word) < 4 or not word.endswith("ed") or word in _ED_NOT_VERBS:
        return False
    before = words[i - 1].lower() if i else ""
    after = words[i + 1].lower() if i + 1 < len(words) else ""
    if not before or before in _DETERMINERS or before.endswith("ly") or before.endswith(("'s", "’s")):
        return False  # "a retired general", "the newly elected mayor": an adjective
    return after not in _PARTICIPLE_PREPOSITIONS  # "officials involved in the talks": a participle


def _name_like(phrase: str) -> bool:
    """A proper name with any title: every word capitalised ("Harlow Police Chief Dana Pruitt")."""
    words = _words(phrase)
    if not words or len(words) > 6 or words[0].lower() in _NAME_STOPS or words[0].endswith("ly"):
        return False
    return all(w[:1].isupper() or w.lower() in _NAME_PARTICLES for w in words if w)


def _tokens(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(start + m.start(), start + m.end()) for m in re.finditer(r"\S+", text[start:end])]


def _noun_phrase(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The candidate as a short noun phrase (a span of `text`), or None when it is no speaker or source."""
    if end - start > _MAX_CHUNK:
        return None
    start, end = _trim(text, start, end)
    tokens = _tokens(text, start, end)
    words = [w.strip(".,'’\"“”") for w in (text[s:e] for s, e in tokens)]
    if not words or not any(ch.isalpha() for ch in text[start:end]):
        return None
    lowered = [w.lower() for w in words]
    for i in range(1, len(words)):
        if lowered[i] in _RELATIVES:  # "the doctor who treated him" -> "the doctor"
            return _noun_phrase(text, start, tokens[i - 1][1])
    if lowered[0] in _PREPOSITIONS:
        # "In a Monday statement President Obama said": the speaker is the name that ends the phrase
        name = len(words)
        while name > 1 and (words[name - 1][:1].isupper() or lowered[name - 1] in _NAME_PARTICLES):
            name -= 1
        if name == len(words) or any(w in _SUBORDINATORS or _is_verb(words, i) for i, w in enumerate(lowered[:name])):
            return None  # "At least five were hurt in Takengon": a clause, not a speaker
        if lowered[name - 1] == "the":
            name -= 1  # "... statement the Interior Ministry said": the ministry, with its article
        return _noun_phrase(text, tokens[name][0], end)
    if len(words) > 8 or lowered[0] in _CLAUSE_OPENERS or lowered[-1] in _PREPOSITIONS | _DETERMINERS:
        return None  # "No matter how many times the Fed", "When the storm hit"
    if lowered[-1] in {"and", "or", "but", "nor"} or words[-1].endswith(("'s", "’s")):
        return None  # "Steinberg's office and", "She's": no head noun
    head = lowered[0].removesuffix("'s").removesuffix("’s")
    if head in _PERSONAL_PRONOUNS or (len(words) == 1 and (head in _PRONOUNS or head in _NAME_STOPS)):
        return None  # "he", "I just", "She's", "nothing", "this"; "this report" and "one official" are fine
    if any(w in _SUBORDINATORS or w == "ago" for w in lowered) or any(_is_verb(words, i) for i in range(len(words))):
        return None  # "anger mounted after", "five villages had been badly hit"
    return start, end


def _is_descriptive(phrase: str) -> bool:
    """An appositive after a name: "a doctor at the clinic", "38", "MD", "who ran the firm"."""
    words = _words(phrase)
    if not words:
        return False
    first = words[0].lower()
    return (
        bool(_AGE_OR_DEGREE.match(phrase.strip())) or first in _ARTICLES or first in _RELATIVES or phrase[:1].islower()
    )


def _comma_before(text: str, end: int) -> int | None:
    """The index of the comma that ends just before `end` (spaces between), if there is one."""
    i = end - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    return i if i >= 0 and text[i] == "," else None


def _speaker_before(text: str, end: int) -> tuple[int, int] | None:
    """The speaker in "X said": the phrase back to the last boundary, or, where an appositive comes
    between ("Ema Roe, a doctor at the clinic, told ...", "John Doe, 38, said", "The governor, who
    toured the coast, said"), the name or noun phrase before it."""
    start, stop = _chunk_before(text, end)
    if start < stop:
        return _noun_phrase(text, start, stop)
    cursor, fallback = end, None
    for step in range(5):
        comma = _comma_before(text, cursor)
        if comma is None:
            break
        start, stop = _chunk_before(text, comma)
        phrase = text[start:stop]
        if _AGE_OR_DEGREE.match(phrase):
            cursor = start
            continue
        if _name_like(phrase) or (step and not _is_descriptive(phrase)):
            return _noun_phrase(text, start, stop) or fallback
        if not _is_descriptive(phrase):
            return None  # '"We were lucky," said ...': a quotation, the speaker follows the verb
        if step:
            fallback = _noun_phrase(text, start, stop) or fallback
        cursor = start
    return fallback


def _according(quote: str) -> Iterator[tuple[int, int]]:
    """The sources named by "according to X", as spans."""
    quoted = _quoted(quote)
    for match in _ACCORDING.finditer(quote):
        if not quoted[match.start()]:
            span = _noun_phrase(quote, *_chunk_after(quote, match.end()))
            if span:
                yield span


def _candidates(quote: str) -> Iterator[tuple[int, int]]:
    """Every speaker the sentence names with a verb of speech, as spans."""
    quoted = _quoted(quote)
    for match in _SPEECH.finditer(quote):
        verb = match.group(0)
        if quoted[match.start()]:
            continue  # speech reported inside a quotation is not the sentence's credit
        if verb in _NEEDS_OBJECT and not _OBJECT_AFTER.match(quote, match.end()):
            continue  # "All told, 90 percent ..."
        last = match.start() - 1
        while last >= 0 and quote[last].isspace():
            last -= 1
        if verb in _INVERTIBLE and (last < 0 or quote[last] in ',"”’:—'):
            start, end = _chunk_after(quote, match.end())
            # "said the idea that ... is ridiculous" reports a statement; the speaker is elsewhere
            after = None if re.search(r"\bthat\b", quote[start:end]) else _noun_phrase(quote, start, end)
            if after:  # '"...," said the mayor', 'The storm, which grew for days, said forecasters, ...'
                yield after
                continue
        statement = verb not in _STATEMENT_VERBS or bool(_STATEMENT_AFTER.match(quote, match.end()))
        before = _speaker_before(quote, match.start()) if statement else None
        if before:
            yield before


def checked_credit(proposed: str) -> str | None:
    """A credit proposed by the model, as a short noun phrase ("Police at first" -> "Police"), or None
    when it is a clause or a pronoun rather than a speaker or a source."""
    text = proposed.strip()
    span = _noun_phrase(text, 0, len(text)) if text else None
    return text[span[0] : span[1]] if span else None


def rule_credit(quote: str) -> str | None:
    """Whom a sentence credits, read by rule: "X said ...", "... , X said", "... , said X", "according to X".

    Where a sentence gives several, the last one that closes a clause wins ("Witnesses said the
    gunman fled, the sheriff said": the sheriff); a credit that opens the sentence comes last.
    """
    according = list(_according(quote))
    if according:
        start, end = according[0]  # "According to the filing, ..." names the source of the whole sentence
        return quote[start:end]
    spans = sorted(set(_candidates(quote)))
    if not spans:
        return None
    lead = len(quote) - len(quote.lstrip(" \"“'‘-—"))
    closing = [s for s in spans if s[0] > lead]
    start, end = closing[-1] if closing else spans[0]
    return quote[start:end]
