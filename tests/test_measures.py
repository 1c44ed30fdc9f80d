"""kg/extract/measures.py: splitting rectification text into measures, and
their kinds, on real sentences of the corpus notices."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from kg.extract.measures import classify_measure, find_measures
from kg.model import MeasureKind, Span

CORPUS = Path(__file__).resolve().parent.parent / "examples" / "notices"
TO_FULL = str.maketrans(",:;()", "，：；（）")


def corpus(name: str) -> str:
    return unicodedata.normalize("NFC", (CORPUS / f"{name}.txt").read_text("utf-8"))


def block(text: str, first: str, last: str) -> Span:
    """The span from the start of `first` to the end of `last` after it."""
    start = text.index(first)
    end = text.index(last, start) + len(last)
    return Span.of(text, start, end)


def measure_texts(text: str, span: Span) -> list[str]:
    measures = find_measures(text, span)
    for measure in measures:
        assert text[measure.span.start : measure.span.end] == measure.span.text
        assert span.contains(measure.span)
    assert [m.ordinal for m in measures] == list(range(1, len(measures) + 1))
    return [m.span.text for m in measures]


@pytest.mark.parametrize("table", [{}, TO_FULL], ids=["as published", "full-width"])
def test_luozhuang_block_label_is_dropped_and_inline_items_split(
    table: dict[int, str],
) -> None:
    text = corpus("luozhuang-2021").translate(table)
    first = "整改完成情况:1.党组书记代表党组作出了深刻检讨。2.加大".translate(table)
    span = block(text, first, "省外十强45亿元。")
    texts = measure_texts(text, span)
    assert len(texts) == 5
    assert texts[0] == "党组书记代表党组作出了深刻检讨。"
    assert texts[3].startswith("开展了委托招商。通过与东方龙招商中介公司")
    assert texts[4].endswith("目标完成市外资金80亿元,省外十强45亿元。".translate(table))


def test_luozhuang_items_on_their_own_line_after_the_label() -> None:
    text = corpus("luozhuang-2021")
    span = block(text, "整改完成情况:\n\n1.已责成办公室主任", "杜绝此类问题发生。")
    assert measure_texts(text, span) == [
        "已责成办公室主任作出检讨,并对文件相关内容进行了修改。",
        "规范制发公文管理,制定了《投资促进服务中心制文发文管理办法》,"
        "严格按要求做到制文有审核,发文有登记,公文有存档,杜绝此类问题发生。",
    ]


def test_dongjiaduan_result_line_is_not_a_measure() -> None:
    text = corpus("dongjiaduan-2022")
    span = block(
        text, ":一是结合《2022年全区各级党委", "整改落实情况:已完成整改,并长期坚持。"
    )
    texts = measure_texts(text, span)
    assert texts == [
        "结合《2022年全区各级党委(党组)理论学习中心组专题学习重点内容安排》,"
        "制定《董家塅片区党工委理论学习中心组专题学习重点内容安排》。",
        "每半年组织片区全体党员干部一次理论测试。",
        "召开片区党工委会议,专题学习深入学习贯彻习近平新时代中国特色社会主义思想"
        "和党的十九届五中、六中全会精神。",
    ]


def test_sanmen_semicolon_separated_items_drop_their_separator() -> None:
    text = corpus("sanmen-2023")
    span = block(
        text, "一是9月8日组织全体人员学习了习近平总书记", "作了批评和自我批评。"
    )
    assert measure_texts(text, span) == [
        "9月8日组织全体人员学习了习近平总书记关于数字经济的重要论述、中央经济工作会议精神",
        "9月8日召开党组会议,修改了学习制度,并开设投促理论大讲堂,"
        "由党组书记、主任带头上了第一节课",
        "8月31日召开了巡察整改专题民主生活会,班子成员针对上述问题作了批评和自我批评。",
    ]


def test_block_without_enumeration_is_one_measure() -> None:
    text = corpus("sanmen-2023")
    sentence = (
        "8月31日组织班子成员学习了《三门县党风廉政建设约谈暂行办法》,"
        "学习会上党组书记明确要求班子成员要经常性开展约谈工作。"
    )
    start = text.index(sentence)
    span = Span.of(text, start - 1, start + len(sentence) + 1)  # with the newlines
    assert measure_texts(text, span) == [sentence]


def test_dongying_innermost_items_are_the_measures() -> None:
    """(1) without an enumeration is one measure; (2) 一是…二是… is two."""
    text = corpus("dongying-2021")
    span = block(text, "(1)加强政治理论学习。", "开发区综评考核排名逐月提升。")
    texts = measure_texts(text, span)
    assert len(texts) == 3
    assert texts[0].startswith(
        "加强政治理论学习。严格落实《党工委理论学习中心组学习规则》"
    )
    assert texts[1].startswith("深化理论中心组学习成效。")
    assert texts[2].startswith("全面提高综合发展水平。")


def test_dongying_repeated_ordinals_are_separate_measures() -> None:
    text = corpus("dongying-2021")
    span = block(text, "(2)提升创新发展能力。", "兑现2020年度技术合同认定奖励245万元。")
    texts = measure_texts(text, span)
    assert [t[:8] for t in texts] == [
        "制定出台《关于加",
        "加大企业研发投入",
        "培育壮大高新技术",
        "提升大学科技园管",  # the notice writes 三是 twice
        "提高技术合同交易",
    ]


def test_empty_or_blank_text_has_no_measures() -> None:
    text = "整改完成情况:\n\n"
    assert find_measures(text, Span.of(text, 0, len(text))) == ()
    assert find_measures(text, Span.of(text, 3, 3)) == ()


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("党组书记代表党组作出了深刻检讨。", MeasureKind.SELF_CRITICISM),
        ("时任党务工作者作出了检讨。", MeasureKind.SELF_CRITICISM),
        (
            "8月31日召开了巡察整改专题民主生活会,班子成员针对上述问题作了批评和自我批评",
            MeasureKind.SELF_CRITICISM,
        ),
        (
            "分管同志和人事财务科同志分别作出了检讨,并对该同志进行了提醒谈话。",
            MeasureKind.SELF_CRITICISM,
        ),
        (
            "人事财务科相关人员已仔细逐一核对报销凭证、列出清退明细,"
            "并收缴完毕1284元,已上缴财政。",
            MeasureKind.REFUND,
        ),
        ("4月份已清理了未缴纳党费的支部,并逐一补缴完成。", MeasureKind.REFUND),
        (
            "规范制发公文管理,制定了《投资促进服务中心制文发文管理办法》,"
            "严格按要求做到制文有审核,发文有登记,公文有存档,杜绝此类问题发生。",
            MeasureKind.RULES,
        ),
        ("根据工作实际,修订了《区投资促进服务中心日常考勤办法》。", MeasureKind.RULES),
        (
            "制定下发《高新区党委理论学习中心组实施细则》《高新区2018年党委理论中心组"
            "学习计划》,并按时组织学习,印制下发专用记录簿,安排专人做好记录。",
            MeasureKind.RULES,
        ),
        (
            "与芦淞区河己私家菜馆签订供餐合同,因解约费用未纳入合同。"
            "针对此情况,完善制度,进一步规范合同细则。",
            MeasureKind.RULES,
        ),
        (
            "已于2020年4月17日召开了党组专题会议,研究部署意识形态工作,"
            "成立了意识形态工作领导小组。",
            MeasureKind.MEETING,
        ),
        ("组织相关人员认真学习了支部管理条例。", MeasureKind.STUDY),
        ("9月18日由党支部书记在投促中心给全体党员上党课", MeasureKind.STUDY),
        ("已于2020年6月8日召开支部会议专题学习“三会一课”制度。", MeasureKind.STUDY),
        (
            "9月11日组织档案审核人员学习了《三门县干部人事档案专项审核全覆盖工作实施方案》"
            "三组通〔2019〕44号",
            MeasureKind.STUDY,
        ),
        ("9月5日对驻外招商人员进行廉政提醒约谈", MeasureKind.TALK),
        ("9月4日党组书记对分管领导进行了警示提醒约谈。", MeasureKind.TALK),
        ("对入园协议进行编号、并建立台账。", MeasureKind.LEDGER),
        (
            "开展全区非公企业摸底核查工作,以街道为单位全面开展摸底排查,"
            "形成全区非公党建核查台账。",
            MeasureKind.LEDGER,
        ),
        (
            "强化监督执纪。截至目前,已对午间饮酒、兼职取酬等问题问责4起,诫勉1人,"
            "通报1起,给予党内严重警告处分1人。",
            MeasureKind.DISCIPLINE,
        ),
        (
            "对城管局某干部职工违规接受管理服务对象宴请情况进行核查,对有关人员进行诫勉谈话。",
            MeasureKind.DISCIPLINE,
        ),
        (
            "截至2023年8月招引签约亿元以上项目30个,总投资226.05亿元",
            MeasureKind.BUSINESS,
        ),
        (
            "充分利用北京首科、行业协会等资源开展产业链招商,利用好市级200亿元母基金开展资本招商。",
            MeasureKind.BUSINESS,
        ),
        ("新芦淞集团的出资人已调整为区财政局。", MeasureKind.OTHER),
    ],
)
def test_measure_kinds_of_real_sentences(sentence: str, kind: MeasureKind) -> None:
    assert classify_measure(sentence) == kind


def test_words_inside_titles_do_not_decide_the_kind() -> None:
    assert classify_measure("组织学习《党风廉政建设约谈暂行办法》") == MeasureKind.STUDY
    assert (
        classify_measure("组织约谈《党风廉政建设学习办法》起草人") == MeasureKind.TALK
    )


def test_returning_something_other_than_money_is_not_a_refund() -> None:
    # 东营: 清退不合格物业企业3家 removes companies, not funds.
    assert classify_measure("清退不合格物业企业3家。") == MeasureKind.BUSINESS


@pytest.mark.parametrize(
    "text",
    [
        "修订《中共江南师范大学委员会全面从严治党主体责任清单》，明确党委、书记、班子成员责任。",
        "制定《招商引资项目落地若干措施》，规范项目管理。",
    ],
)
def test_drawing_up_a_list_or_measures_document_is_rule_making(text: str) -> None:
    assert classify_measure(text) is MeasureKind.RULES


def test_investigating_cases_is_accountability() -> None:
    text = "查处违反中央八项规定精神问题235起，处理312人。"
    assert classify_measure(text) is MeasureKind.DISCIPLINE
