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
    r"image:|photo:|video:|click here\b|copyright\b|©|all rights reserved|"
    r"comments are closed|download our app|listen to this article|the views expressed\b|"
    r"this article (?:was|has been) (?:updated|corrected)|your email address will not be published|"
    r"required fields are marked|leave a (?:reply|comment)|get the latest\w*\b|sign in\b|log in\b|"
    r"newsletter(?:\s+sign[- ]?up\b|\s*$)|join our\b|support our journalism|"
    # prompts: "Watch: ...", "Tap here to ...", "Download the app", "Turn on notifications"
    r"(?:watch|listen|read|see|more|related|recommended|trending|most read|most popular|top stories|"
    r"editor'?s picks|don'?t miss|explore)\s*:|"
    r"(?:click|tap|swipe|scroll)\s+(?:here|below|down|up|to|for|on)\b|read (?:next|the full|the latest)\b|"
    r"(?:download|get|install|open)\s+(?:the|our|it in the|in)\s+(?:[\w'’-]+\s+){0,3}app\b|open in app\b|"
    r"(?:available|get it) on (?:the )?(?:app store|google play)|"
    r"(?:turn on|enable|allow|manage)\s+(?:\w+\s+)?(?:notifications|alerts|cookies|preferences)\b|"
    r"create (?:an|a free|your) account\b|register (?:now|for free|here|to)\b|already (?:a subscriber|have an account)|"
    r"continue reading\b|story continues\b|report (?:an error|a typo|a correction)\b|"
    r"(?:we|this site|this website) uses? cookies\b|accept (?:all )?cookies\b|"
    r"(?:sponsored|promoted|partner|paid) content\b|"
    r"follow (?:us|our|@|[\w.'’ -]{1,40}\son (?:twitter|x|facebook|instagram|whatsapp|telegram|tiktok|linkedin|"
    r"threads|bluesky|youtube|google news))\b|"
    # credits of pictures and bylines: "Photo by Jane Roe", "Reporting by ...; Editing by ..."
    r"(?:(?:file|top|main|header|featured|lead|cover)\s+)?(?:photo(?:graph)?|image|picture|pic|illustration|graphic)s?"
    r"\s*(?:credit\s*)?(?::|©|\|)|(?:photo|image|picture)\s+(?:credit|courtesy)\b|(?:enter|type) your\b)",
    re.IGNORECASE,
)
# "Get the best of the Ledger delivered to your inbox", "Sign up for our free newsletter"
_INBOX = re.compile(r"\b(?:to|in|into) your inbox\b", re.IGNORECASE)
_NEWSLETTER = re.compile(r"\bnewsletters?\b", re.IGNORECASE)
_SIGN_UP = re.compile(r"\b(?:sign(?:\s|-)?up|subscribe|for free)\b", re.IGNORECASE)
_PAGE_STAMP = re.compile(
    r"^\s*(?:(?:estimated\s+)?read(?:ing)?\s+time\s*:?\s*(?:about\s+)?\d+\s*[-–]?\s*(?:min(?:ute)?s?|mins)\b"
    r"|(?:about\s+)?\d+\s*[-–]?\s*(?:min(?:ute)?s?|mins)\.?\s+(?:read|reading|listen)\b)",
    re.IGNORECASE,
)
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|"
    r"nov(?:ember)?|dec(?:ember)?"
)
_DAYS = r"mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:rs|rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?"
_DATE_TOKEN = re.compile(
    rf"^(?:{_MONTHS}|{_DAYS}|\d[\d:./-]*|[ap]\.?m\.?|gmt|utc|bst|cet|cest|[ecmp][sd]?t|ist|jst|local|time|ago|"
    r"hours?|hrs?|minutes?|mins?|days?|weeks?|at|on|of|the|updated|published|posted|last|first|modified|"
    r"\d+(?:st|nd|rd|th))$",
    re.IGNORECASE,
)
_AGENCIES = (
    r"AP|AFP|Reuters|UPI|dpa|DPA|Xinhua|Bloomberg|IANS|PTI|ANI|Yonhap|Kyodo|Bernama|Anadolu|EFE|ANSA|TASS|"
    r"Interfax|CNN|BBC|NPR|CNA|AAP|Antara|RIA Novosti"
)
# "JAKARTA, Indonesia (AP) —", "Jakarta, July 2 (AFP) -": a dateline on a line of its own
_DATELINE = re.compile(
    rf"^(?:[A-Z][\w .'’-]*(?:,\s*[\w .'’-]+){{0,2}}\s*)?\((?:{_AGENCIES})\)\s*[-–—:]*\s*$"
    r"|^[A-Z][A-Z .'’-]{2,}(?:,\s*[A-Z][\w .'’-]*){0,2}\s*[-–—:]+\s*$"
    r"|^[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*(?:,\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*){0,2}\s*[—–]+\s*$"
)
# Credit lines of pictures: "(AP Photo/Jane Roe)", "POOL/AFP via Getty Images", "Getty Images"
_CREDIT_WORDS = frozenset("via and for of the by & / | - – — courtesy credit photo photos image images file".split())
_CREDIT_MARKER = re.compile(
    r"/|\b(?:via|Getty Images|Shutterstock|Alamy|iStock|AP Photo|AFP Photo|Pool|POOL|Handout|HANDOUT)\b"
)
# "By Jane Roe", "Photo by Jane Roe", "Reporting by Jane Roe in Jakarta; Editing by Omar Haddad"; not
# "By Monday, ..." nor "Reporting by the Ledger revealed the scheme."
_BYLINE = re.compile(
    r"^\s*(?:(?:additional\s+)?(?:reporting|writing|editing|written|edited|compiled|graphics|photos?|pictures?|"
    r"video|images?)\s+)?by\s+(?P<rest>.+)$",
    re.IGNORECASE,
)
_BYLINE_WORDS = frozenset("and & in for of the at by with from additional reporting writing editing via".split())
_ROLE = (
    r"(?:writer|reporter|correspondent|editor|contributor|columnist|journalist|producer|photographer|"
    r"photojournalist|videographer|anchor|host|staff)s?"
)
_ROLE_MODIFIER = (
    r"(?:senior|chief|staff|special|contributing|associate|managing|deputy|executive|political|foreign|business|"
    r"sports|health|science|tech|technology|investigative|news|local|national|digital|data|world|(?-i:[A-Z][\w&'’-]*))"
)
_ROLE_WORD = re.compile(rf"^{_ROLE}$", re.IGNORECASE)
# "Jane Roe, Staff Writer", "Jane Roe | Senior Correspondent, The Ledger"
_NAME_ROLE = re.compile(
    rf"^(?-i:[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){{1,3}})\s*[,|–—-]\s*(?:{_ROLE_MODIFIER}\s+){{0,3}}{_ROLE}"
    r"(?:\s*[,|–—-]\s*(?-i:[A-Z])[\w.&'’ -]*)?\.?$",
    re.IGNORECASE,
)
# A stock-ticker widget scraped into the text: "Acme Corp., ACME +0.26% said ..."
_TICKER = re.compile(r"\b[A-Z]{1,5}\s[+\-−]\d+(?:\.\d+)?%")
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_LINK_POINTER = re.compile(
    r"(?::\s*$|\b(?:visit|view|see|read|find|found|available|appears|go to|click|download|watch|listen|learn more|"
    r"more information|details)\b)",
    re.IGNORECASE,
)
# "(pictured above)", "(see photo below)": the sentence describes the page's picture. A bare
# "(pictured)" after a name is left alone: "The minister (pictured) said ..." still reports.
_LAYOUT_REFERENCE = re.compile(
    r"\((?:(?:pictured|shown|seen|photographed|illustrated),?\s+(?:above|below|here|at (?:left|right|top))|"
    r"above|below|see (?:photo|picture|image|video)s?(?: above| below)?)\)",
    re.IGNORECASE,
)


def _is_credit_line(sentence: str) -> bool:
    """A picture's credit on its own: capitalised names, slashes and "via", no sentence around them."""
    text = sentence.strip().strip("()[]").strip().rstrip(".")
    words = text.replace("/", " / ").replace("|", " | ").split()
    if not words or len(words) > 12 or not _CREDIT_MARKER.search(text):
        return False
    return all(w[:1].isupper() or w.lower() in _CREDIT_WORDS for w in words)


def _is_byline(sentence: str) -> bool:
    match = _BYLINE.match(sentence.strip().rstrip("."))
    if match:
        words = [w.strip(",;|/.") for w in match.group("rest").replace("/", " ").split()]
        words = [w for w in words if w]
        if not words or len(words) > 16 or _DATE_TOKEN.match(words[0]) or words[0].lower() in ("the", "then", "now"):
            return False  # "By Monday", "By March 2024", "By the time ..."
        return all(w[:1].isupper() or w.lower() in _BYLINE_WORDS or _ROLE_WORD.match(w) for w in words)
    return bool(_NAME_ROLE.match(sentence.strip()))


def _is_date_only(sentence: str) -> bool:
    """A date, a time or a "posted 2 hours ago" stamp with nothing else: no claim."""
    words = [w for w in re.split(r"[\s,|·•—–():]+", sentence.strip().rstrip(".")) if w]
    return bool(re.search(r"\d", sentence)) and all(_DATE_TOKEN.match(w) for w in words)


def _is_link_pointer(sentence: str) -> bool:
    """ "Her biography appears at: <url>": a pointer to a page, not a fact."""
    if not _URL.search(sentence):
        return False
    rest = _URL.sub("", sentence).strip().rstrip(".")
    return len(rest.split()) <= 12 and not re.search(r"\d", rest) and bool(_LINK_POINTER.search(rest))


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


# Chinese and Japanese end a sentence with 。！？ (or the half-width ｡), closing quotes or brackets
# after it, and no space before the next one.
_CJK_BOUNDARY = re.compile(r"[。｡！？]+[」』”’）)】〕》〉\"']*")
_CJK_QUOTES = (("「", "」"), ("『", "』"), ("“", "”"))


def _split_cjk(text: str, span: Span) -> list[Span]:
    """`span` cut after each CJK sentence end, unless that end is inside a quotation (kept whole, as in
    `_split_line`). Latin text has none of these marks and comes back as one span."""
    pieces: list[Span] = []
    cursor = span.start
    for match in _CJK_BOUNDARY.finditer(text, span.start, span.end):
        quoted = text[cursor : match.end()]
        if any(quoted.count(opening) > quoted.count(closing) for opening, closing in _CJK_QUOTES):
            continue
        pieces.append(Span(start=cursor, end=match.end()))
        cursor = match.end()
    return [*pieces, Span(start=cursor, end=span.end)] if cursor < span.end else pieces


def split_sentences(text: str) -> list[Span]:
    """Sentences of an article as spans into `text`: every line break ends one, and so do . ! ? and the
    CJK 。！？

    A span never begins or ends with whitespace; empty and punctuation-only pieces are skipped.
    """
    result: list[Span] = []
    position = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        for span in (cjk for latin in _split_line(body, position) for cjk in _split_cjk(text, latin)):
            piece = text[span.start : span.end]
            stripped = piece.strip()
            if not stripped or not any(ch.isalnum() for ch in stripped):
                continue
            lead = len(piece) - len(piece.lstrip())
            result.append(Span(start=span.start + lead, end=span.start + lead + len(stripped)))
        position += len(line)
    return result


def is_boilerplate(sentence: str) -> bool:
    """Web furniture, never a claim: share buttons, newsletter, app and sign-up prompts ("Tap here to ...",
    "Watch: ..."), picture credits ("Photo: ...", "(AP Photo/Jane Roe)", "Getty Images"), bylines ("By Jane
    Roe", "Jane Roe, Staff Writer"), read-time lines ("5 min read"), datelines and time stamps on a line of
    their own, links ("More at: <url>"), references to the page's pictures ("(pictured above)") and
    stock-ticker widgets ("ACME +0.26%")."""
    return bool(
        _BOILERPLATE.match(sentence)
        or _INBOX.search(sentence)
        or (_NEWSLETTER.search(sentence) and _SIGN_UP.search(sentence))
        or _PAGE_STAMP.match(sentence)
        or _DATELINE.match(sentence.strip())
        or _TICKER.search(sentence)
        or _LAYOUT_REFERENCE.search(sentence)
        or _is_credit_line(sentence)
        or _is_byline(sentence)
        or _is_date_only(sentence)
        or _is_link_pointer(sentence)
    )


# Rhetorical one-liners ("Here we go.", "But there's a catch.", "That's not all.") carry nothing to
# check. A short sentence is taken for one when it opens like talk (a pronoun, "so", "but", "here",
# a filler such as "You know,") and has no figure, no name, no time and no event in it.
_TALK_OPENERS = frozenset(
    """here there that this it its so but and or yet now well yes no not oh wow my you we i guess think wait enough
    what how why let make sure indeed still anyway again then hey ah alas cue okay ok""".split()
)
_TALK_CONTRACTION = re.compile(r"\b(?:here|there|that|it|what|let|who)[’']s\b", re.IGNORECASE)
_FILLER = re.compile(
    r"^(?:you know|i mean|my goodness|oh my|oh|wow|well|man|boy|gosh|look|listen|honestly|seriously|frankly|"
    r"okay|ok|yes|sure|alas|hey)\s*[,!]",
    re.IGNORECASE,
)
_OPINION = re.compile(
    r"^(?:it goes without saying|needless to say|in my (?:humble )?opinion|if you ask me|"
    r"let[’']s (?:be honest|face it)|make no mistake|truth be told|to be (?:fair|honest)|mind you|i must say|"
    r"(?:i|we) (?:applaud|salute|commend|congratulate|admire|love|hate|think|believe|feel|hope|wish|recommend|"
    r"suggest|guess|suppose|doubt|can[’']t wait|cannot wait))\b",
    re.IGNORECASE,
)
_NUMBER_WORDS = frozenset(
    """one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty sixty seventy eighty
    ninety hundred hundreds thousand thousands million millions billion billions dozen dozens half twice double
    first second third fourth fifth sixth seventh eighth ninth tenth last""".split()
)
_TIME_WORDS = frozenset("today yesterday tomorrow tonight".split())
_EVENT_WORDS = frozenset(
    """hit fell rose won lost fled quit left struck sank broke shot stole caught sold bought paid led met sent took
    gave began ran spent cut shut grew drew threw flew wrote spoke chose froze built dead hurt died dies dying
    killed missing""".split()
)
_NOT_EVENTS = frozenset("need indeed speed seed breed greed feed bed red shed hundred".split())
_NO_IDIOMS = frozenset("doubt wonder way matter question surprise longer more less problem secret kidding idea".split())


def _has_checkable_content(sentence: str) -> bool:
    """A figure, a name, a time, an event or an absence ("no casualties"): something a reader could check."""
    if re.search(r"\d", sentence):
        return True
    words = re.findall(r"[\w’'-]+", sentence)
    for i, word in enumerate(words):
        lower = word.lower().rstrip("’'")
        if i and word[:1].isupper() and lower not in ("i", "i’m", "i'm"):
            return True  # a name: "The bridge reopened Monday", "Smith quit"
        if lower in _NUMBER_WORDS or lower in _TIME_WORDS or lower in _EVENT_WORDS:
            return True
        if len(lower) >= 5 and lower.endswith("ed") and lower not in _NOT_EVENTS:
            return True  # "Three people died", "The school closed"
        if lower == "no" and i + 1 < len(words) and words[i + 1].lower() not in _NO_IDIOMS:
            return True  # "There were no casualties."
    return False


# Stock phrases of commentary: "Go figure.", "Case closed.", "Stay tuned."
_STOCK_PHRASE = re.compile(
    r"^(?:go figure|who knew|fair enough|good luck|long story short|bottom line|end of story|point taken|"
    r"lesson learned|game on|game over|case closed|mission accomplished|spoiler alert|plot twist|sounds familiar|"
    r"you guessed it|guess what|think again|wait for it|stay tuned|but wait|believe it or not|so far, so good)\b",
    re.IGNORECASE,
)


def is_rhetorical(sentence: str) -> bool:
    """A sentence that states nothing checkable: a rhetorical one-liner ("Here we go.", "But there's a
    catch."), an exclamation or call to action ("Start your day with us!"), or the writer's own verdict
    ("I applaud the decision.", "It goes without saying that ..."). Quotations are left to the model."""
    text = sentence.strip()
    if not text or text[0] in "\"“‘'" or text[-1] in "\"”’'":
        return False
    if text.endswith("!") and not re.search(r"\d", text):
        return True
    if (_OPINION.match(text) or _STOCK_PHRASE.match(text)) and not re.search(r"\d", text):
        return True
    words = re.findall(r"[\w’'-]+", text)
    if _FILLER.match(text):
        return (
            len(words) <= 6
            and not re.search(r"\d", text)
            and not any(w.lower() in _EVENT_WORDS or (w.lower().endswith("ed") and len(w) >= 5) for w in words)
        )
    limit = 8 if _TALK_CONTRACTION.search(text) else 6
    first = words[0].lower().split("’")[0].split("'")[0] if words else ""
    return len(words) <= limit and first in _TALK_OPENERS and not _has_checkable_content(text)
