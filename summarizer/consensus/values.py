"""Typed values in a quote (numbers with units, dates, names), so claims compare by rule.

The readings, as principles:
- A figure is a number with what it counts (the noun after it, one word list for synonyms: see
  lexicon.py), its qualifier ("about" allows 5%; "at least five" is a tally of about five, up to
  twice it; "more than 1,000" and "topped 1,000" are rounded floors that fit any larger figure;
  "up to" and "under" are ceilings), or a range ("2,000 to 3,000"; not "4 percent to $52", whose ends
  are unlike).
- Measurements are converted to one base unit per dimension (length, area, mass, duration, speed,
  data, temperature in degrees Celsius); converted figures compare with a 10% tolerance. Several
  parts of one duration ("4 hours and 50 minutes") are one duration; an age ("64 years old", "a
  38-year-old") is never a duration; "two years after" is a time, not a duration.
- Number words count, compound ones too ("one hundred and forty"); an explicit none ("no one was
  hurt", "no spectators were injured") is zero; an ordinal ("her 12th title") and a bare pronoun
  "one" ("the old one") are no counts; a four-digit year is a date, also when it names an event
  ("the 2019 floods").
- A figure may be something other than a level, and then compares only with its own kind: a
  difference ("$50 cheaper", "won by three points", "rose 12 percent"), an expectation ("analysts
  expected 2.1 percent", "would save $3.1 million"), the level a change left ("rose from 5% to 7%"),
  an increment ("25,000 more troops"), or one of a list that the sentence pairs with several things
  ("$299 and $399").
"""

from __future__ import annotations

import re
from typing import NamedTuple

from summarizer.lexicon import AREA as _AREA
from summarizer.lexicon import COUNT_SYNONYMS as _SYNONYMS
from summarizer.lexicon import CURRENCY_SIGNS as _CURRENCY
from summarizer.lexicon import DATA, PEOPLE_NOUNS, TEMPERATURE, looks_plural, singular
from summarizer.lexicon import DURATION as _DURATION
from summarizer.lexicon import LENGTH as _LENGTH
from summarizer.lexicon import MASS as _MASS
from summarizer.lexicon import MONTHS as _MONTHS
from summarizer.lexicon import NUMBER_WORDS as _WORD_NUMBERS
from summarizer.lexicon import SCALES as _SCALES
from summarizer.lexicon import SPEED as _SPEED
from summarizer.lexicon import TIME_UNITS as _TIME_UNITS
from summarizer.lexicon import WEEKDAYS as _WEEKDAYS
from summarizer.models import Aspect, DateParts, Value

_SCORE = re.compile(r"\d{1,3}[-–]\d{1,3}")
# An approximate figure ("about 2,400") stands for any value within this fraction of it.
APPROX_TOLERANCE = 0.05

_APPROX = (
    "about",
    "around",
    "roughly",
    "approximately",
    "nearly",
    "almost",
    "some",
    "an estimated",
    "estimated",
    "close to",
    "~",
    "approx.",
)
_UP_TO = ("up to", "as many as", "no more than", "at most")
_AT_LEAST = ("at least", "no fewer than", "no less than")
_MORE = ("more than", "over", "above", "in excess of")
_LESS = ("less than", "under", "fewer than", "below")

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s?[½¼¾])?"  # "3½", "7 ½": a whole number and a fraction
_ONES = "one|two|three|four|five|six|seven|eight|nine"
_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
# Number words of several words: "one hundred and forty", "twenty-five", "three hundred"
_COMPOUND = (
    rf"(?:(?:{_ONES})\s+hundred(?:(?:\s+and)?\s+(?:(?:{_TENS})(?:[-\s](?:{_ONES}))?|{_TEENS}|{_ONES}))?"
    rf"|(?:{_TENS})-(?:{_ONES}))"
)
_WORDNUM = _COMPOUND + "|" + "|".join(sorted((re.escape(w) for w in _WORD_NUMBERS), key=len, reverse=True))
_SCALE = r"(?:\s*(?:thousand|million|billion|trillion)\b|(?:k|m|mn|bn|b)\b)"
_AMOUNT = (
    rf"(?:(?P<cur>US\$|[$€£])\s?)?(?P<num>{_NUM}|\b(?:{_WORDNUM})\b)(?P<scale>{_SCALE})?"
    rf"(?P<pct>\s?%|\s(?:percent|per cent)\b)?"
)
_QUAL = "|".join(re.escape(q) for q in sorted(_APPROX + _UP_TO + _AT_LEAST + _MORE + _LESS, key=len, reverse=True))
_RANGE_SEP = r"\s?(?:-|–|—|to)\s?"
_NUMBER_RE = re.compile(
    rf"(?:\b(?P<qual>{_QUAL})\s+)?(?:(?P<between>between|from)\s+)?{_AMOUNT}"
    rf"(?:(?P<sep>{_RANGE_SEP}|(?(between)\s+and\s+|(?!x)x))(?:(?P<cur2>US\$|[$€£])\s?)?(?P<num2>{_NUM}|\b(?:{_WORDNUM})\b)"
    rf"(?P<scale2>{_SCALE})?(?P<pct2>\s?%|\s(?:percent|per cent)\b)?)?",
    re.IGNORECASE,
)

_FILLER = frozenset(
    """additional more new extra other further local estimated total full fresh young elite active armed
    special north south east west northern southern eastern western foreign military civilian small
    large major minor senior junior public private skilled unskilled regular reserve injured wounded
    displaced affected registered striking full-time part-time""".split()
)
_STOP = frozenset(
    """of to in on at for from by with and or who that which the a an was were is are had have has will
    would could as than per into over after before across since during""".split()
)
# "40 patients a day", "$3.1 million a year": a rate is part of what a figure measures.
_RATE = re.compile(
    r"(?:\s+[A-Za-z'-]+){0,2}?\s+(?:a|an|per|each)\s+(day|week|month|year|hour)\b"
    r"(?!\s+(?:earlier|ago|before|later|after|on|from)\b)",  # "up 12% from a year earlier": a time, no rate
    re.IGNORECASE,
)

# Measurements are converted to one base unit per dimension before they are compared, so "10 km" and
# "six miles" are one depth. `measured_in` keeps the unit as written: figures converted from another
# unit compare with CONVERSION_TOLERANCE, since converted figures are rounded ("10 km (6 miles)").
CONVERSION_TOLERANCE = 0.1
_MEASUREMENT: dict[str, tuple[str, float]] = {
    **{k: ("m", f) for k, f in _LENGTH.items()},
    **{k: ("m2", f) for k, f in _AREA.items()},
    **{k: ("kg", f) for k, f in _MASS.items()},
    **{k: ("s", f) for k, f in _DURATION.items()},
    **{k: ("km/h", f) for k, f in _SPEED.items()},
    **{k: ("byte", f) for k, f in DATA.items()},
}
_BASE_UNITS = frozenset(["m", "m2", "kg", "s", "km/h", "byte", "°C", "%", *_CURRENCY.values()])
# A time reference, not a duration: "two years after", "four months ago" say when, not how long.
_TIME_REFERENCE = re.compile(r"\s*(?:ago|after|later|earlier|before|since|from now)\b", re.IGNORECASE)
# Vague counts: "dozens of villagers", "hundreds of homes".
_VAGUE = {
    "dozens": (24.0, 99.0), "scores": (40.0, 99.0), "hundreds": (200.0, 999.0), "thousands": (2000.0, 9999.0),
    "tens of thousands": (20_000.0, 99_999.0), "hundreds of thousands": (200_000.0, 999_999.0),
    "millions": (2e6, 999e6), "several thousand": (3000.0, 9000.0), "several million": (3e6, 9e6),
    "several hundred": (300.0, 900.0), "several billion": (3e9, 9e9),
}  # fmt: skip
_VAGUE_RE = re.compile(
    r"\b(?P<v>" + "|".join(sorted(map(re.escape, _VAGUE), key=len, reverse=True)) + r")\b"
    r"(?!\s+(?:of\s+)?(?:dollars|euros|pounds))",
    re.IGNORECASE,
)
# An explicit none: "no casualties", "nobody was hurt", "no one died" is a count of zero.
_CASUALTY_VERB = r"(?:killed|hurt|injured|died|dead|wounded|missing|harmed)"
_NONE_RE = re.compile(
    r"\b(?:(?:caused|reported|were|was|with|and|but)\s+)?(?P<none>no|zero)\s+(?P<noun>casualties|deaths|fatalities|injuries|"
    rf"dead|victims|(?:one|[a-z]+s)\s+(?:(?:was|were|has|have|had)\s+(?:been\s+)?)?{_CASUALTY_VERB})\b"
    rf"|\b(?P<nobody>nobody|no-one)\s+(?:(?:was|were|has|have|had)\s+(?:been\s+)?)?(?P<verb>{_CASUALTY_VERB})\b",
    re.IGNORECASE,
)

_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_RE = re.compile(
    rf"\b(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})\b"
    rf"|\b(?P<wd>{'|'.join(_WEEKDAYS)})\b"
    rf"|\b(?P<d1>\d{{1,2}})\s+(?P<m1>{_MONTH})\.?(?:,?\s+(?P<y1>(?:19|20)\d{{2}}))?\b"
    rf"|\b(?P<m2>{_MONTH})\.?(?:\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\b)?(?:,?\s+(?P<y2>(?:19|20)\d{{2}}))?\b"
    rf"|\b(?P<rel>today|yesterday|tomorrow|tonight|(?:next|last|this)\s+(?:week|month|year))\b",
    re.IGNORECASE,
)
_YEAR_RE = re.compile(r"(?<![\d,.$€£])\b(?:19|20)\d{2}\b(?!\d|[,.]\d|\s?%|\s?(?:percent|per cent))")
_NAME_RE = re.compile(r"\b[A-Z][\w’'-]*(?:[ \t]+(?:(?:de|van|von|bin|al|da|del|der|la|le)[ \t]+)?[A-Z][\w’'-]*)+")
_NOT_NAME_START = frozenset(
    """The A An This That These Those It He She They We In On At For And But If When As""".split()
)
_DATE_WORDS = frozenset(list(_WEEKDAYS) + list(_MONTHS))


# Under re.IGNORECASE four non-ASCII letters match ASCII ones: "İ" and "ı" match i, "ſ" (long s)
# matches s, "K" (Kelvin sign) matches k. str.lower() keeps them apart ("İ" even becomes two
# characters), so a keyword the patterns matched ("mıllıon", "ſeptember") would miss its table.
_ASCII_FOLD = str.maketrans({"İ": "i", "ı": "i", "ſ": "s", "K": "k"})


def _fold(word: str) -> str:
    """Lower-case a matched keyword the way the case-insensitive patterns compared it."""
    return word.translate(_ASCII_FOLD).lower()


_FRACTIONS = {"½": 0.5, "¼": 0.25, "¾": 0.75}


def _number(text: str) -> float:
    lowered = _fold(text)
    if lowered in _WORD_NUMBERS:
        return float(_WORD_NUMBERS[lowered])
    words = re.findall(r"[a-z]+", lowered)
    if words:  # "one hundred and forty", "twenty-five": the words' values, a hundred multiplying
        total = 0
        for word in words:
            if word == "hundred":
                total = max(total, 1) * 100
            elif word != "and":
                total += _WORD_NUMBERS[word]
        return float(total)
    fraction = _FRACTIONS.get(text.rstrip()[-1:], 0.0)
    return float(text.rstrip(" ½¼¾").replace(",", "")) + fraction


def _scaled(num: str, scale: str | None) -> float:
    value = _number(num)
    if scale:
        value *= _SCALES[_fold(scale.strip())]
    return value


def _unit_after(text: str, end: int) -> str | None:
    """The noun a figure counts: past names and filler adjectives, the first plural of the next two
    plain words ("repair crews" -> crew), else the first ("2,400 homes lost power" -> home)."""
    candidates: list[str] = []
    for word in re.findall(r"[A-Za-z][A-Za-z'-]*", text[end : end + 60])[:5]:
        lowered = word.lower()
        if lowered in _STOP:
            break
        if not candidates and (word[0].isupper() or lowered in _FILLER or lowered in _WORD_NUMBERS):
            continue
        candidates.append(lowered)
        if len(candidates) == 2:
            break
    if not candidates:
        return None
    plural = [w for w in candidates if _looks_plural(w)]
    return _singular(plural[0] if plural else candidates[0])


_CASUALTY = frozenset(
    """killed dead died deaths death casualties casualty wounded injured injuries hurt missing""".split()
)
_INCREMENT_AFTER = frozenset("additional more extra further".split())
_CLAUSE_END = re.compile(r"[,;:.!?()\u2014\u2013]|\s-\s")


# A difference, not a level: a comparative after the figure ("three laps sooner", "$50 cheaper than"), or
# "by" / "up" / "down" before it ("won by three points", "up 4 percent").
_COMPARATIVE_AFTER = re.compile(
    r"^[\s%]*(?:[A-Za-z-]+\s+){0,2}?(?:less|fewer|higher|lower|cheaper|dearer|costlier|faster|slower|sooner|later|"
    r"earlier|longer|shorter|bigger|smaller|larger|better|worse|ahead|behind|more\s+than|down|up|clear)\b",
    re.IGNORECASE,
)
# A verb of exceeding before a figure makes it a floor: "topped 1 billion shares", "passed 10,000".
_EXCEEDED = re.compile(
    r"\b(?:topped|tops|exceeded|exceeds|surpassed|surpasses|passed|crossed|eclipsed)\s+$", re.IGNORECASE
)
_CHANGE_BEFORE = re.compile(
    r"\b(?:by|up|down|gain(?:ed)?\s+of|drop\s+of|increase\s+of|decrease\s+of|rose|fell|gained|climbed|"
    r"dropped|slipped|jumped|grew|shrank|declined|plunged|soared|slid|rises|falls|gains)\s+$",
    re.IGNORECASE,
)
# A forecast, a target or an expectation said in the figure's clause before it.
_EXPECTED = re.compile(
    r"\b(?:expect(?:s|ed|ing|ation|ations)?|forecasts?|forecasting|forecasters?|projected|projections?|predict(?:s|ed|ion)?|"
    r"anticipated|targets?|targeting|goal|aims?|aiming|guidance|outlook|consensus|hoped|hopes)\b",
    re.IGNORECASE,
)
# A projection governing the figure: "would save the hospital $3.1 million", "could cost $2 billion"
# (not "would add to the 1,100 already there": after a preposition the figure is what exists).
_PROJECTED = re.compile(
    r"\b(?:would|could|might)\s+(?!not\b)[A-Za-z-]+\s+(?:(?!(?:to|on|of|in|from|with|for)\b)[A-Za-z-]+\s+){0,2}$",
    re.IGNORECASE,
)
# The start of a change from one level to another: "rose from 5% to 7%" (5% is where it started).
_CHANGE_VERB = re.compile(
    r"\b(?:rose|rise[sn]?|fell|fall(?:s|en)?|increased?|decreased?|climbed|dropped|grew|grow[sn]?|jumped|slipped|"
    r"cut|raised|lowered|lifted|revised|went|moved|swung|surged|plunged|slid|eased|edged)\s+(?:[a-z]+\s+)?$",
    re.IGNORECASE,
)


def _relation(text: str, start: int, end: int, unit_end: int) -> Aspect | None:
    """A figure that is a difference, an expectation or a list member: never a plain level to compare."""
    before = text[max(0, start - 80) : start]
    cut = list(_CLAUSE_END.finditer(before))
    clause_before = before[cut[-1].end() if cut else 0 :]
    if _COMPARATIVE_AFTER.match(text[unit_end : unit_end + 40]) or _CHANGE_BEFORE.search(clause_before):
        return "change"
    if _EXPECTED.search(clause_before) or _PROJECTED.search(clause_before):
        return "expected"
    return None


def _aspect(text: str, start: int, end: int) -> Aspect | None:
    """What a count counts beyond its noun, so that different measures are never compared:
    "casualties" when the clause says the counted were killed, wounded or died ("4,700 soldiers
    have been killed or wounded" is not the 11,000 soldiers deployed), "additional" for an
    increment ("25,000 more troops", "another 3,000 troops"), else None."""
    after = text[end : end + 90]
    cut = _CLAUSE_END.search(after)
    after_words = re.findall(r"[a-z]+", after[: cut.start() if cut else len(after)].lower())[:10]
    before = text[max(0, start - 40) : start]
    cut_before = list(_CLAUSE_END.finditer(before))
    before_words = re.findall(r"[a-z]+", before[cut_before[-1].end() if cut_before else 0 :].lower())[-3:]
    if _CASUALTY & set(after_words + before_words):
        return "casualties"
    if (before_words and before_words[-1] == "another") or _INCREMENT_AFTER & set(after_words[:3]):
        return "additional"
    return None


_MEASURE_WORDS = re.compile(r"\s*-?\s*((?:square|sq\.?)[\s-]+)?([a-z]+(?:/h)?)\b", re.IGNORECASE)


def _word_end(text: str, end: int) -> int:
    m = _MEASURE_WORDS.match(text, end)
    return m.end() if m else end


# "38 degrees Celsius", "100F", "21°C": converted to degrees Celsius (see `_celsius`).
_TEMPERATURE = re.compile(r"\s*(?:degrees?\s+|°\s*)?(?P<scale>celsius|centigrade|fahrenheit|°?[CF])\b", re.IGNORECASE)
_TEMPERATURE_SCALES = TEMPERATURE


def _measurement(text: str, end: int, unit: str | None) -> tuple[str, float, str] | None:
    """(base unit, factor to it, unit as written) when the figure is a length, area, mass, duration or
    speed: "10 kilometers", "six miles", "15,800-square-metre", "193km/h", "120 miles per hour"."""
    temperature = _TEMPERATURE.match(text, end)
    if temperature:
        scale = _fold(temperature.group("scale")).lstrip("°")
        return "°C", _TEMPERATURE_SCALES[scale][0], scale
    m = _MEASURE_WORDS.match(text, end)
    if not m or re.match(r"[\s-]old\b", text[m.end() : m.end() + 4], re.IGNORECASE):
        return None  # "a 38-year-old", "64 years old": an age, not a duration
    square, word = m.group(1), _fold(m.group(2))
    word = word if word in _MEASUREMENT or word.endswith("/h") else _singular(word)
    if square:
        key = "square-" + word.removeprefix("sq").strip("-.")
        return ("m2", _AREA[key], key) if key in _AREA else None
    if word in ("km/h", "mi/h"):
        return ("km/h", 1.0 if word == "km/h" else 1.609344, word)
    if word in _LENGTH:
        after = text[m.end() : m.end() + 20].lower()
        if re.match(r"\s*(?:per|an|a)\s+hour\b", after):
            return ("km/h", _LENGTH[word] / 1000, f"{word}/hour")
    if word in _MEASUREMENT:
        base, factor = _MEASUREMENT[word]
        return base, factor, word
    if unit and unit.startswith("square-"):
        return ("m2", _AREA[unit], unit) if unit in _AREA else None
    return None


def _vague_and_none(text: str) -> list[Value]:
    """'dozens of villagers' (24 to 99) and an explicit none ('no casualties', 'nobody was hurt': 0)."""
    values: list[Value] = []
    for m in _VAGUE_RE.finditer(text):
        low, high = _VAGUE[_fold(m.group("v"))]
        after = re.match(r"\s+of\b", text[m.end() :])
        unit = _unit_after(text, m.end() + (after.end() if after else 0))
        values.append(
            Value(kind="number", text=m.group("v"), start=m.start(), end=m.end(), low=low, high=high,
                  qualifier="range", noun=unit)
        )  # fmt: skip
    for m in _NONE_RE.finditer(text):
        start = m.start("none") if m.group("none") else m.start("nobody")
        values.append(
            Value(kind="number", text=text[start : m.end()], start=start, end=m.end(), low=0.0, high=0.0,
                  qualifier="exact", noun="person", aspect="casualties")
        )  # fmt: skip
    return values


def _qualifier(qual: str | None) -> str:
    if not qual:
        return "exact"
    q = _fold(qual)
    for options, name in (
        (_APPROX, "approx"),
        (_UP_TO, "up_to"),
        (_AT_LEAST, "at_least"),
        (_MORE, "more_than"),
        (_LESS, "less_than"),
    ):
        if q in options:
            return name
    return "exact"


class _Counted(NamedTuple):
    """What a figure counts or measures, read from the words after it."""

    noun: str | None
    per: str | None = None
    aspect: Aspect | None = None
    factor: float = 1.0  # to the base unit of a measurement
    measured_in: str | None = None


def _counted(text: str, m: re.Match[str], end: int) -> _Counted:
    """Currency, percent, a measurement ("six miles": metres), a rate ("40 patients a day") or a
    counted noun with its aspect ("4,700 soldiers killed or wounded")."""
    second = m.group("num2")
    cur = m.group("cur") or (m.group("cur2") if second else None)
    if cur:
        unit: str | None = _CURRENCY[_fold(cur)]
    elif m.group("pct") or (second and m.group("pct2")):
        unit = "%"
    else:
        unit = _unit_after(text, end)
    if re.match(r"\s*years?[\s-]old\b", text[end : end + 12], re.IGNORECASE):
        return _Counted("year-old")  # "64 years old": an age, never a duration nor a count of years
    measured = _measurement(text, end, unit)
    rate = _RATE.match(text, end) or (_RATE.search(text, end, end + 30) if unit else None)
    if measured:
        base, factor, written = measured
        duration = re.search(
            r"\b(?:for|lasted|lasting|spanning|over)\s+(?:\w+\s+)?$", text[max(0, m.start() - 20) : m.start()]
        )
        if base == "s" and not duration and _TIME_REFERENCE.match(text, _word_end(text, end)):
            return _Counted(None, factor=factor, measured_in=written)  # "two years after": a time, not a duration
        return _Counted(base, factor=factor, measured_in=written)
    if unit and rate:
        return _Counted(unit, per=_fold(rate.group(1)))
    if unit and unit not in _CURRENCY.values() and unit != "%":
        aspect = _aspect(text, m.start(), end)
        if aspect == "casualties" and unit in PEOPLE_NOUNS:
            unit = "person"  # "two fans were hurt": a casualty count of people, whoever they are
        return _Counted(unit, aspect=aspect)
    return _Counted(unit)


def _number_span(m: re.Match[str]) -> tuple[int, int]:
    """Where a figure's text starts (at its qualifier, "between" or currency) and ends."""
    if m.group("num2"):
        end = m.end()
    else:
        end = m.end("pct") if m.group("pct") else m.end("scale") if m.group("scale") else m.end("num")
    for group in ("qual", "between", "cur"):
        if m.group(group):
            return m.start(group), end
    return m.start("num"), end


def _numbers(text: str, years: list[tuple[int, int]]) -> list[Value]:
    values: list[Value] = []
    pos = 0
    while (m := _NUMBER_RE.search(text, pos)) is not None:
        if m.group("num2") and _unlike_ends(m):
            # "rose 4 percent to $52": a change and a level, not a range; read the first alone
            first_end = m.end("pct") if m.group("pct") else m.end("scale") if m.group("scale") else m.end("num")
            m = _NUMBER_RE.match(text[:first_end], m.start()) or m
        pos = max(m.end(), pos + 1)
        num_start = m.start("num")
        if text[max(0, num_start - 1) : num_start] == ":" or text[m.end("num") : m.end("num") + 1] == ":":
            continue  # a clock time or a score clock ("1:35 p.m.", "with 4:43 left"), not a count
        if _ORDINAL_END.match(text, m.end("num")):
            continue  # "her 12th straight win", "the 3rd round": which one, not how many
        if any(s <= num_start < e for s, e in years) and not m.group("cur"):
            continue
        if m.group("between") and m.group("num2") and _CHANGE_VERB.search(text[max(0, m.start() - 40) : m.start()]):
            values.extend(_change_ends(text, m))  # "rose from 5% to 7%": where it started, and the new level
            continue
        value = _figure(text, m)
        if value is None or (value.text.lower() == "one" and value.noun is None):
            continue  # (a bare "one" is a pronoun: "the old one", "one of them")
        joined = _JOINED.match(text, value.end)
        if value.measured_in and joined and _ONE_OF_MANY.search(text[max(0, value.start - 4) : value.start]):
            continue  # "an 11-yard pass", "a 36-yard field goal": one of many such things, which one unsaid
        if value.measured_in and _POSITION.match(text, value.end):
            continue  # "the 20-yard line", "the 10-kilometre mark": a position, not a length
        if value.noun == "s" and (
            _STRETCH_BEFORE.search(text[max(0, value.start - 24) : value.start])
            or _TIME_LEFT_AFTER.match(text[value.end : value.end + 30])
        ):
            continue  # "in the first 3 minutes", "with 10 minutes left": when, not how much
        values.append(value)
    return values


def _change_ends(text: str, m: re.Match[str]) -> list[Value]:
    """The two ends of a change ("rose from 5% to 7%"): the first the level it left, the second the new one."""
    first_end = m.end("pct") if m.group("pct") else m.end("scale") if m.group("scale") else m.end("num")
    start2 = m.start("cur2") if m.group("cur2") else m.start("num2")
    ends = [_NUMBER_RE.match(text[:first_end], m.start("cur") if m.group("cur") else m.start("num")),
            _NUMBER_RE.match(text, start2)]  # fmt: skip
    found = [v for e in ends if e is not None and (v := _figure(text, e)) is not None]
    if len(found) == 2:
        found[0].aspect = "previous"
        if found[0].noun is None:
            found[0].noun = found[1].noun
    return found


def _unlike_ends(m: re.Match[str]) -> bool:
    """The two ends of a would-be range carry different units: a percent and a currency, two currencies."""
    first = "%" if m.group("pct") else (m.group("cur") or "")
    last = "%" if m.group("pct2") else (m.group("cur2") or "")
    return bool(first and last and first != last)


# an indefinite article before a measurement joined to its noun: one of many such things
_ONE_OF_MANY = re.compile(r"\b(?:a|an)\s+$", re.IGNORECASE)
_JOINED = re.compile(r"-[A-Za-z.]+\s+[A-Za-z]")
_POSITION = re.compile(r"-[A-Za-z.]+\s+(?:line|mark|marker|post)\b", re.IGNORECASE)
_STRETCH_BEFORE = re.compile(r"\b(?:first|last|final|opening|closing|next|past|previous)\s+$", re.IGNORECASE)
# "with 10 minutes left in the fourth quarter", "two minutes to play": a moment of a game, not a duration
_TIME_LEFT_AFTER = re.compile(r"^[\s\w]{0,12}?\b(?:left|remaining|to play|to go)\b", re.IGNORECASE)
_ORDINAL_END = re.compile(r"(?:st|nd|rd|th)\b", re.IGNORECASE)
# A figure joined to an "-er" noun names a kind of thing, not a count of it: "a 3-pointer", "two-seaters"
_KIND_OF_THING = re.compile(r"-[A-Za-z]+ers?\b")


def _celsius(value: float | None, scale: str) -> float | None:
    """A temperature in degrees Celsius; `value` came in already multiplied by the scale's factor."""
    factor, offset = _TEMPERATURE_SCALES[scale]
    return None if value is None else value + offset * factor


def _figure(text: str, m: re.Match[str]) -> Value | None:
    """One figure: a point with its qualifier, a range ("2,000 to 3,000"), or a game score ("65-53")."""
    start, end = _number_span(m)
    second = m.group("num2")  # "and" joins a range only after "between": "5 and 6" is a list
    c = _counted(text, m, end)
    if not second and c.measured_in is None and _KIND_OF_THING.match(text, end):
        return None  # (a "10-meter wall" is a measurement, kept)
    low = _scaled(m.group("num"), m.group("scale") or (m.group("scale2") if second else None)) * c.factor
    qualifier = _qualifier(m.group("qual"))
    if qualifier == "exact" and not m.group("num2") and _EXCEEDED.search(text[max(0, start - 20) : start]):
        qualifier = "more_than"
    lo: float | None = None if qualifier in ("up_to", "less_than") else low
    hi: float | None = None if qualifier in ("at_least", "more_than") else low
    if second:
        qualifier, hi = "range", _scaled(second, m.group("scale2") or m.group("scale")) * c.factor
        if hi < low:
            if _SCORE.fullmatch(text[start:end]) and c.measured_in is None:
                return Value(  # "a 65-53 victory", "a 45-36 lead": a score, compared as a pair
                    kind="number", text=text[start:end], start=start, end=end, low=hi, high=low, qualifier="score",
                    noun="score",
                )  # fmt: skip
            return None
        lo = low
    if c.noun == "°C" and c.measured_in:
        lo, hi = _celsius(lo, c.measured_in), _celsius(hi, c.measured_in)
    unit_end = _word_end(text, end) if c.noun and c.noun not in _BASE_UNITS else end
    return Value(
        kind="number", text=text[start:end], start=start, end=end, low=lo, high=hi,
        qualifier=qualifier,  # type: ignore[arg-type]
        noun=c.noun, per=c.per, aspect=_relation(text, start, end, unit_end) or c.aspect, measured_in=c.measured_in,
    )  # fmt: skip


def _dates(text: str) -> tuple[list[Value], list[tuple[int, int]]]:
    values: list[Value] = []
    taken: list[tuple[int, int]] = []
    for m in _DATE_RE.finditer(text):
        on: DateParts | None = None
        if m.group("iso"):
            year, month, day = (int(x) for x in m.group("iso").split("-"))
            on = DateParts(year=year, month=month, day=day)
        elif m.group("wd"):
            on = DateParts(weekday=_fold(m.group("wd")))
        elif m.group("m1") or m.group("m2"):
            month_word = _fold(m.group("m1") or m.group("m2"))
            if month_word == "may" and not (m.group("d1") or m.group("d2") or m.group("y1") or m.group("y2")):
                continue  # the verb "may" ("May 2012" is the month)
            if (
                month_word in ("mar", "jun", "jul", "sep", "oct", "dec", "jan", "feb", "apr", "aug", "nov")
                and text[m.start() : m.start() + 1].islower()
            ):
                continue
            if text[m.start("m1") if m.group("m1") else m.start("m2")].islower():
                continue
            day_text = m.group("d1") or m.group("d2")
            year_text = m.group("y1") or m.group("y2")
            on = DateParts(
                year=int(year_text) if year_text else None,
                month=_MONTHS[month_word],
                day=int(day_text) if day_text else None,
            )
        elif m.group("rel"):
            on = DateParts(relative="-".join(_fold(m.group("rel")).split()))
        if on is None:
            continue
        if m.group("wd") and not text[m.start()].isupper():
            continue
        values.append(Value(kind="date", text=m.group(0), start=m.start(), end=m.end(), on=on))
        taken.append((m.start(), m.end()))
    for m in _YEAR_RE.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        after = _unit_after(text, m.end())
        introduced = re.search(
            r"\b(?:in|since|of|by|from|until|before|after|during)\s+$", text[max(0, m.start() - 8) : m.start()], re.I
        )
        attributive = re.search(
            r"(?:\b(?:the|a|an|its|their|his|her|this|that)|['’]s)\s+$", text[max(0, m.start() - 8) : m.start()], re.I
        ) or re.match(r"['’]s\b", text[m.end() :])  # "2011's Cyclone Yasi": a year's
        if after is not None and after not in _TIME_UNITS and not introduced and not attributive:
            continue  # "2,016 troops" is a count; "in 2004, triggering ..." and "the 2019 floods" are years
        values.append(
            Value(kind="date", text=m.group(0), start=m.start(), end=m.end(), on=DateParts(year=int(m.group(0))))
        )
        taken.append((m.start(), m.end()))
    return values, taken


def _names(text: str) -> list[Value]:
    values: list[Value] = []
    for m in _NAME_RE.finditer(text):
        words = [(w.start(), w.end(), w.group(0)) for w in re.finditer(r"\S+", m.group(0))]
        while words and (words[0][2] in _NOT_NAME_START or words[0][2].lower() in _DATE_WORDS):
            words = words[1:]
        while words and words[-1][2].lower().removesuffix("'s").removesuffix("’s") in _DATE_WORDS:
            words = words[:-1]
        if len(words) < 2:
            continue
        start, end = m.start() + words[0][0], m.start() + words[-1][1]
        for suffix in ("'s", "’s"):
            if text[start:end].endswith(suffix):
                end -= len(suffix)
        values.append(Value(kind="name", text=text[start:end], start=start, end=end))
    return values


def parse_values(text: str) -> list[Value]:
    """Numbers (with unit and qualifier), dates and names found in `text`, in reading order.

    An explicit none ("no one was hurt") is read before the figures, so its "one" is no count of one."""
    dates, date_spans = _dates(text)
    nones = [v for v in _vague_and_none(text) if v.low == 0.0]
    numbers = [
        n
        for n in _numbers(text, date_spans)
        if not any(s <= n.start < e or s < n.end <= e for s, e in date_spans) or n.noun in _CURRENCY.values()
    ]
    numbers = [n for n in numbers if not any(v.start < n.end and n.start < v.end for v in nones)]
    taken = [(n.start, n.end) for n in numbers + nones]
    vague = [v for v in _vague_and_none(text) if v.low != 0.0 and not any(s < v.end and v.start < e for s, e in taken)]
    numbers = _mark_lists(text, _join_durations(text, numbers))
    values = numbers + nones + vague + dates + _names(text)
    return sorted(values, key=lambda v: (v.start, v.kind))


def _join_durations(text: str, numbers: list[Value]) -> list[Value]:
    """ "4 hours and 50 minutes", "2 minutes, 5 seconds": one duration, the parts added up."""
    ordered = sorted(numbers, key=lambda v: v.start)
    out: list[Value] = []
    for v in ordered:
        last = out[-1] if out else None
        if (
            last is not None and last.noun == v.noun == "s" and last.low is not None and v.low is not None
            and last.low > v.low and last.high == last.low and v.high == v.low
            and re.fullmatch(r"\s*(?:,|and|,\s*and)\s*", text[_word_end(text, last.end) : v.start])
        ):  # fmt: skip
            merged = last.low + v.low
            out[-1] = last.model_copy(
                update={"text": text[last.start : v.end], "end": v.end, "low": merged, "high": merged}
            )
            continue
        out.append(v)
    return out


# Two or more figures of one unit joined by "and", "or" or commas ("$299 and $399", "5, 7 and 9 percent"):
# a list whose figures belong to different things the sentence pairs up, so none stands alone for one.
_LIST_JOIN = re.compile(r"^\s*(?:,\s*(?:and|or)?|and|or)\s*$")


def _mark_lists(text: str, numbers: list[Value]) -> list[Value]:
    ordered = sorted(numbers, key=lambda v: v.start)
    for x, y in zip(ordered, ordered[1:], strict=False):
        joined = _LIST_JOIN.match(text[x.end : y.start])
        if joined and x.noun == y.noun and x.noun is not None and x.aspect is None and y.aspect is None:
            x.aspect = y.aspect = "listed"
    return numbers


# "at least 5 dead" reports a tally of about five so far, not any toll above it: "at least" stands for
# figures up to this multiple of it. "More than 1,000" is a rounded floor and fits any larger figure.
OPEN_BOUND_SPAN = 2.0


def _interval(v: Value, tolerance: float = 0.0) -> tuple[float, float]:
    low = v.low if v.low is not None else float("-inf")
    high = v.high if v.high is not None else float("inf")
    if v.high is None and v.low is not None and v.low > 0 and v.qualifier != "more_than":
        high = v.low * OPEN_BOUND_SPAN
    tolerance = max(tolerance, APPROX_TOLERANCE if v.qualifier == "approx" else 0.0)
    if tolerance:
        low, high = low * (1 - tolerance), high * (1 + tolerance)
    if v.qualifier == "more_than":
        low = low + 1e-9
    if v.qualifier == "less_than":
        high = high - 1e-9
    return low, high


# what a figure may be besides a level (see `_relation`): such a figure compares only with its own kind
_RELATIONS = frozenset(["change", "expected", "previous", "listed", "additional"])


def values_compatible(a: Value, b: Value) -> bool | None:
    """Could both values be true of one fact? None when they cannot be compared at all (a difference
    is never compared with a level, nor an expectation with an outcome)."""
    if a.kind != b.kind or a.kind == "name":
        return None
    if a.aspect != b.aspect and (a.aspect in _RELATIONS or b.aspect in _RELATIONS):
        return None
    if a.kind == "number" and "score" in (a.qualifier, b.qualifier):
        return (a.low, a.high) == (b.low, b.high) if a.qualifier == b.qualifier else None
    if a.kind == "number":
        ua, ub = a.noun, b.noun
        if ua is None and ub is None:
            return None
        if ua is None or ub is None:
            if (ua or ub) in _BASE_UNITS or a.frame is None or b.frame is None:
                return None  # a bare figure is compared with a count only when their frames matched
        elif ua != ub or a.per != b.per:
            return None  # the casualties and the others are one unit: the frame says what is counted
        converted = a.measured_in != b.measured_in  # "10 km" and "six miles": rounded conversions
        tolerance = CONVERSION_TOLERANCE if converted else 0.0
        (alo, ahi), (blo, bhi) = _interval(a, tolerance), _interval(b, tolerance)
        return alo <= bhi and blo <= ahi
    da, db = a.on or DateParts(), b.on or DateParts()
    if da == db:
        return True
    if da.weekday and db.weekday:
        return False
    if da.relative or db.relative or da.weekday or db.weekday:
        return None
    comparable = False
    for x, y in ((da.year, db.year), (da.month, db.month), (da.day, db.day)):
        if x is not None and y is not None:
            comparable = True
            if x != y:
                return False
    return True if comparable else None


def _singular(word: str) -> str:
    """The counted thing a noun names: singular, with newsroom synonyms made one ("soldiers" -> troop);
    a casualty count of any people ("two fans were hurt") counts people."""
    w = word.lower()
    found = _SYNONYMS.get(w) or _SYNONYMS.get(singular(w), singular(w))
    return found


def _looks_plural(word: str) -> bool:
    return word in _SYNONYMS or looks_plural(word)
