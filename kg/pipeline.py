"""The extraction pipeline, written out in one place (STYLE.md §1).

    Source ─outline─▶ Outline ─extract─▶ facts ─link─▶ Notice

Each stage is a plain typed function in its own module; this module only
chains them and attaches facts to the places they belong (a 《》 title to the
measure whose span contains it, categories to problems).
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import TypeVar

from kg.errors import LimitError, NotANoticeError
from kg.extract.categories import classify_problem
from kg.extract.metadata import find_metadata
from kg.extract.numbers import find_amounts, find_dates, find_doc_numbers
from kg.extract.persons import find_persons
from kg.extract.problems import find_aspects
from kg.extract.reading import as_written, reading_of, reading_source
from kg.extract.regulations import find_regulations, find_rule_mentions
from kg.ingest import MAX_NOTICE_CHARS, read_source, source_from_text
from kg.link import Gazetteer
from kg.model import (
    Aspect,
    Count,
    Notice,
    Regulation,
    RegulationMention,
    RuleMention,
    Source,
    Span,
)
from kg.noticeid import stem_id
from kg.outline import build_outline


def notice_id(source: Source) -> str:
    """A stable id: the file stem where there is a file (in NFC, made usable
    as a file name and an IRI segment by `kg.noticeid.stem_id`), else a
    content hash."""
    if source.path:
        return stem_id(source.path)[0]
    return "notice-" + source.sha256[:12]


# The genre's two words, in simplified and traditional script (a big5 page
# says 巡視), letter-spaced as titles sometimes are (巡 察).
_INSPECTION_WORD = re.compile(r"巡\s*[察视視]")
_RECTIFICATION_WORD = re.compile(r"整\s*改")


# Titles in 《》 per notice: each is linked, typed and given its own nodes, so
# one notice with 160,000 distinct titles (2.9 MB) took 279 s, 3.2 GB and
# 6.7 M quads. The corpus notice citing most has 67 《 in 18,512 characters;
# counted before any extraction (an opening 《 is at least one title).
MAX_TITLES = 2_000


def require_notice(source: Source) -> None:
    """Raise `InputError` unless `source` reads as one rectification notice.

    The rule: the text is at most `MAX_NOTICE_CHARS` long (`LimitError`),
    opens at most `MAX_TITLES` titles in 《》 (`LimitError`), and names an
    inspection (巡察 or 巡视) and a rectification (整改) somewhere, else it is
    `NotANoticeError`. Every notice of the genre does both in its title or
    first paragraph (关于巡察整改进展情况的通报), with or without headings and
    dates; a news article or a weather report does neither, and without this
    check it would come out as a notice with warnings and an empty inspection.
    """
    if len(source.text) > MAX_NOTICE_CHARS:
        raise LimitError(
            source.path,
            f"too long for one notice ({len(source.text):,} characters; "
            f"kg reads notices of up to {MAX_NOTICE_CHARS:,})",
            "split it into one file per notice",
        )
    titles = source.text.count("《")
    if titles > MAX_TITLES:
        raise LimitError(
            source.path,
            f"too many titles in 《》 for one notice ({titles:,}; kg reads "
            f"notices of up to {MAX_TITLES:,})",
            "split it into one file per notice",
        )
    missing = [
        word
        for word, pattern in (
            ("巡察/巡视", _INSPECTION_WORD),
            ("整改", _RECTIFICATION_WORD),
        )
        if pattern.search(source.text) is None
    ]
    if missing:
        raise NotANoticeError(
            source.path,
            "not an inspection rectification notice (the text never says "
            + " or ".join(missing)
            + ")",
            "kg reads 巡察/巡视整改进展情况的通报; leave other texts out",
        )


def extract_source(source: Source, gazetteer: Gazetteer | None = None) -> Notice:
    """The notice `source` holds. A notice in traditional characters is read
    in a simplified copy and given back as written (kg.extract.reading)."""
    require_notice(source)
    reading = reading_of(source.text)
    if reading is None:
        return _extract(source, gazetteer)
    notice = _extract(reading_source(source, reading), gazetteer)
    return as_written(notice, reading, source)


def _extract(source: Source, gazetteer: Gazetteer | None) -> Notice:
    outline = build_outline(source.text)
    head = find_metadata(Notice(id=notice_id(source), source=source), outline)
    aspects = tuple(
        dataclasses.replace(
            aspect,
            problems=tuple(
                dataclasses.replace(p, categories=classify_problem(p))
                for p in aspect.problems
            ),
        )
        for aspect in find_aspects(source, outline)
    )
    regulations, rule_mentions = place_mentions(
        find_regulations(source, gazetteer),
        find_rule_mentions(source, gazetteer),
        aspects,
    )
    year = head.published.iso[:4] if head.published else None
    default_year = int(year) if year else None
    warnings = list(head.warnings)
    if not aspects:
        warnings.append("no problems found under the notice's headings")
    else:
        warnings += completeness_warnings(head.counts, aspects)
    return dataclasses.replace(
        head,
        aspects=tuple(_with_titles(a, regulations) for a in aspects),
        regulations=regulations,
        rule_mentions=rule_mentions,
        persons=find_persons(source),
        doc_numbers=find_doc_numbers(source.text),
        amounts=find_amounts(source.text),
        dates=find_dates(source.text, default_year=default_year),
        warnings=tuple(warnings),
    )


# What a stated count is checked against: what was extracted of that level.
_EXTRACTED = {
    "aspects": lambda aspects: len(aspects),
    "problems": lambda aspects: sum(len(a.problems) for a in aspects),
}


def completeness_warnings(
    counts: tuple[Count, ...], aspects: tuple[Aspect, ...]
) -> list[str]:
    """A warning for each stated count that differs from what was extracted
    ("states 12 problems, found 39"): the notice's own figure and its
    structure disagree, or the extraction missed or split part of it."""
    warnings = []
    for count in counts:
        if count.key in _EXTRACTED:
            found = _EXTRACTED[count.key](aspects)
            if found != count.value:
                warnings.append(
                    f"states {count.value} {count.key} ({count.span.text}), "
                    f"found {found}"
                )
    return warnings


def extract_notice(
    text_or_path: str | Path, gazetteer: Gazetteer | None = None
) -> Notice:
    if isinstance(text_or_path, Path):
        return extract_source(read_source(text_or_path), gazetteer)
    if len(text_or_path) < 4096 and "\n" not in text_or_path:
        candidate = Path(text_or_path)
        if candidate.is_file():
            return extract_source(read_source(candidate), gazetteer)
    return extract_source(source_from_text(text_or_path), gazetteer)


_Mention = TypeVar("_Mention", RegulationMention, RuleMention)


def place_mentions(
    regulations: tuple[Regulation, ...],
    rule_mentions: tuple[RuleMention, ...],
    aspects: tuple[Aspect, ...],
) -> tuple[tuple[Regulation, ...], tuple[RuleMention, ...]]:
    """Each mention placed in the innermost item holding it: the first
    measure whose span contains it, else the problem that does, else none
    (a mention in the notice's opening or closing)."""
    problems = [p for a in aspects for p in a.problems]
    measures = [
        (p.path, ordinal, m.span)
        for p in problems
        for ordinal, m in enumerate(p.measures, start=1)
    ]

    def place(span: Span) -> tuple[str | None, int | None]:
        for path, ordinal, measure_span in measures:
            if measure_span.contains(span):
                return path, ordinal
        for problem in problems:
            if problem.span.contains(span):
                return problem.path, None
        return None, None

    def placed(mention: _Mention) -> _Mention:
        problem, measure = place(mention.span)
        return dataclasses.replace(mention, problem=problem, measure=measure)

    return (
        tuple(
            dataclasses.replace(r, mentions=tuple(placed(m) for m in r.mentions))
            for r in regulations
        ),
        tuple(placed(rule) for rule in rule_mentions),
    )


def _with_titles(aspect: Aspect, regulations: tuple[Regulation, ...]) -> Aspect:
    """`aspect` with each measure's titles: those of the mentions it holds."""
    held: dict[tuple[str, int], list[str]] = {}
    for regulation in regulations:
        for mention in regulation.mentions:
            if mention.measure is not None and mention.problem is not None:
                titles = held.setdefault((mention.problem, mention.measure), [])
                if regulation.title not in titles:
                    titles.append(regulation.title)
    return dataclasses.replace(aspect, problems=tuple(
        dataclasses.replace(problem, measures=tuple(
            dataclasses.replace(
                measure, regulations=tuple(held.get((problem.path, ordinal), ()))
            )
            for ordinal, measure in enumerate(problem.measures, start=1)
        ))
        for problem in aspect.problems
    ))
