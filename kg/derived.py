"""The store's graphs that are not notices, brought up to date by `kg build`
after the notices are loaded: the ontology, the build's activity (PROV-O)
and the summary graphs of the regulations' usages (kg/rdf/summary.py).

The RDF mapping is imported where it is used: a build with nothing to do
needs none of it (kg.build).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

import kg
from kg.buildcache import ORPHAN_KEY, BuildCache, Record
from kg.store import Store


def describe_build(
    store: Store, records: Mapping[str, Record], started: datetime
) -> str:
    """Replace the ontology graph and every earlier build's activity graph
    (PROV-O) in the store, whatever the cache remembers, with this build's;
    the IRI of the new activity graph."""
    from kg.rdf import iri
    from kg.rdf.activity import build_activity_quads
    from kg.rdf.build import to_nquads
    from kg.rdf.ontology import static_quads
    from kg.rdf.summary import CATEGORY_SUMMARY_GRAPH, SUMMARY_GRAPHS

    store.replace_graph(iri.ONTOLOGY.value, static_quads())
    notices = sorted({r.notice_id for r in records.values() if r.graph is not None})
    activity = build_activity_quads(
        [iri.notice_iri(n) for n in notices], kg.__version__, started,
        datetime.now(UTC),
        generated=[*SUMMARY_GRAPHS.values(), CATEGORY_SUMMARY_GRAPH],
    )
    graph = iri.build_iri(started).value
    builds = graph.rsplit("/", 1)[0] + "/"
    for previous in store.graphs():
        if previous.startswith(builds) and previous != graph:
            store.remove_graph(previous)
    # Bulk-loaded: the graph is new (named by this build's start), and one
    # prov:used per notice made an INSERT DATA of 10,000 quads cost 0.15 s
    # of every rebuild. A build killed during the load leaves a part of it,
    # which the next build removes as an earlier build's.
    store.load_graphs([(graph, to_nquads(activity))])
    return graph


def summarise(
    store: Store, cache: BuildCache, *, rewrite_share: float, keys_per_update: int,
    batch_bytes: int,
) -> None:
    """Bring the summary graphs up to date with the citations in the cache
    (kg.rdf.summary): rewrite the usages of the regulations whose citations
    changed, `keys_per_update` regulations per transaction, or all of them
    when the graphs are missing or at least `rewrite_share` of the
    regulations changed (bulk-loaded in batches of `batch_bytes`)."""
    from kg.rdf.summary import SUMMARY_GRAPH, usage_quads, usages

    dirty = cache.dirty_keys()
    # Incremental while the changed regulations are under `rewrite_share` of
    # all: while there are more than len(dirty) / rewrite_share of them.
    enough = math.floor(len(dirty) / rewrite_share) + 1
    if store.contains_graph(SUMMARY_GRAPH.value) and (
        cache.key_count(at_most=enough) >= enough
    ):
        for start in range(0, len(dirty), keys_per_update):
            keys = dirty[start:start + keys_per_update]
            quads = [q for of_key in usages(cache.citations(keys))
                     for q in usage_quads(of_key)]
            store.replace_subjects(_usage_nodes(keys), quads)
            cache.clean(keys)
        return
    _rewrite_summary(store, cache, batch_bytes)
    cache.clean(dirty)


def summarise_categories(store: Store, records: Mapping[str, Record]) -> None:
    """Replace the category summary graph with the counts of every notice of
    `records` (a few dozen nodes: made again whole on every build). A graph
    the cache did not know (an orphan) has its counts read from its rows."""
    from kg.rdf.summary import CATEGORY_SUMMARY_GRAPH, category_usage_quads

    counts = [
        _stored_categories(store, record.graph)
        if key.startswith(ORPHAN_KEY) else record.categories
        for key, record in records.items() if record.graph is not None
    ]
    store.replace_graph(CATEGORY_SUMMARY_GRAPH.value, category_usage_quads(counts))


def _stored_categories(store: Store, graph: str) -> list[tuple[str, int]]:
    from kg.rdf.iri import CATEGORY_BASE
    from kg.vocab import iri_term, prologue

    answer = store.query(prologue(["kg"]) + (
        "SELECT ?concept ?problems WHERE { GRAPH " + iri_term(graph)
        + " { ?row kg:category ?concept ; kg:problemsFound ?problems } }"))
    return [(str(concept).removeprefix(CATEGORY_BASE), int(str(problems)))
            for concept, problems in answer.rows]


def _rewrite_summary(store: Store, cache: BuildCache, batch_bytes: int) -> None:
    """The summary graphs made again from every citation: a regulation at a
    time, loaded in batches (at 10,000 notices the graph is ~1.5 M quads,
    which as Quad objects held ~1 GB)."""
    from kg.rdf.build import to_nquads
    from kg.rdf.summary import SUMMARY_GRAPHS, usage_quads, usages

    for graph in SUMMARY_GRAPHS.values():
        store.remove_graph(graph.value)
    chunk: list[bytes] = []
    size = 0
    for of_key in usages(cache.citations()):
        chunk.append(to_nquads(usage_quads(of_key)))
        size += len(chunk[-1])
        if size >= batch_bytes:
            store.add_nquads(b"".join(chunk))
            chunk, size = [], 0
    store.add_nquads(b"".join(chunk))


def _usage_nodes(keys: Sequence[str]) -> dict[str, list[str]]:
    """Every usage node the summary graphs can have for `keys`, per graph."""
    from kg.rdf import iri
    from kg.rdf.summary import SUMMARY_GRAPHS

    return {graph.value: [iri.usage_iri(key, scope).value for key in keys]
            for scope, graph in SUMMARY_GRAPHS.items()}


def quad_count(store: Store, records: Mapping[str, Record],
               graphs: Sequence[str]) -> int:
    """Quads in the store, whose named graphs are `graphs`: the notice
    graphs' as their records say (counting the whole store scans every
    quad), and the other graphs' counted."""
    notice_graphs = {r.graph: r.triples for r in records.values()
                     if r.graph is not None}
    others = [g for g in graphs if g not in notice_graphs]
    return (sum(notice_graphs.values())
            + sum(store.triple_count(graph) for graph in others))
