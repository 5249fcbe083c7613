"""Frames: what each figure counts, whose it is and when, so that only like is compared with like.

A figure alone says little: "24" may be this quake's dead, an island's population or an earlier
quake's toll. Each number in a claim gets a frame read by rule from the words around it:

- **measure**: what is counted or measured. An event verb beside the figure makes the measure
  ("killing at least five people" -> people killed; "249 people injured" -> people injured), else
  the noun the figure is "of" ("a depth of 10 km" -> depth; "a record of 2,116 points" -> record),
  else a fixed kind ("6.1-magnitude" -> magnitude, "$60 million in funding" -> funding), else the
  noun it counts ("80 employees" -> employees).
- **owner**: whose figure it is, when the text names one: a place for counts of an event ("in Bener
  district"), else a possessive or the named subject ("Tomas Brandt scored 14 points").
- **when**: the time the figure belongs to, when it is not the story's own event: a year or a date
  said next to it ("In 2004 ...", "In April last year ...", "On April 20, ...").

Two figures are compared only when their frames are equal. A measure that is only a counted noun is
weak: consensus also asks the claims' wording to overlap before comparing such figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from summarizer.lexicon import (
    CALENDAR_WORDS,
    GAME_CLOCK,
    NUMBER_WORDS,
    PEOPLE_NOUNS,
    REPORTING_VERBS,
    singular,
    verb_pattern,
)
from summarizer.models import DateParts, Frame, OwnerKind, Portion, Value

# Event verbs and nouns, by the measure they make of the figure beside them.
_EVENTS: dict[str, str] = {}
for _measure, _list in {
    "killed": "kill kills killed killing dead died die dies dying death deaths fatalities fatality lives toll",
    "injured": "injure injures injured injuring injuries injury wounded wounding wounds hurt",
    "missing": "missing",
    "evacuated": "evacuated evacuating evacuate evacuation evacuees",
    "displaced": "displaced homeless",
    "arrested": "arrested detained",
    "rescued": "rescued saved pulled",
    "damaged": "damaged",
    "destroyed": "destroyed collapsed flattened razed",
    "deployed": "deployed sent dispatched deployment posted stationed",
    "supplied": "supplied supplies supply supplying provided provides providing delivered delivers shipped",
}.items():
    for _w in _list.split():
        _EVENTS[_w] = _measure

# Nouns that stand for people in a count of an event ("five villagers were injured", "two fans were hurt":
# people injured): whoever they are, the count is of people.
_PEOPLE = PEOPLE_NOUNS
# Currency figures: the measure is the nearest of these words in the clause.
_MONEY: dict[str, str] = {}
for _measure, _list in {
    "funding": "funding funded raised raise backed venture investment invested investors grant grants",
    "price": "pay paid paying pays cost costs price deal acquire acquired acquiring acquisition buy bought "
    "purchase valued worth",
    "cash": "cash",
    "stock": "stock shares",
    "revenue": "revenue revenues sales",
    "profit": "profit profits earnings",
    "loss": "loss losses",
    "damage": "damage damages",
    "salary": "salary salaries wage wages pay-rise raise",
    "budget": "budget",
    "fine": "fine fined penalty",
}.items():
    for _w in _list.split():
        _MONEY.setdefault(_w, _measure)
_CURRENCIES = frozenset(["USD", "EUR", "GBP"])
_DIMENSIONS = {"m": "length", "m2": "area", "kg": "weight", "s": "duration", "km/h": "speed"}
# "a total of", "a group of": nouns a figure can be "of" that say nothing about what it measures
_EMPTY_OF = frozenset("total number group team series set pair couple lot crowd handful range half part".split())
_OF_NOUN = re.compile(
    r"([A-Za-z][A-Za-z-]*)\s+of\s+(?:just|only|about|around|some|nearly|almost|roughly|approximately|up to|"
    r"at least|more than|over|under|less than|a|an)?\s*$",
    re.IGNORECASE,
)
_CLAUSE_STOP = re.compile(r"[;:()\u2014\u2013\"“”]|,\s|\s-\s|\.\s")
# ... where a game clock ("with 9:12 to play") is part of a score's clause, not a stop in it
_SCORE_CLAUSE_STOP = re.compile(r"[;()\u2014\u2013\"“”]|:(?!\d)|,\s|\s-\s|\.\s")
_BEARING = re.compile(
    r"^\s*-?[A-Za-z/]*\s*(?:\([^)]*\)\s*)?(?P<dir>(?:north|south)(?:-?(?:east|west))?|east|west)(?:ward)?\s+of\s+"
    r"(?:the\s+(?:town|city|village|province|district|capital|island|port)\s+of\s+)?(?P<place>[A-Z][\w-]*)",
    re.IGNORECASE,
)
_CAPS = r"[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*"
_NUMBER_WORDS = (
    "|".join(w for w in NUMBER_WORDS if w not in ("one", "hundred", "dozen", "a dozen")) + "|several|many|dozens of"
)
_NAMED_PLACE_AFTER = re.compile(rf"\b(?:in|at|across|throughout|around|near)\s+(?:the\s+)?(?P<place>{_CAPS})")
# nouns that name a place ("in the province"); "in the collision" names an event, not where
_PLACE_NOUNS = (
    "province|capital|region|district|county|state|city|town|village|country|island|coast|valley|border|area|"
    "north|south|east|west|mainland|port|municipality|neighbourhood|neighborhood"
)
# the first place phrase right after a count: "170,000 people in the province", "in 13 countries"
_PLACE_AFTER = re.compile(
    rf"^\s*(?:[a-z-]+\s+){{0,2}}?(?:in|across|throughout|around)\s+"
    rf"(?P<place>(?:the\s+)?{_CAPS}|the\s+(?:{_PLACE_NOUNS})\b|(?:\d[\d,]*|{_NUMBER_WORDS})\s+[a-z]+)"
)
_PLACE_BEFORE = re.compile(rf"^\s*(?:[Ii]n|[Aa]t)\s+(?:(?:the|neighbouring|neighboring|nearby)\s+)*(?P<place>{_CAPS})")
_POSSESSIVE = re.compile(r"(?P<who>[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)['’]s\s+(?:[a-z-]+\s+){0,4}$")
# Verbs by which a named subject holds a figure: "X had 12 points", "X scored 14", "X led with 23".
_HOLDS = re.compile(
    r"\b(?:had|has|have|scored|scores|added|got|gets|grabbed|recorded|collected|finished with|led|leads|"
    r"made|hit|won|earned|owns|holds|held|employs|employed|raised|paid|pays|spent|lost|sold|bought)\b"
)
_THE_NOUN = re.compile(r"\b[Tt]he\s+([a-z]{3,})\b")
_CLOSE_SUBJECT = re.compile(r"(?<![\w'’-])[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*(?=\s+(?:[a-z]+\s+){1,2}$)")
_NAME_RUN = re.compile(r"(?<![\w'’-])[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*")
# A sentence's leading adverbial ("On April 20, ...", "Last year, ...", "In Rowan district, ...")
# sets the time or place of everything after it.
# A count "in X district" is that district's, not the event's total: such places must match exactly.
_AREA_WORDS = frozenset(
    """district districts village villages county counties province provinces region regions state states
    town towns city cities area areas neighbourhood neighborhood country countries municipality island""".split()
)
_LEAD = re.compile(r"^\s*(?:On|In|At|Last|Earlier|Later|During|By|Since)\b[^,;]{0,80},\s")
_NOT_OWNER = frozenset(
    """The A An This That These Those It He She They We In On At For And But If When As After Before
    Officials Police Reports Report According Last Next Some Most Many Both All Its His Her Their""".split()
)
_SPEECH = verb_pattern(REPORTING_VERBS)
_ATTRIBUTIVE = re.compile(r"-([A-Za-z]+)\s+([a-z]+)")  # "3-point shot", "an 80-employee startup"
_STOPWORDS = frozenset("of to in on at for from by with and or the a an as than".split())
_FROM_NAME = re.compile(rf"^\s*[a-z-]+\s+(?:from|by|for)\s+(?:[a-z-]+\s+){{0,2}}(?P<who>{_CAPS})")
_PARTIAL = frozenset("other others another additional more extra further".split())
# A part of the event ("during a late run", "in the first half", "at halftime"): a partial figure.
_PART = re.compile(
    r"\b(?:during (?:a |an )[\w-]+(?: [\w-]+)?|in the (?:first|second|third|fourth|final|last|opening|closing) "
    r"(?:[\d½¼¾\u2009 ]+ )?(?:half|quarter|period|hour|minutes?|round|day|week)|at (?:the )?half(?:time)?|by halftime)",
    re.IGNORECASE,
)
_TIME_WORDS = re.compile(r"\b(?:now|so far|to date|currently)\b", re.IGNORECASE)


_NONE = re.compile(r"(injur|hurt|wound)|casualt|death|dead|died|killed|fatal", re.IGNORECASE)
_AGE_AFTER = re.compile(rf"-year-old\s+(?P<who>{_CAPS})")
_AGE_BEFORE = re.compile(rf"(?P<who>{_CAPS})(?:\s+(?:III|II|IV|Jr\.?|Sr\.?))?,\s+an?\s+$")
_AGE = re.compile(r"([A-Z][\w'’-]+),\s*(?:aged\s+)?$")
_POPULATION = frozenset(["population", "populace"])  # "a population of 2,500" counts people


def _clause(text: str, start: int, end: int, stops: re.Pattern[str] = _CLAUSE_STOP) -> tuple[int, int]:
    """The clause around [start, end): cut at semicolons, brackets, dashes, quotes and ', '."""
    left = 0
    for stop in stops.finditer(text, 0, start):
        left = stop.end()
    right = stops.search(text, end)
    return left, (right.start() if right else len(text))


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z][A-Za-z'’-]*", text)


def _event(text: str, value: Value, lo: int, hi: int) -> str | None:
    """The event a count belongs to: a participle just before it ("killing at least five"), or an
    event word a few words after it, before any 'and' ("24 people were killed", "249 people injured")."""
    before = _words(text[lo : value.start])
    qualifiers = {"at", "least", "about", "around", "some", "nearly", "almost", "more", "than", "over", "up", "to"}
    for word in reversed(before[-4:]):
        lowered = word.lower()
        if lowered in _EVENTS:
            return _EVENTS[lowered]
        if lowered not in qualifiers:
            break
    after = _words(text[value.end : hi])
    for word in after[:7]:
        lowered = word.lower()
        if lowered in _EVENTS:
            return _EVENTS[lowered]
        if lowered in ("and", "or", "but", "while", "after", "before", "than", "to", "for"):
            break
    return None


def _money_measure(text: str, value: Value, lo: int, hi: int) -> str:
    """What an amount is: the money word it is "in" or "of" right after it ("$2.3 million in damages",
    "$60 million of funding"), else the money word nearest to it in its clause ("paid $40 million")."""
    named = re.match(r"\s*(?:in|of)\s+(?:[a-z]+\s+)?([A-Za-z-]+)", text[value.end : hi])
    if named and named.group(1).lower() in _MONEY:
        return _MONEY[named.group(1).lower()]
    best: tuple[int, str] | None = None
    for m in re.finditer(r"[A-Za-z][A-Za-z-]*", text[lo:hi]):
        measure = _MONEY.get(m.group(0).lower())
        if measure is None:
            continue
        pos = lo + m.start()
        distance = value.start - pos if pos < value.start else pos - value.end
        if best is None or distance < best[0]:
            best = (distance, measure)
    return best[1] if best else "amount"


def _owner(text: str, value: Value, lo: int, hi: int, event: bool) -> tuple[str | None, OwnerKind | None]:
    """Whose figure: a place for an event's count, else a source, a possessive or the named subject."""
    before, after = text[lo : value.start], text[value.end : hi]
    place = _PLACE_BEFORE.match(before)
    lead = _LEAD.match(text)
    if place is None and lead and lead.end() <= value.start:
        place = _PLACE_BEFORE.match(text)  # "In the neighbouring Rowan district, nine people were killed"
    if place is None and event:
        place = _PLACE_AFTER.match(after) or _NAMED_PLACE_AFTER.search(after)
    if place and place.group("place").split()[0].lower() not in CALENDAR_WORDS:
        name = place.group("place").lower()
        following = place.string[place.end("place") : place.end("place") + 14].lower()
        area = _AREA_WORDS & set(_words(name) + _words(following)[:1])
        within = re.search(r"\bin\s+(?:the\s+)?$", place.string[: place.start("place")]) is not None
        name = name.removeprefix("the ")
        return name, ("area" if area or within or place.re is _PLACE_BEFORE else "place")
    if event:
        return None, None
    source = _FROM_NAME.match(after)  # "14 points from backup guard Ines Marlow"
    if source:
        return source.group("who").split()[-1].lower(), "agent"
    possessive = _POSSESSIVE.search(before)
    if possessive and possessive.group("who").split()[0] not in _NOT_OWNER:
        return possessive.group("who").split()[-1].lower(), "agent"
    close = _CLOSE_SUBJECT.search(before)  # "... and Tomas Brandt had 11 points": the nearest doer
    runs = [close] if close and not _SPEECH.search(before[close.end() :]) else []
    for subject in [*runs, *_NAME_RUN.finditer(before)]:  # else the first name in the clause: its subject
        if _SPEECH.search(before[subject.end() :]):
            break  # "Mayor X said 2,400 homes ...": the speaker, not the owner
        between = before[subject.end() :]
        if not _HOLDS.search(between) or len(_words(between)) > 6:
            continue  # "Storms over Kerrin Bay damaged roads in 12 towns": not Kerrin Bay's towns
        names = [w for w in subject.group(0).split() if w not in _NOT_OWNER and w.lower() not in CALENDAR_WORDS]
        if names:
            return names[-1].lower().removesuffix("'s").removesuffix("’s"), "agent"
    return None, None


def _year(value: Value, published: date | None) -> int | None:
    on = value.on
    if on is not None and on.year is not None:
        return on.year
    if on is not None and on.relative == "last-year" and published:
        return published.year - 1
    return None


LAST_YEAR = "last year"  # a figure's time when the article's own date is not known


def _when(text: str, value: Value, dates: list[Value], lo: int, hi: int, published: date | None) -> str | None:
    """The time a figure belongs to when it is not the story's own: a date said in its clause before
    it, or one introduced by in/on/during after it ('of 2004' names a noun's time, not the figure's).
    A year ("In March last year", "in May 2012") wins over a bare month."""
    lead = _LEAD.match(text)
    for d in sorted(dates, key=lambda d: _year(d, published) is None):
        in_lead = lead is not None and d.end <= lead.end() <= value.start
        if not (lo <= d.start < hi or in_lead) or text[d.end : d.end + 2] in ("'s", "’s"):
            continue  # "last year's deployment": the date is the noun's, said of the figure's measure
        if d.start > value.end and not re.search(r"\b(?:in|on|during|since)\s+(?:\w+\s+)?$", text[lo : d.start]):
            continue
        between = text[min(d.end, value.end) : max(d.start, value.start)]
        if not in_lead and re.search(r"\s(?:and|but|while|whereas)\s", between):
            continue  # "set up in 2015 and is backed by $25 million": the date is another verb's
        year = _year(d, published)
        on = d.on or DateParts()
        if year is None and on.month is not None and published is not None:
            if on.day is None and on.month != published.month:
                return f"{published.year}-{on.month:02d}"  # "back in January", said in February
            if on.day is not None:
                try:
                    then = date(published.year, on.month, on.day)
                except ValueError:
                    continue
                if abs((published - then).days) > 7:
                    return then.isoformat()
            continue
        if year is not None and (published is None or year != published.year):
            if on.relative == "last-year" and published is None:
                return LAST_YEAR
            return str(year)
        if on.relative == "last-year":
            return LAST_YEAR
    return None


@dataclass
class _Reading:
    """What `frame_of` has read of one figure so far."""

    noun: str  # what is counted; "" when nothing is
    event: str | None
    of: str | None  # the noun the figure is "of" ("a depth of 10 km")
    lo: int  # the figure's clause
    hi: int
    bearing: str | None = None
    special: bool = True  # a measure that says what is measured by itself (magnitude, depth, age)


def frame_of(text: str, value: Value, dates: list[Value], published: date | None = None) -> Frame | None:
    """The frame of one number in `text` (a claim's quote), or None when it has nothing to compare."""
    if value.kind != "number":
        return None
    if value.qualifier == "score":
        return _score_frame(text, value, *_clause(text, value.start, value.end, _SCORE_CLAUSE_STOP))
    lo, hi = _clause(text, value.start, value.end)
    noun = f"{value.noun}/{value.per}" if value.noun and value.per else value.noun or ""  # "patient/day"
    event = _event(text, value, lo, hi)
    of_match = _OF_NOUN.search(text[lo : value.start])
    of = singular(of_match.group(1)) if of_match else None
    of = None if of in _EMPTY_OF or of in _PEOPLE else of
    none = _NONE.search(value.text) if value.low == value.high == 0 else None
    if none:
        event, noun = ("injured" if none.group(1) else "killed"), "person"
    age = _AGE.search(text[: value.start]) if re.match(r"\s*(?:[,)]|$)", text[value.end :]) else None
    if age and value.low is not None and value.low == value.high and 0 < value.low < 120 and not event:
        return Frame(measure="age", noun="age", owner=age.group(1).lower(), owner_kind="agent")  # "Clara Voss, 47,"
    if not noun and event:
        noun = "person"  # "injuring dozens", "killing at least five": people, unless the text says otherwise
    reading = _Reading(noun, event, of, lo, hi)
    if not noun and not event:
        if not of:
            return None
        reading.noun, reading.of = ("person", None) if of in _POPULATION else (of, None)
    else:
        found = _read_noun(text, value, reading, dates, published)
        if found is not None:
            return found
    return _finish(text, value, reading, dates, published)


def _read_noun(text: str, value: Value, r: _Reading, dates: list[Value], published: date | None) -> Frame | None:
    """What the counted noun says of the measure (money, a dimension, a magnitude, an age, an event),
    in `r`; a frame when the noun settles it at once."""
    before = text[r.lo : value.start]
    if r.noun in _CURRENCIES:
        money = _money_measure(text, value, r.lo, r.hi)
        if money == "amount":  # "grants from the Department of Energy ($9.3 million)": look wider
            money = _money_measure(text, value, 0, len(text))
        r.event, r.special = (None if money == "amount" else money), False
    elif r.noun in _DIMENSIONS:
        return _dimension(text, value, r, dates, published)
    elif (
        r.noun == "magnitude"
        or re.search(r"magnitude[\s-]*$", before, re.IGNORECASE)
        or (re.match(r"\s+on the Richter", text[value.end :]) and re.search(r"measuring\s*$", before))
    ):
        r.noun, r.event = "magnitude", None
    elif value.per:  # a rate ("40 patients a day") says what it measures by itself
        pass
    elif r.noun.startswith("year-old"):
        r.noun, r.event = "age", None
        who = _AGE_AFTER.match(text, value.end) or _AGE_BEFORE.search(text[: value.start])
        if who is None:  # "a 50-year-old man", "the 15 year old": whose age is not said
            return Frame(measure="age", noun="age", strong=False)
        else:
            names = [w for w in who.group("who").split() if w not in _NOT_OWNER]
            return Frame(measure="age", noun="age", owner=names[-1].lower() if names else None, owner_kind="agent")
    elif r.noun in _EVENTS:  # "leaving 24 dead and over 200 injured": the noun is the event
        r.noun, r.event, r.special = "person", _EVENTS[r.noun], False
    else:
        _plain_noun(text, value, r)
    return None


# a measurement joined to the noun it measures: "a 12-metre fishing boat" (head: boat), "10-metre wall"
_JOINED_MEASURE = re.compile(r"-[A-Za-z.]+\s+(?:[A-Za-z]+\s+)?(?P<head>[a-z]{3,})\b")


def _dimension(text: str, value: Value, r: _Reading, dates: list[Value], published: date | None) -> Frame | None:
    """A length, area, mass, duration or speed: a distance from a place, the noun it is of, or the
    dimension itself; "the quake was felt for around 15 seconds" is the quake's duration."""
    b = _BEARING.match(text[value.end :])
    if b:  # where something lies: the same distance ties two reports, different ones need like wording
        r.noun, r.bearing, r.special = f"distance from {b.group('place')}", b.group("dir").lower(), False
        return None
    if r.of:
        r.noun = r.of
        return None
    joined = _JOINED_MEASURE.match(text, value.end)
    if joined:  # "a 12-metre fishing boat", "a 10-metre wall": the length of that thing, nothing else's
        r.noun = f"{_DIMENSIONS[r.noun]} of {singular(joined.group('head'))}"
        return None
    r.noun, r.special = _DIMENSIONS[r.noun], False
    found = list(_THE_NOUN.finditer(text[r.lo : value.start])) if r.noun == "duration" else []
    whose = found[-1] if found else None
    if whose:
        return Frame(measure=f"duration ({whose.group(1)})", noun="duration", owner=whose.group(1),
                     owner_kind="agent", when=_when(text, value, dates, r.lo, r.hi, published))  # fmt: skip
    return None


def _plain_noun(text: str, value: Value, r: _Reading) -> None:
    """A count of things: people, "a 10-point lead", "a deployment of 1,100 pilots" (pilots deployed),
    "a record of 2,116 points" (a record)."""
    r.special = False
    r.noun = "person" if r.noun in _PEOPLE or r.noun == "people" else r.noun
    attributive = _ATTRIBUTIVE.match(text, value.end)
    if attributive and attributive.group(2).lower() not in _STOPWORDS:
        r.noun = f"{singular(attributive.group(1))} {attributive.group(2).lower()}"
    if r.of and not r.event:
        r.event, r.noun = (_EVENTS[r.of], r.noun) if r.of in _EVENTS else (None, r.of)


_SUPERLATIVE = re.compile(
    r"\b(?:the|its|their)\s+\S+\s+(?:most|least|worst|best|hardest|biggest|largest|poorest|richest|[a-z]{3,}est)\b",
    re.IGNORECASE,
)
_SHARE_BEFORE = re.compile(r"\b(?:share|portion|part|stake|slice|contribution)\s+of\b", re.IGNORECASE)


def _portion(text: str, value: Value, lo: int) -> Portion | None:
    """Only a share of the whole: "25,000 more troops", "25 of the injured", "Creighton's first eight points"."""
    if value.aspect in ("change", "expected", "previous", "listed"):
        return value.aspect  # never the same measure as a plain level: see values.py
    if _SUPERLATIVE.search(text[max(lo, value.start - 12) : value.end + 30].split(",")[0]):
        return "part"  # "the 15 hardest-hit districts", "the 20 worst-affected villages": a part of the whole
    near = [w.lower() for w in _words(text[lo : value.start])[-2:] + _words(text[value.end : value.end + 12])[:1]]
    if value.aspect == "additional" or _PARTIAL & set(near):
        return "more"
    if _SHARE_BEFORE.search(text[lo : value.start]):
        return "part"  # "Portugal's share of the loan is 3 billion euros": a part of a whole
    if re.match(r"\s+of\s+(?:the|his|her|its|their|them|those)\b", text[value.end :]) or (
        near[-2:-1] and near[-2] in ("first", "last", "final", "opening")
    ):
        return "part"
    return None


def _finish(text: str, value: Value, r: _Reading, dates: list[Value], published: date | None) -> Frame:
    """The frame from what was read: its share of the whole, whose it is, when, and the measure in words."""
    portion = _portion(text, value, r.lo)
    counted = f"{r.noun} ({portion})" if portion else r.noun  # "troop (more)": in words, for the measure
    owner, owner_kind = _owner(text, value, r.lo, r.hi, r.event is not None and counted not in _CURRENCIES)
    when = _when(text, value, dates, r.lo, r.hi, published)
    dated = when is not None and when != LAST_YEAR
    lo, hi = r.lo, r.hi
    stretch = _PART.search(text, lo, hi) or (_PART.search(text, 0, lo) if len(_words(text[:lo])) <= 8 else None)
    part = " ".join(_words(stretch.group(0).lower())) if when is None and stretch else None  # "during a 15-2 run"
    if when is None and part is None and _TIME_WORDS.search(text[lo:hi]):
        when = "now"
    event = r.event
    shown = "people" if counted == "person" and event else counted
    measure = f"{event or 'amount'} ({counted})" if counted in _CURRENCIES else " ".join(x for x in (shown, event) if x)
    return Frame(
        measure=measure, noun=r.noun, portion=portion, event=event, owner=owner, owner_kind=owner_kind, when=when,
        part=part, bearing=r.bearing, strong=r.special or bool(event or owner or dated),
    )  # fmt: skip


_AT_THE_BREAK = re.compile(r"\b(?:at|into|by) (?:the )?(?:half(?:time)?|break|interval)\b|\bhalftime\b", re.IGNORECASE)
_SCORE_EVENTS = {
    "lead": "lead", "led": "lead", "leading": "lead", "run": "run", "spurt": "run", "victory": "final",
    "win": "final", "won": "final", "defeated": "final", "beat": "final", "halftime": "halftime",
    "lost": "final", "lose": "final", "loss": "final", "defeat": "final", "beaten": "final",
}  # fmt: skip
_WIN_LOSS = re.compile(r"\b(?:all-time|record|season|improved to|improves to|overall|conference play)\b", re.IGNORECASE)


def _score_frame(text: str, value: Value, lo: int, hi: int) -> Frame | None:
    """A game score: what it is the score of (a lead, a run, the final) and, when said, the game
    clock it was reached at ("a 51-40 lead with 9:12 to play"): one moment of the game."""
    near = _words(text[max(lo, value.start - 48) : value.start])[-6:] + _words(text[value.end : hi])[:3]
    event = next((_SCORE_EVENTS[w.lower()] for w in near if w.lower() in _SCORE_EVENTS), None)
    if _AT_THE_BREAK.search(text, lo, hi):
        event = "halftime"  # "led 13-3 at the half": the score at that moment
    bracketed = text[value.start - 1 : value.start] == "(" and text[value.end : value.end + 1] == ")"
    if bracketed or _WIN_LOSS.search(text[max(lo, value.start - 30) : min(hi, value.end + 30)]):
        event = "record"  # "improved to 25-7", "41-20 all-time", "Drake (15-17)": a win-loss record
    clock = GAME_CLOCK.search(text, lo, hi)
    measure = " ".join(x for x in ("score", event) if x)
    if event is None:
        return None  # "make it 60-46": a score of what moment?
    moment = clock.group(1) if clock else None
    return Frame(measure=measure, noun="score", event=event, clock=moment, strong=moment is not None)


def frames_match(a: Frame, b: Frame, same_figure: bool = False) -> bool:
    """Could two figures with these frames be one fact? The same thing counted, at the same time; a
    count of things with no event word ("40 houses") may be any event's count of them. Places must be
    equal when both are said; a count in a district may be part of an unplaced total, unless it is
    the very same figure (`same_figure`). A figure with no named agent may be anyone's ("23 points"
    may be Brandt's), so consensus keeps one agent per group."""
    if (a.noun, a.portion, a.when_said()) != (b.noun, b.portion, b.when_said()):
        return False
    if not (a.event == b.event or a.event is None or b.event is None):
        return False
    if a.noun == "score" and a.portion is None and a.event != b.event:
        return False  # a lead is not a run, nor the final score
    if place(a) != place(b) and (place(a) and place(b) or ("area" in (a.owner_kind, b.owner_kind) and not same_figure)):
        return False  # a district's toll may be part of the total; "at the depot" may be said or left out
    if a.noun == "age" and a.portion is None and not (a.owner and b.owner) and not same_figure:
        return False  # "a 47-year-old man": whose age is not said (the very same age may still be one fact)
    if a.noun == "person" and a.event != b.event:
        return False  # people are counted for something: "300 people slept outdoors" is not a toll
    return agent(a) is None or agent(b) is None or agent(a) == agent(b)


def agent(frame: Frame) -> str | None:
    """The person or organisation a figure is of ("brandt", from "Tomas Brandt had 12 points")."""
    return frame.owner if frame.owner_kind == "agent" else None


def place(frame: Frame) -> str | None:
    """The place a count of an event is of ("rowan", from "in Rowan district")."""
    return frame.owner if frame.owner_kind in ("place", "area") else None


def assign_frames(text: str, values: list[Value], published: date | None = None) -> list[Value]:
    """Set the frame of every number in `values` (parsed from `text`), in place; returns the list.

    A conversion in brackets right after a figure ("10 kilometers (6 miles)") shares its frame."""
    dates = [v for v in values if v.kind == "date"]
    previous: Value | None = None
    for v in values:
        if v.kind != "number":
            continue
        if (
            previous is not None
            and previous.frame is not None
            and previous.noun == v.noun
            and v.noun in _DIMENSIONS
            and previous.measured_in != v.measured_in
            and re.fullmatch(r"\s*-?[A-Za-z/]*\s*\(\s*(?:or\s+|about\s+)?", text[previous.end : v.start])
        ):
            v.frame = previous.frame
        else:
            v.frame = frame_of(text, v, dates, published)
            if v.noun is None and v.frame is not None and (v.frame.noun, v.frame.portion) == ("person", None):
                v.noun = v.unit = "person"  # "injuring dozens": people, comparable with "249 people injured"
        previous = v
    return values


def parse_published(text: str | None) -> date | None:
    """An article's `published` metadata as a date, when it starts with YYYY-MM-DD."""
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", text or "")
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def frame_key(value: Value) -> str | None:
    """A number's frame as one string ("people killed|rowan|2004"), the unit of comparison."""
    if value.kind != "number" or value.frame is None:
        return None
    return key_text(value.frame)


def key_text(frame: Frame) -> str:
    """ "measure|owner|when" without trailing empty parts: "home", "point|brandt", "people killed||2004"."""
    return "|".join(x or "" for x in frame.key()).rstrip("|")
