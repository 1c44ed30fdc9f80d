"""Chinese numerals, dates, 文号 and amounts, on sentences of the corpus."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extract.numbers import (
    _AMOUNT,
    _AMOUNT_FIRST,
    _DATE_FIRST,
    _DATES,
    _ISSUER_LEAD,
    _YEAR_ANCHOR,
    find_amounts,
    find_dates,
    find_doc_numbers,
    find_periods,
    parse_cn_number,
)
from tests.scans import assert_lookahead_changes_no_match


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("一", 1),
        ("两", 2),
        ("三", 3),
        ("十", 10),
        ("十二", 12),
        ("二十一", 21),
        ("一百五十六", 156),
        ("一百〇五", 105),
        ("一千零五", 1005),
        ("二十万", 200_000),
        ("一亿二千万", 120_000_000),
        ("二〇一九", 2019),
        ("二○二一", 2021),
        ("零", 0),
        ("28", 28),
        ("２８", 28),
        ("3万", 30_000),
    ],
)
def test_parse_cn_number_reads_numerals_as_notices_write_them(
    written: str, value: int
) -> None:
    assert parse_cn_number(written) == value


@pytest.mark.parametrize("written", ["", "方面", "十x"])
def test_parse_cn_number_rejects_what_is_no_number(written: str) -> None:
    with pytest.raises(ValueError):
        parse_cn_number(written)


def dates_of(text: str, default_year: int | None = None) -> list[tuple[str, str, bool]]:
    found = find_dates(text, default_year)
    for date in found:
        assert text[date.span.start : date.span.end] == date.span.text
    return [(d.span.text, d.iso, d.inferred_year) for d in found]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            # luozhuang-2021: the range's end and the feedback take 2019 from
            # the text; only metadata knows the feedback came after the end
            "根据区委统一部署,2019年11月8日至12月8日,区委第一巡察组对罗庄区投资促进"
            "服务中心党组进行了巡察。4月1日,巡察组向罗庄区投资促进服务中心党组反馈了"
            "巡察意见。",
            [
                ("2019年11月8日", "2019-11-08", False),
                ("12月8日", "2019-12-08", True),
                ("4月1日", "2019-04-01", True),
            ],
        ),
        (
            "如,2019年1月14 日,考勤表、“三会一课”签到表标注某同志已到外地开展工作",
            [("2019年1月14 日", "2019-01-14", False)],
        ),
        (
            " 信息名称  罗庄区投资促进服务中心党组关于巡察整改进展情况的通报"
            "  成文日期  2021-03-11",
            [("2021-03-11", "2021-03-11", False)],
        ),
        (
            "5月14日至28日,成立督导组对全区各村及区直有关单位党组织开展了"
            "“三会一课”等情况的督导检查",
            [("5月14日", "2018-05-14", True), ("28日", "2018-05-28", True)],
        ),
        (
            "责其退回2018年11月-2019年6月30日应扣工资",
            [("2019年6月30日", "2019-06-30", False)],
        ),
        (
            "2021.3.11 与 2021/3/11",
            [
                ("2021.3.11", "2021-03-11", False),
                ("2021/3/11", "2021-03-11", False),
            ],
        ),
        ("二〇二一年三月十一日", [("二〇二一年三月十一日", "2021-03-11", False)]),
        ("２０２１年３月１１日", [("２０２１年３月１１日", "2021-03-11", False)]),
        (
            "2019年12月20日至1月10日",
            [
                ("2019年12月20日", "2019-12-20", False),
                ("1月10日", "2020-01-10", True),
            ],
        ),
    ],
)
def test_find_dates_on_real_sentences(
    sentence: str, expected: list[tuple[str, str, bool]]
) -> None:
    assert dates_of(sentence, default_year=2018) == expected


def test_a_date_takes_the_nearest_year_written_with_a_month_before_it() -> None:
    # dongying-2021: 2020年度 is a year of reference, 2021年8月份 where the
    # narrative is; 9月4日 is 2021
    text = (
        "组织开展2020年度服务业政策申报兑现工作。2021年8月份以来,协调相关职能部门"
        "解决项目建设问题26项。9月4日对外发布投资合作热力图"
    )
    assert dates_of(text) == [("9月4日", "2021-09-04", True)]


def test_a_date_without_any_year_uses_the_default_or_is_left_out() -> None:
    assert dates_of("9月8日召开党组会议", default_year=2023) == [
        ("9月8日", "2023-09-08", True)
    ]
    assert dates_of("9月8日召开党组会议") == []


@pytest.mark.parametrize(
    "text",
    ["2019年2月30日", "2019年13月1日", "2021-02-29", "luozhuangqulz242/2021-0000011"],
)
def test_find_dates_rejects_impossible_dates(text: str) -> None:
    assert find_dates(text) == ()


def test_month_mentions_are_not_dates() -> None:
    assert dates_of("2019年3月至7月理论中心组学习5次;10月份以来") == []


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("2019年11月8日至12月8日", "2019-11-08", "2019-12-08", "day"),
        ("于2021年3月15日至5月20日", "2021-03-15", "2021-05-20", "day"),
        ("2019年4月至5月", "2019-04-01", "2019-05-31", "month"),
        ("2019年12月至2020年1月", "2019-12-01", "2020-01-31", "month"),
        ("2015年1月至2016年4月", "2015-01-01", "2016-04-30", "month"),
        ("2022年3月1日到4月30日", "2022-03-01", "2022-04-30", "day"),
    ],
)
def test_find_periods(text: str, start: str, end: str, precision: str) -> None:
    (period,) = find_periods(text)
    assert (period.start.iso, period.end.iso, period.precision) == (
        start,
        end,
        precision,
    )


@pytest.mark.parametrize(
    ("sentence", "text", "issuer", "year", "number"),
    [
        (
            "《关于公布区投资促进服务中心领导班子分工及中层机构调整的通知》"
            "(罗投发[2019]9号),未经党组会酝酿研究",
            "罗投发[2019]9号",
            "罗投发",
            2019,
            9,
        ),
        (
            "并制发了《关于公布区投资促进服务中心班子成员和科室人员职责及分工的通知》"
            "(罗投促党组〔2020〕1号)。",
            "罗投促党组〔2020〕1号",
            "罗投促党组",
            2020,
            1,
        ),
        (
            "参照市委办公室、市府办公室关于全面加强驻外招商工作的通知执行"
            "(台市委办室【2019】74号)。",
            "台市委办室【2019】74号",
            "台市委办室",
            2019,
            74,
        ),
        (
            "学习了《三门县干部人事档案专项审核全覆盖工作实施方案》三组通〔2019〕44号;",
            "三组通〔2019〕44号",
            "三组通",
            2019,
            44,
        ),
        (
            "《关于进一步明确国家工作人员因私出国(境)有关事项的通知》(三组通【2020】58号)",
            "三组通【2020】58号",
            "三组通",
            2020,
            58,
        ),
        (
            "出台《关于印发〔董家塅高科园财务制度〕的通知》(董管发〔2019〕3号),",
            "董管发〔2019〕3号",
            "董管发",
            2019,
            3,
        ),
        (
            "《2018年专题民主生活会工作方案》(罗招商[2019]11号文)中出现",
            "罗招商[2019]11号",
            "罗招商",
            2019,
            11,
        ),
        (
            "《罗庄区招商局2019年重点工作任务》([2019]1号文)中出现",
            "[2019]1号",
            "",
            2019,
            1,
        ),
        ("根据罗政发［2019］12号文件", "罗政发［2019］12号", "罗政发", 2019, 12),
        ("见东政发(2021)３号", "东政发(2021)３号", "东政发", 2021, 3),
    ],
)
def test_find_doc_numbers_on_real_sentences(
    sentence: str, text: str, issuer: str, year: int, number: int
) -> None:
    (doc,) = find_doc_numbers(sentence)
    assert (doc.text, doc.issuer, doc.year, doc.number) == (text, issuer, year, number)
    assert sentence[doc.span.start : doc.span.end] == doc.span.text == text


@pytest.mark.parametrize(
    "text", ["《芦淞区服饰产业发展行动计划(2022-2025)》", "[2019]号", "(2019)年度"]
)
def test_a_doc_number_needs_year_brackets_a_number_and_hao(text: str) -> None:
    assert find_doc_numbers(text) == ()


# The 文号 as one pattern, issuer first: what find_doc_numbers must find, which
# scans from the bracket for speed (the leftmost match of this pattern starts
# at the earliest of at most 16 Chinese characters before the bracket).
_DOC_NUMBER_SPEC = re.compile(
    r"(?P<issuer>[\u4e00-\u9fff]{0,16})\s*[\[〔【［(（]\s*(?P<year>(?:19|20)[0-9０-９]{2})"
    r"\s*[\]〕】］)）]\s*(?P<number>[0-9０-９]{1,5})\s*号"
)
_WORDS = st.sampled_from(
    "罗投发|根据|见|和|文件|市委办公室关于进一步加强和改进工作|。|，|《办法》|2019|号|[|】".split("|"))
_SPACES = st.sampled_from(["", " ", "\u3000", "\n"])
_DOC_NUMBER_LIKE = st.tuples(
    st.lists(_WORDS, max_size=3).map("".join), _SPACES,
    st.sampled_from(["[", "〔", "【", "（", "("]), _SPACES,
    st.sampled_from(["2019", "２０２１", "1999", "1899"]), _SPACES,
    st.sampled_from(["]", "〕", "】", "）", ")"]), _SPACES,
    st.sampled_from(["9", "12", "１２", "123456"]), _SPACES,
    st.sampled_from(["号", "年"]),
).map("".join)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(_WORDS, _SPACES, _DOC_NUMBER_LIKE), max_size=8).map("".join))
def test_doc_numbers_are_what_one_pattern_issuer_first_finds(text: str) -> None:
    expected = []
    for m in _DOC_NUMBER_SPEC.finditer(text):
        lead = _ISSUER_LEAD.match(m.group("issuer"))
        start = m.start() + (lead.end() if lead else 0)
        expected.append((text[start : m.end()], m.group("issuer")[start - m.start():],
                         int(m.group("year")), int(m.group("number")), start, m.end()))
    assert [(doc.text, doc.issuer, doc.year, doc.number, doc.span.start, doc.span.end)
            for doc in find_doc_numbers(text)] == expected


@pytest.mark.parametrize(
    ("sentence", "written", "yuan", "approximate"),
    [
        ("共计14286.8元,已完成整改。", "14286.8元", 14286.8, False),
        ("支付“三引一促”宣传片费用28万,无会议记录", "28万", 280_000.0, False),
        ("支出无审批手续19次,金额15.3万余元;", "15.3万余元", 153_000.0, True),
        ("共计24次,涉及金额5. 67万元。", "5. 67万元", 56_700.0, False),
        (
            "招引签约亿元以上项目30个,总投资226.05亿元。",
            "226.05亿元",
            22_605_000_000.0,
            False,
        ),
        ("并收缴完毕1284元,已上缴财政。", "1284元", 1284.0, False),
        ("兑现创新驱动奖励2100多万元", "2100多万元", 21_000_000.0, True),
        ("涉及资金二十万元", "二十万元", 200_000.0, False),
        ("约5万元", "约5万元", 50_000.0, True),
        ("近200万元", "近200万元", 2_000_000.0, True),
        ("报销１２８４元", "１２８４元", 1284.0, False),
    ],
)
def test_find_amounts_on_real_sentences(
    sentence: str, written: str, yuan: float, approximate: bool
) -> None:
    (amount,) = find_amounts(sentence)
    assert amount.span.text == written
    assert sentence[amount.span.start : amount.span.end] == written
    assert amount.yuan == pytest.approx(yuan)
    assert amount.approximate is approximate


@pytest.mark.parametrize(
    "sentence",
    [
        "截至2023年8月,实际利用外资数量2585万美元,已完成年度利用外资要求91%。",
        "针对年产值2000万以下企业,特别是年产值为0的企业",
        "清理乱堆乱放杂物20余方;再次划线3万余米",
        "积极推进多元化融资",
    ],
)
def test_find_amounts_keeps_only_renminbi(sentence: str) -> None:
    assert find_amounts(sentence) == ()


_DATE_AND_MONEY_WORDS = (  # separated by "|"
    "2019年|二〇一九年|２０２０年|3月|十一月|15日|二十八日|号|至|-|2021-03-11|2021.3.11"
    "|约|近|大约|5.67|1,284|万|余|元|人民币|二十万元|费用|。|，| |3|12|左右|份"
).split("|")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_DATE_AND_MONEY_WORDS), max_size=12).map("".join))
def test_the_scans_lookaheads_change_no_match(text: str) -> None:
    # Each lookahead only lets the scan skip characters no match begins with.
    for pattern, lookahead in ((_DATES, _DATE_FIRST), (_YEAR_ANCHOR, _DATE_FIRST),
                               (_AMOUNT, _AMOUNT_FIRST)):
        assert_lookahead_changes_no_match(pattern, lookahead, text)
