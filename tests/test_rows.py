"""kg/rdf/rows.py and the named queries that read its rows: every query gives
exactly the rows of its full-scan version (tests/queries_full/NAME.rq, the
queries as they were before the rows: they read every node of every notice
graph), with and without --limit, from the store and from a SPARQL server.

Two corpora: the five example notices, and a city-shaped generated corpus
(benchmarks/make_corpus.py --shape city) whose notices share one committee,
its groups and units, and so tie on many sort keys.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import pyoxigraph
import pytest

import kg.queries
from kg.pipeline import extract_notice
from kg.push import push_store
from kg.queries import Answer, run_named
from kg.rdf.build import notice_rdf
from kg.rdf.namespaces import KG
from tests.oxigraph_server import OxigraphServer, oxigraph_server

__all__ = ["oxigraph_server"]  # the fixture, imported for pytest to find

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "notices"
REFERENCE = ROOT / "tests" / "queries_full"
ROW_QUERIES = ("inspections", "timeline", "categories", "measures", "enacted")

# Every query that reads rows, with each parameter it takes.
CALLS: list[tuple[str, dict[str, Any]]] = [
    ("inspections", {}),
    ("timeline", {}),
    ("categories", {}),
    ("categories", {"min_notices": 2}),
    ("categories", {"min_notices": 5}),
    ("measures", {}),
    ("measures", {"category": "democratic-centralism"}),
    ("measures", {"kind": "rules"}),
    ("measures", {"category": "financial-management", "kind": "study"}),
    ("enacted", {}),
    ("enacted", {"kind": "normative_document"}),
    ("enacted", {"kind": "other"}),
]


def _build(inputs: Path, out: Path) -> Path:
    from kg.build import build_corpus

    files = sorted(p for p in inputs.iterdir() if p.suffix in (".txt", ".html"))
    report = build_corpus(files, out, jobs=2, prune=False, gazetteers=[],
                          progress=False, html=False)
    assert report.exit_code(strict=False) == 0, report.summary()
    return out / "store"


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The store of `kg build examples/notices`."""
    return _build(EXAMPLES, tmp_path_factory.mktemp("examples"))


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The store of a build of 60 generated notices of one city."""
    corpus = tmp_path_factory.mktemp("city-corpus")
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_corpus.py"),
                    "--shape", "city", "60", str(corpus)], check=True)
    return _build(corpus, tmp_path_factory.mktemp("city"))


@contextmanager
def _full_scan() -> Iterator[None]:
    """The named queries as they were: the same parameters, filled in the
    same way, into the text of tests/queries_full."""
    def template(name: str) -> str:
        return (REFERENCE / f"{name}.rq").read_text("utf-8")

    with mock.patch.object(kg.queries, "_template", template):
        yield


def _reference(name: str, store: Path, **params: Any) -> Answer:
    with _full_scan():
        return run_named(name, store_dir=store, from_store=True, **params)


def _limits(rows: int) -> list[int]:
    """The first row, a few, one short of all, all, one over, and 100 (the
    command's default)."""
    return sorted({n for n in (1, 2, 7, rows - 1, rows, rows + 1, 100) if n >= 1})


def _same_answers(store: Path, name: str, params: dict[str, Any],
                  endpoint: str | None = None, *, from_store: bool = False) -> int:
    """Checks the named query against the full scan at every limit, typed
    cells and order; the number of rows of the whole answer. On the store,
    the rows the build kept answer unless `from_store`."""
    whole = _reference(name, store, **params)
    options: dict[str, Any] = {"endpoint": endpoint, "from_store": from_store}
    got = run_named(name, store_dir=store, **options, **params)
    assert got.kept == (endpoint is None and not from_store)
    assert got.columns == whole.columns
    assert got.rows == whole.rows, (name, params)
    every = run_named(name, store_dir=store, limit=0, **options, **params)
    assert every.rows == whole.rows and not every.more, (name, params)
    if endpoint is None:  # a server may type the numbers of STRDT otherwise
        assert every.cells == whole.cells, (name, params)
    for limit in _limits(len(whole.rows)):
        first = run_named(name, store_dir=store, limit=limit, **options, **params)
        assert first.rows == whole.rows[:limit], (name, params, limit)
        assert first.more == (limit < len(whole.rows)), (name, params, limit)
    return len(whole.rows)


@pytest.mark.parametrize("from_store", [False, True], ids=["kept", "sparql"])
@pytest.mark.parametrize(("name", "params"), CALLS)
def test_rows_give_the_full_scan_answer_on_the_examples(
    examples: Path, name: str, params: dict[str, Any], from_store: bool
) -> None:
    _same_answers(examples, name, params, from_store=from_store)


@pytest.mark.slow
@pytest.mark.parametrize("from_store", [False, True], ids=["kept", "sparql"])
@pytest.mark.parametrize(("name", "params"), CALLS)
def test_rows_give_the_full_scan_answer_on_a_city(
    city: Path, name: str, params: dict[str, Any], from_store: bool
) -> None:
    _same_answers(city, name, params, from_store=from_store)


def test_every_query_answers_something_on_the_examples(examples: Path) -> None:
    # An empty answer would make the comparisons above vacuous.
    for name in ROW_QUERIES:
        assert run_named(name, store_dir=examples).rows, name


def test_the_reference_is_the_full_scan_of_every_row_query() -> None:
    assert {p.stem for p in REFERENCE.glob("*.rq")} == set(ROW_QUERIES)
    for name in ROW_QUERIES:
        named = (ROOT / "kg" / "queries" / f"{name}.rq").read_text("utf-8")
        reference = (REFERENCE / f"{name}.rq").read_text("utf-8")
        # The named query reads the rows (a row node, or a measure's start);
        # the reference reads only the nodes and their annotations.
        assert "kg:textStart" in named or "Row" in named, name
        assert "Row" not in reference and "kg:textStart" not in reference, name


# --- the rows in a notice's graph --------------------------------------------


def _graph(path: Path) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.load(notice_rdf(extract_notice(path)).nquads, pyoxigraph.RdfFormat.N_QUADS)
    return store


def _count(store: pyoxigraph.Store, where: str) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ {where} }} }}"
    solutions = store.query(query)
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    return int(next(iter(solutions))["n"].value)


def test_one_inspection_row_and_a_start_per_measure() -> None:
    store = _graph(EXAMPLES / "luozhuang-2021.txt")
    assert _count(store, f"?row a <{KG.InspectionRow}>") == 1
    measures = _count(store, f"?m a <{KG.Measure}>")
    assert measures > 50
    # A measure is its own row: one start each, no row node.
    assert _count(store, f"?m a <{KG.Measure}> ; <{KG.textStart}> ?start") == measures
    assert _count(store, f"?row <{KG.rowOf}> ?m . ?m a <{KG.Measure}> "
                         f"FILTER NOT EXISTS {{ ?row a <{KG.EnactedRow}> }}") == 0
    # Its problem's category ids once per problem with measures, not per measure.
    problems = _count(store, f"?p a <{KG.Problem}>")
    assert 0 < _count(store, f"?p <{KG.categories}> ?ids") <= problems < measures


def test_measure_starts_select_the_measure_text() -> None:
    path = EXAMPLES / "sanmen-2023.txt"
    notice = extract_notice(path)
    text = notice.source.text
    store = _graph(path)
    solutions = store.query(
        "SELECT ?start ?label WHERE { GRAPH ?g { "
        f"?m a <{KG.Measure}> ; <{KG.textStart}> ?start ; "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?label } }")
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    found = [(int(s["start"].value), s["label"].value) for s in solutions]
    assert len(found) == len(notice.measures)
    for start, label in found:
        assert text[start:start + len(label)] == label


def test_rows_leave_the_notice_nodes_as_they_were() -> None:
    from kg.rdf import build

    notice = extract_notice(EXAMPLES / "dongying-2021.txt")
    with_rows = notice_rdf(notice).nquads.decode("utf-8").splitlines()
    with mock.patch.object(build, "summary_rows", lambda *args: []):
        without = notice_rdf(notice).nquads.decode("utf-8").splitlines()
    added = set(with_rows) - set(without)
    assert set(without) <= set(with_rows) and added
    # Row nodes, and the two things the measures query reads off the nodes
    # themselves: a measure's start, its problem's category ids.
    for line in added:
        subject, predicate = line.split(" ", 2)[:2]
        assert ("/row/" in subject
                or ("/measure/" in subject and predicate == f"<{KG.textStart}>")
                or ("/finding/" in subject and predicate == f"<{KG.categories}>")), line


# --- the same answers from a SPARQL server --------------------------------------


@pytest.mark.server
def test_server_gives_the_full_scan_answers(
    examples: Path, oxigraph_server: OxigraphServer
) -> None:
    report = push_store(examples, oxigraph_server.store_url, timeout=30)
    assert report.ok, report.summary()
    for name, params in CALLS:
        _same_answers(examples, name, params, endpoint=oxigraph_server.query_url)
