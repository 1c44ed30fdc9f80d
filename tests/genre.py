"""Notices of the genre written for the tests: an opening (sentences with the
shape real notices have, written here) wrapped in a title and one heading,
read by the metadata extractor, in half- or full-width punctuation."""

from __future__ import annotations

from kg.extract.metadata import find_metadata
from kg.ingest import source_from_text
from kg.model import Notice, Outline, Section, Span

HALF_TO_FULL = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）"})
WIDTHS = ("half", "full")


TITLE = "中共某某局党组关于巡察整改进展情况的通报"


def notice(opening: str, title: str = TITLE) -> str:
    return f"{title}\n{opening}\n一、整改工作组织情况\n局党组高度重视。\n"


def in_width(text: str, width: str) -> str:
    return text.translate(HALF_TO_FULL) if width == "full" else text


def header(text: str) -> Notice:
    source = source_from_text(text)
    outline = Outline(Section(None, Span.of(text, 0, len(text))))
    return find_metadata(Notice(id="genre", source=source), outline)


def counts(text: str) -> dict[str, int]:
    return {c.key: c.value for c in header(text).counts}
