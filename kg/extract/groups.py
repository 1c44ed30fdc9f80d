"""The inspection group (巡察组 / 巡视组): its grammar and where it is named.

Grammar (EBNF over the notice text; 《中国共产党巡视工作条例》 art. 2 and 14:
central and provincial committees send 巡视组, city and county committees
巡察组; groups are numbered, special-purpose or named by their topic):

    group    = [body] ( numbered | numeral-after | topical | plain ) ;
    (a committee's term before it, 七届市委…, names the committee, not the group)
    numbered = [round] "第" numeral [variety] kind "组" ;
                                   市委第一专项巡察组, 中央第十巡视组
    numeral-after = [round] [variety] kind ["第"] numeral "组" ;
                                   市委巡察四组, 第十二轮巡察一组
    topical  = topic ("专项" | "机动" | …) kind "组" ;
                                   区委营商环境专项巡察组, 市委深化“某某”改革专项巡察组,
                                   市委“某某”专项行动机动巡察组
    plain    = [variety] kind "组" ;      机动巡察组, 巡察组
    round    = "第" numeral "轮" ;     (the round is not the group: 第五轮 … 第七巡察组)
    body     = 中央 | 省委 | 自治区党委 | 市委 | 州委 | 盟委 | 县委 | 旗委 | 区委
             | 党工委 | 党委 | 党组 ;
    variety  = 专项 | 提级 | 交叉 | 机动 | 联动 | 常规 ;
    kind     = 巡察 | 巡视 ;
    numeral  = Chinese numerals | Arabic digits (either width) ;
    topic    = 2–40 characters, quotes and 、 allowed, no clause punctuation,
               written right after the body (the body is required here).

Written as composed regular expressions rather than with a parser library:
the grammar is regular, and the job is to find phrases inside running text
with their offsets, which `re` does in C in one pass (pyparsing's
`scan_string` over a notice is pure Python, and lark parses whole inputs).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kg.extract.lines import lines_holding
from kg.extract.numbers import parse_cn_number

BODY = "中共中央|中央|自治区党委|省委|市委|州委|盟委|县委|旗委|区委|党工委|党委|党组"
VARIETY = "专项|提级|交叉|机动|联动|常规"
_NUMERAL = "[一二三四五六七八九十]+|[0-9０-９]+"
_ROUND = "第(?P<{}>" + _NUMERAL + ")轮"
# A topic runs from the body to 专项…组 within one clause; quotes may hold
# commas (市委深化“放管服”改革、优化营商环境专项巡察组).
_TOPIC = r"(?P<topic>(?:“[^”\n]{1,20}”|[^，,。；;：:\s“”()（）]){2,40}?)"
GROUP = re.compile(
    f"(?P<body>{BODY})?"
    "(?:"
    f"(?:{_ROUND.format('round')})?第(?P<ordinal>{_NUMERAL})(?P<variety>{VARIETY})?(?P<kind>巡察|巡视)组"
    f"|(?:{_ROUND.format('round2')})?(?P<variety2>{VARIETY})?(?P<kind2>巡察|巡视)第?(?P<ordinal2>{_NUMERAL})组"
    # named by topic only after a committee (the conditional needs the body)
    f"|(?(body){_TOPIC}(?P<topical>专项|机动|提级|交叉|联动)(?P<kind3>巡察|巡视)组|(?!))"
    f"|(?P<variety4>{VARIETY})?(?P<kind4>巡察|巡视)组"
    ")"
)
# Every alternative of GROUP names 巡察 or 巡视, and none crosses a line
# (the topic stops at white space): it is run on the lines naming one.
_KIND = re.compile("巡[察视]")


@dataclass(frozen=True, slots=True)
class GroupPhrase:
    """One group named in the text, read by `GROUP`."""

    start: int
    end: int
    body: tuple[int, int] | None  # offsets of the committee word, where written
    ordinal: int | None
    round: int | None  # 第N轮 fused with the group (第十二轮巡察一组)
    variety: str | None  # 专项 | 提级 | 交叉 | 机动 | 联动 | 常规
    topic: str | None  # 营商环境 in 区委营商环境专项巡察组
    kind: str  # 巡察 | 巡视

    @property
    def specific(self) -> bool:
        """Named by number or topic: it tells one group from another."""
        return self.ordinal is not None or self.topic is not None


def find_groups(
    text: str, start: int = 0, end: int | None = None
) -> Iterator[GroupPhrase]:
    """Every group phrase in text[start:end], in document order."""
    stop = len(text) if end is None else end
    for first, last in lines_holding(text, _KIND, start, stop):
        for m in GROUP.finditer(text, first, last):
            yield _phrase(m)


def _phrase(m: re.Match[str]) -> GroupPhrase:
    ordinal = m.group("ordinal") or m.group("ordinal2")
    variety = m.group("variety") or m.group("variety2") or m.group("variety4")
    if m.group("topical"):
        variety = m.group("topical")
    kind = m.group("kind") or m.group("kind2") or m.group("kind3") or m.group("kind4")
    body = (m.start("body"), m.end("body")) if m.group("body") else None
    return GroupPhrase(
        start=m.start(),
        end=m.end(),
        body=body,
        ordinal=parse_cn_number(ordinal) if ordinal else None,
        round=parse_cn_number(rnd) if (rnd := m.group("round") or m.group("round2"))
        else None,
        variety=variety,
        topic=m.group("topic"),
        kind=kind,
    )


def pick_group(
    text: str, sentence: tuple[int, int] | None
) -> GroupPhrase | None:
    """The group that inspected: the most specific one named in the inspection
    sentence, else the first specific one in the text, else the first named.
    A bare 巡察组 later in the text is the same group mentioned again."""
    phrases = list(find_groups(text))
    if sentence is not None:
        inside = [p for p in phrases if sentence[0] <= p.start < sentence[1]]
        for phrase in inside:
            if phrase.specific:
                # 第三巡察组 here, 县委第三巡察组 in the next sentence
                return phrase if phrase.body else _with_body(phrase, phrases)
        if inside and inside[0].body is not None:
            return inside[0]
    for phrase in phrases:
        if phrase.specific:
            return phrase
    for phrase in phrases:
        if phrase.body is not None:
            return phrase
    return phrases[0] if phrases else None


def _with_body(phrase: GroupPhrase, phrases: list[GroupPhrase]) -> GroupPhrase:
    """The same group named with its committee elsewhere, if it is."""
    for other in phrases:
        if (
            other.body is not None
            and (other.ordinal, other.topic, other.kind)
            == (phrase.ordinal, phrase.topic, phrase.kind)
        ):
            return other
    return phrase
