"""Persons named with a role, on the corpus and on sentences of the genre."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from kg.extract.persons import find_persons
from kg.model import Source

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "notices"
HALF_TO_FULL = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）"})


def source(text: str) -> Source:
    return Source(
        text=unicodedata.normalize("NFC", text),
        path=None,
        sha256="x",
        encoding="utf-8",
        media_type="text/plain",
    )


def persons(text: str) -> list[tuple[str, str, str]]:
    src = source(text)
    found = find_persons(src)
    for person in found:
        assert src.text[person.span.start : person.span.end] == person.span.text
    return [(p.name, p.role, p.span.text) for p in found]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("luozhuang-2021", [("习近平", "总书记", "习近平总书记")]),
        (
            "sanmen-2023",
            [
                ("章明皓", "党组书记", "党组书记章明皓"),
                ("习近平", "总书记", "习近平总书记"),
                ("李强", "总理", "李强总理"),
            ],
        ),
        (
            "dongjiaduan-2022",
            [
                ("龙伟钢", "管委会主任", "管委会主任龙伟钢"),
                ("习近平", "总书记", "习近平总书记"),
            ],
        ),
        (
            "zaozhuang-2018",
            [("习近平", "总书记", "习近平总书记"), ("史峰", "", "史峰")],
        ),
        ("dongying-2021", [("习近平", "总书记", "习近平总书记")]),
    ],
)
@pytest.mark.parametrize("width", ["as-published", "full-width"])
def test_corpus_persons_are_exactly_the_named_ones(
    name: str, expected: list[tuple[str, str, str]], width: str
) -> None:
    text = (EXAMPLES / f"{name}.txt").read_text(encoding="utf-8")
    if width == "full-width":
        text = text.translate(HALF_TO_FULL)
    assert persons(text) == expected


def test_one_entry_per_name_and_role_at_its_first_occurrence() -> None:
    text = (EXAMPLES / "sanmen-2023.txt").read_text(encoding="utf-8")
    (xi,) = [p for p in find_persons(source(text)) if p.name == "习近平"]
    assert text.count("习近平总书记") > 1
    assert xi.span.start == text.index("习近平总书记")


@pytest.mark.parametrize(
    "sentence",
    [
        "整改完成情况:1.党组书记代表党组作出了深刻检讨。",
        "开设投促理论大讲堂,由党组书记、主任带头上了第一节课;",
        "4.严格按要求组织开展理论中心组学习,安排办公室主任负责理论中心组学习的组织、签到",
        "《罗庄区审计局关于罗庄区招商局党组书记、局长任期经济责任审计情况的审计报告》",
        "2018年11月13日,罗庄区招商局党组书记、局长任期经济责任审计",
        "学习会后党组书记要求今后规范理论学习中心组学习",
        "学习会上党组书记明确要求班子成员要经常性开展约谈工作。",
        "8月31日成立了由党组成员、副主任为组长,科室负责人为成员的检查小组",
        "党工委委员同志严肃开展批评和自我批评",
        "1.分管同志和人事财务科同志分别作出了检讨,并对该同志进行了提醒谈话。",
        "党组责成两位同志作出了深刻检讨",
        "严肃认真提意见,满腔热情帮同志。",
        "同时由支部书记对经常缺会的老同志进行专门的谈心谈话。",
        "机关党委10月份完成纪检委员增补事宜",
        "分批组织党员干部收看《错位的“官场生意人”—宫祥勋严重违纪违法案件警示录》",
        "深入学习贯彻习近平新时代中国特色社会主义思想",
        "累计处理涉及物业管理问题的网格事件6476件、市长热线805条",
    ],
)
def test_no_person_where_a_role_meets_a_common_word(sentence: str) -> None:
    assert persons(sentence) == []
    assert persons(sentence.translate(HALF_TO_FULL)) == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "成立由管委会主任龙伟钢任组长的巡察反馈意见整改工作领导小组",
            [("龙伟钢", "管委会主任", "管委会主任龙伟钢")],
        ),
        ("局党组书记、局长王建国主持会议", [("王建国", "局长", "局长王建国")]),
        (
            "县委书记张华,县长李明出席",
            [
                ("张华", "县委书记", "县委书记张华"),
                ("李明", "县长", "县长李明"),
            ],
        ),
        ("国务院总理李强主持召开会议", [("李强", "国务院总理", "国务院总理李强")]),
        ("4月28日,史峰同志领学", [("史峰", "", "史峰")]),
        ("欧阳明同志作报告", [("欧阳明", "", "欧阳明")]),
    ],
)
def test_persons_in_sentences_of_the_genre(
    sentence: str, expected: list[tuple[str, str, str]]
) -> None:
    assert persons(sentence) == expected


def test_a_name_with_its_role_is_not_repeated_without_it() -> None:
    text = "学校党委书记王建国同志认真履行第一责任人责任。"
    source = Source(text, None, "x", "utf-8", "text/plain")
    persons = find_persons(source)
    assert [(p.name, p.role) for p in persons] == [("王建国", "党委书记")]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a name never begins inside the word before it
        ("会上认真学习陈希同志的讲话精神。", [("陈希", "", "陈希")]),
        ("深入学习习近平总书记关于巡视工作的重要论述。",
         [("习近平", "总书记", "习近平总书记")]),
        # surnames beyond the commonest hundred, and 同志 after a role and name
        ("办公室主任由副局长席国峰同志兼任。", [("席国峰", "副局长", "副局长席国峰")]),
        ("成立了以党组书记、局长、毋慧芳同志为组长的领导小组。",
         [("毋慧芳", "", "毋慧芳")]),
        ("及时成立以党组书记、院长游劝荣为组长的巡视整改工作领导小组。",
         [("游劝荣", "院长", "院长游劝荣")]),
        # a name followed by what the named person did
        ("市委书记陈立宁听取巡视情况汇报。",
         [("陈立宁", "市委书记", "市委书记陈立宁")]),
    ],
)
@pytest.mark.parametrize("width", ["half", "full"])
def test_names_at_word_boundaries(
    sentence: str, expected: list[tuple[str, str, str]], width: str
) -> None:
    if width == "full":
        sentence = sentence.translate(str.maketrans({",": "，", "(": "（", ")": "）"}))
    assert persons(sentence) == expected
