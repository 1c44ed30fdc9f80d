"""The whole-store queries behind `Corpus.notices`: one SELECT per kind of
item (parties, findings, measures, regulation links, categories, persons,
text spans), each matched inside every notice graph at once, sorted into one
`NoticeData` per notice."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.pagedata import (
    INSPECTED,
    PROBLEM,
    Finding,
    Measure,
    NoticeData,
    Party,
    PersonNode,
    tail,
)

if TYPE_CHECKING:
    from kg.pagedata import Corpus

_BASICS = """
?n dcterms:identifier ?id ; dcterms:subject ?inspection .
OPTIONAL { ?n dcterms:title ?title }
OPTIONAL { ?n dcterms:issued ?issued }
OPTIONAL { ?n dcterms:source ?source }
OPTIONAL { ?inspection time:hasTime/time:hasBeginning/time:inXSDDate ?start }
OPTIONAL { ?inspection time:hasTime/time:hasEnd/time:inXSDDate ?end }
OPTIONAL { ?inspection kg:feedbackDate ?fb }"""
_BASICS_SELECT = (
    "?n (SAMPLE(?id) AS ?nid) (SAMPLE(?title) AS ?t) (SAMPLE(?issued) AS ?iss) "
    "(SAMPLE(?source) AS ?src) (MIN(?start) AS ?s) (MAX(?end) AS ?e) "
    "(SAMPLE(?fb) AS ?f)"
)
_PARTIES = """
?n dcterms:subject ?inspection .
?inspection prov:qualifiedAssociation ?a . ?a prov:hadRole ?role ; prov:agent ?agent .
?agent skos:prefLabel ?label .
OPTIONAL { ?agent a ?type . FILTER(?type = kg:PartyCommittee) }
OPTIONAL { ?agent org:unitOf ?committee . ?committee skos:prefLabel ?committeeLabel }"""
_FINDINGS = """
?f a kg:Finding , ?kind ; rdfs:label ?label .
FILTER(?kind IN (kg:Aspect, kg:ProblemGroup, kg:Problem))
OPTIONAL { ?f dcterms:isPartOf ?parent }
OPTIONAL { ?f dcterms:identifier ?path }"""
_MEASURES = """
?m a kg:Measure ; rdfs:label ?label ; kg:addresses ?problem .
OPTIONAL { ?m dcterms:type ?kind }"""
_LINKS = """
?x ?p ?r . ?r a eli:LegalResource .
FILTER(?p IN (dcterms:references, kg:studies, kg:enacts, kg:violates))"""
_SUBJECTS = "?p a kg:Problem ; dcterms:subject ?c ."
_PERSONS = """
?person a prov:Person ; foaf:name ?name .
OPTIONAL { ?membership org:member ?person ; org:role/skos:prefLabel ?role }
OPTIONAL { ?person org:memberOf ?organization }"""
_ANNOUNCED = "?n kg:announcedCount ?c . ?c dcterms:type ?kind ; rdf:value ?value ."
# An annotation's position and quote selectors, read apart and joined here on
# the annotation: the store evaluates the two short paths several times
# faster than the one pattern that joins both selectors of every target.
_POSITIONS = """
?a oa:hasBody ?body ; oa:hasTarget/oa:hasSelector ?p .
?p oa:start ?start ; oa:end ?end ."""
_QUOTES = "?a oa:hasTarget/oa:hasSelector ?q . ?q oa:exact ?exact ."


def gather_notices(corpus: Corpus) -> dict[str, NoticeData]:
    """Notice IRI → everything its pages show, sorted by notice id."""
    notices: dict[str, NoticeData] = {}
    for row in corpus.per_notice(_BASICS, _BASICS_SELECT, "?n"):
        notice = notices[row["n"]] = NoticeData(row["n"], row["nid"])
        notice.basics = {key: row[name] for key, name in (
            ("title", "t"), ("issued", "iss"), ("source", "src"), ("start", "s"),
            ("end", "e"), ("fb", "f")) if name in row}
    _gather_parties(corpus, notices)
    for row in corpus.per_notice(_FINDINGS):
        notices[row["n"]].findings.append(Finding(
            row["f"], row["kind"] == PROBLEM, row["label"], row.get("parent"),
            row.get("path", "")))
    for row in corpus.per_notice(_MEASURES):
        notices[row["n"]].measures.append(Measure(
            row["m"], row["label"], row["problem"], tail(row.get("kind", "other"))))
    for row in corpus.per_notice(_LINKS, "DISTINCT ?n ?x ?p ?r"):
        notices[row["n"]].links.add((row["x"], row["p"], row["r"]))
    for row in corpus.per_notice(_SUBJECTS, "DISTINCT ?n ?p ?c"):
        notices[row["n"]].subjects.add((row["p"], row["c"]))
    for row in corpus.per_notice(_PERSONS):
        notices[row["n"]].persons.append(PersonNode(
            row["person"], row["name"], row.get("role"), row.get("organization")))
    for row in corpus.per_notice(_ANNOUNCED):
        kind = tail(row["kind"]).replace("-", "_")
        notices[row["n"]].announced[kind] = int(row["value"])
    _gather_spans(corpus, notices)
    for notice in notices.values():
        notice.findings.sort(key=lambda f: _path_key(f.path))
        notice.measures.sort(key=lambda m: (_span_start(notice, m.iri), m.iri))
    return dict(sorted(notices.items(), key=lambda item: item[1].id))


def _gather_spans(corpus: Corpus, notices: dict[str, NoticeData]) -> None:
    """Each node's first annotated span: (start, end, exact text)."""
    quotes = {(row["n"], row["a"]): row["exact"]
              for row in corpus.per_notice(_QUOTES, "?n ?a ?exact")}
    for row in corpus.per_notice(_POSITIONS, "?n ?a ?body ?start ?end"):
        exact = quotes.get((row["n"], row["a"]))
        if exact is None:
            continue
        spans = notices[row["n"]].spans
        span = (int(row["start"]), int(row["end"]), exact)
        if row["body"] not in spans or span < spans[row["body"]]:
            spans[row["body"]] = span


def _gather_parties(corpus: Corpus, notices: dict[str, NoticeData]) -> None:
    seen: set[tuple[str, str]] = set()
    for row in corpus.per_notice(_PARTIES):
        notice = notices[row["n"]]
        if (notice.iri, row["agent"]) in seen:
            continue
        seen.add((notice.iri, row["agent"]))
        inspected = row["role"] == INSPECTED
        committee = "type" in row
        unit_of = ((row["committee"], row["committeeLabel"])
                   if "committee" in row else None)
        notice.parties.append(Party(row["agent"], row["label"], inspected,
                                    committee, unit_of))
        if inspected:
            notice.basics.setdefault("org", row["label"])
        elif committee:
            notice.basics.setdefault("com", row["label"])
        else:
            notice.basics.setdefault("grp", row["label"])
            if unit_of is not None:
                notice.basics.setdefault("com", unit_of[1])
    for notice in notices.values():
        notice.parties.sort(key=lambda p: (not p.inspected, p.label, p.iri))


def _span_start(notice: NoticeData, iri: str) -> int:
    span = notice.spans.get(iri)
    return span[0] if span else -1


def _path_key(path: str) -> tuple[int | str, ...]:
    return tuple(int(part) if part.isdigit() else part
                 for part in path.replace("-g", "-").split("-"))
