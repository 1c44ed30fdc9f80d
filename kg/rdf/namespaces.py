# Terms are spelt as in their IRIs (oa:hasBody), hence mixedCase names.
# ruff: noqa: N815
"""Typed vocabularies: the rdflib terms and their pyoxigraph twins.

rdflib ships PROV, ORG, SKOS, DCTERMS, TIME, FOAF; ELI, OA and our own KG are
declared here the way rdflib declares its own (`DefinedNamespace`, `_fail =
True`, one annotated term per line), so a misspelt term raises instead of
minting a new IRI (STYLE.md §3). `OxTerms` gives the same terms as
`pyoxigraph.NamedNode`s for fast quad building, with the same check.
"""

from __future__ import annotations

from typing import Final

from pyoxigraph import NamedNode
from rdflib import URIRef
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
    DefinedNamespace,
    Namespace,
)

BASE: Final = "https://w3id.org/kg-inspection/"
ONTOLOGY_IRI: Final = BASE + "ontology"


class ELI(DefinedNamespace):
    """European Legislation Identifier ontology, the terms of its `LegalResource`
    level that a notice can state (ELI ontology 1.5,
    http://data.europa.eu/eli/ontology). `eli:cites` is declared for
    completeness but `kg` never emits it: its domain would make a notice
    legislation (docs/architecture.md, Vocabularies)."""

    _fail = True

    # Classes
    LegalResource: URIRef  # a work in a legislative corpus
    LegalResourceSubdivision: URIRef  # a component of a legal act (article, ...)
    LegalExpression: URIRef  # an intellectual realisation of a legal resource
    Format: URIRef  # a physical embodiment of a legal expression
    ResourceType: URIRef  # a concept of a document-type scheme
    AdministrativeArea: URIRef  # a jurisdiction concept
    Organization: URIRef  # the agent responsible for a resource

    # Properties of eli:LegalResource
    type_document: URIRef  # the type of a legal resource (→ eli:ResourceType)
    date_document: URIRef  # the date of adoption or signature (xsd:date)
    date_no_longer_in_force: URIRef
    first_date_entry_in_force: URIRef
    id_local: URIRef  # the identifier given by the issuing body
    number: URIRef  # the number of the resource within its series
    is_about: URIRef  # a subject of the resource
    passed_by: URIRef  # the agent that adopted the resource
    responsibility_of: URIRef
    jurisdiction: URIRef
    is_part_of: URIRef
    has_part: URIRef
    is_realized_by: URIRef
    realizes: URIRef
    based_on: URIRef
    basis_for: URIRef
    amends: URIRef
    amended_by: URIRef
    repeals: URIRef
    repealed_by: URIRef
    implements: URIRef
    related_to: URIRef
    cites: URIRef  # never emitted, see the class docstring
    cited_by: URIRef
    # Properties of eli:LegalExpression
    title: URIRef  # domain eli:LegalExpression: we label with skos:prefLabel
    title_short: URIRef
    title_alternative: URIRef
    language: URIRef

    _NS = Namespace("http://data.europa.eu/eli/ontology#")


class OA(DefinedNamespace):
    """Web Annotation Vocabulary (W3C Recommendation 2017-02-23,
    https://www.w3.org/TR/annotation-vocab/), complete."""

    _fail = True

    # Classes (§3)
    Annotation: URIRef
    Choice: URIRef
    CssSelector: URIRef
    CssStyle: URIRef
    DataPositionSelector: URIRef
    Direction: URIRef
    FragmentSelector: URIRef
    HttpRequestState: URIRef
    Motivation: URIRef
    RangeSelector: URIRef
    ResourceSelection: URIRef
    Selector: URIRef
    SpecificResource: URIRef
    State: URIRef
    Style: URIRef
    SvgSelector: URIRef
    TextPositionSelector: URIRef  # §4.2.4: start/end in Unicode code points
    TextQuoteSelector: URIRef  # §4.2.3: the exact text
    TextualBody: URIRef
    TimeState: URIRef
    XPathSelector: URIRef

    # Properties (§3)
    annotationService: URIRef
    bodyValue: URIRef
    cachedSource: URIRef
    canonical: URIRef
    end: URIRef
    exact: URIRef
    hasBody: URIRef
    hasEndSelector: URIRef
    hasPurpose: URIRef
    hasScope: URIRef
    hasSelector: URIRef
    hasSource: URIRef
    hasStartSelector: URIRef
    hasState: URIRef
    hasTarget: URIRef
    motivatedBy: URIRef
    prefix: URIRef
    processingLanguage: URIRef
    refinedBy: URIRef
    renderedVia: URIRef
    sourceDate: URIRef
    sourceDateEnd: URIRef
    sourceDateStart: URIRef
    start: URIRef
    styleClass: URIRef
    styledBy: URIRef
    suffix: URIRef
    textDirection: URIRef
    via: URIRef

    # Named individuals: motivations (§3.3.5) and directions
    assessing: URIRef
    bookmarking: URIRef
    classifying: URIRef
    commenting: URIRef
    describing: URIRef
    editing: URIRef
    highlighting: URIRef
    identifying: URIRef
    linking: URIRef
    moderating: URIRef
    questioning: URIRef
    replying: URIRef
    tagging: URIRef
    ltrDirection: URIRef
    rtlDirection: URIRef
    PreferContainedDescriptions: URIRef
    PreferContainedIRIs: URIRef

    _NS = Namespace("http://www.w3.org/ns/oa#")


class KG(DefinedNamespace):
    """The `kg` vocabulary: every term is declared in ontology/kg.ttl with
    zh/en labels and a comment (tests/test_ontology.py keeps the two equal)."""

    _fail = True

    # Classes
    Notice: URIRef  # 巡察整改进展情况的通报 ⊂ prov:Entity
    Inspection: URIRef  # 巡察 ⊂ prov:Activity
    Finding: URIRef  # 巡察发现的问题 ⊂ prov:Entity
    Aspect: URIRef  # 方面 ⊂ kg:Finding
    ProblemGroup: URIRef  # 类 ⊂ kg:Finding
    Problem: URIRef  # 具体问题 ⊂ kg:Finding
    Measure: URIRef  # 整改措施 ⊂ prov:Activity
    InspectionGroup: URIRef  # 巡察组 ⊂ org:OrganizationalUnit
    PartyCommittee: URIRef  # 党委 (区委, 市委) ⊂ org:FormalOrganization
    OfficialDocument: URIRef  # a document known by its 文号 ⊂ prov:Entity
    AnnouncedCount: URIRef  # a figure the notice states ⊂ prov:Entity
    BareMention: URIRef  # a rule named without 《》 ⊂ oa:Annotation
    RegulationUsage: URIRef  # a regulation's use across the corpus ⊂ prov:Entity

    # Object properties
    addresses: URIRef  # Measure → Finding ⊂ prov:used
    enacts: URIRef  # Measure → LegalResource ⊂ prov:generated
    studies: URIRef  # Measure → LegalResource ⊂ dcterms:references
    violates: URIRef  # Finding → LegalResource ⊂ dcterms:references
    announcedCount: URIRef  # Notice → AnnouncedCount ⊂ dcterms:hasPart
    regulation: URIRef  # RegulationUsage → LegalResource ⊂ dcterms:subject

    # Datatype properties
    feedbackDate: URIRef  # Inspection → xsd:date ⊂ dcterms:date
    rectification: URIRef  # Problem → 整改落实情况 text ⊂ dcterms:description
    level: URIRef  # LegalResource → 效力级别 text ⊂ skos:note
    sha256: URIRef  # Notice → hex digest of the input bytes ⊂ dcterms:identifier
    scope: URIRef  # RegulationUsage → "all" or a relation ⊂ dcterms:type
    noticeCount: URIRef  # RegulationUsage → xsd:integer ⊂ rdf:value
    mentionCount: URIRef  # RegulationUsage → xsd:integer ⊂ rdf:value
    bareMentionCount: URIRef  # RegulationUsage → xsd:integer ⊂ rdf:value
    noticeIds: URIRef  # RegulationUsage → sorted notice ids ⊂ dcterms:description
    relations: URIRef  # RegulationUsage → relations in use ⊂ dcterms:description
    firstDate: URIRef  # RegulationUsage → xsd:date ⊂ dcterms:date
    lastDate: URIRef  # RegulationUsage → xsd:date ⊂ dcterms:date

    # Individuals: the roles of the inspection's qualified associations
    inspector: URIRef  # prov:Role of the inspection group
    inspected: URIRef  # prov:Role of the inspected organisation

    _NS = Namespace(BASE + "ontology#")


class OxTerms:
    """The terms of a `DefinedNamespace` as `pyoxigraph.NamedNode`s.

    An undefined name raises `AttributeError`, exactly as the rdflib namespace
    does; each term is built once and then cached on the instance.
    """

    def __init__(self, namespace: type[DefinedNamespace]) -> None:
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

PREFIXES: Final[dict[str, str]] = {
    "kg": str(KG._NS),
    "eli": str(ELI._NS),
    "oa": str(OA._NS),
    "dcterms": str(DCTERMS._NS),
    "foaf": str(FOAF._NS),
    "org": str(ORG._NS),
    "owl": str(OWL._NS),
    "prov": str(PROV._NS),
    "rdf": str(RDF._NS),
    "rdfs": str(RDFS._NS),
    "skos": str(SKOS._NS),
    "time": str(TIME._NS),
    "xsd": str(XSD._NS),
}
"""The prefixes of our Turtle/TriG output and of the ontology files."""
