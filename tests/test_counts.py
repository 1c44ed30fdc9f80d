"""kg/extract/counts.py: the figures a notice announces about the feedback,
in Arabic and Chinese numerals, and the figures beside them that are not
counts. Sentences written for these tests, both punctuation widths."""

from __future__ import annotations

import pytest

from kg.extract.counts import find_counts
from tests.genre import WIDTHS, counts, in_width, notice

OPENING = (
    "根据市委统一部署,2023年3月1日至4月30日,市委第一巡察组对市某局党组进行了巡察。"
    "5月20日,巡察组向市某局党组反馈了巡察意见。"
)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("对照巡察反馈意见,形成总体6个方面17大项问题69子项问题177项任务的整改台账。",
         {"aspects": 6, "categories": 17, "problems": 69, "tasks": 177}),
        ("巡察反馈意见中指出4项12个问题。", {"aspects": 4, "problems": 12}),
        ("针对巡察组反馈的4个方面12个问题,局党组逐项研究。",
         {"aspects": 4, "problems": 12}),
        ("针对巡察反馈意见,确定了六个方面的问题和五个方面意见建议。", {"aspects": 6}),
        ("截至目前,巡察反馈的问题中共计12个问题已整改完成。", {"rectified": 12}),
        ("围绕巡察反馈问题,逐项建立支撑措施543条。", {"measures": 543}),
        ("巡察组指出市某局党组存在3个方面的问题,并提出了3项意见建议。", {"aspects": 3}),
        ("截至目前,巡察反馈25个问题,已完成整改19个、正在整改6个,整改完成率76%。",
         {"problems": 25, "rectified": 19}),
        ("针对市委巡察反馈的4个方面12类问题和4条意见建议,细化成39个具体问题,制定157项"
         "整改措施。",
         {"aspects": 4, "categories": 12, "problems": 39, "measures": 157}),
        ("巡察反馈的四方面10个问题,已整改落实10个。",
         {"aspects": 4, "problems": 10, "rectified": 10}),
        ("委党组围绕巡察反馈的6个方面18个突出问题,研究制定164项整改措施。",
         {"aspects": 6, "problems": 18, "measures": 164}),
        ("对于巡察组反馈意见中提及的12个方面问题,逐条分析,制订了86条措施。",
         {"aspects": 12, "measures": 86}),
    ],
)
def test_count_phrases_of_the_genre(
    sentence: str, expected: dict[str, int], width: str
) -> None:
    assert counts(in_width(notice(OPENING + sentence), width)) == expected


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    "sentence",
    [
        # people, money, rules, meetings and percentages beside the feedback
        "巡察整改中,谈话提醒24人,清退资金5.02万元,建立完善制度45项,召开党组会议6次。",
        "巡察整改完成率达98%,新建制度12项,修订制度31项。",
        # a democratic life meeting's self-examination, not the feedback
        "针对巡察反馈问题,深入查摆班子存在的4个方面12项具体问题。",
        # the angles of one measure, not aspects of the feedback
        "针对巡察指出的问题,着重从三个方面抓好整改。",
        # the unit inspecting others
        "深化政治巡察,向2个区管单位反馈巡察情况,共反馈各类问题10类35个。",
        # a ledger's rule, not a figure
        "坚持清单化管理,做到巡察整改完成一项、销号一项。",
        # a subset led by the secretary, not the total
        "党组书记主动领办巡察反馈的7个重点难点问题。",
        # each measure, not a count of measures
        "明确巡察整改责任,确保每一项整改措施均有明确的责任人。",
        "确保巡察整改任务一件一件落实、整改措施一条一条兑现。",
    ],
)
def test_figures_beside_the_feedback_are_not_counts(sentence: str, width: str) -> None:
    assert counts(in_width(notice(OPENING + sentence), width)) == {}


def test_the_fullest_statement_wins_and_the_other_is_a_warning() -> None:
    text = (
        "巡察指出的3个方面的7项问题,细化分解为20个具体问题。"
        "对照巡察反馈的3个方面7类问题20个具体问题,逐项整改。"
    )
    found, warnings = find_counts(text)
    assert {c.key: c.value for c in found} == {
        "aspects": 3, "categories": 7, "problems": 20, "tasks": 20
    }
    assert any("problems stated as 7" in w for w in warnings)


def test_an_implausible_figure_is_left_out_with_a_warning() -> None:
    found, warnings = find_counts(
        "县委第三巡察组反馈了巡察意见,共指出413个方面33个问题。"
    )
    assert {c.key: c.value for c in found} == {"problems": 33}
    assert any("413" in w for w in warnings)


def test_every_count_points_at_its_figure() -> None:
    text = notice(OPENING + "针对巡察组反馈的三个方面21个问题,已完成整改21个。")
    found, _ = find_counts(text)
    for count in found:
        assert text[count.span.start : count.span.end] == count.span.text
        assert count.span.text[0] in "三2已"


def test_a_count_phrase_seen_but_not_read_is_a_warning() -> None:
    text = (
        "(一)聚焦基层党组织建设方面(5个问题)巡察反馈后,局党组逐项整改。\n"
        "巡察组反馈的3个方面12个问题,已完成整改12个。"
    )
    found, warnings = find_counts(text)
    assert {c.key: c.value for c in found} == {
        "aspects": 3, "problems": 12, "rectified": 12
    }
    at = text.index("5个问题")
    assert warnings == [f"a count phrase was seen but not read: 5个问题 (at {at})"]
