"""A page's graph written for Gephi, yEd or Cytoscape (`kg view --graphml`,
`--gexf`): the node and edge attributes of `kg.graph` made scalar."""

from __future__ import annotations

from pathlib import Path

import networkx as nx


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
