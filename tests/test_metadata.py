"""Notice metadata: every field of every corpus notice, with exact spans, in
either punctuation width; and sentences of the genre beyond the corpus."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import pytest

from kg.extract.metadata import find_metadata
from kg.model import Notice, Outline, Section, Source, Span

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "notices"
HALF_TO_FULL = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）"})
FULL_TO_HALF = str.maketrans(
    {v: k for k, v in ((",", "，"), (":", "："), (";", "；"), ("(", "（"), (")", "）"))}
)
NO_COUNTS = dict.fromkeys(
    ("aspects", "categories", "problems", "rectified", "measures", "tasks")
)

EXPECTED: dict[str, dict[str, Any]] = {
    "luozhuang-2021": {
        "title": "罗庄区投资促进服务中心党组关于巡察整改进展情况的通报",
        "publisher": "罗庄区投资促进服务中心",
        "published": "2021-03-11",
        "inspected_org": ("罗庄区投资促进服务中心党组", "党组"),
        "inspecting_body": ("区委", "区", "罗庄区委"),
        "inspection_group": ("区委第一巡察组", 1, "巡察", "罗庄区委第一巡察组"),
        "inspection_start": "2019-11-08",
        "inspection_end": "2019-12-08",
        "feedback_date": "2020-04-01",
        "counts": {
            **NO_COUNTS,
            "aspects": 5,
            "categories": 14,
            "problems": 28,
            "rectified": 28,
        },
    },
    "sanmen-2023": {
        "title": "中共三门县投资促进中心党组\n关于巡察整改进展情况的通报",
        "publisher": "中共三门县投资促进中心党组",
        "published": None,
        "inspected_org": ("三门县投资促进中心党组", "党组"),
        "inspecting_body": ("县委", "县", "三门县委"),
        "inspection_group": ("县委第一巡察组", 1, "巡察", "三门县委第一巡察组"),
        "inspection_start": "2023-03-20",
        "inspection_end": "2023-06-21",
        "feedback_date": "2023-08-08",
        "counts": {**NO_COUNTS, "aspects": 3, "problems": 21, "rectified": 21},
    },
    "dongjiaduan-2022": {
        "title": None,
        "publisher": "株洲高新区董家塅片区党工委",
        "published": "2022-10-24",
        "inspected_org": ("株洲高新区董家塅片区党工委", "党工委"),
        "inspecting_body": ("区委", "区", "株洲高新区委"),
        "inspection_group": ("区委第四巡察组", 4, "巡察", "株洲高新区委第四巡察组"),
        "inspection_start": "2022-03-01",
        "inspection_end": "2022-04-30",
        "feedback_date": "2022-06-07",
        "counts": {
            **NO_COUNTS,
            "aspects": 3,
            "problems": 12,
            "rectified": 12,
            "tasks": 41,
        },
    },
    "zaozhuang-2018": {
        "title": None,
        "publisher": None,
        "published": None,
        "inspected_org": ("枣庄高新区党委", "党委"),
        "inspecting_body": ("市委", "市", "枣庄市委"),
        "inspection_group": ("市委第一巡察组", 1, "巡察", "枣庄市委第一巡察组"),
        "inspection_start": "2018-01-15",
        "inspection_end": "2018-03-20",
        "feedback_date": "2018-04-09",
        "counts": {**NO_COUNTS, "tasks": 33, "measures": 101},
    },
    "dongying-2021": {
        "title": "中共东营市委经济技术开发区工作委员会关于巡察整改进展情况的通报",
        "publisher": "中共东营市委经济技术开发区工作委员会",
        "published": "2021-12-15",
        "inspected_org": ("东营经济技术开发区党工委", "党工委"),
        "inspecting_body": ("市委", "市", "东营市委"),
        "inspection_group": ("市委第一巡察组", 1, "巡察", "东营市委第一巡察组"),
        "inspection_start": "2021-04-29",
        "inspection_end": "2021-06-28",
        "feedback_date": "2021-08-06",
        "counts": {
            **NO_COUNTS,
            "aspects": 3,
            "categories": 12,
            "tasks": 60,
            "measures": 156,
        },
    },
}


def source(text: str) -> Source:
    return Source(
        text=unicodedata.normalize("NFC", text),
        path=None,
        sha256="x",
        encoding="utf-8",
        media_type="text/plain",
    )


def header(text: str) -> Notice:
    src = source(text)
    outline = Outline(root=Section(heading=None, span=Span.of(src.text, 0, len(text))))
    return find_metadata(Notice(id="t", source=src), outline)


def spans(h: Notice) -> list[Span]:
    found = [s for s in (h.title, h.publisher) if s is not None]
    for fact in (
        h.published,
        h.inspected_org,
        h.inspecting_body,
        h.inspection_group,
        h.inspection_start,
        h.inspection_end,
        h.feedback_date,
    ):
        if fact is not None:
            found.append(fact.span)
    return found + [c.span for c in h.counts]


def values(h: Notice) -> dict[str, Any]:
    counts = dict(NO_COUNTS)
    counts.update({c.key: c.value for c in h.counts})
    org, body, group = h.inspected_org, h.inspecting_body, h.inspection_group
    return {
        "title": h.title.text if h.title else None,
        "publisher": h.publisher.text if h.publisher else None,
        "published": h.published.iso if h.published else None,
        "inspected_org": (org.name, org.kind) if org else None,
        "inspecting_body": (body.name, body.level, body.canonical) if body else None,
        "inspection_group": (
            (group.name, group.ordinal, group.kind, group.canonical) if group else None
        ),
        "inspection_start": h.inspection_start.iso if h.inspection_start else None,
        "inspection_end": h.inspection_end.iso if h.inspection_end else None,
        "feedback_date": h.feedback_date.iso if h.feedback_date else None,
        "counts": counts,
    }


def corpus(name: str) -> str:
    return (EXAMPLES / f"{name}.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_field_of_the_corpus_notice(name: str) -> None:
    h = header(corpus(name))
    assert values(h) == EXPECTED[name]
    assert h.warnings == ()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_span_is_the_text_it_claims(name: str) -> None:
    text = corpus(name)
    h = header(text)
    found = spans(h)
    assert len(found) >= 8
    for span in found:
        assert text[span.start : span.end] == span.text


@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.parametrize("table", [HALF_TO_FULL, FULL_TO_HALF], ids=["full", "half"])
def test_punctuation_width_does_not_change_the_metadata(
    name: str, table: dict[int, str]
) -> None:
    assert values(header(corpus(name).translate(table))) == EXPECTED[name]


@pytest.mark.parametrize(
    ("name", "field", "written"),
    [
        ("luozhuang-2021", "inspection_end", "12月8日"),
        ("luozhuang-2021", "feedback_date", "4月1日"),
        ("luozhuang-2021", "published", "2021-03-11"),
        ("sanmen-2023", "feedback_date", "2023年8月8日"),
        ("dongjiaduan-2022", "published", "2022年10月24日"),
        ("zaozhuang-2018", "inspection_start", "2018年1月15日"),
        ("dongying-2021", "feedback_date", "8月6日"),
    ],
)
def test_dates_point_at_what_the_notice_wrote(
    name: str, field: str, written: str
) -> None:
    date = getattr(header(corpus(name)), field)
    assert date.span.text == written


def test_a_year_left_out_puts_the_feedback_after_the_inspection() -> None:
    h = header(corpus("luozhuang-2021"))
    assert h.feedback_date is not None
    assert h.feedback_date.inferred_year
    assert h.inspection_end is not None
    assert h.feedback_date.iso > h.inspection_end.iso


def test_a_page_update_time_is_not_the_publication_date() -> None:
    # dongjiaduan-2022 opens with 更新时间:2023-03-02; it was signed 2022-10-24
    h = header(corpus("dongjiaduan-2022"))
    assert h.published is not None and h.published.iso == "2022-10-24"


@pytest.mark.parametrize(
    ("name", "key", "written"),
    [
        ("luozhuang-2021", "rectified", "28项问题已全部完成整改"),
        ("sanmen-2023", "rectified", "已完成整改21个"),
        ("dongjiaduan-2022", "rectified", "12个具体问题的全部整改"),
        ("dongjiaduan-2022", "tasks", "41项具体问题"),
        ("zaozhuang-2018", "measures", "整改措施101条"),
        ("dongying-2021", "categories", "12类"),
        ("dongying-2021", "measures", "156条具体整改措施"),
    ],
)
def test_counts_point_at_their_figures(name: str, key: str, written: str) -> None:
    (count,) = [c for c in header(corpus(name)).counts if c.key == key]
    assert count.span.text == written


@pytest.mark.parametrize(
    "sentence",
    [
        # dongying-2021: its own 民主生活会 self-examination
        "8月20日,党工委召开巡察整改专题民主生活会,针对巡察反馈问题和征求到的意见建议,"
        "深入查摆党工委班子存在的4个方面12项具体问题。",
        # dongying-2021: the unit's own inspections of others
        "深化政治巡察,组织召开巡察反馈会议,向2个区管单位反馈巡察情况,"
        "共反馈各类问题10类35个。",
        # dongying-2021: its own supervision
        "采取“四不两直”方式实地检查54处,张贴公告5400余份,现场反馈6个问题,全部完成整改。",
        # zaozhuang-2018: rules made are no count key
        "巡察整改期间,高新区新建完善各项制度38项。",
        # dongjiaduan-2022
        "截止10月25日,召开专题会议11次,出台制度文件4个。",
        "着重从六个方面抓好整改。",
    ],
)
def test_figures_not_about_the_feedback_are_not_counts(sentence: str) -> None:
    assert header(sentence).counts == ()
    assert header(sentence.translate(HALF_TO_FULL)).counts == ()


def test_a_count_stated_twice_differently_keeps_the_first_and_warns() -> None:
    h = header(
        "巡察组反馈的3个方面15个问题。目前,巡察组反馈的3个方面16个问题已全部完成整改。"
    )
    assert {c.key: c.value for c in h.counts} == {
        "aspects": 3,
        "problems": 15,
        "rectified": 16,
    }
    assert any("problems stated as 15" in w for w in h.warnings)


GENRE = (
    "根据十届县委第三轮巡察工作安排,2021年3月15日至5月20日,县委第二巡察组"
    "对仙居县财政局党组进行了巡察。2021年6月5日,县委第二巡察组向仙居县财政局党组"
    "反馈了巡察意见。对照巡察组反馈的4个方面、11个大项、35个子项问题,"
    "制定了87条整改措施,细化分解为52项整改任务,目前已完成整改任务50项。\n"
    "中共仙居县财政局党组\n"
    "二〇二一年九月三十日\n"
)


@pytest.mark.parametrize("table", [HALF_TO_FULL, FULL_TO_HALF], ids=["full", "half"])
def test_a_county_notice_of_the_genre(table: dict[int, str]) -> None:
    h = header(GENRE.translate(table))
    got = values(h)
    assert got["inspection_group"] == (
        "县委第二巡察组",
        2,
        "巡察",
        "仙居县委第二巡察组",
    )
    assert got["inspecting_body"] == ("县委", "县", "仙居县委")
    assert got["inspected_org"] == ("仙居县财政局党组", "党组")
    assert (got["inspection_start"], got["inspection_end"]) == (
        "2021-03-15",
        "2021-05-20",
    )
    assert got["feedback_date"] == "2021-06-05"
    assert got["publisher"] == "中共仙居县财政局党组"
    assert got["published"] == "2021-09-30"
    assert {c.key: c.value for c in h.counts} == {
        "aspects": 4,
        "categories": 11,
        "problems": 35,
        "measures": 87,
        "tasks": 52,
        "tasks_done": 50,
    }


@pytest.mark.parametrize(
    ("text", "group", "body", "start", "end", "feedback", "org"),
    [
        (
            "按照党中央统一部署,中央第十五巡视组于2021年3月15日至5月20日对中国华能集团"
            "有限公司党组开展了常规巡视。2021年8月5日,中央第十五巡视组向中国华能集团"
            "有限公司党组反馈了巡视意见。",
            ("中央第十五巡视组", 15, "巡视", "中央第十五巡视组"),
            ("中央", "中央", "中央"),
            "2021-03-15",
            "2021-05-20",
            "2021-08-05",
            ("中国华能集团有限公司党组", "党组"),
        ),
        (
            "按照省委统一部署,2019年4月至5月,省委第三巡视组对山东省科技厅党组进行了"
            "巡视。2020年6月5日,省委巡视组向山东省科技厅党组反馈了巡视意见。",
            ("省委第三巡视组", 3, "巡视", "山东省委第三巡视组"),
            ("省委", "省", "山东省委"),
            "2019-04-01",
            "2019-05-31",
            "2020-06-05",
            ("山东省科技厅党组", "党组"),
        ),
        (
            "根据市委统一部署,2019年12月至2020年1月,市委第二巡察组对临沂市商务局党组"
            "进行了巡察。3月2日,市委第二巡察组向临沂市商务局党组反馈了巡察意见。",
            ("市委第二巡察组", 2, "巡察", "临沂市委第二巡察组"),
            ("市委", "市", "临沂市委"),
            "2019-12-01",
            "2020-01-31",
            "2020-03-02",
            ("临沂市商务局党组", "党组"),
        ),
    ],
)
@pytest.mark.parametrize("table", [HALF_TO_FULL, FULL_TO_HALF], ids=["full", "half"])
def test_inspections_of_the_genre(
    text: str,
    group: tuple[str, int, str, str],
    body: tuple[str, str, str],
    start: str,
    end: str,
    feedback: str,
    org: tuple[str, str],
    table: dict[int, str],
) -> None:
    got = values(header(text.translate(table)))
    assert got["inspection_group"] == group
    assert got["inspecting_body"] == body
    assert (got["inspection_start"], got["inspection_end"]) == (start, end)
    assert got["feedback_date"] == feedback
    assert got["inspected_org"] == org


def test_a_period_to_the_month_is_flagged() -> None:
    h = header("2019年4月至5月,省委第三巡视组对山东省科技厅党组进行了巡视。")
    assert any("to the month only" in w for w in h.warnings)


def test_missing_facts_are_warned_about() -> None:
    h = header("现将整改情况予以公布。")
    assert "no inspection group found" in h.warnings
    assert "no inspection period found" in h.warnings
    assert h.inspected_org is None and h.feedback_date is None


def test_a_title_that_mentions_the_committee_gives_no_false_locality() -> None:
    text = (
        "中共青山县市场监督管理局党组关于县委第三轮巡察整改情况的通报\n"
        "根据县委统一部署，二〇二〇年九月七日至十月三十日，县委第二巡察组对县市场监督"
        "管理局党组开展了常规巡察，并于2020年12月3日反馈了巡察意见。\n"
    )
    h = header(text)
    assert h.inspecting_body is not None
    assert h.inspecting_body.canonical == "青山县委"
    assert h.inspection_group is not None
    assert h.inspection_group.canonical == "青山县委第二巡察组"
    assert h.inspection_start is not None and h.inspection_end is not None
    assert (h.inspection_start.iso, h.inspection_end.iso) == (
        "2020-09-07",
        "2020-10-30",
    )
    assert h.feedback_date is not None
    assert h.feedback_date.iso == "2020-12-03"


def test_a_title_that_names_the_inspection_group_is_still_the_title() -> None:
    text = (
        "中共某某省委员会关于中央第十五巡视组巡视反馈意见整改进展情况的通报\n"
        "根据党中央统一部署，2021年4月6日至6月6日，中央第十五巡视组对某某省进行了巡视。"
        "8月26日，中央巡视组向某某省委反馈了巡视意见。\n"
    )
    h = header(text)
    assert h.title is not None
    assert h.title.text.startswith("中共某某省委员会关于中央第十五巡视组")
    assert h.inspection_group is not None
    assert h.inspection_group.name == "中央第十五巡视组"
    assert h.feedback_date is not None and h.feedback_date.iso == "2021-08-26"
