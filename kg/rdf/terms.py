"""RDF terms as N-Triples text (RDF 1.1 N-Triples §2.3–2.5), for writing
statements as lines without making a Python object per term.

A notice graph has some 3,000 statements. Built as `pyoxigraph.Quad`s they
cost 4.3 µs each to construct (0.6 µs per `NamedNode`, which validates its
IRI) and as much again to sort by their text: 61 ms per notice, half the time
of extracting it. Written as text they cost a string join; the IRIs come from
`kg.rdf.iri`, which percent-encodes every segment it puts in one, and the
vocabulary terms from the closed namespaces of `kg.rdf.namespaces`.
"""

from __future__ import annotations

from typing import Final

from kg.rdf import namespaces as ns
from kg.rdf.namespaces import OxTerms


def _escaped(text: str) -> str:
    """STRING_LITERAL_QUOTE (N-Triples §2.5): every character but " \\ LF CR
    as it is, those four as ECHAR. Four `replace` scans: `str.translate` of
    a Chinese text was six times slower."""
    if "\\" in text:
        text = text.replace("\\", "\\\\")
    if '"' in text:
        text = text.replace('"', '\\"')
    if "\n" in text:
        text = text.replace("\n", "\\n")
    if "\r" in text:
        text = text.replace("\r", "\\r")
    return text


def iri(text: str) -> str:
    """An IRI made by `kg.rdf.iri` as an N-Triples IRIREF."""
    return f"<{text}>"


def literal(text: str) -> str:
    """A plain (xsd:string) literal.

    >>> print(literal('他说"好"\\n'))
    "他说\\"好\\"\\n"
    """
    return f'"{_escaped(text)}"'


def zh(text: str) -> str:
    """A literal in Chinese (language tag zh)."""
    return f'"{_escaped(text)}"@zh'


def typed(lexical: str, datatype: str) -> str:
    """A literal of `datatype` (an N-Triples IRI term, e.g. ``XSD.date``).

    >>> typed("2021-04-01", XSD.date)
    '"2021-04-01"^^<http://www.w3.org/2001/XMLSchema#date>'
    """
    return f'"{lexical}"^^{datatype}'


def offset(value: int) -> str:
    """A character offset, typed as WA §4.2.4 types oa:start and oa:end."""
    return typed(str(value), XSD.nonNegativeInteger)


def integer(value: int) -> str:
    return typed(str(value), XSD.integer)


class Terms:
    """The terms of a namespace of `kg.rdf.namespaces` as N-Triples text; an
    undefined name raises `AttributeError`, as the namespace does."""

    def __init__(self, terms: OxTerms) -> None:
        self._terms = terms

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        text = str(getattr(self._terms, name))
        setattr(self, name, text)
        return text


RDF: Final = Terms(ns.ox_rdf)
RDFS: Final = Terms(ns.ox_rdfs)
XSD: Final = Terms(ns.ox_xsd)
OWL: Final = Terms(ns.ox_owl)
SKOS: Final = Terms(ns.ox_skos)
DCTERMS: Final = Terms(ns.ox_dcterms)
PROV: Final = Terms(ns.ox_prov)
ORG: Final = Terms(ns.ox_org)
TIME: Final = Terms(ns.ox_time)
FOAF: Final = Terms(ns.ox_foaf)
ELI: Final = Terms(ns.ox_eli)
OA: Final = Terms(ns.ox_oa)
KG: Final = Terms(ns.ox_kg)
