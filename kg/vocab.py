"""The vocabularies of kg's RDF, declared once, as plain strings.

Everything that names an RDF term is made from this module: the rdflib and
pyoxigraph terms (`kg.rdf.namespaces`), the prefixes of the Turtle and TriG
dumps, the SHACL report's prefixes (`kg.rdf.validate`), and the prologue of
every SPARQL query the pages and the named queries run. It imports nothing,
so opening a store or running a query never pays for rdflib.

The W3C vocabularies (RDF, RDFS, OWL, XSD, SKOS, PROV-O, ORG, OWL-Time, FOAF,
DCMI terms) are closed by rdflib's own declarations; the three it does not
ship are listed here term by term, so `kg.rdf.namespaces` can refuse a
misspelt one instead of minting a new IRI:

* ``kg``: every term of ontology/kg.ttl (tests/test_ontology.py keeps the two
  equal);
* ``eli``: the `LegalResource` level of the ELI ontology 1.5;
* ``oa``: the Web Annotation Vocabulary (W3C Recommendation 2017-02-23), whole.

SPARQL text gets its terms from `iri_term` and `string_term` only: a value is
never pasted into a query as it came.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

BASE: Final = "https://w3id.org/kg-inspection/"
ONTOLOGY_IRI: Final = BASE + "ontology"
SHAPES: Final = BASE + "shapes#"  # the SHACL shapes of ontology/shapes.ttl

NAMESPACES: Final[dict[str, str]] = {
    "kg": ONTOLOGY_IRI + "#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "oa": "http://www.w3.org/ns/oa#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "time": "http://www.w3.org/2006/time#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
"""Prefix → namespace IRI, for the dumps, the ontology files and SPARQL."""

KG_TERMS: Final = (
    # Classes
    "Notice",  # 巡察整改进展情况的通报 ⊂ prov:Entity
    "Inspection",  # 巡察 ⊂ prov:Activity
    "Finding",  # 巡察发现的问题 ⊂ prov:Entity
    "Aspect",  # 方面 ⊂ kg:Finding
    "ProblemGroup",  # 类 ⊂ kg:Finding
    "Problem",  # 具体问题 ⊂ kg:Finding
    "Measure",  # 整改措施 ⊂ prov:Activity
    "InspectionGroup",  # 巡察组 ⊂ org:OrganizationalUnit
    "PartyCommittee",  # 党委 (区委, 市委) ⊂ org:FormalOrganization
    "OfficialDocument",  # a document known by its 文号 ⊂ prov:Entity
    "AnnouncedCount",  # a figure the notice states ⊂ prov:Entity
    "BareMention",  # a rule named without 《》 ⊂ oa:Annotation
    "RegulationUsage",  # a regulation's use across the corpus ⊂ prov:Entity
    "CategoryUsage",  # an issue category's counts across the corpus ⊂ prov:Entity
    "InspectionRow",  # a row of the inspections query ⊂ prov:Entity
    "TimelineRow",  # a row of the timeline query ⊂ prov:Entity
    "CategoryRow",  # a row of the categories query ⊂ prov:Entity
    "EnactedRow",  # a row of the enacted query ⊂ prov:Entity
    # Object properties
    "addresses",  # Measure → Finding ⊂ prov:used
    "enacts",  # Measure → LegalResource ⊂ prov:generated
    "studies",  # Measure → LegalResource ⊂ dcterms:references
    "violates",  # Finding → LegalResource ⊂ dcterms:references
    "announcedCount",  # Notice → AnnouncedCount ⊂ dcterms:hasPart
    "regulation",  # RegulationUsage → LegalResource ⊂ dcterms:subject
    "rowOf",  # a row → the node it is about ⊂ dcterms:subject
    "category",  # CategoryRow, CategoryUsage → skos:Concept ⊂ dcterms:subject
    "document",  # EnactedRow → LegalResource ⊂ dcterms:references
    # Datatype properties
    "feedbackDate",  # Inspection → xsd:date ⊂ dcterms:date
    "rectification",  # Problem → 整改落实情况 text ⊂ dcterms:description
    "level",  # LegalResource → 效力级别 text ⊂ skos:note
    "sha256",  # Notice → hex digest of the input bytes ⊂ dcterms:identifier
    "fullText",  # Notice → the NFC text the annotations' offsets count in ⊂ rdf:value
    "scope",  # RegulationUsage → "all" or a relation ⊂ dcterms:type
    "noticeCount",  # RegulationUsage, CategoryUsage → xsd:integer ⊂ rdf:value
    "mentionCount",  # RegulationUsage → xsd:integer ⊂ rdf:value
    "bareMentionCount",  # RegulationUsage → xsd:integer ⊂ rdf:value
    "noticeIds",  # RegulationUsage → sorted notice ids ⊂ dcterms:description
    "relations",  # RegulationUsage → relations in use ⊂ dcterms:description
    "firstDate",  # RegulationUsage → xsd:date ⊂ dcterms:date
    "lastDate",  # RegulationUsage → xsd:date ⊂ dcterms:date
    "noticeId",  # a row → its notice's id ⊂ dcterms:identifier
    "textStart",  # a row or a measure → where its text starts ⊂ rdf:value
    "textEnd",  # a row → where its text ends ⊂ rdf:value
    "text",  # EnactedRow → the title as written ⊂ rdf:value
    "bodyLabel",  # InspectionRow → the inspecting body's label ⊂ dcterms:description
    "groupLabel",  # InspectionRow → the group's label ⊂ dcterms:description
    "unitLabel",  # a row → an inspected unit's label ⊂ dcterms:description
    "problemsStated",  # InspectionRow → xsd:integer ⊂ rdf:value
    "measuresStated",  # InspectionRow → xsd:integer ⊂ rdf:value
    "problemsFound",  # InspectionRow, CategoryRow → xsd:integer ⊂ rdf:value
    "measuresFound",  # InspectionRow → xsd:integer ⊂ rdf:value
    "enactedFound",  # InspectionRow → how many EnactedRows ⊂ rdf:value
    "event",  # TimelineRow → the step's name ⊂ dcterms:type
    "step",  # TimelineRow → the step's place in the order ⊂ rdf:value
    "categories",  # Problem → its category ids ⊂ dcterms:description
    # Individuals: the roles of the inspection's qualified associations
    "inspector",  # prov:Role of the inspection group
    "inspected",  # prov:Role of the inspected organisation
)

# ELI ontology 1.5 (http://data.europa.eu/eli/ontology), the terms of its
# LegalResource level that a notice can state. eli:cites is declared for
# completeness but never emitted: its domain would make a notice legislation
# (docs/architecture.md, Vocabularies). eli:title's domain is a
# LegalExpression, so regulations are labelled with skos:prefLabel instead.
ELI_TERMS: Final = (
    "LegalResource", "LegalResourceSubdivision", "LegalExpression", "Format",
    "ResourceType", "AdministrativeArea", "Organization",
    "type_document", "date_document", "date_no_longer_in_force",
    "first_date_entry_in_force", "id_local", "number", "is_about", "passed_by",
    "responsibility_of", "jurisdiction", "is_part_of", "has_part",
    "is_realized_by", "realizes", "based_on", "basis_for", "amends",
    "amended_by", "repeals", "repealed_by", "implements", "related_to",
    "cites", "cited_by",
    "title", "title_short", "title_alternative", "language",
)

# Web Annotation Vocabulary §3 (classes, properties, named individuals).
# TextPositionSelector counts Unicode code points (§4.2.4).
OA_TERMS: Final = (
    "Annotation", "Choice", "CssSelector", "CssStyle", "DataPositionSelector",
    "Direction", "FragmentSelector", "HttpRequestState", "Motivation",
    "RangeSelector", "ResourceSelection", "Selector", "SpecificResource",
    "State", "Style", "SvgSelector", "TextPositionSelector",
    "TextQuoteSelector", "TextualBody", "TimeState", "XPathSelector",
    "annotationService", "bodyValue", "cachedSource", "canonical", "end",
    "exact", "hasBody", "hasEndSelector", "hasPurpose", "hasScope",
    "hasSelector", "hasSource", "hasStartSelector", "hasState", "hasTarget",
    "motivatedBy", "prefix", "processingLanguage", "refinedBy", "renderedVia",
    "sourceDate", "sourceDateEnd", "sourceDateStart", "start", "styleClass",
    "styledBy", "suffix", "textDirection", "via",
    "assessing", "bookmarking", "classifying", "commenting", "describing",
    "editing", "highlighting", "identifying", "linking", "moderating",
    "questioning", "replying", "tagging", "ltrDirection", "rtlDirection",
    "PreferContainedDescriptions", "PreferContainedIRIs",
)

# Characters that cannot appear inside an IRIREF (SPARQL 1.1 Query §19.8).
_NOT_IN_IRI: Final = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def term(prefix: str, name: str) -> str:
    """The IRI of ``prefix:name``, e.g. ``term("kg", "Notice")``.

    >>> term("kg", "Notice")
    'https://w3id.org/kg-inspection/ontology#Notice'
    """
    return NAMESPACES[prefix] + name


def prologue(prefixes: Iterable[str] | None = None) -> str:
    """The SPARQL PREFIX lines of `prefixes` (default: all of ours).

    >>> prologue(["kg"])
    'PREFIX kg: <https://w3id.org/kg-inspection/ontology#>\\n'
    """
    names = sorted(NAMESPACES) if prefixes is None else list(prefixes)
    return "".join(f"PREFIX {name}: <{NAMESPACES[name]}>\n" for name in names)


def iri_term(iri: str) -> str:
    """`iri` as a SPARQL IRIREF; ValueError for characters it cannot hold.

    >>> iri_term("https://w3id.org/kg-inspection/notice/罗庄")
    '<https://w3id.org/kg-inspection/notice/罗庄>'
    >>> iri_term("x> } DROP ALL {")
    Traceback (most recent call last):
    ...
    ValueError: 'x> } DROP ALL {' cannot be written as an IRI
    """
    if _NOT_IN_IRI.search(iri):
        raise ValueError(f"{iri!r} cannot be written as an IRI")
    return f"<{iri}>"


def string_term(text: str) -> str:
    """`text` as a SPARQL string literal (SPARQL 1.1 Query §19.7 escapes).

    >>> print(string_term('他说"好"\\n'))
    "他说\\"好\\"\\n"
    """
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"')
               .replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t"))
    return f'"{escaped}"'
