"""Virtuoso, a second real SPARQL server: `kg push` loads every graph through
its Graph Store endpoint (/sparql-graph-crud-auth, HTTP Digest), a second push
doubles nothing, and every named query gives the same rows from its /sparql
as from the local store.

The server is Debian's virtuoso-opensource (`virtuoso-t`, installed by
.ci/run), started on free ports of 127.0.0.1 with a throw-away database in a
temp folder (the virtuoso.ini below); the test is skipped where it is not
installed.
"""

from __future__ import annotations

import shutil
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.queries import QUERY_NAMES, run_named
from kg.store import Store, run_query
from tests.oxigraph_server import free_port, stop

pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "notices"
STARTUP_SECONDS = 60.0
# A fresh database's administrator (Virtuoso's documented default); the
# database lives for one test run on 127.0.0.1 only.
USER, PASSWORD = "dba", "dba"
PER_GRAPH = ("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } "
             "GROUP BY ?g ORDER BY ?g")
# Every named query with the options the README and tests/test_queries.py use.
CALLS: list[tuple[str, dict[str, object]]] = [
    *((name, {}) for name in QUERY_NAMES),
    ("regulations", {"min_notices": 2}),
    ("regulations", {"kind": "law"}),
    ("regulations", {"relation": "violates"}),
    ("categories", {"min_notices": 5}),
    ("measures", {"category": "democratic-centralism", "kind": "制度建设"}),
    ("enacted", {"kind": "normative_document"}),
]

INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ServerThreads = 10
CheckpointInterval = 0
DirsAllowed = {dir}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
MaxClientConnections = 5
ServerThreads = 5

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


@dataclass(frozen=True)
class Virtuoso:
    base_url: str

    @property
    def query_url(self) -> str:
        return self.base_url + "/sparql"

    @property
    def store_url(self) -> str:
        return self.base_url + "/sparql-graph-crud-auth"


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    executable = shutil.which("virtuoso-t")
    if executable is None:
        pytest.skip("virtuoso-t not installed (Debian: virtuoso-opensource-7-bin)")
    folder = tmp_path_factory.mktemp("virtuoso")
    http_port = free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(INI.format(dir=folder, sql_port=free_port(), http_port=http_port))
    log = (folder / "stdout.log").open("wb")
    process = subprocess.Popen([executable, "-f", "-c", str(ini)], cwd=folder,
                               stdout=log, stderr=subprocess.STDOUT)
    server = Virtuoso(f"http://127.0.0.1:{http_port}")
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _answers(server.query_url):
            if process.poll() is not None:
                raise RuntimeError("virtuoso-t exited: "
                                   + (folder / "virtuoso.log").read_text())
            if time.monotonic() > deadline:
                raise RuntimeError(f"virtuoso-t silent for {STARTUP_SECONDS} s")
            time.sleep(0.2)
        yield server
    finally:
        stop(process, timeout=30)
        log.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kg.build import build_corpus

    out = tmp_path_factory.mktemp("build")
    report = build_corpus([EXAMPLES], out, jobs=2, prune=False, gazetteers=[],
                          progress=False, html=False, dump=False)
    assert report.exit_code(strict=False) == 0, report.summary()
    return out


def _push(built: Path, endpoint: str) -> tuple[int, str]:
    environment = {"KG_ENDPOINT_USER": USER, "KG_ENDPOINT_PASSWORD": PASSWORD}
    result = CliRunner(env=environment).invoke(
        main, ["push", "--endpoint", endpoint, "-o", str(built), "--timeout", "60"])
    return result.exit_code, result.output


def _remote_per_graph(built: Path, virtuoso: Virtuoso) -> dict[str, int]:
    """Triples per graph on the server, for the graphs of the local store
    (Virtuoso keeps graphs of its own beside them)."""
    local = set(Store(built / "store", read_only=True).graphs())
    rows = run_query(PER_GRAPH, built / "store", virtuoso.query_url).rows
    return {g: int(n) for g, n in rows if g in local and n is not None}


@pytest.fixture(scope="module")
def pushed(built: Path, virtuoso: Virtuoso) -> Virtuoso:
    code, output = _push(built, virtuoso.store_url)
    assert code == 0, output
    return virtuoso


def test_push_loads_every_graph_and_a_second_push_doubles_nothing(
    built: Path, pushed: Virtuoso
) -> None:
    local = {g: int(n) for g, n in
             run_query(PER_GRAPH, built / "store", None).rows if g and n}
    assert len(local) >= 5 and sum(local.values()) > 10_000
    assert _remote_per_graph(built, pushed) == local
    code, output = _push(built, pushed.store_url)
    assert code == 0, output
    assert f"{len(local)} of {len(local)} graphs ({sum(local.values())} triples)" \
        in output
    assert _remote_per_graph(built, pushed) == local
    print(f"\nVirtuoso: {sum(local.values())} triples in {len(local)} graphs, "
          "remote = local after two pushes")


def test_the_readme_count_gives_the_same_answer(built: Path, pushed: Virtuoso
                                                ) -> None:
    local = Store(built / "store", read_only=True).graphs()
    values = " ".join(f"<{g}>" for g in local)
    count = ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
             f"VALUES ?g {{ {values} }} }}")
    assert (run_query(count, built / "store", pushed.query_url).rows
            == run_query(count, built / "store", None).rows)


@pytest.mark.parametrize(("name", "params"), CALLS,
                         ids=[f"{n}{'-' if p else ''}{'-'.join(map(str, p.values()))}"
                              for n, p in CALLS])
def test_every_named_query_gives_the_same_rows(
    built: Path, pushed: Virtuoso, name: str, params: dict[str, object]
) -> None:
    local = run_named(name, store_dir=built / "store", limit=0, **params)
    remote = run_named(name, store_dir=built / "store", endpoint=pushed.query_url,
                       limit=0, **params)
    assert remote.columns == local.columns
    assert local.rows
    assert remote.rows == local.rows
    first = run_named(name, store_dir=built / "store", endpoint=pushed.query_url,
                      limit=2, **params)
    assert (first.rows, first.more) == (local.rows[:2], len(local.rows) > 2)
    print(f"\nVirtuoso {name} {params}: {len(local.rows)} rows equal")


def test_wrong_credentials_are_refused_in_one_line(built: Path,
                                                  virtuoso: Virtuoso) -> None:
    result = CliRunner(env={"KG_ENDPOINT_USER": USER,
                            "KG_ENDPOINT_PASSWORD": "not-the-password"}).invoke(
        main, ["push", "--endpoint", virtuoso.store_url, "-o", str(built)])
    assert result.exit_code == 1
    assert "HTTP 401" in result.output
    assert "not-the-password" not in result.output

