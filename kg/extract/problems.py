"""Aspects (方面), problems (具体问题) and their measures, from the outline.

A rectification notice has a findings part (二、整改内容和情况, 二、整改工作进展
情况, or the whole body when its top headings are the aspects: 一、关于“X”问题的
整改进展情况) between parts that are not findings (总体要求, 组织整改落实情况,
下步工作打算, 建立长效机制 ...). Inside it the levels are 方面 > (类) > 问题, told
apart by what the headings say rather than by their markers, which vary:

* a problem heading names a problem: 问题:(3)…, 针对“X”问题的整改进展情况,
  ①对“X”等问题的整改情况:, (12)针对…的问题, 6.对…问题,着重从两个方面抓好整改;
* the problems are the innermost such headings; a heading between the aspect
  and its problems is the group (类);
* under an aspect that has problems, a group without problem headings of its
  own is itself a problem (枣庄 4.关于党员发展工作不严肃的问题 has measures but
  no (N) problem).

Paths are positions, not the numbers written in the markers (those repeat and
skip: 东营 has two "(3)", 枣庄 has no "(18)"): aspect "1", problem "1-2" or
"1-2-3" (aspect-group-problem).
"""

from __future__ import annotations

import re

from kg.extract.measures import find_measures, is_result_line
from kg.model import (
    Aspect,
    Heading,
    HeadingStyle,
    Measure,
    Outline,
    Problem,
    Section,
    Source,
    Span,
)
from kg.outline import is_inline, is_title_line, is_topic, style_key

# Parts of a notice that are not findings: its aims, how the rectification was
# organised, and what comes next.
_NOT_FINDINGS = re.compile(
    r"总体要求|指导思想|整改目标|工作目标|基本原则|组织整改|组织领导|政治站位|政治点位"
    r"|下步|下一步|工作打算|今后|巩固|长效机制|主要做法"
)
_NAMES_PROBLEM = re.compile(
    r"^(?:关于|针对|对).*问题|问题(?:的?整改(?:进展|落实)?情况)?$"
)
_NAMES_ASPECT = re.compile(r"方面(?:的?问题|存在的问题)?$")
_SENTENCE = re.compile(r"[^。；;！？!?\n]+")


def find_aspects(source: Source, outline: Outline) -> tuple[Aspect, ...]:
    """The findings of a notice; () when it has no headings to read them from."""
    text = source.text
    container, sections = _aspect_sections(text, outline.root)
    if not sections:
        return ()
    if not any(_problem_sections(text, s) for s in sections):
        if 2 * sum(_names_aspect(s) for s in sections) > len(sections) and not any(
            _structure(text, s) for s in sections
        ):
            # 方面 headings over run-in problems or one paragraph each
            return tuple(
                _paragraph_aspect(text, s, str(i)) for i, s in enumerate(sections, 1)
            )
        if any(_names_problem(text, s) for s in sections):
            # No aspect level: the headings under the findings part are the problems.
            return (_single_aspect(text, container, sections),)
        if not any(_structure(text, s) for s in sections):
            return ()  # headings, but none that names or holds a problem
    aspects: list[Aspect] = []
    for section in sections:
        path = str(len(aspects) + 1)
        problems = _problems(text, section, path)
        if (
            not problems
            and not _structure(text, section)
            and not _not_findings(section)
            and (_names_aspect(section) or _names_problem(text, section))
        ):
            # an aspect whose body is one paragraph is an aspect all the same
            aspects.append(_paragraph_aspect(text, section, path))
            continue
        if problems:
            assert section.heading is not None  # aspects are headed sections
            aspects.append(
                Aspect(
                    str(len(aspects) + 1), section.heading.label, section.span, problems
                )
            )
    return tuple(aspects)


def _aspect_sections(text: str, root: Section) -> tuple[Section, list[Section]]:
    """The section holding the aspects, and the aspect sections."""
    top = _structure(text, root)
    kept = [s for s in top if not _not_findings(s)]
    named = [s for s in kept if _names_problem(text, s) or _names_aspect(s)]
    if len(kept) >= 2 and 2 * len(named) > len(kept):
        return root, kept  # 三门: 一、…八、 are the aspects themselves
    containers = [s for s in kept if _has_problem_heading(text, s)] or kept
    if len(containers) == 1 and not _structure(text, containers[0]):
        return root, containers  # 一、关于“X”问题的整改情况 with its measures only
    sections: list[Section] = []
    for container in containers:
        inner = _structure(text, container)
        if inner:
            key = style_key(_heading(inner[0]))
            sections.extend(s for s in inner if style_key(_heading(s)) == key)
    return (containers[0] if len(containers) == 1 else root), sections


def _problems(text: str, aspect: Section, path: str) -> tuple[Problem, ...]:
    problems: list[Problem] = []
    children = _structure(text, aspect)
    any_named = any(
        _problem_sections(text, c) or _names_problem(text, c) for c in children
    )
    position = 0
    for child in children:
        inner = _problem_sections(text, child)
        if inner:
            position += 1
            group = _heading(child).label
            for i, section in enumerate(inner, 1):
                problems.append(
                    _problem(text, section, f"{path}-{position}-{i}", group)
                )
        elif _names_problem(text, child) or (any_named and not _not_findings(child)):
            position += 1
            problems.append(_problem(text, child, f"{path}-{position}", None))
    if not problems and _names_problem(text, aspect):
        return (_problem(text, aspect, f"{path}-1", None),)
    if not problems and not _not_findings(aspect):
        # No heading under this aspect names a problem: its headings are the
        # problems (a notice whose problem headings are plain statements).
        for i, child in enumerate(children, 1):
            problems.append(_problem(text, child, f"{path}-{i}", None))
    return tuple(problems)


def _problem_sections(text: str, section: Section) -> list[Section]:
    """The innermost problem headings below `section`, in document order."""
    found: list[Section] = []
    for child in _structure(text, section):
        inner = _problem_sections(text, child)
        if inner:
            found.extend(inner)
        elif _names_problem(text, child):
            found.append(child)
    return found


def _problem(text: str, section: Section, path: str, group: Span | None) -> Problem:
    heading = _heading(section)
    label = heading.label if heading.label.text else _first_sentence(text, section)
    results = [c for c in section.children if is_result_line(c)]
    blocks = [
        c
        for c in section.children
        if _heading(c).style is HeadingStyle.RESULT_LABEL and not is_result_line(c)
    ]
    if blocks:
        spans = [Span.of(text, _heading(b).label.start, b.span.end) for b in blocks]
    elif heading.style is HeadingStyle.PROBLEM_LABEL and heading.marker.text:
        spans = []  # 问题: heads the statement of the problem, not its measures
    else:
        end = results[0].span.start if results else section.span.end
        spans = [Span.of(text, heading.label.end, max(heading.label.end, end))]
    measures: list[Measure] = []
    for span in spans:
        for measure in find_measures(text, span):
            measures.append(
                Measure(
                    len(measures) + 1, measure.kind, measure.span, measure.regulations
                )
            )
    result = results[0].span if results else None
    ends = [b.span.start for b in blocks]
    ends += [m.span.start for m in measures[:1]]
    ends += [result.start] if result is not None else []
    return Problem(
        path=path,
        label=label,
        span=section.span,
        statement=_statement(text, label, min([section.span.end, *ends])),
        group=group,
        measures=tuple(measures),
        result=result,
    )


# What may stand between a problem's own text and its first measure: the
# measures' block label and an enumeration marker (整改完成情况:1. / 一是 / (1) / ①).
_LEAD_OUT = re.compile(
    r"(?:整改(?:完成|落实|进展)?情况[:：]?|[一二三四五六七八九十]+是"
    r"|\d{1,3}[.、．,，]|[(（]\d{1,3}[)）]|[\u2460-\u2473])$"
)


def _statement(text: str, label: Span, end: int) -> Span:
    """The problem's own text: from its label to `end`, without the whitespace,
    punctuation and markers that lead into the measures."""
    end = max(end, label.end)
    while end > label.end:
        if text[end - 1] in " \t\n\u3000,，:：;；":
            end -= 1
            continue
        marker = _LEAD_OUT.search(text, max(label.end, end - 12), end)
        if marker is None:
            break
        end = marker.start()
    return Span.of(text, label.start, end)


# A run-in item that states a problem before its measures:
# 1.针对立德树人根本任务落实不够有力的问题。制定…
_RUN_IN_PROBLEM = re.compile(r"^(?:针对|关于)[^。；;，,]*问题$")


def _paragraph_aspect(text: str, section: Section, path: str) -> Aspect:
    """An aspect with no problem headings: its run-in items that state a
    problem are its problems, else its one paragraph is its one problem."""
    items = [
        c
        for c in section.children
        if is_inline(text, _heading(c))
        and _RUN_IN_PROBLEM.match(_heading(c).label.text)
    ]
    parts = items or [section]
    problems = tuple(
        _problem(text, part, f"{path}-{i}", None) for i, part in enumerate(parts, 1)
    )
    return Aspect(path, _heading(section).label, section.span, problems)


def _single_aspect(text: str, container: Section, sections: list[Section]) -> Aspect:
    problems = tuple(
        _problem(text, s, f"1-{i}", None) for i, s in enumerate(sections, 1)
    )
    if container.heading is not None:
        return Aspect("1", container.heading.label, container.span, problems)
    # The findings are the whole body: no heading names them (全部问题).
    start, end = sections[0].span.start, sections[-1].span.end
    return Aspect("1", Span(start, start, ""), Span.of(text, start, end), problems)


def _structure(text: str, section: Section) -> list[Section]:
    """Children that carry the notice's structure: not inline enumeration
    items, not result or measure blocks; 一是 paragraphs only where nothing
    else structures the section (一是 at problem level)."""
    children = [
        c
        for c in section.children
        if _heading(c).style is not HeadingStyle.RESULT_LABEL
        and not is_inline(text, _heading(c))
    ]
    numbered = [c for c in children if _heading(c).style is not HeadingStyle.CN_SHI]
    return numbered or children


def _has_problem_heading(text: str, section: Section) -> bool:
    return bool(_problem_sections(text, section)) or _names_problem(text, section)


def _names_problem(text: str, section: Section) -> bool:
    """Whether the heading names a problem: 问题: labels and topic lines always,
    other headings when their title line says 问题 (针对…的问题, 关于“X”问题的
    整改情况, 对…问题,着重从两个方面抓好整改). A run-in item such as
    "(1)加强政治理论学习。…" is a measure, whatever it mentions."""
    heading = _heading(section)
    if heading.style is HeadingStyle.PROBLEM_LABEL:
        return not is_topic(heading) or not _NAMES_ASPECT.search(heading.label.text)
    label = heading.label.text
    if _NAMES_PROBLEM.search(label) is None:
        return False
    return (
        is_title_line(text, heading)
        or label.endswith("情况")
        # 1.针对服务国家战略不够聚焦的问题。召开专题会议…: the sentence before
        # the measures is the problem
        or _RUN_IN_PROBLEM.match(label) is not None
    )


def _names_aspect(section: Section) -> bool:
    return _NAMES_ASPECT.search(_heading(section).label.text) is not None


def _not_findings(section: Section) -> bool:
    return _NOT_FINDINGS.search(_heading(section).label.text) is not None


def _first_sentence(text: str, section: Section) -> Span:
    heading = _heading(section)
    match = _SENTENCE.search(text, heading.label.start, section.span.end)
    if match is None:
        return heading.label
    start, end = match.start(), match.end()
    while start < end and text[start] in " \t\u3000\xa0:：,，":
        start += 1
    return Span.of(text, start, end)


def _heading(section: Section) -> Heading:
    assert section.heading is not None  # only the root has no heading
    return section.heading
