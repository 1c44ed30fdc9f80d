"""《》 titles, their kind and relation, and bracket-less rule mentions
(kg/extract/regulations.py), on the corpus notices and real sentences from them."""

from __future__ import annotations

import time
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from kg.extract.regulations import (
    MAX_TITLE,
    classify_title,
    find_regulations,
    find_rule_mentions,
    title_spans,
)
from kg.link import regulation_key
from kg.model import Regulation, RegulationKind, Relation, Source

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "notices"
NOTICES = (
    "dongjiaduan-2022",
    "dongying-2021",
    "luozhuang-2021",
    "sanmen-2023",
    "zaozhuang-2018",
)

K = {
    "L": RegulationKind.LAW,
    "P": RegulationKind.PARTY_REGULATION,
    "N": RegulationKind.NORMATIVE_DOCUMENT,
    "O": RegulationKind.OTHER,
}
R = {
    "c": Relation.CITES,
    "s": Relation.STUDIES,
    "e": Relation.ENACTS,
    "v": Relation.VIOLATES,
}

# Hand labels for every 《》 title of the corpus, in order of first occurrence:
# kind|relations|title, one relation letter per occurrence (c cites, s studies,
# e enacts, v violates). Judged from the notices by reading them, per the
# definitions of docs/architecture.md. Points of judgement: a 方案 that organises
# work is a normative document, a 建议方案 (proposal) and a 情况通报 (report) are not;
# 发放/征订 a book for reading is studying it; 废止 (repealing) a rule cites it;
# 《关于加强全区党务工作者队伍建设的意见》 was drafted by the unit (the verb
# follows the title: 集思广议后制定并下发), hence enacts.
LABELS = {
    "dongjiaduan-2022": """
N|e|中共株洲高新技术产业开发区董家塅片区工作委员会关于区委第四巡察组巡察反馈意见的整改方案
O|c|2022年全区各级党委(党组)理论学习中心组专题学习重点内容安排
O|ee|董家塅片区党工委理论学习中心组专题学习重点内容安排
N|s|湖南省进一步加强招商引资工作的若干政策措施
N|s|进一步加强招商引资工作助推三个高地建设的若干措施
N|e|董家塅片区企业服务长效机制实施方案
N|c|株洲市园区招商引资项目事前评估及事中事后监管实施办法
N|e|芦淞区进一步加强招商引资工作若干措施(试行)
N|c|关于深化园区体制机制改革推动“五好”园区创建的实施意见
N|e|株洲高新技术产业开发区董家塅片区“五好”园区创建实施方案
O|e|中小航空发动机与通用航空产业链分析报告(2022)
O|e|通用航空产业发展“十四五”规划
O|e|芦淞区服饰产业发展行动计划(2022-2025)
N|ee|董家塅片区党工委意识形态工作责任制实施方案
N|e|董家塅片区管委会招商引资项目落地监督管理暂行办法
N|e|董家塅片区管委会入园协议合同管理制度
N|ee|关于印发〔董家塅高科园财务制度〕的通知
N|e|董家塅片区内控机制
N|e|董家塅片区财务管理制度
O|e|董家塅片区管委会入园项目会签表
""",
    "dongying-2021": """
N|c|党工委理论学习中心组学习规则
O|s|新征程面对面
N|e|现代服务业高质量发展扶持办法
N|e|特色商务楼宇、商业街区认定管理办法
O|e|东营港广利港海河联运码头规划建设实施建议方案
N|e|关于加快推动总部经济发展的若干意见
N|e|“高精尖”企业服务专员制度工作实施方案
O|s|科技创新政策汇编
N|e|关于强化创新驱动发展的若干政策
N|e|科技创新券管理暂行办法
N|e|关于支持中国石油大学国家大学科技园高质量发展的若干意见
N|e|招商引资“百日攻坚”活动方案
N|e|招商代理(大使)经费支出管理指导意见
N|e|青年就业见习基地实施方案
N|e|新型功能材料工程技术人才职称评审实施意见
N|c|关于进一步加强高技能人才与专业技术人才职业发展贯通的实施意见
O|e|东营市中心城高速公路以东区域规划研究及控制性详细规划和城市设计
N|e|国有企业董事会规范运作办法
N|e|国有企业监事会管理办法
N|e|国有企业董事会年度工作报告制度
N|e|区属国有企业专项清理方案
N|e|区属国有企业违规经营投资责任追究报告制度
N|e|国有企业投资项目负面清单
N|e|国资委出资人监管权力和责任清单
O|e|2021年开发区党工委理论学习中心组专题学习安排
N|e|关于在全区开展党史学习教育实施方案
N|e|落实意识形态工作责任制“三清单四机制”
N|e|意识形态工作考核评价体系
N|e|网络舆情监测处置工作规范
N|e|政务新媒体管理办法
N|e|政务服务告知承诺制管理办法
N|e|第一批政务服务告知承诺事项清单
N|e|市政设施建设类审批告知承诺制实施方案
N|ee|关于实行工程建设项目审批项目服务经理制的通知
N|e|优化营商环境创新突破行动实施方案
N|e|提升政务服务帮办代办实施方案
O|e|“十四五”教育布局规划
O|e|“十四五”教育事业发展规划
N|e|东营市实验中学东凯中学集团化办学实施方案
N|e|关于市实验中学教育集团推进运行的指导意见
O|e|社区卫生服务机构建设计划
N|c|新竣工住宅小区户外装修服务指南(试行)
N|e|“红色物业”10条意见
N|e|物业企业服务11条标准
O|e|中央八项规定精神规范性文件汇编
N|e|关于进一步加强和规范行政事业单位财务管理的通知
N|e|国内公务接待实施细则
N|e|关于进一步规范公务用车使用管理的通知
N|e|关于进一步加强房屋建筑和市政基础设施工程招标投标监管的通知
N|e|区属国有企业选聘相关监管意见
N|e|区属国有企业采购管理办法
P|ss|中国共产党地方委员会工作条例
P|s|中国共产党党组工作条例
N|e|东营经济技术开发区党工委工作规则
N|e|党工委、管委会“三重一大”议事决策规则
N|e|重大事项会商预审机制
N|c|3+N”重大事项会商机制
N|c|关于落实全面从严治党主体责任的意见(试行)
O|s|同级同类干部警示教育案例汇编(市管干部)
N|e|党员和公职人员酒驾醉驾突出问题专项整治工作方案
N|e|内部审计规定
O|s|错位的“官场生意人”—宫祥勋严重违纪违法案件警示录
O|s|正风反腐就在身边
O|s|镜子:不能“倒带”的人生
N|e|关于进一步规范和加强小学生校内课后服务工作的通知
""",
    "luozhuang-2021": """
N|c|主题教育实施意见
N|c|关于开展“不忘初心、牢记使命”主题教育的工作安排方案
N|e|投资促进服务中心制文发文管理办法
O|c|坚守绝对忠诚、做到两个维护
O|c|以政治建设为统领推动全面从严治党向纵深发展
N|e|意识形态工作责任制办法
N|c|关于公布区投资促进服务中心领导班子分工及中层机构调整的通知
N|e|关于公布区投资促进服务中心班子成员和科室人员职责及分工的通知
N|e|投资促进服务中心党组工作规则
N|v|罗庄区2019年政府工作报告任务分解方案
N|e|罗庄区双招双引打擂比赛方案
O|c|党员现实表现认定表
O|c|谈话纪实表
O|c|转正会议记录
N|c|2018年专题民主生活会工作方案
O|e|罗庄区招商参考资料汇编
N|e|区投资促进服务中心日常考勤办法
O|c|罗庄区招商局2019年重点工作任务
N|e|区投资促进服务中心制文发文管理办法
N|e|区投资促进服务中心党风廉政建设“一岗双责”制度
O|c|罗庄区审计局关于罗庄区招商局党组书记、局长任期经济责任审计情况的审计报告
O|c|招商局巡察巡视反馈问题整改周报
""",
    "sanmen-2023": """
L|s|信访工作条例
N|ss|三门县党风廉政建设约谈暂行办法
N|s|县投促中心机关党支部谈心谈话制度
P|s|中国共产党支部工作条例(试行)
N|s|严格党的组织生活制度
N|s|关于加强对“三重一大”事项监督的通知
O|s|三门县投促中心制度汇编
L|ss|会计法
N|ss|三门县机关工作人员差旅费管理规定
N|s|浙江省党政机关厉行节约反对浪费实施细则
N|s|三门县党政机关国内公务接待管理实施办法
O|s|政府会计准则制度汇编
N|s|三门县干部人事档案专项审核全覆盖工作实施方案
O|e|干部人事档案专项审核认定表
N|s|关于进一步明确国家工作人员因私出国(境)有关事项的通知
P|s|党章
N|s|三门县党的组织生活操作规范
""",
    "zaozhuang-2018": """
N|e|关于市委第一巡察组对高新区党委巡察情况反馈意见的整改方案
O|e|高新区党建工作制度与工作实务
N|e|基层党组织换届选举办法(试行)
O|e|党建工作制度与工作实务
N|e|关于加快推进医养结合促进社会健康发展的实施方案
O|c|财政法规汇编
O|e|财政法规汇编2
N|e|考勤与请销假制度
N|e|职工带薪年休假管理办法
N|e|关于规范公务用车平台使用管理试行办法
N|e|保密管理规定
P|c|党政机关公文处理工作条例
N|c|区党委关于重大决策程序规定的通知
N|e|2018年督查工作方案
N|e|高新区党委理论学习中心组实施细则
O|e|高新区2018年党委理论中心组学习计划
O|s|习近平谈治国理政
N|c|关于进一步改进全区会议会务工作的通知
N|e|关于进一步规范公文发文审核处理的意见
P|s|党委讨论决定干部任免事项守则
P|c|干部选拔任用工作条例
N|e|高新区党委、管委工作细则
N|e|高新区领导班子三重一大决策制度实施办法(试行)
N|e|高新区管委会重大行政决策程序规定
N|e|关于加强全区党务工作者队伍建设的意见
N|e|关于实施基层组织力提升工程的意见
N|e|2018年度经济社会综合考核办法
N|c|关于推进城市街道、社区区域化党建工作的意见(试行)
N|c|关于进一步严格党的组织生活抓好“三会一课”等制度落实的方案
O|e|全区“灯塔-党建在线”综合管理服务平台工作进度情况通报
N|e|关于建立健全全区各级党组织换届提醒督促机制的通知
N|e|高新区发展党员工作细则(修订版)
O|c|入党志愿书填写实务图解
O|s|失衡的代价
O|s|铁肩担当铸忠诚
O|e|枣庄高新区2018-2028年干部队伍建设规划
N|e|机关事业单位人员调配管理办法(试行)
N|e|关于深化完善从严管理干部档案若干机制的意见
N|e|关于进一步规范大额资金拨付的通知
N|c|区管委重大行政决策程序规定
N|e|关于严格执行经费管理规定的通知
N|e|关于暂核部门公务用车经费的通知
N|e|关于清理违规发放工资津贴补贴的通知
N|e|村级财务公开制度
N|e|关于加强村级财务公开规范化管理的通知
N|e|关于严格执行征地拆迁补偿标准的通知
N|e|脱贫攻坚责任制实施细则
N|e|农村贫困人口动态监测管理实施方案
N|c|高新区财政扶贫资金项目实施推进管理办法
""",
}


def source(text: str, path: str | None = None) -> Source:
    return Source(
        text=unicodedata.normalize("NFC", text),
        path=path,
        sha256="x",
        encoding="utf-8",
        media_type="text/plain",
    )


def notice(name: str) -> Source:
    path = EXAMPLES / f"{name}.txt"
    return source(path.read_text(encoding="utf-8"), str(path))


def labels(name: str) -> list[tuple[str, RegulationKind, tuple[Relation, ...]]]:
    rows = []
    for line in LABELS[name].strip().splitlines():
        kind, relations, title = line.split("|")
        rows.append((title, K[kind], tuple(R[r] for r in relations)))
    return rows


def relations(regulation: Regulation) -> tuple[Relation, ...]:
    return tuple(m.relation for m in regulation.mentions)


CORPUS_TEXT = {name: notice(name).text for name in NOTICES}


# --- titles on the corpus ------------------------------------------------------


@pytest.mark.parametrize("name", NOTICES)
def test_every_title_found_once_with_all_its_occurrences(name: str) -> None:
    found = [(r.title, len(r.mentions)) for r in find_regulations(notice(name))]
    expected = [(title, len(rels)) for title, _, rels in labels(name)]
    assert found == expected


@pytest.mark.parametrize("name", NOTICES)
def test_mention_spans_cover_the_title_with_its_brackets(name: str) -> None:
    text = CORPUS_TEXT[name]
    for regulation in find_regulations(notice(name)):
        for mention in regulation.mentions:
            span = mention.span
            assert text[span.start : span.end] == span.text
            assert span.text == f"《{regulation.title}》"
        assert regulation.key == regulation_key(regulation.title)


def test_titles_sorted_by_first_occurrence() -> None:
    for name in NOTICES:
        firsts = [r.mentions[0].span.start for r in find_regulations(notice(name))]
        assert firsts == sorted(firsts)


def test_kind_accuracy_on_the_corpus_is_at_least_95_percent() -> None:
    wrong = []
    total = 0
    for name in NOTICES:
        found = {r.title: r.kind for r in find_regulations(notice(name))}
        for title, kind, _ in labels(name):
            total += 1
            if found.get(title) != kind:
                wrong.append((name, title, kind.value, found.get(title)))
    assert total == 173
    assert len(wrong) / total <= 0.05, wrong


def test_relation_accuracy_on_the_corpus_is_at_least_95_percent() -> None:
    wrong = []
    total = 0
    for name in NOTICES:
        found = {r.title: relations(r) for r in find_regulations(notice(name))}
        for title, _, rels in labels(name):
            got = found.get(title, ())
            total += len(rels)
            wrong += [
                (name, title, i, want.value, got[i] if i < len(got) else None)
                for i, want in enumerate(rels)
                if i >= len(got) or got[i] != want
            ]
    assert total == 181
    assert len(wrong) / total <= 0.05, wrong


WIDTH = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）"})


@pytest.mark.parametrize("name", NOTICES)
def test_full_width_punctuation_gives_the_same_regulations(name: str) -> None:
    half = find_regulations(notice(name))
    full = find_regulations(source(CORPUS_TEXT[name].translate(WIDTH)))
    assert [r.title.translate(WIDTH) for r in half] == [r.title for r in full]
    assert [(r.key, r.kind, relations(r)) for r in half] == [
        (r.key, r.kind, relations(r)) for r in full
    ]


def test_regulation_titles_keep_fullwidth_parentheses() -> None:
    text = "学习了《中国共产党支部工作条例（试行）》和《中国共产党支部工作条例(试行)》"
    regulations = find_regulations(source(text))
    assert [r.title for r in regulations] == [
        "中国共产党支部工作条例（试行）",
        "中国共产党支部工作条例(试行)",
    ]
    assert regulations[0].key == regulations[1].key == "中国共产党支部工作条例"
    assert {r.canonical for r in regulations} == {"中国共产党支部工作条例（试行）"}
    assert {r.kind for r in regulations} == {RegulationKind.PARTY_REGULATION}


def test_gazetteer_gives_canonical_title_and_level() -> None:
    by_title = {r.title: r for r in find_regulations(notice("sanmen-2023"))}
    assert by_title["会计法"].canonical == "中华人民共和国会计法"
    assert by_title["会计法"].level == "法律"
    assert by_title["党章"].canonical == "中国共产党章程"
    assert by_title["信访工作条例"].kind is RegulationKind.LAW
    local = by_title["三门县机关工作人员差旅费管理规定"]
    assert (local.canonical, local.level) == ("三门县机关工作人员差旅费管理规定", None)


# --- relations on real sentences -------------------------------------------------

SENTENCES = [
    # (notice, sentence as written, expected relation of each title in order)
    (
        "luozhuang-2021",
        "2.规范制发公文管理,制定了《投资促进服务中心制文发文管理办法》,"
        "严格按要求做到制文有审核",
        "e",
    ),
    ("luozhuang-2021", "3.制发了区投资促进服务中心《意识形态工作责任制办法》", "e"),
    ("luozhuang-2021", "3.修订完善了《投资促进服务中心党组工作规则》", "e"),
    (
        "luozhuang-2021",
        "如,未按《罗庄区2019年政府工作报告任务分解方案》要求拓展广州招商新平台",
        "v",
    ),
    (
        "sanmen-2023",
        "一是9月8日组织全体人员(含驻点招商办)学习了《会计法》、"
        "《三门县机关工作人员差旅费管理规定》、县投促中心的财务管理制度",
        "ss",
    ),
    (
        "sanmen-2023",
        "一是8月31日招商线干部集中学习了中共三门县委办公室印发"
        "《关于加强对“三重一大”事项监督的通知》、《三门县投促中心制度汇编》",
        "ss",
    ),
    ("sanmen-2023", "补齐相关材料,并形成《干部人事档案专项审核认定表》", "e"),
    (
        "zaozhuang-2018",
        "一是对各部门需要以党委、管委和党政办公室印发、转发的文件,"
        "按照《党政机关公文处理工作条例》等文件要求,严格审核把关。",
        "c",
    ),
    ("zaozhuang-2018", "严格执行《干部选拔任用工作条例》", "c"),
    ("zaozhuang-2018", "史峰同志领学《习近平谈治国理政》第二卷", "s"),
    (
        "zaozhuang-2018",
        "组织县级干部和纪检监察干部分别观看《失衡的代价》《铁肩担当铸忠诚》"
        "等教育宣传片",
        "ss",
    ),
    (
        "zaozhuang-2018",
        "一是制定下发《高新区党委理论学习中心组实施细则》"
        "《高新区2018年党委理论中心组学习计划》,并按时组织学习",
        "ee",
    ),
    (
        "zaozhuang-2018",
        "在原有《财政法规汇编》的基础上充实内容,制定《财政法规汇编2》",
        "ce",
    ),
    (
        "zaozhuang-2018",
        "重大投资根据《区管委重大行政决策程序规定》的要求,由集体研究后确定。",
        "c",
    ),
    (
        "dongjiaduan-2022",
        "二是制定并执行《董家塅片区党工委意识形态工作责任制实施方案》",
        "e",
    ),
    (
        "dongjiaduan-2022",
        "一是召开片区党工委会议,专题传达学习省政府关于"
        "《湖南省进一步加强招商引资工作的若干政策措施》",
        "s",
    ),
    (
        "dongjiaduan-2022",
        "二是根据株洲市委、市政府《关于深化园区体制机制改革推动“五好”园区创建的"
        "实施意见》,结合园区实际,制定《株洲高新技术产业开发区董家塅片区“五好”园区创建实施方案》",
        "ce",
    ),
    (
        "dongjiaduan-2022",
        "片区党工委已于2019年11月19日出台《关于印发〔董家塅高科园财务制度〕的通知》"
        "(董管发〔2019〕3号)",
        "e",
    ),
    (
        "dongying-2021",
        "制定出台《重大事项会商预审机制》,废止《3+N”重大事项会商机制》",
        "ec",
    ),
    ("dongying-2021", "三是起草《区属国有企业选聘相关监管意见》", "e"),
    ("dongying-2021", "征订《新征程面对面》455本", "s"),
    (
        "dongying-2021",
        "细化《2021年开发区党工委理论学习中心组专题学习安排》,"
        "及时跟进学习党的十九届六中全会精神",
        "e",
    ),
    (
        "dongying-2021",
        "深入开展党史学习教育,制定《关于在全区开展党史学习教育实施方案》等文件",
        "e",
    ),
]


@pytest.mark.parametrize(("name", "sentence", "expected"), SENTENCES)
def test_relation_of_titles_in_real_sentences(
    name: str, sentence: str, expected: str
) -> None:
    assert sentence in CORPUS_TEXT[name]
    mentions = sorted(
        (m.span.start, m.relation)
        for r in find_regulations(source(sentence))
        for m in r.mentions
    )
    assert [relation for _, relation in mentions] == [R[c] for c in expected]


def test_studying_what_another_body_issued_is_studying() -> None:
    # 印发 names who issued the notice; the unit studied it.
    text = "组织学习了县委印发的《关于加强对“三重一大”事项监督的通知》"
    (regulation,) = find_regulations(source(text))
    assert relations(regulation) == (Relation.STUDIES,)


def test_issued_by_someone_else_is_cited() -> None:
    (regulation,) = find_regulations(
        source("根据县委印发的《三门县党的组织生活操作规范》")
    )
    assert relations(regulation) == (Relation.CITES,)


# --- brackets: nesting, unclosed and stray ---------------------------------------


@pytest.mark.parametrize(
    ("text", "titles"),
    [
        ("印发了《关于印发《XX办法》的通知》", ["关于印发《XX办法》的通知"]),
        (
            "《关于印发〈中国共产党纪律处分条例〉的通知》",
            ["关于印发〈中国共产党纪律处分条例〉的通知"],
        ),
        (
            "出台《关于印发〔董家塅高科园财务制度〕的通知》",
            ["关于印发〔董家塅高科园财务制度〕的通知"],
        ),
        ("《A《B《C》》》和《D》", ["A《B《C》》", "D"]),
        ("学习《会计法\n组织学习《预算法》", ["预算法"]),
        ("《未闭合的书名号 学习了《会计法》。", ["会计法"]),
        ("》》学习了《会计法》》", ["会计法"]),
        ("《》《 》学习了《会计法》", ["会计法"]),
        ("《" + "长" * (MAX_TITLE + 1) + "》《会计法》", ["会计法"]),
        ("《" + "长" * MAX_TITLE + "》", ["长" * MAX_TITLE]),
        ("《" + "长" * (MAX_TITLE - 10) + "《会计法》" + "长" * 20 + "》", ["会计法"]),
    ],
)
def test_brackets_nested_unclosed_and_stray(text: str, titles: list[str]) -> None:
    assert [r.title for r in find_regulations(source(text))] == titles


def test_unclosed_and_stray_brackets_in_a_megabyte_never_swallow_the_rest() -> None:
    sanmen = CORPUS_TEXT["sanmen-2023"]
    expected = Counter(
        {r.title: len(r.mentions) for r in find_regulations(notice("sanmen-2023"))}
    )
    # Every copy opens a 《 it never closes and closes a 》 it never opened.
    damaged = "《未闭合" + sanmen.replace("下一步", "》下一步《没有结束")
    copies = 1_000_000 // len(damaged) + 1
    text = damaged * copies
    assert len(text) > 1_000_000
    started = time.perf_counter()
    regulations = find_regulations(source(text))
    elapsed = time.perf_counter() - started
    found = Counter({r.title: len(r.mentions) for r in regulations})
    assert found == Counter({t: n * copies for t, n in expected.items()})
    # One pass: a scan that restarted at each 《 would take minutes here.
    assert elapsed < 20


@pytest.mark.parametrize("text", ["《" * 200_000, "》" * 200_000, "《\n" * 100_000])
def test_pathological_brackets_yield_nothing(text: str) -> None:
    assert find_regulations(source(text)) == ()
    assert title_spans(text) == []


# --- kind by head word and context -------------------------------------------------


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("三门县投促中心制度汇编", "O"),  # 汇编 although it holds 制度
        ("干部人事档案专项审核认定表", "O"),
        ("芦淞区服饰产业发展行动计划(2022-2025)", "O"),
        ("通用航空产业发展“十四五”规划", "O"),
        ("高新区发展党员工作细则(修订版)", "N"),
        ("关于印发〔董家塅高科园财务制度〕的通知", "N"),
        ("落实意识形态工作责任制“三清单四机制”", "N"),
        ("中国共产党巡视工作条例", "P"),  # by its name, gazetteer aside
        ("中国共产党某某工作规定", "P"),
        ("浙江省信访条例", "N"),  # a 条例 of a locality
        ("某某管理条例", "L"),
        ("某某法", "L"),
        ("某某管理办法", "N"),
        ("新征程面对面", "O"),
    ],
)
def test_kind_by_head_word(title: str, kind: str) -> None:
    assert classify_title(title) is K[kind]


def test_a_title_one_watches_is_a_film_whatever_its_head_word() -> None:
    (regulation,) = find_regulations(source("组织观看《廉洁从业若干规定》警示片"))
    assert regulation.kind is RegulationKind.OTHER
    assert relations(regulation) == (Relation.STUDIES,)


def test_a_title_followed_by_huibian_is_a_compilation() -> None:
    text = "印制了《高新区党建工作制度与工作实务》汇编"
    (regulation,) = find_regulations(source(text))
    assert regulation.kind is RegulationKind.OTHER


# --- rule mentions ----------------------------------------------------------------


def test_rule_mentions_in_sanmen_with_exact_spans() -> None:
    text = CORPUS_TEXT["sanmen-2023"]
    mentions = find_rule_mentions(notice("sanmen-2023"))
    assert [(m.span.text, m.canonical) for m in mentions] == [
        ("三重一大事项决策机制", "“三重一大”决策制度"),
        ("民主集中制", "民主集中制"),
        ("“三重一大”事项", "“三重一大”决策制度"),
        ("主题党日活动", "主题党日"),
        ("主题党日活动", "主题党日"),
        ("主题党日活动", "主题党日"),
        ("主题党日", "主题党日"),
        ("“三会一课”制度", "“三会一课”制度"),
        ("“一岗双责”", "“一岗双责”"),
        ("中央八项规定精神", "中央八项规定"),
    ]
    for m in mentions:
        assert text[m.span.start : m.span.end] == m.span.text
        assert m.key == regulation_key(m.canonical)
    heading = text.index("针对“三重一大事项决策机制执行不够到位”")
    assert mentions[0].span.start == heading + len("针对“")


def test_rule_mentions_skip_titles() -> None:
    # sanmen names 谈心谈话制度 and “三重一大” also inside titles:
    # 《县投促中心机关党支部谈心谈话制度》, 《关于加强对“三重一大”事项监督的通知》
    text = CORPUS_TEXT["sanmen-2023"]
    spans = title_spans(text)
    for m in find_rule_mentions(notice("sanmen-2023")):
        assert not any(s < m.span.end and m.span.start < e for s, e in spans)
    assert "谈心谈话制度" not in {
        m.span.text for m in find_rule_mentions(notice("sanmen-2023"))
    }


@pytest.mark.parametrize(
    ("name", "written", "canonical"),
    [
        ("luozhuang-2021", "“三会一课“制度", "“三会一课”制度"),  # as misprinted
        ("luozhuang-2021", "“三重一大” 制度", "“三重一大”决策制度"),
        ("luozhuang-2021", "“三重一大” 决策制度", "“三重一大”决策制度"),
        ("luozhuang-2021", "党风廉政建设责任制", "关于实行党风廉政建设责任制的规定"),
        ("dongjiaduan-2022", "‘三重一大’制度", "“三重一大”决策制度"),
        ("dongjiaduan-2022", "中央八项规定和实施细则精神", "中央八项规定"),
        ("dongjiaduan-2022", "“第一议题”学习制度", "“第一议题”制度"),
        ("dongying-2021", "中央八项规定及其实施细则", "中央八项规定"),
        ("dongying-2021", "“三重一大”集体决策制度", "“三重一大”决策制度"),
        (
            "dongjiaduan-2022",
            "意识形态工作责任制",
            "党委（党组）意识形态工作责任制实施办法",
        ),
    ],
)
def test_rule_mention_variants(name: str, written: str, canonical: str) -> None:
    mentions = {(m.span.text, m.canonical) for m in find_rule_mentions(notice(name))}
    assert (written, canonical) in mentions


def test_rule_mention_quotes_of_any_style_or_none() -> None:
    for written in ("“三会一课”制度", '"三会一课"制度', "三会一课制度"):
        (mention,) = find_rule_mentions(source(f"落实{written}。"))
        assert mention.span.text == written
        assert mention.canonical == "“三会一课”制度"


@pytest.mark.parametrize(
    ("sentence", "title", "kind"),
    [
        # a 党内法规 is made by the centre, its departments or a province
        ("学习了《中共中央办公厅关于加强党的政治建设的意见》。",
         "中共中央办公厅关于加强党的政治建设的意见", "P"),
        ("组织学习省委办公厅印发的《关于进一步加强巡察整改工作的通知》。",
         "关于进一步加强巡察整改工作的通知", "P"),
        ("学习中办《关于加强巡视整改和成果运用的意见》,以及省委《关于加强巡视整改"
         "的工作措施》。", None, "P"),
        ("对照《中共某某省委关于加强基层党组织建设的实施办法》进行整改。",
         "中共某某省委关于加强基层党组织建设的实施办法", "P"),
        # a county, bureau or company committee's own rules are normative
        ("修订了《中国共产党某某县委员会工作规则》。",
         "中国共产党某某县委员会工作规则", "N"),
        ("学习了县委办公室印发的《关于加强对“三重一大”事项监督的通知》。",
         "关于加强对“三重一大”事项监督的通知", "N"),
        ("落实《省卫生健康委支持某市深化改革若干举措》。",
         "省卫生健康委支持某市深化改革若干举措", "N"),
        # a 函 is one of the official document types (GB/T 9704)
        ("印发《巡察反馈意见整改交办函》。", "巡察反馈意见整改交办函", "N"),
        # analyses, plans and study arrangements are no rules
        ("印发《局党组理论学习中心组2024年理论学习安排意见》。",
         "局党组理论学习中心组2024年理论学习安排意见", "O"),
        ("形成《巡察反馈问题整改情况分析报告》。", "巡察反馈问题整改情况分析报告", "O"),
    ],
)
@pytest.mark.parametrize("width", ["half", "full"])
def test_kind_by_issuer_in_or_before_the_title(
    sentence: str, title: str | None, kind: str, width: str
) -> None:
    if width == "full":
        sentence = sentence.translate(str.maketrans({",": "，", "(": "（", ")": "）"}))
    found = {r.title: r.kind for r in find_regulations(source(sentence))}
    if title is None:  # every title of the sentence
        assert set(found.values()) == {K[kind]}
    else:
        assert found == {title: K[kind]}
