"""The Python API as the README shows it: its example runs, each commented
expression gives the value its comment says, and the facts are attributes
(tuples), not methods."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import kg
from kg.model import Measure, Notice, Problem

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
EXAMPLE = re.search(r"```python\n(.*?)```", README, re.DOTALL)


def test_the_readme_example_runs_and_gives_what_its_comments_say(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(ROOT)  # the example names files from the clone's top
    assert EXAMPLE is not None, "README has no ```python example"
    lines = EXAMPLE[1].splitlines()
    namespace: dict[str, object] = {}
    checked = 0
    for line in lines:
        code, _, comment = line.partition("  # ")
        if not comment:
            exec(code, namespace)  # noqa: S102 - the README's own statements
            continue
        expected = ast.literal_eval(comment.strip())
        assert eval(code, namespace) == expected, line  # noqa: S307
        checked += 1
    assert checked >= 4


def test_facts_are_attributes_in_reading_order() -> None:
    notice = kg.extract(str(ROOT / "examples" / "notices" / "luozhuang-2021.txt"))
    assert isinstance(notice, Notice)
    for name in ("aspects", "problems", "measures", "regulations", "persons"):
        value = getattr(notice, name)
        assert isinstance(value, tuple), name
        assert not callable(value), name
    assert isinstance(type(notice).__dict__["problems"], property)
    assert isinstance(type(notice).__dict__["measures"], property)
    problems = [p for a in notice.aspects for p in a.problems]
    assert list(notice.problems) == problems
    assert all(isinstance(p, Problem) for p in notice.problems)
    assert list(notice.measures) == [m for p in problems for m in p.measures]
    assert all(isinstance(m, Measure) for m in notice.measures)
    starts = [p.span.start for p in notice.problems]
    assert starts == sorted(starts)
    text = notice.source.text
    for fact in (*notice.problems[:5], *notice.measures[:5]):
        assert text[fact.span.start:fact.span.end] == fact.span.text
