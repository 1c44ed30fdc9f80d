"""The rows the build keeps for the named queries (kg/rdf/answers.py,
kg/queries/kept.py): used only where they are the store's answer, and kept
current as notices are added, changed and removed.

tests/test_rows.py compares every kept answer with the SPARQL's, with every
parameter and limit; these tests are about when the kept rows answer.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kg.build import build_corpus
from kg.queries import run_named
from kg.queries.kept import Kept
from kg.rdf.answers import kept_rows
from kg.rdf.terms import KG, RDF, integer, literal, zh

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "notices"
KEPT = ("inspections", "timeline", "categories", "measures", "enacted")


def _build(inputs: list[Path], out: Path, *, prune: bool = False) -> Path:
    report = build_corpus(inputs, out, jobs=1, prune=prune, gazetteers=[],
                          progress=False, html=False, dump=False)
    assert report.exit_code(strict=False) == 0, report.summary()
    return out / "store"


def _both(store: Path, name: str, **params: Any) -> tuple[Any, Any]:
    """The answer as `kg query` gives it, and the SPARQL's."""
    return (run_named(name, store_dir=store, limit=0, **params),
            run_named(name, store_dir=store, limit=0, from_store=True, **params))


@pytest.fixture
def corpus(tmp_path: Path) -> list[Path]:
    """The five examples, copied where a test may change them."""
    folder = tmp_path / "in"
    shutil.copytree(EXAMPLES, folder)
    return sorted(folder.glob("*.txt"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output folder of a build of the five examples, read only."""
    out = tmp_path_factory.mktemp("built")
    _build(sorted(EXAMPLES.glob("*.txt")), out)
    return out


def test_kept_rows_answer_a_fresh_build(built: Path) -> None:
    store = built / "store"
    for name in KEPT:
        kept, scanned = _both(store, name)
        assert kept.kept and not scanned.kept
        assert kept.rows and kept.cells == scanned.cells, name


def test_changed_and_removed_notices_change_the_kept_rows(
    corpus: list[Path], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    _build(corpus, out)
    changed = next(p for p in corpus if p.stem == "sanmen-2023")
    text = changed.read_text("utf-8")
    # A measure's text changes, and with it every offset after it.
    first = text.index("9月8日组织全体人员学习了")
    changed.write_text(text[:first] + text[first:].replace("9月8日组织全体人员学习了",
                                                           "组织学习了", 1), "utf-8")
    gone = next(p for p in corpus if p.stem == "zaozhuang-2018")
    gone.unlink()
    store = _build([p for p in corpus if p != gone], out, prune=True)
    for name in KEPT:
        kept, scanned = _both(store, name)
        assert kept.kept and kept.cells == scanned.cells, name
    measures, _ = _both(store, "measures")
    ids = {row[0] for row in measures.rows}
    assert "zaozhuang-2018" not in ids and "sanmen-2023" in ids
    assert any(row[5] is not None and row[5].startswith("组织学习了")
               for row in measures.rows if row[0] == "sanmen-2023")


def test_a_build_cut_short_leaves_the_sparql_to_answer(
    corpus: list[Path], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    store = _build(corpus, out)
    with sqlite3.connect(out / ".kg-cache.sqlite") as db:  # as while a build runs
        db.execute("UPDATE meta SET value = ? WHERE name = 'outputs_current'",
                   (json.dumps(False),))
    kept, scanned = _both(store, "measures")
    assert not kept.kept and kept.cells == scanned.cells


def test_a_lost_cache_leaves_the_sparql_to_answer(
    corpus: list[Path], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    store = _build(corpus, out)
    (out / ".kg-cache.sqlite").unlink()
    answer = run_named("inspections", store_dir=store, limit=0)
    assert not answer.kept and len(answer.rows) == 5


def test_a_graph_the_cache_does_not_know_leaves_the_sparql_to_answer(
    corpus: list[Path], tmp_path: Path
) -> None:
    """A notice graph no input made (its input left and the cache was lost,
    without --prune) has no kept rows: the SPARQL answers, with its rows."""
    out = tmp_path / "out"
    _build(corpus, out)
    (out / ".kg-cache.sqlite").unlink()
    store = _build(corpus[1:], out)
    kept, scanned = _both(store, "inspections")
    assert not kept.kept
    assert {row[0] for row in kept.rows} == {p.stem for p in corpus}
    assert kept.cells == scanned.cells


def test_kept_cells_keep_commas_quotes_and_line_breaks() -> None:
    graph = "<https://w3id.org/kg-inspection/notice/n>"
    row = "<https://w3id.org/kg-inspection/notice/n/row/inspection>"
    unit = '某局党组,"第一"\n支部'
    triples = [
        (row, RDF.type, KG.InspectionRow),
        (row, KG.rowOf, "<https://w3id.org/kg-inspection/notice/n/inspection>"),
        (row, KG.noticeId, literal("n")),
        (row, KG.unitLabel, zh(unit)),
        (row, KG.problemsFound, integer(3)),
        (row, KG.measuresFound, integer(0)),
    ]
    (only,) = kept_rows(graph, triples)
    result = Kept(["columns"], [only.line], [1], {1: only.types})
    (cells,) = result.cells
    assert cells[0] is not None and cells[0].value == "n"
    assert cells[3] is not None and (cells[3].value, cells[3].lang) == (unit, "zh")
    assert cells[1] is None and cells[9] is not None and cells[9].value == "3"


@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.parametrize("args", [
    ("measures",), ("measures", "--kind", "rules"),
    ("measures", "--category", "financial-management", "--kind", "study"),
    ("categories", "--min-notices", "2"), ("enacted", "--kind", "other"),
    ("timeline",), ("inspections",),
])
def test_every_row_is_streamed_as_the_sparql_writes_it(
    built: Path, args: tuple[str, ...], fmt: str
) -> None:
    from click.testing import CliRunner

    from kg.cli import main

    out = built
    runner = CliRunner()
    every = ["query", *args, "-o", str(out), "--limit", "0", "--format", fmt]
    streamed = runner.invoke(main, [*every, "--explain"])
    scanned = runner.invoke(main, [*every, "--from-store"])
    assert streamed.exit_code == 0 and scanned.exit_code == 0, streamed.output
    assert streamed.stdout == scanned.stdout
    assert streamed.stdout.count("\n") > 1
    if fmt == "json":
        assert json.loads(streamed.stdout)
    assert streamed.stderr.rstrip("\n").endswith("(--from-store runs the SPARQL above)")


def test_a_cache_without_the_rows_tables_leaves_the_sparql_to_answer(
    corpus: list[Path], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    store = _build(corpus, out)
    with sqlite3.connect(out / ".kg-cache.sqlite") as db:  # damaged, or foreign
        db.execute("DROP TABLE answer_types")
    kept, scanned = _both(store, "enacted")
    assert not kept.kept and kept.cells == scanned.cells


def test_no_rows_stream_as_an_empty_table(built: Path) -> None:
    from click.testing import CliRunner

    from kg.cli import main

    out = built
    every = ["query", "measures", "--kind", "refund", "--category",
             "ideology", "-o", str(out), "--limit", "0", "--format"]
    assert not run_named("measures", store_dir=out / "store", kind="refund",
                         category="ideology").rows
    for fmt, empty in (("json", "[]\n"), ("csv", ",".join(
            ["notice_id", "problem_id", "categories", "measure_id", "kind", "text",
             "start", "end", "measure"]) + "\n")):
        streamed = CliRunner().invoke(main, [*every, fmt])
        scanned = CliRunner().invoke(main, [*every, fmt, "--from-store"])
        assert streamed.stdout == scanned.stdout == empty


@pytest.mark.parametrize("fmt", ["csv", "json", "table", "markdown"])
def test_the_first_rows_render_as_the_sparql_s(built: Path, fmt: str) -> None:
    from click.testing import CliRunner

    from kg.cli import main

    out = built
    for name in KEPT:
        first = ["query", name, "-o", str(out), "--limit", "3", "--format", fmt]
        kept = CliRunner().invoke(main, first)
        scanned = CliRunner().invoke(main, [*first, "--from-store"])
        assert kept.exit_code == 0 and scanned.exit_code == 0, kept.output
        assert kept.stdout == scanned.stdout and kept.stdout.strip(), (name, fmt)
        assert kept.stderr == scanned.stderr


# What `kg query` loads for a kept answer: its start-up is most of the half
# second a named query may take, and neither the RDF mapping (rdflib) nor the
# HTTP client (for servers) is needed to read rows from the cache.
QUERY_IMPORTS = """
import sys
from kg.cli import main
try:
    main(["query", "measures", "-o", sys.argv[1], "--limit", "3"])
except SystemExit as end:
    assert not end.code, end.code
print(sorted(m for m in ("rdflib", "http.client", "ssl", "jieba") if m in sys.modules))
"""


def test_a_kept_query_loads_neither_rdflib_nor_the_http_client(built: Path) -> None:
    done = subprocess.run([sys.executable, "-c", QUERY_IMPORTS, str(built)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "measure_id" in done.stdout  # the rows were printed
    assert done.stdout.splitlines()[-1] == "[]"
