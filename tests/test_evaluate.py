"""`kg.evaluate` on small hand-made notices, and the gold files themselves:
well-formed, internally consistent and pinned to the text of their notice."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from kg.errors import GoldError
from kg.evaluate import (
    COUNT_KEYS,
    FieldScore,
    aggregate,
    evaluate,
    evaluate_files,
    format_table,
    load_gold,
    normalise_label,
)

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "gold"
EXAMPLES = ROOT / "examples" / "notices"
NOTICES = sorted(p.stem for p in EXAMPLES.glob("*.txt"))


def small_gold() -> dict[str, Any]:
    return {
        "id": "small",
        "title": "某中心党组关于巡察整改进展情况的通报",
        "publisher": "某中心党组",
        "published": "2021-03-11",
        "inspected_org": "某中心党组",
        "inspecting_body": "区委",
        "inspection_group": "区委第一巡察组",
        "inspection_start": "2019-11-08",
        "inspection_end": "2019-12-08",
        "feedback_date": "2020-04-01",
        "announced_counts": {
            "aspects": 2, "categories": None, "problems": 3, "rectified": 3,
            "measures": None, "tasks": None, "tasks_done": None,
        },
        "aspects": [
            {"label": "关于“学习不够深入”问题的整改进展情况", "problems": 2},
            {"label": "财务管理不规范", "problems": 1},
        ],
        "problems_total": 3,
        "regulations": [
            {"title": "会计法", "kind": "law", "occurrences": 2},
            {"title": "党章", "kind": "party_regulation", "occurrences": 1},
            {"title": "某中心考勤办法", "kind": "normative_document", "occurrences": 1},
        ],
        "persons": [{"name": "习近平", "role": "总书记"}],
        "doc_numbers": ["罗投发[2019]9号", "罗投发[2019]9号"],
    }


def prediction_of(gold: dict[str, Any]) -> dict[str, Any]:
    """The `kg extract --format json` object that matches `gold` exactly."""
    predicted: dict[str, Any] = {
        key: gold[key]
        for key in ("id", "title", "publisher", "published", "inspected_org",
                    "inspecting_body", "inspection_group", "inspection_start",
                    "inspection_end", "feedback_date")
    }
    predicted["source"] = f"{gold['id']}.txt"
    predicted["announced_counts"] = dict(gold["announced_counts"])
    predicted["aspects"] = [
        {
            "label": a["label"],
            "span": [0, 1],
            "problems": [
                {"label": f"问题{i}", "text": "", "span": [0, 1], "categories": [],
                 "measures": []}
                for i in range(a["problems"])
            ],
        }
        for a in gold["aspects"]
    ]
    predicted["regulations"] = [
        {
            "title": r["title"],
            "canonical": r["title"],
            "kind": r["kind"],
            "mentions": [{"span": [0, 1], "relation": "cites"}] * r["occurrences"],
        }
        for r in gold["regulations"]
    ]
    predicted["rule_mentions"] = []
    predicted["persons"] = [
        {"name": p["name"], "role": p["role"], "span": [0, 1]} for p in gold["persons"]
    ]
    predicted["doc_numbers"] = [
        {"text": d, "span": [0, 1]} for d in gold["doc_numbers"]
    ]
    return predicted


def by_field(scores: list[FieldScore]) -> dict[str, FieldScore]:
    return {s.field: s for s in scores}


# --- the evaluator ---------------------------------------------------------


def test_perfect_prediction_scores_one_everywhere_it_can_be_scored() -> None:
    gold = small_gold()
    for score in evaluate(gold, prediction_of(gold)):
        assert (score.fp, score.fn) == (0, 0), score.field
        assert score.precision in (1.0, None), score.field
        assert score.recall in (1.0, None), score.field
    scores = by_field(evaluate(gold, prediction_of(gold)))
    assert scores["regulations"].precision == scores["regulations"].recall == 1.0
    assert scores["aspects"].f1 == 1.0
    assert scores["doc_numbers"].tp == 2


def test_null_equal_to_null_is_a_hit() -> None:
    gold = small_gold()
    scores = by_field(evaluate(gold, prediction_of(gold)))
    measures = scores["counts.measures"]
    assert (measures.tp, measures.fp, measures.fn, measures.precision) == (1, 0, 0, 1.0)


def test_missing_title_lowers_recall_not_precision() -> None:
    gold = small_gold()
    predicted = prediction_of(gold)
    predicted["regulations"] = predicted["regulations"][1:]
    score = by_field(evaluate(gold, predicted))["regulations"]
    assert (score.tp, score.fp, score.fn) == (2, 0, 1)
    assert score.precision == 1.0
    assert score.recall == pytest.approx(2 / 3)


def test_extra_title_lowers_precision() -> None:
    gold = small_gold()
    predicted = prediction_of(gold)
    predicted["regulations"].append(
        {"title": "不存在的规定", "canonical": "", "kind": "other", "mentions": []}
    )
    score = by_field(evaluate(gold, predicted))["regulations"]
    assert (score.precision, score.recall) == (pytest.approx(3 / 4), 1.0)


def test_duplicate_title_entry_is_a_false_positive() -> None:
    gold = small_gold()
    predicted = prediction_of(gold)
    predicted["regulations"].append(copy.deepcopy(predicted["regulations"][0]))
    assert by_field(evaluate(gold, predicted))["regulations"].fp == 1


def test_wrong_kind_lowers_kind_accuracy_only() -> None:
    gold = small_gold()
    predicted = prediction_of(gold)
    predicted["regulations"][0]["kind"] = "normative_document"
    scores = by_field(evaluate(gold, predicted))
    assert scores["regulations"].f1 == 1.0
    assert scores["regulations.kind"].precision == pytest.approx(2 / 3)
    assert scores["regulations.kind"].recall == pytest.approx(2 / 3)


def test_kind_accuracy_counts_only_titles_found_on_both_sides() -> None:
    gold = small_gold()
    predicted = prediction_of(gold)
    predicted["regulations"] = [predicted["regulations"][0]]
    kind = by_field(evaluate(gold, predicted))["regulations.kind"]
    assert (kind.tp, kind.fp, kind.fn) == (1, 0, 0)


def test_occurrences_compare_number_of_mentions() -> None:
    gold = small_gold()
    predicted = prediction_of(gold)
    first = predicted["regulations"][0]
    first["mentions"] = first["mentions"][:1]
    score = by_field(evaluate(gold, predicted))["regulations.occurrences"]
    assert (score.tp, score.fp, score.fn) == (2, 1, 1)


@pytest.mark.parametrize(
    ("gold_value", "predicted_value", "expected"),
    [
        (None, "2021-03-11", (0, 1, 0)),  # a value where the notice states none
        ("2021-03-11", None, (0, 0, 1)),  # a stated value missed
        ("2021-03-11", "2021-03-12", (0, 1, 1)),  # a wrong value
    ],
)
def test_null_against_value_is_wrong(
    gold_value: str | None, predicted_value: str | None, expected: tuple[int, int, int]
) -> None:
    gold = small_gold()
    gold["published"] = gold_value
    predicted = prediction_of(gold)
    predicted["published"] = predicted_value
    score = by_field(evaluate(gold, predicted))["published"]
    assert (score.tp, score.fp, score.fn) == expected


def test_count_missing_from_prediction_is_null() -> None:
    gold = small_gold()
    gold["announced_counts"]["tasks"] = 41
    predicted = prediction_of(gold)
    del predicted["announced_counts"]["tasks"]
    score = by_field(evaluate(gold, predicted))["counts.tasks"]
    assert (score.tp, score.fp, score.fn) == (0, 0, 1)


def test_aspects_match_after_label_normalisation() -> None:
    gold = small_gold()
    predicted = prediction_of(gold)
    predicted["aspects"][0]["label"] = "一、学习不够深入"
    predicted["aspects"][1]["label"] = "（二）财务管理不规范。"
    scores = by_field(evaluate(gold, predicted))
    assert scores["aspects"].f1 == 1.0
    assert scores["aspects.problems"].f1 == 1.0


def test_aspect_with_wrong_number_of_problems() -> None:
    gold = small_gold()
    predicted = prediction_of(gold)
    predicted["aspects"][0]["problems"].pop()
    scores = by_field(evaluate(gold, predicted))
    assert scores["aspects"].f1 == 1.0
    assert (scores["aspects.problems"].tp, scores["aspects.problems"].fn) == (1, 1)
    assert scores["problems_total"].fn == 1


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("一、关于“贯彻新发展理念还不够到位”问题的整改进展情况",
         "贯彻新发展理念还不够到位"),
        ("贯彻新发展理念还不够到位", "贯彻新发展理念还不够到位"),
        ("1.针对“学习贯彻不够”问题的整改进展情况。", "学习贯彻不够"),
        ("2.针对“因私出国境管理不规范”问题整改进展情况", "因私出国境管理不规范"),
        ("①对“假招商”等问题的整改情况", "假招商"),
        ("(一)反馈问题:聚焦基层党组织建设", "聚焦基层党组织建设"),
        ("（一）反馈问题：聚焦基层党组织建设。", "聚焦基层党组织建设"),
        ("(四)党的纪律建设有弱项,“两个责任”落实不力",
         "党的纪律建设有弱项,两个责任落实不力"),
        # a heading starting with 对 that is no 对“X”问题的整改情况 wrapper
        ("(五)对巡视巡察、审计反馈指出的问题重视程度不高,整改不彻底、不全面",
         "对巡视巡察、审计反馈指出的问题重视程度不高,整改不彻底、不全面"),
    ],
)
def test_normalise_label(label: str, key: str) -> None:
    assert normalise_label(label) == key


def test_persons_compare_name_and_role() -> None:
    gold = small_gold()
    predicted = prediction_of(gold)
    predicted["persons"][0]["role"] = ""
    scores = by_field(evaluate(gold, predicted))
    assert scores["persons"].f1 == 0.0
    assert scores["persons.name"].f1 == 1.0


def test_doc_numbers_are_a_multiset() -> None:
    gold = small_gold()
    predicted = prediction_of(gold)
    predicted["doc_numbers"] = predicted["doc_numbers"][:1]
    score = by_field(evaluate(gold, predicted))["doc_numbers"]
    assert (score.tp, score.fp, score.fn) == (1, 0, 1)


def test_aggregate_sums_counts_per_field() -> None:
    first = [FieldScore.of("regulations", 2, 1, 0), FieldScore.of("title", 1, 0, 0)]
    second = [FieldScore.of("regulations", 1, 0, 3), FieldScore.of("title", 0, 1, 1)]
    totals = by_field(aggregate([first, second]))
    assert (totals["regulations"].tp, totals["regulations"].fp,
            totals["regulations"].fn) == (3, 1, 3)
    assert totals["regulations"].precision == pytest.approx(3 / 4)
    assert totals["title"].recall == pytest.approx(1 / 2)


def test_nothing_to_score_is_neither_right_nor_wrong() -> None:
    score = FieldScore.of("doc_numbers", 0, 0, 0)
    assert (score.precision, score.recall, score.f1) == (None, None, None)


def test_format_table_aligns_columns() -> None:
    table = format_table(
        [FieldScore.of("regulations.kind", 5, 1, 1), FieldScore.of("title", 0, 0, 0)]
    )
    lines = table.splitlines()
    assert lines[0].split() == ["field", "P", "R", "F1", "TP/FP/FN"]
    assert lines[1].split() == ["regulations.kind", "0.833", "0.833", "0.833", "5/1/1"]
    assert lines[2].split() == ["title", "-", "-", "-", "0/0/0"]
    assert len({len(line) for line in lines}) == 1


def test_evaluate_files_looks_gold_up_by_id(tmp_path: Path) -> None:
    gold = small_gold()
    (tmp_path / "small.json").write_text(json.dumps(gold, ensure_ascii=False),
                                         encoding="utf-8")
    scores = by_field(evaluate_files(tmp_path, [prediction_of(gold)]))
    assert scores["regulations"].f1 == 1.0


def test_evaluate_files_without_gold_names_the_file(tmp_path: Path) -> None:
    predicted = prediction_of(small_gold())
    predicted["id"] = "nowhere"
    with pytest.raises(GoldError, match=r"nowhere\.json: no gold file"):
        evaluate_files(tmp_path, [predicted])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[]", "not a JSON object"),
        ('{"id": "x"}', "missing field 'title'"),
    ],
)
def test_malformed_gold_file(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "x.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GoldError, match=message):
        load_gold(path)


def test_gold_with_inconsistent_total_is_rejected(tmp_path: Path) -> None:
    gold = small_gold()
    gold["problems_total"] = 4
    path = tmp_path / "small.json"
    path.write_text(json.dumps(gold), encoding="utf-8")
    with pytest.raises(GoldError, match="not the sum"):
        load_gold(path)


def test_gold_with_unknown_kind_is_rejected(tmp_path: Path) -> None:
    gold = small_gold()
    gold["regulations"][0]["kind"] = "statute"
    path = tmp_path / "small.json"
    path.write_text(json.dumps(gold), encoding="utf-8")
    with pytest.raises(GoldError, match="'statute'"):
        load_gold(path)


# --- the gold files ---------------------------------------------------------


def test_every_corpus_notice_has_gold() -> None:
    assert sorted(p.stem for p in GOLD.glob("*.json")) == NOTICES


@pytest.fixture(params=NOTICES)
def notice(request: pytest.FixtureRequest) -> tuple[dict[str, Any], str]:
    name: str = request.param
    gold = load_gold(GOLD / f"{name}.json")  # well-formed, total consistent
    return gold, (EXAMPLES / f"{name}.txt").read_text(encoding="utf-8")


def test_gold_id_is_file_stem(notice: tuple[dict[str, Any], str]) -> None:
    gold, _ = notice
    assert (GOLD / f"{gold['id']}.json").exists()
    assert set(gold["announced_counts"]) == set(COUNT_KEYS)


def test_gold_regulations_are_every_bracketed_title_of_the_text(
    notice: tuple[dict[str, Any], str],
) -> None:
    gold, text = notice
    for regulation in gold["regulations"]:
        assert text.count(f"《{regulation['title']}》") == regulation["occurrences"], (
            regulation["title"]
        )
    assert sum(r["occurrences"] for r in gold["regulations"]) == text.count("《")


def test_gold_aspect_labels_are_written_in_the_text(
    notice: tuple[dict[str, Any], str],
) -> None:
    gold, text = notice
    for aspect in gold["aspects"]:
        assert aspect["label"] in text
    keys = [normalise_label(a["label"]) for a in gold["aspects"]]
    assert len(set(keys)) == len(keys)


def test_gold_doc_numbers_occur_as_often_as_listed(
    notice: tuple[dict[str, Any], str],
) -> None:
    gold, text = notice
    for number in set(gold["doc_numbers"]):
        assert text.count(number) == gold["doc_numbers"].count(number), number


def test_gold_persons_are_named_with_their_role_outside_titles(
    notice: tuple[dict[str, Any], str],
) -> None:
    gold, text = notice
    outside_titles = re.sub(r"《[^》]*》", "", text)
    for person in gold["persons"]:
        assert person["name"] in outside_titles
        assert person["role"] + person["name"] in outside_titles or (
            person["name"] + person["role"] in outside_titles
        )


def test_gold_names_are_written_in_the_text(notice: tuple[dict[str, Any], str]) -> None:
    gold, text = notice
    for field in ("publisher", "inspected_org", "inspecting_body", "inspection_group"):
        if gold[field] is not None:
            assert gold[field] in text, field
    if gold["title"] is not None:
        assert gold["title"] in text.replace("\n", "")


def test_gold_against_its_own_prediction_is_perfect() -> None:
    predicted = [
        prediction_of(load_gold(GOLD / f"{name}.json")) for name in NOTICES
    ]
    for score in evaluate_files(GOLD, predicted):
        assert (score.fp, score.fn) == (0, 0), score.field
