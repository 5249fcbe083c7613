"""The cross-domain pair suite (issue 17 item 6): the grouping rules judge two one-sentence articles
as an editor labelled them, in every domain, not only the ones the rules were written on."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from summarizer.errors import InputError
from summarizer.pairs import LABELS, Article, Pair, Score, judge, load_pairs, score, scored

ROOT = Path(__file__).resolve().parent.parent
SUITE = ROOT / "tests" / "pairs" / "pairs.json"
PAIRS = load_pairs(SUITE)
BY_ID = {p.id: p for p in PAIRS}

# The bar for the suite: 0.9 overall and 0.8 in every domain (the starting commit 76652d7
# scored 188 of 300, 0.627; the rules at the suite's writing 232, 0.773). `python -m bench --pairs -v`
# lists what is misjudged.
OVERALL_FLOOR = 0.9
DOMAIN_FLOORS = {
    "courts": 0.8,
    "elections_votes": 0.8,
    "central_banks_markets": 0.8,
    "company_results_deals": 0.8,
    "soccer": 0.8,
    "tennis": 0.8,
    "motor_racing": 0.8,
    "baseball_or_cricket": 0.8,
    "weather": 0.8,
    "disasters": 0.8,
    "health": 0.8,
    "science": 0.8,
    "technology_products": 0.8,
    "crime": 0.8,
    "culture": 0.8,
}


@pytest.fixture(scope="module")
def result() -> Score:
    return score(PAIRS)


def test_the_suite_has_at_least_240_pairs_in_at_least_12_domains() -> None:
    assert len(PAIRS) >= 240
    assert len({p.domain for p in PAIRS}) >= 12


@pytest.mark.parametrize("domain", sorted(DOMAIN_FLOORS))
def test_each_domain_has_about_20_pairs_mixing_conflicts_agreements_and_look_alikes(domain: str) -> None:
    labels = Counter(p.label for p in PAIRS if p.domain == domain)
    total = sum(labels.values())
    assert 16 <= total <= 24
    assert 0.3 <= labels["conflict"] / total <= 0.5
    assert 0.2 <= labels["agree"] / total <= 0.4
    assert 0.2 <= labels["separate"] / total <= 0.4


def test_every_domain_of_the_suite_has_a_floor() -> None:
    assert {p.domain for p in PAIRS} == set(DOMAIN_FLOORS)


def test_every_pair_is_two_different_sentences_from_two_outlets() -> None:
    assert all(p.a.text != p.b.text and p.a.outlet != p.b.outlet for p in PAIRS)


def test_overall_accuracy_is_at_least_the_floor(result: Score) -> None:
    assert result.accuracy >= OVERALL_FLOOR


@pytest.mark.parametrize("domain", sorted(DOMAIN_FLOORS))
def test_each_domain_accuracy_is_at_least_its_floor(result: Score, domain: str) -> None:
    assert result.domains()[domain] >= DOMAIN_FLOORS[domain]


def _xfail(pair_id: str, reason: str) -> object:
    return pytest.param(pair_id, marks=pytest.mark.xfail(strict=True, reason=reason), id=pair_id)


# Clear agreements, one kind each: every one must be judged an agreement on its own. The ones the
# rules get wrong today are marked (strict: a fix makes them fail until the mark is removed).
CLEAR_AGREEMENTS = [
    "courts-10",  # Zürich / Zurich
    "courts-13",  # convicted / found guilty
    "elections_votes-12",  # head of the commission / commission chair
    "central_banks_markets-09",  # about 4.3 percent / 4.27 percent
    _xfail("central_banks_markets-14", "the pound / sterling at about $1.27 / $1.2714 is not grouped"),
    "company_results_deals-12",  # Société Lumière / Societe Lumiere
    _xfail("soccer-09", "'holds about 60,000 spectators' / 'a capacity of 59,500' is not grouped"),
    "soccer-12",  # head coach / the team's manager
    "tennis-09",  # 220 km/h / 137 mph
    "motor_racing-10",  # 5.8 kilometres / 3.6 miles
    "baseball_or_cricket-13",  # seven wickets / 7 wickets
    "weather-09",  # 41 degrees Celsius / 106 degrees Fahrenheit
    _xfail("weather-12", "two wordings of one official's post share too few words to be grouped"),
    "disasters-09",  # at least 23 / 26
    "health-14",  # One hundred and forty / 140
    "science-13",  # ETH Zürich / ETH Zurich
    "technology_products-09",  # 6.1 inches / 15.5 centimetres
    "crime-09",  # 1.2 tonnes / 1,200 kilograms
    "culture-10",  # more than $100 million / $132 million
]


@pytest.mark.parametrize("pair_id", CLEAR_AGREEMENTS)
def test_a_clear_agreement_is_judged_an_agreement(pair_id: str) -> None:
    pair = BY_ID[pair_id]
    assert pair.label == "agree"
    assert judge(pair.a, pair.b) == "agree"


def test_the_same_sentence_from_two_outlets_agrees() -> None:
    sentence = "The ferry company added 14 sailings a week to the island route."
    assert judge(Article(sentence, "Courier"), Article(sentence, "Herald")) == "agree"


def test_two_unrelated_sentences_are_separate() -> None:
    assert judge("The library reopened its reading room on Monday.", "Hail damaged vineyards near the coast.") == (
        "separate"
    )


def test_a_pair_only_worth_checking_is_scored_as_separate() -> None:
    assert scored("worth_checking") == "separate"
    assert all(scored(label) == label for label in LABELS)


def test_the_confusion_matrix_counts_every_pair_once_under_its_gold_label(result: Score) -> None:
    matrix = result.confusion()
    assert sum(sum(row.values()) for row in matrix.values()) == len(PAIRS)
    for gold in LABELS:
        assert sum(matrix[gold].values()) == sum(p.label == gold for p in PAIRS)
    right = sum(matrix[label][label] for label in LABELS)
    assert right == len(PAIRS) - len(result.wrong())


def test_a_pair_with_an_unknown_label_is_an_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "pairs.json"
    bad.write_text(json.dumps([{"id": "x-01", "domain": "x", "label": "maybe", "a": "One.", "b": "Two."}]))
    with pytest.raises(InputError, match="label"):
        load_pairs(bad)


def test_a_pair_id_used_twice_is_an_input_error(tmp_path: Path) -> None:
    row = {"id": "x-01", "domain": "x", "label": "agree", "a": "One.", "b": "Two."}
    bad = tmp_path / "pairs.json"
    bad.write_text(json.dumps([row, row]))
    with pytest.raises(InputError, match="x-01"):
        load_pairs(bad)


def test_a_published_date_not_written_yyyy_mm_dd_is_an_input_error(tmp_path: Path) -> None:
    a = {"text": "One.", "published": "14 March 2024"}
    bad = tmp_path / "pairs.json"
    bad.write_text(json.dumps([{"id": "x-01", "domain": "x", "label": "agree", "a": a, "b": "Two."}]))
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        load_pairs(bad)


def test_an_article_may_be_a_bare_sentence(tmp_path: Path) -> None:
    path = tmp_path / "pairs.json"
    path.write_text(json.dumps([{"id": "x-01", "domain": "x", "label": "agree", "a": "One.", "b": {"text": "Two."}}]))
    assert load_pairs(path) == [Pair("x-01", "x", "agree", Article("One."), Article("Two."))]


def test_the_bench_command_prints_domains_overall_and_the_confusion_matrix() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--pairs", "-v"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    lines = done.stdout.splitlines()
    assert any(line.startswith("overall") for line in lines)
    assert all(any(line.startswith(domain) for line in lines) for domain in DOMAIN_FLOORS)
    header = next(i for i, line in enumerate(lines) if line.startswith("gold / judged"))
    assert [line.split()[0] for line in lines[header + 1 : header + 4]] == list(LABELS)
    figures = json.loads(lines[-1])["pairs"]
    assert figures["pairs"] == len(PAIRS)
    assert f"misjudged pairs ({len(PAIRS) - round(figures['accuracy'] * len(PAIRS))})" in done.stdout
