"""Notices built by hand from real corpus text, for the RDF tests.

They use the kg.model types directly, so the RDF stage is tested without the
extractors; every span is found with `str.find` on the real text, so offsets
are what the extractors must produce.
"""

from __future__ import annotations

import dataclasses
import hashlib
import unicodedata
from pathlib import Path

from kg.link import canonical_regulation, regulation_key
from kg.model import (
    Aspect,
    Count,
    Date,
    DocNumber,
    InspectingBody,
    InspectionGroup,
    Measure,
    MeasureKind,
    Notice,
    Organization,
    Person,
    Problem,
    Regulation,
    RegulationKind,
    RegulationMention,
    Relation,
    RuleMention,
    Source,
    Span,
)
from kg.pipeline import place_mentions

NOTICES = Path(__file__).resolve().parents[1] / "examples" / "notices"


def placed(notice: Notice) -> Notice:
    """`notice` with its mentions placed in their measures and problems, as
    the pipeline places them (the RDF stage reads the placement)."""
    regulations, rules = place_mentions(
        notice.regulations, notice.rule_mentions, notice.aspects
    )
    return dataclasses.replace(notice, regulations=regulations, rule_mentions=rules)


def read_source(name: str) -> Source:
    """The file as the ingest stage gives it: NFC text, hash of the bytes."""
    path = NOTICES / name
    data = path.read_bytes()
    return Source(
        text=unicodedata.normalize("NFC", data.decode("utf-8")),
        path=f"examples/notices/{name}",
        sha256=hashlib.sha256(data).hexdigest(),
        encoding="utf-8",
        media_type="text/plain",
    )


class Finder:
    """Spans of `text` located by the strings they hold, in reading order."""

    def __init__(self, text: str) -> None:
        self.text = text

    def span(self, needle: str, after: int = 0) -> Span:
        start = self.text.find(needle, after)
        if start < 0:
            raise LookupError(f"{needle!r} not in the text after {after}")
        return Span.of(self.text, start, start + len(needle))

    def between(self, first: str, last: str, after: int = 0) -> Span:
        """From the start of `first` to the end of `last` (found after `first`)."""
        start = self.span(first, after).start
        end = self.span(last, start).end
        return Span.of(self.text, start, end)

    def date(
        self, written: str, iso: str, after: int = 0, inferred: bool = False
    ) -> Date:
        return Date(iso, self.span(written, after), inferred_year=inferred)


def _regulation(
    title: str, kind: RegulationKind, mentions: list[tuple[Span, Relation]]
) -> Regulation:
    resolved = canonical_regulation(title)
    return Regulation(
        title=title,
        key=regulation_key(title),
        canonical=resolved.label,
        kind=kind,
        mentions=tuple(
            RegulationMention(span, relation) for span, relation in mentions
        ),
        level=resolved.level,
        published=resolved.published,
    )


def luozhuang_notice() -> Notice:
    """罗庄区投资促进服务中心党组: the first aspect, two of its groups with one
    problem each; the second problem's measure enacts a 办法."""
    source = read_source("luozhuang-2021.txt")
    f = Finder(source.text)
    title = f.span("\n罗庄区投资促进服务中心党组关于巡察整改进展情况的通报\n")
    title = Span.of(source.text, title.start + 1, title.end - 1)
    body = title.end
    intro = f.span("根据区委统一部署", body).start

    aspect_label = f.span(
        "党的政治建设不力,党组领导核心作用发挥不充分,贯彻落实上级决策部署不坚决"
    )
    group1 = f.span(
        "学习贯彻习近平新时代中国特色社会主义思想和党的十九大精神不深入。",
        aspect_label.end,
    )
    problem1_label = f.span(
        "没有把学习贯彻落实习近平新时代中国特色社会主义思想和党的十九大精神作为首要政治任务抓紧抓实",
        group1.end,
    )
    problem1 = f.between(
        "问题:(1)", "负责理论中心组学习的组织、签到、记录等工作。", group1.end
    )
    p1 = problem1.start
    measures1 = (
        Measure(
            1,
            MeasureKind.SELF_CRITICISM,
            f.span(
                "该领导同志已对2019年1月14 日考勤表、“三会一课”签到表作出了检讨说明,"
                "该党组成员补充了理论中心组相关学习内容。",
                p1,
            ),
        ),
        Measure(
            2,
            MeasureKind.STUDY,
            f.span(
                "将深入学习贯彻落实习近平新时代中国特色社会主义思想和党的十九大精神纳入"
                "“三会一课”、理论中心组学习、廉政自省日活动中,突出重点,建立常态化学习机制。",
                p1,
            ),
        ),
        Measure(
            3,
            MeasureKind.STUDY,
            f.span(
                "联系实际,将会议学习与观摩学习、接受红色基地教育等形式结合起来,丰富学习形式;"
                "领学环节之外,增加组织讨论和发言议程;开展红色主题教育活动。",
                p1,
            ),
        ),
        Measure(
            4,
            MeasureKind.LEDGER,
            f.span(
                "严格按要求组织开展理论中心组学习,安排办公室主任负责理论中心组学习的组织、"
                "签到、记录等工作。",
                p1,
            ),
        ),
    )

    group2 = f.span("学习教育活动开展不扎实。", problem1.end)
    problem3 = f.between(
        "问题:(3)制发公文缺乏严肃性。", "杜绝此类问题发生。", group2.end
    )
    p3 = problem3.start
    enacted = f.span("《投资促进服务中心制文发文管理办法》", p3)
    measures3 = (
        Measure(
            1,
            MeasureKind.SELF_CRITICISM,
            f.span("已责成办公室主任作出检讨,并对文件相关内容进行了修改。", p3),
        ),
        Measure(
            2,
            MeasureKind.RULES,
            f.span(
                "规范制发公文管理,制定了《投资促进服务中心制文发文管理办法》,严格按要求做到"
                "制文有审核,发文有登记,公文有存档,杜绝此类问题发生。",
                p3,
            ),
            regulations=("投资促进服务中心制文发文管理办法",),
        ),
    )
    problems = (
        Problem(
            path="1-1-1",
            label=problem1_label,
            span=problem1,
            group=group1,
            categories=("theory-study",),
            measures=measures1,
        ),
        Problem(
            path="1-2-3",
            label=f.span("制发公文缺乏严肃性", p3),
            span=problem3,
            group=group2,
            categories=("rules-and-documents", "theory-study"),
            measures=measures3,
        ),
    )
    aspect = Aspect(
        path="1",
        label=aspect_label,
        span=Span.of(source.text, aspect_label.start - 3, problem3.end),
        problems=problems,
    )
    three_big = f.span("“三重一大”", problem3.end)
    rule = canonical_regulation("“三重一大”决策制度")
    return placed(Notice(
        id="luozhuang-2021",
        source=source,
        title=title,
        publisher=f.span("罗庄区投资促进服务中心", f.span("发布机构").end),
        published=f.date("2021-03-11", "2021-03-11", f.span("公开日期").end),
        inspected_org=Organization(
            "罗庄区投资促进服务中心党组",
            "党组",
            f.span("罗庄区投资促进服务中心党组", intro),
        ),
        inspecting_body=InspectingBody("区委", "区", "罗庄区委", f.span("区委", intro)),
        inspection_group=InspectionGroup(
            "区委第一巡察组",
            1,
            "巡察",
            "罗庄区委第一巡察组",
            f.span("区委第一巡察组", intro),
        ),
        inspection_start=f.date("2019年11月8日", "2019-11-08", intro),
        inspection_end=f.date("12月8日", "2019-12-08", intro, inferred=True),
        feedback_date=f.date("4月1日", "2020-04-01", intro, inferred=True),
        counts=(
            Count("aspects", 5, f.span("5个方面")),
            Count("categories", 14, f.span("14个大类")),
            Count("problems", 28, f.span("28项问题")),
        ),
        aspects=(aspect,),
        regulations=(
            _regulation(
                "主题教育实施意见",
                RegulationKind.NORMATIVE_DOCUMENT,
                [(f.span("《主题教育实施意见》", p3), Relation.CITES)],
            ),
            _regulation(
                "投资促进服务中心制文发文管理办法",
                RegulationKind.NORMATIVE_DOCUMENT,
                [(enacted, Relation.ENACTS)],
            ),
        ),
        rule_mentions=(RuleMention(rule.label, rule.key, three_big, rule.kind,
                                   rule.level),),
        doc_numbers=(
            DocNumber("罗投发[2019]9号", "罗投发", 2019, 9, f.span("罗投发[2019]9号")),
        ),
    ))


def sanmen_notice() -> Notice:
    """中共三门县投资促进中心党组: the financial aspect, one problem whose first
    measure studies 《会计法》; 党组书记章明皓."""
    source = read_source("sanmen-2023.txt")
    f = Finder(source.text)
    intro = f.span("按照县委部署").start
    aspect_heading = f.span("六、关于“财务管理不够规范”问题的整改进展情况")
    problem = f.between(
        "1.针对“公务出行租车管理不到位”问题的整改进展情况。",
        "进行了集体工作提示约谈。",
        aspect_heading.end,
    )
    p = problem.start
    study = f.span(
        "9月8日组织全体人员(含驻点招商办)学习了《会计法》、《三门县机关工作人员差旅费"
        "管理规定》、县投促中心的财务管理制度,要求相关领导、财务人员对费用报销进行严审"
        "把关,确保票据内容真实完整、合法合规 ,坚决杜绝类似情况的再次发生;",
        p,
    )
    talk = f.span("9月8日中心对驻点招商组进行了集体工作提示约谈。", p)
    accounting = f.span("《会计法》", p)
    accounting_again = f.span("《会计法》", problem.end)
    travel = f.span("《三门县机关工作人员差旅费管理规定》", p)
    aspect = Aspect(
        path="6",
        label=Span.of(source.text, aspect_heading.start + 2, aspect_heading.end),
        span=Span.of(source.text, aspect_heading.start, problem.end),
        problems=(
            Problem(
                path="6-1",
                label=f.span("公务出行租车管理不到位", p),
                span=problem,
                categories=("financial-management",),
                measures=(
                    Measure(
                        1,
                        MeasureKind.STUDY,
                        study,
                        regulations=("会计法", "三门县机关工作人员差旅费管理规定"),
                    ),
                    Measure(2, MeasureKind.TALK, talk),
                ),
            ),
        ),
    )
    return placed(Notice(
        id="sanmen-2023",
        source=source,
        title=f.span("中共三门县投资促进中心党组\n关于巡察整改进展情况的通报"),
        publisher=f.span("中共三门县投资促进中心党组"),
        inspected_org=Organization(
            "三门县投资促进中心党组", "党组", f.span("三门县投资促进中心党组", intro)
        ),
        inspecting_body=InspectingBody("县委", "县", "三门县委", f.span("县委", intro)),
        inspection_group=InspectionGroup(
            "县委第一巡察组",
            1,
            "巡察",
            "三门县委第一巡察组",
            f.span("县委第一巡察组", intro),
        ),
        inspection_start=f.date("2023年3月20日", "2023-03-20", intro),
        inspection_end=f.date("6月21日", "2023-06-21", intro, inferred=True),
        feedback_date=f.date("2023年8月8日", "2023-08-08", intro),
        counts=(
            Count("aspects", 3, f.span("三个方面")),
            Count("problems", 21, f.span("21个问题")),
            Count("rectified", 21, f.span("已完成整改21个")),
        ),
        aspects=(aspect,),
        regulations=(
            _regulation(
                "会计法",
                RegulationKind.LAW,
                [(accounting, Relation.STUDIES), (accounting_again, Relation.STUDIES)],
            ),
            _regulation(
                "三门县机关工作人员差旅费管理规定",
                RegulationKind.NORMATIVE_DOCUMENT,
                [(travel, Relation.STUDIES)],
            ),
        ),
        persons=(Person("章明皓", "党组书记", f.span("党组书记章明皓")),),
        doc_numbers=(
            DocNumber(
                "台市委办室【2019】74号",
                "台市委办室",
                2019,
                74,
                f.span("台市委办室【2019】74号"),
            ),
        ),
    ))


def full_title_notice() -> Notice:
    """A notice that writes the full title 《中华人民共和国会计法》: the sanmen
    study sentence as another unit would write it."""
    text = "一、财务管理不够规范\n1.组织全体人员学习了《中华人民共和国会计法》。\n"
    source = Source(
        text=text,
        path=None,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        encoding="utf-8",
        media_type="text/plain",
    )
    f = Finder(text)
    measure = f.span("组织全体人员学习了《中华人民共和国会计法》。")
    problem = Problem(
        path="1-1",
        label=f.span("财务管理不够规范"),
        span=Span.of(text, 0, len(text)),
        categories=("financial-management",),
        measures=(
            Measure(
                1, MeasureKind.STUDY, measure, regulations=("中华人民共和国会计法",)
            ),
        ),
    )
    return placed(Notice(
        id="notice-" + source.sha256[:12],
        source=source,
        aspects=(Aspect("1", f.span("财务管理不够规范"), problem.span, (problem,)),),
        regulations=(
            _regulation(
                "中华人民共和国会计法",
                RegulationKind.LAW,
                [(f.span("《中华人民共和国会计法》"), Relation.STUDIES)],
            ),
        ),
    ))
