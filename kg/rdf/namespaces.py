"""Typed vocabularies: rdflib terms and their pyoxigraph twins, made from
`kg.vocab`.

rdflib ships PROV, ORG, SKOS, DCTERMS, TIME, FOAF; ELI, OA and our own KG are
`ClosedNamespace`s of the terms `kg.vocab` lists, so a misspelt term raises
instead of minting a new IRI (STYLE.md §3). `OxTerms` gives the same terms as
`pyoxigraph.NamedNode`s for fast quad building, with the same check.
"""

from __future__ import annotations

from typing import Final

from pyoxigraph import NamedNode
from rdflib.namespace import (
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SKOS,
    TIME,
    XSD,
    ClosedNamespace,
)

from kg.vocab import BASE, ELI_TERMS, KG_TERMS, NAMESPACES, OA_TERMS, ONTOLOGY_IRI

__all__ = [
    "BASE", "DCTERMS", "ELI", "FOAF", "KG", "OA", "ONTOLOGY_IRI", "ORG", "OWL",
    "PREFIXES", "PROV", "RDF", "RDFS", "SKOS", "TIME", "XSD", "OxTerms",
]

ELI: Final = ClosedNamespace(NAMESPACES["eli"], list(ELI_TERMS))
OA: Final = ClosedNamespace(NAMESPACES["oa"], list(OA_TERMS))
KG: Final = ClosedNamespace(NAMESPACES["kg"], list(KG_TERMS))

PREFIXES: Final = NAMESPACES
"""The prefixes of our Turtle/TriG output and of the ontology files."""


class OxTerms:
    """The terms of an rdflib namespace as `pyoxigraph.NamedNode`s.

    An undefined name raises `AttributeError`, exactly as the rdflib namespace
    does; each term is built once and then cached on the instance.
    """

    def __init__(self, namespace: object) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        term = NamedNode(str(getattr(self._namespace, name)))
        setattr(self, name, term)
        return term


ox_rdf: Final = OxTerms(RDF)
ox_rdfs: Final = OxTerms(RDFS)
ox_xsd: Final = OxTerms(XSD)
ox_owl: Final = OxTerms(OWL)
ox_skos: Final = OxTerms(SKOS)
ox_dcterms: Final = OxTerms(DCTERMS)
ox_prov: Final = OxTerms(PROV)
ox_org: Final = OxTerms(ORG)
ox_time: Final = OxTerms(TIME)
ox_foaf: Final = OxTerms(FOAF)
ox_eli: Final = OxTerms(ELI)
ox_oa: Final = OxTerms(OA)
ox_kg: Final = OxTerms(KG)
