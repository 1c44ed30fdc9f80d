"""The extraction of the five corpus notices against their hand-checked gold.

The bar of the extraction-core issue: every metadata field right, every 《》
title found and nothing else, kind accuracy ≥ 90 %, every problem categorised.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.evaluate import FieldScore, evaluate_files
from kg.export import notice_to_dict
from kg.pipeline import extract_notice

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "gold"
EXAMPLES = ROOT / "examples" / "notices"
METADATA = (
    "title",
    "publisher",
    "published",
    "inspected_org",
    "inspecting_body",
    "inspection_group",
    "inspection_start",
    "inspection_end",
    "feedback_date",
)


@pytest.fixture(scope="module")
def scores() -> dict[str, FieldScore]:
    predicted = [
        notice_to_dict(extract_notice(path)) for path in sorted(EXAMPLES.glob("*.txt"))
    ]
    return {score.field: score for score in evaluate_files(GOLD, predicted)}


@pytest.mark.parametrize("field", METADATA)
def test_every_metadata_field_is_right(
    scores: dict[str, FieldScore], field: str
) -> None:
    score = scores[field]
    assert (score.fp, score.fn) == (0, 0), score


@pytest.mark.parametrize(
    "field",
    [
        "counts.aspects",
        "counts.categories",
        "counts.problems",
        "counts.rectified",
        "counts.measures",
        "counts.tasks",
    ],
)
def test_announced_counts_are_right(scores: dict[str, FieldScore], field: str) -> None:
    score = scores[field]
    assert (score.fp, score.fn) == (0, 0), score


def test_every_title_is_found_and_nothing_else(scores: dict[str, FieldScore]) -> None:
    titles = scores["regulations"]
    assert titles.tp == 173
    assert (titles.fp, titles.fn) == (0, 0)
    occurrences = scores["regulations.occurrences"]
    assert (occurrences.fp, occurrences.fn) == (0, 0)


def test_kind_accuracy_is_at_least_ninety_percent(
    scores: dict[str, FieldScore],
) -> None:
    kind = scores["regulations.kind"]
    assert kind.precision is not None and kind.precision >= 0.90


def test_aspects_and_problems_match_the_gold(scores: dict[str, FieldScore]) -> None:
    for field in ("aspects", "aspects.problems", "problems_total"):
        score = scores[field]
        assert (score.fp, score.fn) == (0, 0), score


def test_persons_and_document_numbers_match_the_gold(
    scores: dict[str, FieldScore],
) -> None:
    for field in ("persons", "doc_numbers"):
        score = scores[field]
        assert (score.fp, score.fn) == (0, 0), score
