"""Provenance: where each claim comes from, which articles copy one another, and how many
independent origins stand behind a fact.

"Four outlets agree" means little when all four run the same agency copy or quote the same
official. The rules, for an editor:

- **Origin.** A claim's origin is whom it credits (read by `credits.py`), normalised: a news agency
  ("according to AFP", "told Agence France-Presse": AFP), another outlet of the brief ("the BBC
  reported"), a person ("disaster agency spokesman Arif Wiranata Sastro": Sastro, who is also the
  disaster agency), or a body ("police", "the disaster agency"). A claim that credits only an
  unnamed person ("an official told AFP") has the agency it names as origin. A claim that credits
  nobody has its own outlet as origin, or, when its sentence is a near-copy of another article's,
  that article's origin for the sentence (wire copy counts once).
- **Near-copies.** Two sentences are near-copies when rapidfuzz's ratio of their lower-cased text
  (punctuation dropped; one minus the insertions and deletions needed, over both lengths) is at
  least `SENTENCE_MATCH`. A **run** is at least `RUN_SENTENCES` near-copied sentences in the same
  order in both articles, with at most one sentence between them on either side, and `RUN_WORDS`
  words in all: one shared sentence (a quote of the same official, a stock phrase) is no copy. An
  article whose runs hold at least `WHOLE_SHARE` of its sentence text is a near-copy **as a whole**.
  Which one copied is read from the dates: the newer article copies the older; on one day, or when
  a date is missing, the one listed later copies the one listed earlier (an undated one counts as later).
- **Independent origins.** Claims of one group have one origin when their origins are the same
  agency, outlet or person (by surname), or the same body (one's words all in the other's:
  "relief agency" and "National Emergency Relief Agency"), or a person and the body named in
  the person's title. An agreement says "3 outlets, 2 independent: AFP and the disaster agency";
  a conflict's sides each show their origin, and a conflict whose sides all have one origin is a
  dispute between reports of one source.

Why rapidfuzz, measured by `python -m bench.near_duplicates` (bench/RESULTS.md) on the five dev
stories' 28 articles, their edited copies and the 313 pairs of articles from different stories:
a dozen lines of our own (exact Jaccard of word pairs) found 27 of 28 heavily edited copies (three
words changed in every sentence) where rapidfuzz's ratio found all 28, and took ten times as long
(3.7 s against 0.35 s for 1,540 article pairs); datasketch's MinHash, made to find near-duplicates
among millions of documents, estimates the Jaccard we can compute exactly at this size, found 19 of
28, took 98 s, and brings numpy and scipy. None raised a false alarm. rapidfuzz is one compiled
wheel with no dependencies, kept up by its author for years.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from summarizer.citations import source_name
from summarizer.credits import rule_credit
from summarizer.models import Article, Claim, CopiedRun, Derivation, Group, Origin, Source
from summarizer.sentences import split_sentences

SENTENCE_MATCH = 0.8
RUN_SENTENCES = 2
RUN_WORDS = 20
WHOLE_SHARE = 0.5

# News agencies by the names articles give them: credits to any of these are one origin.
AGENCIES = {
    "AFP": ("AFP", "Agence France-Presse", "Agence France Presse", "Agence-France Presse", "Agence-France-Presse"),
    "AP": ("AP", "Associated Press"),
    "Reuters": ("Reuters", "Thomson Reuters"),
    "UPI": ("UPI", "United Press International"),
    "dpa": ("dpa", "DPA", "Deutsche Presse-Agentur"),
    "Xinhua": ("Xinhua",),
    "Bloomberg": ("Bloomberg",),
    "Kyodo": ("Kyodo",),
    "Yonhap": ("Yonhap",),
    "PTI": ("PTI", "Press Trust of India"),
    "ANI": ("ANI", "Asian News International"),
    "IANS": ("IANS",),
    "EFE": ("EFE",),
    "ANSA": ("ANSA",),
    "TASS": ("TASS",),
    "Interfax": ("Interfax",),
    "Anadolu": ("Anadolu", "Anadolu Agency"),
    "Antara": ("Antara",),
    "Bernama": ("Bernama",),
    "AAP": ("AAP", "Australian Associated Press"),
}


def _alias_pattern(alias: str) -> str:
    """An agency's name as a pattern: acronyms as written ("AP", not "ap"), names in any case, with a
    space or a hyphen between words ("Agence-France Presse")."""
    if alias.isupper() or len(alias) <= 4:
        return re.escape(alias)
    return "(?i:" + "[- ]".join(re.escape(w) for w in re.split(r"[- ]", alias)) + ")"


_AGENCY_RE = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(_alias_pattern(a) for aliases in AGENCIES.values() for a in sorted(aliases, key=len, reverse=True))
    + r")(?![\w-])"
)
_AGENCY_OF = {
    " ".join(alias.lower().replace("-", " ").split()): name for name, aliases in AGENCIES.items() for alias in aliases
}
# A credit that names nobody in particular: its origin is the agency the sentence names, if any.
_ANONYMOUS = frozenset(
    """official officials source sources witness witnesses resident residents report reports spokesman
    spokeswoman spokesperson journalist reporter correspondent someone person people""".split()
)
# Words that make a capitalised run a title or a body, not a person's name.
_TITLES = frozenset(
    """chief police lt lieutenant sgt sergeant sheriff undersheriff deputy spokesman spokeswoman spokesperson
    president vice director minister secretary governor gov mayor senator sen rep representative dr doctor
    professor prof officer commissioner captain capt general gen col colonel detective judge attorney
    prosecutor chairman chairwoman chair ceo cfo coo executive head manager coach agent inspector
    superintendent supt councillor councilman councilwoman ambassador king queen prince pope bishop
    official analyst mr mrs ms""".split()
)
_BODY_WORDS = frozenset(
    """police survey agency ministry department office service committee council company inc corp corporation
    ltd university hospital court house senate government association institute center centre bureau
    commission board administration authority foundation party club team force forces army navy
    military guard church union federation organisation organization group firm bank fund network
    station newspaper magazine times post journal news transit power light energy electric utility utilities
    airline airlines airways ferries railway railways motors holdings partners capital labs media systems
    technologies pharmaceuticals foods industries services cooperative""".split()
)
_DETERMINERS = frozenset("the a an one two some several its his her their this that local".split())
_NAME_SUFFIXES = frozenset("jr jr. sr sr. ii iii iv".split())
_HEADER_LINE = re.compile(r"^\s*(?:Title|Outlet|Source|Date|Published|URL|By|Author):", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def _words(text: str) -> list[str]:
    """Lower-case words, a possessive's "'s" dropped ("the pharmacy's owner": pharmacy, owner)."""
    return [w.removesuffix("'s") for w in _WORD.findall(text.lower().replace("’", "'"))]


def _content(text: str) -> list[str]:
    """The words of a name or credit, lower case, without determiners and plural -s."""
    words = [w for w in _words(text) if w not in _DETERMINERS]
    return [w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words]


# --- near-copies -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Sentence:
    start: int
    end: int
    words: int
    text: str  # lower case, punctuation dropped (rapidfuzz's default processing): what is compared


def _sentences(article: Article) -> list[_Sentence]:
    """An article's sentences (header lines left out), each ready to compare."""
    out: list[_Sentence] = []
    for span in split_sentences(article.text):
        text = article.text[span.start : span.end]
        words = _words(text)
        if words and not _HEADER_LINE.match(text):
            out.append(_Sentence(span.start, span.end, len(words), default_process(text)))
    return out


def similarity(a: str, b: str) -> float:
    """How alike two sentences are, 0 to 1: rapidfuzz's ratio of their lower-cased text (1 - the
    edit distance in insertions and deletions over both lengths)."""
    return float(fuzz.ratio(a, b, processor=default_process)) / 100


def _matches(copy: list[_Sentence], original: list[_Sentence]) -> list[tuple[int, int, float]]:
    """For each sentence of `copy`, the original's sentence it nearly copies, if any: (i, j, similarity)."""
    choices = [s.text for s in original]
    found: list[tuple[int, int, float]] = []
    for i, s in enumerate(copy):
        best = process.extractOne(s.text, choices, scorer=fuzz.ratio, score_cutoff=SENTENCE_MATCH * 100)
        if best is not None:
            found.append((i, best[2], best[1] / 100))
    return found


def _runs(matches: list[tuple[int, int, float]]) -> list[list[tuple[int, int, float]]]:
    """Matched sentences chained in order in both articles, at most one sentence apart on either side."""
    runs: list[list[tuple[int, int, float]]] = []
    for m in matches:
        last = runs[-1][-1] if runs else None
        if last is not None and m[0] - last[0] <= 2 and 0 < m[1] - last[1] <= 2:
            runs[-1].append(m)
        else:
            runs.append([m])
    return runs


def _copied_runs(mine: list[_Sentence], theirs: list[_Sentence]) -> list[list[tuple[int, int, float]]]:
    """The runs of `mine` that nearly copy `theirs`, long enough to count (see the rules above)."""
    return [
        run
        for run in _runs(_matches(mine, theirs))
        if len(run) >= RUN_SENTENCES and sum(mine[i].words for i, _, _ in run) >= RUN_WORDS
    ]


def _derivation(
    original_id: str, mine: list[_Sentence], theirs: list[_Sentence], runs: list[list[tuple[int, int, float]]]
) -> Derivation:
    total = sum(s.end - s.start for s in mine) or 1
    copied = sum(mine[i].end - mine[i].start for run in runs for i, _, _ in run)
    return Derivation(
        source_id=original_id,
        whole=copied / total >= WHOLE_SHARE,
        share=round(copied / total, 3),
        runs=[
            CopiedRun(
                start=mine[run[0][0]].start,
                end=mine[run[-1][0]].end,
                source_start=theirs[run[0][1]].start,
                source_end=theirs[run[-1][1]].end,
                sentences=len(run),
                similarity=round(sum(sim for _, _, sim in run) / len(run), 3),
            )
            for run in runs
        ],
    )


def derivation(copy: Article, original: Article) -> Derivation | None:
    """How `copy` nearly copies `original`: its runs of near-copied sentences, or None when it does not."""
    mine, theirs = _sentences(copy), _sentences(original)
    runs = _copied_runs(mine, theirs)
    return _derivation(original.id, mine, theirs, runs) if runs else None


def reading_order(articles: Sequence[Article], days: Mapping[str, date | None]) -> list[Article]:
    """Articles oldest first (an undated one after the dated ones), in input order within a day."""
    position = {a.id: i for i, a in enumerate(articles)}
    return sorted(articles, key=lambda a: (days.get(a.id) is None, days.get(a.id) or date.min, position[a.id]))


@dataclass
class Copies:
    """Which articles nearly copy which: derivations by article, and each copied sentence's original."""

    derived: dict[str, list[Derivation]] = field(default_factory=dict)
    # article id -> (start, end) of a copied sentence -> (the original's id, that sentence's start, end)
    sentences: dict[str, dict[tuple[int, int], tuple[str, int, int]]] = field(default_factory=dict)

    def original_of(self, article_id: str, offset: int) -> tuple[str, int, int] | None:
        """The original sentence that the sentence at `offset` of an article nearly copies, if any."""
        for (start, end), original in self.sentences.get(article_id, {}).items():
            if start <= offset < end:
                return original
        return None


def find_copies(articles: Sequence[Article], days: Mapping[str, date | None]) -> Copies:
    """For each article, the earlier articles it nearly copies (see the rules above); a sentence
    copied from several keeps the earliest original."""
    ordered = reading_order(articles, days)
    sentences = {a.id: _sentences(a) for a in ordered}
    copies = Copies()
    for k, copy in enumerate(ordered):
        mine = sentences[copy.id]
        for original in ordered[:k]:
            theirs = sentences[original.id]
            runs = _copied_runs(mine, theirs)
            if not runs:
                continue
            copies.derived.setdefault(copy.id, []).append(_derivation(original.id, mine, theirs, runs))
            pairs = copies.sentences.setdefault(copy.id, {})
            for i, j, _ in (m for run in runs for m in run):
                pairs.setdefault((mine[i].start, mine[i].end), (original.id, theirs[j].start, theirs[j].end))
    return copies


# --- origins -----------------------------------------------------------------------------------


def agency_in(text: str) -> str | None:
    """The news agency a text names ("told Agence-France Presse" -> "AFP"), if any."""
    found = _AGENCY_RE.search(text)
    return _AGENCY_OF.get(" ".join(found.group(0).lower().replace("-", " ").split())) if found else None


def _person(words: list[str]) -> tuple[list[str], list[str]] | None:
    """A credit read as (title or affiliation, name) when it ends in a person's name: "disaster agency
    spokesman Arif Wiranata Sastro" -> (["disaster", "agency", "spokesman"], ["Arif", "Wiranata", "Sastro"])."""
    bare = [w.strip(".,'’\"“”") for w in words]
    name_start = len(bare)
    while name_start > 0 and (bare[name_start - 1][:1].isupper() or bare[name_start - 1] == "&"):
        name_start -= 1
    run = bare[name_start:]
    # the name follows the last title or body word: "Harlow Police Chief Dana Pruitt"
    run = run[max((i + 1 for i, w in enumerate(run) if w.lower() in _TITLES | _BODY_WORDS), default=0) :]
    if not run or len(run) > 4 or "&" in run or any(w.lower() in _BODY_WORDS for w in run):
        return None  # no name, or a body: "the Coastal Survey Office", "Averly Power & Light"
    if len(run) == 1 and run[0].isupper() and len(run[0]) > 1:
        return None  # an acronym: a body
    if bare[0].lower() in _DETERMINERS and len(run) == len(bare) - 1:
        return None  # "the Pentagon": a body with an article
    return bare[: len(bare) - len(run)], run


_PREPOSITION = re.compile(r"\s(?:from|by|of|at|in|for|with|on|to)\s", re.IGNORECASE)
# Heads of a credit that name no source of their own: "figures from the utility", "an official from the agency"
_CARRIERS = _ANONYMOUS | frozenset(
    """figure figures data notice statement document documents filing filings record records number numbers
    estimate estimates count tally release memo letter post email e-mail""".split()
)


def _named(text: str) -> tuple[str, str]:
    """The part of a credit that names its source, and the rest: "figures from Averly Power & Light" ->
    "Averly Power & Light"; "Arif Wiranata Sastro of the disaster agency" -> the name, "the disaster agency"."""
    found = _PREPOSITION.search(text)
    if found is None:
        return text, ""
    head, tail = text[: found.start()], text[found.end() :]
    return _named(tail) if set(_words(head)) & _CARRIERS else (head, tail)


def _as_origin(text: str, outlets: Mapping[str, str]) -> Origin | None:
    """A named source as an origin: an agency, an outlet of the brief, a person or a body."""
    agency = agency_in(text)
    if agency is not None:
        return Origin(name=agency, key=f"agency:{agency.lower()}", kind="agency")
    words = _content(text)
    if not words or set(words) <= _ANONYMOUS | {"local", "senior", "unnamed", "anonymous", "government"}:
        return None
    for outlet, shown in outlets.items():
        if _within(words, outlet.split()):
            return Origin(name=shown, key=f"outlet:{outlet}", kind="outlet")
    person = _person(text.split())
    if person is not None:
        title, name = person
        surname = [w for w in name if w.lower() not in _NAME_SUFFIXES][-1].lower()
        return Origin(name=" ".join(name), key=f"person:{surname}|{' '.join(_content(' '.join(title)))}", kind="person")
    first = text.split()[0]
    shown = "the " + text.split(None, 1)[1] if first.lower() in ("a", "an", "one") and " " in text else text
    return Origin(name=shown, key=f"body:{' '.join(words)}", kind="body")


def read_origin(credit: str, quote: str, outlets: Mapping[str, str]) -> Origin | None:
    """A credit as an origin; a credit that names nobody in particular ("an official told AFP") has
    the agency the quote names, or no origin of its own (None).

    `outlets` maps each source's normalised outlet name to the name a reader sees."""
    text = " ".join(credit.split())
    agency = agency_in(text)
    if agency is not None:  # "an AFP reporter on the spot"
        return Origin(name=agency, key=f"agency:{agency.lower()}", kind="agency")
    name, _, apposition = text.partition(", ")
    named, rest = _named(name)
    origin = _as_origin(named, outlets)
    if origin is not None and origin.kind == "person" and (rest or apposition):
        # "Fauzi, an official of the agency", "Nugroho of the disaster agency": the person's body
        surname, _, title = origin.key.partition("|")
        affiliation = " ".join(w for w in [title, *_content(f"{rest} {apposition}")] if w)
        origin = origin.model_copy(update={"key": f"{surname}|{affiliation}"})
    if origin is None and (agency := agency_in(quote)) is not None:
        return Origin(name=agency, key=f"agency:{agency.lower()}", kind="agency")
    return origin


def outlet_key(source: Source) -> str:
    """A source's outlet, normalised for matching credits ("The Valley Express" -> "valley expres")."""
    name = re.sub(r"\([^)]*\)", " ", source.outlet or "")
    return " ".join(_content(name)) or f"source {source.id.lower()}"


def own_origin(source: Source, article: Article | None) -> Origin:
    """The origin of what an article says without credit: its outlet, or the agency whose copy it is
    (an outlet that is an agency, or a wire dateline: "JAKARTA (AP) —")."""
    agency = agency_in(source.outlet or "")
    if agency is None and article is not None:
        dateline = _DATELINE.search(article.text[:600])
        agency = _AGENCY_OF.get(dateline.group(1).lower()) if dateline else None
    if agency is not None:
        return Origin(name=agency, key=f"agency:{agency.lower()}", kind="agency")
    return Origin(name=source_name(source, source.id), key=f"outlet:{outlet_key(source)}", kind="own")


_DATELINE = re.compile(r"\((AP|AFP|Reuters|UPI|dpa|Xinhua|PTI|AAP)\)\s*[-–—:]")


@dataclass
class Tracer:
    """Reads every claim's origin, following near-copied sentences back to the article they come from."""

    articles: dict[str, Article]
    sources: dict[str, Source]
    copies: Copies
    outlets: dict[str, str]  # normalised outlet name -> the name a reader sees

    @classmethod
    def of(cls, articles: Sequence[Article], sources: Sequence[Source], copies: Copies) -> Tracer:
        return cls(
            articles={a.id: a for a in articles},
            sources={s.id: s for s in sources},
            copies=copies,
            outlets={outlet_key(s): source_name(s, s.id) for s in sources if s.outlet},
        )

    def sentence_origin(self, article_id: str, offset: int, depth: int = 0) -> Origin:
        """The origin of uncredited text at `offset`: the original's, for a near-copied sentence."""
        found = self.copies.original_of(article_id, offset) if depth < 10 else None
        if found is None:
            return own_origin(self.sources[article_id], self.articles.get(article_id))
        original_id, start, end = found
        credit = rule_credit(self.articles[original_id].text[start:end])
        text = self.articles[original_id].text[start:end]
        origin = read_origin(credit, text, self.outlets) if credit else None
        origin = origin or self.sentence_origin(original_id, start, depth + 1)
        return origin.model_copy(update={"via": original_id})

    def claim_origin(self, claim: Claim) -> Origin:
        """Whom the claim credits, normalised, else the origin of its sentence."""
        origin = read_origin(claim.attributed_to, claim.quote, self.outlets) if claim.attributed_to else None
        if origin is None and claim.attributed_to is None and (agency := agency_in(claim.quote)) is not None:
            origin = Origin(name=agency, key=f"agency:{agency.lower()}", kind="agency")  # "an AFP reporter saw ..."
        if origin is None:
            return self.sentence_origin(claim.source_id, claim.start)
        copied = self.copies.original_of(claim.source_id, claim.start)
        return origin.model_copy(update={"via": copied[0]}) if copied else origin


def _parts(key: str) -> tuple[str, list[str], list[str]]:
    """An origin key as (kind, main words, affiliation words): "person:nugroho|disaster agency spokesman"."""
    kind, _, rest = key.partition(":")
    main, _, affiliation = rest.partition("|")
    return kind, main.split(), affiliation.split()


def _within(small: list[str], large: list[str]) -> bool:
    """One body's name inside another's: every word of it, ending on the same head noun."""
    return bool(small) and set(small) <= set(large) and small[-1] in large


def same_origin(a: Origin, b: Origin) -> bool:
    """Whether two origins are one: the same agency, outlet or person (surname), a body named inside
    another's name, or a person and the body of the person's title."""
    if a.key == b.key:
        return True
    (ka, ma, aa), (kb, mb, ab) = _parts(a.key), _parts(b.key)
    if ka == kb == "person":
        return ma == mb
    if ka == kb and ka in ("body", "outlet"):
        return _within(ma, mb) or _within(mb, ma)
    if {ka, kb} == {"person", "body"}:
        body, affiliation = (ma, ab) if ka == "body" else (mb, aa)
        return _within(body, affiliation)
    return False


def _display(origins: list[Origin]) -> str:
    """The name of one origin as the brief prints it: a body's name over a person's, the longest spelling."""
    preferred = [o for o in origins if o.kind == "body"] or origins
    return max((o.name for o in preferred), key=len)


def origin_clusters(origins: Sequence[Origin]) -> list[list[int]]:
    """The indices of `origins`, in groups of one origin each, in order of first appearance."""
    clusters: list[list[int]] = []
    for i, o in enumerate(origins):
        home = [c for c in clusters if any(same_origin(o, origins[j]) for j in c)]
        if home:
            merged = [j for c in home for j in c] + [i]
            clusters = [c for c in clusters if c not in home] + [sorted(merged)]
            clusters.sort(key=lambda c: c[0])
        else:
            clusters.append([i])
    return clusters


def count_origins(groups: Sequence[Group], claims: Sequence[Claim]) -> list[Group]:
    """Each group of several sources with its outlets and independent origins; each conflict side
    with its origin's name."""
    by_id = {c.id: c for c in claims}
    counted: list[Group] = []
    for g in groups:
        members = [by_id[cid] for cid in g.claim_ids if cid in by_id and by_id[cid].origin is not None]
        if g.status == "single" or not members:
            counted.append(g)
            continue
        origins = [c.origin for c in members if c.origin is not None]
        clusters = origin_clusters(origins)
        names = [_display([origins[j] for j in c]) for c in clusters]
        name_of = {members[j].id: names[k] for k, c in enumerate(clusters) for j in c}
        stances = {cid: s.model_copy(update={"origin": name_of.get(cid)}) for cid, s in g.stances.items()}
        counted.append(
            g.model_copy(
                update={
                    "outlets": len({c.source_id for c in members}),
                    "independent": len(clusters),
                    "origins": names,
                    "stances": stances,
                }
            )
        )
    return counted


def trace_origins(
    articles: Sequence[Article], sources: Sequence[Source], claims: Sequence[Claim], days: Mapping[str, date | None]
) -> tuple[list[Source], list[Claim]]:
    """The sources with what they nearly copy, and the claims with their origins."""
    present = [a for a in articles if a.id in {s.id for s in sources}]
    copies = find_copies(present, days)
    tracer = Tracer.of(present, sources, copies)
    traced_sources = [s.model_copy(update={"derived_from": copies.derived.get(s.id, [])}) for s in sources]
    traced_claims = [
        c.model_copy(update={"origin": tracer.claim_origin(c)}) if c.source_id in tracer.sources else c for c in claims
    ]
    return traced_sources, traced_claims


# --- in words ----------------------------------------------------------------------------------

_NUMBER_WORDS = "zero one two three four five six seven eight nine ten eleven twelve".split()


def _count(n: int, spelled: bool) -> str:
    return _NUMBER_WORDS[n] if spelled and n < len(_NUMBER_WORDS) else str(n)


def _listed(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" and {names[-1]}"


def origins_phrase(group: Group, *, spelled: bool = False) -> str:
    """How many outlets state a group's fact and how many independent origins stand behind them:
    "3 outlets, 2 independent: AFP and the disaster agency", "4 outlets, one origin: AFP" ("" when
    not counted). `spelled` writes the counts in words, as the summary must (its digits are checked)."""
    if group.outlets is None or group.independent is None or not group.origins:
        return ""
    outlets = f"{_count(group.outlets, spelled)} outlet{'s' if group.outlets != 1 else ''}"
    if group.independent == 1:
        return f"{outlets}, one origin: {group.origins[0]}"
    return f"{outlets}, {_count(group.independent, spelled)} independent: {_listed(group.origins)}"


# Conflicts over how the outlets themselves wrote something (a name's spelling, a title, who is named):
# their sides are the outlets' words, whomever the sentence credits.
_OUTLETS_OWN_WORDS = frozenset(("spelling", "title", "name"))


def one_origin_note(group: Group) -> str:
    """For a conflict whose sides all come from one origin: that it is a dispute between reports of one
    source ("police said 12" / "police said 18"). Not for a conflict over the outlets' own words."""
    if group.status != "conflict" or group.independent != 1 or not group.origins:
        return ""
    if group.judged_on is not None and group.judged_on.kind in _OUTLETS_OWN_WORDS:
        return ""
    return f"Every side comes from one origin, {group.origins[0]}: a dispute between reports of one source."


def derived_notes(sources: Sequence[Source], labels: Mapping[str, str]) -> list[str]:
    """One line per near-copy: "S5 is mostly a near-copy of S2 (52% of its text): what it copies counts as S2's"."""
    notes: list[str] = []
    for s in sources:
        for d in s.derived_from:
            mine, theirs = labels.get(s.id, s.id), labels.get(d.source_id, d.source_id)
            sentences = sum(r.sentences for r in d.runs)
            if d.whole:
                notes.append(
                    f"{mine} is mostly a near-copy of {theirs} ({round(d.share * 100)}% of its text): "
                    f"what it copies counts as {theirs}'s."
                )
            else:
                notes.append(
                    f"{mine} repeats {sentences} sentences of {theirs} nearly word for word: those count as {theirs}'s."
                )
    return notes
