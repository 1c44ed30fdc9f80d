"""The whole extraction pipeline on the corpus: the JSON contract, exact spans,
and the same facts whatever the punctuation width or the page around the text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.export import notice_json, notice_to_dict
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
def test_the_json_file_is_the_bytes_json_would_write(
    notices: dict[str, Notice], name: str
) -> None:
    # notices/<id>.json is encoded by orjson for speed; its bytes stay those
    # of the standard library's indented, non-ASCII-escaped JSON, so the
    # golden files and users' diffs do not move with the encoder.
    document = notice_to_dict(notices[name])
    expected = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    assert notice_json(notices[name]) == expected.encode("utf-8")


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


# A full notice of a central 巡视 of a university, written for this test in the
# shape such notices have: a container part whose six aspects hold problems as
# title lines, as run-in items, as 一是 paragraphs, or one paragraph only.
CENTRAL_INSPECTION = """中共某某大学委员会关于巡视整改进展情况的通报
根据中央统一部署，2021年4月至6月，中央第十巡视组对某某大学党委进行了常规巡视。2021年9月8日，中央巡视组向某某大学党委反馈了巡视意见。按照党务公开原则和巡视工作有关要求，现将巡视整改进展情况予以公布。
一、党委履行巡视整改主体责任情况
学校党委把巡视整改作为重大政治任务，成立由党委书记任组长的巡视整改工作领导小组，召开党委常委会12次专题研究整改工作。
二、党委书记履行第一责任人职责情况
党委书记认真履行第一责任人职责，主持召开整改工作推进会。
三、巡视反馈问题整改落实情况
（一）关于学习贯彻习近平新时代中国特色社会主义思想有差距方面的问题
1.关于理论学习不够深入的问题
一是健全党委理论学习中心组学习制度，修订《某某大学党委理论学习中心组学习规则》。二是开展专题研讨6次。
2.关于意识形态工作责任制落实不到位的问题
制定《某某大学意识形态工作责任制实施细则》，开展意识形态领域风险排查。
（二）关于落实立德树人根本任务不够有力方面的问题
1.针对思想政治工作体系不够健全的问题。出台《某某大学关于加强新时代思想政治工作的实施意见》。
2.针对教师队伍建设短板明显的问题。修订教师职称评审办法，引进高层次人才32人。
（三）关于服务国家战略不够聚焦方面的问题
学校党委制定学科建设规划，调整学科布局，组建两个交叉研究院，与地方政府签订合作协议5项。
（四）关于全面从严治党“两个责任”落实不到位方面的问题
一是压实主体责任，制定党委落实全面从严治党主体责任清单。二是强化监督执纪，立案审查调查8件，给予党纪政务处分7人。
（五）关于领导班子和干部队伍建设方面的问题
1.关于选人用人不够规范的问题
开展干部人事档案专项审核，补齐材料112份。
（六）关于巡视、审计等发现问题整改不到位方面的问题
逐项核查以往巡视、审计发现问题，建立整改台账，完成整改17项。
四、下一步工作打算
学校党委将持续深化巡视整改，巩固整改成果。
欢迎广大干部群众对巡视整改落实情况进行监督。联系电话：010-12345678。
中共某某大学委员会
2022年3月15日
"""


def test_every_aspect_of_a_full_central_inspection_notice() -> None:
    notice = extract_notice(CENTRAL_INSPECTION)
    assert [a.label.text for a in notice.aspects] == [
        "关于学习贯彻习近平新时代中国特色社会主义思想有差距方面的问题",
        "关于落实立德树人根本任务不够有力方面的问题",
        "关于服务国家战略不够聚焦方面的问题",
        "关于全面从严治党“两个责任”落实不到位方面的问题",
        "关于领导班子和干部队伍建设方面的问题",
        "关于巡视、审计等发现问题整改不到位方面的问题",
    ]
    assert [len(a.problems) for a in notice.aspects] == [2, 2, 1, 1, 1, 1]
    assert notice.inspection_group is not None
    assert notice.inspection_group.name == "中央第十巡视组"
    assert (notice.inspection_start, notice.inspection_end) != (None, None)
    assert notice.feedback_date is not None
    assert notice.feedback_date.iso == "2021-09-08"
    assert notice.published is not None and notice.published.iso == "2022-03-15"
    # 完成整改17项 is one measure's work, not the notice's rectified total
    assert notice.counts == ()
