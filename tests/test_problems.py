"""kg/extract/problems.py: aspects > groups > problems of the corpus notices,
counted by hand from the text, and of synthetic notices with other headings."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from kg.extract.problems import find_aspects
from kg.model import Aspect, Source
from kg.outline import build_outline

CORPUS = Path(__file__).resolve().parent.parent / "examples" / "notices"
TO_FULL = str.maketrans(",:;()", "，：；（）")
TO_HALF = str.maketrans("，：；（）", ",:;()")


def source(text: str, path: str = "notice.txt") -> Source:
    text = unicodedata.normalize("NFC", text)
    return Source(
        text=text, path=path, sha256="x", encoding="utf-8", media_type="text/plain"
    )


def corpus(name: str) -> str:
    return (CORPUS / f"{name}.txt").read_text("utf-8")


def aspects_of(text: str) -> tuple[Aspect, ...]:
    src = source(text)
    return find_aspects(src, build_outline(src.text))


def shape(aspects: tuple[Aspect, ...]) -> tuple[int, int, int]:
    """(aspects, distinct groups, problems)."""
    groups = {(a.path, p.group.start) for a in aspects for p in a.problems if p.group}
    return len(aspects), len(groups), sum(len(a.problems) for a in aspects)


# (aspects, groups, problems), counted by hand. 罗庄 announces 14 大类 but numbers
# 13 类 headings; 董家塅 announces 41 具体问题 and lists 39 ①…⑤ items; 枣庄
# numbers (1)…(33) without (18), whose group 4.关于党员发展工作不严肃的问题 is
# itself the problem (14 group headings, 13 with problems under them).
SHAPES = {
    "luozhuang-2021": (5, 13, 28),
    "sanmen-2023": (8, 0, 21),
    "dongjiaduan-2022": (3, 12, 39),
    "zaozhuang-2018": (4, 13, 33),
    "dongying-2021": (3, 0, 12),
}


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_corpus_shapes(name: str) -> None:
    assert shape(aspects_of(corpus(name))) == SHAPES[name]


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_every_span_is_exact_and_paths_are_unique(name: str) -> None:
    src = source(corpus(name))
    text = src.text
    aspects = find_aspects(src, build_outline(text))
    paths = [a.path for a in aspects] + [p.path for a in aspects for p in a.problems]
    assert len(paths) == len(set(paths))
    for aspect in aspects:
        spans = [aspect.label, aspect.span]
        for problem in aspect.problems:
            assert problem.path.startswith(aspect.path + "-")
            assert aspect.span.contains(problem.span)
            assert problem.span.contains(problem.label)
            spans += [problem.label, problem.span]
            spans += [s for s in (problem.group, problem.result) if s is not None]
            for measure in problem.measures:
                assert problem.span.contains(measure.span)
                spans.append(measure.span)
        for span in spans:
            assert text[span.start : span.end] == span.text


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_full_width_punctuation_gives_the_same_findings(name: str) -> None:
    half = aspects_of(corpus(name))
    full = aspects_of(corpus(name).translate(TO_FULL))
    back = aspects_of(corpus(name).translate(TO_FULL).translate(TO_HALF))
    for other in (full, back):
        assert shape(other) == shape(half)
        pairs = [
            (p.path, p.label.text.translate(TO_HALF), len(p.measures), p.span.start)
            for a in other
            for p in a.problems
        ]
        assert pairs == [
            (p.path, p.label.text, len(p.measures), p.span.start)
            for a in half
            for p in a.problems
        ]
        assert [a.label.text.translate(TO_HALF) for a in other] == [
            a.label.text for a in half
        ]


def problem_at(name: str, path: str) -> tuple[str, str | None, int, str | None]:
    for aspect in aspects_of(corpus(name)):
        for p in aspect.problems:
            if p.path == path:
                group = p.group.text if p.group else None
                result = p.result.text if p.result else None
                return p.label.text, group, len(p.measures), result
    raise AssertionError(f"no problem {path}")


@pytest.mark.parametrize(
    ("name", "path", "label", "group", "measures"),
    [
        (
            "luozhuang-2021",
            "1-1-2",
            "在“学懂弄通做实”上用心用力不足",
            "学习贯彻习近平新时代中国特色社会主义思想和党的十九大精神不深入",
            5,
        ),
        ("luozhuang-2021", "1-2-1", "制发公文缺乏严肃性", "学习教育活动开展不扎实", 2),
        (
            "luozhuang-2021",
            "5-1",
            "对巡视巡察审计发现的问题整改缓慢,部分问题边改边犯",
            None,
            4,
        ),
        ("sanmen-2023", "1-1", "针对“学习贯彻不够”问题的整改进展情况", None, 3),
        ("sanmen-2023", "4-2", "针对“廉政约谈不够规范 ”问题的整改进展情况", None, 1),
        ("sanmen-2023", "8-2", "针对“党内组织生活不够健全”问题整改进展情况", None, 3),
        (
            "dongjiaduan-2022",
            "1-3-2",
            "对“履行出资人职责不到位”等问题的整改情况",
            "关于“履行职责不力”等问题的整改情况",
            1,
        ),
        (
            "dongjiaduan-2022",
            "2-3-2",
            "对“加班用餐管理混乱”等问题的整改情况",
            "关于“落实中央八项规定和实施细则精神不严格”问题的整改情况",
            4,
        ),
        (
            "zaozhuang-2018",
            "1-1-2",
            "针对贯彻执行上级政策缺少长远规划和具体措施的问题",
            "关于贯彻落实上级决策部署不扎实的问题",
            0,
        ),
        ("zaozhuang-2018", "2-4", "关于党员发展工作不严肃的问题", None, 4),
        (
            "zaozhuang-2018",
            "3-5-1",
            "针对有的村财务不公开,管理混乱,白条列支的问题",
            "关于村级财务管理混乱,个别民生领域问题突出的问题",
            9,
        ),
        (
            "dongying-2021",
            "1-2",
            "对贯彻“三新发展理念”不到位问题,着重从六个方面抓好整改",
            None,
            24,
        ),
        (
            "dongying-2021",
            "3-3",
            "对全面从严治党主体责任和监督责任落实不力问题,着重从五个方面进行整改",
            None,
            7,
        ),
    ],
)
def test_chosen_problems(
    name: str, path: str, label: str, group: str | None, measures: int
) -> None:
    got = problem_at(name, path)
    assert got[:3] == (label, group, measures)


def test_luozhuang_problem_three_label() -> None:
    label, _, _, _ = problem_at("luozhuang-2021", "1-2-1")
    assert label.startswith("制发公文缺乏严肃性")


def test_dongjiaduan_result_lines() -> None:
    aspects = aspects_of(corpus("dongjiaduan-2022"))
    results = [p.result.text if p.result else None for a in aspects for p in a.problems]
    assert results.count("整改落实情况:已完成整改,并长期坚持。") == 38
    assert (
        problem_at("dongjiaduan-2022", "1-3-2")[3] is None
    )  # no result line in the text


def test_dongying_closing_paragraph_is_not_a_problem() -> None:
    aspects = aspects_of(corpus("dongying-2021"))
    last = aspects[-1].problems[-1]
    assert "巡察期间共移交立行立改问题" not in last.span.text
    assert all("巡察期间" not in m.span.text for m in last.measures)


def test_zaozhuang_problems_without_measures_are_kept() -> None:
    aspects = aspects_of(corpus("zaozhuang-2018"))
    empty = [p.path for a in aspects for p in a.problems if not p.measures]
    assert empty == [
        "1-1-2",
        "2-1-3",
        "2-2-1",
        "2-3-1",
        "2-3-2",
        "2-3-3",
        "3-3-2",
        "4-1-4",
    ]


# --- other heading combinations ----------------------------------------------

PARTS_FULL_WIDTH = """某某局党组关于巡察整改情况的通报
第一部分　整改工作开展情况
高度重视，迅速部署，成立整改工作领导小组。
第二部分　反馈问题整改落实情况
一、党的领导弱化方面
问题1：理论学习不深入。学习流于形式，没有联系实际。
整改措施：（1）制定《理论学习中心组学习制度》；（2）组织专题学习3次。
整改情况：已完成整改。
问题2：民主集中制执行不到位。
整改措施：
（1）召开党组会议专题研究议事规则。
（2）对相关责任人进行约谈。
二、全面从严治党不力方面
问题3：违规发放津贴补贴。
整改措施：（1）责令退回违规发放补贴2.5万元；（2）给予相关责任人党内警告处分。
第三部分　下一步工作打算
一是持续巩固整改成果。二是建立长效机制。
"""

NO_ASPECT_LEVEL = """关于巡察反馈意见整改情况的通报
一、整改工作总体情况
党组高度重视,召开专题会议部署整改。
二、具体问题整改落实情况
1.关于"学习贯彻不深入"问题的整改情况。
一是组织集中学习5次;二是制定学习计划。
2.关于"财务管理不规范"问题的整改情况。
已追回违规报销资金1.2万元,并对财务人员进行了约谈。
三、下步工作打算
继续抓好整改。
"""

UNNUMBERED_ASPECTS = """巡察整改进展情况的通报
一、反馈问题整改情况
政治建设方面
一是理论学习不深入的问题。
整改措施：①修订《党组理论学习中心组学习规则》；②开展专题培训2期。
二是意识形态工作责任制落实不到位的问题。
整改措施：①召开专题会议研究部署意识形态工作。
作风建设方面
一是公务接待不规范的问题。
整改措施：①收缴超标准接待费用3200元；②对经办人员进行谈话提醒。
二、下一步工作打算
一是巩固成果。
"""

NO_CONTAINER = """1.针对“制度不健全”问题的整改情况
一是修订完善财务管理制度;二是建立合同管理台账。
2.针对“作风不实”问题的整改情况
对相关责任人进行了提醒谈话。
"""


def test_parts_and_numbered_problem_labels() -> None:
    aspects = aspects_of(PARTS_FULL_WIDTH)
    assert [a.label.text for a in aspects] == [
        "党的领导弱化方面",
        "全面从严治党不力方面",
    ]
    problems = [p for a in aspects for p in a.problems]
    assert [p.path for p in problems] == ["1-1", "1-2", "2-1"]
    assert [p.label.text for p in problems] == [
        "理论学习不深入",
        "民主集中制执行不到位",
        "违规发放津贴补贴",
    ]
    assert [[m.span.text for m in p.measures] for p in problems] == [
        ["制定《理论学习中心组学习制度》", "组织专题学习3次。"],
        ["召开党组会议专题研究议事规则。", "对相关责任人进行约谈。"],
        ["责令退回违规发放补贴2.5万元", "给予相关责任人党内警告处分。"],
    ]
    assert (
        problems[0].result is not None
        and problems[0].result.text == "整改情况：已完成整改。"
    )


def test_findings_without_an_aspect_level_form_one_aspect() -> None:
    (aspect,) = aspects_of(NO_ASPECT_LEVEL)
    assert aspect.label.text == "具体问题整改落实情况"
    assert [p.label.text for p in aspect.problems] == [
        '关于"学习贯彻不深入"问题的整改情况',
        '关于"财务管理不规范"问题的整改情况',
    ]
    assert [len(p.measures) for p in aspect.problems] == [2, 1]
    assert (
        aspect.problems[1].measures[0].span.text.startswith("已追回违规报销资金1.2万元")
    )


def test_unnumbered_aspects_with_problems_enumerated_by_yishi() -> None:
    aspects = aspects_of(UNNUMBERED_ASPECTS)
    assert [a.label.text for a in aspects] == ["政治建设方面", "作风建设方面"]
    assert [[p.label.text for p in a.problems] for a in aspects] == [
        ["理论学习不深入的问题", "意识形态工作责任制落实不到位的问题"],
        ["公务接待不规范的问题"],
    ]
    assert [len(p.measures) for a in aspects for p in a.problems] == [2, 1, 2]


def test_problems_at_top_level_form_one_unnamed_aspect() -> None:
    (aspect,) = aspects_of(NO_CONTAINER)
    assert aspect.label.text == ""  # the notice names no part: 全部问题
    assert [p.path for p in aspect.problems] == ["1-1", "1-2"]
    assert [len(p.measures) for p in aspect.problems] == [2, 1]


PLAIN_STATEMENTS = """二、整改落实情况
(一)党的领导方面
1.理论学习不深入。
整改措施:1.制定学习制度;2.开展专题学习。
2.民主集中制执行不到位。
整改措施:召开党组会议,修订议事规则。
(二)作风建设方面
1.公务接待不规范。
整改措施:1.退回超标准接待费用1200元;2.对经办人员进行约谈。
三、下步工作打算
一是巩固成果。
"""


def test_problem_headings_that_do_not_say_problem() -> None:
    aspects = aspects_of(PLAIN_STATEMENTS)
    assert [a.label.text for a in aspects] == ["党的领导方面", "作风建设方面"]
    assert [[p.label.text for p in a.problems] for a in aspects] == [
        ["理论学习不深入", "民主集中制执行不到位"],
        ["公务接待不规范"],
    ]
    kinds = [[m.kind.value for m in p.measures] for a in aspects for p in a.problems]
    assert kinds == [["制度建设", "学习教育"], ["制度建设"], ["资金清退", "约谈谈话"]]


def test_notice_without_headings_has_no_aspects() -> None:
    text = (
        "根据区委统一部署,区委第一巡察组对我单位进行了巡察。\n现将整改情况予以公布。\n"
    )
    assert aspects_of(text) == ()
    assert aspects_of("") == ()


def test_notice_with_only_preamble_sections_has_no_aspects() -> None:
    text = "一、总体要求\n(一)指导思想。深入贯彻。\n二、下步工作打算\n一是巩固成果。"
    assert aspects_of(text) == ()


# --- scale -------------------------------------------------------------------


def _cn(n: int) -> str:
    digits = "一二三四五六七八九"
    tens, units = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else digits[tens - 1] + "十")
    return head + (digits[units - 1] if units else "")


def test_two_megabyte_notice_is_read_in_one_pass() -> None:
    """Linear by construction: a 2 MB notice of the 枣庄 shape completes."""
    lines = [
        "某党委关于巡察整改进展情况的通报",
        "一、总体要求",
        "坚持问题导向。",
        "二、整改落实情况",
    ]
    for a in range(1, 100):
        lines.append(f"({_cn(a)})第{a}个方面")
        lines.append(f"1.关于第{a}类的问题。")
        for number in range(1, 56):
            lines.append(f"({number})针对制度执行不到位的问题。")
            filler = "截至目前,已完成整改并长期坚持,取得明显成效。" * 5
            lines.append(
                f"一是制定《财务管理办法》,规范报销流程,严格审核把关。{filler};"
                f"二是组织全体人员学习《会计法》,提高业务能力。{filler};"
                f"三是对相关责任人进行提醒谈话,督促其认真履行职责。{filler}"
            )
    lines.append("三、建立长效机制")
    text = "\n".join(lines)
    assert len(text) > 2_000_000
    aspects = aspects_of(text)
    assert shape(aspects) == (99, 99, 99 * 55)
    assert all(len(p.measures) == 3 for a in aspects for p in a.problems)


@pytest.mark.parametrize(
    ("name", "index", "statement"),
    [
        (
            "luozhuang-2021",
            2,
            "制发公文缺乏严肃性。如,《主题教育实施意见》未使用党组文号发文;"
            "《关于开展“不忘初心、牢记使命”主题教育的工作安排方案》中出现"
            "“专题学习习近平总书记对统计工作的批示精神”等内容。",
        ),
        ("sanmen-2023", 0, "针对“学习贯彻不够”问题的整改进展情况。"),
        ("dongjiaduan-2022", 0, "对“理论学习不深入”等问题的整改情况"),
        (
            "dongying-2021",
            0,
            "对用习近平新时代中国特色社会主义思想武装头脑、指导实践还有差距问题,"
            "着重从两个方面抓好整改。",
        ),
    ],
)
def test_problem_statement_stops_before_its_measures(
    name: str, index: int, statement: str
) -> None:
    text = unicodedata.normalize("NFC", (CORPUS / f"{name}.txt").read_text("utf-8"))
    source = Source(text, f"{name}.txt", "x", "utf-8", "text/plain")
    problem = list(find_aspects(source, build_outline(text))[0].problems)[index]
    assert problem.statement is not None
    assert problem.statement.text == statement
    assert text[problem.statement.start : problem.statement.end] == statement


ONE_PARAGRAPH_ASPECTS = """二、巡视反馈意见整改落实情况
(一)关于贯彻落实党的教育方针不够到位方面的问题
1.针对立德树人根本任务落实不够有力的问题。制定思想政治工作实施意见,修订人才培养方案。
2.针对服务国家战略不够聚焦的问题。召开专题会议研究部署,出台学科建设规划。
(二)关于全面从严治党“两个责任”落实不到位方面的问题
学校党委制定主体责任清单,约谈二级单位党组织书记12人,开展警示教育大会2次。
(三)关于领导班子和干部队伍建设方面的问题
调整充实学校领导班子,选拔任用中层干部26名,对4名干部进行提醒谈话。
三、下一步工作打算
学校党委将持续深化巡视整改。
"""
ONLY_PARAGRAPHS = """二、整改落实情况
(一)关于党的领导弱化方面的问题
局党组召开专题会议研究整改,修订党组工作规则。
(二)关于选人用人不规范方面的问题
开展干部档案专项审核,补齐材料23份。
"""


@pytest.mark.parametrize("width", ["half", "full"])
def test_an_aspect_whose_body_is_one_paragraph_is_an_aspect(width: str) -> None:
    text = ONE_PARAGRAPH_ASPECTS
    if width == "full":
        text = text.translate(str.maketrans({",": "，", "(": "（", ")": "）"}))
    aspects = aspects_of(text)
    assert [a.label.text for a in aspects] == [
        "关于贯彻落实党的教育方针不够到位方面的问题",
        "关于全面从严治党“两个责任”落实不到位方面的问题",
        "关于领导班子和干部队伍建设方面的问题",
    ]
    # run-in problems under the first; the paragraph is the problem of the others
    assert [[p.label.text for p in a.problems] for a in aspects] == [
        ["针对立德树人根本任务落实不够有力的问题", "针对服务国家战略不够聚焦的问题"],
        ["关于全面从严治党“两个责任”落实不到位方面的问题"],
        ["关于领导班子和干部队伍建设方面的问题"],
    ]
    assert aspects[1].problems[0].measures[0].span.text.startswith("学校党委制定")


def test_aspects_that_are_all_one_paragraph() -> None:
    aspects = aspects_of(ONLY_PARAGRAPHS)
    assert [a.label.text for a in aspects] == [
        "关于党的领导弱化方面的问题", "关于选人用人不规范方面的问题"
    ]
    assert [len(a.problems) for a in aspects] == [1, 1]
    measure = aspects[1].problems[0].measures[0]
    assert measure.span.text == "开展干部档案专项审核,补齐材料23份。"
