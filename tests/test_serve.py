"""`kg serve` as a user runs it: a subprocess on free ports, its pages and its
SPARQL endpoint read by kg itself and by rdflib's SPARQLStore, then ended by
SIGINT or SIGTERM with its server child gone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.queries import QUERY_NAMES, run_named
from kg.store import run_query

pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "notices"
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
COUNT_DEFAULT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kg.build import build_corpus

    out = tmp_path_factory.mktemp("served")
    report = build_corpus([EXAMPLES], out, jobs=2, prune=False, gazetteers=[],
                          progress=False, html=True, dump=False)
    assert report.exit_code(strict=False) == 0, report.summary()
    return out


@dataclass
class Served:
    process: subprocess.Popen[str]
    pages: str
    sparql: str  # the query service

    def lines(self) -> list[str]:
        return self.process.stderr.readlines() if self.process.stderr else []


def _start(out: Path) -> Served:
    process = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", "-o", str(out), "--port", "0",
         "--sparql-port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert process.stderr is not None
    said: dict[str, str] = {}
    deadline = time.monotonic() + 60
    while len(said) < 2 and time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line:
            break
        name, _, rest = line.partition(":")
        if name in ("pages", "SPARQL"):
            said[name] = rest.split()[0]
    assert set(said) == {"pages", "SPARQL"}, (process.poll(), said)
    return Served(process, said["pages"], said["SPARQL"])


def _children(pid: int) -> list[int]:
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in
                          status.read_text().splitlines() if ":\t" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(pid):
            found.append(int(status.parent.name))
    return found


@pytest.fixture(scope="module")
def served(built: Path) -> Iterator[Served]:
    server = _start(built)
    yield server
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGINT)
        server.process.wait(timeout=20)


def test_serve_prints_both_urls_on_localhost(served: Served) -> None:
    assert served.pages.startswith("http://127.0.0.1:")
    assert served.sparql.startswith("http://127.0.0.1:")
    assert served.sparql.endswith("/query")


def test_the_pages_are_served(served: Served, built: Path) -> None:
    with urllib.request.urlopen(served.pages + "index.html", timeout=10) as page:
        assert page.status == 200
        assert page.read() == (built / "index.html").read_bytes()
    notice = sorted((built / "notices").glob("*.html"))[0]
    with urllib.request.urlopen(served.pages + f"notices/{notice.name}",
                                timeout=10) as page:
        assert page.read() == notice.read_bytes()


def test_every_named_query_answers_as_the_local_store(
    served: Served, built: Path
) -> None:
    for name in QUERY_NAMES:
        local = run_named(name, store_dir=built / "store", limit=0)
        remote = run_named(name, store_dir=built / "store", endpoint=served.sparql,
                           limit=0)
        assert remote.columns == local.columns, name
        assert remote.rows == local.rows, name
        assert local.rows, name


def test_the_default_graph_is_the_union_as_locally(served: Served, built: Path
                                                   ) -> None:
    local = run_query(COUNT_ALL, built / "store", None).rows
    assert int(local[0][0] or 0) > 10_000
    assert run_query(COUNT_ALL, built / "store", served.sparql).rows == local
    assert run_query(COUNT_DEFAULT, built / "store", served.sparql).rows == local
    result = CliRunner().invoke(main, ["sparql", COUNT_ALL, "--endpoint",
                                       served.sparql, "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["n", local[0][0]]


def test_rdflib_sparqlstore_can_query_it(served: Served, built: Path) -> None:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(served.sparql, returnFormat="json")
    rows = list(store.query(COUNT_ALL))
    local = run_query(COUNT_ALL, built / "store", None).rows
    assert [[str(row[0])] for row in rows] == local  # type: ignore[index]


def test_it_is_read_only(served: Served) -> None:
    update = served.sparql.rsplit("/", 1)[0] + "/update"
    request = urllib.request.Request(
        update, data=b"update=CLEAR+ALL", method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded"})
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(request, timeout=10)


@pytest.mark.parametrize("ending", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP],
                         ids=["SIGINT", "SIGTERM", "SIGHUP"])
def test_a_signal_stops_it_and_its_server(built: Path,
                                         ending: signal.Signals) -> None:
    server = _start(built)
    children = _children(server.process.pid)
    assert len(children) == 1  # oxigraph serve-read-only
    server.process.send_signal(ending)
    assert server.process.wait(timeout=20) == 0
    assert "stopped" in "".join(server.lines())
    for child in children:
        with pytest.raises(ProcessLookupError):
            for _ in range(100):
                os.kill(child, 0)
                time.sleep(0.1)


def test_without_a_build_it_says_so_in_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "-o", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert result.stderr == (f"kg: {tmp_path / 'none' / 'store'}: no store here; "
                             "run `kg build` first\n")


def test_a_busy_port_is_one_line(built: Path) -> None:
    import socket

    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "-o", str(built), "--port",
                                           str(port)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"kg: cannot serve the pages on 127.0.0.1:{port}")
    assert len(result.stderr.splitlines()) == 1
