"""ontology/*.ttl: the kg vocabulary and the concept schemes, against the code
that emits them (kg/rdf/namespaces.py, kg/rdf/iri.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from kg.model import MeasureKind, RegulationKind
from kg.rdf import iri
from kg.rdf.ontology import ONTOLOGY_DIR, ontology_files, shapes_file
from kg.vocab import KG_TERMS, NAMESPACES

# Where a kg: term must find its parent: W3C vocabularies and the DCMI terms
# the design table builds on (docs/architecture.md, Vocabularies).
STANDARD = (
    "http://www.w3.org/ns/prov#",
    "http://www.w3.org/ns/org#",
    "http://www.w3.org/2004/02/skos/core#",
    "http://www.w3.org/2006/time#",
    "http://www.w3.org/ns/oa#",
    "http://purl.org/dc/terms/",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
)
KG_NS = NAMESPACES["kg"]


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "kg.ttl")


@pytest.fixture(scope="module")
def schemes() -> Graph:
    graph = Graph()
    for path in ontology_files():
        graph.parse(path)
    return graph


def kg_terms() -> list[str]:
    return sorted(KG_TERMS)


def languages(graph: Graph, subject: Node, predicate: URIRef) -> set[str | None]:
    return {
        o.language for o in graph.objects(subject, predicate) if isinstance(o, Literal)
    }


@pytest.mark.parametrize(
    "path", [*ontology_files(), shapes_file()], ids=lambda p: p.name
)
def test_every_ontology_file_parses(path: Path) -> None:
    assert len(Graph().parse(path, format="turtle")) > 0


def test_the_ontology_has_version_title_creator_and_licence(ontology: Graph) -> None:
    node = URIRef(iri.ONTOLOGY.value)
    assert (node, RDF.type, OWL.Ontology) in ontology
    for predicate in (
        OWL.versionInfo,
        URIRef("http://purl.org/dc/terms/creator"),
        URIRef("http://purl.org/dc/terms/license"),
    ):
        assert ontology.value(node, predicate) is not None
    assert languages(ontology, node, RDFS.label) == {"zh", "en"}


def test_the_typed_namespace_and_the_ontology_declare_the_same_terms(
    ontology: Graph,
) -> None:
    declared = {
        str(s)[len(KG_NS) :]
        for s in ontology.subjects(RDF.type, None)
        if str(s).startswith(KG_NS)
    }
    assert declared == set(kg_terms())


@pytest.mark.parametrize("name", kg_terms())
def test_every_kg_term_has_zh_and_en_labels_and_a_comment(
    ontology: Graph, name: str
) -> None:
    term = URIRef(KG_NS + name)
    assert languages(ontology, term, RDFS.label) == {"zh", "en"}
    assert ontology.value(term, RDFS.comment) is not None


@pytest.mark.parametrize("name", kg_terms())
def test_every_kg_class_and_property_specialises_a_standard_term(
    ontology: Graph, name: str
) -> None:
    term = URIRef(KG_NS + name)
    if (term, RDF.type, OWL.NamedIndividual) in ontology:
        types = set(ontology.objects(term, RDF.type)) - {OWL.NamedIndividual}
        assert any(str(t).startswith(STANDARD) for t in types)
        return
    parent = (
        RDFS.subClassOf
        if (term, RDF.type, OWL.Class) in ontology
        else (RDFS.subPropertyOf)
    )
    ancestors = set(ontology.transitive_objects(term, parent)) - {term}
    assert any(str(a).startswith(STANDARD) for a in ancestors), ancestors


def concepts_of(graph: Graph, scheme: URIRef) -> dict[str, URIRef]:
    """notation → concept of `scheme`."""
    return {
        str(graph.value(c, SKOS.notation)): c  # type: ignore[misc]
        for c in graph.subjects(SKOS.inScheme, scheme)
    }


def test_every_measure_kind_is_a_concept_with_the_iri_the_build_mints(
    schemes: Graph,
) -> None:
    concepts = concepts_of(schemes, URIRef(iri.MEASURE_KINDS.value))
    assert set(concepts) == {kind.value for kind in MeasureKind}
    for kind in MeasureKind:
        assert concepts[kind.value] == URIRef(iri.measure_kind_iri(kind).value)


def test_every_document_kind_is_a_concept_with_the_iri_the_build_mints(
    schemes: Graph,
) -> None:
    concepts = concepts_of(schemes, URIRef(iri.DOCUMENT_KINDS.value))
    assert set(concepts) == {kind.value for kind in RegulationKind}
    for kind in RegulationKind:
        assert concepts[kind.value] == URIRef(iri.document_kind_iri(kind).value)


def test_every_organization_kind_is_a_concept_with_the_iri_the_build_mints(
    schemes: Graph,
) -> None:
    scheme = URIRef(iri.ORGANIZATION_KINDS.value)
    for kind in iri.ORGANIZATION_KIND_SLUGS:
        concept = iri.organization_kind_iri(kind)
        assert concept is not None
        node = URIRef(concept.value)
        assert (node, SKOS.inScheme, scheme) in schemes
        assert Literal(kind, lang="zh") in set(schemes.objects(node, SKOS.prefLabel))
    assert iri.organization_kind_iri("居委会") is None


def test_every_count_key_is_a_concept_with_the_iri_the_build_mints(
    schemes: Graph,
) -> None:
    concepts = concepts_of(schemes, URIRef(iri.COUNT_KINDS.value))
    assert set(concepts) == set(iri.COUNT_KEYS)
    for key in iri.COUNT_KEYS:
        assert concepts[key] == URIRef(iri.count_kind_iri(key).value)


@pytest.mark.parametrize(
    "scheme",
    [iri.MEASURE_KINDS, iri.DOCUMENT_KINDS, iri.ORGANIZATION_KINDS, iri.COUNT_KINDS],
    ids=lambda s: s.value.rsplit("/", 1)[1],
)
def test_every_concept_has_zh_and_en_labels_and_definitions(
    schemes: Graph, scheme: object
) -> None:
    node = URIRef(scheme.value)  # type: ignore[attr-defined]
    assert (node, RDF.type, SKOS.ConceptScheme) in schemes
    assert languages(schemes, node, RDFS.label) == {"zh", "en"}
    concepts = list(schemes.subjects(SKOS.inScheme, node))
    assert concepts
    for concept in concepts:
        assert (concept, RDF.type, SKOS.Concept) in schemes
        assert (concept, SKOS.topConceptOf, node) in schemes
        assert languages(schemes, concept, SKOS.prefLabel) == {"zh", "en"}
        assert languages(schemes, concept, SKOS.definition) == {"zh", "en"}


def test_the_plain_namespaces_are_rdflibs_and_the_ontology_files() -> None:
    # kg.vocab spells the W3C namespaces out so that a store or a query need
    # not import rdflib; they must be the ones rdflib declares, and the
    # prefixes the ontology files bind.
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
    )

    rdflib_names = {"dcterms": DCTERMS, "foaf": FOAF, "org": ORG, "owl": OWL,
                    "prov": PROV, "rdf": RDF, "rdfs": RDFS, "skos": SKOS,
                    "time": TIME, "xsd": XSD}
    for prefix, namespace in rdflib_names.items():
        assert NAMESPACES[prefix] == str(namespace), prefix
    bound: dict[str, str] = {}
    for path in (*ontology_files(), shapes_file()):
        graph = Graph().parse(path)
        bound.update((p, str(n)) for p, n in graph.namespaces() if p in NAMESPACES)
    assert bound, "the ontology files bind none of our prefixes"
    for prefix, namespace in bound.items():
        assert NAMESPACES[prefix] == namespace, prefix
