"""The networkx projection of the built store, for the HTML views and Gephi.

Every graph here is built in memory from what `kg.pagedata.Corpus` gathered
in one pass over the store: no function below runs a query of its own, so a
site's pages cost the gathering plus work proportional to each page.

Nodes are keyed by IRI and carry the attributes `kg.viz` reads: ``type``,
``label``, and where known ``text``, ``notice``, ``start``, ``end``, ``iri``,
``count`` and ``facts``. Edges carry the relation as ``label``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import networkx as nx

from kg.errors import KgError
from kg.graphexport import export_gexf as export_gexf
from kg.graphexport import export_graphml as export_graphml
from kg.pagedata import (
    REGULATION_LINKS,
    Corpus,
    LinkItem,
    NoticeData,
    NoticeRow,
    tail,
)


@dataclass(frozen=True, slots=True)
class RegulationRow:
    iri: str
    label: str  # the canonical title
    kind: str | None  # law | party_regulation | normative_document | other
    notices: tuple[str, ...]  # ids of the notices that mention it


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


StoreLike = Path | Corpus  # a store folder, or a Corpus to share its reads


def corpus_of(store: StoreLike, notice_id: str | None = None) -> Corpus:
    return store if isinstance(store, Corpus) else Corpus(store, notice_id)


def notice_rows(store: StoreLike) -> list[NoticeRow]:
    """Every notice with its parties, dates and counts, sorted by id."""
    return [notice.row for notice in corpus_of(store).notices.values()]


def regulation_rows(store: StoreLike, *, min_notices: int = 1) -> list[RegulationRow]:
    """Regulations mentioned by at least `min_notices` notices, the most
    mentioned first."""
    corpus = corpus_of(store)
    labels = corpus.regulation_labels
    rows = [
        RegulationRow(iri, labels[iri][0], labels[iri][1],
                      tuple(notice.id for notice in notices))
        for iri, notices in corpus.citing.items()
        if len(notices) >= min_notices and iri in labels
    ]
    return sorted(rows, key=lambda row: (-len(row.notices), row.label))


def category_rows(store: StoreLike) -> list[CategoryRow]:
    """The issue categories problems were filed under, the most used first."""
    corpus = corpus_of(store)
    labels = corpus.category_labels
    rows = [
        CategoryRow(iri, tail(iri), labels.get(iri, tail(iri)), len(filed),
                    len({notice.iri for notice, _ in filed}))
        for iri, filed in corpus.filed.items()
    ]
    return sorted(rows, key=lambda row: (-row.problems, row.id))


# --- the overview -------------------------------------------------------------


def overview_graph(
    store: StoreLike, max_nodes: int = 1500
) -> tuple[nx.MultiDiGraph, str]:
    """Notices with their inspected units, inspecting bodies, groups,
    regulations and issue categories; problems and measures collapsed into
    figures on the notice node. Beyond `max_nodes` the most connected nodes
    stay; the second value says what was left out and how to see it ("" when
    nothing was)."""
    corpus = corpus_of(store)
    graph = nx.MultiDiGraph()
    labels = corpus.regulation_labels
    category_labels = corpus.category_labels
    for notice in corpus.notices.values():
        _add_notice(graph, notice.row)
        for party in notice.parties:
            _add_party(graph, notice.iri, party.iri, party.label, party.inspected,
                       party.committee, party.unit_of)
        for regulation in sorted({r for x, _, r in notice.links if x == notice.iri}):
            name, kind = labels[regulation]
            _add(graph, regulation, "regulation", name,
                 facts={"类型 kind": kind or "?"})
            graph.add_edge(notice.iri, regulation, label="cites")
        per_category = Counter(c for _, c in notice.subjects)
        for category, count in sorted(per_category.items()):
            _add(graph, category, "category",
                 category_labels.get(category, tail(category)))
            graph.add_edge(notice.iri, category, label="subject", count=count)
    for node, degree in graph.degree():
        if graph.nodes[node]["type"] != "notice":
            graph.nodes[node]["count"] = degree
    return _keep_most_connected(graph, max_nodes)


def _add_party(graph: nx.MultiDiGraph, owner: str, agent: str, label: str,
               inspected: bool, committee: bool,
               unit_of: tuple[str, str] | None, **attributes: object) -> None:
    if inspected:
        _add(graph, agent, "organization", label, **attributes)
        graph.add_edge(owner, agent, label="inspected")
        return
    _add(graph, agent, "committee" if committee else "group", label, **attributes)
    graph.add_edge(owner, agent, label="inspected_by")
    if unit_of is not None:
        _add(graph, unit_of[0], "committee", unit_of[1], **attributes)
        if not graph.has_edge(agent, unit_of[0]):
            graph.add_edge(agent, unit_of[0], label="unit_of")


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
    dropped = [node for node, _ in ranked[max_nodes:]]
    summary = _left_out(graph, dropped) + (
        " See them with `kg view --notice ID`, `kg view --regulation TITLE`, "
        "`kg view --category ID`, or raise --max-nodes.")
    note = (f"Showing the {max_nodes} most connected of {graph.number_of_nodes()} "
            f"nodes; " + summary)
    # In place: a copy of the kept subgraph cost more than building the graph.
    graph.remove_nodes_from(dropped)
    return graph, note


def _left_out(graph: nx.MultiDiGraph, nodes: list[object]) -> str:
    left_out = Counter(graph.nodes[node]["type"] for node in nodes)
    parts = ", ".join(f"{count} {kind}" for kind, count in sorted(left_out.items()))
    return f"left out: {parts}."


# --- one notice ---------------------------------------------------------------


def notice_graph(
    store: StoreLike, notice_id: str
) -> tuple[nx.MultiDiGraph, NoticeDetail]:
    """One notice as a tree: aspect → (类) → problem → measure → regulation,
    with its categories, persons, inspected unit, group and committee."""
    corpus = corpus_of(store, notice_id)
    notice = corpus.by_id.get(notice_id)
    notice = corpus.whole(notice) if notice is not None else None
    if notice is None:
        raise KgError(f"no notice {notice_id!r} in the store; "
                      "`kg sparql 'SELECT ?id {?n dcterms:identifier ?id}'` lists them")
    graph = nx.MultiDiGraph()
    row = notice.row
    _add_notice(graph, row)

    def add(iri: str, kind: str, label: str, **attributes: object) -> None:
        start, end, text = notice.spans.get(iri, (None, None, None))
        _add(graph, iri, kind, label, notice=row.id, start=start, end=end,
             text=text, **attributes)

    for party in notice.parties:
        start, end, text = notice.spans.get(party.iri, (None, None, None))
        _add_party(graph, notice.iri, party.iri, party.label, party.inspected,
                   party.committee, party.unit_of, notice=row.id, start=start,
                   end=end, text=text)
    _add_findings(graph, notice, add)
    _add_regulations(graph, corpus, notice, add)
    category_labels = corpus.category_labels
    for problem, category in sorted(notice.subjects):
        add(category, "category", category_labels.get(category, tail(category)))
        graph.add_edge(problem, category, label="subject")
    persons = []
    for person in notice.persons:
        persons.append(Person(person.name, person.role))
        add(person.iri, "person", f"{person.role or ''} {person.name}".strip())
        graph.add_edge(person.iri, person.organization or notice.iri,
                       label="person_of")
    return graph, NoticeDetail(
        row=row,
        persons=tuple(sorted(set(persons), key=lambda p: (p.role or "", p.name))),
        regulations=_labels_of(graph, "regulation"),
        categories=_labels_of(graph, "category"),
    )


def _labels_of(graph: nx.MultiDiGraph, kind: str) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(((n, graph.nodes[n]["label"])
                         for n, t in graph.nodes(data="type") if t == kind),
                        key=lambda item: item[1]))


def _add_findings(graph: nx.MultiDiGraph, notice: NoticeData, add: _Adder) -> None:
    for finding in notice.findings:
        add(finding.iri, "problem" if finding.problem else "aspect", finding.label)
    for finding in notice.findings:
        graph.add_edge(finding.parent or notice.iri, finding.iri,
                       label="has_problem" if finding.problem else "has_part")
    for measure in notice.measures:
        add(measure.iri, "measure", measure.label, facts={"类型 kind": measure.kind})
        graph.add_edge(measure.iri, measure.problem, label="addresses")


def _add_regulations(graph: nx.MultiDiGraph, corpus: Corpus, notice: NoticeData,
                     add: _Adder) -> None:
    labels = corpus.regulation_labels
    linked: set[str] = set()
    for source, relation, regulation in sorted(notice.links):
        name, kind = labels[regulation]
        add(regulation, "regulation", name, facts={"类型 kind": kind or "?"})
        if source != notice.iri:
            linked.add(regulation)
            graph.add_edge(source, regulation, label=REGULATION_LINKS[relation])
    for regulation in sorted(notice.regulations - linked):
        # Mentioned outside any problem or measure (the preamble, a
        # summary): hang it on the notice so it is not an island.
        graph.add_edge(notice.iri, regulation, label="cites")


class _Adder(Protocol):
    def __call__(self, iri: str, kind: str, label: str, **attributes: object) -> None:
        ...


# --- focused views (cut to a page by kg.focus) ----------------------------------


def regulation_graph(corpus: Corpus, targets: list[str],
                     kept: set[str] | None = None) -> nx.MultiDiGraph:
    """The regulations `targets` with the notices, measures and problems
    that mention them; read from the notices' summaries (`link_items`) only.
    With `kept`, only those nodes (and the edges between them)."""
    labels = corpus.regulation_labels
    graph = nx.MultiDiGraph()
    for target in targets:
        label, kind = labels[target]
        _add(graph, target, "regulation", label, facts={"类型 kind": kind or "?"},
             rank=0)
    notices = {n.iri: n for t in targets for n in corpus.citing.get(t, [])}
    for notice in sorted(notices.values(), key=lambda n: n.id):
        if kept is None or notice.iri in kept:
            _add_notice(graph, notice.row, rank=1)
        _add_mentions(graph, notice, corpus.link_items(notice, targets),
                      mentions(notice, targets), kept)
    return graph


def mentions(notice: NoticeData, targets: list[str]) -> list[tuple[str, str, str]]:
    """The links of `notice` to the regulations `targets`, sorted."""
    if len(targets) == 1:
        return notice.links_to.get(targets[0], [])
    return sorted(link for t in targets for link in notice.links_to.get(t, []))


def _add_mentions(graph: nx.MultiDiGraph, notice: NoticeData,
                  items: dict[str, LinkItem], links: list[tuple[str, str, str]],
                  kept: set[str] | None) -> None:
    """The items of `notice` that mention a regulation (`links`, described
    by `items`), with the problems they address, as `regulation_graph` shows
    them."""
    def add(iri: str, kind: str, label: str, rank: int) -> None:
        if kept is None or iri in kept:
            _add(graph, iri, kind, label, notice=notice.id, rank=rank)

    def edge(source: str, target: str, label: str) -> None:
        if source in graph and target in graph:
            graph.add_edge(source, target, label=label)

    for source, relation, regulation in links:
        if source == notice.iri:
            edge(notice.iri, regulation, "cites")
            continue
        item = items.get(source)
        if item is None:
            continue
        add(source, item.kind, item.label, 2)
        edge(source, regulation, REGULATION_LINKS[relation])
        if item.addresses is None:
            continue
        problem, label = item.addresses
        add(problem, "problem", label, 3)
        if source != problem:
            edge(source, problem, "addresses")
        if not graph.has_edge(notice.iri, problem):
            edge(notice.iri, problem, "has_problem")


def category_graph(corpus: Corpus, targets: list[str],
                   kept: set[str] | None = None) -> nx.MultiDiGraph:
    """The categories `targets` with their problems and the problems'
    notices; read from the notices' summaries (`problem_facts`) only. With
    `kept`, only those nodes (and the edges between them)."""
    labels = corpus.category_labels
    graph = nx.MultiDiGraph()
    for target in targets:
        _add(graph, target, "category", labels[target], rank=0)
    for target in targets:
        for notice, problem in corpus.filed.get(target, []):
            if kept is None or notice.iri in kept:
                _add_notice(graph, notice.row, rank=1)
            if kept is not None and problem not in kept:
                continue
            label, measures = notice.problem_facts[problem]
            _add(graph, problem, "problem", label, notice=notice.id, rank=2,
                 facts={"整改措施 measures": measures})
            if notice.iri in graph:
                graph.add_edge(notice.iri, problem, label="has_problem")
            if target in graph:
                graph.add_edge(problem, target, label="subject")
    return graph
