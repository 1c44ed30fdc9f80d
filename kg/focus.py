"""The focused views: a regulation's or an issue category's neighbourhood
(`kg view --regulation`, `--category`, and their site pages), cut to
`max_nodes` nodes, the focus first, then its notices, then the items
nearest to it. The cut is worked out from the gathered summaries before the
graph is built (`regulation_focus`, `category_focus`), from what the
notices' summaries keep of their items, so no notice is read whole."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import networkx as nx

from kg.errors import KgError
from kg.graph import (
    StoreLike,
    category_graph,
    corpus_of,
    mentions,
    regulation_graph,
)
from kg.pagedata import Corpus, tail


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
    corpus = corpus_of(store)
    if regulation is not None:
        targets = find_regulations(corpus, regulation)
        if not targets:
            raise KgError(f"no regulation matches {regulation!r}; "
                          "the index page lists them")
        return regulation_focus(corpus, targets, max_nodes)
    assert category is not None
    return category_focus(corpus, _find_categories(corpus, category), max_nodes)


def find_regulations(store: StoreLike, text: str) -> list[str]:
    """IRIs of the regulations a user means by `text`: those with a label equal
    to it (ignoring 《》 and spaces) if any, else those whose labels contain it."""
    wanted = _plain(text)
    if not wanted:
        return []
    names = corpus_of(store).regulation_names
    exact = sorted(iri for iri, labels in names.items()
                   if any(_plain(label) == wanted for label in labels))
    if exact:
        return exact
    return sorted(iri for iri, labels in names.items()
                  if any(wanted in _plain(label) for label in labels))


def _plain(text: str) -> str:
    return "".join(text.split()).strip("《》")


def regulation_focus(corpus: Corpus, targets: list[str], max_nodes: int
                     ) -> tuple[nx.MultiDiGraph, str]:
    """`keep_nearest(regulation_graph(corpus, targets), max_nodes)`, building
    only the nodes kept: a regulation that thousands of notices mention
    costs the page it shows."""
    ranks: dict[str, tuple[int, str]] = {t: (0, "regulation") for t in targets}
    notices = {n.iri: n for t in targets for n in corpus.citing.get(t, [])}
    for notice in sorted(notices.values(), key=lambda n: n.id):
        ranks.setdefault(notice.iri, (1, "notice"))
        items = corpus.link_items(notice, targets)
        for source, _, _ in mentions(notice, targets):
            item = items.get(source)
            if source == notice.iri or item is None:
                continue
            ranks.setdefault(source, (2, item.kind))
            if item.addresses is not None:
                ranks.setdefault(item.addresses[0], (3, "problem"))
    return _kept(ranks, max_nodes,
                 lambda kept: regulation_graph(corpus, targets, kept))


def _find_categories(corpus: Corpus, text: str) -> list[str]:
    labels = corpus.category_labels
    wanted = text.strip().lower()
    matches = sorted(iri for iri, label in labels.items()
                     if wanted in (tail(iri), label.lower()))
    if not matches:
        matches = sorted(iri for iri, label in labels.items()
                         if wanted and wanted in label.lower())
    if not matches:
        known = ", ".join(sorted(tail(iri) for iri in labels))
        raise KgError(f"no issue category matches {text!r}; known: {known}")
    return matches


def category_focus(corpus: Corpus, targets: list[str], max_nodes: int
                   ) -> tuple[nx.MultiDiGraph, str]:
    """`keep_nearest(category_graph(corpus, targets), max_nodes)`, building
    only the nodes kept: when a category's notices fill the page, none of
    their problems is read."""
    ranks: dict[str, tuple[int, str]] = {t: (0, "category") for t in targets}
    for target in targets:
        for notice, problem in corpus.filed.get(target, []):
            ranks.setdefault(notice.iri, (1, "notice"))
            ranks.setdefault(problem, (2, "problem"))
    return _kept(ranks, max_nodes,
                 lambda kept: category_graph(corpus, targets, kept))


def _kept(ranks: dict[str, tuple[int, str]], max_nodes: int,
          build: Callable[[set[str] | None], nx.MultiDiGraph],
          ) -> tuple[nx.MultiDiGraph, str]:
    """The graph `build` makes of the `max_nodes` best-ranked nodes (all of
    them, None, when they fit), cut to the nearest, with the note on what was
    left out."""
    if len(ranks) <= max_nodes:
        return keep_nearest(build(None), max_nodes)
    order = sorted(ranks, key=lambda node: (ranks[node][0], node))
    graph, _ = keep_nearest(build(set(order[:max_nodes])), max_nodes)
    left_out = Counter(ranks[node][1] for node in order[max_nodes:])
    return graph, _cut_note(max_nodes, len(ranks), left_out)


def keep_nearest(
    graph: nx.MultiDiGraph, max_nodes: int
) -> tuple[nx.MultiDiGraph, str]:
    """The focus first, then notices, then the items nearest to it."""
    ranked = sorted(graph.nodes(data="rank"),
                    key=lambda item: (item[1], str(item[0])))
    for node in graph:
        del graph.nodes[node]["rank"]
    if len(ranked) <= max_nodes:
        return graph, ""
    dropped = [node for node, _ in ranked[max_nodes:]]
    note = _cut_note(max_nodes, graph.number_of_nodes(),
                     Counter(graph.nodes[node]["type"] for node in dropped))
    graph.remove_nodes_from(dropped)
    return graph, note


def _cut_note(max_nodes: int, total: int, left_out: Counter[str]) -> str:
    parts = ", ".join(f"{count} {kind}" for kind, count in sorted(left_out.items()))
    return (f"Showing {max_nodes} of {total} nodes; left out: {parts}."
            " Raise --max-nodes, or open a notice with `kg view --notice ID`.")
