"""kg/viz.py: networkx graph → self-contained HTML page."""

from __future__ import annotations

import json
import re
import time

import networkx as nx
import pytest

from kg import viz
from kg.viz import (
    NODE_TYPES,
    PHYSICS_LIMIT,
    external_resources,
    python_layout,
    render_html,
    script_json,
)

HOSTILE = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "</script><!--",
    "<a href='javascript:alert(1)'>x</a>",
)


def _page_data(html: str) -> dict:
    match = re.search(
        r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S
    )
    assert match is not None
    return json.loads(match.group(1))


def _small_graph() -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    graph.add_node("n1", type="notice", label="关于巡察整改进展情况的通报",
                   notice="n1", facts={"问题 problems": 3})
    graph.add_node("o1", type="organization", label="某某局党组", notice="n1",
                   start=10, end=15, text="对某某局党组开展了巡察")
    graph.add_node("r1", type="regulation", label="中国共产党纪律处分条例", count=2)
    graph.add_node("c1", type="category", label="理论学习")
    graph.add_edge("n1", "o1", label="inspected")
    graph.add_edge("n1", "r1", label="cites")
    graph.add_edge("n1", "r1", label="studies")
    graph.add_edge("n1", "c1", label="subject")
    return graph


def _hostile_graph() -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for index, text in enumerate(HOSTILE):
        graph.add_node(f"p{index}", type="problem", label=text, text=text,
                       notice=text, start=0, end=len(text))
    graph.add_node("n", type="notice", label=HOSTILE[0])
    graph.add_edges_from(
        ("n", f"p{i}", {"label": HOSTILE[1]}) for i in range(len(HOSTILE))
    )
    return graph


def _outside_json(html: str) -> str:
    """The page without its JSON data block."""
    return re.sub(r'(<script type="application/json" id="kg-data">).*?(</script>)',
                  r"\1\2", html, flags=re.S)


def test_nodes_and_edges_reach_the_page_in_bulk_with_their_attributes() -> None:
    data = _page_data(render_html(_small_graph(), title="t", heading="h"))
    assert len(data["nodes"]) == 4
    assert len(data["edges"]) == 4  # both parallel edges n1→r1 are kept
    by_label = {node["full"]: node for node in data["nodes"]}
    organization = by_label["某某局党组"]
    assert organization["type"] == "organization"
    assert organization["shape"] == NODE_TYPES["organization"].shape
    assert organization["color"]["background"] == NODE_TYPES["organization"].color
    assert "对某某局党组开展了巡察" in organization["title"]
    assert "通报 n1 [10, 15)" in organization["title"]
    assert ["数量 count", "2"] in by_label["中国共产党纪律处分条例"]["facts"]
    relations = sorted(edge["title"] for edge in data["edges"])
    assert relations == ["cites", "inspected", "studies", "subject"]


def test_bulk_lists_never_go_through_pyvis_add_edge(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("add_node/add_edge is quadratic: set the lists in bulk")

    monkeypatch.setattr(viz.Network, "add_edge", refuse)
    monkeypatch.setattr(viz.Network, "add_node", refuse)
    monkeypatch.setattr(viz.Network, "add_nodes", refuse)
    assert "kg-data" in render_html(_small_graph(), title="t", heading="h")


def test_hub_nodes_are_drawn_bigger_than_leaves() -> None:
    data = _page_data(render_html(_small_graph(), title="t", heading="h"))
    size = {node["full"]: node["size"] for node in data["nodes"]}
    assert size["关于巡察整改进展情况的通报"] > size["理论学习"]


def test_long_labels_are_cut_on_the_canvas_and_kept_whole_in_the_tooltip() -> None:
    graph = nx.MultiDiGraph()
    long_label = "关于" + "加强党风廉政建设" * 10 + "的通知"
    graph.add_node("r", type="regulation", label=long_label)
    node = _page_data(render_html(graph, title="t", heading="h"))["nodes"][0]
    assert len(node["label"]) == viz.LABEL_LIMIT
    assert node["label"].endswith("…")
    assert node["full"] == long_label
    assert node["title"].startswith(long_label)


def test_legend_lists_the_types_present_with_their_counts() -> None:
    html = render_html(_small_graph(), title="t", heading="h")
    legend = re.search(r'<fieldset id="kg-legend">(.*?)</fieldset>', html, re.S)
    assert legend is not None
    boxes = re.findall(r'data-type="(\w+)"', legend.group(1))
    assert boxes == ["notice", "organization", "regulation", "category"]
    assert NODE_TYPES["regulation"].name in legend.group(1)
    assert "problem" not in boxes


def test_an_unknown_node_type_is_refused() -> None:
    graph = nx.MultiDiGraph()
    graph.add_node("x", type="planet", label="x")
    with pytest.raises(ValueError, match="planet"):
        render_html(graph, title="t", heading="h")


@pytest.mark.parametrize("where", ["title", "heading", "note"])
def test_page_text_is_escaped(where: str) -> None:
    arguments = {"title": "t", "heading": "h", "note": "", where: HOSTILE[0]}
    html = render_html(_small_graph(), **arguments)
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_hostile_notice_text_stays_inside_escaped_json() -> None:
    html = render_html(_hostile_graph(), title="t", heading="h")
    page = _outside_json(html)
    # The inlined vis-network library has "onerror=" of its own: look for the
    # hostile strings themselves.
    for raw in ("alert(1)", "<img src=x", "javascript:alert", "<!--"):
        assert raw not in page, raw
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in html
    # The data block ends at the first </script>: it still parses whole and
    # reads back as the original text.
    labels = {node["full"] for node in _page_data(html)["nodes"]}
    assert set(HOSTILE) <= labels


def test_script_json_cannot_close_its_element() -> None:
    text = script_json({"a": "</script><!-- \u2028 & >"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text
    assert json.loads(text) == {"a": "</script><!-- \u2028 & >"}


def test_page_fetches_nothing_from_outside() -> None:
    html = render_html(_small_graph(), title="t", heading="h")
    assert external_resources(html) == []
    assert not re.search(r"""(?:src|href)\s*=\s*["']?https?://""", html, re.I)
    assert "cdn.jsdelivr.net" not in html and "cdnjs.cloudflare.com" not in html
    assert "vis.Network" in html  # vis-network is in the page itself


def test_external_resources_finds_links_scripts_and_images() -> None:
    page = (
        '<link rel="stylesheet" href="https://cdn.example/b.css">'
        '<script src="https://cdn.example/b.js"></script><img src="x.png">'
        '<div style="background: url(https://example.org/a.png)"></div>'
    )
    assert len(external_resources(page)) == 5


def test_small_graphs_use_physics_that_stabilises_and_big_ones_python_positions(
) -> None:
    small = _page_data(render_html(_small_graph(), title="t", heading="h"))
    assert small["physics"] is True
    options = small["options"]
    assert options["physics"]["stabilization"]["iterations"] == 200
    assert options["layout"]["improvedLayout"] is False
    assert options["edges"]["smooth"] is False
    assert all("x" not in node for node in small["nodes"])

    big = _page_data(render_html(_star(PHYSICS_LIMIT + 1), title="t", heading="h"))
    assert big["physics"] is False
    assert big["options"]["physics"]["enabled"] is False
    assert all(isinstance(node["x"], float) for node in big["nodes"])


def test_layout_can_be_forced() -> None:
    forced = render_html(_small_graph(), title="t", heading="h", layout="python")
    assert _page_data(forced)["physics"] is False


def _star(leaves: int) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    graph.add_node("hub", type="category", label="hub")
    for index in range(leaves):
        graph.add_node(index, type="notice", label=f"n{index}")
        graph.add_edge(index, "hub", label="subject")
    return graph


def test_python_layout_puts_hubs_in_the_middle_and_leaves_around_their_node() -> None:
    graph = nx.MultiDiGraph()
    for hub in range(3):
        graph.add_node(f"h{hub}", type="category", label=f"h{hub}")
    for index in range(300):
        graph.add_node(index, type="notice", label=str(index))
        graph.add_edge(index, f"h{index % 3}", label="subject")
        graph.add_edge(index, f"h{(index + 1) % 3}", label="subject")
        graph.add_node(f"o{index}", type="organization", label=f"o{index}")
        graph.add_edge(index, f"o{index}", label="inspected")
    positions = python_layout(graph)
    assert set(positions) == set(graph.nodes)

    def radius(node: object) -> float:
        x, y = positions[node]
        return (x * x + y * y) ** 0.5

    assert max(radius(f"h{hub}") for hub in range(3)) < min(
        radius(index) for index in range(300)
    )
    for index in range(300):
        (x, y), (ox, oy) = positions[index], positions[f"o{index}"]
        assert ((x - ox) ** 2 + (y - oy) ** 2) ** 0.5 < 2 * viz._LEAF_RADIUS
    assert len(set(positions.values())) == len(positions)  # no two on one spot


def test_python_layout_of_fifty_thousand_nodes_takes_seconds_not_minutes() -> None:
    graph = nx.MultiDiGraph()
    for hub in range(100):
        graph.add_node(f"r{hub}", type="regulation", label=f"r{hub}")
    for index in range(25_000):
        graph.add_node(index, type="notice", label=str(index))
        graph.add_node(f"o{index}", type="organization", label=f"o{index}")
        graph.add_edge(index, f"o{index}", label="inspected")
        graph.add_edge(index, f"r{index % 100}", label="cites")
        graph.add_edge(index, f"r{(index * 7) % 100}", label="cites")
    started = time.perf_counter()
    positions = python_layout(graph)
    elapsed = time.perf_counter() - started
    print(f"python_layout: {graph.number_of_nodes()} nodes in {elapsed:.2f} s")
    assert len(positions) == graph.number_of_nodes()
    assert elapsed < 10
