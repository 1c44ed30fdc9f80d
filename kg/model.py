"""The typed document model between extraction and output.

Every extracted value carries the `Span` of the source text it came from.
Offsets are Python ``str`` offsets into ``Source.text`` (NFC-normalised), so
``source.text[span.start:span.end] == span.text`` always holds.

This module imports nothing of ours: it is the contract every stage shares.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class Span:
    start: int  # Python str offsets over the NFC text
    end: int
    text: str

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span [{self.start}, {self.end})")
        if len(self.text) != self.end - self.start:
            raise ValueError(
                f"span [{self.start}, {self.end}) does not fit text {self.text!r}"
            )

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        """The span [start, end) of `text`."""
        return cls(start, end, text[start:end])

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end


@dataclass(frozen=True, slots=True)
class Source:
    """A decoded input: the text every span indexes into."""

    text: str  # NFC-normalised; HTML already reduced to the notice body
    path: str | None  # as given by the user; None for text passed directly
    sha256: str  # of the raw input bytes: the identity used for caching and duplicates
    encoding: str  # utf-8, utf-8-sig, gb18030, utf-16, ...
    media_type: str  # text/plain or text/html
    metadata: tuple[tuple[str, str], ...] = ()  # a web page's table: (发布机构, …)
    warnings: tuple[str, ...] = ()  # e.g. "truncated UTF-8 sequence at the end dropped"


# --- outline ---------------------------------------------------------------


class HeadingStyle(StrEnum):
    """Heading markers of the genre, in the order they usually nest."""

    CN_COMMA = "一、"  # 一、总体要求
    CN_PAREN = "(一)"  # (一) / （一）
    ARABIC_DOT = "1."  # 1. / 1． / 1、
    ARABIC_PAREN = "(1)"  # (1) / （1）
    CIRCLED = "①"  # ① ②
    CN_SHI = "一是"  # 一是…二是… (inline enumerations)
    PROBLEM_LABEL = "问题:"  # 问题: / 问题：
    RESULT_LABEL = "整改完成情况:"  # 整改完成情况: / 整改落实情况:


@dataclass(frozen=True, slots=True)
class Heading:
    style: HeadingStyle
    ordinal: int  # 1-based number written in the marker (0 where none, e.g. 问题:)
    marker: Span  # the marker itself: "一、", "(一)", "1.", "问题:" ...
    label: Span  # the heading text after the marker, up to the end of its sentence/line


@dataclass(frozen=True, slots=True)
class Section:
    heading: Heading | None  # None for the document root
    span: Span  # from the marker to the end of the last descendant
    children: tuple[Section, ...] = ()

    def walk(self) -> Iterator[Section]:
        """This section and all its descendants, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True, slots=True)
class Outline:
    root: Section


# --- notice facts ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Date:
    iso: str  # YYYY-MM-DD
    span: Span
    inferred_year: bool = False  # the year was omitted (4月1日); context gave it


class CountKey(StrEnum):
    """What an announced count counts. The values are the JSON keys of
    ``announced_counts`` and, with - for _, the slugs of the count-kind
    concepts (ontology/count-kinds.ttl)."""

    ASPECTS = "aspects"  # 方面
    CATEGORIES = "categories"  # 类
    PROBLEMS = "problems"  # 具体问题
    RECTIFIED = "rectified"  # problems rectified: 已完成整改28个
    MEASURES = "measures"  # 整改措施
    TASKS = "tasks"  # 整改任务
    TASKS_DONE = "tasks_done"  # tasks done


@dataclass(frozen=True, slots=True)
class Count:
    """A figure the notice itself announces: 5个方面, 28项问题, 156条具体整改措施."""

    key: str  # a CountKey value
    value: int
    span: Span


@dataclass(frozen=True, slots=True)
class Organization:
    """The inspected unit, e.g. 罗庄区投资促进服务中心党组."""

    name: str  # as written in the notice (normalised whitespace)
    kind: str | None  # 党组 | 党委 | 党工委 | 党总支 | 党支部 | None
    span: Span  # the phrase as written, an alias note (以下简称…) included
    aliases: tuple[str, ...] = ()  # 市文旅局 from (以下简称市文旅局)


@dataclass(frozen=True, slots=True)
class InspectingBody:
    """The party committee that sent the group: 区委, 县委, 市委, 省委, 中央."""

    name: str  # as written: 区委
    level: str  # 区 | 县 | 市 | 省 | 中央 | 其他
    canonical: str  # qualified by locality where it can be told: 罗庄区委, 枣庄市委
    span: Span


@dataclass(frozen=True, slots=True)
class InspectionGroup:
    name: str  # as written: 区委第一巡察组
    ordinal: int | None  # 1 for 第一
    kind: str  # 巡察 | 巡视
    canonical: str  # qualified like the body: 罗庄区委第一巡察组
    span: Span
    variety: str | None = None  # 专项 | 提级 | 交叉 | 机动 | 联动 | 常规
    round: int | None = None  # 12 in 第十二轮巡察一组, where the round is fused


@dataclass(frozen=True, slots=True)
class Person:
    name: str  # 章明皓
    role: str  # 党组书记
    span: Span  # covers role and name as written


@dataclass(frozen=True, slots=True)
class DocNumber:
    """A document number (文号): 罗投发[2019]9号, 台市委办室【2019】74号."""

    text: str
    issuer: str  # 罗投发
    year: int
    number: int
    span: Span


@dataclass(frozen=True, slots=True)
class Amount:
    """A money amount, in yuan: 14286.8元, 15.3万余元, 226.05亿元."""

    yuan: float
    approximate: bool  # 余, 多, 近, 约
    span: Span


class RegulationKind(StrEnum):
    LAW = "law"
    PARTY_REGULATION = "party_regulation"
    NORMATIVE_DOCUMENT = "normative_document"
    OTHER = "other"


class Relation(StrEnum):
    CITES = "cites"
    STUDIES = "studies"
    ENACTS = "enacts"  # the unit drew it up: 制定/出台/印发/修订
    VIOLATES = "violates"


@dataclass(frozen=True, slots=True)
class RegulationMention:
    span: Span  # the title with its 《》
    relation: Relation
    # Where the linker placed it (kg.pipeline.place_mentions): the path of the
    # problem whose span holds it, and the measure (1-based position within
    # that problem) that does, if one does.
    problem: str | None = None
    measure: int | None = None


@dataclass(frozen=True, slots=True)
class Regulation:
    """One distinct 《》 title of a notice with all its occurrences."""

    title: str  # the text inside 《》 exactly as written
    key: str  # normalisation key shared across notices (kg.link.regulation_key)
    canonical: str  # canonical label: 中华人民共和国会计法 for 会计法
    kind: RegulationKind
    mentions: tuple[RegulationMention, ...]
    level: str | None = None  # from a gazetteer: 法律, 行政法规 ...
    published: str | None = None  # from a gazetteer, YYYY-MM-DD


@dataclass(frozen=True, slots=True)
class RuleMention:
    """A well-known rule named without 《》: 中央八项规定精神, “三重一大”制度."""

    canonical: str  # the canonical regulation label it links to
    key: str
    span: Span
    # What the gazetteer the notice was read with knows of the rule
    # (kg.link.Gazetteer: the bundled list, or the user's file before it).
    kind: RegulationKind | None = None
    level: str | None = None
    problem: str | None = None  # placed like RegulationMention's
    measure: int | None = None


class MeasureKind(StrEnum):
    STUDY = "学习教育"
    RULES = "制度建设"
    TALK = "约谈谈话"
    SELF_CRITICISM = "检讨批评"
    MEETING = "会议部署"
    REFUND = "资金清退"
    DISCIPLINE = "问责处分"
    LEDGER = "台账清单"
    BUSINESS = "业务推进"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Measure:
    """One rectification measure: an item 1./一是/… under a problem."""

    ordinal: int
    kind: MeasureKind
    span: Span  # the measure text without its marker
    regulations: tuple[str, ...] = ()  # titles (as written) of 《》 inside the span


@dataclass(frozen=True, slots=True)
class Problem:
    """A concrete problem (具体问题) fed back by the inspection group."""

    path: str  # ordinal path within the notice: "2-1-3"
    label: Span  # the problem's heading or first sentence
    span: Span  # the whole problem section: statement and measures
    # From the label to the end of the problem's own text, before its measures
    # (问题:(3)制发公文缺乏严肃性。如,…内容。); the label alone where the
    # measures follow it directly. None only for hand-made problems.
    statement: Span | None = None
    group: Span | None = None  # the 类 heading it sits under, where there is one
    categories: tuple[str, ...] = ()  # canonical category ids (kg.data categories)
    measures: tuple[Measure, ...] = ()
    result: Span | None = None  # 整改落实情况:已完成整改 and the like

    @property
    def own_text(self) -> Span:
        """The problem's own text: its statement, its label where it has none
        (what its annotation points to, and where its rows start)."""
        return self.statement if self.statement is not None else self.label


@dataclass(frozen=True, slots=True)
class Aspect:
    """An aspect (方面) of the inspection feedback."""

    path: str  # "1", "2" ...
    label: Span
    span: Span
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True, slots=True)
class Notice:
    id: str  # stable slug: the file stem, or "notice-" + sha256 prefix
    source: Source
    title: Span | None = None
    publisher: Span | None = None
    published: Date | None = None
    inspected_org: Organization | None = None
    co_inspected: tuple[Organization, ...] = ()  # the others of a joint inspection
    inspecting_body: InspectingBody | None = None
    inspection_group: InspectionGroup | None = None
    inspection_start: Date | None = None
    inspection_end: Date | None = None
    feedback_date: Date | None = None
    counts: tuple[Count, ...] = ()
    aspects: tuple[Aspect, ...] = ()
    regulations: tuple[Regulation, ...] = ()
    rule_mentions: tuple[RuleMention, ...] = ()
    persons: tuple[Person, ...] = ()
    doc_numbers: tuple[DocNumber, ...] = ()
    amounts: tuple[Amount, ...] = ()
    dates: tuple[Date, ...] = ()
    warnings: tuple[str, ...] = field(default=())  # e.g. "no inspection group found"

    def count(self, key: str) -> int | None:
        """The announced figure for `key`, or None when the notice states none."""
        for c in self.counts:
            if c.key == key:
                return c.value
        return None

    @property
    def problems(self) -> tuple[Problem, ...]:
        """Every problem of every aspect, in document order."""
        return tuple(p for aspect in self.aspects for p in aspect.problems)

    @property
    def measures(self) -> tuple[Measure, ...]:
        """Every measure of every problem, in document order."""
        return tuple(m for problem in self.problems for m in problem.measures)
