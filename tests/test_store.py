"""kg/store.py: the embedded store, its dumps and local SPARQL queries."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import StoreError
from kg.store import Cell, Store, atomic_path, run_query

EX = "http://example.org/"
G1 = EX + "notice/a"
G2 = EX + "notice/b"
LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
XSD_DATE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")


def _quads(graph: str, count: int, shared: bool = True) -> list[ox.Quad]:
    g = ox.NamedNode(graph)
    quads = [
        ox.Quad(ox.NamedNode(f"{graph}/finding/{i}"), ox.NamedNode(EX + "p"),
                ox.Literal(f"问题{i}", language="zh"), g)
        for i in range(count)
    ]
    quads.append(ox.Quad(ox.NamedNode(graph), ox.NamedNode(EX + "issued"),
                         ox.Literal("2021-03-11", datatype=XSD_DATE), g))
    quads.append(ox.Quad(ox.BlankNode(), ox.NamedNode(EX + "exact"),
                         ox.Literal("《会计法》"), g))
    if shared:  # the same regulation label in every notice graph
        quads.append(ox.Quad(ox.NamedNode(EX + "regulation/1"), LABEL,
                             ox.Literal("中华人民共和国会计法", language="zh"), g))
    return quads


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "store")
    store.replace_graph(G1, _quads(G1, 5))
    store.replace_graph(G2, _quads(G2, 3))
    return store


@pytest.fixture
def closed_store(store: Store) -> None:
    """The store written and let go of, as after `kg build`: a read-only open
    in this process while the writer is alive can race RocksDB's compaction."""
    store.close()


def test_replace_graph_replaces_instead_of_appending(store: Store) -> None:
    assert store.triple_count(G1) == 8
    store.replace_graph(G1, _quads(G1, 2, shared=False))
    assert store.triple_count(G1) == 4
    assert store.triple_count(G2) == 6  # the other notice is untouched


def test_replacing_with_the_same_quads_twice_duplicates_nothing(store: Store) -> None:
    quads = _quads(G1, 5)
    store.replace_graph(G1, quads)
    store.replace_graph(G1, quads)
    assert store.triple_count(G1) == 8


def test_counts_and_graph_names(store: Store) -> None:
    assert store.graphs() == [G1, G2]
    assert sum(store.triple_count(g) for g in store.graphs()) == 14
    assert store.triple_count() == 0  # nothing in the default graph
    store.replace_graph(None, [ox.Quad(ox.NamedNode(EX + "s"), LABEL, ox.Literal("x"))])
    assert store.triple_count() == 1
    assert store.graphs() == [G1, G2]


def test_remove_graph(store: Store) -> None:
    store.remove_graph(G1)
    assert store.graphs() == [G2]
    assert not store.contains_graph(G1)
    assert sum(store.triple_count(g) for g in store.graphs()) == 6


def test_quads_of_another_graph_are_refused_and_nothing_changes(store: Store) -> None:
    with pytest.raises(StoreError, match="notice/b"):
        store.replace_graph(G1, _quads(G1, 1) + _quads(G2, 1))
    assert store.triple_count(G1) == 8


def test_a_replace_killed_midway_leaves_the_old_graph_or_the_new_one(
    tmp_path: Path,
) -> None:
    path = tmp_path / "store"
    Store(path).replace_graph(G1, _quads(G1, 5))
    del_and_replace = textwrap.dedent(f"""
        import sys
        import pyoxigraph as ox
        from kg.store import Store
        g = ox.NamedNode({G1!r})
        quads = [ox.Quad(ox.NamedNode(f"{G1}/x/{{i}}"), ox.NamedNode("{EX}p"),
                         ox.Literal(str(i)), g) for i in range(400_000)]
        store = Store(__import__("pathlib").Path({str(path)!r}))
        print("replacing", flush=True)
        store.replace_graph({G1!r}, quads)
        print("done", flush=True)
    """)
    child = subprocess.Popen([sys.executable, "-c", del_and_replace],
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "replacing"
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert Store(path).triple_count(G1) in (8, 400_000)


def test_a_failed_write_keeps_the_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "graph.ttl"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_path(target) as temporary:
        Path(temporary).write_text("half")
        raise RuntimeError("killed")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]


@pytest.mark.usefixtures("closed_store")  # run_query opens it read-only itself
def test_queries_see_all_graphs_as_the_default_graph(tmp_path: Path) -> None:
    result = run_query(
        f"SELECT ?s ?o WHERE {{ ?s <{EX}issued> ?o }} ORDER BY ?s",
        tmp_path / "store", None,
    )
    assert result.columns == ["s", "o"]
    assert result.rows == [[G1, "2021-03-11"], [G2, "2021-03-11"]]
    assert result.cells[0] == [
        Cell("uri", G1),
        Cell("literal", "2021-03-11", datatype=XSD_DATE.value),
    ]


@pytest.mark.usefixtures("closed_store")
def test_query_cells_carry_language_and_unbound_values(tmp_path: Path) -> None:
    result = run_query(
        f"SELECT DISTINCT ?label ?none WHERE {{ <{EX}regulation/1> ?p ?label "
        "OPTIONAL { ?label ?q ?none } }",
        tmp_path / "store", None,
    )
    assert result.cells == [[Cell("literal", "中华人民共和国会计法", lang="zh"), None]]
    assert result.rows == [["中华人民共和国会计法", None]]


@pytest.mark.usefixtures("closed_store")
def test_ask_and_construct_results(tmp_path: Path) -> None:
    ask = run_query(f"ASK {{ <{G1}> ?p ?o }}", tmp_path / "store", None)
    assert ask.columns == ["ask"] and ask.rows == [["true"]]
    construct = run_query(
        f"CONSTRUCT {{ ?s <{EX}q> ?o }} WHERE {{ ?s <{EX}issued> ?o }}",
        tmp_path / "store", None,
    )
    assert construct.columns == ["subject", "predicate", "object"]
    assert len(construct.rows) == 2


@pytest.mark.usefixtures("closed_store")
def test_query_errors_say_what_is_wrong(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="SPARQL syntax error"):
        run_query("SELEKT * WHERE { ?s ?p ?o }", tmp_path / "store", None)
    with pytest.raises(StoreError, match="run `kg build` first"):
        run_query("ASK {}", tmp_path / "nowhere", None)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text())  # any Unicode text but lone surrogates
def test_any_literal_text_survives_a_replace(text: str, tmp_path: Path) -> None:
    store = Store(tmp_path / "roundtrip")
    g = ox.NamedNode(G1)
    store.replace_graph(G1, [ox.Quad(ox.NamedNode(G1), LABEL, ox.Literal(text), g)])
    assert store.query(f"SELECT ?o {{ <{G1}> ?p ?o }}").rows == [[text]]


def test_a_read_only_store_closes(tmp_path: Path) -> None:
    Store(tmp_path / "store").replace_graph(G1, _quads(G1, 1))
    reader = Store(tmp_path / "store", read_only=True)
    assert reader.graphs() == [G1]
    reader.close()  # no flush: RocksDB refuses one on a read-only instance
    reader.close()
