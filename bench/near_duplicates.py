"""Near-copy detection: rapidfuzz (what provenance.py uses) against a few lines of our own (word-pair
Jaccard) and datasketch (MinHash), on real news.

    python -m bench.near_duplicates [--corpus ../shared/corpus/realnews-dev] [--stories a,b,...]

Every method runs the same rule (provenance.py: runs of at least two near-copied sentences in order,
twenty words in all; an article mostly made of runs is a copy as a whole); only the sentence
similarity differs:
- rapidfuzz: `fuzz.ratio` of the lower-cased sentences, punctuation dropped (an edit-distance ratio),
  at 0.8: provenance.py's own matching; and at 0.7;
- word pairs: exact Jaccard of the sentences' word pairs (bigrams), at 0.5, in a dozen lines here;
- datasketch: MinHash (128 permutations) of the same word pairs, candidates from `MinHashLSH` at 0.5
  (skipped when datasketch is not installed: it is no dependency of summarizer).

What is measured, on the stories' articles:
- edited copies: each article again, with a new first paragraph (two sentences of an article of
  another story) and one word changed in every third sentence ("light"), or three words changed in
  every sentence ("heavy"): how many are found as copies of their article as a whole;
- article pairs of different stories, which share no copy: how many are marked (false alarms);
- article pairs of one story: which are marked (read them: a true copy or not);
- the seconds to compare every pair of the originals and the light copies together.
Prints a table and one JSON line.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from summarizer.articles import load_articles
from summarizer.models import Article
from summarizer.provenance import (
    RUN_SENTENCES,
    RUN_WORDS,
    SENTENCE_MATCH,
    WHOLE_SHARE,
    _matches,
    _runs,
    _Sentence,
    _sentences,
)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "realnews-dev"
# the five dev stories that are not scored blind
DEFAULT_STORIES = (
    "indonesia-aceh-quake-2013,troy-office-shooting-2007,amd-seamicro-deal-2012,creighton-drake-mvc-2013,"
    "surgeon-general-nominee-2009"
)

Match = list[tuple[int, int, float]]  # for sentences of the copy, the original's sentence it nearly copies
Matcher = Callable[[Article, list[_Sentence], Article, list[_Sentence]], Match]


def rapidfuzz_ours(copy: Article, mine: list[_Sentence], original: Article, theirs: list[_Sentence]) -> Match:
    """provenance.py's own matching: rapidfuzz's ratio, best match per sentence (`process.extractOne`)."""
    return _matches(mine, theirs)


def rapidfuzz_at(threshold: float) -> Matcher:
    def match(copy: Article, mine: list[_Sentence], original: Article, theirs: list[_Sentence]) -> Match:
        choices = [t.text for t in theirs]
        found = []
        for i, s in enumerate(mine):
            best = process.extractOne(s.text, choices, scorer=fuzz.ratio, score_cutoff=threshold * 100)
            if best is not None:
                found.append((i, best[2], best[1] / 100))
        return found

    return match


def _pairs(s: _Sentence) -> frozenset[tuple[str, ...]]:
    words = s.text.split()
    return frozenset(tuple(words[i : i + 2]) for i in range(max(1, len(words) - 1)))


def word_pairs(copy: Article, mine: list[_Sentence], original: Article, theirs: list[_Sentence]) -> Match:
    """The few lines of our own: exact Jaccard of word pairs, at 0.5."""
    found = []
    ours, others = [_pairs(s) for s in mine], [_pairs(t) for t in theirs]
    for i, a in enumerate(ours):
        best = max(((len(a & b) / len(a | b), j) for j, b in enumerate(others)), default=(0.0, -1))
        if best[0] >= 0.5:
            found.append((i, best[1], best[0]))
    return found


def datasketch_lsh() -> Matcher | None:
    try:
        from datasketch import MinHash, MinHashLSH
    except ImportError:
        return None

    def signature(s: _Sentence) -> Any:
        m = MinHash(num_perm=128, seed=1)
        for shingle in _pairs(s):
            m.update(" ".join(shingle).encode("utf-8"))
        return m

    def match(copy: Article, mine: list[_Sentence], original: Article, theirs: list[_Sentence]) -> Match:
        lsh = MinHashLSH(threshold=0.5, num_perm=128)
        signatures = [signature(t) for t in theirs]
        for j, sig in enumerate(signatures):
            lsh.insert(str(j), sig)
        found = []
        for i, s in enumerate(mine):
            sig = signature(s)
            scored = [(sig.jaccard(signatures[int(j)]), int(j)) for j in lsh.query(sig)]
            best = max(scored, default=(0.0, -1))
            if best[0] >= 0.5:
                found.append((i, best[1], best[0]))
        return found

    return match


@dataclass(frozen=True)
class Verdict:
    runs: int
    whole: bool


_SPLIT: dict[str, list[_Sentence]] = {}


def _split(article: Article) -> list[_Sentence]:
    """An article's sentences, split once (the split is the same for every method)."""
    if article.id not in _SPLIT:
        _SPLIT[article.id] = _sentences(article)
    return _SPLIT[article.id]


def judge(matcher: Matcher, copy: Article, original: Article) -> Verdict:
    mine, theirs = _split(copy), _split(original)
    runs = [
        run
        for run in _runs(matcher(copy, mine, original, theirs))
        if len(run) >= RUN_SENTENCES and sum(mine[i].words for i, _, _ in run) >= RUN_WORDS
    ]
    total = sum(s.end - s.start for s in mine) or 1
    copied = sum(mine[i].end - mine[i].start for run in runs for i, _, _ in run)
    return Verdict(len(runs), bool(runs) and copied / total >= WHOLE_SHARE)


def edited_copy(article: Article, lead: Article, every: int, changes: int) -> Article:
    """The article with two sentences of `lead` before it and `changes` words changed in every `every`-th
    sentence (spread over the sentence)."""
    first = [article_text(lead, s) for s in _split(lead)[:2]]
    body = []
    for k, s in enumerate(_split(article)):
        words = article_text(article, s).split()
        if k % every == 0 and len(words) > 6:
            for n in range(1, changes + 1):
                words[len(words) * n // (changes + 1)] = "reportedly"
        body.append(" ".join(words))
    return Article(id=f"{article.id}~copy{every}x{changes}", text="\n".join(first + body) + "\n")


def article_text(article: Article, s: _Sentence) -> str:
    return article.text[s.start : s.end]


def measure(matcher: Matcher, stories: dict[str, list[Article]]) -> dict[str, Any]:
    everything = [a for arts in stories.values() for a in arts]
    story_of = {a.id: name for name, arts in stories.items() for a in arts}
    leads = everything[1:] + everything[:1]
    other = [
        lead if story_of[lead.id] != story_of[a.id] else everything[-1]
        for a, lead in zip(everything, leads, strict=True)
    ]
    light = [edited_copy(a, lead, 3, 1) for a, lead in zip(everything, other, strict=True)]
    heavy = [edited_copy(a, lead, 1, 3) for a, lead in zip(everything, other, strict=True)]
    found_light = sum(judge(matcher, c, a).whole for c, a in zip(light, everything, strict=True))
    found_heavy = sum(judge(matcher, c, a).whole for c, a in zip(heavy, everything, strict=True))
    cross = [(a, b) for a, b in combinations(everything, 2) if story_of[a.id] != story_of[b.id]]
    alarms = sum(judge(matcher, a, b).runs > 0 or judge(matcher, b, a).runs > 0 for a, b in cross)
    within = []
    for arts in stories.values():
        for a, b in combinations(arts, 2):
            for copy, original in ((b, a), (a, b)):
                v = judge(matcher, copy, original)
                if v.runs:
                    whole = ", whole" if v.whole else ""
                    within.append(f"{story_of[a.id]}: {copy.id} <- {original.id} ({v.runs} runs{whole})")
    pool = everything + light
    started = time.perf_counter()
    for a, b in combinations(pool, 2):
        judge(matcher, b, a)
    seconds = time.perf_counter() - started
    return {
        "light_found": f"{found_light}/{len(everything)}",
        "heavy_found": f"{found_heavy}/{len(everything)}",
        "cross_story_alarms": f"{alarms}/{len(cross)}",
        "seconds_all_pairs": round(seconds, 2),
        "pairs": len(pool) * (len(pool) - 1) // 2,
        "within_story_marked": within,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    parser.add_argument("--stories", default=DEFAULT_STORIES)
    args = parser.parse_args(argv)
    stories = {name: load_articles([str(Path(args.corpus) / name)]) for name in args.stories.split(",")}
    methods: dict[str, Matcher | None] = {
        f"rapidfuzz ratio {SENTENCE_MATCH} (provenance)": rapidfuzz_ours,
        "rapidfuzz ratio 0.7": rapidfuzz_at(0.7),
        "word pairs, Jaccard 0.5 (own)": word_pairs,
        "datasketch MinHashLSH 0.5": datasketch_lsh(),
    }
    results = {}
    for name, matcher in methods.items():
        if matcher is None:
            print(f"{name}: not installed, skipped")
            continue
        results[name] = measure(matcher, stories)
        r = results[name]
        print(
            f"{name:32} light copies {r['light_found']:>6}  heavy copies {r['heavy_found']:>6}  "
            f"cross-story alarms {r['cross_story_alarms']:>7}  all {r['pairs']} pairs {r['seconds_all_pairs']:>6} s"
        )
        for line in r["within_story_marked"]:
            print(f"    {line}")
    print(json.dumps({"near_duplicates": results}, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
