"""Sentence spans with exact offsets, and the noise of web pages and newsletters that holds no claim.

A sentence is noise, never offered to the model, when it is about the page, the story or the reader
rather than the event. The principles, each a function below:

- Web furniture: share, app, cookie and sign-up prompts, read-time lines, datelines and time stamps on
  a line of their own, bare links, references to the page's pictures, stock-ticker widgets.
- Credits: a line that names people together with a newsroom role or a credited piece of work and no
  verb of news (no figure, no event, no speech): bylines in any form ("By Jane Roe, Staff Writer",
  "Jane Roe | Reporter", "Reporting by ...; Editing by ..."), picture credits ("Credit: ...", "Photo
  illustration by ..."), the writer introducing themself ("Dana here, writing from ..."), the writer's
  bio or contact ("Jane Roe covers courts for the Ledger", "can be reached at"), and "X contributed to
  this report".
- The reader addressed: an imperative of something a reader does with the publication (sign up,
  subscribe, forward, share, follow, click, join, tell us) that points at the publication or its medium
  (us, our, this email, the link, your inbox), and a newsletter's greetings and sign-offs ("Good morning
  from ...", "Thanks for reading", "You are reading ...").
- Notes about the story itself: the writer's own story as the subject of an edit or a publication
  ("This story has been updated", "An earlier version of this article ...", "Updated with ...",
  "Editor's note: ...", "This is a developing story"), and pointers elsewhere on the page ("More below.").
- Rhetoric: a short sentence that opens like talk or asks for the reader's attention ("Read that
  again.") and states nothing checkable, the writer's own verdict, and the short answer right after the
  writer's own question ("Will it work? Time will tell."): no figure, name, time, event or speech in
  it. A question in quotation marks belongs to the news.

A verb of speech (`summarizer.lexicon.SPEECH_VERBS`) in a line shaped like a credit, a prompt or an
answer makes it a report of what someone said, which is kept. A real sentence that merely mentions
these things ("Jane Roe, a reporter for the Ledger, was detained", "Asked whether he would resign, the
minister said no") is kept: losing a claim costs more than keeping one line of noise. The word lists
of these rules are kept together below, under "Word lists of newsroom noise".
"""

from __future__ import annotations

import re

from summarizer.lexicon import SPEECH_VERBS
from summarizer.models import Span

# --- Word lists of newsroom noise (kept together here, so that they can move to summarizer/lexicon.py) ---
# Who makes a story: the role in a byline or a bio ("Jane Roe, Staff Writer", "is a contributing editor at")
NEWSROOM_ROLES = (
    r"(?:writer|reporter|correspondent|editor|contributor|columnist|journalist|producer|photographer|"
    r"photojournalist|videographer|anchor|host|staff|stringer|critic|blogger|newsletter\s+writer)s?"
)
# Words that may stand before a role: "Senior Correspondent", "contributing editor", "Ledger staff writer"
ROLE_MODIFIERS = (
    r"(?:senior|chief|staff|special|contributing|associate|managing|deputy|executive|political|foreign|business|"
    r"sports|health|science|tech|technology|investigative|news|local|national|digital|data|world|"
    r"(?-i:[A-Z][\w&'’-]*))"
)
# What a credit line credits: "Reporting by", "Photo illustration by", "Words by", "Posted by"
CREDITED_WORK = (
    r"(?:with\s+|additional\s+)*(?:reporting|writing|editing|written|edited|compiled|produced|posted|published|"
    r"filed|story|text|words|"
    r"interview|research|graphics?|design|animation|illustrations?|photo\s+illustration|photography|"
    r"photo(?:graph)?s?|pictures?|video|images?)"
)
# Verbs of what a reader does with the publication, as an imperative: "Forward this email to a friend"
READER_ACTIONS = (
    r"sign\s*-?\s*up|subscribe|unsubscribe|forward|share|follow|click|tap|join|donate|download|install|register|"
    r"become|upgrade|tell|e-?mail|send|write|reply|contact|get|read|listen|watch|visit|check\s+out|bookmark|"
    r"leave|like\s+us|support\s+(?:us|our|this|independent|local)"
)
# The words right after such a verb that make it an imperative ("Share this story", not "Share prices fell")
IMPERATIVE_OBJECTS = r"the|this|these|our|us|me|up|here|now|today|a|an|your|to|for|on|in|it|them|free|at|with|more"
# What a call to action points at: the publication, its medium, or the reader's own act
MEDIUM_WORDS = (
    r"us|our|ours|here|below|above|links?|newsletters?|inbox|podcasts?|episodes?|friends?|colleagues?|free|"
    r"subscri\w*|members?(?:hip)?|app|channel|account|feed|delivered|comments?|website|site|page|"
    r"this\s+(?:email|e-mail|newsletter|story|article|post|piece|edition|issue|video)"
)
# A newsletter's greetings and sign-offs to its reader
GREETINGS = (
    r"good\s+(?:morning|afternoon|evening|day)|hello|hi|hey|greetings|howdy|welcome(?:\s+back)?|"
    r"happy\s+\w+day|dear\s+(?:readers?|subscribers?|friends?|all)"
)
# What follows a greeting (not a name: "Hello Kitty maker Sanrio ...")
GREETING_FOLLOWERS = r"[,!.:—–]|$|from|to|and|again|there|everyone|all|friends|readers|folks|team"
SIGN_OFFS = (
    r"(?:thanks|thank\s+you)\b[^.!?]{0,40}?\bfor\s+(?:reading|subscribing|following|joining|listening|being|"
    r"sticking|your\s+(?:support|time|attention))|see\s+you\s+(?:next|tomorrow|soon|then|on\b|mon|tue|wed|thu|fri|"
    r"sat|sun)|until\s+(?:next\s+(?:time|week)|tomorrow|then)|that[’']?s\s+(?:it|all)\s+for\s+(?:today|now|this)"
)
# The writer's own story, named as the subject of a note about it ("This story has been updated")
STORY_NOUNS = r"story|article|post|piece|newsletter|email|e-mail|column|dispatch|transcript|page"
# What such a note says was done to the story: only edits no treaty article or journal paper undergoes
# in the news ("This article was amended in 2019" and "was published in Nature" report)
STORY_EDITS = (
    r"updated|corrected|clarified|republished|reprinted|excerpted|adapted\s+from|edited\s+for\s+(?:length|clarity)|"
    r"misstated|misidentified|misspelled|misquoted|misattributed|incorrectly|erroneously|"
    r"(?:first|originally)\s+(?:appeared|published|ran|aired|posted)|will\s+be\s+updated"
)
# Past participles that are not news in a bio or a prompt ("a staff writer based in Lagos", "Get the
# Brief delivered every weekday")
NEWSROOM_PARTICIPLES = frozenset("based pictured illustrated delivered".split())
# Verbs that ask for the reader's attention, opening a short line of rhetoric when a pronoun, an article
# or a particle follows them: "Read that again.", "Buckle up.", "Consider the timing." (not "Bear
# markets are rare.", "Trust funds were frozen.")
ATTENTION_VERBS = frozenset(
    "read think consider imagine picture remember note bear stay hold buckle take look mind keep".split()
)
ATTENTION_FOLLOWERS = frozenset("me us that this it the a an on up with again about closely tight in".split())

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
_BYLINE = re.compile(rf"^\s*\(?\s*(?:{CREDITED_WORK}\s+)?by\s+(?P<rest>.+?)\)?$", re.IGNORECASE)
_BYLINE_WORDS = frozenset("and & in for of the at by with from additional reporting writing editing via".split())
_ROLE_WORD = re.compile(rf"^{NEWSROOM_ROLES}$", re.IGNORECASE)
_NAME = r"(?-i:[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3})"
_OUTLET = r"(?:the\s+)?(?-i:[A-Z][\w.&'’-]*)(?:\s+(?:of\s+)?(?-i:[A-Z&][\w.&'’-]*))*"
# "Jane Roe, Staff Writer", "Jane Roe | Senior Correspondent, The Ledger"
_NAME_ROLE = re.compile(
    rf"^(?-i:[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){{1,3}})\s*[,|–—-]\s*(?:{ROLE_MODIFIERS}\s+){{0,3}}{NEWSROOM_ROLES}"
    r"(?:\s*[,|–—-]\s*(?-i:[A-Z])[\w.&'’ -]*)?\.?$",
    re.IGNORECASE,
)
# The writer's bio: "Jane Roe is a staff writer at the Ledger", "Omar Haddad covers courts for the Ledger."
_BIO = re.compile(
    rf"^{_NAME}\s+(?:is|serves\s+as)\s+(?:a|an|our)\s+(?:{ROLE_MODIFIERS}\s+){{0,3}}{NEWSROOM_ROLES}"
    rf"(?:\s+(?:at|for|with|on)\s+{_OUTLET}|,?\s+(?:based\s+in|covering|who\s+covers|who\s+writes\s+about)"
    r"\s+[^,;]+)+\.?$"
    rf"|^{_NAME}\s+(?:covers|writes\s+about|reports\s+on)\s+[^,;]+?\s+(?:for|at)\s+{_OUTLET}\.?$",
    re.IGNORECASE,
)
# The writer's contact: "Contact the reporter at jroe@ledger.example", "Jane Roe can be reached at ..."
_CONTACT = re.compile(
    rf"^(?:contact|reach|e-?mail|write\s+to)\s+(?:the\s+(?:reporter|writer|author|editor|columnist|newsroom)s?|me|us|"
    rf"{_NAME})\s+(?:at|on|via|by)\b|\bcan\s+be\s+(?:reached|contacted|e-?mailed)\s+(?:at|on|via|by)\b"
    r"|^[\w.+-]+@[\w-]+(?:\.[\w-]+)+\.?$",
    re.IGNORECASE,
)
# An address to reach someone at: an email, a handle, a phone number, a link
_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+\.\w|(?<![\w@])@\w+|\+?\d[\d\s().-]{6,}\d|https?://|www\.", re.IGNORECASE)
# "Associated Press writer Jane Roe contributed to this report", "Omar Haddad contributed reporting."
_CONTRIBUTED = re.compile(
    r"\bcontributed\s+(?:additional\s+)?reporting\b|\bcontributed\s+to\s+(?:this|our)\s+"
    r"(?:report|story|article|coverage|piece|newsletter)\b",
    re.IGNORECASE,
)
# The writer introducing themself: "Dana here, writing from Lisbon.", "Hi all, Marco here.",
# "This is Tomas Berg, reporting from Gdansk." Not "Officials here, however, say ..."
_INTRO_TAIL = (
    r"writing|reporting|filing|checking\s+in|again|back\s+(?:in\s+your\s+inbox|again|with)|and\s+welcome|"
    r"with\s+(?:your|today|this|a\s+(?:quick|short|few)|the\s+latest|some\s+news)"
)
_SELF_INTRODUCTION = re.compile(
    rf"^(?:(?:{GREETINGS})\b[^.!?]{{0,30}}?[,!—–-]\s*)?(?:(?:it[’']?s|this\s+is)\s+)?{_NAME}\s+here"
    rf"(?:\s*[.!]?$|\s*[,—–-]\s*(?:{_INTRO_TAIL})\b)"
    rf"|^this\s+is\s+(?!{_DAYS}\b){_NAME}\s*[,—–-]?\s*(?:{_INTRO_TAIL}|your|here)\b"
    rf"|^i(?:[’']m|\s+am)\s+{_NAME}\s*[,—–-]?\s*(?:{_INTRO_TAIL}|your|here|and|the)\b",
    re.IGNORECASE,
)
# After a self-introduction's phrase, a comma and a word that starts a main clause: "Journalists here,
# reporting under curfew, face arrest" reports; "Dana here, writing from Lisbon, where ..." does not
_CLAUSE_RESUMES = re.compile(
    r",\s+(?!(?:where|which|who|as|and|so|but|with|in|on|at|for|from|after|before|while|when|i|we|my|our)\b)"
    r"(?-i:[a-z])",
    re.IGNORECASE,
)
_GREETING = re.compile(
    rf"^(?:{GREETINGS})\s*(?:{GREETING_FOLLOWERS})|^(?:{SIGN_OFFS})\b"
    r"|^you(?:[’']re|\s+are)\s+(?:reading|receiving|getting|subscribed|signed\s+up)\b"
    r"|^you\s+(?:received|are\s+receiving)\s+this\b",
    re.IGNORECASE,
)
# "Credit: Jane Roe for the Ledger", "Photograph courtesy of the parks department"
_PICTURE_CREDIT = re.compile(
    r"^\(?\s*(?:(?:photo(?:graph)?s?|images?|pictures?|illustrations?|video|footage|graphics?)\s+)?"
    r"(?:credits?\s*:|courtesy(?:\s+of\b|\s*:))",
    re.IGNORECASE,
)
_READER_ACTION = re.compile(
    r"^(?:please\s+|be\s+sure\s+to\s+|don[’']?t\s+forget\s+to\s+|remember\s+to\s+|make\s+sure\s+(?:to|you)\s+)?"
    rf"(?:{READER_ACTIONS})\s+(?:{IMPERATIVE_OBJECTS})\b",
    re.IGNORECASE,
)
_MEDIUM = re.compile(rf"\b(?:{MEDIUM_WORDS})\b", re.IGNORECASE)
_STORY_NOTE = re.compile(
    r"^\(?\s*(?:(?:editor[’']?s\s+note|correction|clarification|update)\s*[:—–-]\s*)?"
    rf"this\s+(?:{STORY_NOUNS})\b(?:\s+[\w’'-]+){{0,4}}?\s+(?:{STORY_EDITS})\b"
    rf"|^\(?\s*an?\s+(?:(?:earlier|previous|prior|original|updated|longer|shorter)\s+)?version\s+of\s+this\s+"
    rf"(?:{STORY_NOUNS})\b"
    r"|^\(?\s*this\s+report\s+(?:has\s+been|was)\s+(?:updated|corrected|amended|clarified)\b"
    r"|^\(?\s*(?:story|article|post|page)\s+(?:last\s+)?(?:updated|corrected)\b"
    r"|^\(?\s*(?:updated?|updates|corrects|corrected|adds|refiles)\s+(?:with|to\s+(?:add|include|reflect|correct|"
    r"clarify|fix|remove|update)|throughout)\b"
    r"|^\(?\s*(?:editor[’']?s\s+note|correction|clarification)\s*[:—–(]"
    r"|^this\s+is\s+a\s+(?:developing|breaking)\s+(?:news\s+)?story\b"
    r"|^(?:check\s+back|stay\s+with\s+us|refresh\s+this\s+page)\s+(?:for|later)\b|^more\s+to\s+(?:come|follow)\b"
    # a pointer to elsewhere on the page: "More on that below.", "More later."
    r"|^more\s+(?:(?:on|about)\s+(?:this|that|it|which|those|these)\s+)?(?:below|later|above|soon|"
    r"in\s+a\s+(?:moment|bit|minute))\s*[.!:]?$",
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
    """Names credited with a piece of work or a role, and nothing else; every part of a credit line of
    several ("Reporting by ...; Editing by ...") is one."""
    parts = [p for p in re.split(r"\s*;\s*", sentence.strip().rstrip(".")) if p]
    return bool(parts) and all(_is_one_byline(part) for part in parts)


def _is_one_byline(text: str) -> bool:
    match = _BYLINE.match(text)
    if match:
        words = [w.strip(",;|/.()") for w in match.group("rest").replace("/", " ").split()]
        words = [w for w in words if w]
        if not words or len(words) > 16 or _DATE_TOKEN.match(words[0]) or words[0].lower() in ("the", "then", "now"):
            return False  # "By Monday", "By March 2024", "By the time ..."
        # names, roles and a date: "By Jane Roe, Staff Writer", "Posted by Jane Roe on June 3, 2024"
        return all(
            w[:1].isupper() or w.lower() in _BYLINE_WORDS or _ROLE_WORD.match(w) or _DATE_TOKEN.match(w) for w in words
        )
    return bool(_NAME_ROLE.match(text.strip()))


def _states_news(sentence: str, *, figures: bool = True) -> bool:
    """A figure or a verb of news (an event, a past participle, speech): more than a credit or a greeting.
    Without `figures`, only the verbs count ("Become a member for $5 a month" is still a prompt)."""
    if figures and re.search(r"\d", sentence):
        return True
    for word in re.findall(r"[\w’'-]+", sentence):
        lower = word.lower()
        if lower in NEWSROOM_PARTICIPLES:
            continue
        if lower in _EVENT_WORDS or lower in SPEECH_VERBS or lower in _NUMBER_WORDS:
            return True
        if len(lower) >= 5 and lower.endswith("ed") and lower not in _NOT_EVENTS:
            return True
    return False


def _is_credit(sentence: str) -> bool:
    """Who wrote, reported, photographed or edited the story, or the writer introducing themself."""
    text = sentence.strip()
    if _is_byline(text) or (_CONTRIBUTED.search(text) and not _says(text)):
        return True
    if _CONTACT.search(text) and _ADDRESS.search(text) and not _says(text):
        return True
    intro = _SELF_INTRODUCTION.match(text)
    if intro and _CLAUSE_RESUMES.search(text, intro.end()):
        return False
    shaped = intro or _BIO.match(text) or _PICTURE_CREDIT.match(text)
    return bool(shaped) and not _states_news(text)


def _says(sentence: str) -> bool:
    """A verb of speech after the first word: "Tell us ..." is a request, "..., the mayor said" reports."""
    return any(w.lower() in SPEECH_VERBS for w in re.findall(r"[\w’'-]+", sentence)[1:])


def _addresses_reader(sentence: str) -> bool:
    """A call to the reader to act on the publication ("Forward this email to a friend"), or a greeting
    or sign-off to the reader ("Good morning from Nairobi.", "Thanks for reading")."""
    text = sentence.strip()
    if _READER_ACTION.match(text) and _MEDIUM.search(text) and not _says(text):
        # after its verb ("Tell us ..."), no verb of news: "Join the rally, the union urged its members" reports
        return not _states_news(text.split(None, 1)[-1], figures=False)
    return bool(_GREETING.match(text)) and not _states_news(text)


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
    """Never a claim (the module's principles): web furniture (share, app and sign-up prompts, read-time
    lines, datelines, links, "(pictured above)", "ACME +0.26%"), credits and bylines in any form, the
    reader addressed ("Forward this email to a friend", "Good morning from ..."), and notes about the
    story itself ("This story has been updated")."""
    return bool(
        _BOILERPLATE.match(sentence)
        or _INBOX.search(sentence)
        or (_NEWSLETTER.search(sentence) and _SIGN_UP.search(sentence))
        or _PAGE_STAMP.match(sentence)
        or _DATELINE.match(sentence.strip())
        or _TICKER.search(sentence)
        or _LAYOUT_REFERENCE.search(sentence)
        or _is_credit_line(sentence)
        or _is_credit(sentence)
        or _addresses_reader(sentence)
        or _STORY_NOTE.match(sentence.strip())
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
    catch."), a call for the reader's attention ("Read that again.", "Buckle up."), an
    exclamation or call to action ("Start your day with us!"), or the writer's own verdict ("I applaud
    the decision.", "It goes without saying that ..."). Quotations are left to the model."""
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
    second = words[1].lower() if len(words) > 1 else ""
    talk = first in _TALK_OPENERS or first == "reader" or (first in ATTENTION_VERBS and second in ATTENTION_FOLLOWERS)
    return len(words) <= limit and talk and not _has_checkable_content(text)


# The short answer a writer gives to their own question ("So what does this mean? Nothing good."): at
# most this many words, and nothing checkable in them.
_ANSWER_MAX_WORDS = 6
# quotation marks, not apostrophes: "What’s next?" is still the writer's own
_QUOTE_MARKS = '"“”‘«»'


def is_own_question(sentence: str) -> bool:
    """A question in the writer's voice: it ends in "?" and quotes no one ("Will it work?")."""
    text = sentence.strip()
    return text.rstrip(")]").endswith("?") and not any(ch in _QUOTE_MARKS for ch in text)


def answers_own_question(sentence: str) -> bool:
    """The writer's short verdict right after their own question ("Time will tell.", "Probably not."):
    few words, no quotation, and no figure, name, time, event or speech. "Not before March." and
    "Officials say it will." still report."""
    text = sentence.strip()
    words = re.findall(r"[\w’'-]+", text)
    if not words or len(words) > _ANSWER_MAX_WORDS or any(ch in _QUOTE_MARKS for ch in text):
        return False
    return not _has_checkable_content(text) and not any(w.lower() in SPEECH_VERBS for w in words)
