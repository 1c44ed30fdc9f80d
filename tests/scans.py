"""What the tests of a text scan share: a scan that opens with a lookahead
for the characters its matches begin with finds what it finds without it."""

from __future__ import annotations

import re


def assert_lookahead_changes_no_match(
    pattern: re.Pattern[str], lookahead: str, text: str
) -> None:
    """`pattern` and `pattern` without its opening `lookahead` match the same
    spans of `text` by the same named alternatives."""
    plain = re.compile(pattern.pattern.replace(lookahead, "", 1))
    assert plain.pattern != pattern.pattern  # the lookahead is there
    assert ([(m.span(), m.lastgroup) for m in pattern.finditer(text)]
            == [(m.span(), m.lastgroup) for m in plain.finditer(text)])
