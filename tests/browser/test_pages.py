"""The built pages in headless Chromium: offline, escaped, interactive, fast."""

from __future__ import annotations

import os
import random
import time
from pathlib import Path
from urllib.parse import unquote

import networkx as nx
import pytest

from kg.graph import NoticeDetail, NoticeRow, Person, notice_graph, overview_graph
from kg.site import notice_facts
from kg.viz import render_html
from tests.browser.conftest import HOSTILE_ID, IMG, SCRIPT, Site, Watched

pytestmark = pytest.mark.browser

# Where the screenshots go: KG_SCREENSHOTS=examples/screenshots refreshes the
# README's; by default a temporary folder.
SCREENSHOTS_ENV = "KG_SCREENSHOTS"
READY_SECONDS = 90


def _wait(watched: Watched, expression: str, seconds: float) -> None:
    """Poll `expression` from here: the pages' Content Security Policy forbids
    the eval that page.wait_for_function polls with."""
    deadline = time.perf_counter() + seconds
    while not watched.page.evaluate(expression):
        if time.perf_counter() > deadline:
            raise AssertionError(f"still false after {seconds} s: {expression}")
        time.sleep(0.05)


def _open(watched: Watched, path: Path, *, graph: bool = True) -> float:
    """Load `path`; for a graph page wait until it has drawn. Seconds taken."""
    started = time.perf_counter()
    watched.page.goto(path.as_uri())
    if graph:
        _wait(watched, "window.kgReady === true", READY_SECONDS)
    return time.perf_counter() - started


def _assert_offline_and_clean(watched: Watched, path: Path,
                              site: Path | None = None) -> None:
    """Nothing but `path` was fetched, and the site's own files under `site`
    (its assets/) when it is part of one."""
    assert watched.requests[0] == path.as_uri()
    inside = site.as_uri() + "/" if site is not None else path.as_uri()
    assert all(url.startswith(inside) for url in watched.requests), watched.requests
    assert watched.errors == []
    assert watched.dialogs == []


@pytest.mark.parametrize("page", ["index.html", "graph.html",
                                  "notices/luozhuang-2021.html"])
def test_page_loads_offline_without_console_errors(
    watched: Watched, site: Site, page: str
) -> None:
    path = site.out / page
    _open(watched, path, graph=page != "index.html")
    _assert_offline_and_clean(watched, path, site.out)


def test_index_reaches_every_notice_and_category_in_one_click(
    watched: Watched, site: Site
) -> None:
    _open(watched, site.out / "index.html", graph=False)
    hrefs = watched.page.eval_on_selector_all(
        "a", "links => links.map(link => link.getAttribute('href'))"
    )
    notices = sorted(path.name for path in (site.out / "notices").glob("*.html"))
    assert sorted({h.removeprefix("notices/") for h in hrefs
                   if h.startswith("notices/") and h.endswith(".html")}) == notices
    categories = sorted(p.name for p in (site.out / "categories").glob("*.html"))
    assert sorted({h.removeprefix("categories/") for h in hrefs
                   if h.startswith("categories/")}) == categories
    for href in hrefs:
        if href.endswith(".html"):
            assert (site.out / unquote(href)).is_file(), href


def test_overview_dataset_holds_the_projected_graph(
    watched: Watched, site: Site
) -> None:
    graph, _ = overview_graph(site.store)
    _open(watched, site.out / "graph.html")
    counts = watched.page.evaluate("[kgNodes.length, kgEdges.length]")
    assert counts == [graph.number_of_nodes(), graph.number_of_edges()]
    notices = watched.page.evaluate(
        "kgNodes.get({filter: n => n.type === 'notice'}).length"
    )
    assert notices == 6


def test_notice_dataset_holds_the_notice_tree(watched: Watched, site: Site) -> None:
    graph, _ = notice_graph(site.store, "luozhuang-2021")
    _open(watched, site.out / "notices" / "luozhuang-2021.html")
    counts = watched.page.evaluate("[kgNodes.length, kgEdges.length]")
    assert counts == [graph.number_of_nodes(), graph.number_of_edges()]
    side = watched.page.inner_text("#kg-side")
    assert "罗庄区委第一巡察组" in side and "罗庄区投资促进服务中心党组" in side


def _search(watched: Watched, text: str) -> list[str]:
    watched.page.fill("#kg-search-input", text)
    watched.page.press("#kg-search-input", "Enter")
    selected: list[str] = watched.page.evaluate("kgNetwork.getSelectedNodes()")
    return selected


def test_search_selects_and_focuses_the_node_and_dims_the_rest(
    watched: Watched, site: Site
) -> None:
    _open(watched, site.out / "graph.html")
    assert _search(watched, "") == []
    first = _search(watched, "罗庄区委第一巡察组")
    assert len(first) == 1
    node = watched.page.evaluate(f"kgNodes.get({first[0]!r})")
    assert "罗庄区委第一巡察组" in node["full"]
    assert watched.page.inner_text("#kg-search-status") == "1 / 1"
    assert "罗庄区委第一巡察组" in watched.page.inner_text("#kg-detail")
    # The view is centred on the found node.
    position = watched.page.evaluate(
        f"kgNetwork.canvasToDOM(kgNetwork.getPositions([{first[0]!r}])[{first[0]!r}])"
    )
    size = watched.page.evaluate(
        "[document.getElementById('kg-network').clientWidth,"
        " document.getElementById('kg-network').clientHeight]"
    )
    assert abs(position["x"] - size[0] / 2) < 5 and abs(position["y"] - size[1] / 2) < 5
    # Neighbours keep their colour, the rest is dimmed.
    colours = watched.page.evaluate(f"""(() => {{
        const near = new Set(kgNetwork.getConnectedNodes({first[0]!r}));
        near.add({first[0]!r});
        return kgNodes.get().map(n => [near.has(n.id), n.color.background]);
    }})()""")
    assert all(("200,200,200" in colour) != is_near for is_near, colour in colours)

    second = _search(watched, "东营市委")
    assert second and second != first
    assert _search(watched, "没有这个节点") == second  # no match keeps the selection
    assert "no match" in watched.page.inner_text("#kg-search-status")


def test_measures_are_folded_into_their_problem_until_it_is_opened(
    watched: Watched, site: Site
) -> None:
    _open(watched, site.out / "notices" / "luozhuang-2021.html")
    shown = "kgNodes.get({filter: n => n.type === 'measure' && !n.hidden}).length"
    measures = watched.page.evaluate(
        "kgNodes.get({filter: n => n.type === 'measure'}).length"
    )
    assert measures > 0 and watched.page.evaluate(shown) == 0
    problem = watched.page.evaluate(
        "kgNodes.get({filter: n => n.type === 'problem'"
        " && kgNodes.get({filter: m => m.fold === n.id}).length > 1})[0].id")
    point = watched.page.evaluate(
        f"kgNetwork.canvasToDOM(kgNetwork.getPositions([{problem!r}])[{problem!r}])")
    box = watched.page.locator("#kg-network").bounding_box()
    assert box is not None
    watched.page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    opened = watched.page.evaluate(
        f"kgNodes.get({{filter: n => n.fold === {problem!r}}}).map(n => n.hidden)")
    assert len(opened) > 1 and not any(opened)
    assert watched.page.evaluate(shown) == len(opened)
    # Ticking the type shows every measure; unticking folds them again.
    box_measure = watched.page.locator("#kg-legend input[data-type=measure]")
    box_measure.check()
    assert watched.page.evaluate(shown) == measures
    box_measure.uncheck()
    assert watched.page.evaluate(shown) == len(opened)
    # Search reaches a folded measure and opens its problem.
    other = watched.page.evaluate(
        "kgNodes.get({filter: n => n.type === 'measure' && n.hidden})[0].full")
    found = _search(watched, other)
    assert found and watched.page.evaluate(f"kgNodes.get({found[0]!r}).hidden") is False
    _assert_offline_and_clean(watched, site.out / "notices" / "luozhuang-2021.html",
                              site.out)


def test_unticking_a_type_hides_its_nodes_and_ticking_shows_them(
    watched: Watched, site: Site
) -> None:
    _open(watched, site.out / "notices" / "luozhuang-2021.html")
    hidden = "kgNodes.get({filter: n => n.type === 'regulation' && n.hidden}).length"
    regulations = watched.page.evaluate(
        "kgNodes.get({filter: n => n.type === 'regulation'}).length"
    )
    assert regulations > 0 and watched.page.evaluate(hidden) == 0
    box = watched.page.locator("#kg-legend input[data-type=regulation]")
    box.uncheck()
    assert watched.page.evaluate(hidden) == regulations
    others = ("kgNodes.get({filter: n => !['regulation', 'measure'].includes(n.type)"
              " && n.hidden}).length")
    assert watched.page.evaluate(others) == 0
    assert _search(watched, "党组") and all(
        watched.page.evaluate(f"kgNodes.get({node!r}).type") != "regulation"
        for node in watched.page.evaluate("kgNetwork.getSelectedNodes()")
    )
    box.check()
    assert watched.page.evaluate(hidden) == 0


def _hover_tooltip(watched: Watched, node: str) -> dict[str, object]:
    """Move the mouse onto `node` and read vis-network's tooltip: its text
    and the tags of any elements in it other than line breaks."""
    point = watched.page.evaluate(
        f"kgNetwork.canvasToDOM(kgNetwork.getPositions([{node!r}])[{node!r}])"
    )
    box = watched.page.locator("#kg-network").bounding_box()
    assert box is not None
    watched.page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
    _wait(watched,
          "document.querySelector('div.vis-tooltip')?.style.visibility === 'visible'",
          5)
    tooltip: dict[str, object] = watched.page.evaluate(
        "(() => { const t = document.querySelector('div.vis-tooltip');"
        " return {text: t.innerText, elements: [...t.querySelectorAll('*')]"
        ".map(e => e.tagName).filter(tag => tag !== 'BR')}; })()"
    )
    return tooltip


@pytest.mark.parametrize("page", ["index.html", "graph.html",
                                  f"notices/{HOSTILE_ID}.html"])
def test_hostile_notice_text_shows_as_text_and_runs_nothing(
    watched: Watched, site: Site, page: str
) -> None:
    path = site.out / page
    _open(watched, path, graph=page != "index.html")
    body = watched.page.inner_text("body")
    if page == "index.html":
        assert HOSTILE_ID in body
    else:
        # The payloads really are in the page's data: the test is not vacuous.
        labels = " ".join(watched.page.evaluate("kgNodes.map(n => n.full + n.title)"))
        assert SCRIPT in labels
        if page.startswith("notices/"):
            assert IMG in labels
            side = watched.page.inner_text("#kg-side")
            # Canonical titles lose their spaces: <img src=x …> → <imgsrc=x …>.
            assert "onerror=alert(1)>信访工作条例" in side
            assert f"{SCRIPT}约谈暂行办法" in side
            found = _search(watched, SCRIPT)
            assert found
            tooltip = _hover_tooltip(watched, found[0])
            # innerText turns line breaks into <br>; nothing else becomes markup.
            assert SCRIPT in str(tooltip["text"]) and tooltip["elements"] == []
            assert SCRIPT in watched.page.inner_text("#kg-detail")
    assert watched.page.locator("#kg-side img, #kg-header img, td img").count() == 0
    _assert_offline_and_clean(watched, path, site.out)


def test_hostile_person_and_panel_text_run_nothing(
    watched: Watched, tmp_path: Path
) -> None:
    graph = nx.MultiDiGraph()
    graph.add_node("n", type="notice", label=SCRIPT, text=IMG, notice=SCRIPT)
    graph.add_node("p", type="person", label=f"党组书记 {IMG}", text=SCRIPT,
                   notice="n", start=0, end=3)
    graph.add_edge("p", "n", label="person_of")
    row = NoticeRow(id=SCRIPT, iri="https://example.org/n", title=IMG,
                    issued=None, organization=SCRIPT, committee=IMG, group=SCRIPT,
                    inspection_start=None, inspection_end=None, feedback_date=None,
                    source=IMG, problems=0, measures=0, regulations=0)
    detail = NoticeDetail(row, (Person(IMG, SCRIPT),),
                          (("https://example.org/r", SCRIPT),),
                          (("https://example.org/c", IMG),))
    page = tmp_path / "hostile.html"
    page.write_text(render_html(graph, title=SCRIPT, heading=IMG, note=SCRIPT,
                                kind="notice", panel="notice_panel.html",
                                panel_context={"detail": detail, "links": True,
                                               "facts": notice_facts(detail),
                                               "regulation_pages": {}}),
                    encoding="utf-8")
    _open(watched, page)
    assert IMG in watched.page.inner_text("#kg-header")
    assert f"{SCRIPT} {IMG}" in watched.page.inner_text("#kg-side")
    watched.page.evaluate("kgNetwork.selectNodes(['1'])")
    _search(watched, "党组书记")
    assert IMG in watched.page.inner_text("#kg-detail")
    assert watched.page.title() == SCRIPT
    assert watched.page.locator("img").count() == 0
    _assert_offline_and_clean(watched, page)


def synthetic_overview(notices: int, seed: int = 7) -> nx.MultiDiGraph:
    """An overview of `notices` notices shaped like a real one: each with its
    inspected unit, a group of a committee shared by about fifty notices, three
    regulations (two from a Zipf-like shared pool, one mostly local) and three
    of the 24 issue categories."""
    rng = random.Random(seed)
    graph = nx.MultiDiGraph()
    categories = [f"c{i}" for i in range(24)]
    regulations = [f"r{i}" for i in range(notices // 4)]
    committees = [f"k{i}" for i in range(max(1, notices // 50))]
    graph.add_nodes_from((c, {"type": "category", "label": f"问题类别{c}"})
                          for c in categories)
    graph.add_nodes_from((r, {"type": "regulation",
                               "label": f"《关于加强党风廉政建设的规定{r}》"})
                          for r in regulations)
    graph.add_nodes_from((k, {"type": "committee", "label": f"{k}区委"})
                          for k in committees)
    shared = [r for r in regulations[:200]]
    weights = [1 / (rank + 1) for rank in range(len(shared))]
    for i in range(notices):
        notice, unit, group = f"n{i}", f"o{i}", f"g{i // 5}"
        graph.add_node(notice, type="notice", label=f"某某局党组{i}",
                       text=f"关于巡察整改进展情况的通报{i}", notice=notice,
                       facts={"问题 problems": rng.randint(5, 40)})
        graph.add_node(unit, type="organization", label=f"某某局党组{i}")
        if group not in graph:
            graph.add_node(group, type="group", label=f"第{i // 5}巡察组")
            graph.add_edge(group, committees[(i // 5) % len(committees)],
                           label="unit_of")
        graph.add_edge(notice, unit, label="inspected")
        graph.add_edge(notice, group, label="inspected_by")
        for regulation in rng.choices(shared, weights, k=2):
            graph.add_edge(notice, regulation, label="cites")
        graph.add_edge(notice, rng.choice(regulations), label="cites")
        for category in rng.sample(categories, 3):
            graph.add_edge(notice, category, label="subject")
    return graph


def test_ten_thousand_notice_overview_renders_in_seconds(
    watched: Watched, tmp_path: Path
) -> None:
    graph = synthetic_overview(10_000)
    started = time.perf_counter()
    html = render_html(graph, title="10,000 notices", heading="10,000 notices",
                       kind="overview")
    built = time.perf_counter() - started
    page = tmp_path / "big.html"
    page.write_text(html, encoding="utf-8")
    seconds = _open(watched, page)
    print(f"\n10,000-notice overview: {graph.number_of_nodes()} nodes, "
          f"{graph.number_of_edges()} edges, {len(html) / 1e6:.1f} MB; "
          f"HTML built in {built:.1f} s, drawn in Chromium in {seconds:.1f} s")
    assert watched.page.evaluate("kgNodes.length") == graph.number_of_nodes()
    assert seconds < 30
    _assert_offline_and_clean(watched, page)


def test_screenshots_of_the_overview_and_a_notice(
    watched: Watched, examples_site: Site, tmp_path: Path
) -> None:
    site = examples_site
    folder = Path(os.environ.get(SCREENSHOTS_ENV) or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    for page, name in (("graph.html", "overview.png"),
                       ("notices/luozhuang-2021.html", "notice-luozhuang-2021.png"),
                       ("index.html", "index.png")):
        _open(watched, site.out / page, graph=page != "index.html")
        if page == "index.html":
            _wait(watched, "window.kgChartsReady === true", READY_SECONDS)
        target = folder / name
        if page == "index.html":  # the charts at its top
            watched.page.screenshot(path=str(target), full_page=True,
                                    clip={"x": 0, "y": 0, "width": 1400,
                                          "height": 1150})
        else:
            watched.page.screenshot(path=str(target))
        assert target.stat().st_size > 10_000
