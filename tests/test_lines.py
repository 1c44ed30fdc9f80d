"""Scanning only the lines that can hold a match (kg.extract.lines) finds
what scanning the whole text finds: group phrases and bracket-less rules."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extract.groups import GROUP, find_groups
from kg.extract.lines import lines_holding, literal_anchor
from kg.extract.regulations import _rules, find_rule_mentions
from kg.model import Source

# Pieces of the genre's sentences, joined at random with line breaks and
# punctuation between them: group phrases, their parts, rule names, quotes.
PIECES = [
    "区委", "市委", "县委", "第一", "第十二", "轮", "巡察", "巡视", "组", "专项",
    "营商环境", "“放管服”改革", "二", "3", "对", "进行了巡察", "中央八项规定",
    "八项规定", "精神", "“三重一大”", "三重一大", " ", "　", "事项", "决策", "制度",
    "三会一课", "“", "”", "民主集中制", "请示报告制度", "重大事项", "\n", "。",
    "，", "；", "《", "》", "整改",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_groups_on_their_lines_are_those_of_the_whole_text(pieces: list[str]) -> None:
    text = "".join(pieces)
    whole = [(m.start(), m.end(), m.groupdict()) for m in GROUP.finditer(text)]
    found = [(g.start, g.end) for g in find_groups(text)]
    assert found == [(start, end) for start, end, _ in whole]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_rules_on_their_lines_are_those_of_the_whole_text(pieces: list[str]) -> None:
    text = "".join(pieces)
    pattern, _, anchor = _rules()
    assert anchor is not None  # every bundled row has a literal, none spans lines
    source = Source(text=text, path=None, sha256="0", encoding="utf-8",
                    media_type="text/plain")
    mentions = [(m.span.start, m.span.end) for m in find_rule_mentions(source)]
    whole = [(m.start(), m.end()) for m in pattern.finditer(text)]
    # find_rule_mentions drops those inside 《》: a subsequence of the whole scan.
    assert set(mentions) <= set(whole)
    if "《" not in text:
        assert mentions == whole


def test_a_line_is_given_once_however_many_anchors_it_holds() -> None:
    text = "巡察组巡视组\n无\n第二巡察组"
    assert list(lines_holding(text, re.compile("巡[察视]"))) == [(0, 6), (9, 14)]
    assert list(lines_holding(text, re.compile("巡"), 3, 12)) == [(3, 6), (9, 12)]


def test_the_anchor_is_what_every_match_holds() -> None:
    assert literal_anchor("“三重一大”(?:[ 　]?事项)?") == "三重一大"
    eight_points = "中央八项规定(?:(?:及其|和)实施细则)?(?:精神)?"
    assert literal_anchor(eight_points) == "中央八项规定"
    # Alternatives at the top, or no Han literal: no anchor, the whole text.
    assert literal_anchor("八项规定|三重一大") is None
    assert literal_anchor("[0-9]+号文") == "号文"
    assert literal_anchor("[0-9]+号") is None
