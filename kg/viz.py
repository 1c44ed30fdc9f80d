"""networkx graph → one self-contained interactive HTML page (pyvis, vis-network).

The page carries vis-network 9.1.2 in line, as pyvis's ``cdn_resources="in_line"``
does, and nothing else from outside: no request leaves the page (DESIGN.md,
headless Chromium measurements). pyvis builds the node and edge lists and the
options, set in bulk (``Network.add_edge`` scans for duplicates, so adding edge
by edge is quadratic); the page itself comes from our template in
``kg/data/viz/`` rendered beside pyvis's own template folder, because pyvis's
template (0.3.2) links Bootstrap from a CDN in every mode, writes the heading
unescaped, and switches to ``innerHTML`` tooltips as soon as any title contains
"href" — one hostile notice would run script.

Node attributes read here (written by `kg.graph`): ``type`` (one of
`NODE_TYPES`), ``label``, and optionally ``text`` (the source sentence),
``notice`` (notice id), ``start``/``end`` (offsets into the notice's NFC text),
``iri``, ``count`` (how many items a collapsed node stands for) and ``facts``
(a mapping of further figures, e.g. problems and measures of a notice).
The edge attribute ``label`` names the relation.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final, Literal

import networkx as nx
import pyvis
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from pyvis.network import Network

Layout = Literal["auto", "physics", "python"]

VIZ_DIR: Final = Path(__file__).parent / "data" / "viz"
# Above this many nodes vis-network's physics is slow to settle in a
# software-rendered browser (DESIGN.md: 5,000 nodes took 16 s with 200
# iterations; measured here: a 1,000-node overview 6.9 s with physics, 1,500
# nodes laid out in Python 1.6 s); positions are computed here instead.
PHYSICS_LIMIT: Final = 500
LABEL_LIMIT: Final = 40  # characters of a label drawn on the canvas
TOOLTIP_TEXT_LIMIT: Final = 300  # characters of the source sentence in a tooltip
EDGE_LABEL_LIMIT: Final = 200  # draw relation names on edges up to this many edges


@dataclass(frozen=True, slots=True)
class NodeType:
    name: str  # shown in the legend and the tooltip
    color: str
    shape: str  # a vis-network shape whose label is drawn outside the node
    glyph: str  # the legend's stand-in for the shape


NODE_TYPES: Final[dict[str, NodeType]] = {
    "notice": NodeType("通报 notice", "#2f6fb0", "square", "■"),
    "organization": NodeType("被巡察单位 inspected unit", "#e8871e", "dot", "●"),
    "committee": NodeType("党委 committee", "#c0392b", "star", "★"),
    "group": NodeType("巡察组 inspection group", "#8e44ad", "triangle", "▲"),
    "regulation": NodeType("法规制度 regulation", "#27ae60", "diamond", "◆"),
    "rule": NodeType("规定(无书名号) rule", "#7d9a1e", "diamond", "◆"),
    "category": NodeType("问题类别 category", "#16a085", "hexagon", "⬢"),
    "aspect": NodeType("方面 aspect", "#8d6e63", "triangleDown", "▼"),
    "problem": NodeType("问题 problem", "#d6336c", "dot", "●"),
    "measure": NodeType("整改措施 measure", "#5d8aa8", "dot", "●"),
    "person": NodeType("人员 person", "#e0a800", "star", "★"),
}

_EDGE_COLORS: Final = {"violates": "#c0392b", "enacts": "#27ae60"}
_EDGE_COLOR: Final = "#9aa4ad"

# JSON inside <script> must not be able to close the element or open a
# comment (HTML §4.12.1.3): escape the characters that start those sequences,
# plus the two line separators older JavaScript engines reject in strings.
_SCRIPT_ESCAPES: Final = (
    ("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
    ("\u2028", "\\u2028"), ("\u2029", "\\u2029"),
)
_EXTERNAL = re.compile(
    r"""<link\b|<script\b[^>]*\bsrc\s*=|<(?:img|iframe|embed|object)\b|"""
    r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//""",
    re.IGNORECASE,
)


def script_json(value: object) -> str:
    """`value` as JSON that is safe inside an HTML <script> element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    # str.replace per character: 20x faster than str.translate on a 10 MB page.
    for character, escaped in _SCRIPT_ESCAPES:
        text = text.replace(character, escaped)
    return text


def external_resources(html: str) -> list[str]:
    """Markup in `html` that would make the browser fetch something outside the
    page (links, script sources, images, frames, remote URLs). Text inside
    JSON data cannot match: its ``<`` is escaped."""
    return [match.group(0) for match in _EXTERNAL.finditer(html)]


def render_html(
    graph: nx.MultiDiGraph,
    *,
    title: str,
    heading: str,
    side_panel_html: str = "",
    note: str = "",
    layout: Layout = "auto",
) -> str:
    """A self-contained HTML page drawing `graph`.

    `side_panel_html` is trusted markup built by the caller (escape what goes
    in it); `title`, `heading` and `note` are text. ``layout="auto"`` lets
    vis-network's physics place up to `PHYSICS_LIMIT` nodes and computes
    positions here for bigger graphs (`python_layout`).
    """
    # The template is checked by tests/test_viz.py; the panel is the caller's.
    leaks = external_resources(side_panel_html)
    if leaks:
        raise ValueError(f"the side panel would fetch outside resources: {leaks[:3]}")
    unknown = {t for _, t in graph.nodes(data="type")} - NODE_TYPES.keys()
    if unknown:
        raise ValueError(f"nodes of unknown type: {', '.join(map(str, unknown))}")
    node_count = graph.number_of_nodes()
    # Counting a MultiDiGraph's edges walks them all: once is enough.
    edge_count = graph.number_of_edges()
    physics = layout == "physics" or (layout == "auto" and node_count <= PHYSICS_LIMIT)
    positions = None if physics else python_layout(graph)

    network = Network(directed=True, cdn_resources="in_line")
    ids = {node: str(index) for index, node in enumerate(graph.nodes)}
    degree = dict(graph.degree())
    # Bulk assignment: see the module docstring.
    network.nodes = [
        _vis_node(ids[node], attributes, degree[node], positions, node)
        for node, attributes in graph.nodes(data=True)
    ]
    show_edge_labels = edge_count <= EDGE_LABEL_LIMIT
    network.edges = [
        _vis_edge(index, ids[source], ids[target], attributes, show_edge_labels)
        for index, (source, target, attributes) in enumerate(
            graph.edges(data=True)
        )
    ]
    network.options = _options(physics, node_count)
    vis_nodes, vis_edges, _, _, _, options = network.get_network_data()

    type_counts: dict[str, int] = {}
    for _, node_type in graph.nodes(data="type"):
        type_counts[node_type] = type_counts.get(node_type, 0) + 1
    legend = [
        {"type": key, "name": spec.name, "color": spec.color, "glyph": spec.glyph,
         "count": type_counts[key]}
        for key, spec in NODE_TYPES.items()
        if key in type_counts
    ]
    data = {
        "nodes": vis_nodes,
        "edges": vis_edges,
        "options": json.loads(options),
        "physics": physics,
        "types": {key: {"name": spec.name, "color": spec.color}
                  for key, spec in NODE_TYPES.items()},
    }
    html = _environment().get_template("page.html").render(
        title=title,
        heading=heading,
        note=note,
        side_panel=Markup(side_panel_html),
        legend=legend,
        node_count=node_count,
        edge_count=edge_count,
        data=Markup(script_json(data)),
    )
    return html


@cache
def _environment() -> Environment:
    # Our template first, then pyvis's folder for its in-line vis-network files.
    pyvis_templates = Path(pyvis.__file__).parent / "templates"
    return Environment(
        loader=FileSystemLoader([str(VIZ_DIR), str(pyvis_templates)]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        keep_trailing_newline=True,
    )


def _short(label: str) -> str:
    return label if len(label) <= LABEL_LIMIT else label[: LABEL_LIMIT - 1] + "…"


def _facts(attributes: Mapping[str, Any]) -> list[tuple[str, str]]:
    facts: list[tuple[str, str]] = []
    if attributes.get("count") is not None:
        facts.append(("数量 count", str(attributes["count"])))
    for name, value in (attributes.get("facts") or {}).items():
        facts.append((str(name), str(value)))
    return facts


def _tooltip(attributes: Mapping[str, Any], label: str) -> str:
    """Plain text: vis-network 9 puts a string title in the page with innerText."""
    lines = [label, NODE_TYPES[attributes["type"]].name]
    if attributes.get("notice") is not None:
        where = ""
        if attributes.get("start") is not None:
            where = f" [{attributes['start']}, {attributes['end']})"
        lines.append(f"通报 {attributes['notice']}{where}")
    text = attributes.get("text")
    if text:
        if len(text) > TOOLTIP_TEXT_LIMIT:
            text = text[: TOOLTIP_TEXT_LIMIT - 1] + "…"
        lines.append(f"“{text}”")
    lines.extend(f"{name}: {value}" for name, value in _facts(attributes))
    return "\n".join(lines)


def _vis_node(
    vis_id: str,
    attributes: Mapping[str, Any],
    degree: int,
    positions: Mapping[Hashable, tuple[float, float]] | None,
    node: Hashable,
) -> dict[str, Any]:
    spec = NODE_TYPES[attributes["type"]]
    label = str(attributes.get("label") or node)
    item: dict[str, Any] = {
        "id": vis_id,
        "label": _short(label),
        "full": label,
        "title": _tooltip(attributes, label),
        "type": attributes["type"],
        "shape": spec.shape,
        "color": {"background": spec.color, "border": spec.color},
        # Area grows with degree; the root keeps hubs from swallowing the view.
        "size": round(8 + 4 * math.sqrt(degree), 1),
    }
    for key in ("notice", "start", "end", "text", "iri"):
        if attributes.get(key) is not None:
            item[key] = attributes[key]
    facts = _facts(attributes)
    if facts:
        item["facts"] = facts
    if positions is not None:
        item["x"], item["y"] = positions[node]
    return item


def _vis_edge(
    index: int, source: str, target: str, attributes: Mapping[str, Any],
    show_label: bool,
) -> dict[str, Any]:
    relation = str(attributes.get("label", ""))
    item: dict[str, Any] = {
        "id": f"e{index}",
        "from": source,
        "to": target,
        "title": relation,
        "color": _EDGE_COLORS.get(relation, _EDGE_COLOR),
    }
    if show_label and relation:
        item["label"] = relation
    return item


def _options(physics: bool, node_count: int) -> dict[str, Any]:
    big = node_count > PHYSICS_LIMIT
    return {
        "autoResize": True,
        "nodes": {"borderWidth": 1, "font": {"size": 13}},
        "edges": {
            # Straight edges: curved ones cost a physics support node each.
            "smooth": False,
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.4}},
            "width": 0.8,
            "font": {"size": 10, "color": "#666", "strokeWidth": 2},
        },
        "interaction": {
            "hover": not big,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
        },
        # improvedLayout runs a Kamada–Kawai pass that alone takes tens of
        # seconds past a few hundred nodes (DESIGN.md, headless Chromium).
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "physics": {
            "enabled": physics,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 80,
                                 "avoidOverlap": 0.4},
            "stabilization": {"enabled": physics, "iterations": 200, "fit": True},
        },
    }


# --- layout for big graphs ---------------------------------------------------

_GOLDEN_ANGLE: Final = math.pi * (3 - math.sqrt(5))
_SPACING: Final = 70.0  # canvas units between neighbouring spiral positions
_LEAF_RADIUS: Final = 40.0


def python_layout(graph: nx.MultiDiGraph) -> dict[Hashable, tuple[float, float]]:
    """Positions for a big graph in linear time.

    Nodes with more than one neighbour go on a sunflower spiral ordered by
    degree, so hubs (shared regulations, categories, committees) sit in the
    middle; one relaxation pass then pulls each of them part of the way to
    its neighbours, and nodes with a single neighbour (a notice's inspected
    unit, a one-off regulation) are placed in a ring around that neighbour.
    networkx's spring_layout needs minutes at 50,000 nodes; this takes well
    under a second (tests/test_viz.py measures it).
    """
    neighbours: dict[Hashable, set[Hashable]] = {node: set() for node in graph}
    for source, target in graph.edges():
        if source != target:
            neighbours[source].add(target)
            neighbours[target].add(source)
    leaves = {
        node for node, near in neighbours.items()
        if len(near) == 1 and len(neighbours[next(iter(near))]) > 1
    }
    core = sorted(
        (node for node in graph if node not in leaves),
        key=lambda node: (-len(neighbours[node]), str(graph.nodes[node]["type"]),
                          str(graph.nodes[node].get("label", node))),
    )
    spiral: dict[Hashable, tuple[float, float]] = {}
    for rank, node in enumerate(core):
        radius = _SPACING * math.sqrt(rank + 0.5)
        angle = rank * _GOLDEN_ANGLE
        spiral[node] = (radius * math.cos(angle), radius * math.sin(angle))

    positions: dict[Hashable, tuple[float, float]] = {}
    for node, (x, y) in spiral.items():
        near = [spiral[other] for other in neighbours[node] if other in spiral]
        if not near:
            positions[node] = (x, y)
            continue
        mean_x = sum(p[0] for p in near) / len(near)
        mean_y = sum(p[1] for p in near) / len(near)
        positions[node] = (0.6 * x + 0.4 * mean_x, 0.6 * y + 0.4 * mean_y)

    ring: dict[Hashable, list[Hashable]] = {}
    for leaf in sorted(leaves, key=str):
        ring.setdefault(next(iter(neighbours[leaf])), []).append(leaf)
    for parent, members in ring.items():
        px, py = positions[parent]
        radius = _LEAF_RADIUS * max(1.0, math.sqrt(len(members) / 6))
        for index, leaf in enumerate(members):
            angle = 2 * math.pi * index / len(members)
            positions[leaf] = (px + radius * math.cos(angle),
                               py + radius * math.sin(angle))
    return {node: (round(x, 1), round(y, 1)) for node, (x, y) in positions.items()}
