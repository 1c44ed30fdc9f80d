"""Heading recognition → section tree.

The markers are those of Party inspection rectification notices
(巡察整改进展情况的通报), which follow the numbering of official documents,
GB/T 9704-2012 §7.3.3 (一、 → (一) → 1. → (1)), extended by the genre's own
habits: circled numbers ①, inline enumerations 一是…二是…, labels such as
问题:(3) and 整改完成情况:, and topic headings 关于“…”问题的整改情况 written
without any number. Full- and half-width punctuation are equivalent.

Nesting is not fixed by the style: real notices use the styles in varying
orders (罗庄: 一、 (一) 1、 问题: 1.; 枣庄: 一、 (一) 1. (1) 一是). A style's level
is set by the order styles first appear under their parent, with a stack: a
heading whose style is already open closes everything opened after it and
becomes its sibling; a new style nests deeper.

Text between headings belongs to the section it continues. Two genre rules
decide what "continues" means:

* an inline heading (one that starts mid-paragraph: 一是…二是…, or 1.…2.… after
  整改完成情况:) is an item of an enumeration within its paragraph; the
  enumeration closes with the paragraph;
* an unmarked paragraph is the body of the open heading when that heading is a
  title line still waiting for its body; otherwise it closes the sections the
  next heading would close (a closing remark such as 巡察期间共移交立行立改问题…
  after the last item belongs to the whole list, not to its last item).

Every step is a regex match anchored at a known position or bounded by the
paragraph, so the run time is linear in the length of the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from kg.extract import head
from kg.extract.numbers import parse_cn_number
from kg.model import Heading, HeadingStyle, Outline, Section, Span

_CN_NUM = "[一二三四五六七八九十]{1,3}"
_NUM = "[0-9０-９]{1,3}"
# ①-⑳ (U+2460-2473), ㉑-㉟ (U+3251-325F), ㊱-㊿ (U+32B1-32BF).
_CIRCLED = "①-⑳㉑-㉟㊱-㊿"
_CIRCLED_VALUES = {
    **{chr(0x2460 + i): i + 1 for i in range(20)},
    **{chr(0x3251 + i): i + 21 for i in range(15)},
    **{chr(0x32B1 + i): i + 36 for i in range(15)},
}

# Labels that open a block of results or measures: 整改完成情况: (罗庄),
# 整改落实情况: (董家塅), 整改措施: (other notices).
_RESULT_WORDS = (
    r"(?:整改(?:完成|落实|进展|推进)?情况|整改措施|整改结果|整改成效|落实情况|完成情况)"
)
_PROBLEM_WORDS = (
    r"问题\s*(?:[(（]?(?P<pw_n>" + _NUM + "|" + _CN_NUM + r")[)）]?)?\s*[:：]\s*"
    r"(?:[(（](?P<pw_p>" + _NUM + r")[)）])?"
)

# A heading at the start of a paragraph. The alternatives are tried in order:
# 问题: before (1), so that 问题:(3) is one problem label with ordinal 3.
_PARAGRAPH_HEADING = re.compile(
    r"(?P<problem>" + _PROBLEM_WORDS + ")"
    r"|(?P<result>" + _RESULT_WORDS + r"\s*[:：])"
    r"|(?P<part>第(?P<part_n>" + _CN_NUM + r")部分[、:：.．\s]*)"
    r"|(?P<cn_comma>(?P<cn_comma_n>" + _CN_NUM + r")\s*[、.．])"
    r"|(?P<cn_paren>[(（]\s*(?P<cn_paren_n>" + _CN_NUM + r")\s*[)）])"
    r"|(?P<ar_paren>[(（]\s*(?P<ar_paren_n>" + _NUM + r")\s*[)）])"
    # 1. 1． 1、 1, 1，— but not 5. 67万元, 1、2月, 2022.10.24
    r"|(?P<ar_dot>(?P<ar_dot_n>" + _NUM + r")\s?(?P<ar_dot_p>[.．、,，])"
    r"(?!\s*[0-9０-９]))"
    r"|(?P<circled>[" + _CIRCLED + "])"
    r"|(?P<shi>(?P<shi_n>" + _CN_NUM + ")是)"
)

# A heading inside a paragraph; accepted only after sentence punctuation and
# only as the next item of an enumeration (see _Builder._inline). It is
# searched for through every paragraph, so it opens with a lookahead for the
# characters an item can begin with: no match changes, the scan of a notice
# takes a quarter of the time.
_INLINE_FIRST = "(?=[一二三四五六七八九十0-9０-９(（" + _CIRCLED + "整落完问])"
_INLINE_HEADING = re.compile(
    _INLINE_FIRST + r"(?:(?P<shi>(?P<shi_n>" + _CN_NUM + ")是)"
    r"|(?P<ar_dot>(?P<ar_dot_n>" + _NUM + r")\s?(?P<ar_dot_p>[.．、])(?!\s*[0-9０-９]))"
    r"|(?P<ar_paren>[(（](?P<ar_paren_n>" + _NUM + r")[)）])"
    r"|(?P<circled>[" + _CIRCLED + "])"
    r"|(?P<result>" + _RESULT_WORDS + r"\s*[:：])"
    r"|(?P<problem>" + _PROBLEM_WORDS + "))"
)

# Topic headings written without a number: 关于“X”问题的整改进展情况,
# 针对“X”问题, 对“X”等问题的整改情况: — and aspect lines ending in 方面.
_TOPIC = re.compile(
    r"(?P<topic>关于|针对|对)[“\"](?:[^”\"\n]{1,120})[”\"](?:等|方面|相关)*的?问题"
)
_ASPECT_LINE = re.compile(r"[^。；;!?！？\n]{2,60}方面(?:的?问题|存在的问题)?[。:：]?")

# Punctuation after which an inline marker may start an item.
_BEFORE_ITEM = frozenset("。；;！？!?：:")
_BEFORE_SHI = _BEFORE_ITEM | frozenset("，,")
_BEFORE_LABEL = frozenset("。；;！？!?")

_SENTENCE_END = re.compile(r"[。；;！？!?]")
_SITUATION_COLON = re.compile(r"情况\s*[:：]")
_LABEL_TRIM = " \t\u3000\xa0:：,，、"
_TITLE_TRAIL = " \t\u3000\xa0\r。.．；;:：,，!！?？"
_MAX_DEPTH = 32  # guards the tree against pathological input; real notices use ≤ 8


def style_key(heading: Heading) -> str:
    """The nesting key of a heading: its style, refined where notices use two
    variants of one style at different levels (罗庄 numbers 类 "1、" and measures
    "1."; topic headings 关于… and 针对… nest)."""
    if heading.style is HeadingStyle.ARABIC_DOT:
        return "1." if heading.marker.text.rstrip()[-1:] in ".．" else "1、"
    if heading.style is HeadingStyle.CN_COMMA and heading.marker.text.startswith("第"):
        return "第一部分"
    if is_topic(heading):
        return "topic:" + _topic_word(heading.label.text)
    return heading.style.value


def is_topic(heading: Heading) -> bool:
    """Whether the heading is an unnumbered topic line (关于“X”问题…, …方面)."""
    return heading.style is HeadingStyle.PROBLEM_LABEL and not heading.marker.text


def is_inline(text: str, heading: Heading) -> bool:
    """Whether the heading starts mid-paragraph (一是 after 。, 2. after 。)."""
    i = heading.marker.start - 1
    while i >= 0 and text[i] != "\n" and text[i].isspace():
        i -= 1
    return i >= 0 and text[i] != "\n"


def is_title_line(text: str, heading: Heading) -> bool:
    """Whether nothing but punctuation follows the label on its line."""
    end = text.find("\n", heading.label.end)
    return _title_line(text, heading.label.end, len(text) if end < 0 else end)


def build_outline(text: str) -> Outline:
    """The heading tree of a notice. A text without headings is a bare root."""
    return Outline(_Builder(text).build())


# --- construction ----------------------------------------------------------


@dataclass(slots=True)
class _Marker:
    """A heading marker found in the text; its label is settled later, once
    the next marker of the paragraph (which bounds it) is known."""

    style: HeadingStyle
    ordinal: int
    marker: Span
    label_start: int
    key: str


@dataclass(slots=True)
class _Node:
    marker: _Marker | None  # None for the root
    start: int
    end: int  # end of the content this node owns itself, trimmed
    inline: bool = False
    paragraph: int = -1  # index of the paragraph that opened it
    awaits_body: bool = False  # a title line with nothing under it yet
    label: Span | None = None
    children: list[_Node] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.marker.key if self.marker else ""

    @property
    def ordinal(self) -> int:
        return self.marker.ordinal if self.marker else 0


@dataclass(slots=True)
class _Paragraph:
    start: int  # first non-blank character
    end: int  # after the last non-blank character
    marker: _Marker | None  # the heading it starts with, if any


class _Builder:
    def __init__(self, text: str) -> None:
        self.text = text
        self.root = _Node(None, 0, len(text))
        self.stack: list[_Node] = [self.root]

    def build(self) -> Section:
        paragraphs = list(self._paragraphs())
        # For each paragraph, the next paragraph that starts with a heading:
        # an unmarked paragraph's owner depends on what that heading closes.
        next_heading = [len(paragraphs)] * len(paragraphs)
        following = len(paragraphs)
        for i in range(len(paragraphs) - 1, -1, -1):
            next_heading[i] = following
            if paragraphs[i].marker is not None:
                following = i
        for index, paragraph in enumerate(paragraphs):
            # Inline enumerations close with their paragraph.
            while len(self.stack) > 1 and self.stack[-1].inline:
                self.stack.pop()
            opened: list[_Node] = []
            if paragraph.marker is not None:
                node = self._open(paragraph.marker, index)
                node.end = paragraph.end
                opened.append(node)
                body_from = paragraph.marker.label_start
            else:
                after = next_heading[index]
                upcoming = paragraphs[after].marker if after < len(paragraphs) else None
                owner = self._owner(upcoming)
                del self.stack[owner + 1 :]
                self.stack[-1].end = max(self.stack[-1].end, paragraph.end)
                body_from = paragraph.start
            opened.extend(
                self._inline(index, body_from, paragraph.start, paragraph.end)
            )
            self._settle_labels(opened, paragraph.end)
        return _freeze(self.text, self.root)

    def _paragraphs(self) -> Iterator[_Paragraph]:
        text = self.text
        for line in head.lines(text):  # non-blank, without surrounding spaces
            start, end = line.start, line.end
            yield _Paragraph(start, end, _paragraph_marker(text, start, end))

    def _landing(self, key: str, ordinal: int) -> int:
        """Where a heading lands: the stack index it replaces, or len(stack)
        when it nests under the top."""
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].key != key:
                continue
            # An item 1 under a deeper heading starts a new list (罗庄's "1."
            # measures under 整改完成情况:), it does not return to the 类 level.
            top = self.stack[-1]
            if ordinal == 1 and top.key != key and self.stack[i].ordinal >= 1:
                break
            return i
        return len(self.stack)

    def _open(self, marker: _Marker, paragraph: int) -> _Node:
        landing = self._landing(marker.key, marker.ordinal)
        self._close(landing, marker.marker.start)
        if len(self.stack) > _MAX_DEPTH:
            self._close(len(self.stack) - 1, marker.marker.start)
        node = _Node(marker, marker.marker.start, marker.marker.end, False, paragraph)
        parent = self.stack[-1]
        parent.children.append(node)
        parent.awaits_body = False
        self.stack.append(node)
        return node

    def _close(self, index: int, at: int) -> None:
        """Close the sections from stack `index` up at text position `at`."""
        for closed in self.stack[index:]:
            # A section's own text never runs past the marker that closes it
            # (罗庄 "1.已责成…2.规范…": item 1 ends where 2. begins).
            end = _trim_end(self.text, closed.start, at)
            closed.end = end if closed.inline else min(closed.end, end)
        del self.stack[index:]

    def _owner(self, upcoming: _Marker | None) -> int:
        """The stack index of the section an unmarked paragraph belongs to."""
        top = self.stack[-1]
        if top.awaits_body and not top.children:
            return len(self.stack) - 1
        if upcoming is None:
            return 0
        return min(self._landing(upcoming.key, upcoming.ordinal), len(self.stack) - 1)

    def _inline(self, paragraph: int, start: int, floor: int, end: int) -> list[_Node]:
        """Items of inline enumerations between `start` and `end`."""
        text = self.text
        opened: list[_Node] = []
        for match in _INLINE_HEADING.finditer(text, start, end):
            before = _previous_char(text, match.start(), floor)
            kind = match.lastgroup
            allowed = (
                _BEFORE_SHI
                if kind == "shi"
                else _BEFORE_LABEL
                if kind in ("result", "problem")
                else _BEFORE_ITEM
            )
            if before is not None and before not in allowed:
                continue
            marker = _marker(text, match, end)
            sibling = self._inline_sibling(paragraph, marker.key, marker.ordinal)
            if sibling is None and marker.ordinal > 1:
                continue  # 三是 with no 二是 before it in this paragraph: not a list
            if sibling is not None:
                self._close(sibling, match.start())
            opened.append(self._open_inline(marker, paragraph))
        for node in self.stack:
            if node.inline and node.paragraph == paragraph:
                node.end = max(node.end, end)
        return opened

    def _open_inline(self, marker: _Marker, paragraph: int) -> _Node:
        if len(self.stack) > _MAX_DEPTH:
            self._close(len(self.stack) - 1, marker.marker.start)
        node = _Node(marker, marker.marker.start, marker.marker.end, True, paragraph)
        self.stack[-1].children.append(node)
        self.stack[-1].awaits_body = False
        self.stack.append(node)
        return node

    def _inline_sibling(self, paragraph: int, key: str, ordinal: int) -> int | None:
        """Stack index of the item this inline item follows, in this paragraph."""
        for i in range(len(self.stack) - 1, 0, -1):
            node = self.stack[i]
            if node.paragraph != paragraph:
                return None
            if node.key == key and ordinal in (node.ordinal + 1, node.ordinal):
                return i
        return None

    def _settle_labels(self, opened: list[_Node], end: int) -> None:
        """Each label runs to its sentence end, and never past the next marker."""
        text = self.text
        for i, node in enumerate(opened):
            assert node.marker is not None  # opened nodes carry markers
            bound = opened[i + 1].start if i + 1 < len(opened) else end
            node.label = _label(text, min(node.marker.label_start, bound), bound)
            node.end = max(node.end, node.label.end)
            # Only a paragraph's own heading can be a title line; testing
            # inline items would rescan the paragraph once per item.
            node.awaits_body = not node.inline and _title_line(
                text, node.label.end, end
            )


def _paragraph_marker(text: str, start: int, end: int) -> _Marker | None:
    match = _PARAGRAPH_HEADING.match(text, start, end)
    if match is not None:
        return _marker(text, match, end)
    topic = _TOPIC.match(text, start, end)
    if topic is not None:
        label = _label(text, start, end)
        # A topic heading is a title line or introduces its body with 情况: .
        if _title_line(text, label.end, end) or label.text.endswith("情况"):
            return _Marker(
                HeadingStyle.PROBLEM_LABEL,
                0,
                Span(start, start, ""),
                start,
                "topic:" + topic.group("topic"),
            )
        return None
    if _ASPECT_LINE.fullmatch(text, start, end):
        return _Marker(
            HeadingStyle.PROBLEM_LABEL, 0, Span(start, start, ""), start, "topic:方面"
        )
    return None


_STYLE_OF_GROUP = {
    "problem": HeadingStyle.PROBLEM_LABEL,
    "result": HeadingStyle.RESULT_LABEL,
    "part": HeadingStyle.CN_COMMA,
    "cn_comma": HeadingStyle.CN_COMMA,
    "cn_paren": HeadingStyle.CN_PAREN,
    "ar_paren": HeadingStyle.ARABIC_PAREN,
    "ar_dot": HeadingStyle.ARABIC_DOT,
    "circled": HeadingStyle.CIRCLED,
    "shi": HeadingStyle.CN_SHI,
}


def _marker(text: str, match: re.Match[str], end: int) -> _Marker:
    kind = match.lastgroup
    assert kind is not None  # every alternative is a named group
    if kind == "problem":
        ordinal = _ordinal(match.group("pw_p") or match.group("pw_n") or "")
    elif kind == "result":
        ordinal = 0
    elif kind == "circled":
        ordinal = _CIRCLED_VALUES[match.group(kind)]
    else:
        ordinal = _ordinal(match.group(kind + "_n"))
    marker = Span.of(text, match.start(), _trim_end(text, match.start(), match.end()))
    label_start = match.end()
    while label_start < end and text[label_start] in " \t\u3000\xa0":
        label_start += 1
    style = _STYLE_OF_GROUP[kind]
    if kind == "part":
        key = "第一部分"
    elif kind == "ar_dot":
        key = "1." if match.group("ar_dot_p") in ".．" else "1、"
    else:
        key = style.value
    return _Marker(style, ordinal, marker, label_start, key)


def _label(text: str, start: int, end: int) -> Span:
    """The heading text: up to the end of its sentence, or to 情况: where a
    run-in body follows (①对“X”等问题的整改情况:一是…)."""
    stop = _SENTENCE_END.search(text, start, end)
    label_end = stop.start() if stop else end
    situation = _SITUATION_COLON.search(text, start, label_end)
    if situation is not None:
        label_end = situation.start() + 2
    while label_end > start and text[label_end - 1] in _LABEL_TRIM:
        label_end -= 1
    return Span.of(text, start, label_end)


def _title_line(text: str, label_end: int, end: int) -> bool:
    return not text[label_end:end].strip(_TITLE_TRAIL)


def _ordinal(number: str) -> int:
    """The number a marker writes (一, 十二, 3, ３), 0 for none (问题:)."""
    return parse_cn_number(number) if number else 0


def _topic_word(label: str) -> str:
    for word in ("关于", "针对", "对"):
        if label.startswith(word):
            return word
    return "方面"


def _previous_char(text: str, position: int, floor: int) -> str | None:
    """The last non-blank character before `position`, not before `floor`."""
    i = position - 1
    while i >= floor and i >= position - 4 and text[i] in " \t\u3000\xa0":
        i -= 1
    return text[i] if i >= floor else None


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _freeze(text: str, root: _Node) -> Section:
    """Frozen sections, built bottom-up without recursion."""
    built: dict[int, Section] = {}
    order: list[_Node] = []
    pending = [root]
    while pending:
        node = pending.pop()
        order.append(node)
        pending.extend(node.children)
    for node in reversed(order):
        children = tuple(built.pop(id(child)) for child in node.children)
        end = max([node.end, *(child.span.end for child in children)])
        heading = None
        if node.marker is not None:
            assert node.label is not None  # settled with its paragraph
            m = node.marker
            heading = Heading(m.style, m.ordinal, m.marker, node.label)
        built[id(node)] = Section(heading, Span.of(text, node.start, end), children)
    return built[id(root)]
