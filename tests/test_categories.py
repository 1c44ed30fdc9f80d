"""Issue categories (kg/extract/categories.py, kg/data/categories.json,
ontology/categories.ttl) on problem labels taken from the corpus notices."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS

from kg.extract.categories import categories, classify_problem, classify_text
from kg.model import Measure, MeasureKind, Problem, Span
from kg.pipeline import extract_notice

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "notices"
SCHEME = URIRef("https://w3id.org/kg-inspection/categories")
CATEGORY = Namespace("https://w3id.org/kg-inspection/category/")

WIDTH_PAIRS = ((",", "，"), (":", "："), (";", "；"), ("(", "（"), (")", "）"))
HALF_TO_FULL = {ord(half): full for half, full in WIDTH_PAIRS}
FULL_TO_HALF = {ord(full): half for half, full in WIDTH_PAIRS}
WIDTHS: dict[str, dict[int, str]] = {
    "as-written": {},
    "full": HALF_TO_FULL,
    "half": FULL_TO_HALF,
}
# Where a heading runs on into its measures on the same line (dongjiaduan:
# ①对“…”等问题的整改情况:一是…), the measures start after this.
MEASURES_ON_LINE = re.compile(r"整改(?:进展|落实)?情况[:：]")


def text_of(notice: str) -> str:
    return (EXAMPLES / f"{notice}.txt").read_text(encoding="utf-8")


def problem_in(
    text: str, label: str, group: str | None = None, *, width: str = "as-written"
) -> Problem:
    """A Problem for `label` as it stands in `text`: its span runs to the end of
    the line, its group is the nearest `group` before it."""
    table = WIDTHS[width]
    text, label = text.translate(table), label.translate(table)
    start = text.index(label)
    group_span = None
    if group is not None:
        group = group.translate(table)
        group_start = text.rindex(group, 0, start)
        group_span = Span.of(text, group_start, group_start + len(group))
    return line_problem(text, start, start + len(label), group_span)


def line_problem(text: str, start: int, end: int, group: Span | None) -> Problem:
    """The problem labelled text[start:end]: the rest of the line is its statement
    or, after 整改情况:, its measures."""
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    on_line = MEASURES_ON_LINE.search(text, end, line_end)
    measures: tuple[Measure, ...] = ()
    if on_line is not None:
        measure = Span.of(text, on_line.end(), line_end)
        measures = (Measure(ordinal=1, kind=MeasureKind.OTHER, span=measure),)
    return Problem(
        path="1",
        label=Span.of(text, start, end),
        span=Span.of(text, start, line_end),
        group=group,
        measures=measures,
    )


# --- the scheme and the lexicon ------------------------------------------


@pytest.fixture(scope="module")
def scheme() -> Graph:
    return Graph().parse(ROOT / "ontology" / "categories.ttl")


@pytest.fixture(scope="module")
def lexicon() -> dict[str, dict[str, object]]:
    raw = json.loads((ROOT / "kg" / "data" / "categories.json").read_text("utf-8"))
    return {entry["id"]: entry for entry in raw["categories"]}


def concepts(scheme: Graph) -> list[URIRef]:
    return sorted(
        c for c in scheme.subjects(SKOS.inScheme, SCHEME) if isinstance(c, URIRef)
    )


def literal(scheme: Graph, subject: URIRef, predicate: URIRef, lang: str) -> str:
    values = [
        str(o)
        for o in scheme.objects(subject, predicate)
        if isinstance(o, Literal) and o.language == lang
    ]
    assert len(values) == 1, f"{subject} needs one {predicate}@{lang}, has {values}"
    return values[0]


def test_scheme_is_a_skos_concept_scheme_with_titles(scheme: Graph) -> None:
    assert (SCHEME, RDF.type, SKOS.ConceptScheme) in scheme
    for lang in ("zh", "en"):
        assert literal(scheme, SCHEME, DCTERMS.title, lang)
        assert literal(scheme, SCHEME, DCTERMS.description, lang)
        assert literal(scheme, SCHEME, RDFS.label, lang)


def test_scheme_has_15_to_30_top_concepts_fully_described(scheme: Graph) -> None:
    found = concepts(scheme)
    assert 15 <= len(found) <= 30
    for concept in found:
        assert (concept, RDF.type, SKOS.Concept) in scheme
        assert (concept, SKOS.topConceptOf, SCHEME) in scheme
        assert (SCHEME, SKOS.hasTopConcept, concept) in scheme
        notation = str(concept).removeprefix(str(CATEGORY))
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", notation), concept
        assert (concept, SKOS.notation, Literal(notation)) in scheme
        for lang in ("zh", "en"):
            assert literal(scheme, concept, SKOS.prefLabel, lang)
            assert literal(scheme, concept, SKOS.definition, lang)


def test_scheme_and_lexicon_have_the_same_ids_and_labels(
    scheme: Graph, lexicon: dict[str, dict[str, object]]
) -> None:
    in_scheme = {
        str(c).removeprefix(str(CATEGORY)): (
            literal(scheme, c, SKOS.prefLabel, "zh"),
            literal(scheme, c, SKOS.prefLabel, "en"),
        )
        for c in concepts(scheme)
    }
    in_lexicon = {i: (e["zh"], e["en"]) for i, e in lexicon.items()}
    assert in_scheme == in_lexicon


def test_categories_lists_the_lexicon_in_order(
    lexicon: dict[str, dict[str, object]],
) -> None:
    assert [c.id for c in categories()] == list(lexicon)
    eight = next(c for c in categories() if c.id == "eight-point-rules")
    assert (eight.label_zh, eight.label_en) == (
        "中央八项规定与“四风”",
        "The central eight-point rules and the “four undesirable styles”",
    )


def test_every_category_but_the_catch_all_has_keywords(
    lexicon: dict[str, dict[str, object]],
) -> None:
    raw = json.loads((ROOT / "kg" / "data" / "categories.json").read_text("utf-8"))
    for category_id, entry in lexicon.items():
        assert bool(entry["keywords"]) == (category_id != raw["catch_all"])


# --- hand-labelled problems from the five notices --------------------------
# (notice, label as written, the 类 heading above it or None, acceptable top-1
# ids). Two ids where the notice itself files the problem under one topic while
# its wording names another (招待费 under 财务管理).

LUOZHUANG_STUDY = "学习贯彻习近平新时代中国特色社会主义思想和党的十九大精神不深入。"
LUOZHUANG_CORE = "党组领导核心作用虚化、弱化。"
LUOZHUANG_PARTY = "党建工作基本功不扎实,相关环节存在短板。"
LUOZHUANG_INTERNAL = "内部管理不严,制度执行不到位。"
LUOZHUANG_DUTY = "管党治党主体意识薄弱,推进党内监督乏力。"
LUOZHUANG_FINANCE = "财务制度执行不严格,存在廉政风险。"
SANMEN_IDEOLOGY = "关于“意识形态工作还需加强”问题的整改进展情况"
SANMEN_INTEGRITY = "关于“党风廉政建设不够深入”问题的整改进展情况"
SANMEN_STYLE = "关于“工作作风不够严谨”问题的整改进展情况"
SANMEN_FINANCE = "关于“财务管理不够规范”问题的整改进展情况"
SANMEN_PERSONNEL = "关于“执行人事管理制度不够严格”问题的整改进展情况"
DJD_STUDY = "关于“学习习近平新时代中国特色社会主义思想不深不透,学用‘两张皮’”问题"
DJD_DECISIONS = "关于“贯彻落实上级决策部署有差距”问题的整改情况。"
DJD_DUTIES = "关于“履行职责不力”等问题的整改情况。"
DJD_IDEOLOGY = "关于“落实意识形态工作责任制不到位”等问题的整改情况。"
DJD_OUTLOOK = "关于“政绩观有偏差,项目管理弄虚作假”等问题的整改情况。"
DJD_EIGHT = "关于“落实中央八项规定和实施细则精神不严格”问题的整改情况。"
DJD_FINANCE = "关于“财务管理不规范”问题的整改情况。"
DJD_MAJORS = "关于“执行‘三重一大’制度不到位”问题”问题的整改情况。"
DJD_LEAD = "关于“党建引领作用未发挥”问题的整改情况。"
DJD_LIFE = "关于“党内政治生活不严肃”问题的整改情况。"
DJD_DUTY = "关于“履行管党治党责任不到位”问题的整改情况。"
ZZ_DECISIONS = "关于贯彻落实上级决策部署不扎实的问题。"
ZZ_CORE = "关于党的领导核心作用发挥不充分的问题。"
ZZ_PARTY = "关于党建主业意识不强的问题"
ZZ_ELECTIONS = "关于基层党组织换届把关不严的问题。"
ZZ_LIFE = "关于党的组织生活制度执行不严格的问题。"
ZZ_DUTIES = "关于“两个责任”落实不到位的问题。"
ZZ_PERSONNEL = "关于干部人事管理不科学、不严谨的问题。"
ZZ_FINANCE = "关于财经纪律执行不严格,重大投资管理混乱的问题。"
ZZ_EIGHT = "关于违反中央八项规定精神问题仍然存在的问题。"
ZZ_POVERTY = (
    "关于高新区党委对脱贫攻坚的政治意义认识不到位,主体责任意识不强,"
    "对省市的决策部署抓得不紧不牢,特别是在压力传导上存在层层递减现象的问题。"
)

CASES: list[tuple[str, str, str | None, tuple[str, ...]]] = [
    (
        "luozhuang-2021",
        "没有把学习贯彻落实习近平新时代中国特色社会主义思想和党的十九大精神"
        "作为首要政治任务抓紧抓实。",
        LUOZHUANG_STUDY,
        ("theory-study",),
    ),
    ("luozhuang-2021", "制发公文缺乏严肃性。", None, ("rules-and-documents",)),
    ("luozhuang-2021", "研讨发言材料虚于应付。", None, ("theory-study", "formalism")),
    (
        "luozhuang-2021",
        "对中央和省市区委关于意识形态工作决策部署及指示精神贯彻落实不力",
        "意识形态工作落实不到位。",
        ("ideology",),
    ),
    (
        "luozhuang-2021",
        "民主集中制落实不力,存在先定调后通报现象。",
        LUOZHUANG_CORE,
        ("democratic-centralism",),
    ),
    (
        "luozhuang-2021",
        "党组议事规则不明,与行政议事权责边界不清,"
        "存在以行政办公会代替党组会议决策的情况。",
        LUOZHUANG_CORE,
        ("democratic-centralism",),
    ),
    (
        "luozhuang-2021",
        "“三重一大” 制度执行不到位。",
        LUOZHUANG_CORE,
        ("democratic-centralism",),
    ),
    (
        "luozhuang-2021",
        "对区内招商引资工作缺乏统筹谋划、协调各方、主动牵头抓总的积极性主动性。",
        "贯彻落实区委决策部署不够坚决有力。",
        ("core-business", "decisions-implementation"),
    ),
    (
        "luozhuang-2021",
        "“三会一课“制度停留在表面、长期不召开党支部会议。",
        LUOZHUANG_PARTY,
        ("organizational-life",),
    ),
    (
        "luozhuang-2021",
        "发展党员程序不严谨,相关材料审核把关不严。",
        LUOZHUANG_PARTY,
        ("party-members",),
    ),
    (
        "luozhuang-2021",
        "工作方案和党组领导发言材料存在抄袭现象。",
        "民主生活会质量不高,撰写材料虚于应付,批评意见“辣味”不足。",
        ("formalism", "organizational-life"),
    ),
    (
        "luozhuang-2021",
        "组织人事制度执行不严格。",
        LUOZHUANG_INTERNAL,
        ("personnel-management",),
    ),
    (
        "luozhuang-2021",
        "考勤制度形同虚设,考勤档案无法反映真实考勤情况。",
        LUOZHUANG_INTERNAL,
        ("personnel-management",),
    ),
    (
        "luozhuang-2021",
        "制文发文不规范,写材料、制文件机械照抄,出台制度依葫芦画瓢。",
        LUOZHUANG_INTERNAL,
        ("rules-and-documents",),
    ),
    (
        "luozhuang-2021",
        "党组履行主体责任不牢不实,履行党风廉政建设责任制的意识不强。",
        LUOZHUANG_DUTY,
        ("two-responsibilities",),
    ),
    (
        "luozhuang-2021",
        "领导干部“一岗双责”落实不力,",
        LUOZHUANG_DUTY,
        ("two-responsibilities",),
    ),
    (
        "luozhuang-2021",
        "报销金额与票据金额不符。",
        LUOZHUANG_FINANCE,
        ("financial-management",),
    ),
    (
        "luozhuang-2021",
        "超范围、超标准报销。",
        LUOZHUANG_FINANCE,
        ("financial-management",),
    ),
    (
        "luozhuang-2021",
        "工会财务不规范,无工会专账,凭证不全。",
        LUOZHUANG_FINANCE,
        ("financial-management",),
    ),
    (
        "luozhuang-2021",
        "对巡视巡察审计发现的问题整改缓慢,部分问题边改边犯。",
        None,
        ("rectification",),
    ),
    ("sanmen-2023", "招商业务能力有待提升", None, ("core-business",)),
    (
        "sanmen-2023",
        "班子成员未将意识形态纳入个人年度述职述廉报告",
        SANMEN_IDEOLOGY,
        ("ideology",),
    ),
    (
        "sanmen-2023",
        "理论学习中心组学习开展不够规范",
        SANMEN_IDEOLOGY,
        ("theory-study",),
    ),
    (
        "sanmen-2023",
        "主体责任履行不够深入",
        SANMEN_INTEGRITY,
        ("two-responsibilities",),
    ),
    ("sanmen-2023", "廉政风险防控不够有力", SANMEN_INTEGRITY, ("integrity-risk",)),
    ("sanmen-2023", "形式主义一定程度存在", SANMEN_STYLE, ("formalism",)),
    (
        "sanmen-2023",
        "三重一大事项决策机制执行不够到位",
        SANMEN_STYLE,
        ("democratic-centralism",),
    ),
    (
        "sanmen-2023",
        "招待费报销管理不到位",
        SANMEN_FINANCE,
        ("eight-point-rules", "financial-management"),
    ),
    ("sanmen-2023", "账证不符", SANMEN_FINANCE, ("financial-management",)),
    (
        "sanmen-2023",
        "干部档案专项审核不规范",
        SANMEN_PERSONNEL,
        ("personnel-management",),
    ),
    (
        "sanmen-2023",
        "因私出国境管理不规范",
        SANMEN_PERSONNEL,
        ("personnel-management",),
    ),
    ("sanmen-2023", "落实主题党日活动不够规范", None, ("organizational-life",)),
    ("dongjiaduan-2022", "理论学习不深入", DJD_STUDY, ("theory-study",)),
    (
        "dongjiaduan-2022",
        "贯彻落实上级指示不到位",
        DJD_DECISIONS,
        ("decisions-implementation",),
    ),
    ("dongjiaduan-2022", "履行出资人职责不到位", DJD_DUTIES, ("state-assets",)),
    ("dongjiaduan-2022", "宣传引导不够", DJD_IDEOLOGY, ("ideology",)),
    ("dongjiaduan-2022", "假招商", DJD_OUTLOOK, ("performance-outlook",)),
    ("dongjiaduan-2022", "违规接待", DJD_EIGHT, ("eight-point-rules",)),
    ("dongjiaduan-2022", "加班用餐管理混乱", DJD_EIGHT, ("eight-point-rules",)),
    ("dongjiaduan-2022", "会计凭证资料不齐", DJD_FINANCE, ("financial-management",)),
    (
        "dongjiaduan-2022",
        "重大事项未经党工委会研究",
        DJD_MAJORS,
        ("democratic-centralism",),
    ),
    (
        "dongjiaduan-2022",
        "‘两新’组织党建工作指导不力",
        DJD_LEAD,
        ("primary-organizations",),
    ),
    (
        "dongjiaduan-2022",
        "党费收缴不规范,没有按时缴纳",
        DJD_LIFE,
        ("party-members",),
    ),
    (
        "dongjiaduan-2022",
        "领导班子成员‘一岗双责’空转",
        DJD_DUTY,
        ("two-responsibilities",),
    ),
    (
        "dongjiaduan-2022",
        "纪检监察机构力量不足",
        DJD_DUTY,
        ("discipline-inspection",),
    ),
    (
        "zaozhuang-2018",
        "换届程序不规范,有的预备党员参与投票,有的参加选举的党员不到法定人数,"
        "有的超职数配备支委委员",
        ZZ_ELECTIONS,
        ("primary-organizations",),
    ),
    ("zaozhuang-2018", "基层组织设置不合理", ZZ_PARTY, ("primary-organizations",)),
    ("zaozhuang-2018", "党委理论中心组学风不扎实", ZZ_CORE, ("theory-study",)),
    (
        "zaozhuang-2018",
        "贯彻执行上级政策缺少长远规划和具体措施",
        ZZ_DECISIONS,
        ("decisions-implementation",),
    ),
    ("zaozhuang-2018", "领导干部讲党课流于形式", ZZ_LIFE, ("organizational-life",)),
    ("zaozhuang-2018", "监督责任压得不实", ZZ_DUTIES, ("two-responsibilities",)),
    (
        "zaozhuang-2018",
        "干部人事管理基础薄弱",
        ZZ_PERSONNEL,
        ("personnel-management",),
    ),
    (
        "zaozhuang-2018",
        "未严格执行预算法规定,挪用代管资金",
        ZZ_FINANCE,
        ("financial-management",),
    ),
    (
        "zaozhuang-2018",
        "存在支出费用超预算、落实车改政策不彻底、超标准发放补贴、纪律观念松弛等方面",
        ZZ_EIGHT,
        ("eight-point-rules",),
    ),
    (
        "zaozhuang-2018",
        "基础工作不扎实,扶贫工作不精准",
        ZZ_POVERTY,
        ("poverty-alleviation",),
    ),
    ("zaozhuang-2018", "项目选择不科学", ZZ_POVERTY, ("poverty-alleviation",)),
    ("dongying-2021", "抓意识形态工作不实", None, ("ideology",)),
    ("dongying-2021", "履行国有资产监管运营职责不到位", None, ("state-assets",)),
    ("dongying-2021", "以“人民为中心”理念树得不牢", None, ("public-services",)),
    ("dongying-2021", "作风建设缺乏一抓到底韧劲", None, ("formalism",)),
    (
        "dongying-2021",
        "财经纪律执行不严、政府采购缺乏监管",
        None,
        ("procurement", "financial-management"),
    ),
    (
        "dongying-2021",
        "党的领导弱化、民主集中制执行不严",
        None,
        ("democratic-centralism", "political-leadership"),
    ),
    (
        "dongying-2021",
        "全面从严治党主体责任和监督责任落实不力",
        None,
        ("two-responsibilities",),
    ),
    ("dongying-2021", "“以企业为本”服务意识不强", None, ("core-business",)),
]


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_hand_labelled_problems_agree_at_least_90_percent(width: str) -> None:
    misses = []
    for notice, label, group, expected in CASES:
        got = classify_problem(problem_in(text_of(notice), label, group, width=width))
        assert got, f"{label}: no category"
        if got[0] not in expected:
            misses.append((label, got, expected))
    assert len(misses) <= 0.1 * len(CASES), misses


@pytest.mark.parametrize(("notice", "label", "group", "expected"), CASES)
def test_hand_labelled_problem_gets_one_to_three_known_categories(
    notice: str, label: str, group: str | None, expected: tuple[str, ...]
) -> None:
    known = {c.id for c in categories()} - {"other"}
    got = classify_problem(problem_in(text_of(notice), label, group))
    assert 1 <= len(got) <= 3
    assert set(got) <= known
    assert len(set(got)) == len(got)


def test_width_of_punctuation_does_not_change_categories() -> None:
    for notice, label, group, _ in CASES:
        text = text_of(notice)
        full = classify_problem(problem_in(text, label, group, width="full"))
        half = classify_problem(problem_in(text, label, group, width="half"))
        assert full == half, label


def test_label_outweighs_group() -> None:
    # 招商质效不高 sits under the 八项规定 heading: the label's topic comes first,
    # the heading's second.
    problem = problem_in(text_of("dongjiaduan-2022"), "招商质效不高", DJD_EIGHT)
    assert classify_problem(problem)[:2] == ("core-business", "eight-point-rules")


def test_statement_is_scored_but_measures_are_not() -> None:
    # "体制机制不健全" names no category; the text after it does (意识形态):
    # counted where the extractor made it the problem's statement, ignored
    # where it is the problem's measure or result.
    text = text_of("dongjiaduan-2022")
    start = text.index("体制机制不健全")
    label = Span.of(text, start, start + len("体制机制不健全"))
    after = text.index("一是定期召开片区党工委会议", label.end)
    span = Span.of(text, start, text.index("\n", after))
    rest = Span.of(text, after, span.end)
    assert "研究意识形态工作" in rest.text
    statement = Problem(path="1", label=label, span=span, statement=span)
    measure = Measure(ordinal=1, kind=MeasureKind.MEETING, span=rest)
    own = Span.of(text, start, after)
    measured = Problem(
        path="1", label=label, span=span, statement=own, measures=(measure,)
    )
    resulted = Problem(path="1", label=label, span=span, statement=own, result=rest)
    assert classify_problem(statement)[0] == "ideology"
    assert classify_problem(measured) == ("other",)
    assert classify_problem(resulted) == ("other",)


def test_text_without_keywords_falls_back_to_the_catch_all() -> None:
    assert classify_text("") == ("other",)
    assert classify_text("现将整改进展情况予以公布。") == ("other",)


def test_keywords_count_only_on_token_boundaries() -> None:
    # 党日 (themed Party day) is in 党日活动 but not in 党/日常 (Party, daily).
    assert classify_text("党日活动不规范") == ("organizational-life",)
    assert "organizational-life" not in classify_text("加强党日常监督")


def test_secondary_categories_need_half_the_top_score() -> None:
    got = classify_text("三会一课制度执行不严,记账不规范")
    assert got[:2] == ("organizational-life", "financial-management")
    assert classify_text("三会一课制度执行不严,支出") == ("organizational-life",)


# --- every problem label of the corpus ---------------------------------------

# One alternative per heading style of the five notices:
# 问题:(1)… (luozhuang), 1.针对“…”问题 (sanmen), ①对“…”等问题 (dongjiaduan),
# (1)针对…的问题 (zaozhuang), 1.对…问题, (dongying).
CORPUS_LABEL = re.compile(
    r"^(?:问题[:：]\s*[(（]\d+[)）](?P<a>[^。]+)"
    r"|\d+[.．、]针对[“\"](?P<b>.+?)\s*[”\"]问题"
    r"|[①-⑳]对[“\"](?P<c>.+?)[”\"]等?问题"
    r"|[(（]\d+[)）]针对(?P<d>.+?)的问题"
    r"|\d+[.．、]对(?P<e>.+?)问题[,，])",
    re.MULTILINE,
)
# How many labels each notice has in the styles above (zaozhuang numbers 33
# problems but its text has no (18)).
LABEL_COUNTS = {
    "dongjiaduan-2022": 39,
    "dongying-2021": 12,
    "luozhuang-2021": 28,
    "sanmen-2023": 21,
    "zaozhuang-2018": 32,
}


# A 类 heading the labels below it belong to: 1、… (luozhuang), 一、关于“…”
# (sanmen), 1.关于… (dongjiaduan, zaozhuang); dongying's 类 are its labels.
CORPUS_GROUP = re.compile(
    r"^(?:\d+、\s*|\d+[.．、]关于|[一二三四五六七八九十]+、关于)(?P<g>.+)$",
    re.MULTILINE,
)


def corpus_problems(notice: str) -> list[Problem]:
    """Every problem label of a notice, with the 类 heading above it and the rest
    of its line as its statement."""
    text = text_of(notice)
    groups = [(m.start("g"), m.end("g")) for m in CORPUS_GROUP.finditer(text)]
    problems: list[Problem] = []
    for m in CORPUS_LABEL.finditer(text):
        name = next(k for k, v in m.groupdict().items() if v)
        before = [g for g in groups if g[1] <= m.start()]
        group = Span.of(text, *before[-1]) if before else None
        problems.append(line_problem(text, m.start(name), m.end(name), group))
    return problems


@pytest.mark.parametrize("notice", sorted(LABEL_COUNTS))
def test_every_corpus_problem_gets_a_real_category(notice: str) -> None:
    problems = corpus_problems(notice)
    assert len(problems) == LABEL_COUNTS[notice]
    for problem in problems:
        got = classify_problem(problem)
        assert got and "other" not in got, problem.label.text


@pytest.mark.parametrize("notice", sorted(LABEL_COUNTS))
def test_most_corpus_labels_get_a_category_on_their_own(notice: str) -> None:
    # A few labels name no topic without their heading (体制机制不健全); nearly
    # all do, in either punctuation width.
    labels = [p.label.text for p in corpus_problems(notice)]
    for table in (HALF_TO_FULL, FULL_TO_HALF):
        bare = [x for x in labels if classify_text(x.translate(table)) == ("other",)]
        assert len(bare) <= 0.1 * len(labels), bare


# --- the problems the pipeline extracts from the five notices ----------------
# The classifier never returns nothing: a problem with no keyword anywhere gets
# the catch-all. What can go wrong is how often that happens, and whether the
# pipeline hands it the label, heading and statement it found.

# Measured when written: 0 of the 133 problems in the catch-all; the commonest
# category, core-business, first for 16 (12 %); 22 categories first for some.
MAX_CATCH_ALL_SHARE = 0.03
MAX_ONE_CATEGORY_SHARE = 0.25
MIN_CATEGORIES_FIRST = 15

# (notice, a fragment of one problem's label, its first category). The first
# two labels name no topic (classify_text gives the catch-all): their 类
# heading (意识形态, 脱贫攻坚) decides. The third reads as money, but sits under
# the heading 执行‘三重一大’制度不到位.
PIPELINE_CASES = [
    ("dongjiaduan-2022", "体制机制不健全", "ideology"),
    ("zaozhuang-2018", "项目选择不科学", "poverty-alleviation"),
    ("dongjiaduan-2022", "实际支出与会议记录不符", "democratic-centralism"),
    ("dongjiaduan-2022", "违规接待", "eight-point-rules"),
    ("sanmen-2023", "账证不符", "financial-management"),
    ("sanmen-2023", "廉政约谈不够规范", "integrity-risk"),
    ("sanmen-2023", "落实主题党日活动不够规范", "organizational-life"),
    ("luozhuang-2021", "记账不规范", "financial-management"),
    ("luozhuang-2021", "问题整改缓慢", "rectification"),
    ("zaozhuang-2018", "党员发展工作不严肃", "party-members"),
    ("zaozhuang-2018", "换届工作不严不实", "primary-organizations"),
    ("dongying-2021", "政府采购缺乏监管", "procurement"),
]


@pytest.fixture(scope="module")
def extracted_problems() -> dict[str, tuple[Problem, ...]]:
    return {
        path.stem: extract_notice(path).problems
        for path in sorted(EXAMPLES.glob("*.txt"))
    }


def first_categories(problems: dict[str, tuple[Problem, ...]]) -> Counter[str]:
    return Counter(p.categories[0] for ps in problems.values() for p in ps)


def test_few_extracted_problems_fall_back_to_the_catch_all(
    extracted_problems: dict[str, tuple[Problem, ...]],
) -> None:
    catch_all = json.loads(
        (ROOT / "kg" / "data" / "categories.json").read_text("utf-8")
    )["catch_all"]
    first = first_categories(extracted_problems)
    total = sum(first.values())
    assert total >= 100  # the five notices' problems, not a few
    caught = [
        (notice, p.path, p.label.text)
        for notice, problems in extracted_problems.items()
        for p in problems
        if p.categories[0] == catch_all
    ]
    assert len(caught) <= MAX_CATCH_ALL_SHARE * total, caught


def test_no_category_takes_most_extracted_problems(
    extracted_problems: dict[str, tuple[Problem, ...]],
) -> None:
    first = first_categories(extracted_problems)
    total = sum(first.values())
    [(commonest, count)] = first.most_common(1)
    assert count <= MAX_ONE_CATEGORY_SHARE * total, (commonest, count, total)
    assert len(first) >= MIN_CATEGORIES_FIRST, first


@pytest.mark.parametrize(("notice", "fragment", "expected"), PIPELINE_CASES)
def test_extracted_problem_lands_in_its_category(
    extracted_problems: dict[str, tuple[Problem, ...]],
    notice: str,
    fragment: str,
    expected: str,
) -> None:
    found = [p for p in extracted_problems[notice] if fragment in p.label.text]
    assert len(found) == 1, [p.label.text for p in found]
    assert found[0].categories[0] == expected, found[0].categories


@pytest.mark.parametrize(("notice", "fragment", "expected"), PIPELINE_CASES[:2])
def test_these_labels_alone_name_no_category(
    notice: str, fragment: str, expected: str
) -> None:
    assert classify_text(fragment) == ("other",)
