"""kg/extract/head.py and the dates of the inspection: titles behind page
chrome, publication dates in a page's head, and the order of the dates,
in text written for these tests."""

from __future__ import annotations

import pytest

from kg.extract.head import page_field
from kg.ingest import source_from_text
from tests.genre import WIDTHS, header, in_width, notice

OPENING = (
    "根据市委统一部署,2023年3月1日至4月30日,市委第一巡察组对市某局党组进行了巡察。"
    "5月20日,巡察组向市某局党组反馈了巡察意见。现将巡察整改进展情况予以公布。"
)
TITLE = "中共某市某局党组关于巡察整改进展情况的通报"


@pytest.mark.parametrize(
    ("head_lines", "title", "published"),
    [
        (f"首页 > 巡察工作 > {TITLE}\n来源:区纪委区监委\n发布时间:2023-09-16",
         TITLE, "2023-09-16"),
        (f"某市人民政府门户网站 某市某局 政务公告 {TITLE}\n来源:本网   时间:2023-09-16"
         " 18:18:56", TITLE, "2023-09-16"),
        (f"{TITLE} 2023-09-16", TITLE, "2023-09-16"),
        ("中共某市某局委员会关于\n巡察整改进展情况的通报\n时间:2023-09-16 11:05:25",
         "中共某市某局委员会关于\n巡察整改进展情况的通报", "2023-09-16"),
        (f"【巡察整改】{TITLE}\n编辑:某某 发表时间:2023-09-16 10:56 来源:某网",
         f"【巡察整改】{TITLE}", "2023-09-16"),
        ("中共某市某局党组 关于巡察整改情况的通报\n2023年9月16日09:20 来源:某网",
         "中共某市某局党组 关于巡察整改情况的通报", "2023-09-16"),
        (f"{TITLE}\n2023年09月16日 来源: 中共某市某局党组 作者: 字体:",
         TITLE, "2023-09-16"),
        ("所在位置:首页 > 巡视巡察 > 巡察整改情况\n"
         "中共某县某局委员会关于巡察整改进展情况的报告\n日期:2023-09-16 08:46:31",
         "中共某县某局委员会关于巡察整改进展情况的报告", "2023-09-16"),
    ],
)
def test_title_and_publication_date_of_a_saved_page(
    head_lines: str, title: str, published: str
) -> None:
    h = header(f"{head_lines}\n{OPENING}\n一、整改工作组织情况\n局党组高度重视。\n")
    assert h.title is not None and h.title.text == title
    assert h.published is not None and h.published.iso == published


def test_a_page_update_time_is_not_the_publication_date() -> None:
    h = header(f"{TITLE}\n更新时间:2024-01-02\n{OPENING}\n一、整改工作组织情况\n")
    assert h.published is None


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    ("opening", "start", "end", "feedback"),
    [
        # the group before the dates, the year carried to the end date
        ("根据市委统一部署,市委第七巡察组于2023年3月14日至5月14日,对市某局党委开展政治"
         "巡察。2023年7月4日,巡察组向市某局党委反馈了巡察意见。",
         "2023-03-14", "2023-05-14", "2023-07-04"),
        # a feedback date without its year after an inspection across the new year
        ("根据县委统一部署,2022年11月7日至2023年1月6日,县委第二巡察组对县某局党组进行了"
         "巡察。3月2日,巡察组向县某局党组反馈了巡察意见。",
         "2022-11-07", "2023-01-06", "2023-03-02"),
        # a feedback in the inspection's sentence, after 并于
        ("根据区委统一部署,区委第五巡察组于2025年4月15日至2025年6月30日对区某局党组进行"
         "了巡察,并于2025年9月8日反馈了巡察意见。",
         "2025-04-15", "2025-06-30", "2025-09-08"),
        # a page that lost 年, 月 and 日
        ("根据市委统一部署,2024717日至830日,市委第六巡察组对市某委党委进行了巡察。914日,"
         "巡察组向市某委党委反馈了巡察意见。",
         "2024-07-17", "2024-08-30", "2024-09-14"),
        # the feedback in the inspection's sentence, 进行了反馈
        ("根据市委统一部署,市委第四巡察组于2024年7月9日至9月14日对市某委党组开展了巡察,"
         "并于2025年1月17日进行了反馈。",
         "2024-07-09", "2024-09-14", "2025-01-17"),
        # the end of the range lost its 日
        ("根据市委统一部署,2022年8月19日至2022年11月15市委第三巡察组对市某联党组开展了常规"
         "巡察,2023年1月16日,市委第三巡察组向市某联党组反馈了巡察意见。",
         "2022-08-19", "2022-11-15", "2023-01-16"),
    ],
)
def test_inspection_dates_of_the_genre(
    opening: str, start: str, end: str, feedback: str, width: str
) -> None:
    h = header(in_width(notice(opening), width))
    assert h.inspection_start is not None and h.inspection_start.iso == start
    assert h.inspection_end is not None and h.inspection_end.iso == end
    assert h.feedback_date is not None and h.feedback_date.iso == feedback


def test_a_feedback_before_the_inspection_ended_is_dropped_with_a_warning() -> None:
    h = header(notice(
        "根据市委统一部署,2023年3月1日至4月30日,市委第一巡察组对市某局党组进行了巡察。"
        "2023年4月2日,巡察组向市某局党组反馈了巡察意见。"
    ))
    assert h.feedback_date is None
    assert any("before the inspection ended" in w for w in h.warnings)


def test_a_period_of_over_half_a_year_ending_after_the_feedback_loses_its_end() -> None:
    h = header(notice(
        "根据市委统一部署,2024年5月22日至2025年7月24日,市委第二专项巡察组对市委某部开展"
        "了专项巡察。2024月10月15日,市委第二专项巡察组向市委某部反馈了巡察意见。"
    ))
    assert h.inspection_start is not None and h.inspection_start.iso == "2024-05-22"
    assert h.inspection_end is None
    assert h.feedback_date is not None and h.feedback_date.iso == "2024-10-15"
    assert any("the period is left out" in w for w in h.warnings)


def test_a_publication_before_the_feedback_is_dropped_with_a_warning() -> None:
    h = header(f"{TITLE}\n发布时间:2023-05-01\n{OPENING}\n一、整改工作组织情况\n")
    assert h.published is None
    assert any("publication date 2023-05-01" in w for w in h.warnings)


@pytest.mark.parametrize(
    ("line", "value"),
    [
        ("发布机构:某市某局  发布时间:2023-09-16", "某市某局"),
        # a field's name inside a word is not the field: the next one is
        ("转发布机构:不是它 发布机构：某市某局", "某市某局"),
        ("标题:无关\n信息名称 某市某局 成文日期:2023-09-16", "某市某局"),
        ("信息发布机构来源:某网", None),
    ],
)
def test_a_page_field_starts_a_line_or_follows_a_space(
    line: str, value: str | None
) -> None:
    text = f"{line}\n{OPENING}\n"
    found = page_field(text, source_from_text(text), ("发布机构", "信息名称"))
    assert (found.text if found else None) == value
