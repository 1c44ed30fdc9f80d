"""One notice graph's triples → the `NoticeData` its pages show.

The triples come from the notice's own Turtle file (`notices/<id>.ttl`, which
every build writes beside the store) or, without it, from the store's graph
(`kg.pagedata`). They are matched here in Python, one graph at a time, so
gathering costs time in proportion to the corpus: at 1,000 notices the
whole-store SELECTs this replaces spent 31 s mostly looking up the terms of
their joins in the store (the position and quote selectors of 142 k
annotations alone took 20 s), where parsing the same graphs from their
Turtle files takes 3 ms a notice.

The patterns are those of kg/rdf/build.py: the notice `dcterms:subject` its
inspection (periods as `time:hasTime`, parties as qualified associations),
findings and measures with their labels, regulations linked by the relations
of `REGULATION_LINKS`, and one `oa:Annotation` per fact whose target carries
a position selector into the notice's `kg:fullText` (architecture:
Vocabularies).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Final

from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDF, RDFS, SKOS, TIME

from kg.pagedata import (
    INSPECTED,
    MEASURE,
    PROBLEM,
    REGULATION_LINKS,
    Finding,
    LinkItem,
    Measure,
    NoticeData,
    Party,
    PersonNode,
    tail,
)
from kg.rdf.iri import span_of
from kg.rdf.namespaces import ELI, KG, OA

TYPE: Final = str(RDF.type)
LABEL: Final = str(RDFS.label)
PREF_LABEL: Final = str(SKOS.prefLabel)
ALT_LABEL: Final = str(SKOS.altLabel)
LEGAL_RESOURCE: Final = str(ELI.LegalResource)
_FINDING_KINDS: Final = frozenset(str(kind) for kind in (
    KG.Aspect, KG.ProblemGroup, KG.Problem))

_IDENTIFIER, _SUBJECT, _DCT_TYPE, _TITLE, _ISSUED, _SOURCE, _PART_OF = (
    str(DCTERMS.identifier), str(DCTERMS.subject), str(DCTERMS.type),
    str(DCTERMS.title), str(DCTERMS.issued), str(DCTERMS.source),
    str(DCTERMS.isPartOf))
_NOTICE, _ANNOUNCED, _FEEDBACK, _COMMITTEE, _FINDING, _ADDRESSES = (
    str(KG.Notice), str(KG.announcedCount), str(KG.feedbackDate),
    str(KG.PartyCommittee), str(KG.Finding), str(KG.addresses))
_VALUE, _DOCUMENT_KIND, _NAME = str(RDF.value), str(ELI.type_document), str(FOAF.name)
_HAS_TIME, _BEGINNING, _END_OF, _IN_DATE = (
    str(TIME.hasTime), str(TIME.hasBeginning), str(TIME.hasEnd), str(TIME.inXSDDate))
_ASSOCIATION, _ROLE, _AGENT, _PERSON = (
    str(PROV.qualifiedAssociation), str(PROV.hadRole), str(PROV.agent),
    str(PROV.Person))
_UNIT_OF, _MEMBER, _ORG_ROLE, _MEMBER_OF = (
    str(ORG.unitOf), str(ORG.member), str(ORG.role), str(ORG.memberOf))
_BODY, _TARGET, _FULL_TEXT = str(OA.hasBody), str(OA.hasTarget), str(KG.fullText)

Triple = tuple[str, str, str]


class _Graph:
    """A notice graph indexed by subject: subject → predicate → objects."""

    def __init__(self, triples: Iterable[Triple]) -> None:
        # Plain dicts filled by setdefault: this loop runs once per triple
        # of the corpus, and a defaultdict of defaultdicts was a third of it.
        self.out: dict[str, dict[str, list[str]]] = {}
        self.types: dict[str, set[str]] = defaultdict(set)
        types = self.types
        out = self.out
        for subject, predicate, obj in triples:
            if predicate == TYPE:
                types[subject].add(obj)
            else:
                out.setdefault(subject, {}).setdefault(predicate, []).append(obj)

    def all(self, subject: str, predicate: str) -> list[str]:
        found = self.out.get(subject)
        return sorted(found.get(predicate, ())) if found else []

    def one(self, subject: str, predicate: str) -> str | None:
        values = self.all(subject, predicate)
        return values[0] if values else None

    def of_type(self, kind: str) -> list[str]:
        return sorted(s for s, kinds in self.types.items() if kind in kinds)


def notice_data(iri: str, triples: Iterable[Triple]) -> NoticeData | None:
    """The notice `iri` as its pages read it, from the triples of its graph;
    None when the graph states no notice there (no id or no inspection)."""
    graph = _Graph(triples)
    identifier = graph.one(iri, _IDENTIFIER)
    inspections = graph.all(iri, _SUBJECT)
    if identifier is None or not inspections or _NOTICE not in graph.types[iri]:
        return None
    notice = NoticeData(iri, identifier)
    notice.basics = _basics(graph, iri, inspections)
    _parties(graph, notice, inspections)
    _findings(graph, notice)
    _links(graph, notice)
    _persons(graph, notice)
    for count in graph.all(iri, _ANNOUNCED):
        kind, value = graph.one(count, _DCT_TYPE), graph.one(count, _VALUE)
        if kind is not None and value is not None:
            notice.announced[tail(kind).replace("-", "_")] = int(value)
    notice.spans = _spans(graph, graph.one(iri, _FULL_TEXT) or "")
    notice.link_items = _link_items(notice)
    known, counts = notice.by_iri, notice.measure_counts
    notice.problem_facts = {problem: (known[problem].label, counts.get(problem, 0))
                            for problem, _ in notice.subjects if problem in known}
    notice.findings.sort(key=lambda f: (_path_key(f.path), f.problem, f.iri))
    notice.measures.sort(key=lambda m: (_span_start(notice, m.iri), m.iri))
    return notice


def _basics(graph: _Graph, iri: str, inspections: list[str]) -> dict[str, str]:
    basics = {key: value for key, value in (
        ("title", graph.one(iri, _TITLE)),
        ("issued", graph.one(iri, _ISSUED)),
        ("source", graph.one(iri, _SOURCE))) if value is not None}
    starts: list[str] = []
    ends: list[str] = []
    feedback: list[str] = []
    for inspection in inspections:
        for interval in graph.all(inspection, _HAS_TIME):
            for which, dates in ((_BEGINNING, starts), (_END_OF, ends)):
                for instant in graph.all(interval, which):
                    dates.extend(graph.all(instant, _IN_DATE))
        feedback.extend(graph.all(inspection, _FEEDBACK))
    for key, dates, pick in (("start", starts, min), ("end", ends, max),
                             ("fb", feedback, min)):
        if dates:
            basics[key] = pick(dates)
    return basics


def _parties(graph: _Graph, notice: NoticeData, inspections: list[str]) -> None:
    seen: set[str] = set()
    for inspection in inspections:
        for association in graph.all(inspection, _ASSOCIATION):
            role = graph.one(association, _ROLE)
            for agent in graph.all(association, _AGENT):
                label = graph.one(agent, PREF_LABEL)
                if role is None or label is None or agent in seen:
                    continue
                seen.add(agent)
                _add_party(graph, notice, agent, label, role == INSPECTED)
    notice.parties.sort(key=lambda p: (not p.inspected, p.label, p.iri))


def _add_party(graph: _Graph, notice: NoticeData, agent: str, label: str,
               inspected: bool) -> None:
    committee = _COMMITTEE in graph.types.get(agent, ())
    unit_of = None
    for parent in graph.all(agent, _UNIT_OF):
        parent_label = graph.one(parent, PREF_LABEL)
        if parent_label is not None:
            unit_of = (parent, parent_label)
            break
    notice.parties.append(Party(agent, label, inspected, committee, unit_of))
    if inspected:
        notice.basics.setdefault("org", label)
    elif committee:
        notice.basics.setdefault("com", label)
    else:
        notice.basics.setdefault("grp", label)
        if unit_of is not None:
            notice.basics.setdefault("com", unit_of[1])


def _findings(graph: _Graph, notice: NoticeData) -> None:
    for item in graph.of_type(_FINDING):
        for kind in sorted(graph.types[item] & _FINDING_KINDS):
            for label in graph.all(item, LABEL):
                notice.findings.append(Finding(
                    item, kind == PROBLEM, label, graph.one(item, _PART_OF),
                    graph.one(item, _IDENTIFIER) or ""))
    for item in graph.of_type(MEASURE):
        kind = tail(graph.one(item, _DCT_TYPE) or "other")
        for label in graph.all(item, LABEL):
            for problem in graph.all(item, _ADDRESSES):
                notice.measures.append(Measure(item, label, problem, kind))
    for problem in graph.of_type(PROBLEM):
        for category in graph.all(problem, _SUBJECT):
            notice.subjects.add((problem, category))


def _links(graph: _Graph, notice: NoticeData) -> None:
    """The regulations the notice, its problems and measures point at, with
    their labels and kinds as this graph states them."""
    regulations = set(graph.of_type(LEGAL_RESOURCE))
    for subject, predicates in graph.out.items():
        for relation in REGULATION_LINKS:
            for regulation in predicates.get(relation, ()):
                if regulation in regulations:
                    notice.links.add((subject, relation, regulation))
    for regulation in regulations:
        preferred = graph.all(regulation, PREF_LABEL)
        if not preferred:
            continue
        kind = graph.one(regulation, _DOCUMENT_KIND)
        notice.regulation_labels[regulation] = (
            preferred[0], tail(kind).replace("-", "_") if kind else None)
        notice.regulation_names[regulation] = sorted(
            {*preferred, *graph.all(regulation, ALT_LABEL)})


def _link_items(notice: NoticeData) -> dict[str, LinkItem]:
    """The measures and problems that mention a regulation, as a regulation's
    page shows them (a summary keeps this without the other items)."""
    known = notice.by_iri
    items: dict[str, LinkItem] = {}
    for source, _, _ in notice.links:
        item = known.get(source)
        if isinstance(item, Measure):
            kind, problem = "measure", item.problem
        elif isinstance(item, Finding) and item.problem:
            kind, problem = "problem", source
        else:
            continue
        addressed = known.get(problem)
        if isinstance(addressed, Finding) and addressed.problem:
            items[source] = LinkItem(kind, item.label, (problem, addressed.label))
        else:
            items[source] = LinkItem(kind, item.label, None)
    return items


def _persons(graph: _Graph, notice: NoticeData) -> None:
    roles: dict[str, list[str]] = defaultdict(list)
    for membership, predicates in graph.out.items():
        for person in predicates.get(_MEMBER, ()):
            for position in graph.all(membership, _ORG_ROLE):
                roles[person].extend(graph.all(position, PREF_LABEL))
    for person in graph.of_type(_PERSON):
        organizations: list[str | None] = [
            *graph.all(person, _MEMBER_OF)] or [None]
        person_roles: list[str | None] = [*sorted(roles[person])] or [None]
        for name in graph.all(person, _NAME):
            for role in person_roles:
                for organization in organizations:
                    notice.persons.append(PersonNode(person, name, role, organization))


def _spans(graph: _Graph, text: str) -> dict[str, tuple[int, int, str]]:
    """Each annotated node's first span: (start, end, its text), the text read
    from the notice's `kg:fullText` between the offsets of the target's span
    IRI (kg.rdf.iri.span_iri)."""
    spans: dict[str, tuple[int, int, str]] = {}
    for predicates in graph.out.values():
        bodies = predicates.get(_BODY)
        if not bodies:
            continue
        for target in predicates.get(_TARGET, ()):
            found = span_of(target)
            if found is None:
                continue
            _, first, last = found
            span = (first, last, text[first:last])
            for body in bodies:
                if body not in spans or span < spans[body]:
                    spans[body] = span
    return spans


def _span_start(notice: NoticeData, iri: str) -> int:
    span = notice.spans.get(iri)
    return span[0] if span else -1


def _path_key(path: str) -> tuple[int | str, ...]:
    return tuple(int(part) if part.isdigit() else part
                 for part in path.replace("-g", "-").split("-"))
