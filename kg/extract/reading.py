"""A reading copy of a notice written in traditional characters, and the way
back to what it says as written.

Some sites republish mainland notices converted to traditional characters,
with the pinyin of a polyphonic character in parentheses after it:
根據(jù)縣委統(tǒng)一部署,…對元謀縣林業(yè)和草原局黨委開展了巡察. The extractors'
grammars are written in simplified characters; rather than doubling each,
the notice is read in a copy converted character by character to simplified
(OpenCC's TSCharacters table, one character for one) with the pinyin glosses
left out: 根据县委统一部署,…对元谋县林业和草原局党委开展了巡察.

What was read is then put back in terms of the source: every span over the
copy becomes the span of the same words in the source (a character's gloss
goes with it), and the values a notice states as written (names of units,
groups, persons, titles in 《》) are the source's text. Values made for linking
across notices (a regulation's key, a committee's canonical name) stay
simplified, so that a traditional and a simplified notice meet in one node.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from kg.model import (
    DocNumber,
    InspectingBody,
    InspectionGroup,
    Measure,
    Notice,
    Organization,
    Person,
    Regulation,
    Source,
    Span,
)

# Pinyin with a tone mark in parentheses right after a character: (yè), (chǎn).
_GLOSS = re.compile(
    r"(?<=[\u4e00-\u9fff])[(（][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*[)）]"
)
# A text is traditional when this share of its characters or more would change.
_TRADITIONAL_SHARE = 0.01
_MIN_CHANGED = 5


@dataclass(frozen=True, slots=True)
class Reading:
    """The copy the extractors read and where each of its characters is in
    the source: `starts[i]` is the source offset of character i,
    `starts[len(text)]` the source's length."""

    text: str
    starts: tuple[int, ...]

    def span(self, source_text: str, span: Span) -> Span:
        """The span of the source that `span` of the copy was read from."""
        return Span.of(source_text, self.starts[span.start], self.starts[span.end])

    def written(self, source_text: str, value: str, span: Span) -> str:
        """`value`, read inside `span` of the copy, as the source writes it:
        each of its characters in turn is found in the span (a name without
        the whitespace or alias note of its span) and replaced by the source's
        character and its gloss. A value not found that way is kept."""
        pieces = []
        position = span.start
        for char in value:
            found = self.text.find(char, position, span.end)
            if found < 0:
                return value
            pieces.append(source_text[self.starts[found] : self.starts[found + 1]])
            position = found + 1
        return "".join(pieces)


@cache
def _to_simplified() -> dict[int, str]:
    table = resources.files("opencc").joinpath("dictionary", "TSCharacters.txt")
    mapping: dict[int, str] = {}
    for line in table.read_text(encoding="utf-8").splitlines():
        traditional, _, simplified = line.partition("\t")
        first = simplified.split()[0] if simplified.split() else ""
        if len(traditional) == 1 and len(first) == 1 and traditional != first:
            mapping[ord(traditional)] = first
    return mapping


def reading_of(text: str) -> Reading | None:
    """The simplified reading copy of a traditional text, None for a text
    that is simplified already."""
    table = _to_simplified()
    changed = sum(1 for char in text if ord(char) in table)
    glosses = list(_GLOSS.finditer(text))
    if changed < max(_MIN_CHANGED, _TRADITIONAL_SHARE * len(text)) and not glosses:
        return None
    pieces: list[str] = []
    starts: list[int] = []
    position = 0
    for gloss in [*glosses, None]:
        end = gloss.start() if gloss is not None else len(text)
        pieces.append(text[position:end].translate(table))
        starts.extend(range(position, end))
        position = gloss.end() if gloss is not None else len(text)
    starts.append(len(text))
    return Reading("".join(pieces), tuple(starts))


def reading_source(source: Source, reading: Reading) -> Source:
    return dataclasses.replace(source, text=reading.text)


def as_written(notice: Notice, reading: Reading, source: Source) -> Notice:
    """The notice extracted from the reading copy, in terms of `source`."""
    titles = {
        r.title: reading.written(source.text, r.title, r.mentions[0].span)
        for r in notice.regulations
        if r.mentions
    }
    back = _Back(reading, source.text, titles)
    written = back.value(notice)
    return dataclasses.replace(
        written,
        source=source,
        warnings=(
            *written.warnings,
            "written in traditional characters: read as simplified, "
            "names and titles given as written",
        ),
    )


class _Back:
    """Puts every span and as-written value of the model back in the source."""

    def __init__(self, reading: Reading, text: str, titles: dict[str, str]) -> None:
        self.reading, self.text, self.titles = reading, text, titles

    def value(self, value: Any) -> Any:
        if isinstance(value, Span):
            return self.reading.span(self.text, value)
        if isinstance(value, tuple):
            return tuple(self.value(v) for v in value)
        if isinstance(value, Source) or not dataclasses.is_dataclass(value):
            return value
        changes = {
            f.name: self.value(getattr(value, f.name))
            for f in dataclasses.fields(value)
        }
        changes.update(self._written(value))
        return dataclasses.replace(value, **changes)

    def _written(self, value: Any) -> dict[str, Any]:
        """The fields of `value` that state what the notice writes."""
        def w(text: str, span: Span) -> str:
            return self.reading.written(self.text, text, span)

        if isinstance(value, Organization):
            return {
                "name": w(value.name, value.span),
                "aliases": tuple(w(a, value.span) for a in value.aliases),
            }
        if isinstance(value, InspectingBody | InspectionGroup):
            return {"name": w(value.name, value.span)}
        if isinstance(value, Person):
            return {
                "name": w(value.name, value.span), "role": w(value.role, value.span)
            }
        if isinstance(value, DocNumber):
            return {
                "text": w(value.text, value.span),
                "issuer": w(value.issuer, value.span),
            }
        if isinstance(value, Regulation):
            return {"title": self.titles.get(value.title, value.title)}
        if isinstance(value, Measure):
            titles = tuple(self.titles.get(t, t) for t in value.regulations)
            return {"regulations": titles}
        return {}
