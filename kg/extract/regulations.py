"""Titles in 《》 with kind, relation and normalisation key; bracket-less
mentions of well-known rules.

The JSON contract (docs/architecture.md): `regulations` holds one entry per distinct
title written in 《》, the title being the text inside the outermost 《》
exactly as written; `rule_mentions` holds well-known rules named without 《》.

Reading is one pass over the 《, 》 and line breaks of the text, so it stays
linear on inputs of many megabytes, and a bracket left open never swallows
the rest of the document: a title ends at the line's end and at
`MAX_TITLE` characters.
"""

from __future__ import annotations

import bisect
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from kg.extract.lines import lines_holding, literal_anchor
from kg.link import Gazetteer, default_gazetteer, regulation_key
from kg.model import (
    Regulation,
    RegulationKind,
    RegulationMention,
    Relation,
    RuleMention,
    Source,
    Span,
)

MAX_TITLE = 100  # characters inside 《》; the corpus's longest title has 40

_DELIMITERS = re.compile(r"[《》\n\r]")

# --- relation ----------------------------------------------------------------

# A relation is read from the clause before the title: back to the previous
# 。；，： or line break, with other titles blanked out (《…学习计划》 must not
# read as 学习). Within a clause the strongest cue wins, in the order
# violates > studies > enacts: 学习了县委办公室印发《…》 is studying what
# someone else issued; 制定并执行《…》 is enacting. A clause with none of them
# (按照/根据/依据/执行/参照/落实/对照/结合…, or no verb at all) cites.
_CLAUSE_END = re.compile(r"(?s).*[。；;！？!?，,：:\n\r]")
_CONTEXT = 120  # characters before a title searched for its verb
_VIOLATES = re.compile(r"违反|违背|未按|未执行|未落实|未遵守|不符合|没有按照|没有执行")
_STUDIES = re.compile(r"学习|研读|通读|领学|观看|收看|传达|发放|征订")
# 印发的《…》 and 制定的《…》 say who issued the title, not what the unit did.
_ENACTS = re.compile(
    r"(?:制定|出台|印发|修订|修改|制发|编制|编印|印制|建立|完善|起草|草拟|拟定"
    r"|形成|下发|细化|汇总)(?!的)"
)

# --- kind --------------------------------------------------------------------

# What is done to a title tells what it is, whatever its head word: a title
# one watches is a film; 《…》汇编 is a compilation.
_WATCHED = re.compile(r"观看|收看")
_COMPILED_AFTER = re.compile(r"等?(?:(?:警示|教育|宣传|专题|纪录)+片|汇编)")
# The head word is the title's suffix once status and edition marks are gone:
# (试行), (修订版), (2022-2025), (市管干部), 汇编2, a dangling quote.
_TAIL_MARKS = re.compile(r"(?:[(（][^()（）]{0,20}[)）]|\d+|[\s“”\"'‘’「」『』])+$")
# docs/architecture.md §JSON contract, `kind`. Longer suffixes are tried first, so 办法
# (normative) wins over 法 (law) and 建议方案 (other) over 方案 (normative).
_HEAD_WORDS: dict[str, RegulationKind] = {
    **dict.fromkeys(
        (
            "通知 意见 方案 办法 细则 规定 规则 制度 措施 政策 章程 职责 清单 体系"
            " 机制 守则 规范 标准 决定 准则 公约 规程 流程 须知 指引 指南 批复"
            " 责任制 工作法 举措 函"
        ).split(),
        RegulationKind.NORMATIVE_DOCUMENT,
    ),
    **dict.fromkeys(
        (
            "汇编 选编 摘编 规划 计划 要点 任务 安排 设计 报告 周报 月报 简报 通报"
            " 台账 表 记录 纪要 纪实 图解 手册 读本 实务 建议方案 纲要 图谱 方法"
            " 做法 安排意见"
        ).split(),
        RegulationKind.OTHER,
    ),
    "法": RegulationKind.LAW,
}
_HEAD_WORD_ORDER = sorted(_HEAD_WORDS, key=len, reverse=True)
# Regulations of the Party centre carry its name: 中国共产党…条例/准则/规则/规定.
_PARTY_NAME = re.compile(r"^(?:中国共产党|中共中央)")
_PARTY_HEADS = ("条例", "准则", "规则", "规定", "细则", "办法", "章程")
# A 条例 not in the gazetteer is national (State Council) unless a locality
# issued it (浙江省…条例 is a local regulation, binding but not national).
_LOCALITY = re.compile(r"[省市县区州旗]")


# Who issued a title decides whether a rule is a 党内法规: the Party centre,
# the CCDI, the central departments and provincial committees make them
# (《中国共产党党内法规制定条例》 art. 3, 4); a city, county, bureau,
# university or company committee's own rules are normative documents. The
# issuer is written at the title's head (中共中央办公厅关于…的意见, 中共某省委…
# 办法) or right before it (省委办公厅印发《…》).
_CENTRAL_ISSUER = (
    r"中共中央|中央办公厅|中办|国办|中央纪委|中纪委|中央组织部|中组部|中央宣传部|中宣部"
    r"|中央巡视工作领导小组|中央军委"
)
_PARTY_ISSUER = re.compile(
    f"(?:{_CENTRAL_ISSUER}|(?:中共)?[\u4e00-\u9fff]{{0,4}}(?:省|自治区)委"
    r"(?:办公厅)?)$"
)
_PARTY_ISSUER_AT_HEAD = re.compile(
    f"^(?:{_CENTRAL_ISSUER}|(?:中共)?[\u4e00-\u9fff]{{2,4}}(?:省|自治区)委)"
)
# 中国共产党某县委员会工作规则: a local committee's own rules.
_LOCAL_COMMITTEE = re.compile(
    r"^(?:中国共产党|中共)[\u4e00-\u9fff]{1,12}?(?:市|县|区|旗|州)(?:委员会|委)"
)
_ISSUED_BY = re.compile(
    r"(?P<issuer>[\u4e00-\u9fff]{2,16}?)(?:印发|制定|出台|下发)的?$"
)


@dataclass(frozen=True, slots=True)
class _Occurrence:
    span: Span  # with its 《》
    relation: Relation
    watched_or_compiled: bool
    party_issuer: bool  # a Party centre or provincial issuer right before it


def title_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of every outermost 《…》 of `text`, brackets included.

    Nested titles belong to the outer one (《关于印发《XX办法》的通知》); a 》
    with no 《 is ignored; a 《 left open at a line break or after
    `MAX_TITLE` characters is dropped, and titles closed inside it stand alone.
    Empty 《》 are skipped.
    """
    spans: list[tuple[int, int]] = []
    openers: deque[int] = deque()
    # Titles closed inside still-open brackets, outermost only, in order.
    inner: deque[tuple[int, int]] = deque()
    for match in _DELIMITERS.finditer(text):
        pos = match.start()
        while openers and pos - openers[0] - 1 > MAX_TITLE:
            openers.popleft()
            bound = openers[0] if openers else pos
            while inner and inner[0][0] < bound:
                spans.append(inner.popleft())
        char = text[pos]
        if char == "《":
            openers.append(pos)
        elif char == "》":
            if not openers:
                continue
            pair = (openers.pop(), pos + 1)
            while inner and inner[-1][0] > pair[0]:
                inner.pop()
            if openers:
                inner.append(pair)
            else:
                spans.append(pair)
        else:
            openers.clear()
            spans.extend(inner)
            inner.clear()
    spans.extend(inner)
    spans.sort()
    return [(s, e) for s, e in spans if text[s + 1 : e - 1].strip()]


def find_regulations(
    source: Source, gazetteer: Gazetteer | None = None
) -> tuple[Regulation, ...]:
    """One `Regulation` per distinct 《》 title, in order of first occurrence."""
    text = source.text
    spans = title_spans(text)
    masked = _blank(text, spans)
    by_title: dict[str, list[_Occurrence]] = {}
    for start, end in spans:
        gap = _clause_before(masked, start)
        relation = _relation(gap)
        aside = bool(_WATCHED.search(gap)) or bool(
            _COMPILED_AFTER.match(text, end, min(len(text), end + 8))
        )
        issued = _ISSUED_BY.search(gap)
        # 省委印发《…》, or the issuer right before the title: 以及省委《…》
        party = bool(_PARTY_ISSUER.search(issued.group("issuer") if issued else gap))
        by_title.setdefault(text[start + 1 : end - 1], []).append(
            _Occurrence(Span.of(text, start, end), relation, aside, party)
        )
    gazetteer = gazetteer or default_gazetteer()
    regulations = []
    for title, occurrences in by_title.items():
        resolved = gazetteer.canonical(title)
        kind = resolved.kind or classify_title(
            title,
            any(o.watched_or_compiled for o in occurrences),
            party_issuer=any(o.party_issuer for o in occurrences),
        )
        regulations.append(
            Regulation(
                title=title,
                key=regulation_key(title),
                canonical=resolved.label,
                kind=kind,
                mentions=tuple(
                    RegulationMention(o.span, o.relation) for o in occurrences
                ),
                level=resolved.level,
                published=resolved.published,
            )
        )
    return tuple(regulations)


def find_rule_mentions(
    source: Source, gazetteer: Gazetteer | None = None
) -> tuple[RuleMention, ...]:
    """Well-known rules named without 《》 (kg/data/rules.tsv), outside titles,
    with what `gazetteer` (default: the bundled list) knows of each."""
    known_to = gazetteer or default_gazetteer()
    text = source.text
    spans = title_spans(text)
    starts = [s for s, _ in spans]
    pattern, canonicals, anchor = _rules()
    lines = lines_holding(text, anchor) if anchor else [(0, len(text))]
    matches = (m for first, last in lines for m in pattern.finditer(text, first, last))
    mentions = []
    for match in matches:
        if _inside_title(spans, starts, match.start(), match.end()):
            continue
        assert match.lastgroup is not None  # every alternative is a named group
        canonical = canonicals[match.lastgroup]
        known = known_to.canonical(canonical)
        mentions.append(
            RuleMention(
                canonical=canonical,
                key=regulation_key(canonical),
                span=Span.of(text, match.start(), match.end()),
                kind=known.kind,
                level=known.level,
            )
        )
    return tuple(mentions)


def classify_title(
    title: str, watched_or_compiled: bool = False, *, party_issuer: bool = False
) -> RegulationKind:
    """The kind of a title absent from the gazetteer: by what is done to it,
    then by who issued it and its head word; a title with neither is not a
    rule (`other`)."""
    if watched_or_compiled:
        return RegulationKind.OTHER
    head = _TAIL_MARKS.sub("", title) or title
    if _LOCAL_COMMITTEE.match(head):
        kind = _by_head_word(head)
        return RegulationKind.OTHER if kind is RegulationKind.OTHER else (
            RegulationKind.NORMATIVE_DOCUMENT
        )
    if _PARTY_NAME.match(head) and head.endswith(_PARTY_HEADS):
        return RegulationKind.PARTY_REGULATION
    kind = _by_head_word(head)
    if kind is RegulationKind.NORMATIVE_DOCUMENT and (
        party_issuer or _PARTY_ISSUER_AT_HEAD.match(head)
    ):
        return RegulationKind.PARTY_REGULATION
    return kind


def _by_head_word(head: str) -> RegulationKind:
    if head.endswith("条例"):
        if _LOCALITY.search(head[:-2]) and not _PARTY_NAME.match(head):
            return RegulationKind.NORMATIVE_DOCUMENT
        return RegulationKind.LAW
    for suffix in _HEAD_WORD_ORDER:
        if head.endswith(suffix):
            return _HEAD_WORDS[suffix]
    return RegulationKind.OTHER


def _relation(gap: str) -> Relation:
    if _VIOLATES.search(gap):
        return Relation.VIOLATES
    if _STUDIES.search(gap):
        return Relation.STUDIES
    if _ENACTS.search(gap):
        return Relation.ENACTS
    return Relation.CITES


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with every title replaced by NULs of the same length."""
    pieces = []
    previous = 0
    for start, end in spans:
        pieces.append(text[previous:start])
        pieces.append("\0" * (end - start))
        previous = end
    pieces.append(text[previous:])
    return "".join(pieces)


def _clause_before(masked: str, start: int) -> str:
    window = masked[max(0, start - _CONTEXT) : start]
    end = _CLAUSE_END.match(window)
    return window[end.end() :] if end else window


def _inside_title(
    spans: list[tuple[int, int]], starts: list[int], start: int, end: int
) -> bool:
    i = bisect.bisect_right(starts, start) - 1
    if i >= 0 and spans[i][1] > start:
        return True
    return i + 1 < len(spans) and spans[i + 1][0] < end


# “X” in a rules.tsv pattern: X in quotes of any style, or bare. The quotes
# go together so that the 「“」 opening a longer quotation (针对“三重一大事项
# 决策机制执行不够到位”问题) stays out of the span; a closing “ is accepted
# because notices write “三会一课“.
_QUOTED = re.compile(r"“([^”]+)”")
_ANY_QUOTES = r"(?:[“\"‘]\1[”“\"’]|\1)"


@cache
def _rules() -> tuple[re.Pattern[str], dict[str, str], re.Pattern[str] | None]:
    """kg/data/rules.tsv compiled into one alternation of named groups, and
    the anchor of its lines (kg.extract.lines): a literal of every row, or
    None where a row has none or could match across a line break."""
    alternatives = []
    canonicals: dict[str, str] = {}
    anchors: list[str] | None = []
    for i, (pattern, canonical) in enumerate(_rule_rows()):
        name = f"r{i}"
        regex = _QUOTED.sub(_ANY_QUOTES, pattern)
        alternatives.append(f"(?P<{name}>{regex})")
        canonicals[name] = canonical
        anchor = literal_anchor(pattern)
        if anchors is not None and anchor is not None:
            anchors.append(re.escape(anchor))
        else:
            anchors = None
    lines = re.compile("|".join(anchors)) if anchors else None
    return re.compile("|".join(alternatives)), canonicals, lines


def _rule_rows() -> Iterator[tuple[str, str]]:
    resource = files("kg") / "data" / "rules.tsv"
    for line in resource.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("pattern\t"):
            continue
        pattern, canonical = line.split("\t")
        yield pattern, canonical
