"""Model → RDF: the quads of one notice, of a build run, and serialisers.

Everything extracted from one notice goes into ONE named graph whose IRI is
the notice IRI (docs/architecture.md, Vocabularies: provenance), and each graph is
self-contained: the labels and types of the shared entities it mentions
(regulations, organisations) are repeated in every graph that mentions them,
so a graph can be pushed, replaced or deleted on its own.

Every node that came from the text, and every regulation mention, gets one
`oa:Annotation` whose target is its span (Web Annotation Data Model §4.2.4
TextPositionSelector, written as the Selectors and States fragment IRI:
offsets in code points, which are Python `str` offsets over the NFC text);
the text itself is stated once, as the notice's
`kg:fullText`, and a quote is read from it.

A notice's statements are written as N-Quads text (kg.rdf.terms), not built
as pyoxigraph objects: the same statements at a tenth of the cost.

Output is deterministic: no blank nodes, IRIs from kg.rdf.iri only, quads
deduplicated and sorted.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePath

import pyoxigraph
from pyoxigraph import Quad, RdfFormat, Triple

from kg.model import (
    Aspect,
    Date,
    Measure,
    Notice,
    Problem,
    Regulation,
    RegulationMention,
    Relation,
    RuleMention,
    Span,
)
from kg.rdf import iri, terms
from kg.rdf.namespaces import (
    PREFIXES,
)
from kg.rdf.rows import summary_rows
from kg.rdf.terms import (
    DCTERMS,
    ELI,
    FOAF,
    KG,
    OA,
    ORG,
    PROV,
    RDF,
    RDFS,
    SKOS,
    TIME,
    XSD,
    literal,
    typed,
    zh,
)
from kg.rdf.turtle import turtle

# How a 《》 or rule mention inside a measure links the measure to the
# regulation (docs/architecture.md, citing / enacting). A measure does not violate: a
# `violates` mention inside one is still a reference.
_MEASURE_RELATIONS = {
    Relation.CITES: DCTERMS.references,
    Relation.STUDIES: KG.studies,
    Relation.ENACTS: KG.enacts,
    Relation.VIOLATES: DCTERMS.references,
}


@dataclass(frozen=True, slots=True)
class NoticeRdf:
    """The statements of one notice's graph, written out."""

    graph: str  # the graph's IRI, the notice's
    nquads: bytes  # one statement per line, sorted
    turtle: bytes  # the same triples (kg.rdf.turtle)
    triples: int
    # The triples themselves (N-Triples terms), for what is read off them
    # (kg.rdf.answers); not compared, not shown.
    statements: list[tuple[str, str, str]] = field(default_factory=list, compare=False,
                                                   repr=False)


def notice_rdf(notice: Notice) -> NoticeRdf:
    """All triples of `notice` in its named graph, deduplicated and sorted,
    as N-Quads and as Turtle."""
    built = _NoticeGraph(notice)
    triples = built.triples()
    rows = summary_rows(notice, built.iris, built.pref_labels)
    if rows:
        triples = sorted({*triples, *rows})
    tail = f" {built.node} .\n"
    return NoticeRdf(
        graph=built.node[1:-1],
        nquads="".join(f"{s} {p} {o}{tail}" for s, p, o in triples).encode("utf-8"),
        turtle=turtle(triples),
        triples=len(triples),
        statements=triples,
    )


def notice_quads(notice: Notice) -> list[Quad]:
    """The same statements as `pyoxigraph.Quad`s, in the same order."""
    return list(pyoxigraph.parse(notice_rdf(notice).nquads, RdfFormat.N_QUADS))


def to_nquads(quads: Iterable[Quad]) -> bytes:
    return _serialize(quads, RdfFormat.N_QUADS)


def to_turtle(triples: Iterable[Triple]) -> bytes:
    return _serialize(triples, RdfFormat.TURTLE)


def _serialize(statements: Iterable[Quad] | Iterable[Triple], fmt: RdfFormat) -> bytes:
    # pyoxigraph, not rdflib: ~100x faster Turtle (docs/architecture.md,
    # measured speeds).
    output = io.BytesIO()
    pyoxigraph.serialize(statements, output, fmt, prefixes=PREFIXES)
    return output.getvalue()


def _date(date: Date) -> str:
    return typed(date.iso, XSD.date)


class _NoticeGraph:
    """Collects the triples of one notice (`triples()`)."""

    def __init__(self, notice: Notice) -> None:
        self.notice = notice
        self.iris = iri.NoticeTerms(notice.id, terms.iri)
        self.node = self.iris.notice
        self.statements: set[tuple[str, str, str]] = set()
        self.annotations = 0
        # The skos:prefLabel of each shared node, so that a second spelling
        # becomes an altLabel (SKOS §5.4 S14: one prefLabel per language).
        self.pref_labels: dict[str, str] = {}

    def add(self, subject: str, predicate: str, obj: str) -> None:
        """One statement; each term is N-Triples text (kg.rdf.terms)."""
        self.statements.add((subject, predicate, obj))

    def triples(self) -> list[tuple[str, str, str]]:
        # The inspection first: the inspected unit's name as the inspection
        # sentence writes it is the organisation's prefLabel, not the
        # publisher's signature (中共三门县投资促进中心党组, the same key).
        self._inspection()
        self._notice()
        for aspect in self.notice.aspects:
            self._aspect(aspect)
        self._regulations()
        self._persons()
        self._documents()
        self._counts()
        return sorted(self.statements)

    def annotate(self, body: str, span: Span) -> str:
        """One oa:Annotation saying `body` was extracted from `span`; returns it.

        Three statements: the annotation's class, its body and its target,
        the span's IRI (`iri.span_iri`: the W3C fragment IRI of the
        oa:SpecificResource with the notice as its source and an
        oa:TextPositionSelector of the offsets). What the Web Annotation
        model lets a graph state once is stated once: the quote is the
        notice's `kg:fullText` between the offsets (no oa:TextQuoteSelector,
        which said again the body's own label in three annotations of four),
        the source and the offsets are in the target's IRI, and every kg
        annotation is oa:identifying (the ontology says so of the corpus, not
        each annotation)."""
        self.annotations += 1
        annotation = self.iris.annotation(self.annotations)
        add = self.add
        add(annotation, RDF.type, OA.Annotation)
        add(annotation, OA.hasBody, body)
        add(annotation, OA.hasTarget, self.iris.span(span.start, span.end))
        return annotation

    # --- the notice and the inspection ----------------------------------------

    def _notice(self) -> None:
        notice, node, add = self.notice, self.node, self.add
        add(node, RDF.type, KG.Notice)
        add(node, DCTERMS.identifier, literal(notice.id))
        add(node, KG.sha256, literal(notice.source.sha256))
        # The text every span's offsets count in, once per notice.
        add(node, KG.fullText, literal(notice.source.text))
        if notice.source.path:
            # The file name only: the same input built from another folder
            # must give the same bytes.
            add(node, DCTERMS.source, literal(PurePath(notice.source.path).name))
        if notice.title is not None:
            add(node, DCTERMS.title, zh(notice.title.text))
            add(node, RDFS.label, zh(notice.title.text))
        else:
            add(node, RDFS.label, literal(notice.id))
        if notice.published is not None:
            add(node, DCTERMS.issued, _date(notice.published))
        if notice.publisher is not None:
            publisher = str(iri.organization_iri(notice.publisher.text))
            self._organization(publisher, notice.publisher.text, notice.publisher)
            add(node, DCTERMS.publisher, publisher)
        add(node, DCTERMS.subject, self.iris.inspection)

    def label(self, node: str, text: str) -> None:
        """The first label of `node` is its prefLabel, any other spelling an
        altLabel (SKOS §5.4: S13 keeps the two disjoint, S14 allows one
        prefLabel per language)."""
        preferred = self.pref_labels.setdefault(node, text)
        if preferred == text:
            self.add(node, SKOS.prefLabel, zh(text))
        else:
            self.add(node, SKOS.altLabel, zh(text))

    def _organization(self, node: str, label: str, span: Span) -> None:
        self.add(node, RDF.type, ORG.Organization)
        self.add(node, RDF.type, PROV.Organization)
        self.label(node, label)
        self.annotate(node, span)

    def _inspection(self) -> None:
        notice, add = self.notice, self.add
        inspection = self.iris.inspection
        add(inspection, RDF.type, KG.Inspection)
        add(inspection, RDFS.label, zh(self._inspection_label()))

        committee = None
        if (body := notice.inspecting_body) is not None:
            committee = str(iri.committee_iri(body.canonical))
            add(committee, RDF.type, KG.PartyCommittee)
            add(committee, RDF.type, ORG.FormalOrganization)
            self._organization(committee, body.canonical, body.span)
            self.label(committee, body.name)
        inspector = committee
        if (group := notice.inspection_group) is not None:
            inspector = str(iri.inspection_group_iri(group.canonical))
            add(inspector, RDF.type, KG.InspectionGroup)
            add(inspector, RDF.type, ORG.OrganizationalUnit)
            self._organization(inspector, group.canonical, group.span)
            self.label(inspector, group.name)
            if committee is not None:
                add(inspector, ORG.unitOf, committee)
        if inspector is not None:
            self._associate(inspector, "inspector", KG.inspector)
        orgs = (notice.inspected_org, *notice.co_inspected)
        for ordinal, org in enumerate(orgs, start=1):
            if org is None:
                continue
            inspected = str(iri.organization_iri(org.name))
            self._organization(inspected, org.name, org.span)
            for alias in org.aliases:  # (以下简称市文旅局)
                self.label(inspected, alias)
            kind = iri.organization_kind_iri(org.kind) if org.kind else None
            if kind is not None:
                add(inspected, ORG.classification, str(kind))
            # a joint inspection: one qualified association per unit
            role = "inspected" if ordinal == 1 else f"inspected-{ordinal}"
            self._associate(inspected, role, KG.inspected)

        # OWL-Time §4.2: the period as a proper interval between two instants.
        ends = (
            ("start", notice.inspection_start, TIME.hasBeginning),
            ("end", notice.inspection_end, TIME.hasEnd),
        )
        for which, date, link in ends:
            if date is None:
                continue
            period, instant = self.iris.period, self.iris.instant(which)
            add(inspection, TIME.hasTime, period)
            add(period, RDF.type, TIME.ProperInterval)
            add(period, link, instant)
            add(instant, RDF.type, TIME.Instant)
            add(instant, TIME.inXSDDate, _date(date))
            self.annotate(instant, date.span)
        if notice.feedback_date is not None:
            add(inspection, KG.feedbackDate, _date(notice.feedback_date))

    def _inspection_label(self) -> str:
        notice = self.notice
        who = (
            notice.inspection_group.canonical
            if notice.inspection_group
            else notice.inspecting_body.canonical
            if notice.inspecting_body
            else ""
        )
        whom = notice.inspected_org.name if notice.inspected_org else ""
        if whom:
            return f"{who}对{whom}的巡察"
        return f"{who}巡察（{notice.id}）"

    def _associate(self, agent: str, role: str, role_node: str) -> None:
        # PROV-O §3.3 qualified association: the agent and the role it played.
        association = self.iris.association(role)
        inspection = self.iris.inspection
        self.add(inspection, PROV.wasAssociatedWith, agent)
        self.add(inspection, PROV.qualifiedAssociation, association)
        self.add(association, RDF.type, PROV.Association)
        self.add(association, PROV.agent, agent)
        self.add(association, PROV.hadRole, role_node)

    # --- findings and measures ------------------------------------------------

    def _finding(self, node: str, kind: str, label: str) -> None:
        self.add(node, RDF.type, kind)
        self.add(node, RDF.type, KG.Finding)
        self.add(node, RDFS.label, zh(label))
        self.add(node, PROV.wasGeneratedBy, self.iris.inspection)

    def _aspect(self, aspect: Aspect) -> None:
        node = self.iris.finding(aspect.path)
        self._finding(node, KG.Aspect, aspect.label.text)
        self.add(node, DCTERMS.identifier, literal(aspect.path))
        self.annotate(node, aspect.label)
        groups: dict[tuple[int, int], str] = {}
        for problem in aspect.problems:
            parent = node
            if problem.group is not None:
                where = (problem.group.start, problem.group.end)
                if where not in groups:
                    groups[where] = self._group(aspect, len(groups) + 1, problem.group)
                parent = groups[where]
            self._problem(problem, parent)

    def _group(self, aspect: Aspect, ordinal: int, label: Span) -> str:
        node = self.iris.group(aspect.path, ordinal)
        self._finding(node, KG.ProblemGroup, label.text)
        self.add(node, DCTERMS.identifier, literal(f"{aspect.path}-g{ordinal}"))
        self.add(node, DCTERMS.isPartOf, self.iris.finding(aspect.path))
        self.annotate(node, label)
        return node

    def _problem(self, problem: Problem, parent: str) -> None:
        node = self.iris.finding(problem.path)
        self._finding(node, KG.Problem, problem.label.text)
        self.add(node, DCTERMS.identifier, literal(problem.path))
        self.add(node, DCTERMS.isPartOf, parent)
        statement = problem.own_text
        self.add(node, DCTERMS.description, zh(statement.text))
        self.annotate(node, statement)
        for category in problem.categories:
            concept = str(iri.category_iri(category))
            self.add(node, DCTERMS.subject, concept)
            self.add(concept, RDF.type, SKOS.Concept)
        if problem.result is not None:
            self.add(node, KG.rectification, zh(problem.result.text))
        for ordinal, measure in enumerate(problem.measures, start=1):
            self._measure(problem, node, ordinal, measure)

    def _measure(
        self, problem: Problem, finding: str, ordinal: int, measure: Measure
    ) -> None:
        # Numbered by position, not by the ordinal written in the text: a
        # problem can restart its numbering (1. 2. … 一是 二是) and two
        # measures must never share an IRI.
        node = self.iris.measure(problem.path, ordinal)
        add = self.add
        add(node, RDF.type, KG.Measure)
        add(node, RDFS.label, zh(measure.span.text))
        add(node, DCTERMS.identifier, literal(f"{problem.path}/{ordinal}"))
        add(node, DCTERMS.type, str(iri.measure_kind_iri(measure.kind)))
        add(node, KG.addresses, finding)
        self.annotate(node, measure.span)

    # --- regulations ----------------------------------------------------------

    def _regulations(self) -> None:
        add = self.add
        for regulation in self.notice.regulations:
            node = str(iri.regulation_iri(regulation.key))
            self._regulation(node, regulation)
            for mention in regulation.mentions:
                self._mention(node, mention, mention.relation)
        titled = {str(iri.regulation_iri(r.key)) for r in self.notice.regulations}
        for rule in self.notice.rule_mentions:
            node = str(iri.regulation_iri(rule.key))
            add(node, RDF.type, ELI.LegalResource)
            self.label(node, rule.canonical)
            if node not in titled:
                # A rule named without 《》 carries no kind of its own; the
                # gazetteer it was found with knows it.
                if rule.kind is not None:
                    add(node, ELI.type_document, str(iri.document_kind_iri(rule.kind)))
                if rule.level:
                    add(node, KG.level, zh(rule.level))
            annotation = self._mention(node, rule, Relation.CITES)
            add(annotation, RDF.type, KG.BareMention)

    def _regulation(self, node: str, regulation: Regulation) -> None:
        add = self.add
        add(node, RDF.type, ELI.LegalResource)
        self.label(node, regulation.canonical)
        self.label(node, regulation.title)
        add(node, ELI.type_document, str(iri.document_kind_iri(regulation.kind)))
        if regulation.level:
            add(node, KG.level, zh(regulation.level))
        if regulation.published:
            add(
                node,
                ELI.date_document,
                typed(regulation.published, XSD.date),
            )

    def _mention(
        self, node: str, mention: RegulationMention | RuleMention,
        relation: Relation,
    ) -> str:
        """Annotate one mention and link the item the linker placed it in to
        the regulation: its measure, else its problem, and always the notice.
        The annotation's dcterms:type says how (cites, studies, enacts,
        violates), so a mention outside any measure keeps its relation too."""
        annotation = self.annotate(node, mention.span)
        self.add(annotation, DCTERMS.type, str(iri.relation_iri(relation)))
        self.add(self.node, DCTERMS.references, node)
        if mention.problem is None:
            return annotation
        if mention.measure is not None:
            holder = self.iris.measure(mention.problem, mention.measure)
            self.add(holder, _MEASURE_RELATIONS[relation], node)
        else:
            link = (KG.violates if relation is Relation.VIOLATES
                    else DCTERMS.references)
            self.add(self.iris.finding(mention.problem), link, node)
        return annotation

    # --- persons, documents, counts -------------------------------------------

    def _persons(self) -> None:
        # W3C ORG §5.3: a person holds a post through an org:Membership with an
        # org:role; the role is a shared concept, the person is per notice.
        org = self.notice.inspected_org
        organization = str(iri.organization_iri(org.name)) if org is not None else None
        add = self.add
        for ordinal, person in enumerate(self.notice.persons, start=1):
            node = self.iris.person(ordinal)
            add(node, RDF.type, PROV.Person)
            add(node, RDF.type, FOAF.Person)
            add(node, RDFS.label, zh(person.name))
            add(node, FOAF.name, zh(person.name))
            self.annotate(node, person.span)
            if not person.role:
                continue
            role = str(iri.role_iri(person.role))
            add(role, RDF.type, ORG.Role)
            self.label(role, person.role)
            membership = self.iris.membership(ordinal)
            add(membership, RDF.type, ORG.Membership)
            add(membership, ORG.member, node)
            add(membership, ORG.role, role)
            if organization is not None:
                add(membership, ORG.organization, organization)
                add(node, ORG.memberOf, organization)

    def _documents(self) -> None:
        for number in self.notice.doc_numbers:
            node = str(iri.document_iri(number.issuer, number.year, number.number))
            self.add(node, RDF.type, KG.OfficialDocument)
            self.add(node, RDFS.label, zh(number.text))
            self.add(node, DCTERMS.identifier, literal(number.text))
            self.add(self.node, DCTERMS.references, node)
            self.annotate(node, number.span)

    def _counts(self) -> None:
        for ordinal, count in enumerate(self.notice.counts, start=1):
            node = self.iris.count(ordinal)
            self.add(self.node, KG.announcedCount, node)
            self.add(node, RDF.type, KG.AnnouncedCount)
            self.add(node, RDFS.label, zh(count.span.text))
            self.add(node, DCTERMS.type, str(iri.count_kind_iri(count.key)))
            self.add(
                node, RDF.value, typed(str(count.value), XSD.integer)
            )
            self.annotate(node, count.span)


