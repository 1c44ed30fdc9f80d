"""kg/viz.py and kg/layout.py: networkx graph → HTML page, positions."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Hashable

import networkx as nx
import pytest

from kg import layout
from kg.viz import NODE_TYPES, RELATION_NAMES, external_resources, render_html

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


def _notice_tree(aspects: int = 3, problems: int = 4,
                 measures: int = 3) -> nx.MultiDiGraph:
    """A notice → aspects → problems → measures, with a shared category and
    one regulation per aspect."""
    graph = nx.MultiDiGraph()
    graph.add_node("n", type="notice", label="某某局党组关于巡察整改进展情况的通报")
    graph.add_node("o", type="organization", label="某某局党组")
    graph.add_edge("n", "o", label="inspected")
    graph.add_node("c", type="category", label="理论学习")
    for a in range(aspects):
        graph.add_node(f"a{a}", type="aspect", label=f"第{a}方面问题的概括性表述")
        graph.add_edge("n", f"a{a}", label="has_part")
        graph.add_node(f"r{a}", type="regulation", label=f"某某规定{a}")
        for p in range(problems):
            problem = f"p{a}.{p}"
            graph.add_node(problem, type="problem", label=f"问题{a}.{p}" * 4)
            graph.add_edge(f"a{a}", problem, label="has_problem")
            graph.add_edge(problem, "c", label="subject")
            graph.add_edge(problem, f"r{a}", label="violates")
            for m in range(measures):
                graph.add_node(f"m{a}.{p}.{m}", type="measure", label=f"措施{m}")
                graph.add_edge(f"m{a}.{p}.{m}", problem, label="addresses")
    return graph


def _outside_json(html: str) -> str:
    return re.sub(r'(<script type="application/json" id="kg-data">).*?(</script>)',
                  r"\1\2", html, flags=re.S)


def test_nodes_and_edges_reach_the_page_with_their_attributes() -> None:
    data = _page_data(render_html(_small_graph(), title="t", heading="h"))
    assert len(data["nodes"]) == 4
    assert len(data["edges"]) == 4  # both parallel edges n1→r1 are kept
    by_label = {node["full"]: node for node in data["nodes"]}
    organization = by_label["某某局党组"]
    assert organization["type"] == "organization"
    assert organization["shape"] == NODE_TYPES["organization"].shape
    assert organization["text"] == "对某某局党组开展了巡察"
    assert (organization["notice"], organization["start"]) == ("n1", 10)
    assert ["数量 count", "2"] in by_label["中国共产党纪律处分条例"]["facts"]
    assert data["types"]["organization"]["color"] == NODE_TYPES["organization"].color
    assert all(isinstance(node["x"], float) for node in data["nodes"])
    assert data["options"]["physics"]["enabled"] is False


def test_edges_are_named_in_chinese_first() -> None:
    data = _page_data(render_html(_small_graph(), title="t", heading="h",
                                  kind="focus"))
    titles = sorted(edge["title"] for edge in data["edges"])
    assert titles == ["学习 studies", "引用 cites", "类别 subject", "被巡察 inspected"]
    assert sorted(edge["label"] for edge in data["edges"]) == sorted(
        RELATION_NAMES[r] for r in ("studies", "cites", "subject", "inspected"))


def test_long_labels_are_cut_to_sixteen_characters_and_kept_whole() -> None:
    graph = nx.MultiDiGraph()
    long_label = "关于" + "加强党风廉政建设" * 10 + "的通知"
    graph.add_node("r", type="regulation", label=long_label)
    node = _page_data(render_html(graph, title="t", heading="h"))["nodes"][0]
    assert len(node["label"]) == layout.LABEL_LIMIT == 16
    assert node["label"].endswith("…")
    assert node["full"] == long_label


def test_legend_lists_the_types_present_and_folds_measures_on_a_notice() -> None:
    html = render_html(_notice_tree(), title="t", heading="h", kind="notice")
    legend = re.search(r'<fieldset id="kg-legend">(.*?)</fieldset>', html, re.S)
    assert legend is not None
    boxes = re.findall(r'<input type="checkbox" (checked )?data-type="(\w+)"',
                       legend.group(1))
    assert [name for _, name in boxes] == ["notice", "organization", "regulation",
                                           "category", "aspect", "problem",
                                           "measure"]
    assert [name for ticked, name in boxes if not ticked] == ["measure"]
    assert NODE_TYPES["regulation"].name in legend.group(1)


def test_an_unknown_node_type_is_refused() -> None:
    graph = nx.MultiDiGraph()
    graph.add_node("x", type="planet", label="x")
    with pytest.raises(ValueError, match="planet"):
        render_html(graph, title="t", heading="h")


@pytest.mark.parametrize("where", ["title", "heading", "note"])
def test_page_text_is_escaped(where: str) -> None:
    arguments = {"title": "t", "heading": "h", "note": "", where: HOSTILE[0]}
    html = render_html(_small_graph(), assets="assets/", **arguments)
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_hostile_notice_text_stays_inside_escaped_json() -> None:
    graph = nx.MultiDiGraph()
    graph.add_node("n", type="notice", label=HOSTILE[0])
    for index, text in enumerate(HOSTILE):
        graph.add_node(f"p{index}", type="problem", label=text, text=text + "。")
        graph.add_edge("n", f"p{index}", label="has_problem")
    html = render_html(graph, title="t", heading="h", assets="assets/")
    page = _outside_json(html)
    for raw in ("alert(1)", "<img src=x", "javascript:alert", "<!--"):
        assert raw not in page, raw
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in html
    labels = {node["full"] for node in _page_data(html)["nodes"]}
    assert set(HOSTILE) <= labels


def test_a_site_page_names_its_assets_relatively_and_a_single_page_carries_them(
) -> None:
    site = render_html(_small_graph(), title="t", heading="h", assets="../assets/")
    assert external_resources(site) == []
    assert re.findall(r'<script src="([^"]+)"', site) == [
        "../assets/vis-network.min.js", "../assets/graph.js"]
    assert "vis.Network" not in site and len(site) < 20_000
    single = render_html(_small_graph(), title="t", heading="h")
    assert external_resources(single) == []
    assert "<script src=" not in single and "<link" not in single
    assert "vis.Network" in single  # vis-network and the script in line
    for page in (site, single):
        assert not re.search(r"""(?:src|href)\s*=\s*["']?https?://""", page, re.I)


def test_external_resources_finds_links_scripts_and_images() -> None:
    page = (
        '<link rel="stylesheet" href="https://cdn.example/b.css">'
        '<script src="https://cdn.example/b.js"></script><img src="x.png">'
        '<div style="background: url(https://example.org/a.png)"></div>'
        '<script src="../assets/graph.js"></script>'
    )
    assert len(external_resources(page)) == 5


# --- kg/layout.py -----------------------------------------------------------------


def _columns(positions: dict[Hashable, tuple[float, float]],
             nodes: list[Hashable]) -> set[float]:
    return {positions[node][0] for node in nodes}


def test_a_notice_reads_left_to_right_with_measures_folded_into_problems() -> None:
    graph = _notice_tree()
    data = _page_data(render_html(graph, title="t", heading="h", kind="notice"))
    ids = {node["id"]: node for node in data["nodes"]}
    at = {node["full"]: (node["x"], node["y"]) for node in data["nodes"]}
    names = {node: graph.nodes[node]["label"] for node in graph}
    x = {kind: {at[names[n]][0] for n, t in graph.nodes(data="type") if t == kind}
         for kind in ("notice", "aspect", "problem", "regulation")}
    assert x["notice"] == {0.0}
    assert x["aspect"] == {layout.COLUMN}
    assert x["problem"] == {2 * layout.COLUMN}
    assert min(x["regulation"]) > 3 * layout.COLUMN  # at the side
    measures = [node for node in data["nodes"] if node["type"] == "measure"]
    assert measures and all(node["hidden"] for node in measures)
    for node in measures:
        problem = ids[node["fold"]]
        assert problem["type"] == "problem"
        assert node["x"] == problem["x"] + layout.COLUMN
        assert abs(node["y"] - problem["y"]) <= layout.ROW
    # The notice is at the top, where reading starts.
    assert at[names["n"]][1] == min(y for _, y in at.values())


def test_labels_of_one_column_keep_a_row_apart() -> None:
    graph = _notice_tree(aspects=5, problems=7)
    data = _page_data(render_html(graph, title="t", heading="h", kind="notice"))
    by_column: dict[float, list[float]] = {}
    for node in data["nodes"]:
        if not node.get("hidden"):
            by_column.setdefault(node["x"], []).append(node["y"])
    for ys in by_column.values():
        ys.sort()
        assert all(b - a >= layout.ROW - 0.1 for a, b in zip(ys, ys[1:])), ys
    assert layout.COLUMN > layout.LABEL_LIMIT * layout.FONT_SIZE


def _overview(notices: int, own: int = 3) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for c in range(6):
        graph.add_node(f"c{c}", type="category", label=f"类别{c}")
    for i in range(notices):
        graph.add_node(i, type="notice", label=f"某某局党组{i}", notice=str(i))
        graph.add_edge(i, f"c{i % 6}", label="subject")
        graph.add_edge(i, f"c{(i + 1) % 6}", label="subject")
        for k in range(own):
            graph.add_node(f"r{i}.{k}", type="regulation", label=f"规定{i}.{k}")
            graph.add_edge(i, f"r{i}.{k}", label="cites")
    return graph


def test_the_overview_puts_shared_nodes_on_top_and_labels_only_them_and_notices(
) -> None:
    graph = _overview(12)
    positions, labelled = layout.clustered(graph)
    shared = [f"c{c}" for c in range(6)]
    notices = list(range(12))
    assert labelled == set(shared) | set(notices)
    assert max(positions[c][1] for c in shared) < min(positions[n][1] for n in notices)
    for i in notices:  # a notice's own nodes sit just below it
        x, y = positions[i]
        for k in range(3):
            ox, oy = positions[f"r{i}.{k}"]
            assert abs(ox - x) < layout.COLUMN / 2 and 0 < oy - y < 2 * layout.ROW
    labelled_spots = [positions[n] for n in labelled]
    assert len(set(labelled_spots)) == len(labelled_spots)
    data = _page_data(render_html(graph, title="t", heading="h", kind="overview"))
    assert sum(1 for node in data["nodes"] if node["label"]) == len(labelled)


def test_layouts_of_fifty_thousand_nodes_take_seconds() -> None:
    graph = _overview(12_500)
    started = time.perf_counter()
    positions, _ = layout.clustered(graph)
    elapsed = time.perf_counter() - started
    assert len(positions) == graph.number_of_nodes() == 6 + 4 * 12_500
    tree = _notice_tree(aspects=50, problems=40, measures=5)
    started = time.perf_counter()
    render_html(tree, title="t", heading="h", kind="notice")
    elapsed += time.perf_counter() - started
    print(f"layouts: {graph.number_of_nodes() + tree.number_of_nodes()} nodes "
          f"in {elapsed:.2f} s")
    assert elapsed < 10
