"""The rows each named query gives for one notice, kept by the build.

`inspections`, `timeline`, `categories`, `measures` and `enacted` answer
with rows that are each a function of one notice graph (kg/rdf/rows.py), so
the build keeps every notice's rows in its cache (kg.buildcache, table
``answers``) and ``kg query`` reads them there (kg.queries.kept): sorted by
an index, cut by SQL, written out as the CSV lines kept. Oxigraph sorting and
looking up 618,101 measure rows of 10,000 notices took 105 s; the kept rows
take well under two.

The rows are read off the notice's own statements, as the query's SPARQL
reads them: the same joins, OPTIONALs (an absent value is None) and cross
products of multi-valued properties, and the labels and notations of the
concept schemes from the ontology, as the store holds it. tests/test_rows.py
checks that every kept answer is the SPARQL answer, with every parameter.

A kept row holds its sort keys (as the query's ORDER BY compares them: text
by code point, numbers as numbers, an absent value first), the terms a
parameter can select it by, its cells as one CSV line and the cells' types.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import product
from typing import Final

from kg.rdf.keptcolumns import COUNT_CELL, selector
from kg.rdf.terms import DCTERMS, ELI, KG, RDF, RDFS, SKOS, TIME, XSD, literal

Triple = tuple[str, str, str]
Key = str | int | None

_MEASURE_KINDS = "<https://w3id.org/kg-inspection/measure-kinds>"


@dataclass(frozen=True, slots=True)
class KeptRow:
    """One row of a named query's answer, as the build cache keeps it."""

    query: str
    keys: tuple[Key, Key, Key, Key]  # the ORDER BY keys, None-padded
    selectors: str  # the parameter values that select it (`selector`)
    line: str  # the cells as a CSV line, without its line break
    types: str  # one code per cell, space-separated (`cell_type`)


def kept_rows(graph: str, triples: Iterable[Triple]) -> list[KeptRow]:
    """The rows of every kept query for the notice graph `graph` (an
    N-Triples IRI) holding `triples` (N-Triples terms)."""
    found = _Graph(graph, triples)
    return [*_inspections(found), *_timeline(found), *_categories(found),
            *_measures(found), *_enacted(found)]


# --- reading the statements ------------------------------------------------------


class _Graph:
    """The statements of one notice graph by subject and predicate."""

    def __init__(self, node: str, triples: Iterable[Triple]) -> None:
        self.node = node
        # Only what the queries read: indexing every statement was half the
        # cost of the rows.
        read, rows = _read_predicates(), _row_classes()
        self.by_key: dict[tuple[str, str], list[str]] = {}
        self.typed: dict[str, list[str]] = {}
        for subject, predicate, obj in triples:
            if predicate in read:
                self.by_key.setdefault((subject, predicate), []).append(obj)
            elif predicate == RDF.type and obj in rows:
                self.typed.setdefault(obj, []).append(subject)

    def values(self, subject: str, predicate: str) -> list[str]:
        return self.by_key.get((subject, predicate), _NONE)

    def optional(self, subject: str, predicate: str) -> list[str | None]:
        """The values, or [None] for none: an OPTIONAL's bindings."""
        return _or_none(self.values(subject, predicate))

    def path(self, subject: str, *predicates: str) -> list[str]:
        nodes = [subject]
        for predicate in predicates:
            nodes = [value for node in nodes for value in self.values(node, predicate)]
        return nodes

    def inspection_rows(self) -> list[str]:
        return self.typed.get(KG.InspectionRow, [])


_NONE: Final[list[str]] = []


@cache
def _read_predicates() -> frozenset[str]:
    return frozenset((
        KG.noticeId, KG.rowOf, KG.bodyLabel, KG.groupLabel, KG.unitLabel,
        KG.problemsFound, KG.measuresFound, KG.enactedFound, KG.problemsStated,
        KG.measuresStated, KG.textStart, KG.textEnd, KG.feedbackDate, KG.step,
        KG.event, KG.category, KG.categories, KG.document, KG.text, KG.addresses,
        TIME.hasTime, TIME.hasBeginning, TIME.hasEnd, TIME.inXSDDate,
        DCTERMS.issued, DCTERMS.date, DCTERMS.type, DCTERMS.identifier,
        DCTERMS.subject, RDFS.label, ELI.type_document,
    ))


@cache
def _row_classes() -> frozenset[str]:
    return frozenset((KG.InspectionRow, KG.TimelineRow, KG.CategoryRow,
                      KG.Measure, KG.EnactedRow))


def _or_none(values: list[str]) -> list[str | None]:
    """An OPTIONAL's bindings: the values, or one unbound."""
    return list(values) or [None]


# --- terms → cells ---------------------------------------------------------------

_LITERAL: Final = re.compile(r'"(?P<text>.*)"(?:@(?P<lang>[A-Za-z0-9-]+)'
                             r"|\^\^<(?P<datatype>[^>]*)>)?", re.DOTALL)
_UNESCAPED: Final = {"\\\\": "\\", '\\"': '"', "\\n": "\n", "\\r": "\r",
                     "\\t": "\t"}
_ECHAR: Final = re.compile(r"\\[\\\"nrt]")
_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS: Final = frozenset(_XSD + name for name in (
    "nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger",
    "long", "int", "short", "byte", "unsignedLong", "unsignedInt", "unsignedShort",
    "unsignedByte"))


# Bounded: most terms (texts, IRIs) are one notice's own.
@lru_cache(maxsize=1 << 14)
def _parsed(term: str) -> tuple[str, str]:
    """(text, type code) of an N-Triples term: the code is ``u`` for an IRI,
    ``s`` for a plain literal, ``@lang`` and ``^datatype`` (``^xsd:…`` for
    XML Schema's) for the others."""
    if term.startswith("<"):
        return term[1:-1], "u"
    match = _LITERAL.fullmatch(term)
    if match is None:
        raise ValueError(f"not an N-Triples term kg writes: {term[:80]}")
    text = match["text"]
    if "\\" in text:
        text = _ECHAR.sub(lambda m: _UNESCAPED[m[0]], text)
    if match["lang"]:
        return text, "@" + match["lang"]
    datatype = match["datatype"]
    if datatype is None or datatype == _XSD + "string":
        return text, "s"
    if datatype in _INTEGERS:
        # Oxigraph answers with xsd:integer for every type derived from it
        # (the offsets' xsd:nonNegativeInteger): as the store answers.
        return text, "^xsd:integer"
    return text, "^" + (datatype.replace(_XSD, "xsd:", 1)
                        if datatype.startswith(_XSD) else datatype)


def text_of(term: str) -> str:
    return _parsed(term)[0]


def _number(term: str) -> int:
    return int(_parsed(term)[0])


_NONE_TYPE = "-"


def _row(query: str, keys: Sequence[Key], cells: Sequence[str | None],
         selectors: Iterable[str] = ()) -> KeptRow:
    """A kept row of `cells` (N-Triples terms, None where unbound, or
    COUNT_CELL)."""
    texts: list[str] = []
    types: list[str] = []
    for term in cells:
        if term is None:
            texts.append("")
            types.append(_NONE_TYPE)
        elif term == COUNT_CELL:
            texts.append(COUNT_CELL)
            types.append("^xsd:integer")
        else:
            text, code = _parsed(term)
            texts.append(text)
            types.append(code)
    padded = (*keys, None, None, None, None)[:4]
    return KeptRow(query, (padded[0], padded[1], padded[2], padded[3]),
                   "".join(selectors) + " ", _csv_line(texts), " ".join(types))


_BUFFER = io.StringIO()
_WRITER = csv.writer(_BUFFER, lineterminator="\n")


def _csv_line(texts: list[str]) -> str:
    """One CSV record as `kg.tables.csv_record` writes it (a field may hold
    a line break, quoted), through one reused writer: kg.rdf does not import
    the tables of the command line. tests/test_kept.py checks the bytes."""
    _BUFFER.seek(0)
    _BUFFER.truncate()
    _WRITER.writerow(texts)
    return _BUFFER.getvalue()[:-1]


# --- the ontology's labels --------------------------------------------------------


@cache
def _scheme_terms() -> dict[tuple[str, str], list[str]]:
    """(concept, predicate) → values, for the notations and Chinese labels
    of the concepts in the ontology graph (kg.rdf.ontology), and the measure
    kinds' schemes."""
    from kg.rdf.ontology import static_quads

    wanted = {SKOS.notation, SKOS.prefLabel, SKOS.inScheme}
    terms: dict[tuple[str, str], list[str]] = {}
    for quad in static_quads():
        predicate = str(quad.predicate)
        if predicate in wanted:
            key = (str(quad.subject), predicate)
            terms.setdefault(key, []).append(str(quad.object))
    return terms


def _notations(concept: str) -> list[str]:
    return _scheme_terms().get((concept, SKOS.notation), [])


def _zh_labels(concept: str) -> list[str]:
    return [label for label in _scheme_terms().get((concept, SKOS.prefLabel), [])
            if _parsed(label)[1] == "@zh"]


def _measure_kind_labels(concept: str) -> list[str]:
    if _MEASURE_KINDS not in _scheme_terms().get((concept, SKOS.inScheme), []):
        return []
    return _zh_labels(concept)


# --- the queries -------------------------------------------------------------------


def _inspections(graph: _Graph) -> Iterator[KeptRow]:
    for row in graph.inspection_rows():
        for notice_id, inspection in product(graph.values(row, KG.noticeId),
                                             graph.values(row, KG.rowOf)):
            yield from _inspection_rows(graph, row, notice_id, inspection)


def _inspection_rows(graph: _Graph, row: str, notice_id: str, inspection: str
                     ) -> Iterator[KeptRow]:
    optional = graph.optional
    columns = product(
        optional(row, KG.bodyLabel), optional(row, KG.groupLabel),
        optional(row, KG.unitLabel),
        _or_none(graph.path(inspection, TIME.hasTime, TIME.hasBeginning,
                            TIME.inXSDDate)),
        _or_none(graph.path(inspection, TIME.hasTime, TIME.hasEnd, TIME.inXSDDate)),
        optional(inspection, KG.feedbackDate), optional(graph.node, DCTERMS.issued),
        optional(row, KG.problemsStated), graph.values(row, KG.problemsFound),
        optional(row, KG.measuresStated), graph.values(row, KG.measuresFound),
        optional(row, KG.textStart), optional(row, KG.textEnd),
    )
    for (body, group, unit, start, end, feedback, published, problems_stated,
         problems_found, measures_stated, measures_found, group_start,
         group_end) in columns:
        yield _row("inspections", (text_of(notice_id),), (
            notice_id, body, group, unit, start, end, feedback, published,
            problems_stated, problems_found, measures_stated, measures_found,
            group_start, group_end, graph.node, inspection))


def _timeline(graph: _Graph) -> Iterator[KeptRow]:
    inspection_rows = graph.inspection_rows()
    for row in graph.typed.get(KG.TimelineRow, []):
        values = graph.values
        for date, step, notice_id, event, node, inspection_row in product(
            values(row, DCTERMS.date), values(row, KG.step), values(row, KG.noticeId),
            values(row, KG.event), values(row, KG.rowOf), inspection_rows,
        ):
            for start, end, group, unit in product(
                graph.optional(row, KG.textStart), graph.optional(row, KG.textEnd),
                graph.optional(inspection_row, KG.groupLabel),
                graph.optional(inspection_row, KG.unitLabel),
            ):
                yield _row("timeline",
                           (text_of(date), _number(step), text_of(notice_id)),
                           (date, event, notice_id, group, unit, start, end, node))


def _categories(graph: _Graph) -> Iterator[KeptRow]:
    values = graph.values
    for row in graph.typed.get(KG.CategoryRow, []):
        for concept, notice_id, found, problem, start, end in product(
            values(row, KG.category), values(row, KG.noticeId),
            values(row, KG.problemsFound), values(row, KG.rowOf),
            values(row, KG.textStart), values(row, KG.textEnd),
        ):
            for notation, label, example in product(
                _notations(concept), _zh_labels(concept), values(problem, RDFS.label)
            ):
                yield _row(
                    "categories",
                    (text_of(notation), text_of(notice_id), _number(found)),
                    (notation, label, COUNT_CELL, COUNT_CELL, notice_id, found,
                     example, start, end, problem),
                )


def _measures(graph: _Graph) -> Iterator[KeptRow]:
    notice_ids = [notice_id for row in graph.inspection_rows()
                  for found in graph.values(row, KG.measuresFound)
                  if _number(found) > 0
                  for notice_id in graph.values(row, KG.noticeId)]
    for measure in graph.typed.get(KG.Measure, []):
        starts = graph.values(measure, KG.textStart)
        for notice_id, start in product(notice_ids, starts):
            yield from _measure_rows(graph, notice_id, start, measure)


def _measure_rows(graph: _Graph, notice_id: str, start: str, measure: str
                  ) -> Iterator[KeptRow]:
    values = graph.values
    kinds = values(measure, DCTERMS.type)
    selectors = [selector("kind", kind) for kind in kinds] + sorted({
        selector("category", category) for problem in values(measure, KG.addresses)
        for category in values(problem, DCTERMS.subject)})
    for measure_id, kind_concept, text, categories in product(
        values(measure, DCTERMS.identifier), kinds, values(measure, RDFS.label),
        _or_none(graph.path(measure, KG.addresses, KG.categories)),
    ):
        identifier = text_of(measure_id)
        # REPLACE(?measure_id, "/[^/]*$", ""): all before its last slash.
        problem_id = identifier.rpartition("/")[0] if "/" in identifier else identifier
        end = _number(start) + len(text_of(text))
        for kind in _or_none(_measure_kind_labels(kind_concept)):
            yield _row(
                "measures", (text_of(notice_id), _number(start)),
                (notice_id, literal(problem_id), categories, measure_id,
                 kind, text, start, f'"{end}"^^{XSD.nonNegativeInteger}', measure),
                selectors,
            )


def _enacted(graph: _Graph) -> Iterator[KeptRow]:
    values = graph.values
    owners = [(notice_id, unit) for row in graph.inspection_rows()
              for found in values(row, KG.enactedFound) if _number(found) > 0
              for notice_id in values(row, KG.noticeId)
              for unit in graph.optional(row, KG.unitLabel)]
    for row in graph.typed.get(KG.EnactedRow, []):
        for (notice_id, unit), start, measure, regulation, document, end in product(
            owners, values(row, KG.textStart), values(row, KG.rowOf),
            values(row, KG.document), values(row, KG.text), values(row, KG.textEnd),
        ):
            kinds = values(regulation, ELI.type_document)
            for measure_id, kind_concept in product(
                values(measure, DCTERMS.identifier), kinds
            ):
                for kind in _or_none(_notations(kind_concept)):
                    yield _row(
                        "enacted",
                        (None if unit is None else text_of(unit), text_of(notice_id),
                         _number(start), text_of(measure_id)),
                        (unit, notice_id, document, kind, measure_id, start, end,
                         regulation, measure),
                        [selector("kind", kind_concept)],
                    )
