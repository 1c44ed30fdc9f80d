"""kg/graph.py and kg/site.py over a real build of the five example notices."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

import networkx as nx
import pytest
from markupsafe import escape

from kg import focus
from kg import graph as kg_graph
from kg.errors import KgError
from kg.ingest import read_source

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "notices"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    build = pytest.importorskip("kg.build", reason="kg.build (the store build) "
                                "is not written yet")
    out = tmp_path_factory.mktemp("build")
    inputs = tmp_path_factory.mktemp("inputs")
    for path in EXAMPLES.glob("*.txt"):
        (inputs / path.name).write_bytes(path.read_bytes())
    build.build_corpus([inputs], out, jobs=1, prune=False, gazetteers=[],
                       progress=False, html=False)
    return out


@pytest.fixture(scope="module")
def store(built: Path) -> Path:
    return built / "store"


def _types(graph: nx.MultiDiGraph) -> Counter[str]:
    return Counter(kind for _, kind in graph.nodes(data="type"))


def test_notice_rows_carry_parties_dates_and_counts(store: Path) -> None:
    rows = {row.id: row for row in kg_graph.notice_rows(store)}
    assert sorted(rows) == sorted(path.stem for path in EXAMPLES.glob("*.txt"))
    luozhuang = rows["luozhuang-2021"]
    assert luozhuang.organization == "罗庄区投资促进服务中心党组"
    assert luozhuang.group == "罗庄区委第一巡察组"
    assert luozhuang.committee == "罗庄区委"
    assert luozhuang.issued == "2021-03-11"
    assert luozhuang.problems == 28 == luozhuang.announced["problems"]
    assert luozhuang.measures > luozhuang.problems


def test_overview_links_each_notice_to_its_unit_group_and_committee(
    store: Path,
) -> None:
    graph, omitted = kg_graph.overview_graph(store)
    assert omitted == ""
    types = _types(graph)
    assert types["notice"] == 5 and types["committee"] == 5 and types["group"] == 5
    assert types["regulation"] > 50 and types["category"] > 5
    assert "problem" not in types and "measure" not in types
    rows = {row.iri: row for row in kg_graph.notice_rows(store)}
    for notice, row in rows.items():
        relations = Counter(r for _, _, r in graph.out_edges(notice, data="label"))
        assert relations["inspected"] == 1 and relations["inspected_by"] == 1
        assert relations["cites"] == row.regulations
        facts = graph.nodes[notice]["facts"]
        assert facts["问题 problems"] == row.problems
        assert facts["整改措施 measures"] == row.measures
        group = next(t for _, t, r in graph.out_edges(notice, data="label")
                     if r == "inspected_by")
        assert graph.nodes[group]["label"] == row.group
        [(_, committee, relation)] = graph.out_edges(group, data="label")
        assert relation == "unit_of"
        assert graph.nodes[committee]["label"] == row.committee


def test_overview_beyond_max_nodes_keeps_the_hubs_and_says_what_is_missing(
    store: Path,
) -> None:
    full, _ = kg_graph.overview_graph(store)
    graph, omitted = kg_graph.overview_graph(store, max_nodes=30)
    assert graph.number_of_nodes() == 30
    assert _types(graph)["notice"] == 5  # the most connected nodes
    left_out = full.number_of_nodes() - 30
    figures = [int(n) for n in re.findall(r"(\d+) \w+(?=[,.])", omitted)]
    assert sum(figures) == left_out
    assert "kg view --regulation" in omitted


def test_notice_graph_is_a_tree_of_aspects_problems_and_measures_with_spans(
    store: Path,
) -> None:
    graph, detail = kg_graph.notice_graph(store, "luozhuang-2021")
    assert detail.row.id == "luozhuang-2021"
    types = _types(graph)
    assert types["problem"] == 28 and types["measure"] == detail.row.measures
    assert types["organization"] == 1 and types["group"] == 1
    text = read_source(EXAMPLES / "luozhuang-2021.txt").text
    for node, attributes in graph.nodes(data=True):
        kind = attributes["type"]
        if kind == "problem":
            parents = [s for s, _, r in graph.in_edges(node, data="label")
                       if r == "has_problem"]
            assert len(parents) == 1
            assert graph.nodes[parents[0]]["type"] == "aspect"
        if kind == "measure":
            targets = [t for _, t, r in graph.out_edges(node, data="label")
                       if r == "addresses"]
            assert len(targets) == 1 and graph.nodes[targets[0]]["type"] == "problem"
        if kind in ("problem", "measure", "aspect", "regulation"):
            start, end = attributes["start"], attributes["end"]
            assert text[start:end] == attributes["text"], node
    assert {label for _, label in detail.regulations} == {
        graph.nodes[n]["label"]
        for n, kind in graph.nodes(data="type") if kind == "regulation"
    }
    assert nx.is_weakly_connected(graph)


def test_an_unknown_notice_is_an_error_that_says_so(store: Path) -> None:
    with pytest.raises(KgError, match="no notice 'nope'"):
        kg_graph.notice_graph(store, "nope")


def test_regulation_focus_shows_every_notice_that_mentions_it(store: Path) -> None:
    recurring = kg_graph.regulation_rows(store, min_notices=2)
    assert recurring
    regulation = recurring[0]
    graph, omitted = focus.focus_graph(store, regulation=regulation.label)
    assert omitted == ""
    notices = {graph.nodes[n]["notice"] for n, k in graph.nodes(data="type")
               if k == "notice"}
    assert notices == set(regulation.notices)
    assert regulation.iri in graph
    small, omitted = focus.focus_graph(store, regulation=regulation.label,
                                          max_nodes=3)
    assert small.number_of_nodes() == 3 and regulation.iri in small
    assert "left out" in omitted


def test_regulation_search_prefers_an_exact_title(store: Path) -> None:
    [exact] = focus.find_regulations(store, "《中央八项规定》")
    assert len(focus.find_regulations(store, "规定")) > 1
    assert exact in focus.find_regulations(store, "规定")
    with pytest.raises(KgError, match="no regulation matches"):
        focus.focus_graph(store, regulation="没有这个规定的名字")


def test_category_focus_by_id_or_label(store: Path) -> None:
    category = kg_graph.category_rows(store)[0]
    by_id, _ = focus.focus_graph(store, category=category.id)
    by_label, _ = focus.focus_graph(store, category=category.label)
    assert set(by_id) == set(by_label)
    assert _types(by_id)["problem"] == category.problems
    assert _types(by_id)["notice"] == category.notices
    with pytest.raises(KgError, match="known:"):
        focus.focus_graph(store, category="no-such-category")


def test_graphml_and_gexf_read_back(store: Path, tmp_path: Path) -> None:
    graph, _ = kg_graph.notice_graph(store, "sanmen-2023")
    kg_graph.export_graphml(graph, tmp_path / "g.graphml")
    kg_graph.export_gexf(graph, tmp_path / "g.gexf")
    for back in (nx.read_graphml(tmp_path / "g.graphml"),
                 nx.read_gexf(tmp_path / "g.gexf")):
        assert back.number_of_nodes() == graph.number_of_nodes()
        assert back.number_of_edges() == graph.number_of_edges()
    back = nx.read_graphml(tmp_path / "g.graphml")
    notice = next(n for n, d in back.nodes(data=True) if d["type"] == "notice")
    assert back.nodes[notice]["facts.问题 problems"] == 21


# --- kg/site.py -------------------------------------------------------------------


def test_site_writes_index_overview_and_a_page_per_notice(
    built: Path, store: Path, tmp_path: Path
) -> None:
    from kg.site import write_site

    for dump in ("graph.ttl", "graph.trig"):  # the index links those there are
        (tmp_path / dump).write_text("", encoding="utf-8")
    written = write_site(store, tmp_path)
    names = {path.relative_to(tmp_path).as_posix() for path in written}
    assert {"index.html", "graph.html"} <= names
    assert {f"notices/{p.stem}.html" for p in EXAMPLES.glob("*.txt")} <= names
    assert all(path.is_file() for path in written)
    assert not list(tmp_path.rglob("*.tmp"))
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "http://" not in index and "https://" not in index
    # Scripts only from the site's own assets, written once for every page.
    assert set(re.findall(r'<script src="([^"]+)"', index)) == {
        "assets/echarts.min.js", "assets/charts.js"}
    assert {"assets/vis-network.min.js", "assets/graph.js",
            "assets/graph.css"} <= names
    page = (tmp_path / "notices" / "luozhuang-2021.html").read_text(encoding="utf-8")
    assert '<script src="../assets/vis-network.min.js">' in page
    assert "vis.Network" not in page  # the library is not in line
    for link in ("graph.html", "graph.ttl", "graph.trig",
                 "notices/luozhuang-2021.ttl"):
        assert f'href="{link}"' in index


def test_every_regulation_and_category_is_two_clicks_from_the_index(
    store: Path, tmp_path: Path
) -> None:
    from kg.site import write_site

    write_site(store, tmp_path)

    def links(page: Path) -> set[Path]:
        text = page.read_text(encoding="utf-8")
        return {(page.parent / unquote(href)).resolve()
                for href in re.findall(r'href="([^"#]+\.html)', text)}

    index = tmp_path / "index.html"
    one = links(index)
    two = set().union(*(links(page) for page in one))
    seen = " ".join(page.read_text(encoding="utf-8")
                    for page in {index} | one | two)
    for regulation in kg_graph.regulation_rows(store):
        assert escape(regulation.label) in seen, regulation.label
    for category in kg_graph.category_rows(store):
        assert (tmp_path / "categories" / f"{category.id}.html").resolve() in one


def test_view_page_gives_one_page_per_choice(store: Path) -> None:
    from kg.site import view_page

    assert "kg-data" in view_page(store)
    assert "罗庄区委第一巡察组" in view_page(store, notice="luozhuang-2021")
    assert "kg-data" in view_page(store, regulation="中央八项规定")
    assert "kg-data" in view_page(store, category="theory-study")
    with pytest.raises(KgError, match="at most one"):
        view_page(store, notice="luozhuang-2021", category="theory-study")


def test_a_second_site_write_rewrites_nothing_and_restores_what_is_missing(
    store: Path, tmp_path: Path
) -> None:
    from kg.site import write_site

    first = write_site(store, tmp_path)
    assert first
    assert write_site(store, tmp_path) == []  # same bytes: nothing written
    page = tmp_path / "notices" / "sanmen-2023.html"
    before = page.read_bytes()
    page.unlink()
    assert write_site(store, tmp_path) == [page]
    assert page.read_bytes() == before
    # A page of an earlier site that this one no longer has is removed.
    stale = tmp_path / "regulations" / "gone-0000.html"
    stale.write_text("old", encoding="utf-8")
    manifest = tmp_path / ".kg-pages.json"
    entries = json.loads(manifest.read_text(encoding="utf-8"))
    manifest.write_text(json.dumps({**entries, "regulations/gone-0000.html": "x"}),
                        encoding="utf-8")
    write_site(store, tmp_path)
    assert not stale.exists()


def test_a_rewrite_reads_again_only_the_notice_whose_file_changed(
    built: Path, tmp_path: Path
) -> None:
    from kg.site import write_site

    copy = tmp_path / "built"
    shutil.copytree(built / "store", copy / "store")
    shutil.copytree(built / "notices", copy / "notices")
    site = tmp_path / "site"
    write_site(copy / "store", site)
    notice = kg_graph.Corpus(copy / "store").by_id["sanmen-2023"]
    label = next(f.label for f in notice.findings
                 if f.problem and '"' not in f.label and "\\" not in f.label)
    turtle = copy / "notices" / "sanmen-2023.ttl"
    text = turtle.read_text(encoding="utf-8")
    assert text.count(f'"{label}"') == 1
    turtle.write_text(text.replace(f'"{label}"', f'"{label}（已改）"'),
                      encoding="utf-8")
    written = {path.relative_to(site).as_posix() for path in write_site(
        copy / "store", site)}
    assert "notices/sanmen-2023.html" in written
    assert not {page for page in written if page.startswith("notices/")} - {
        "notices/sanmen-2023.html"}
    page = (site / "notices" / "sanmen-2023.html").read_text(encoding="utf-8")
    assert f"{label}（已改）" in page
    assert write_site(copy / "store", site) == []


def test_regulation_pages_are_named_by_title_and_short_hash(
    store: Path, tmp_path: Path
) -> None:
    from kg.site import write_site

    write_site(store, tmp_path)
    names = {path.stem for path in (tmp_path / "regulations").glob("*.html")}
    assert "中央八项规定-" + next(
        row.iri.rsplit("/", 1)[-1][:8] for row in kg_graph.regulation_rows(store)
        if row.label == "中央八项规定") in names
    assert all(re.fullmatch(r"[\w-]+-[0-9a-f]{8}", name) for name in names), names


def test_notice_pages_weigh_little_beside_the_shared_assets(
    store: Path, tmp_path: Path
) -> None:
    from kg.site import write_site

    write_site(store, tmp_path)
    pages = list((tmp_path / "notices").glob("*.html"))
    average = sum(page.stat().st_size for page in pages) / len(pages)
    assert average <= 150_000, average
    library = (tmp_path / "assets" / "vis-network.min.js").stat().st_size
    assert library > 400_000  # the library is where the weight went


# --- notices that share their group and committee ------------------------------


@pytest.fixture(scope="module")
def triplets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three copies of the Luozhuang notice: one committee, one group, one
    unit stated in three graphs (a unit's republished notices)."""
    from kg.build import build_corpus

    inputs = tmp_path_factory.mktemp("triplets")
    text = (EXAMPLES / "luozhuang-2021.txt").read_bytes()
    for name in ("luozhuang-a", "luozhuang-b", "luozhuang-c"):
        # Bytes that differ (the build skips a file that repeats another).
        (inputs / f"{name}.txt").write_bytes(text + f"\n{name}\n".encode())
    out = tmp_path_factory.mktemp("triplets-build")
    build_corpus([inputs], out, jobs=1, prune=False, gazetteers=[],
                 progress=False, html=False)
    return out / "store"


def test_rows_do_not_multiply_when_notices_share_their_parties(
    triplets: Path, store: Path
) -> None:
    [single] = [row for row in kg_graph.notice_rows(store)
                if row.id == "luozhuang-2021"]
    corpus = kg_graph.Corpus(triplets)
    rows = kg_graph.notice_rows(corpus)
    assert [row.id for row in rows] == ["luozhuang-a", "luozhuang-b", "luozhuang-c"]
    for row in rows:
        assert (row.group, row.committee, row.organization) == (
            single.group, single.committee, single.organization)
        assert (row.problems, row.measures, row.regulations) == (
            single.problems, single.measures, single.regulations)
    # Each notice has its unit and its group once, as the single notice has.
    alone = next(n for n in kg_graph.Corpus(store).notices.values()
                 if n.id == "luozhuang-2021")
    assert [p.label for p in alone.parties] == [single.organization, single.group]
    for notice in corpus.notices.values():
        assert notice.parties == alone.parties
    graph, _ = kg_graph.overview_graph(corpus)
    groups = [n for n, t in graph.nodes(data="type") if t == "group"]
    assert len(groups) == 1 and graph.degree(groups[0]) == 4  # 3 notices + 委


def test_a_view_of_one_notice_reads_only_that_notice(triplets: Path) -> None:
    corpus = kg_graph.Corpus(triplets, "luozhuang-b")
    assert [n.id for n in corpus.notices.values()] == ["luozhuang-b"]
    graph, detail = kg_graph.notice_graph(corpus, "luozhuang-b")
    whole, _ = kg_graph.notice_graph(triplets, "luozhuang-b")
    assert graph.number_of_nodes() == whole.number_of_nodes()
    assert detail.row.id == "luozhuang-b"
    with pytest.raises(KgError, match="no notice 'luozhuang-z'"):
        kg_graph.Corpus(triplets, "luozhuang-z").notices


def test_the_timeline_keeps_a_row_per_notice_when_units_repeat(triplets: Path) -> None:
    from kg.charts import chart_data

    corpus = kg_graph.Corpus(triplets)
    notices = kg_graph.notice_rows(corpus)
    timeline = chart_data(corpus, notices, kg_graph.category_rows(corpus))["timeline"]
    assert timeline["ids"] == ["luozhuang-a", "luozhuang-b", "luozhuang-c"]
    assert len(set(timeline["notices"])) == 1  # one unit, three rows
    assert [row["start"] for row in timeline["rows"]] == [
        row.inspection_start for row in notices]
