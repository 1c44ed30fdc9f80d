"""Positions computed in Python, so a page reads at first sight and opens at
once (no physics simulation in the browser).

Two layouts, both linear in the size of the graph:

- `layered`: columns left to right (a notice's tree: notice → aspects →
  problems → measures, with regulations and categories in a column at the
  side; a focus page: the focus → notices → items → problems). Within a
  column nodes keep at least `ROW` apart and sit near the mean height of
  their neighbours in the column before.
- `clustered`: the overview. Nodes shared by several notices (categories,
  recurring regulations, committees) in a grid at the top, labelled; below
  it one block per notice with what only that notice has (its unit, group,
  one-off regulations) as small unlabelled dots around it.

Columns are `COLUMN` canvas units apart and labels are cut to `LABEL_LIMIT`
characters of `FONT_SIZE` units, so labels of neighbouring columns or grid
cells cannot overlap; the page opens at scale 1, where a label is
`FONT_SIZE` pixels high.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable
from typing import Final

import networkx as nx

FONT_SIZE: Final = 14  # canvas units; the page opens at scale 1
LABEL_LIMIT: Final = 16  # characters drawn on the canvas
COLUMN: Final = 250.0  # > LABEL_LIMIT × FONT_SIZE: columns' labels never meet
ROW: Final = 44.0  # a node, its label below and a gap
GRID_COLUMNS: Final = 4  # cells per row of the overview's shared grid
CLUSTER_HEIGHT: Final = 150.0
DOT_SPACING: Final = 22.0

Positions = dict[Hashable, tuple[float, float]]


def layered(graph: nx.MultiDiGraph, columns: list[list[Hashable]],
            anchor: int) -> Positions:
    """`columns` (each a list of nodes in reading order) laid out left to
    right. Column `anchor` is stacked in its order; each other column,
    walking outwards from it, places its nodes at the mean height of their
    neighbours already placed (those with none after them, in order), then
    pushes them apart to `ROW`."""
    neighbours = _neighbours(graph)
    positions: Positions = {}
    for rank, node in enumerate(columns[anchor]):
        positions[node] = (anchor * COLUMN, rank * ROW)
    for index in [*range(anchor - 1, -1, -1), *range(anchor + 1, len(columns))]:
        wanted = []
        for rank, node in enumerate(columns[index]):
            near = [positions[o][1] for o in neighbours[node] if o in positions]
            wanted.append((sum(near) / len(near) if near else math.inf, rank, node))
        wanted.sort(key=lambda item: (item[0], item[1]))
        floor: float | None = None
        for want, _, node in wanted:
            if floor is None:
                y = 0.0 if want == math.inf else want
            else:
                y = floor + ROW if want == math.inf else max(want, floor + ROW)
            positions[node] = (index * COLUMN, y)
            floor = y
    return _rounded(positions)


def fanned(positions: Positions, children: dict[Hashable, list[Hashable]]
           ) -> Positions:
    """Each parent's `children` in a column right of it, centred on it: where
    a folded node appears when its parent is opened."""
    placed: Positions = {}
    for parent, members in children.items():
        x, y = positions[parent]
        for index, child in enumerate(members):
            placed[child] = (x + COLUMN, y + (index - (len(members) - 1) / 2) * ROW)
    return _rounded(placed)


def clustered(graph: nx.MultiDiGraph) -> tuple[Positions, set[Hashable]]:
    """The overview's positions and the nodes that keep their label."""
    neighbours = _neighbours(graph)
    notices = sorted((n for n, t in graph.nodes(data="type") if t == "notice"),
                     key=lambda n: str(graph.nodes[n].get("notice", n)))
    notice_set = set(notices)
    owners = _owners(graph, neighbours, notice_set)
    shared = sorted((n for n in graph if n not in owners and n not in notice_set),
                    key=lambda n: (-len(neighbours[n]), str(graph.nodes[n]["type"]),
                                   str(graph.nodes[n].get("label", n))))
    positions: Positions = {}
    for rank, node in enumerate(shared):
        row, column = divmod(rank, GRID_COLUMNS)
        positions[node] = (column * COLUMN, row * ROW * 1.4)
    top = (math.ceil(len(shared) / GRID_COLUMNS) + 1) * ROW * 1.4
    own: dict[Hashable, list[Hashable]] = defaultdict(list)
    for node, owner in owners.items():
        own[owner].append(node)
    for rank, notice in enumerate(notices):
        row, column = divmod(rank, GRID_COLUMNS)
        x, y = column * COLUMN, top + row * CLUSTER_HEIGHT
        positions[notice] = (x, y)
        members = sorted(own[notice], key=lambda n: (str(graph.nodes[n]["type"]),
                                                     str(n)))
        per_row = max(1, int((COLUMN - 60) // DOT_SPACING))
        for index, member in enumerate(members):
            line, slot = divmod(index, per_row)
            positions[member] = (x - (per_row - 1) * DOT_SPACING / 2
                                 + slot * DOT_SPACING,
                                 y + ROW + line * DOT_SPACING)
    for node in graph:  # an island no notice reaches (a cut overview)
        positions.setdefault(node, (0.0, -ROW * 2))
    labelled = set(shared) | notice_set
    return _rounded(positions), labelled


def _owners(graph: nx.MultiDiGraph, neighbours: dict[Hashable, set[Hashable]],
            notices: set[Hashable]) -> dict[Hashable, Hashable]:
    """Node → the one notice it belongs to, for nodes only one notice
    reaches (directly, or through a node that notice reaches)."""
    owners: dict[Hashable, Hashable] = {}
    for node in graph:
        if node in notices:
            continue
        reach = {n for n in neighbours[node] if n in notices}
        if not reach:
            reach = {n for other in neighbours[node] for n in neighbours[other]
                     if n in notices}
        if len(reach) == 1:
            owners[node] = next(iter(reach))
    return owners


def _neighbours(graph: nx.MultiDiGraph) -> dict[Hashable, set[Hashable]]:
    near: dict[Hashable, set[Hashable]] = {node: set() for node in graph}
    for source, target in graph.edges():
        if source != target:
            near[source].add(target)
            near[target].add(source)
    return near


def _rounded(positions: Positions) -> Positions:
    return {node: (round(x, 1), round(y, 1)) for node, (x, y) in positions.items()}


def by_type(graph: nx.MultiDiGraph, kinds: Iterable[str]) -> list[Hashable]:
    """The nodes of `kinds`, in the graph's order."""
    wanted = set(kinds)
    return [node for node, kind in graph.nodes(data="type") if kind in wanted]
