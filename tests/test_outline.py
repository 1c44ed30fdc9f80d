"""kg/outline.py: heading recognition and nesting, on the corpus notices."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.model import HeadingStyle, Section
from kg.outline import (
    _INLINE_FIRST,
    _INLINE_HEADING,
    build_outline,
    is_inline,
    style_key,
)
from tests.scans import assert_lookahead_changes_no_match

CORPUS = Path(__file__).resolve().parent.parent / "examples" / "notices"
NOTICES = [
    "luozhuang-2021",
    "sanmen-2023",
    "dongjiaduan-2022",
    "zaozhuang-2018",
    "dongying-2021",
]
TO_FULL = str.maketrans(",:;()", "，：；（）")


def corpus_text(name: str) -> str:
    return unicodedata.normalize("NFC", (CORPUS / f"{name}.txt").read_text("utf-8"))


def labels(section: Section) -> list[str]:
    return [c.heading.label.text for c in section.children if c.heading]


def find(section: Section, label_start: str) -> Section:
    for s in section.walk():
        if s.heading and s.heading.label.text.startswith(label_start):
            return s
    raise AssertionError(f"no heading starting {label_start!r}")


@pytest.mark.parametrize("name", NOTICES)
@pytest.mark.parametrize("width", ["as published", "full-width"])
def test_every_span_indexes_the_text(name: str, width: str) -> None:
    text = corpus_text(name)
    if width == "full-width":
        text = text.translate(TO_FULL)
    outline = build_outline(text)
    assert outline.root.span.text == text
    for section in outline.root.walk():
        assert text[section.span.start : section.span.end] == section.span.text
        for child in section.children:
            assert section.span.contains(child.span)
        if section.heading:
            for span in (section.heading.marker, section.heading.label):
                assert text[span.start : span.end] == span.text
            assert section.span.start == section.heading.marker.start


@pytest.mark.parametrize(
    ("name", "top"),
    [
        ("luozhuang-2021", ["总体要求", "整改内容和情况"]),
        (
            "dongjiaduan-2022",
            ["组织整改落实情况", "巡察反馈问题整改进展情况", "继续巩固巡察成效"],
        ),
        (
            "dongying-2021",
            [
                "提高政治点位,把整改落实作为一项重要政治任务来抓",
                "整改工作进展情况",
                "下步工作打算",
            ],
        ),
    ],
)
def test_top_level_headings(name: str, top: list[str]) -> None:
    assert labels(build_outline(corpus_text(name)).root) == top


def test_sanmen_aspects_are_top_level_and_closing_enumeration_is_not_in_them() -> None:
    text = corpus_text("sanmen-2023")
    root = build_outline(text).root
    numbered = [
        c
        for c in root.children
        if c.heading and c.heading.style is HeadingStyle.CN_COMMA
    ]
    assert [c.heading.ordinal for c in numbered if c.heading] == list(range(1, 9))
    assert numbered[0].heading and numbered[0].heading.label.text == (
        "关于“贯彻新发展理念还不够到位”问题的整改进展情况"
    )
    # 下一步…一是进一步提高思想认识 closes the notice; it is not part of aspect 八.
    assert "下一步" not in numbered[-1].span.text
    assert numbered[-1].span.text.endswith("给全体党员上党课。")


def test_luozhuang_nests_styles_in_the_order_they_appear() -> None:
    """一、 > (一) > 1、 > 问题:(N) > 整改完成情况: > 1. — "1、" and "1." are two
    levels."""
    root = build_outline(corpus_text("luozhuang-2021")).root
    problem = find(root, "制发公文缺乏严肃性")
    assert problem.heading and problem.heading.style is HeadingStyle.PROBLEM_LABEL
    assert problem.heading.ordinal == 3
    assert problem.heading.marker.text == "问题:(3)"
    group = find(root, "学习教育活动开展不扎实")
    assert problem in group.children
    assert group.heading and style_key(group.heading) == "1、"
    (block,) = problem.children
    assert block.heading and block.heading.style is HeadingStyle.RESULT_LABEL
    items = [c.heading for c in block.children if c.heading]
    assert [(style_key(h), h.ordinal) for h in items] == [("1.", 1), ("1.", 2)]
    assert items[0].label.text == "已责成办公室主任作出检讨,并对文件相关内容进行了修改"


def test_luozhuang_decimal_with_space_is_not_a_heading() -> None:
    text = corpus_text("luozhuang-2021")
    problem = find(build_outline(text).root, "记账不规范")
    assert "5. 67万元" in problem.span.text
    block = problem.children[0]
    assert [c.heading.ordinal for c in block.children if c.heading] == [1, 2, 3]


def test_dongjiaduan_run_in_problem_label_ends_at_situation_colon() -> None:
    root = build_outline(corpus_text("dongjiaduan-2022")).root
    problem = find(root, "对“理论学习不深入”等问题的整改情况")
    assert (
        problem.heading
        and problem.heading.label.text == "对“理论学习不深入”等问题的整改情况"
    )
    kinds = [c.heading.style for c in problem.children if c.heading]
    assert kinds == [HeadingStyle.CN_SHI] * 3 + [HeadingStyle.RESULT_LABEL]


def test_dongying_closing_paragraph_belongs_to_the_findings_not_the_last_problem() -> (
    None
):
    text = corpus_text("dongying-2021")
    root = build_outline(text).root
    findings = find(root, "整改工作进展情况")
    aspect = find(root, "聚焦党组织软弱涣散")
    assert "巡察期间共移交立行立改问题3项" in findings.span.text
    assert "巡察期间共移交立行立改问题3项" not in aspect.span.text
    last = find(root, "对全面从严治党主体责任和监督责任落实不力问题")
    items = [c.heading for c in last.children if c.heading]
    assert [h.ordinal for h in items] == [1, 2, 3, 3, 4, 5]  # the notice repeats (3)


def test_zaozhuang_preamble_enumeration_may_start_at_three() -> None:
    root = build_outline(corpus_text("zaozhuang-2018")).root
    preamble = root.children[0]
    shi = [c.heading.ordinal for c in preamble.children if c.heading]
    assert shi == [3, 4, 5]


def test_run_in_heading_label_stops_at_its_sentence() -> None:
    root = build_outline(corpus_text("luozhuang-2021")).root
    heading = find(root, "指导思想").heading
    assert heading and heading.label.text == "指导思想"
    assert heading.style is HeadingStyle.CN_PAREN


@pytest.mark.parametrize(
    ("line", "style", "ordinal", "key"),
    [
        ("一、总体要求", HeadingStyle.CN_COMMA, 1, "一、"),
        ("十二、其他", HeadingStyle.CN_COMMA, 12, "一、"),
        ("第二部分 整改情况", HeadingStyle.CN_COMMA, 2, "第一部分"),
        ("(三)工作缺乏韧劲", HeadingStyle.CN_PAREN, 3, "(一)"),
        ("（三）工作缺乏韧劲", HeadingStyle.CN_PAREN, 3, "(一)"),
        ("2.关于党员发展工作不严肃的问题。", HeadingStyle.ARABIC_DOT, 2, "1."),
        ("2．关于党员发展工作不严肃的问题。", HeadingStyle.ARABIC_DOT, 2, "1."),
        ("１２．关于党员发展工作不严肃的问题。", HeadingStyle.ARABIC_DOT, 12, "1."),
        ("2、学习教育活动开展不扎实。", HeadingStyle.ARABIC_DOT, 2, "1、"),
        ("2，学习教育活动开展不扎实。", HeadingStyle.ARABIC_DOT, 2, "1、"),
        ("(12)针对换届工作不严不实的问题。", HeadingStyle.ARABIC_PAREN, 12, "(1)"),
        ("（12）针对换届工作不严不实的问题。", HeadingStyle.ARABIC_PAREN, 12, "(1)"),
        ("⑤对“党建资料造假”等问题的整改情况:2022年", HeadingStyle.CIRCLED, 5, "①"),
        ("三是强化问题导向,量化巡察整改任务。", HeadingStyle.CN_SHI, 3, "一是"),
        (
            "问题:(28)对巡视巡察审计发现的问题整改缓慢。",
            HeadingStyle.PROBLEM_LABEL,
            28,
            "问题:",
        ),
        ("问题２：理论学习不深入。", HeadingStyle.PROBLEM_LABEL, 2, "问题:"),
        (
            "整改落实情况:已完成整改,并长期坚持。",
            HeadingStyle.RESULT_LABEL,
            0,
            "整改完成情况:",
        ),
        ("整改措施：", HeadingStyle.RESULT_LABEL, 0, "整改完成情况:"),
        (
            "关于“财务管理不规范”问题的整改情况",
            HeadingStyle.PROBLEM_LABEL,
            0,
            "topic:关于",
        ),
        ("党风廉政建设方面", HeadingStyle.PROBLEM_LABEL, 0, "topic:方面"),
    ],
)
def test_heading_markers_in_both_widths(
    line: str, style: HeadingStyle, ordinal: int, key: str
) -> None:
    (section,) = build_outline(line).root.children
    assert section.heading is not None
    assert (section.heading.style, section.heading.ordinal) == (style, ordinal)
    assert style_key(section.heading) == key


@pytest.mark.parametrize(
    "line",
    [
        "共计24次,涉及金额5. 67万元。",  # 罗庄: a decimal with a stray space
        "1、2月份召开党组会议3次。",  # a range of months
        "2022.10.24",  # a date
        "12.5%的企业已完成整改。",
        "仅满足于 “听说过”、“大体知道一点”。",
        "如“1.加强学习”等表述均系抄袭。",  # an ordinal in quotes
        "统一是党的领导的要求。",  # 一是 inside a word
        "电话(0539)8243981;邮箱lzq@ly.cn。",
        "截至目前,已完成整改21个,其中3是新发现的问题。",
    ],
)
def test_false_headings_are_not_headings(line: str) -> None:
    assert build_outline(line).root.children == ()


def test_inline_enumeration_must_run_in_order() -> None:
    text = "(1)加强学习。一是组织学习;三是开展测试;二是召开会议。"
    (item,) = build_outline(text).root.children
    shi = [c.heading for c in item.children if c.heading]
    # 三是 does not follow 一是, so it stays inside the first item.
    assert [h.ordinal for h in shi] == [1, 2]
    assert all(is_inline(text, h) for h in shi)
    assert "三是开展测试" in item.children[0].span.text


def test_a_style_seen_again_closes_the_deeper_levels() -> None:
    text = "一、甲\n(一)乙\n1.丙\n(1)丁\n(二)戊\n1.己\n二、庚"
    root = build_outline(text).root
    assert labels(root) == ["甲", "庚"]
    first = root.children[0]
    assert labels(first) == ["乙", "戊"]
    assert labels(first.children[0]) == ["丙"]
    assert labels(first.children[0].children[0]) == ["丁"]
    assert labels(first.children[1]) == ["己"]


def test_text_without_headings_is_a_bare_root() -> None:
    text = "根据区委统一部署,区委第一巡察组对我单位进行了巡察。\n现将整改情况予以公布。"
    outline = build_outline(text)
    assert outline.root.heading is None
    assert outline.root.children == ()
    assert outline.root.span.text == text
    assert build_outline("").root.children == ()


@pytest.mark.parametrize(
    ("line", "ordinal"),
    [
        ("一、总体要求", 1),
        ("十、其他问题", 10),
        ("（十二）强化组织领导", 12),
        ("(二十)压实整改责任", 20),
        ("九十九是建立长效机制。", 99),
        ("3.制定学习计划", 3),
        ("（１２）修订制度", 12),
        ("问题:理论学习不深入", 0),
    ],
)
def test_a_heading_ordinal_is_the_number_its_marker_writes(
    line: str, ordinal: int
) -> None:
    (section,) = build_outline(line).root.children
    assert section.heading is not None
    assert section.heading.ordinal == ordinal


# Words separated by "|": markers of every style, result and problem labels,
# punctuation, text and numbers that are not markers.
_MARKER_WORDS = (
    "一是|十二是|1.|２、|3 .|(4)|（５）|①|㉑|问题：|问题(2):|整改完成情况:"
    "|整改落实情况：|整改进展情况:|整改推进情况:|整改情况:|整改措施：|整改结果:|整改成效:|落实情况:"
    "|完成情况：|。|，|；| |\n|加强学习|2019.10|5. 67万元"
).split("|")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_MARKER_WORDS), max_size=12).map("".join))
def test_the_inline_headings_lookahead_changes_no_match(text: str) -> None:
    # The lookahead only lets the scan skip characters no item begins with.
    assert_lookahead_changes_no_match(_INLINE_HEADING, _INLINE_FIRST, text)
