"""The whole extraction pipeline on the corpus: the JSON contract, exact spans,
and the same facts whatever the punctuation width or the page around the text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.export import notice_to_dict
from kg.ingest import source_from_bytes, source_from_text
from kg.model import Notice, Span
from kg.pipeline import extract_notice, extract_source
from tests.webpage import wrap_in_gov_page

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "notices"
NOTICES = sorted(p.stem for p in EXAMPLES.glob("*.txt"))

HALF_TO_FULL = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）"})
FULL_TO_HALF = str.maketrans(
    {v: k for k, v in ((",", "，"), (":", "："), (";", "；"), ("(", "（"), (")", "）"))}
)

CONTRACT_FIELDS = {
    "id",
    "source",
    "title",
    "publisher",
    "published",
    "inspected_org",
    "inspecting_body",
    "inspection_group",
    "inspection_start",
    "inspection_end",
    "feedback_date",
    "announced_counts",
    "aspects",
    "regulations",
    "rule_mentions",
    "persons",
    "doc_numbers",
}


def text_of(name: str) -> str:
    return (EXAMPLES / f"{name}.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def notices() -> dict[str, Notice]:
    return {name: extract_notice(EXAMPLES / f"{name}.txt") for name in NOTICES}


def all_spans(notice: Notice) -> list[Span]:
    spans: list[Span] = []
    for value in (notice.title, notice.publisher):
        if value is not None:
            spans.append(value)
    for fact in (
        notice.published,
        notice.inspection_start,
        notice.inspection_end,
        notice.feedback_date,
        notice.inspected_org,
        notice.inspecting_body,
        notice.inspection_group,
    ):
        if fact is not None:
            spans.append(fact.span)
    spans += [c.span for c in notice.counts]
    for aspect in notice.aspects:
        spans += [aspect.label, aspect.span]
        for problem in aspect.problems:
            spans += [problem.label, problem.span]
            spans += [m.span for m in problem.measures]
            if problem.group is not None:
                spans.append(problem.group)
    for regulation in notice.regulations:
        spans += [m.span for m in regulation.mentions]
    spans += [m.span for m in notice.rule_mentions]
    spans += [p.span for p in notice.persons]
    spans += [d.span for d in notice.doc_numbers]
    spans += [a.span for a in notice.amounts]
    spans += [d.span for d in notice.dates]
    return spans


@pytest.mark.parametrize("name", NOTICES)
def test_json_has_every_contract_field(notices: dict[str, Notice], name: str) -> None:
    document = notice_to_dict(notices[name])
    assert CONTRACT_FIELDS <= set(document)
    assert set(document["announced_counts"]) >= {
        "aspects",
        "categories",
        "problems",
        "rectified",
        "measures",
    }
    for aspect in document["aspects"]:
        assert {"label", "span", "problems"} <= set(aspect)
        for problem in aspect["problems"]:
            assert {"label", "text", "span", "categories", "measures"} <= set(problem)
            for measure in problem["measures"]:
                assert {"text", "kind", "span", "regulations"} <= set(measure)
    for regulation in document["regulations"]:
        assert {"title", "canonical", "kind", "mentions"} <= set(regulation)
        assert regulation["kind"] in {
            "law",
            "party_regulation",
            "normative_document",
            "other",
        }
        for mention in regulation["mentions"]:
            assert mention["relation"] in {"cites", "studies", "enacts", "violates"}


@pytest.mark.parametrize("name", NOTICES)
def test_every_span_is_the_text_it_claims(
    notices: dict[str, Notice], name: str
) -> None:
    notice = notices[name]
    spans = all_spans(notice)
    assert len(spans) > 50
    for span in spans:
        assert notice.source.text[span.start : span.end] == span.text


@pytest.mark.parametrize("name", NOTICES)
def test_every_problem_has_a_category(notices: dict[str, Notice], name: str) -> None:
    problems = list(notices[name].problems)
    assert problems
    assert all(problem.categories for problem in problems)


@pytest.mark.parametrize("name", NOTICES)
def test_measure_regulations_are_titles_inside_the_measure(
    notices: dict[str, Notice], name: str
) -> None:
    notice = notices[name]
    for measure in notice.measures:
        for title in measure.regulations:
            assert f"《{title}》" in measure.span.text


def facts(notice: Notice) -> dict[str, Any]:
    """What a user gets, with offsets and the punctuation width folded away."""
    document = notice_to_dict(notice)

    def fold(value: Any) -> Any:
        if isinstance(value, str):
            return value.translate(FULL_TO_HALF)
        if isinstance(value, list):
            return [fold(v) for v in value]
        if isinstance(value, dict):
            return {
                k: fold(v)
                for k, v in value.items()
                if k not in {"span", "source", "sha256", "id", "key"}
            }
        return value

    folded = fold(document)
    assert isinstance(folded, dict)
    return folded


@pytest.mark.parametrize("name", NOTICES)
@pytest.mark.parametrize(
    "table", [HALF_TO_FULL, FULL_TO_HALF], ids=["to-full", "to-half"]
)
def test_punctuation_width_does_not_change_the_facts(
    notices: dict[str, Notice], name: str, table: dict[int, str]
) -> None:
    converted = extract_source(source_from_text(text_of(name).translate(table)))
    assert facts(converted) == facts(notices[name])


@pytest.mark.parametrize("name", NOTICES)
def test_a_government_web_page_yields_the_same_facts(
    notices: dict[str, Notice], name: str
) -> None:
    notice = notices[name]
    page = wrap_in_gov_page(
        text_of(name),
        title=notice.title.text if notice.title else "巡察整改进展情况的通报",
        metadata={"索引号": "000000/2021-00001", "公开方式": "主动公开"},
    )
    from_page = extract_source(
        source_from_bytes(page.encode("utf-8"), path=f"{name}.html")
    )
    expected, got = facts(notice), facts(from_page)
    for field in (
        "inspected_org",
        "inspecting_body",
        "inspection_group",
        "inspection_start",
        "inspection_end",
        "feedback_date",
        "announced_counts",
        "aspects",
        "regulations",
        "rule_mentions",
        "persons",
        "doc_numbers",
    ):
        assert got[field] == expected[field], field


INCOMPLETE = """中共某县某局党组关于巡察整改进展情况的通报
根据县委统一部署,2023年3月1日至4月30日,县委第一巡察组对县某局党组进行了巡察。5月20日,巡察组向县某局党组反馈了巡察意见,指出2个方面5个问题。
二、整改落实情况
(一)关于理论学习方面的问题
1.针对理论学习不深入的问题。制定学习计划,开展专题学习4次。
2.针对意识形态工作不到位的问题。召开专题会议研究部署。
(二)关于财务管理方面的问题
1.针对报销手续不全的问题。补齐手续,修订财务制度。
"""


def test_stated_counts_that_differ_from_the_extraction_are_warnings(
    tmp_path: Path,
) -> None:
    notice = extract_notice(INCOMPLETE)
    assert (notice.count("aspects"), notice.count("problems")) == (2, 5)
    assert (len(notice.aspects), len(notice.problems)) == (2, 3)
    assert "states 5 problems (5个问题), found 3" in notice.warnings
    assert not any(w.startswith("states 2 aspects") for w in notice.warnings)
    path = tmp_path / "incomplete.txt"
    path.write_text(INCOMPLETE, encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(path)])
    assert "states 5 problems (5个问题), found 3" in result.output
