"""The networkx projection of the built store, for the HTML views and Gephi.

Everything here reads the store through SPARQL (`kg.store.run_query`) over the
vocabulary of ontology/kg.ttl, so pyoxigraph stays inside kg/rdf and
kg/store.py. Each notice's triples sit in a named graph whose IRI is the
notice IRI (DESIGN.md, provenance), so ``GRAPH ?notice { … }`` says which
notice a finding or measure belongs to without walking the outline.

Nodes are keyed by IRI and carry the attributes `kg.viz` reads: ``type``,
``label``, and where known ``text``, ``notice``, ``start``, ``end``, ``iri``,
``count`` and ``facts``. Edges carry the relation as ``label``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Final

import networkx as nx

from kg.errors import KgError
from kg.store import run_query

KG: Final = "https://w3id.org/kg-inspection/ontology#"
_PREFIXES: Final = f"""\
PREFIX kg: <{KG}>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX time: <http://www.w3.org/2006/time#>
"""

# How a measure or a problem points at a regulation (kg/rdf/build.py) → the
# relation name on the edge.
_REGULATION_LINKS: Final = {
    "http://purl.org/dc/terms/references": "cites",
    KG + "studies": "studies",
    KG + "enacts": "enacts",
    KG + "violates": "violates",
}
_COUNT_NAMES: Final = {
    "aspects": "方面 aspects",
    "categories": "类 categories",
    "problems": "问题 problems",
    "rectified": "已整改 rectified",
    "measures": "措施 measures",
    "tasks": "任务 tasks",
    "tasks_done": "已完成任务 tasks done",
}


# --- rows for the index page ------------------------------------------------


@dataclass(frozen=True, slots=True)
class NoticeRow:
    """One notice as the index and the side panel show it."""

    id: str
    iri: str
    title: str | None
    issued: str | None  # YYYY-MM-DD
    organization: str | None  # the inspected unit
    committee: str | None  # the inspecting body (党委)
    group: str | None  # the inspection group
    inspection_start: str | None
    inspection_end: str | None
    feedback_date: str | None
    source: str | None  # the input file name
    problems: int
    measures: int
    regulations: int
    announced: dict[str, int] = field(default_factory=dict)  # count kind → value


@dataclass(frozen=True, slots=True)
class RegulationRow:
    iri: str
    label: str  # the canonical title
    kind: str | None  # law | party_regulation | normative_document | other
    notices: tuple[str, ...]  # ids of the notices that mention it

    @property
    def slug(self) -> str:
        """The last IRI segment: a short hash, safe as a file name."""
        return self.iri.rsplit("/", 1)[-1]


@dataclass(frozen=True, slots=True)
class CategoryRow:
    iri: str
    id: str  # the concept's notation: theory-study
    label: str
    problems: int
    notices: int


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    role: str | None


@dataclass(frozen=True, slots=True)
class NoticeDetail:
    """What the side panel of a notice page shows beside the graph."""

    row: NoticeRow
    persons: tuple[Person, ...]
    regulations: tuple[tuple[str, str], ...]  # (iri, label), sorted by label
    categories: tuple[tuple[str, str], ...]  # (iri, label)


class Corpus:
    """The store as the views read it. Tables every page needs (the notices,
    the labels of regulations and categories) are read once per instance, so
    a site of many pages costs a handful of queries per page, not dozens."""

    def __init__(self, store_dir: Path) -> None:
        self.store_dir = store_dir

    def select(self, query: str) -> list[dict[str, str]]:
        """The rows of a SELECT as dicts, unbound variables left out."""
        result = run_query(_PREFIXES + query, store_dir=self.store_dir, endpoint=None)
        return [
            {name: value for name, value in zip(result.columns, row, strict=True)
             if value is not None}
            for row in result.rows
        ]

    @cached_property
    def notices(self) -> list[NoticeRow]:
        return _notice_rows(self)

    @cached_property
    def regulation_labels(self) -> dict[str, tuple[str, str | None]]:
        return _regulation_labels(self)

    @cached_property
    def regulation_names(self) -> dict[str, list[str]]:
        return _regulation_names(self)

    @cached_property
    def category_labels(self) -> dict[str, str]:
        return _category_labels(self)


StoreLike = Path | Corpus  # a store folder, or a Corpus to share its reads


def _corpus(store: StoreLike) -> Corpus:
    return store if isinstance(store, Corpus) else Corpus(store)


def _tail(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def notice_rows(store: StoreLike) -> list[NoticeRow]:
    """Every notice with its parties, dates and counts, sorted by id."""
    return _corpus(store).notices


def _notice_rows(corpus: Corpus) -> list[NoticeRow]:
    basics = corpus.select("""
SELECT ?n (SAMPLE(?id) AS ?nid) (SAMPLE(?title) AS ?t) (SAMPLE(?issued) AS ?iss)
       (SAMPLE(?source) AS ?src) (SAMPLE(?orgLabel) AS ?org)
       (SAMPLE(?groupLabel) AS ?grp) (SAMPLE(?committeeLabel) AS ?com)
       (SAMPLE(?start) AS ?s) (SAMPLE(?end) AS ?e) (SAMPLE(?feedback) AS ?fb)
WHERE {
  ?n a kg:Notice ; dcterms:identifier ?id ; dcterms:subject ?inspection .
  OPTIONAL { ?n dcterms:title ?title }
  OPTIONAL { ?n dcterms:issued ?issued }
  OPTIONAL { ?n dcterms:source ?source }
  OPTIONAL { ?inspection prov:qualifiedAssociation ?a1 .
             ?a1 prov:hadRole kg:inspected ; prov:agent ?org .
             ?org skos:prefLabel ?orgLabel }
  OPTIONAL { ?inspection prov:qualifiedAssociation ?a2 .
             ?a2 prov:hadRole kg:inspector ; prov:agent ?inspector .
             OPTIONAL { ?inspector a kg:InspectionGroup ;
                        skos:prefLabel ?groupLabel }
             OPTIONAL { ?inspector org:unitOf? ?committee .
                        ?committee a kg:PartyCommittee ;
                        skos:prefLabel ?committeeLabel } }
  OPTIONAL { ?inspection time:hasTime/time:hasBeginning/time:inXSDDate ?start }
  OPTIONAL { ?inspection time:hasTime/time:hasEnd/time:inXSDDate ?end }
  OPTIONAL { ?inspection kg:feedbackDate ?feedback }
}
GROUP BY ?n""")
    problems = _per_notice(corpus, "?x a kg:Problem")
    measures = _per_notice(corpus, "?x a kg:Measure")
    regulations = _per_notice(corpus, "?n dcterms:references ?x . "
                                         "?x a eli:LegalResource")
    announced: dict[str, dict[str, int]] = defaultdict(dict)
    for row in corpus.select("""
SELECT ?n ?kind ?value WHERE { GRAPH ?n {
  ?n kg:announcedCount ?c . ?c dcterms:type ?kind ; rdf:value ?value } }"""):
        announced[row["n"]][_tail(row["kind"]).replace("-", "_")] = int(row["value"])
    rows = [
        NoticeRow(
            id=row["nid"], iri=row["n"], title=row.get("t"), issued=row.get("iss"),
            organization=row.get("org"), committee=row.get("com"),
            group=row.get("grp"), inspection_start=row.get("s"),
            inspection_end=row.get("e"), feedback_date=row.get("fb"),
            source=row.get("src"), problems=problems.get(row["n"], 0),
            measures=measures.get(row["n"], 0),
            regulations=regulations.get(row["n"], 0),
            announced=announced.get(row["n"], {}),
        )
        for row in basics
    ]
    return sorted(rows, key=lambda row: row.id)


def _per_notice(corpus: Corpus, pattern: str) -> dict[str, int]:
    rows = corpus.select(f"""
SELECT ?n (COUNT(DISTINCT ?x) AS ?k) WHERE {{ GRAPH ?n {{ {pattern} }} }}
GROUP BY ?n""")
    return {row["n"]: int(row["k"]) for row in rows}


def regulation_rows(store: StoreLike, *, min_notices: int = 1) -> list[RegulationRow]:
    """Regulations mentioned by at least `min_notices` notices, the most
    mentioned first."""
    corpus = _corpus(store)
    labels = corpus.regulation_labels
    notices: dict[str, set[str]] = defaultdict(set)
    for row in corpus.select("""
SELECT DISTINCT ?r ?id WHERE { GRAPH ?n {
  ?n dcterms:references ?r ; dcterms:identifier ?id . ?r a eli:LegalResource } }"""):
        notices[row["r"]].add(row["id"])
    rows = [
        RegulationRow(iri, labels[iri][0], labels[iri][1], tuple(sorted(ids)))
        for iri, ids in notices.items()
        if len(ids) >= min_notices and iri in labels
    ]
    return sorted(rows, key=lambda row: (-len(row.notices), row.label))


def _regulation_labels(corpus: Corpus) -> dict[str, tuple[str, str | None]]:
    """IRI → (canonical label, kind). Every graph repeats a regulation's
    labels and the canonical one always comes first (kg/rdf/build.py), so any
    graph's prefLabel will do."""
    rows = corpus.select("""
SELECT ?r (MIN(?label) AS ?l) (SAMPLE(?kind) AS ?k) WHERE {
  ?r a eli:LegalResource ; skos:prefLabel ?label .
  OPTIONAL { ?r eli:type_document ?kind } }
GROUP BY ?r""")
    return {
        row["r"]: (row["l"], _tail(row["k"]).replace("-", "_") if "k" in row else None)
        for row in rows
    }


def _regulation_names(corpus: Corpus) -> dict[str, list[str]]:
    """IRI → every label (canonical and as written) of each regulation."""
    names: dict[str, list[str]] = defaultdict(list)
    for row in corpus.select("""
SELECT DISTINCT ?r ?label WHERE {
  ?r a eli:LegalResource ; skos:prefLabel|skos:altLabel ?label }"""):
        names[row["r"]].append(row["label"])
    return names


def category_rows(store: StoreLike) -> list[CategoryRow]:
    """The issue categories problems were filed under, the most used first."""
    corpus = _corpus(store)
    rows = corpus.select("""
SELECT ?c (COUNT(DISTINCT ?p) AS ?problems) (COUNT(DISTINCT ?n) AS ?notices)
WHERE { GRAPH ?n { ?p a kg:Problem ; dcterms:subject ?c } }
GROUP BY ?c""")
    labels = corpus.category_labels
    result = [
        CategoryRow(row["c"], _tail(row["c"]), labels.get(row["c"], _tail(row["c"])),
                    int(row["problems"]), int(row["notices"]))
        for row in rows
    ]
    return sorted(result, key=lambda row: (-row.problems, row.id))


def _category_labels(corpus: Corpus) -> dict[str, str]:
    """Category IRI → Chinese label: from the store where the build loaded
    ontology/categories.ttl, else from the classifier's lexicon."""
    labels = {
        row["c"]: row["l"]
        for row in corpus.select("""
SELECT ?c (MIN(?label) AS ?l) WHERE {
  ?c a skos:Concept ; skos:prefLabel ?label . FILTER(LANGMATCHES(LANG(?label), "zh"))
  FILTER(STRSTARTS(STR(?c), "https://w3id.org/kg-inspection/category/")) }
GROUP BY ?c""")
    }
    if labels:
        return labels
    # Imported here: it loads jieba, which only a store without the scheme needs.
    from kg.extract.categories import categories

    return {
        f"https://w3id.org/kg-inspection/category/{category.id}": category.label_zh
        for category in categories()
    }


# --- the overview -------------------------------------------------------------


def overview_graph(
    store: StoreLike, max_nodes: int = 1500
) -> tuple[nx.MultiDiGraph, str]:
    """Notices with their inspected units, inspecting bodies, groups,
    regulations and issue categories; problems and measures collapsed into
    figures on the notice node. Beyond `max_nodes` the most connected nodes
    stay; the second value says what was left out and how to see it ("" when
    nothing was)."""
    corpus = _corpus(store)
    graph = nx.MultiDiGraph()
    notices = corpus.notices
    parties = corpus.select("""
SELECT DISTINCT ?n ?role ?agent ?agentLabel ?committee ?committeeLabel WHERE {
  ?n a kg:Notice ; dcterms:subject ?inspection .
  ?inspection prov:qualifiedAssociation ?a . ?a prov:hadRole ?role ; prov:agent ?agent .
  ?agent skos:prefLabel ?agentLabel .
  OPTIONAL { ?agent org:unitOf ?committee . ?committee skos:prefLabel ?committeeLabel }
}""")
    committees = {
        row["iri"] for row in corpus.select("""
SELECT DISTINCT ?iri WHERE { ?iri a kg:PartyCommittee }""")
    }
    for notice in notices:
        _add_notice(graph, notice)
    for row in parties:
        agent = row["agent"]
        if row["role"] == KG + "inspected":
            kind, relation = "organization", "inspected"
        else:
            kind = "committee" if agent in committees else "group"
            relation = "inspected_by"
        _add(graph, agent, kind, row["agentLabel"])
        graph.add_edge(row["n"], agent, label=relation)
        if "committee" in row:
            _add(graph, row["committee"], "committee", row["committeeLabel"])
            if not graph.has_edge(agent, row["committee"]):
                graph.add_edge(agent, row["committee"], label="unit_of")

    labels = corpus.regulation_labels
    for row in corpus.select("""
SELECT DISTINCT ?n ?r WHERE { GRAPH ?n {
  ?n dcterms:references ?r . ?r a eli:LegalResource } }"""):
        name, document_kind = labels[row["r"]]
        _add(graph, row["r"], "regulation", name,
             facts={"类型 kind": document_kind or "?"})
        graph.add_edge(row["n"], row["r"], label="cites")

    category_labels = corpus.category_labels
    for row in corpus.select("""
SELECT ?n ?c (COUNT(DISTINCT ?p) AS ?k) WHERE { GRAPH ?n {
  ?p a kg:Problem ; dcterms:subject ?c } }
GROUP BY ?n ?c"""):
        _add(graph, row["c"], "category",
             category_labels.get(row["c"], _tail(row["c"])))
        graph.add_edge(row["n"], row["c"], label="subject", count=int(row["k"]))
    for node, degree in graph.degree():
        if graph.nodes[node]["type"] != "notice":
            graph.nodes[node]["count"] = degree
    return _keep_most_connected(graph, max_nodes)


def _notice_attributes(notice: NoticeRow) -> dict[str, object]:
    facts: dict[str, object] = {"问题 problems": notice.problems,
                                "整改措施 measures": notice.measures}
    if notice.issued:
        facts["发布 issued"] = notice.issued
    return {
        "type": "notice",
        "label": notice.organization or notice.title or notice.id,
        "text": notice.title,
        "notice": notice.id,
        "iri": notice.iri,
        "facts": facts,
    }


def _add_notice(
    graph: nx.MultiDiGraph, notice: NoticeRow, **attributes: object
) -> None:
    if notice.iri not in graph:
        graph.add_node(notice.iri, **_notice_attributes(notice), **attributes)


def _add(graph: nx.MultiDiGraph, iri: str, kind: str, label: str,
         **attributes: object) -> None:
    if iri not in graph:
        graph.add_node(iri, type=kind, label=label, iri=iri, **attributes)


def _keep_most_connected(
    graph: nx.MultiDiGraph, max_nodes: int
) -> tuple[nx.MultiDiGraph, str]:
    if graph.number_of_nodes() <= max_nodes:
        return graph, ""
    ranked = sorted(graph.degree(), key=lambda item: (-item[1], str(item[0])))
    kept = {node for node, _ in ranked[:max_nodes]}
    left_out = Counter(graph.nodes[node]["type"] for node, _ in ranked[max_nodes:])
    parts = ", ".join(f"{count} {kind}" for kind, count in sorted(left_out.items()))
    summary = (
        f"Showing the {max_nodes} most connected of {graph.number_of_nodes()} "
        f"nodes; left out: {parts}. See them with `kg view --notice ID`, "
        f"`kg view --regulation TITLE`, `kg view --category ID`, or raise "
        f"--max-nodes."
    )
    return nx.MultiDiGraph(graph.subgraph(kept)), summary


# --- one notice ---------------------------------------------------------------


def notice_graph(
    store: StoreLike, notice_id: str
) -> tuple[nx.MultiDiGraph, NoticeDetail]:
    """One notice as a tree: aspect → (类) → problem → measure → regulation,
    with its categories, persons, inspected unit, group and committee."""
    corpus = _corpus(store)
    row = next((r for r in corpus.notices if r.id == notice_id), None)
    if row is None:
        raise KgError(f"no notice {notice_id!r} in the store; "
                      "`kg sparql 'SELECT ?id {?n dcterms:identifier ?id}'` lists them")
    where = f"GRAPH <{row.iri}>"
    graph = nx.MultiDiGraph()
    _add_notice(graph, row)
    spans = _annotations(corpus, row.iri)

    def add(iri: str, kind: str, label: str, **attributes: object) -> None:
        start, end, text = spans.get(iri, (None, None, None))
        _add(graph, iri, kind, label, notice=row.id, start=start, end=end,
             text=text, **attributes)

    for party in corpus.select(f"""
SELECT DISTINCT ?role ?agent ?label ?committee ?committeeLabel ?committeeType
WHERE {{ {where} {{
  <{row.iri}> dcterms:subject ?inspection .
  ?inspection prov:qualifiedAssociation ?a . ?a prov:hadRole ?role ; prov:agent ?agent .
  ?agent skos:prefLabel ?label .
  OPTIONAL {{ ?agent org:unitOf ?committee .
              ?committee skos:prefLabel ?committeeLabel }}
  OPTIONAL {{ ?agent a ?committeeType . FILTER(?committeeType = kg:PartyCommittee) }}
}} }}"""):
        if party["role"] == KG + "inspected":
            add(party["agent"], "organization", party["label"])
            graph.add_edge(row.iri, party["agent"], label="inspected")
            continue
        kind = "committee" if "committeeType" in party else "group"
        add(party["agent"], kind, party["label"])
        graph.add_edge(row.iri, party["agent"], label="inspected_by")
        if "committee" in party:
            add(party["committee"], "committee", party["committeeLabel"])
            graph.add_edge(party["agent"], party["committee"], label="unit_of")

    findings = corpus.select(f"""
SELECT ?f ?kind ?label ?parent ?id WHERE {{ {where} {{
  ?f a kg:Finding , ?kind ; rdfs:label ?label .
  FILTER(?kind IN (kg:Aspect, kg:ProblemGroup, kg:Problem))
  OPTIONAL {{ ?f dcterms:isPartOf ?parent }}
  OPTIONAL {{ ?f dcterms:identifier ?id }}
}} }}""")
    for finding in sorted(findings, key=lambda f: _path_key(f.get("id", ""))):
        kind = "problem" if finding["kind"] == KG + "Problem" else "aspect"
        add(finding["f"], kind, finding["label"])
    for finding in findings:
        parent = finding.get("parent", row.iri)
        relation = "has_problem" if finding["kind"] == KG + "Problem" else "has_part"
        graph.add_edge(parent, finding["f"], label=relation)

    for measure in corpus.select(f"""
SELECT ?m ?label ?problem ?kindLabel WHERE {{ {where} {{
  ?m a kg:Measure ; rdfs:label ?label ; kg:addresses ?problem .
  OPTIONAL {{ ?m dcterms:type ?kindLabel }}
}} }}"""):
        add(measure["m"], "measure", measure["label"],
            facts={"类型 kind": _tail(measure.get("kindLabel", "other"))})
        graph.add_edge(measure["m"], measure["problem"], label="addresses")

    labels = corpus.regulation_labels
    linked: set[str] = set()
    for link in corpus.select(f"""
SELECT DISTINCT ?x ?p ?r WHERE {{ {where} {{
  ?x ?p ?r . ?r a eli:LegalResource .
  FILTER(?p IN (dcterms:references, kg:studies, kg:enacts, kg:violates))
}} }}"""):
        regulation = link["r"]
        name, document_kind = labels[regulation]
        add(regulation, "regulation", name, facts={"类型 kind": document_kind or "?"})
        if link["x"] != row.iri:
            linked.add(regulation)
            graph.add_edge(link["x"], regulation,
                           label=_REGULATION_LINKS[link["p"]])
    for regulation in sorted(
        n for n, kind in graph.nodes(data="type") if kind == "regulation"
    ):
        if regulation not in linked:
            # Mentioned outside any problem or measure (the preamble, a
            # summary): hang it on the notice so it is not an island.
            graph.add_edge(row.iri, regulation, label="cites")

    category_labels = corpus.category_labels
    for subject in corpus.select(f"""
SELECT DISTINCT ?p ?c WHERE {{ {where} {{
  ?p a kg:Problem ; dcterms:subject ?c }} }}"""):
        add(subject["c"], "category",
            category_labels.get(subject["c"], _tail(subject["c"])))
        graph.add_edge(subject["p"], subject["c"], label="subject")

    persons = []
    for person in corpus.select(f"""
SELECT ?person ?name ?role ?organization WHERE {{ {where} {{
  ?person a prov:Person ; foaf:name ?name .
  OPTIONAL {{ ?membership org:member ?person ; org:role/skos:prefLabel ?role }}
  OPTIONAL {{ ?person org:memberOf ?organization }}
}} }}"""):
        role = person.get("role")
        persons.append(Person(person["name"], role))
        add(person["person"], "person", f"{role or ''} {person['name']}".strip())
        target = person.get("organization", row.iri)
        graph.add_edge(person["person"], target, label="person_of")

    detail = NoticeDetail(
        row=row,
        persons=tuple(sorted(set(persons), key=lambda p: (p.role or "", p.name))),
        regulations=tuple(sorted(
            ((n, graph.nodes[n]["label"]) for n, kind in graph.nodes(data="type")
             if kind == "regulation"), key=lambda item: item[1])),
        categories=tuple(sorted(
            ((n, graph.nodes[n]["label"]) for n, kind in graph.nodes(data="type")
             if kind == "category"), key=lambda item: item[1])),
    )
    return graph, detail


def _path_key(path: str) -> tuple[int | str, ...]:
    return tuple(int(part) if part.isdigit() else part
                 for part in path.replace("-g", "-").split("-"))


def _annotations(corpus: Corpus, notice_iri: str) -> dict[str, tuple[int, int, str]]:
    """Node IRI → (start, end, exact text) of its first annotated span."""
    spans: dict[str, tuple[int, int, str]] = {}
    for row in corpus.select(f"""
SELECT ?body ?start ?end ?exact WHERE {{ GRAPH <{notice_iri}> {{
  ?a a oa:Annotation ; oa:hasBody ?body ; oa:hasTarget ?t .
  ?t oa:hasSelector ?position , ?quote .
  ?position a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
  ?quote a oa:TextQuoteSelector ; oa:exact ?exact .
}} }}"""):
        span = (int(row["start"]), int(row["end"]), row["exact"])
        if row["body"] not in spans or span < spans[row["body"]]:
            spans[row["body"]] = span
    return spans


# --- focused views --------------------------------------------------------------


def focus_graph(
    store: StoreLike,
    *,
    regulation: str | None = None,
    category: str | None = None,
    max_nodes: int = 1500,
) -> tuple[nx.MultiDiGraph, str]:
    """The neighbourhood of the regulations whose label contains `regulation`
    (notices, the measures and problems that cite, study, enact or violate
    it) or of an issue category (its problems and their notices). Returns the
    graph and a note on what was left out beyond `max_nodes` ("" if none)."""
    if (regulation is None) == (category is None):
        raise ValueError("give either a regulation or a category")
    corpus = _corpus(store)
    if regulation is not None:
        graph = _regulation_neighbourhood(corpus, regulation)
    else:
        assert category is not None
        graph = _category_neighbourhood(corpus, category)
    return _keep_nearest(graph, max_nodes)


def find_regulations(store: StoreLike, text: str) -> list[str]:
    """IRIs of the regulations a user means by `text`: those with a label equal
    to it (ignoring 《》 and spaces) if any, else those whose labels contain it."""
    wanted = _plain(text)
    if not wanted:
        return []
    names = _corpus(store).regulation_names
    exact = sorted(iri for iri, labels in names.items()
                   if any(_plain(label) == wanted for label in labels))
    if exact:
        return exact
    return sorted(iri for iri, labels in names.items()
                  if any(wanted in _plain(label) for label in labels))


def _plain(text: str) -> str:
    return "".join(text.split()).strip("《》")


def _regulation_neighbourhood(corpus: Corpus, text: str) -> nx.MultiDiGraph:
    targets = find_regulations(corpus, text)
    if not targets:
        raise KgError(f"no regulation matches {text!r}; the index page lists them")
    labels = corpus.regulation_labels
    graph = nx.MultiDiGraph()
    for target in targets:
        label, kind = labels[target]
        _add(graph, target, "regulation", label, facts={"类型 kind": kind or "?"},
             rank=0)
    values = " ".join(f"<{iri}>" for iri in targets)
    rows = corpus.select(f"""
SELECT DISTINCT ?n ?id ?x ?p ?r ?xLabel ?xType ?problem ?problemLabel WHERE {{
  VALUES ?r {{ {values} }}
  GRAPH ?n {{
    ?n dcterms:identifier ?id .
    ?x ?p ?r . FILTER(?p IN (dcterms:references, kg:studies, kg:enacts, kg:violates))
    OPTIONAL {{ ?x rdfs:label ?xLabel ; a ?xType .
                FILTER(?xType IN (kg:Measure, kg:Problem)) }}
    OPTIONAL {{ ?x kg:addresses ?problem . ?problem rdfs:label ?problemLabel }}
  }}
}}""")
    notice_labels = {row.iri: row for row in corpus.notices}
    for row in rows:
        notice = row["n"]
        _add_notice(graph, notice_labels[notice], rank=1)
        if row["x"] == notice:
            graph.add_edge(notice, row["r"], label="cites")
            continue
        if "xType" not in row:
            continue
        kind = "measure" if row["xType"] == KG + "Measure" else "problem"
        _add(graph, row["x"], kind, row["xLabel"], notice=row["id"], rank=2)
        graph.add_edge(row["x"], row["r"], label=_REGULATION_LINKS[row["p"]])
        problem = row.get("problem", row["x"] if kind == "problem" else None)
        if kind == "measure" and problem is not None:
            _add(graph, problem, "problem", row["problemLabel"], notice=row["id"],
                 rank=3)
            graph.add_edge(row["x"], problem, label="addresses")
        if problem is not None and not graph.has_edge(notice, problem):
            graph.add_edge(notice, problem, label="has_problem")
    return graph


def _category_neighbourhood(corpus: Corpus, text: str) -> nx.MultiDiGraph:
    labels = corpus.category_labels
    wanted = text.strip().lower()
    matches = sorted(iri for iri, label in labels.items()
                     if wanted in (_tail(iri), label.lower()))
    if not matches:
        matches = sorted(iri for iri, label in labels.items()
                         if wanted and wanted in label.lower())
    if not matches:
        known = ", ".join(sorted(_tail(iri) for iri in labels))
        raise KgError(f"no issue category matches {text!r}; known: {known}")
    graph = nx.MultiDiGraph()
    for target in matches:
        _add(graph, target, "category", labels[target], rank=0)
    values = " ".join(f"<{iri}>" for iri in matches)
    notice_labels = {row.iri: row for row in corpus.notices}
    for row in corpus.select(f"""
SELECT ?n ?id ?p ?label ?c (COUNT(DISTINCT ?m) AS ?measures) WHERE {{
  VALUES ?c {{ {values} }}
  GRAPH ?n {{
    ?n dcterms:identifier ?id .
    ?p a kg:Problem ; rdfs:label ?label ; dcterms:subject ?c .
    OPTIONAL {{ ?m kg:addresses ?p }}
  }}
}} GROUP BY ?n ?id ?p ?label ?c"""):
        _add_notice(graph, notice_labels[row["n"]], rank=1)
        _add(graph, row["p"], "problem", row["label"], notice=row["id"], rank=2,
             facts={"整改措施 measures": int(row["measures"])})
        graph.add_edge(row["n"], row["p"], label="has_problem")
        graph.add_edge(row["p"], row["c"], label="subject")
    return graph


def _keep_nearest(
    graph: nx.MultiDiGraph, max_nodes: int
) -> tuple[nx.MultiDiGraph, str]:
    """The focus first, then notices, then the items nearest to it."""
    ranked = sorted(graph.nodes(data="rank"),
                    key=lambda item: (item[1], str(item[0])))
    for node in graph:
        del graph.nodes[node]["rank"]
    if len(ranked) <= max_nodes:
        return graph, ""
    kept = {node for node, _ in ranked[:max_nodes]}
    left_out = Counter(graph.nodes[node]["type"] for node, _ in ranked[max_nodes:])
    parts = ", ".join(f"{count} {kind}" for kind, count in sorted(left_out.items()))
    summary = (f"Showing {max_nodes} of {graph.number_of_nodes()} nodes; left out: "
               f"{parts}. Raise --max-nodes, or open a notice with "
               f"`kg view --notice ID`.")
    return nx.MultiDiGraph(graph.subgraph(kept)), summary


# --- export ---------------------------------------------------------------------


def export_graphml(graph: nx.MultiDiGraph, path: Path) -> None:
    """GraphML (Gephi, yEd, Cytoscape) with scalar attributes only."""
    nx.write_graphml(_scalar(graph), path)


def export_gexf(graph: nx.MultiDiGraph, path: Path) -> None:
    """GEXF, Gephi's own format."""
    nx.write_gexf(_scalar(graph), path)


def _scalar(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attributes GraphML and GEXF can hold: strings and numbers;
    `facts` is spread into one attribute per figure."""
    copy = nx.MultiDiGraph()
    for node, attributes in graph.nodes(data=True):
        copy.add_node(str(node), **_flat(attributes))
    for source, target, attributes in graph.edges(data=True):
        copy.add_edge(str(source), str(target), **_flat(attributes))
    return copy


def _flat(attributes: dict[str, object]) -> dict[str, str | int | float]:
    flat: dict[str, str | int | float] = {}
    for key, value in attributes.items():
        if value is None:
            continue
        if isinstance(value, dict):
            for name, figure in value.items():
                flat[f"{key}.{name}"] = figure if isinstance(figure, int | float) \
                    else str(figure)
        elif isinstance(value, bool | int | float | str):
            flat[key] = value
        else:
            flat[key] = str(value)
    return flat

