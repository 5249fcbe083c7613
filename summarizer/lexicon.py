"""The one home of the project's word lists: number words, months, weekdays, speech verbs, units,
and the one singulariser. Every rule that needs such a list reads it from here, so two rules
never disagree about what counts as a month or a verb of speech."""

from __future__ import annotations

import re
from functools import lru_cache

# Number words with their values. "a dozen" is twelve; "hundred" alone counts as 100.
NUMBER_WORDS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a dozen": 12, "dozen": 12,
}  # fmt: skip
# Ordinal words ("her 12th straight win" says which, not how many).
ORDINAL_WORDS = frozenset(
    """first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth
    fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth last""".split()
)
# Scale words after a figure, with their factor.
SCALES: dict[str, float] = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9, "b": 1e9,
    "trillion": 1e12,
}  # fmt: skip

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
MONTH_NAMES = tuple(name for name, _ in sorted(((k, v) for k, v in MONTHS.items() if len(k) > 4 or k == "may"),
                                                key=lambda kv: kv[1]))  # fmt: skip
CALENDAR_WORDS = frozenset((*MONTH_NAMES, *WEEKDAYS))

# A moment of a timed game: a clock reading with what is left of a period ("with 4:43 left in the
# first half", "9:12 to play", "2:05 remaining in the third period").
GAME_CLOCK = re.compile(
    r"\b(\d{1,2}:\d{2})\s+(?:left|to play|to go|remaining)(?:\s+in\s+the\s+(\w+)\s+(?:half|quarter|period|inning))?"
)

# Title words for whoever leads a body: "head", "chair" and "director" of an agency are one rank.
LEADER_WORDS = frozenset("head chair chairman chairwoman chairperson director chief leader boss".split())

# Verbs that report speech: "X said", "..., said X".
SPEECH_VERBS = frozenset(
    """said says say told tells confirmed announced reported stated added adds warned noted wrote writes asked
    urged explained insisted claimed estimated""".split()
)
# ... of which these also take a plain object ("added 3,000 jobs", "announced a partnership", "warned of
# floods"): they report speech only when a statement follows them.
STATEMENT_VERBS = frozenset(
    """added adds noted reported announced confirmed stated wrote writes claimed explained warned urged asked
    insisted estimated""".split()
)
# ... and these say that what stands before them is a speaker, not the holder of a figure after them.
REPORTING_VERBS = frozenset("said says say told tells announced reported stated confirmed estimated".split())


def verb_pattern(verbs: frozenset[str]) -> re.Pattern[str]:
    """A pattern matching any of the verbs as a whole word."""
    return re.compile(r"\b(?:" + "|".join(sorted(verbs, key=len, reverse=True)) + r")\b")


# Measurement units, each to its base unit (metres, square metres, kilograms, seconds, km/h).
LENGTH = {
    "kilometer": 1000.0, "kilometre": 1000.0, "km": 1000.0, "mile": 1609.344, "meter": 1.0, "metre": 1.0,
    "foot": 0.3048, "feet": 0.3048, "ft": 0.3048, "inch": 0.0254, "yard": 0.9144, "yd": 0.9144, "centimeter": 0.01,
    "centimetre": 0.01, "cm": 0.01, "millimeter": 0.001, "millimetre": 0.001, "mm": 0.001,
}  # fmt: skip
AREA = {
    "square-kilometer": 1e6, "square-kilometre": 1e6, "sq-km": 1e6, "km2": 1e6, "square-mile": 2_589_988.0,
    "square-meter": 1.0, "square-metre": 1.0, "m2": 1.0, "square-foot": 0.09290304, "square-feet": 0.09290304,
    "sq-ft": 0.09290304, "acre": 4046.8564, "hectare": 10_000.0,
}  # fmt: skip
MASS = {"kilogram": 1.0, "kg": 1.0, "tonne": 1000.0, "ton": 1000.0, "lb": 0.45359237, "gram": 0.001}
DURATION = {
    "second": 1.0, "sec": 1.0, "minute": 60.0, "min": 60.0, "hour": 3600.0, "hr": 3600.0, "day": 86_400.0,
    "week": 604_800.0, "month": 2_629_800.0, "year": 31_557_600.0, "decade": 315_576_000.0,
}  # fmt: skip
DATA = {"byte": 1.0, "kb": 1e3, "kilobyte": 1e3, "mb": 1e6, "megabyte": 1e6, "gb": 1e9, "gigabyte": 1e9, "tb": 1e12,
        "terabyte": 1e12}  # fmt: skip
SPEED = {"mph": 1.609344, "km/h": 1.0, "kph": 1.0, "kmh": 1.0, "kmph": 1.0, "knot": 1.852}
# Temperatures: the scale's word -> (factor, offset) to degrees Celsius.
TEMPERATURE = {"celsius": (1.0, 0.0), "centigrade": (1.0, 0.0), "c": (1.0, 0.0), "fahrenheit": (5 / 9, -32.0),
               "f": (5 / 9, -32.0)}  # fmt: skip
CURRENCY_SIGNS = {"$": "USD", "€": "EUR", "£": "GBP", "us$": "USD"}
CURRENCY_WORDS = {"dollar": "USD", "euro": "EUR", "pound": "GBP"}
TIME_UNITS = frozenset(["year", "month", "week", "day", "hour", "minute", "decade", "century"])

# Nouns for people in general: in a count of an event ("five villagers died") they count people.
PEOPLE_NOUNS = frozenset(
    """person people resident villager civilian individual man men woman women other victim passenger
    worker employee""".split()
)
# Nouns for a kind of people: a count of them ("four pupils were hurt") may be part of the count of
# all people, so the two are not set against each other, but none of anyone is none of them either.
KINDS_OF_PEOPLE = frozenset(
    """fan spectator child children student pupil patient tourist visitor miner firefighter officer pilgrim
    protester demonstrator migrant refugee climber hiker guest shopper player driver rider adult teenager
    boy girl baby infant bystander pedestrian motorist cyclist inmate prisoner hostage""".split()
)

# Nouns that stand for one another when counted ("soldiers" and "troops"; "homes" and "houses").
COUNT_SYNONYMS = {
    "troop": "troop", "soldier": "troop", "personnel": "troop", "combatant": "troop", "serviceman": "troop",
    "servicemen": "troop", "fighter": "troop",
    "person": "person", "people": "person", "resident": "person", "individual": "person",
    "worker": "person", "member": "person", "employee": "person", "staffer": "person",
    # a count of deaths or injuries is a count of people dead or hurt ("three deaths" / "no one died")
    "death": "person", "fatality": "person", "casualty": "person", "injury": "person",
    "lawyer": "lawyer", "attorney": "lawyer",
    "bus": "bus", "buses": "bus",
    "home": "home", "house": "home", "household": "home", "residence": "home",
    **CURRENCY_WORDS,
}  # fmt: skip
_INVARIANT = frozenset(["personnel", "series", "species", "news"])


def singular(word: str) -> str:
    """The singular of a plural noun, lower case: "homes" -> "home", "injuries" -> "injury",
    "buses" -> "bus". Words that are no plural ("class", "status", "analysis") stay as they are."""
    w = word.lower()
    if w in _INVARIANT:
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("ches", "shes", "sses", "xes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3:
        return w[:-1]
    return w


def looks_plural(word: str) -> bool:
    """A plain plural noun by its ending ("homes"), not "class" or "status"."""
    return word.endswith("s") and not word.endswith(("ss", "us", "is"))


# Outcomes that exclude one another, each a family of word stems (see consensus/slots.py): two claims
# worded alike but for words of two families of one row report opposite outcomes of one event.
OPPOSED_OUTCOMES: tuple[tuple[frozenset[str], ...], ...] = tuple(
    tuple(frozenset(family.split()) for family in row)
    for row in (
        ("approv grant allow accept", "reject deny denied refus block veto declin turn"),
        ("win won beat defeat victor", "lose lost miss beaten", "draw drew tie tied"),
        ("guilty convict", "acquitt acquit clear innocent"),
        ("pass succeed success", "fail"),
        ("uphold upheld", "overturn revers struck"),
        ("rise rose climb gain increas jump grew surg", "fall fell drop decreas slip slid plung"),
        ("rais hike", "cut lower reduc", "held hold kept keep unchang"),
        ("open reopen resum restart start", "clos shut halt suspend cancel stop"),
        ("lift end cancel", "extend renew impos"),
        ("confirm", "deni deny"),
        ("surviv rescu", "die died kill"),
        ("resign quit", "stay remain"),
        ("profit", "loss"),
        ("releas freed free", "charg detain jail"),
    )
)


@lru_cache(maxsize=8192)
def outcome_family(stem_: str) -> tuple[int, int] | None:
    """(row, family) of an outcome word in OPPOSED_OUTCOMES, matched by the start of its stem ("approv")."""
    for row, families in enumerate(OPPOSED_OUTCOMES):
        for index, family in enumerate(families):
            if any(stem_ == w or (len(w) >= 4 and stem_.startswith(w)) for w in family):
                return row, index
    return None


# Verbs that only place an event in time ("will be held on December 1", "is scheduled for December 8"):
# two dates after them date one event, however the verbs differ.
SCHEDULING_VERBS = frozenset(
    """held hold scheduled schedule set slated due planned take takes place occur occurs happen happens fall
    falls""".split()
)

# Acts many can do at once (vote, sign, attend, oppose ...): other people doing the same such act are
# other facts, not a dispute over who did it. (Speaking is not among them: whom a claim credits is no actor.)
COLLECTIVE_ACTS = frozenset(
    """vote voted votes voting sign signed signs attend attended join joined support supported oppose opposed
    back backed endorse endorsed criticised criticized praise praised urge urged protest protested march marched
    welcome welcomed condemn condemned visit visited meet met applaud applauded attend attends""".split()
)
