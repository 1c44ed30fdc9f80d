"""Model → RDF: the quads of one notice, of a build run, and serialisers.

Everything extracted from one notice goes into ONE named graph whose IRI is
the notice IRI (docs/architecture.md, Vocabularies: provenance), and each graph is
self-contained: the labels and types of the shared entities it mentions
(regulations, organisations) are repeated in every graph that mentions them,
so a graph can be pushed, replaced or deleted on its own.

Every node that came from the text, and every regulation mention, gets one
`oa:Annotation` whose target selects its span (Web Annotation Data Model
§4.2.3 TextQuoteSelector, §4.2.4 TextPositionSelector: offsets in code points,
which are Python `str` offsets over the NFC text).

Output is deterministic: no blank nodes, IRIs from kg.rdf.iri only, quads
deduplicated and sorted.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import PurePath

import pyoxigraph
from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Triple

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
from kg.rdf import iri
from kg.rdf.namespaces import (
    PREFIXES,
    ox_dcterms,
    ox_eli,
    ox_foaf,
    ox_kg,
    ox_oa,
    ox_org,
    ox_owl,
    ox_prov,
    ox_rdf,
    ox_rdfs,
    ox_skos,
    ox_time,
    ox_xsd,
)

# How a 《》 or rule mention inside a measure links the measure to the
# regulation (docs/architecture.md, citing / enacting). A measure does not violate: a
# `violates` mention inside one is still a reference.
_MEASURE_RELATIONS = {
    Relation.CITES: ox_dcterms.references,
    Relation.STUDIES: ox_kg.studies,
    Relation.ENACTS: ox_kg.enacts,
    Relation.VIOLATES: ox_dcterms.references,
}


def notice_quads(notice: Notice) -> list[Quad]:
    """All triples of `notice` in its named graph, deduplicated and sorted."""
    return _NoticeGraph(notice).quads()


def build_activity_quads(
    notice_iris: Iterable[NamedNode], version: str, started: datetime, ended: datetime,
    generated: Iterable[NamedNode] = (),
) -> list[Quad]:
    """The build run as a `prov:Activity` (PROV-O §3.1) by the kg software at
    `version`, which used each notice and generated (the latest revision of)
    each derived graph in `generated`; in a graph of its own named by the run."""
    activity = iri.build_iri(started)
    software = iri.software_iri(version)
    triples: set[tuple[NamedNode, NamedNode, NamedNode | Literal]] = {
        (activity, ox_rdf.type, ox_prov.Activity),
        (activity, ox_rdfs.label, Literal("kg 构建", language="zh")),
        (activity, ox_rdfs.label, Literal("kg build", language="en")),
        (activity, ox_prov.startedAtTime, _datetime(started)),
        (activity, ox_prov.endedAtTime, _datetime(ended)),
        (activity, ox_prov.wasAssociatedWith, software),
        (software, ox_rdf.type, ox_prov.SoftwareAgent),
        (software, ox_rdfs.label, Literal(f"kg {version}", language="en")),
        (software, ox_owl.versionInfo, Literal(version)),
    }
    triples.update((activity, ox_prov.used, notice) for notice in notice_iris)
    triples.update((activity, ox_prov.generated, graph) for graph in generated)
    return sorted((Quad(s, p, o, activity) for s, p, o in triples), key=str)


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


def _datetime(moment: datetime) -> Literal:
    return Literal(moment.astimezone(UTC).isoformat(), datatype=ox_xsd.dateTime)


def _date(date: Date) -> Literal:
    return Literal(date.iso, datatype=ox_xsd.date)


def _zh(text: str) -> Literal:
    return Literal(text, language="zh")


Object = NamedNode | Literal


class _NoticeGraph:
    """Collects the triples of one notice; `quads()` puts them in its graph."""

    def __init__(self, notice: Notice) -> None:
        self.notice = notice
        self.iris = iri.NoticeIris(notice.id)
        self.node = self.iris.notice
        self.triples: set[tuple[NamedNode, NamedNode, Object]] = set()
        self.annotations = 0
        # The skos:prefLabel of each shared node, so that a second spelling
        # becomes an altLabel (SKOS §5.4 S14: one prefLabel per language).
        self.pref_labels: dict[NamedNode, str] = {}

    def add(self, subject: NamedNode, predicate: NamedNode, obj: Object) -> None:
        self.triples.add((subject, predicate, obj))

    def quads(self) -> list[Quad]:
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
        graph = self.node
        return sorted((Quad(s, p, o, graph) for s, p, o in self.triples), key=str)

    def annotate(self, body: NamedNode, span: Span) -> NamedNode:
        """One oa:Annotation saying `body` was extracted from `span`; returns it."""
        self.annotations += 1
        n = self.annotations
        annotation, target = self.iris.annotation(n), self.iris.target(n)
        position, quote = self.iris.position(n), self.iris.quote(n)
        add = self.add
        add(annotation, ox_rdf.type, ox_oa.Annotation)
        add(annotation, ox_oa.motivatedBy, ox_oa.identifying)
        add(annotation, ox_oa.hasBody, body)
        add(annotation, ox_oa.hasTarget, target)
        add(target, ox_rdf.type, ox_oa.SpecificResource)
        add(target, ox_oa.hasSource, self.node)
        add(target, ox_oa.hasSelector, position)
        add(target, ox_oa.hasSelector, quote)
        add(position, ox_rdf.type, ox_oa.TextPositionSelector)
        add(position, ox_oa.start, _offset(span.start))
        add(position, ox_oa.end, _offset(span.end))
        add(quote, ox_rdf.type, ox_oa.TextQuoteSelector)
        add(quote, ox_oa.exact, Literal(span.text))
        return annotation

    # --- the notice and the inspection ----------------------------------------

    def _notice(self) -> None:
        notice, node, add = self.notice, self.node, self.add
        add(node, ox_rdf.type, ox_kg.Notice)
        add(node, ox_dcterms.identifier, Literal(notice.id))
        add(node, ox_kg.sha256, Literal(notice.source.sha256))
        if notice.source.path:
            # The file name only: the same input built from another folder
            # must give the same bytes.
            add(node, ox_dcterms.source, Literal(PurePath(notice.source.path).name))
        if notice.title is not None:
            add(node, ox_dcterms.title, _zh(notice.title.text))
            add(node, ox_rdfs.label, _zh(notice.title.text))
        else:
            add(node, ox_rdfs.label, Literal(notice.id))
        if notice.published is not None:
            add(node, ox_dcterms.issued, _date(notice.published))
        if notice.publisher is not None:
            publisher = iri.organization_iri(notice.publisher.text)
            self._organization(publisher, notice.publisher.text, notice.publisher)
            add(node, ox_dcterms.publisher, publisher)
        add(node, ox_dcterms.subject, self.iris.inspection)

    def label(self, node: NamedNode, text: str) -> None:
        """The first label of `node` is its prefLabel, any other spelling an
        altLabel (SKOS §5.4: S13 keeps the two disjoint, S14 allows one
        prefLabel per language)."""
        preferred = self.pref_labels.setdefault(node, text)
        if preferred == text:
            self.add(node, ox_skos.prefLabel, _zh(text))
        else:
            self.add(node, ox_skos.altLabel, _zh(text))

    def _organization(self, node: NamedNode, label: str, span: Span) -> None:
        self.add(node, ox_rdf.type, ox_org.Organization)
        self.add(node, ox_rdf.type, ox_prov.Organization)
        self.label(node, label)
        self.annotate(node, span)

    def _inspection(self) -> None:
        notice, add = self.notice, self.add
        inspection = self.iris.inspection
        add(inspection, ox_rdf.type, ox_kg.Inspection)
        add(inspection, ox_rdfs.label, _zh(self._inspection_label()))

        committee = None
        if (body := notice.inspecting_body) is not None:
            committee = iri.committee_iri(body.canonical)
            add(committee, ox_rdf.type, ox_kg.PartyCommittee)
            add(committee, ox_rdf.type, ox_org.FormalOrganization)
            self._organization(committee, body.canonical, body.span)
            self.label(committee, body.name)
        inspector = committee
        if (group := notice.inspection_group) is not None:
            inspector = iri.inspection_group_iri(group.canonical)
            add(inspector, ox_rdf.type, ox_kg.InspectionGroup)
            add(inspector, ox_rdf.type, ox_org.OrganizationalUnit)
            self._organization(inspector, group.canonical, group.span)
            self.label(inspector, group.name)
            if committee is not None:
                add(inspector, ox_org.unitOf, committee)
        if inspector is not None:
            self._associate(inspector, "inspector", ox_kg.inspector)
        orgs = (notice.inspected_org, *notice.co_inspected)
        for ordinal, org in enumerate(orgs, start=1):
            if org is None:
                continue
            inspected = iri.organization_iri(org.name)
            self._organization(inspected, org.name, org.span)
            for alias in org.aliases:  # (以下简称市文旅局)
                self.label(inspected, alias)
            kind = iri.organization_kind_iri(org.kind) if org.kind else None
            if kind is not None:
                add(inspected, ox_org.classification, kind)
            # a joint inspection: one qualified association per unit
            role = "inspected" if ordinal == 1 else f"inspected-{ordinal}"
            self._associate(inspected, role, ox_kg.inspected)

        # OWL-Time §4.2: the period as a proper interval between two instants.
        ends = (
            ("start", notice.inspection_start, ox_time.hasBeginning),
            ("end", notice.inspection_end, ox_time.hasEnd),
        )
        for which, date, link in ends:
            if date is None:
                continue
            period, instant = self.iris.period, self.iris.instant(which)
            add(inspection, ox_time.hasTime, period)
            add(period, ox_rdf.type, ox_time.ProperInterval)
            add(period, link, instant)
            add(instant, ox_rdf.type, ox_time.Instant)
            add(instant, ox_time.inXSDDate, _date(date))
            self.annotate(instant, date.span)
        if notice.feedback_date is not None:
            add(inspection, ox_kg.feedbackDate, _date(notice.feedback_date))

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

    def _associate(self, agent: NamedNode, role: str, role_node: NamedNode) -> None:
        # PROV-O §3.3 qualified association: the agent and the role it played.
        association = self.iris.association(role)
        inspection = self.iris.inspection
        self.add(inspection, ox_prov.wasAssociatedWith, agent)
        self.add(inspection, ox_prov.qualifiedAssociation, association)
        self.add(association, ox_rdf.type, ox_prov.Association)
        self.add(association, ox_prov.agent, agent)
        self.add(association, ox_prov.hadRole, role_node)

    # --- findings and measures ------------------------------------------------

    def _finding(self, node: NamedNode, kind: NamedNode, label: str) -> None:
        self.add(node, ox_rdf.type, kind)
        self.add(node, ox_rdf.type, ox_kg.Finding)
        self.add(node, ox_rdfs.label, _zh(label))
        self.add(node, ox_prov.wasGeneratedBy, self.iris.inspection)

    def _aspect(self, aspect: Aspect) -> None:
        node = self.iris.finding(aspect.path)
        self._finding(node, ox_kg.Aspect, aspect.label.text)
        self.add(node, ox_dcterms.identifier, Literal(aspect.path))
        self.annotate(node, aspect.label)
        groups: dict[tuple[int, int], NamedNode] = {}
        for problem in aspect.problems:
            parent = node
            if problem.group is not None:
                where = (problem.group.start, problem.group.end)
                if where not in groups:
                    groups[where] = self._group(aspect, len(groups) + 1, problem.group)
                parent = groups[where]
            self._problem(problem, parent)

    def _group(self, aspect: Aspect, ordinal: int, label: Span) -> NamedNode:
        node = self.iris.group(aspect.path, ordinal)
        self._finding(node, ox_kg.ProblemGroup, label.text)
        self.add(node, ox_dcterms.identifier, Literal(f"{aspect.path}-g{ordinal}"))
        self.add(node, ox_dcterms.isPartOf, self.iris.finding(aspect.path))
        self.annotate(node, label)
        return node

    def _problem(self, problem: Problem, parent: NamedNode) -> None:
        node = self.iris.finding(problem.path)
        self._finding(node, ox_kg.Problem, problem.label.text)
        self.add(node, ox_dcterms.identifier, Literal(problem.path))
        self.add(node, ox_dcterms.isPartOf, parent)
        statement = _statement(problem)
        self.add(node, ox_dcterms.description, _zh(statement.text))
        self.annotate(node, statement)
        for category in problem.categories:
            concept = iri.category_iri(category)
            self.add(node, ox_dcterms.subject, concept)
            self.add(concept, ox_rdf.type, ox_skos.Concept)
        if problem.result is not None:
            self.add(node, ox_kg.rectification, _zh(problem.result.text))
        for ordinal, measure in enumerate(problem.measures, start=1):
            self._measure(problem, node, ordinal, measure)

    def _measure(
        self, problem: Problem, finding: NamedNode, ordinal: int, measure: Measure
    ) -> None:
        # Numbered by position, not by the ordinal written in the text: a
        # problem can restart its numbering (1. 2. … 一是 二是) and two
        # measures must never share an IRI.
        node = self.iris.measure(problem.path, ordinal)
        add = self.add
        add(node, ox_rdf.type, ox_kg.Measure)
        add(node, ox_rdfs.label, _zh(measure.span.text))
        add(node, ox_dcterms.identifier, Literal(f"{problem.path}/{ordinal}"))
        add(node, ox_dcterms.type, iri.measure_kind_iri(measure.kind))
        add(node, ox_kg.addresses, finding)
        self.annotate(node, measure.span)

    # --- regulations ----------------------------------------------------------

    def _regulations(self) -> None:
        add = self.add
        for regulation in self.notice.regulations:
            node = iri.regulation_iri(regulation.key)
            self._regulation(node, regulation)
            for mention in regulation.mentions:
                self._mention(node, mention, mention.relation)
        titled = {iri.regulation_iri(r.key) for r in self.notice.regulations}
        for rule in self.notice.rule_mentions:
            node = iri.regulation_iri(rule.key)
            add(node, ox_rdf.type, ox_eli.LegalResource)
            self.label(node, rule.canonical)
            if node not in titled:
                # A rule named without 《》 carries no kind of its own; the
                # gazetteer it was found with knows it.
                if rule.kind is not None:
                    add(node, ox_eli.type_document, iri.document_kind_iri(rule.kind))
                if rule.level:
                    add(node, ox_kg.level, _zh(rule.level))
            annotation = self._mention(node, rule, Relation.CITES)
            add(annotation, ox_rdf.type, ox_kg.BareMention)

    def _regulation(self, node: NamedNode, regulation: Regulation) -> None:
        add = self.add
        add(node, ox_rdf.type, ox_eli.LegalResource)
        self.label(node, regulation.canonical)
        self.label(node, regulation.title)
        add(node, ox_eli.type_document, iri.document_kind_iri(regulation.kind))
        if regulation.level:
            add(node, ox_kg.level, _zh(regulation.level))
        if regulation.published:
            add(
                node,
                ox_eli.date_document,
                Literal(regulation.published, datatype=ox_xsd.date),
            )

    def _mention(
        self, node: NamedNode, mention: RegulationMention | RuleMention,
        relation: Relation,
    ) -> NamedNode:
        """Annotate one mention and link the item the linker placed it in to
        the regulation: its measure, else its problem, and always the notice.
        The annotation's dcterms:type says how (cites, studies, enacts,
        violates), so a mention outside any measure keeps its relation too."""
        annotation = self.annotate(node, mention.span)
        self.add(annotation, ox_dcterms.type, iri.relation_iri(relation))
        self.add(self.node, ox_dcterms.references, node)
        if mention.problem is None:
            return annotation
        if mention.measure is not None:
            holder = self.iris.measure(mention.problem, mention.measure)
            self.add(holder, _MEASURE_RELATIONS[relation], node)
        else:
            link = (ox_kg.violates if relation is Relation.VIOLATES
                    else ox_dcterms.references)
            self.add(self.iris.finding(mention.problem), link, node)
        return annotation

    # --- persons, documents, counts -------------------------------------------

    def _persons(self) -> None:
        # W3C ORG §5.3: a person holds a post through an org:Membership with an
        # org:role; the role is a shared concept, the person is per notice.
        org = self.notice.inspected_org
        organization = iri.organization_iri(org.name) if org is not None else None
        add = self.add
        for ordinal, person in enumerate(self.notice.persons, start=1):
            node = self.iris.person(ordinal)
            add(node, ox_rdf.type, ox_prov.Person)
            add(node, ox_rdf.type, ox_foaf.Person)
            add(node, ox_rdfs.label, _zh(person.name))
            add(node, ox_foaf.name, _zh(person.name))
            self.annotate(node, person.span)
            if not person.role:
                continue
            role = iri.role_iri(person.role)
            add(role, ox_rdf.type, ox_org.Role)
            self.label(role, person.role)
            membership = self.iris.membership(ordinal)
            add(membership, ox_rdf.type, ox_org.Membership)
            add(membership, ox_org.member, node)
            add(membership, ox_org.role, role)
            if organization is not None:
                add(membership, ox_org.organization, organization)
                add(node, ox_org.memberOf, organization)

    def _documents(self) -> None:
        for number in self.notice.doc_numbers:
            node = iri.document_iri(number.issuer, number.year, number.number)
            self.add(node, ox_rdf.type, ox_kg.OfficialDocument)
            self.add(node, ox_rdfs.label, _zh(number.text))
            self.add(node, ox_dcterms.identifier, Literal(number.text))
            self.add(self.node, ox_dcterms.references, node)
            self.annotate(node, number.span)

    def _counts(self) -> None:
        for ordinal, count in enumerate(self.notice.counts, start=1):
            node = self.iris.count(ordinal)
            self.add(self.node, ox_kg.announcedCount, node)
            self.add(node, ox_rdf.type, ox_kg.AnnouncedCount)
            self.add(node, ox_rdfs.label, _zh(count.span.text))
            self.add(node, ox_dcterms.type, iri.count_kind_iri(count.key))
            self.add(
                node, ox_rdf.value, Literal(str(count.value), datatype=ox_xsd.integer)
            )
            self.annotate(node, count.span)


def _offset(value: int) -> Literal:
    return Literal(str(value), datatype=ox_xsd.nonNegativeInteger)


def _statement(problem: Problem) -> Span:
    """The problem's own text (its label where the model has no statement)."""
    return problem.statement if problem.statement is not None else problem.label
