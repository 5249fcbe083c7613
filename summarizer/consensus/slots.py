"""Slots: an agreement is checked like a conflict.

Two claims grouped because they are worded alike agree only when every figure, outcome and role they
both state fits. The rules, as principles:

- **Aligned figures.** When two claims about one fact each give one figure of the same thing (the same
  counted noun, or a score), those figures fill the same slot of the sentence: differing, they are a
  conflict however small the count ("12 charges" / "15 charges"; "9-4" / "8-5").
- **Opposed outcomes.** Two claims worded alike but for the outcome word, one from each of two
  families that exclude each other (approved / rejected, guilty / acquitted, won / lost, raised / cut),
  report opposite outcomes of one event: a conflict.
- **Roles.** Two claims naming the same two parties with the same words between them, in swapped
  order ("A agreed to buy B" / "B agreed to buy A"), disagree on who did what to whom: a conflict.
- **Different facts, not a dispute.** A forecast or a possibility is another fact than an outcome
  ("is expected to raise rates in June" / "did not raise rates on Wednesday"), and so is a demand
  ("prosecutors asked for 20 years" / "was sentenced to 12 years"); two demands or two forecasts may
  still conflict. A plan ("will release", "plans to offer") may agree with an outcome, but a plan
  to act and a report that it was not done are no yes-against-no. Different named people doing an
  act many can do at once are other facts too ("voted against the bill"), and so are people each
  doing something to their own thing ("won his quarter-final").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher
from functools import lru_cache

from summarizer.consensus.dating import dates_disagree
from summarizer.consensus.figures import matching
from summarizer.consensus.frames import frames_match
from summarizer.consensus.names import one_edit, variant
from summarizer.consensus.similarity import STOPWORDS, WORD, crude_stem, fold, stem, tokens
from summarizer.consensus.values import parse_values, values_compatible
from summarizer.lexicon import (
    CALENDAR_WORDS,
    COLLECTIVE_ACTS,
    KINDS_OF_PEOPLE,
    LEADER_WORDS,
    ORDINAL_WORDS,
    PEOPLE_NOUNS,
    SPEECH_VERBS,
    outcome_family,
)
from summarizer.models import Basis, Claim, Value

# kinds of a figure's relation that never stand for a plain level (see values.py)
_NOT_A_LEVEL = frozenset(["change", "expected", "previous", "listed"])


def _slot_figures(claim: Claim) -> dict[str, Value]:
    """The claim's figures by the thing they count, where it gives exactly one figure of that thing."""
    by_noun: dict[str, list[Value]] = {}
    for v in claim.values:
        if v.kind == "number" and v.noun and v.aspect not in _NOT_A_LEVEL:
            by_noun.setdefault(f"{v.noun}|{v.aspect or ''}", []).append(v)
    return {noun: vs[0] for noun, vs in by_noun.items() if len(vs) == 1}


def _none_against_some(a: Claim, b: Claim) -> Basis | None:
    """ "No one was hurt" against "two fans were injured": none of anyone is none of any kind of people."""
    for x, y in ((x, y) for x in a.values for y in b.values):
        for zero, some in ((x, y), (y, x)):
            if (
                zero.high == 0
                and zero.noun == "person"
                and zero.frame
                and some.frame
                and some.low
                and some.noun in KINDS_OF_PEOPLE | PEOPLE_NOUNS
                and zero.frame.event == some.frame.event
            ):
                return Basis(kind="number", key=zero.frame.measure)  # fmt: skip
    return None


def aligned_figures_differ(a: Claim, b: Claim) -> Basis | None:
    """One figure of the same thing in each claim, and the two cannot both be true."""
    if (found := _none_against_some(a, b)) is not None:
        return found
    xs, ys = _slot_figures(a), _slot_figures(b)
    for noun in sorted(xs.keys() & ys.keys()):
        x, y = xs[noun], ys[noun]
        if x.frame and y.frame and not frames_match(x.frame, y.frame):
            continue  # another holder, time or part of the whole ("the 2019 floods killed 40")
        if values_compatible(x, y) is False:
            return Basis(kind="number", key=noun.split("|")[0])
    return None


def _stems(claim: Claim) -> list[str]:
    return [t[0] for t in tokens(claim)]


def opposed_outcomes(a: Claim, b: Claim) -> bool:
    """Outcome words of two excluding families of one row, the rest of the wording shared."""
    sa, sb = _stems(a), _stems(b)
    only_a = [s for s in sa if s not in sb]
    only_b = [s for s in sb if s not in sa]
    fa = {f for s in only_a if (f := outcome_family(s))}
    fb = {f for s in only_b if (f := outcome_family(s))}
    opposed = any(x[0] == y[0] and x[1] != y[1] for x in fa for y in fb)
    if not opposed or _parties_swapped(a, b):
        return False  # "Rovers beat United" / "United lost to Rovers": one outcome told from each side
    shared = len(set(sa) & set(sb))
    return shared >= 2 and shared >= max(len(set(only_a)), len(set(only_b)))


def _parties_swapped(a: Claim, b: Claim) -> bool:
    """Both name the same parties, in the other order: the first of one is the last of the other."""
    pa, pb = [t for t, _, _ in _parties(a)], [t for t, _, _ in _parties(b)]
    return len(pa) >= 2 and len(pb) >= 2 and pa[0] != pa[1] and pa[:2] == pb[1::-1]


_PROPER = re.compile(r"\b[A-Z][\w'’&-]*(?:\s+[A-Z][\w'’&-]*)*")
_NOT_PROPER = frozenset("The A An This That These Those It He She They We In On At For And But If When As".split())


def _parties(claim: Claim) -> list[tuple[str, int, int]]:
    """Runs of capitalised words (names of people, firms, teams, places), as (lower-case text, start, end)."""
    found = []
    for m in _PROPER.finditer(claim.quote):
        words = m.group(0).split()
        while words and words[0] in _NOT_PROPER:
            words = words[1:]
        if words:
            text = " ".join(words)
            found.append((text.lower(), m.end() - len(text), m.end()))
    return found


def swapped_roles(a: Claim, b: Claim) -> bool:
    """The same two named parties, the same words between them, in swapped order."""
    na, nb = _parties(a), _parties(b)
    for i, (x1, _, e1) in enumerate(na):
        for x2, s2, _ in na[i + 1 :]:
            y1 = next(((s, e) for t, s, e in nb if t == x2), None)
            y2 = next(((s, e) for t, s, e in nb if t == x1), None)
            if x1 == x2 or y1 is None or y2 is None or y1[0] >= y2[0]:
                continue
            between_a = _between(a.quote[e1:s2])
            between_b = _between(b.quote[y1[1] : y2[0]])
            if between_a and between_a == between_b:
                return True
    return False


def _between(text: str) -> list[str]:
    """The content words between two names, stemmed; none when they are only joined ("A and B", "A, B")."""
    words = [crude_stem(w) for w in re.findall(r"[A-Za-z]+", text.lower())]
    return [] if all(w in ("and", "or", "with", "the", "of", "vs", "v") for w in words) else words


# A forecast or a possibility: what others expect, or what may happen.
_FORECAST = re.compile(
    r"\b(?:(?:is|are|was|were|be)\s+(?:widely\s+)?(?:expected|likely|unlikely|forecast|predicted|projected)\s+to|"
    r"(?:had|has|have)\s+(?:\w+\s+)?(?:expected|forecast|predicted|projected|anticipated)|"
    r"could(?!\s+not)|might(?!\s+not)|(?-i:may)(?!\s+\d|\s+not)|forecasts?|predicts?|predicted)\b",
    re.IGNORECASE,
)
# A plan or an intention: what the one who speaks or acts means to do.
_PLAN = re.compile(
    r"\b(?:will|shall|should|(?:expects?|expected|plans?|planned|planning|aims?|aimed|hopes?|hoped|intends?|"
    r"intended|prepar(?:es|ed|ing)|(?:is|are|was|were)\s+(?:about|going|ready|set|poised|due|scheduled))\s+to)\b",
    re.IGNORECASE,
)
# A demand, a request or a proposal: what someone wants to happen.
_DEMAND = re.compile(
    r"\b(?:(?:asked|called|pushed|pressed)\s+for|demand(?:s|ed|ing)?|wants?|wanted|sought|seeks?|seeking|"
    r"request(?:s|ed|ing)?|propos(?:e|es|ed|ing)|recommend(?:s|ed|ing)?|urg(?:e|es|ed)\s+(?:the|a|an)\s+\w+\s+to)\b",
    re.IGNORECASE,
)
# kinds of statement that are never the same fact as a statement of another kind
_APART = frozenset(["forecast", "demand"])


def modality(claim: Claim) -> str:
    """What kind of statement a claim is: "forecast" (others' expectation or a possibility, or its
    figures are expectations: see values.py), "demand" (what someone asks for), "plan" (what its actor
    means to do: "will release", "plans to offer"), else "actual" (what happened or is)."""
    return _modality(claim.quote, any(v.aspect == "expected" for v in claim.values))


@lru_cache(maxsize=8192)
def _modality(quote: str, expected_figure: bool) -> str:
    if expected_figure or _FORECAST.search(quote):
        return "forecast"
    if _DEMAND.search(quote):
        return "demand"
    return "plan" if _PLAN.search(quote) else "actual"


def kinds_apart(a: Claim, b: Claim) -> bool:
    """A forecast or a demand against a statement of another kind: never one fact."""
    ka, kb = modality(a), modality(b)
    return ka != kb and bool({ka, kb} & _APART)


def _collective(claim: Claim) -> bool:
    return any(w.lower() in COLLECTIVE_ACTS for w in re.findall(r"[A-Za-z]+", claim.quote))


_NEGATION = re.compile(
    r"(?:\b(?:not|never|no longer|declined to|refused to)|n['’]t)\s+(?:\w+ly\s+|be\s+|been\s+|yet\s+)?(?P<verb>[a-z]+)",
    re.IGNORECASE,
)


_NOT_ASSERTED = re.compile(r"(?:\b(?:not|never|no|declined|refused|without)|n['’]t)\b", re.IGNORECASE)


def _negated(a: Claim, b: Claim) -> bool:
    """Yes against no: `a` says an act did not happen ("the coroner would not identify him") that `b`, worded
    alike, says did ("police named her"). Only claims already grouped as one fact are asked."""

    def lemma(word: str) -> str:
        return stem(word).removesuffix("e")  # "name" and "named" -> "nam"

    for m in _NEGATION.finditer(a.quote):
        verb = lemma(m.group("verb"))
        if len(verb) < 3 or m.group("verb").lower() in STOPWORDS:
            continue
        for w in WORD.finditer(b.quote):
            if lemma(w.group(0)) == verb and not _NOT_ASSERTED.search(b.quote[max(0, w.start() - 25) : w.start()]):
                return True
    return False


def negated(a: Claim, b: Claim) -> bool:
    """One of the two says an act did not happen that the other, worded alike, says did."""
    return _negated(a, b) or _negated(b, a)


def different_facts(a: Claim, b: Claim, different_actors: bool) -> bool:
    """Claims that cannot be one fact however alike their wording: an expectation, a demand or a plan
    against an outcome; different named people doing an act many can do at once, or an act on their
    own thing ("won his quarter-final"); dates or figures that differ where they belong to different
    events or holders; figures none of which can be compared with any of the other's (a difference
    against a level, a list against one price, an age against a duration). Two claims that are one
    sentence but for one detail are never different facts (see `minimal_difference`)."""
    if minimal_difference(a, b) is not None:
        return False
    if kinds_apart(a, b) or (modality(a) != modality(b) and negated(a, b)):
        return True  # a forecast or a demand against an outcome; a plan against a report it was not done
    others = different_actors or _opening_differs(a, b)
    if others and (_collective(a) or _own_thing(a)) and (_collective(b) or _own_thing(b)):
        return True
    if different_actors and _figures_of_no_event_differ(a, b):
        return True  # "sentenced Marco Reyes to eight years" / "sentenced Tony Vale to five": two people's
    return _unrelated_difference(a, b) or _incomparable_figures(a, b)


_OWN = re.compile(r"\b(?:his|her|their|its)\s+(?:own\s+)?[a-z]", re.IGNORECASE)


def _own_thing(claim: Claim) -> bool:
    return bool(_OWN.search(claim.quote))


def _incomparable_figures(a: Claim, b: Claim) -> bool:
    """Each claim gives figures of some kind, and none of one's can be set beside any of the other's.
    A bare figure ("the tally stands at 18") or the very same number may stand for anything: comparable."""
    xs = [v for v in a.values if v.kind == "number"]
    ys = [v for v in b.values if v.kind == "number"]
    if not xs or not ys or any(v.noun is None for v in xs + ys) or _none_against_some(a, b):
        return False
    return all(values_compatible(x, y) is None and (x.low, x.high) != (y.low, y.high) for x in xs for y in ys)


def _unrelated_difference(a: Claim, b: Claim) -> bool:
    """Dates that differ and date two events, when no figure of one measure ties the claims; or figures
    of one thing that differ and belong to different holders or times."""
    if matching(a, b):
        return False  # a figure of one measure, holder and time in both: one fact, whatever else differs
    dates = [(x, y) for x in a.values if x.kind == "date" for y in b.values if y.kind == "date"]
    if any(values_compatible(x, y) is False for x, y in dates) and not dates_disagree(a, b):
        return True  # "resumed on Tuesday" / "was halted on Monday": two events
    pairs = [
        (x, y)
        for x in a.values
        for y in b.values
        if x.kind == y.kind == "number" and x.noun is not None and (x.noun, x.aspect) == (y.noun, y.aspect)
    ]
    if any((x.low, x.high) == (y.low, y.high) for x, y in pairs):
        return False  # the very same figure in both: they share a fact
    return any(
        x.frame and y.frame and not frames_match(x.frame, y.frame) and values_compatible(x, y) is False
        for x, y in pairs
    )


_NEGATED = re.compile(
    r"\b(?:not|never|no longer|n['’]t|declined to|refused to)\s+(?:\w+ly\s+|be\s+|been\s+|yet\s+)?[a-z]+", re.IGNORECASE
)


def stated_outcome(claim: Claim, others: Sequence[Claim], kind: str) -> list[str]:
    """What a side of a yes/no, outcome or role conflict says, in its own words: "did not name",
    "approved", "Halvor Foods agreed to acquire Brightmill"."""
    if kind == "negation":
        found = _NEGATED.search(claim.quote)
        return [found.group(0)] if found else []
    if kind == "role":
        parties = _parties(claim)
        if len(parties) >= 2 and len(claim.quote[parties[0][1] : parties[1][2]].split()) <= 10:
            return [claim.quote[parties[0][1] : parties[1][2]]]
        return []
    rest = {s for o in others if o.id != claim.id for s in _stems(o)}
    words = [(t[0], t[1]) for t in tokens(claim)]
    return [word for stem_, word in words if stem_ not in rest and outcome_family(stem_)][:1]


def _figures_of_no_event_differ(a: Claim, b: Claim) -> bool:
    """Figures of one thing differ, and neither is the count of an event (a toll is the event's, whoever
    else the sentence names)."""
    return any(
        values_compatible(x, y) is False
        for x in a.values
        for y in b.values
        if x.kind == y.kind == "number" and x.noun is not None and x.noun == y.noun
        and not (x.frame and x.frame.event) and not (y.frame and y.frame.event)
    )  # fmt: skip


def figures_differ(a: Claim, b: Claim) -> bool:
    """Some figure of one claim cannot be a figure of the same thing in the other, whatever each stands for
    (an expected 4.4 percent and an actual 4.1 percent differ)."""
    return any(
        values_compatible(x, y) is False
        for x in a.values
        for y in b.values
        if x.kind == y.kind == "number" and x.noun is not None and x.noun == y.noun
    )


# Minimal difference: two sentences that are the same but for one short run of words.
MAX_DETAIL_WORDS = 3  # a differing run longer than this is a different sentence, not one detail
MIN_SHARED_WORDS = 4  # ... and the sentences must share at least this many words around it
_WORD_OR_FIGURE = re.compile(r"[$€£¥]?[\w'’.,-]*\w%?")
# words that may stand before whoever acts in a sentence: articles and titles ("the", "Officer", "Senator")
_SUBJECT_LEAD = frozenset(
    """the a an officer senator representative president mayor judge coach minister governor dr mr mrs ms
    striker midfielder defender goalkeeper captain director chief""".split()
)


_IRREGULAR = {"can": "can", "won": "will", "shan": "shall"}  # "won't" is "will not"
_IRREGULAR_NOT = re.compile(r"\b(can|won|shan)['’]t\b", re.IGNORECASE)


@lru_cache(maxsize=8192)
def _words_of(text: str) -> tuple[str, ...]:
    """Lower-case words and figures, accents folded and "n't" read as "not" ("couldn't" / "could not");
    cached: every pair of claims asks for both claims' words."""
    text = _IRREGULAR_NOT.sub(lambda m: _IRREGULAR[m.group(1).lower()] + " not", text)
    text = re.sub(r"n['’]t\b", " not", text)
    return tuple(fold(w.lower()) for w in _WORD_OR_FIGURE.findall(text))


@lru_cache(maxsize=16384)
def _changes(wa: tuple[str, ...], wb: tuple[str, ...]) -> list[tuple[str, int, int, int, int]]:
    """Where two word sequences differ (difflib's opcodes other than "equal"), once per pair; sequences
    too unlike to differ in one short run are not aligned at all (two changes stand for "many")."""
    if abs(len(wa) - len(wb)) > MAX_DETAIL_WORDS or len(set(wa) ^ set(wb)) > 2 * MAX_DETAIL_WORDS:
        return [("replace", 0, len(wa), 0, len(wb))] * 2
    return [op for op in SequenceMatcher(a=wa, b=wb, autojunk=False).get_opcodes() if op[0] != "equal"]


def minimal_difference(a: Claim, b: Claim) -> tuple[str, str] | None:
    """The one detail two claims differ in, as each words it ("lap 12" / "lap 21": "12", "21"), when
    they are one sentence but for a run of at most MAX_DETAIL_WORDS words that is not where the sentence
    names who acts (its opening words): then they state one fact with two values of that detail."""
    wa, wb = _words_of(a.quote), _words_of(b.quote)
    ops = _changes(wa, wb)
    if len(ops) != 1 or ops[0][0] != "replace":
        return None
    _, i1, i2, j1, j2 = ops[0]
    if max(i2 - i1, j2 - j1) > MAX_DETAIL_WORDS or len(wa) - (i2 - i1) < MIN_SHARED_WORDS:
        return None
    if _opens_sentence(a.quote, i1, wa):
        return None  # the opening words differ: who acts, not a detail of one act
    run_a, run_b = wa[i1:i2], wb[j1:j2]
    spelled = len(run_a) == len(run_b) == 1 and run_a[0].isalpha() and run_b[0].isalpha()
    if spelled and (one_edit(run_a[0], run_b[0]) or variant(run_a[0], run_b[0])):
        return None  # "advisers" / "advisors", a name one letter apart: spelling, judged as such (names.py)
    if any(w in SPEECH_VERBS or w == "according" for w in run_a + run_b):
        return None  # "according to AFP" / "Agence France-Presse reported": whom it credits, no detail of the fact
    if all(w in STOPWORDS or w in _MODAL_WORDS for w in run_a + run_b):
        return None  # "would not identify" / "did not identify", "will" / "plans to": small words, one act
    # a figure is read with the word after it ("30 security" flaws): what it counts
    with_a, with_b = wa[i1 : i2 + 1], wb[j1 : j2 + 1]
    if [_word_sense(w) for w in run_a] == [_word_sense(w) for w in run_b] or _figures_fit(with_a, with_b) is not False:
        return None
    if not (_is_value(run_a, a.quote) and _is_value(run_b, b.quote)):
        return None  # "the city" / "the capital": common words may be a paraphrase, never a dispute
    return " ".join(run_a), " ".join(run_b)


def _is_value(run: Sequence[str], quote: str) -> bool:
    """A run that states a value: a figure, an ordinal, a date, a name (capitalised inside its quote), or
    an outcome word ("won", "lifted")."""
    for word in run:
        if any(ch.isdigit() for ch in word) or word in ORDINAL_WORDS or word in CALENDAR_WORDS:
            return True
        if outcome_family(stem(word)) is not None or _capitalised(word, quote):
            return True
    return False


def _capitalised(word: str, quote: str) -> bool:
    """The word is written with a capital somewhere other than at the start of the quote: a name."""
    return any(
        m.start() > 0 and m.group(0)[0].isupper()
        for m in re.finditer(rf"\b{re.escape(word)}\b", fold(quote), re.IGNORECASE)
    )


# words that say how a statement is meant (a plan, an intention), not what it states
_MODAL_WORDS = frozenset("will shall plan plans planned expects expected intends intended aims set due going".split())


def _word_sense(word: str) -> str:
    """A word as a detail compares: its stem, synonyms made one, every word for leading a body "head"."""
    return "head" if word in LEADER_WORDS else stem(word)


def _opening_differs(a: Claim, b: Claim) -> bool:
    """One sentence but for who acts ("Nurses at St Anne's voted to strike" / "Doctors at ...")."""
    wa, wb = _words_of(a.quote), _words_of(b.quote)
    ops = _changes(wa, wb)
    if len(ops) != 1 or ops[0][0] != "replace" or not _opens_sentence(a.quote, ops[0][1], wa):
        return False
    _, i1, i2, j1, j2 = ops[0]
    return not any(v.kind == "number" for v in parse_values(" ".join(wa[i1:i2] + wb[j1:j2])))


def _opens_sentence(quote: str, start: int, words: Sequence[str]) -> bool:
    """The run at word `start` names who acts: it opens the sentence, or follows only a title or an
    article and is capitalised ("Officer Dana Price ...")."""
    if start == 0:
        return True
    original = _WORD_OR_FIGURE.findall(quote)
    lead = all(w in _SUBJECT_LEAD for w in words[:start])
    return lead and start < len(original) and original[start][:1].isupper()


def _figures_fit(run_a: Sequence[str], run_b: Sequence[str]) -> bool | None:
    """Whether two differing runs' figures fit together ("forty" / "40", "about 11" / "10.8"): True,
    False (they differ: "lap 12" / "lap 21"), or None when they cannot be compared (two currencies:
    the conversion is unknown, so neither agreement nor a dispute). Runs without figures differ."""
    xs = [v for v in parse_values(" ".join(run_a)) if v.kind == "number"]
    ys = [v for v in parse_values(" ".join(run_b)) if v.kind == "number"]
    if not xs or not ys:
        return False
    verdicts = [values_compatible(x, y) for x in xs for y in ys]
    if any(v is None for v in verdicts) and all(x.noun and y.noun and x.noun != y.noun for x in xs for y in ys):
        return None
    return all(v is True or (v is None and (x.low, x.high) == (y.low, y.high)) for v, (x, y) in
               zip(verdicts, [(x, y) for x in xs for y in ys], strict=True))  # fmt: skip
