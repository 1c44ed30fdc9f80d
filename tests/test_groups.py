"""kg/extract/groups.py: inspection groups beyond 「X委第N巡察组」, read from
sentences of the genre written for these tests, in both punctuation widths."""

from __future__ import annotations

import pytest

from kg.extract.groups import find_groups, pick_group
from tests.genre import WIDTHS, header, in_width, notice


def group_of(text: str) -> tuple[str, int | None, str | None, int | None, str] | None:
    group = header(text).inspection_group
    if group is None:
        return None
    return group.name, group.ordinal, group.variety, group.round, group.kind


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    ("opening", "expected"),
    [
        # special-purpose, raised-level, cross and mobile groups, with a number
        ("根据市委统一部署,2023年3月1日至4月30日,市委第一专项巡察组对市某局党组进行了"
         "巡察。5月20日,巡察组向市某局党组反馈了巡察意见。",
         ("市委第一专项巡察组", 1, "专项", None, "巡察")),
        ("根据市委统一部署,2023年3月1日至4月30日,市委第二提级巡察组对某镇党委开展了"
         "提级巡察。5月20日,巡察组向某镇党委反馈了巡察意见。",
         ("市委第二提级巡察组", 2, "提级", None, "巡察")),
        ("根据区委统一部署,2022年9月5日至10月28日,区委第三交叉巡察组对区某局党组进行了"
         "交叉巡察。11月2日,巡察组向区某局党组反馈了巡察意见。",
         ("区委第三交叉巡察组", 3, "交叉", None, "巡察")),
        ("根据县委统一部署,2021年5月6日至6月8日,县委机动巡察组对县某中心党支部开展了"
         "机动巡察。6月30日,巡察组向县某中心党支部反馈了巡察意见。",
         ("县委机动巡察组", None, "机动", None, "巡察")),
        # the numeral after the word, and a round fused with the group
        ("根据市委统一部署,2024年4月8日至6月7日,市委巡察四组对市某局党委进行了巡察。"
         "7月3日,巡察组向市某局党委反馈了巡察意见。",
         ("市委巡察四组", 4, None, None, "巡察")),
        ("根据市委统一部署,2020年6月1日至8月31日,七届市委第十二轮巡察一组对我院党组"
         "开展了巡察,并于2020年10月14日反馈了巡察意见。",
         ("市委第十二轮巡察一组", 1, None, 12, "巡察")),
        # a group named by its topic, quotes and 、 inside
        ("根据区委统一部署,2022年3月1日至4月15日,区委营商环境专项巡察组对区某局党组"
         "进行了专项巡察。5月6日,巡察组向区某局党组反馈了巡察意见。",
         ("区委营商环境专项巡察组", None, "专项", None, "巡察")),
        ("根据市委统一部署,2020年12月1日至2021年1月30日,市委深化“放管服”改革、优化"
         "营商环境专项巡察组对市某局进行了专项巡察。2021年3月9日,专项巡察组向市某局"
         "党组反馈了巡察意见。",
         ("市委深化“放管服”改革、优化营商环境专项巡察组", None, "专项", None, "巡察")),
        ("根据市委统一部署,2020年10月9日至11月30日,市委“清波”专项行动机动巡察组对某县"
         "开展了机动巡察。12月21日,巡察组向某县县委反馈了巡察意见。",
         ("市委“清波”专项行动机动巡察组", None, "机动", None, "巡察")),
        # 巡视 by the centre and a province
        ("根据中央统一部署,2021年4月1日至6月30日,中央第十巡视组对某大学党委进行了"
         "常规巡视。9月8日,中央巡视组向某大学党委反馈了巡视意见。",
         ("中央第十巡视组", 10, None, None, "巡视")),
        ("根据省委统一部署,2023年11月13日至12月29日,省委第三巡视组对省某厅党组开展了"
         "巡视“回头看”。2024年2月26日,省委第三巡视组向省某厅党组反馈了巡视“回头看”意见。",
         ("省委第三巡视组", 3, None, None, "巡视")),
    ],
)
def test_group_shapes_of_the_genre(
    opening: str, expected: tuple[object, ...], width: str
) -> None:
    assert group_of(in_width(notice(opening), width)) == expected


def test_the_round_is_not_the_group() -> None:
    text = notice(
        "根据十四届市委第五轮巡察工作安排,市委第七巡察组于2023年7月13日至8月31日,"
        "对市某委党组开展了常规巡察。2023年10月13日,巡察组向市某委党组反馈了巡察意见。"
    )
    assert group_of(text) == ("市委第七巡察组", 7, None, None, "巡察")


def test_a_bare_group_mentioned_again_does_not_replace_the_named_one() -> None:
    text = "巡察组进驻后。根据县委部署,县委第二巡察组对县某局党组进行了巡察。"
    phrase = pick_group(text, None)
    assert phrase is not None
    assert text[phrase.start : phrase.end] == "县委第二巡察组"


def test_every_group_phrase_is_found_with_its_offsets() -> None:
    text = "市委第一巡察组、市委巡察二组和区委营商环境专项巡察组"
    found = [text[p.start : p.end] for p in find_groups(text)]
    assert found == ["市委第一巡察组", "市委巡察二组", "区委营商环境专项巡察组"]


def test_a_topic_needs_its_committee() -> None:
    # 纪委 is no body of a group: its secretary's sentence names no group
    text = "由市纪委书记、监委主任任副组长的落实市委专项巡察组反馈意见整改工作领导小组"
    found = [text[p.start : p.end] for p in find_groups(text)]
    assert found == ["市委专项巡察组"]
