"""Rectification measures (整改措施): a problem's rectification text split into
items, and the kind of each item.

Items are the genre's enumerations (1./2., 一是/二是, (1)/(2), ①), read with the
same heading rules as the outline; where an item holds its own enumeration
(东营: "(2)抓好理论指导实践。一是…二是…") the innermost items are the measures.
A block without enumeration is one measure.
"""

from __future__ import annotations

import re

from kg.model import HeadingStyle, Measure, MeasureKind, Section, Span
from kg.outline import build_outline

# A label that opens the block (罗庄: 整改完成情况:) is not part of any measure.
_BLOCK_LABEL = re.compile(
    r"\s*(?:整改(?:完成|落实|进展|推进)?情况|整改措施|整改结果|整改成效|落实情况|完成情况)"
    r"\s*[:：]"
)
# A result line (董家塅: 整改落实情况:已完成整改,并长期坚持。) states the outcome,
# it is not a measure.
_RESULT = re.compile(
    r"(?:已|基本|全部|正在|持续|长期|尚未|未)[^。；;]{0,6}(?:完成|整改|坚持|到位)"
)
_RESULT_MAX = 40  # result lines are one short clause; measure blocks are longer

_LEADING = " \t\r\n\u3000\xa0:：,，;；。.、"
_TRAILING = " \t\r\n\u3000\xa0,，;；、"


def is_result_line(section: Section) -> bool:
    """Whether a 整改…情况: section states an outcome rather than measures."""
    heading = section.heading
    return (
        heading is not None
        and heading.style is HeadingStyle.RESULT_LABEL
        and not section.children
        and len(heading.label.text) <= _RESULT_MAX
        and _RESULT.search(heading.label.text) is not None
    )


def find_measures(text: str, span: Span) -> tuple[Measure, ...]:
    """The measures in `span` of `text`, numbered from 1, without their markers."""
    start, end = span.start, span.end
    label = _BLOCK_LABEL.match(text, start, end)
    if label is not None:
        start = label.end()
    block = text[start:end]
    root = build_outline(block).root
    items = list(_items(root))
    if not items:
        s, e = _trim(block, 0, len(block))
        items = [(s, e)] if s < e else []
    measures: list[Measure] = []
    for s, e in items:
        item = Span.of(text, start + s, start + e)
        measures.append(Measure(len(measures) + 1, classify_measure(item.text), item))
    return tuple(measures)


def _items(section: Section) -> list[tuple[int, int]]:
    """Offsets of the innermost items under `section` (a block's own outline)."""
    found: list[tuple[int, int]] = []
    pending = list(reversed(section.children))
    block = section.span.text
    while pending:
        child = pending.pop()
        if is_result_line(child):
            continue
        inner = [c for c in child.children if not is_result_line(c)]
        if inner:
            pending.extend(reversed(inner))
            continue
        assert child.heading is not None  # only the root has no heading
        s, e = _trim(block, child.heading.label.start, child.span.end)
        if s < e:
            found.append((s, e))
    return found


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _LEADING:
        start += 1
    while end > start and text[end - 1] in _TRAILING:
        end -= 1
    return start, end


# --- kinds -----------------------------------------------------------------

# Keyword rules, tried in order; the first that matches decides. The order puts
# the most consequential act first: a sentence that both convenes a meeting and
# imposes a sanction is about the sanction. 诫勉 is a form of accountability
# (《中国共产党问责条例》(2019) 第八条), so it ranks with 问责/处分, not with 约谈.
_MONEY = re.compile(r"元|资金|费|款|工资|金额|补贴|津贴|账")
_RULE_WORDS = "办法|制度|规定|细则|规则|机制|条例|准则|守则|规范|章程"
_ENACT = r"(?:制定|出台|修订|印发|制发|下发|起草|编制|修改|建立|健全|完善)"
_TITLE = re.compile(r"《[^《》]*》")

_RULES: tuple[tuple[MeasureKind, re.Pattern[str]], ...] = (
    (
        MeasureKind.DISCIPLINE,
        re.compile(
            r"问责|处分|开除党籍|诫勉|党纪处理|组织处理|追责|严重警告|留党察看|撤职|免职"
            r"|查处|立案审查"
        ),
    ),
    (MeasureKind.REFUND, re.compile(r"退回|收缴|清退|追回|上缴|追缴|退还|补缴|回补")),
    (
        MeasureKind.SELF_CRITICISM,
        re.compile(r"检讨|批评和自我批评|批评与自我批评|自我批评|对照检查"),
    ),
    (MeasureKind.TALK, re.compile(r"约谈|谈话")),
    (
        MeasureKind.RULES,
        re.compile(
            _ENACT + r"[^。；;]{0,30}?"
            r"(?:《[^《》]*(?:"
            + _RULE_WORDS
            + r"|方案|意见|通知|措施|职责|清单|体系)》|"
            + _RULE_WORDS
            + ")"
        ),
    ),
    (MeasureKind.LEDGER, re.compile(r"台账|清单|建档")),
    (MeasureKind.STUDY, re.compile(r"学习|培训|党课|宣讲|讲座|警示教育|测试|研讨")),
    (MeasureKind.MEETING, re.compile(r"召开[^。；;]{0,20}?会|专题研究|研究部署|部署")),
    (MeasureKind.BUSINESS, re.compile(r"招商|签约|招引|项目|外资|投资|企业|产业")),
)


def classify_measure(text: str) -> MeasureKind:
    """The kind of a measure, by the first keyword rule its text matches.

    Words inside 《》 titles do not count, except for telling that a rule was
    enacted: 学习了《…约谈暂行办法》 is study, not a talk."""
    plain = _TITLE.sub("《》", text)
    for kind, pattern in _RULES:
        source = text if kind is MeasureKind.RULES else plain
        if pattern.search(source) is None:
            continue
        if kind is MeasureKind.REFUND and _MONEY.search(plain) is None:
            continue  # 清退不合格物业企业 returns no money
        return kind
    return MeasureKind.OTHER
