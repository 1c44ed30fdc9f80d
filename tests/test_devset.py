"""kg/devset.py and `kg eval --devset`: scoring openings against partial gold,
on a dev set written in a temporary folder (the real dev set's texts are not
in the repository)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.devset import evaluate_devset, org_key, score_opening
from kg.errors import GoldError
from kg.export import notice_to_dict
from kg.pipeline import extract_notice

TEXT = (
    "中共某市某局党组关于巡察整改进展情况的通报\n"
    "根据市委统一部署,2023年3月1日至4月30日,市委第一专项巡察组对某市某局进行了巡察。"
    "5月20日,巡察组向某市某局党组反馈了巡察意见。巡察组反馈了4个方面12个问题。"
    "谈话提醒24人。\n一、整改工作组织情况\n局党组学习《中国共产党巡视工作条例》。\n"
)


def entry(**gold: object) -> dict[str, object]:
    base: dict[str, object] = {
        "title": "中共某市某局党组关于巡察整改进展情况的通报",
        "inspected_org": "某市某局",
        "inspection_group": "市委第一专项巡察组",
        "inspection_start": "2023-03-01",
        "inspection_end": "2023-04-30",
        "feedback_date": "2023-05-20",
        "publication_date": None,
        "announced_counts": {"aspects": 4, "problems": 12, "measures": None},
        "bracketed_titles": ["中国共产党巡视工作条例"],
        "title_kinds": {"中国共产党巡视工作条例": "party_regulation"},
        "persons": [],
    }
    base.update(gold)
    return {"id": "X01", "gold": base}


def write_devset(folder: Path, gold: dict[str, object]) -> Path:
    (folder / "gold").mkdir(parents=True)
    (folder / "texts").mkdir()
    (folder / "gold" / "X01.json").write_text(json.dumps(gold, ensure_ascii=False))
    (folder / "texts" / "X01.txt").write_text(TEXT, encoding="utf-8")
    return folder


def scores_of(gold: dict[str, object]) -> dict[str, tuple[int, int, int]]:
    predicted = notice_to_dict(extract_notice(TEXT))
    scores, _ = score_opening(gold, predicted)
    return {s.field: (s.tp, s.fp, s.fn) for s in scores}


def test_an_opening_read_right_scores_every_stated_field() -> None:
    scores = scores_of(entry())
    assert scores["meta.inspection_group"] == (1, 0, 0)
    assert scores["meta.inspected_org"] == (1, 0, 0)  # the unit or its 党组
    assert scores["counts.aspects"] == (1, 0, 0)
    assert scores["titles"] == (1, 0, 0)
    assert scores["titles.kind"] == (1, 0, 0)
    assert "meta.publication_date" not in scores  # null gold: not scored


def test_a_figure_the_gold_leaves_null_is_a_false_count() -> None:
    scores = scores_of(entry(announced_counts={"aspects": 4, "problems": None}))
    assert scores["counts.problems"] == (0, 1, 0)


def test_a_wrong_value_is_a_miss_on_both_sides() -> None:
    scores = scores_of(entry(inspection_group="市委第二巡察组"))
    assert scores["meta.inspection_group"] == (0, 1, 1)


def test_org_keys_ignore_the_party_organization_and_zhonggong() -> None:
    assert org_key("中共某市某局党组") == org_key("某市某局") == "某市某局"


def test_a_devset_folder_is_scored_and_missing_texts_are_listed(tmp_path: Path) -> None:
    folder = write_devset(tmp_path / "dev", entry())
    (folder / "gold" / "X02.json").write_text(
        json.dumps({**entry(), "id": "X02"}, ensure_ascii=False)
    )
    result = evaluate_devset(folder, lambda p: notice_to_dict(extract_notice(p)))
    assert result.scored == ["X01"] and result.missing_texts == ["X02"]
    totals = {s.field: s for s in result.scores}
    assert totals["meta (all)"].recall == 1.0


def test_a_gold_file_named_for_another_id_is_an_error(tmp_path: Path) -> None:
    folder = write_devset(tmp_path / "dev", {**entry(), "id": "X09"})
    with pytest.raises(GoldError, match="not the file stem"):
        evaluate_devset(folder, lambda p: {})


def test_kg_eval_devset_prints_the_table_and_the_disagreements(tmp_path: Path) -> None:
    folder = write_devset(tmp_path / "dev", entry(feedback_date="2023-05-21"))
    result = CliRunner().invoke(main, ["eval", "--devset", str(folder), "--errors"])
    assert result.exit_code == 0, result.output
    assert "X01\tmeta.feedback_date\tgold=2023-05-21\tfound=2023-05-20" in result.output
    assert "1 notices scored" in result.output


def test_kg_eval_needs_gold_or_a_devset() -> None:
    result = CliRunner().invoke(main, ["eval"])
    assert result.exit_code == 2
