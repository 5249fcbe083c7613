"""The cross-domain pair suite's scores: `python -m bench --pairs [-v] [--pairs-file FILE]`.

Prints the accuracy per domain and overall, a confusion matrix (gold label in rows, the grouping's
verdict in columns; a pair only "worth checking" counts as separate), with -v every misjudged pair,
and one JSON line of the same figures. No model is involved: the rules alone judge each pair.
"""

from __future__ import annotations

import json
from pathlib import Path

from summarizer.pairs import LABELS, Score, load_pairs, score

SUITE = Path(__file__).resolve().parent.parent / "tests" / "pairs" / "pairs.json"


def _table(result: Score) -> list[str]:
    counts: dict[str, list[int]] = {}
    for o in result.outcomes:
        tally = counts.setdefault(o.pair.domain, [0, 0])
        tally[0] += 1
        tally[1] += o.right
    lines = [f"{'domain':<24}{'pairs':>7}{'right':>7}{'accuracy':>10}"]
    lines += [f"{d:<24}{n:>7}{r:>7}{r / n:>10.2f}" for d, (n, r) in counts.items()]
    right = sum(o.right for o in result.outcomes)
    lines.append(f"{'overall':<24}{len(result.outcomes):>7}{right:>7}{result.accuracy:>10.2f}")
    return lines


def _matrix(result: Score) -> list[str]:
    checking = sum(o.verdict == "worth_checking" for o in result.outcomes)
    lines = [f"confusion matrix (rows: gold; columns: judged; 'worth checking' counted as separate: {checking})"]
    lines.append(f"{'gold / judged':<16}" + "".join(f"{label:>10}" for label in LABELS))
    for gold, row in result.confusion().items():
        lines.append(f"{gold:<16}" + "".join(f"{row[label]:>10}" for label in LABELS))
    return lines


def _misjudged(result: Score) -> list[str]:
    lines = [f"misjudged pairs ({len(result.wrong())}):"]
    for o in result.wrong():
        lines.append(f"  {o.pair.id}  gold {o.pair.label}, judged {o.verdict}  ({o.pair.note})")
        lines.append(f"      a: {o.pair.a.text}")
        lines.append(f"      b: {o.pair.b.text}")
    return lines


def report(path: Path = SUITE, verbose: bool = False) -> int:
    """Score the suite at `path` and print its tables (and with `verbose` every misjudged pair)."""
    pairs = load_pairs(path)
    result = score(pairs)
    print(f"pair suite: {path} ({len(pairs)} pairs, {len(result.domains())} domains)\n")
    print("\n".join(_table(result)))
    print()
    print("\n".join(_matrix(result)))
    if verbose:
        print()
        print("\n".join(_misjudged(result)))
    figures = {
        "pairs": len(pairs),
        "accuracy": round(result.accuracy, 3),
        "domains": {d: round(a, 3) for d, a in result.domains().items()},
        "confusion": {gold: {label: row[label] for label in LABELS} for gold, row in result.confusion().items()},
        "worth_checking": sum(o.verdict == "worth_checking" for o in result.outcomes),
    }
    print(json.dumps({"pairs": figures}, sort_keys=True))
    return 0
