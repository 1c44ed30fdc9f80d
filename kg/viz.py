"""networkx graph → an interactive HTML page drawn by vis-network 9.1.2.

Every page of kg is rendered by the one Jinja environment here
(`environment`, autoescaped; templates in kg/templates/). A graph reaches the
page as JSON data (Jinja's ``tojson``, safe inside <script>) and is shown
with canvas text, vis titles (set with innerText) and textContent: notice
text is never parsed as HTML. Positions are computed in Python (`kg.layout`),
so a page opens laid out, at a scale where labels read.

The script, the style sheet and vis-network are assets: a site writes them
once under assets/ (`kg.site`) and its pages name them relatively; a
single page (`kg view`) carries them in line. Either way no request leaves
the page (docs/architecture.md).

Node attributes read here (written by `kg.graph`): ``type`` (one of
`NODE_TYPES`), ``label``, and optionally ``text`` (the source sentence),
``notice`` (notice id), ``start``/``end`` (offsets into the notice's NFC text),
``iri``, ``count`` (how many items a collapsed node stands for) and ``facts``
(a mapping of further figures). The edge attribute ``label`` names the relation.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Final, Literal
from urllib.parse import quote

import networkx as nx
import orjson
import pyvis
from jinja2 import Environment, FileSystemLoader, select_autoescape

from kg import layout
from kg.pagedata import tail

Kind = Literal["notice", "overview", "focus"]

TEMPLATES: Final = Path(__file__).parent / "templates"
VIZ_DIR: Final = Path(__file__).parent / "data" / "viz"
VIS_NETWORK: Final = (Path(pyvis.__file__).parent / "templates" / "lib"
                      / "vis-9.1.2" / "vis-network.min.js")
# Asset file name under assets/ → where the package keeps it.
ASSETS: Final = {
    "vis-network.min.js": VIS_NETWORK,
    "graph.css": VIZ_DIR / "graph.css",
    "graph.js": VIZ_DIR / "graph.js",
}
TOOLTIP_TEXT_LIMIT: Final = 300  # characters of the source text in a tooltip
EDGE_LABEL_LIMIT: Final = 200  # draw relation names on edges up to this many edges


@dataclass(frozen=True, slots=True)
class NodeType:
    name: str  # shown in the legend and the tooltip
    color: str
    shape: str  # a vis-network shape whose label is drawn below the node
    glyph: str  # the legend's stand-in for the shape
    size: int  # radius in canvas units


NODE_TYPES: Final[dict[str, NodeType]] = {
    "notice": NodeType("通报 notice", "#2f6fb0", "square", "■", 16),
    "organization": NodeType("被巡察单位 inspected unit", "#e8871e", "dot", "●", 10),
    "committee": NodeType("党委 committee", "#c0392b", "star", "★", 12),
    "group": NodeType("巡察组 inspection group", "#8e44ad", "triangle", "▲", 11),
    "regulation": NodeType("法规制度 regulation", "#27ae60", "diamond", "◆", 9),
    "category": NodeType("问题类别 category", "#16a085", "hexagon", "⬢", 11),
    "aspect": NodeType("方面 aspect", "#8d6e63", "triangleDown", "▼", 12),
    "problem": NodeType("问题 problem", "#d6336c", "dot", "●", 9),
    "measure": NodeType("整改措施 measure", "#5d8aa8", "dot", "●", 7),
    "person": NodeType("人员 person", "#e0a800", "star", "★", 10),
}

RELATION_NAMES: Final = {
    "cites": "引用", "studies": "学习", "enacts": "制定", "violates": "违反",
    "has_part": "包含", "has_problem": "问题", "addresses": "整改",
    "subject": "类别", "inspected": "被巡察", "inspected_by": "巡察",
    "unit_of": "隶属", "person_of": "任职",
}
_EDGE_COLORS: Final = {"violates": "#c0392b", "enacts": "#27ae60"}
_EDGE_COLOR: Final = "#b5bcc3"

_EXTERNAL = re.compile(
    r"""<link\b(?![^>]*\bhref\s*=\s*["']?(?:\.\./)*assets/)"""
    r"""|<script\b[^>]*\bsrc\s*=(?!\s*["']?(?:\.\./)*assets/)"""
    r"""|<(?:img|iframe|embed|object)\b"""
    r"""|(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//""",
    re.IGNORECASE,
)


def external_resources(html: str) -> list[str]:
    """Markup in `html` that would make the browser fetch something outside
    the site (links, script sources other than the site's assets/, images,
    frames, remote URLs). Text inside JSON data cannot match: its ``<`` is
    escaped."""
    return [match.group(0) for match in _EXTERNAL.finditer(html)]


@cache
def environment() -> Environment:
    """The one Jinja environment of every page kg writes."""
    env = Environment(
        loader=FileSystemLoader([str(TEMPLATES), str(VIZ_DIR)]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["urlsegment"] = _url_segment
    env.filters["tail"] = tail
    env.policies["json.dumps_function"] = _json_text
    env.policies["json.dumps_kwargs"] = {}
    return env


def _json_text(value: object) -> str:
    """`tojson` in the templates: compact, not ASCII-escaped. orjson, not
    json: a page's data is its largest part, and json took 7% of the pages'
    CPU at 10,000 notices (orjson encodes it several times faster)."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode("utf-8")


@lru_cache(maxsize=1 << 16)
def _url_segment(text: object) -> str:
    # Memoised: the index and the focus pages name the same notices many
    # times, and quote() is pure Python.
    return quote(str(text), safe="")


@cache
def _inline_assets() -> dict[str, str]:
    return {name: path.read_text("utf-8") for name, path in ASSETS.items()}


def page_data(graph: nx.MultiDiGraph, kind: Kind) -> dict[str, Any]:
    """What the page script draws: nodes with positions, edges, options."""
    unknown = {t for _, t in graph.nodes(data="type")} - NODE_TYPES.keys()
    if unknown:
        raise ValueError(f"nodes of unknown type: {', '.join(map(str, unknown))}")
    positions, labelled, folded = _positions(graph, kind)
    ids = {node: str(index) for index, node in enumerate(graph.nodes)}
    nodes = [
        _vis_node(ids[node], attributes, positions[node],
                  labelled is None or node in labelled)
        for node, attributes in graph.nodes(data=True)
    ]
    for item, node in zip(nodes, graph.nodes, strict=True):
        if node in folded:
            item["fold"] = ids[folded[node]]
            item["hidden"] = True
    # Listed once: number_of_edges() walks every edge of a multigraph.
    listed = list(graph.edges(data=True))
    show_edge_labels = kind == "focus" and len(listed) <= EDGE_LABEL_LIMIT
    edges = [
        _vis_edge(index, ids[source], ids[target], attributes, show_edge_labels)
        for index, (source, target, attributes) in enumerate(listed)
    ]
    if kind == "overview":  # many long edges: faint, so the labels stay in front
        for edge in edges:
            edge["color"] = {"color": edge["color"], "opacity": 0.3}
    return {"nodes": nodes, "edges": edges, "options": _options(),
            "tooltipText": TOOLTIP_TEXT_LIMIT,
            "types": {key: {"name": spec.name, "color": spec.color}
                      for key, spec in NODE_TYPES.items()}}


def render_html(
    graph: nx.MultiDiGraph,
    *,
    title: str,
    heading: str,
    kind: Kind = "focus",
    panel: str = "",
    panel_context: Mapping[str, Any] | None = None,
    note: str = "",
    assets: str | None = None,
) -> str:
    """A page drawing `graph`. `panel` names a template of kg/templates/ for
    the side panel, rendered with `panel_context`; `assets` is the relative
    path of the site's assets/ folder, None to carry them in line."""
    type_counts: dict[str, int] = {}
    for _, node_type in graph.nodes(data="type"):
        type_counts[node_type] = type_counts.get(node_type, 0) + 1
    data = page_data(graph, kind)
    legend = [
        {"type": key, "name": spec.name, "color": spec.color, "glyph": spec.glyph,
         "count": type_counts[key], "folded": kind == "notice" and key == "measure"}
        for key, spec in NODE_TYPES.items() if key in type_counts
    ]
    return environment().get_template("graph.html").render(
        title=title, heading=heading, note=note, panel=panel,
        **(panel_context or {}), legend=legend,
        node_count=len(data["nodes"]), edge_count=len(data["edges"]),
        data=data, assets=assets,
        inline=_inline_assets() if assets is None else None,
    )


def _positions(
    graph: nx.MultiDiGraph, kind: Kind
) -> tuple[layout.Positions, set[Hashable] | None, dict[Hashable, Hashable]]:
    """Positions, the nodes that keep a label (None: all), and the folded
    nodes with the node that opens them."""
    if kind == "overview":
        positions, labelled = layout.clustered(graph)
        return positions, labelled, {}
    if kind == "focus":
        columns = [layout.by_type(graph, kinds) for kinds in (
            ("notice", "organization", "group", "committee", "person"),
            ("aspect",), ("problem",), ("measure",), ("regulation", "category"))]
        columns = [column for column in columns if column]
        anchor = max(range(len(columns)), key=lambda i: len(columns[i]))
        return layout.layered(graph, columns, anchor), None, {}
    return _tree_positions(graph)


def _tree_positions(
    graph: nx.MultiDiGraph,
) -> tuple[layout.Positions, None, dict[Hashable, Hashable]]:
    """A notice page: notice and parties, aspects by depth, problems, then
    (folded) measures and, at the side, regulations and categories."""
    depth: dict[Hashable, int] = {}
    for node in layout.by_type(graph, ("aspect",)):  # parents come first
        parents = [s for s, _, r in graph.in_edges(node, data="label")
                   if r == "has_part" and s in depth]
        depth[node] = 1 + max((depth[p] for p in parents), default=0)
    levels = max(depth.values(), default=0)
    columns: list[list[Hashable]] = [
        layout.by_type(graph, ("notice", "organization", "group", "committee",
                               "person"))]
    columns += [[n for n, d in depth.items() if d == level]
                for level in range(1, levels + 1)]
    problems = layout.by_type(graph, ("problem",))
    columns += [problems, [], layout.by_type(graph, ("regulation", "category"))]
    children: dict[Hashable, list[Hashable]] = {}
    folded: dict[Hashable, Hashable] = {}
    for measure in layout.by_type(graph, ("measure",)):
        problem = next((t for _, t, r in graph.out_edges(measure, data="label")
                        if r == "addresses"), None)
        if problem is not None:
            children.setdefault(problem, []).append(measure)
            folded[measure] = problem
    positions = layout.layered(graph, columns, anchor=levels + 1)
    # The root at the top left, where reading starts, its parties below it.
    top = min((y for _, y in positions.values()), default=0.0)
    for rank, node in enumerate(columns[0]):
        positions[node] = (0.0, top + rank * layout.ROW * 1.25)
    positions.update(layout.fanned(positions, children))
    for node in graph:
        positions.setdefault(node, (0.0, 0.0))
    return positions, None, folded


def _short(label: str) -> str:
    limit = layout.LABEL_LIMIT
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _facts(attributes: Mapping[str, Any]) -> list[tuple[str, str]]:
    facts: list[tuple[str, str]] = []
    if attributes.get("count") is not None:
        facts.append(("数量 count", str(attributes["count"])))
    for name, value in (attributes.get("facts") or {}).items():
        facts.append((str(name), str(value)))
    return facts


def _vis_node(vis_id: str, attributes: Mapping[str, Any],
              position: tuple[float, float], labelled: bool) -> dict[str, Any]:
    spec = NODE_TYPES[attributes["type"]]
    label = str(attributes.get("label") or vis_id)
    item: dict[str, Any] = {
        "id": vis_id,
        "label": _short(label) if labelled else "",
        "full": label,
        "type": attributes["type"],
        "shape": spec.shape,
        "size": spec.size if labelled else 5,
        "x": position[0],
        "y": position[1],
    }
    for key in ("notice", "start", "end", "iri"):
        if attributes.get(key) is not None:
            item[key] = attributes[key]
    # The tooltip (built by graph.js) and the panel show the source text;
    # most labels are that text already.
    if attributes.get("text") and attributes["text"] != label:
        item["text"] = attributes["text"]
    facts = _facts(attributes)
    if facts:
        item["facts"] = facts
    return item


def _vis_edge(index: int, source: str, target: str, attributes: Mapping[str, Any],
              show_label: bool) -> dict[str, Any]:
    relation = str(attributes.get("label", ""))
    name = RELATION_NAMES.get(relation, relation)
    item: dict[str, Any] = {
        "id": f"e{index}",
        "from": source,
        "to": target,
        "title": f"{name} {relation}".strip(),
        "color": _EDGE_COLORS.get(relation, _EDGE_COLOR),
    }
    if show_label and name:
        item["label"] = name
    return item


def _options() -> dict[str, Any]:
    return {
        "autoResize": True,
        "nodes": {"borderWidth": 1,
                  "font": {"size": layout.FONT_SIZE, "color": "#222",
                           "strokeWidth": 3, "strokeColor": "#ffffff"}},
        "edges": {
            # Straight edges: curved ones cost a support node each.
            "smooth": False,
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.4}},
            "width": 0.8,
            "font": {"size": 11, "color": "#666", "strokeWidth": 2},
        },
        "interaction": {"hover": True, "tooltipDelay": 150,
                        "hideEdgesOnDrag": True},
        "layout": {"improvedLayout": False, "randomSeed": 7},
        # Positions come from kg.layout: nothing for the browser to simulate.
        "physics": {"enabled": False},
    }
