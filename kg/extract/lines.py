"""Scanning only the lines that can hold a match.

A pattern tried at every character of a notice costs its first steps ten
thousand times over; where every match of it lies within one line and holds
a short literal (an anchor), the lines that hold no anchor can be skipped,
and `finditer` over the rest finds exactly what it finds over the whole text.
Finding the anchors is one search for a plain alternation of literals, which
the regex engine skips through by their first characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterator


def lines_holding(
    text: str, anchor: re.Pattern[str], start: int = 0, end: int | None = None
) -> Iterator[tuple[int, int]]:
    """[start, end) of each line of text[start:end] in which `anchor` finds
    something, in order, each once.

    >>> list(lines_holding("a\\nxb\\nc\\nbb", re.compile("b")))
    [(2, 4), (7, 9)]
    """
    stop = len(text) if end is None else end
    pos = start
    while pos <= stop:
        found = anchor.search(text, pos, stop)
        if found is None:
            return
        first = max(text.rfind("\n", start, found.start()) + 1, start)
        last = text.find("\n", found.start(), stop)
        if last < 0:
            last = stop
        yield first, last
        pos = last + 1


# What in a regex could match a line break.
_CROSSES_LINES = re.compile(r"\\[sSnDW]|\[\^|(?<!\\)\.")


def literal_anchor(pattern: str) -> str | None:
    """The longest run of Han characters a match of the regex `pattern` must
    hold: its text outside optional groups; None where it has none, or where
    a match could run across a line break (``\\s``, ``.``, ``[^…]``), since
    only lines are scanned: such a pattern is scanned whole.

    >>> literal_anchor("(?:重大事项)?请示报告(?:制度)?")
    '请示报告'
    >>> literal_anchor("“第一议题”(?:学习|研学)制度")
    '第一议题'
    >>> literal_anchor("(?!不)规定?动作")
    '动作'
    >>> literal_anchor("[0-9]+号") is None
    True
    >>> literal_anchor("纪律|规矩") is None
    True
    >>> literal_anchor(r"三重一大\\s?事项") is None
    True
    """
    if _CROSSES_LINES.search(pattern):
        return None
    required = re.sub(r"\[[^\]]*\]|\\.", " ", pattern)  # classes, escapes
    # A character that may be absent (X? X* X{0,n}), a lookaround (?=…) (?!…).
    required = re.sub(r"[^()](?:[?*]|\{0?,)|\(\?<?[=!][^()]*\)", " ", required)
    while True:
        # Innermost groups first (none holds a parenthesis): an optional one
        # (…)? or (…)* need not be in a match, nor any one of alternatives.
        reduced = re.sub(r"\((?:\?:|\?P<\w+>)?[^()]*\)[?*]", "", required)
        reduced = re.sub(r"\((?:\?:|\?P<\w+>)?[^()|]*\|[^()]*\)", " ", reduced)
        if reduced == required:
            break
        required = reduced
    if "|" in required:
        return None  # alternatives at the top: nothing is in every match
    runs = re.findall(r"[\u3400-\u9fff]{2,}", required)
    return max(runs, key=len) if runs else None
