"""kg/extract/units.py: the inspected unit with alias notes, nested
parentheses and first-person references, in sentences written for these
tests in both punctuation widths."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.extract.units import org_kind, organization
from tests.genre import WIDTHS, header, in_width, notice


def unit_of(text: str) -> tuple[str, str | None, tuple[str, ...]] | None:
    org = header(text).inspected_org
    return (org.name, org.kind, org.aliases) if org else None


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    ("opening", "expected"),
    [
        # an alias note inside the name: the full name is canonical
        ("根据市委统一部署,市委第七巡察组于2023年3月14日至5月14日,对市文化和旅游局"
         "(以下简称市文旅局)党委开展政治巡察。2023年7月4日,巡察组向市文旅局党委反馈了"
         "巡察意见。",
         ("市文化和旅游局党委", "党委", ("市文旅局",))),
        ("根据区委统一部署,2024年3月4日至4月30日,区委第二巡察组对区科学技术协会"
         "(以下简称“区科协”)党组进行了巡察。5月16日,巡察组向区科协党组反馈了巡察意见。",
         ("区科学技术协会党组", "党组", ("区科协",))),
        # nested parentheses naming the units inspected with it, a comma inside
        ("根据区委统一部署,2022年10月20日至2023年1月6日,区委第四巡察组对某区文化和旅游局"
         "(某区文物局,含某区文化市场综合执法大队)党组开展了巡察。2023年2月10日,区委第四"
         "巡察组向该局党组反馈了巡察意见。",
         ("某区文化和旅游局(某区文物局,含某区文化市场综合执法大队)党组", "党组", ())),
        # first person: the recipient names the unit
        ("根据县委统一部署,2024年8月18日至9月14日,县委第二巡察组对我单位进行了巡察。"
         "10月24日,巡察组向中共某县农业农村局党组反馈了巡察意见。",
         ("中共某县农业农村局党组", "党组", ())),
        # the unit first, its Party group named by the feedback
        ("根据市委统一部署,2024年4月28日至6月14日,市委第四巡察组对某市交通运输局进行了"
         "巡察。9月11日,市委第四巡察组向某市交通运输局党组反馈了巡察意见。",
         ("某市交通运输局党组", "党组", ())),
    ],
)
def test_unit_shapes_of_the_genre(
    opening: str, expected: tuple[object, ...], width: str
) -> None:
    text = in_width(notice(opening), width)
    found = unit_of(text)
    assert found is not None
    name, kind, aliases = expected
    assert found == (in_width(str(name), width), kind, aliases)


def test_first_person_is_the_unit_of_the_title() -> None:
    text = notice(
        "根据市委巡察工作统一部署,2024年9月20日至12月31日,市委第五巡察组对我院党组开展"
        "了提级交叉巡察,并于2025年2月26日反馈了巡察意见。",
        title="中共某市某区人民法院党组关于巡察整改进展情况的通报",
    )
    assert unit_of(text) == ("中共某市某区人民法院党组", "党组", ())


def test_first_person_without_a_title_is_the_unit_the_text_names() -> None:
    text = (
        "根据市委巡察工作的统一部署,2020年6月1日至8月31日,市委第十二轮巡察一组对我院党组"
        "开展了巡察,并于2020年10月14日反馈了巡察意见。\n"
        "一、提高政治站位\n市法院党组严格落实市委巡察整改要求。\n"
    )
    assert unit_of(text) == ("市法院党组", "党组", ())


def test_the_span_covers_the_phrase_as_written() -> None:
    text = "对市文化和旅游局(以下简称市文旅局)党委开展"
    org = organization(text, 1, len(text) - 2)
    assert org.span.text == "市文化和旅游局(以下简称市文旅局)党委"
    assert org.name == "市文化和旅游局党委"


@pytest.mark.parametrize(
    ("name", "kind"),
    [("某局党组", "党组"), ("某镇党委", "党委"), ("某园区党工委", "党工委"),
     ("中共某某公司委员会", "党委"), ("某某中心", None)],
)
def test_the_party_organization_is_read_from_the_end_of_the_name(
    name: str, kind: str | None
) -> None:
    assert org_kind(name) == kind


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("joiner", ["、", "和"])
def test_a_joint_inspection_names_every_unit(width: str, joiner: str) -> None:
    text = in_width(notice(
        f"根据县委统一部署,2023年4月6日至6月2日,县委第一巡察组对县教育局党组{joiner}"
        "县卫生健康局党组开展了联动巡察。7月10日,巡察组分别向两个党组反馈了巡察意见。"
    ), width)
    h = header(text)
    assert h.inspected_org is not None
    assert [o.name for o in (h.inspected_org, *h.co_inspected)] == [
        "县教育局党组", "县卫生健康局党组"
    ]


def test_a_joint_notice_reaches_the_json_and_a_valid_graph(tmp_path: Path) -> None:
    from kg.export import notice_to_dict
    from kg.pipeline import extract_notice
    from kg.rdf.build import notice_quads, to_nquads
    from kg.rdf.validate import validate_graph

    text = notice(
        "根据县委统一部署,2023年4月6日至6月2日,县委第一巡察组对县教育局党组、"
        "县卫生健康局党组进行了巡察。7月10日,巡察组向两个党组反馈了巡察意见。"
    )
    found = extract_notice(text)
    both = ["县教育局党组", "县卫生健康局党组"]
    assert notice_to_dict(found)["inspected_orgs"] == both
    labels = {
        q.object.value for q in notice_quads(found)
        if q.predicate.value.endswith("prefLabel")
    }
    assert {"县教育局党组", "县卫生健康局党组"} <= labels
    graph = tmp_path / "graph.nq"
    graph.write_bytes(to_nquads(notice_quads(found)))
    report = validate_graph(graph)
    assert report.conforms, report.text


def test_an_alias_is_an_altlabel_of_the_unit() -> None:
    from kg.pipeline import extract_notice
    from kg.rdf.build import notice_quads

    found = extract_notice(notice(
        "根据市委统一部署,市委第七巡察组于2023年3月14日至5月14日,对市文化和旅游局"
        "(以下简称市文旅局)党委开展政治巡察。2023年7月4日,巡察组向市文旅局党委反馈了"
        "巡察意见。"
    ))
    labels = {
        (q.predicate.value.rsplit("#", 1)[-1], q.object.value)
        for q in notice_quads(found)
        if q.object.value in ("市文化和旅游局党委", "市文旅局")
    }
    assert ("prefLabel", "市文化和旅游局党委") in labels
    assert ("altLabel", "市文旅局") in labels


@pytest.mark.parametrize(
    ("opening", "expected"),
    [
        ("根据市委巡察工作统一部署,2024年7月3日至9月6日,市委第二巡察组对我乡开展了常规"
         "巡察。2024年10月22日,市委第二巡察组向我单位反馈了巡察意见。\n"
         "一、巡察整改工作开展情况\n乡党委立即组织召开沙窝乡八届市委第七轮巡察整改会议。",
         "沙窝乡"),
        ("根据省委部署,2021年9月2日至9月30日,省委第九巡视组对我市进行了巡视“回头看”。"
         "11月11日反馈了巡视意见。",
         "中共某某市委"),
    ],
)
def test_first_person_places(opening: str, expected: str) -> None:
    title = "中共某某市委关于省委巡视“回头看”整改进展情况的通报"
    text = notice(opening, title=title) if "省委" in opening else opening
    assert unit_of(text) == (expected, org_kind(expected), ())
