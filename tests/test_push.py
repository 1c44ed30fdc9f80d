"""kg/store.py against a real SPARQL server: push (Graph Store HTTP Protocol)
and remote queries (SPARQL 1.1 Protocol), with `oxigraph serve`."""

from __future__ import annotations

import base64
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import StoreError
from kg.store import Store, push_store, run_query
from tests.oxigraph_server import OxigraphServer, free_port, oxigraph_server

__all__ = ["oxigraph_server"]  # the fixture, imported for pytest to find

pytestmark = pytest.mark.server

EX = "http://example.org/"
COUNT_PER_GRAPH = (
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
)


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    store = Store(path)
    for name, size in (("a", 40), ("b", 7), ("乙", 3)):
        graph = f"{EX}notice/{name}"
        g = ox.NamedNode(graph)
        store.replace_graph(graph, [
            ox.Quad(ox.NamedNode(f"{graph}/finding/{i}"), ox.NamedNode(EX + "label"),
                    ox.Literal(f"问题 {i}", language="zh"), g)
            for i in range(size)
        ] + [ox.Quad(ox.BlankNode(), ox.NamedNode(EX + "exact"), ox.Literal("x"), g)])
    return path


def test_push_loads_every_graph_and_pushing_again_doubles_nothing(
    store_dir: Path, oxigraph_server: OxigraphServer
) -> None:
    remote = oxigraph_server.query_url
    local = run_query(COUNT_PER_GRAPH, store_dir, None).rows
    assert local == [[f"{EX}notice/a", "41"], [f"{EX}notice/b", "8"],
                     [f"{EX}notice/乙", "4"]]

    first = push_store(store_dir, oxigraph_server.store_url, timeout=10)
    assert first.ok, first.summary()
    assert [g.state for g in first.graphs] == ["loaded"] * 3
    assert "3 of 3 graphs (53 triples) loaded" in first.summary()
    assert run_query(COUNT_PER_GRAPH, store_dir, remote).rows == local

    second = push_store(store_dir, oxigraph_server.store_url, timeout=10)
    assert second.ok
    assert run_query(COUNT_PER_GRAPH, store_dir, remote).rows == local


def test_remote_query_cells_match_local_ones(
    store_dir: Path, oxigraph_server: OxigraphServer
) -> None:
    push_store(store_dir, oxigraph_server.store_url, timeout=10)
    query = (f"SELECT ?s ?label WHERE {{ GRAPH ?g {{ ?s <{EX}label> ?label }} }} "
             "ORDER BY ?s LIMIT 3")
    remote = run_query(query, store_dir, oxigraph_server.query_url)
    assert remote == run_query(query, store_dir, None)
    assert remote.cells[0][1] is not None and remote.cells[0][1].lang == "zh"


def test_a_refused_connection_names_the_url(store_dir: Path) -> None:
    closed = f"http://127.0.0.1:{free_port()}/store"
    with pytest.raises(StoreError, match=f"{closed}.*connection refused"):
        push_store(store_dir, closed, timeout=5)
    with pytest.raises(StoreError, match="connection refused"):
        run_query("ASK {}", store_dir, closed)


def test_a_client_error_is_reported_with_status_and_body(
    store_dir: Path, oxigraph_server: OxigraphServer
) -> None:
    # /query is not a graph store: the server refuses the PUT.
    report = push_store(store_dir, oxigraph_server.query_url, timeout=10)
    assert not report.ok
    assert [g.state for g in report.graphs] == ["failed", "not attempted",
                                               "not attempted"]
    assert "HTTP 4" in report.summary()
    assert "0 of 3 graphs" in report.summary()


def test_a_query_error_gives_the_status_and_the_servers_first_line(
    store_dir: Path, oxigraph_server: OxigraphServer
) -> None:
    with pytest.raises(StoreError, match=r"HTTP 400: .+"):
        run_query("SELEKT nonsense", store_dir, oxigraph_server.query_url)


class _FakeServer(http.server.ThreadingHTTPServer):
    """A graph store that never answers (`silent`) or refuses every PUT with
    401, remembering the Authorization headers it was sent."""

    def __init__(self, silent: bool) -> None:
        super().__init__(("127.0.0.1", 0), _FakeHandler)
        self.silent = silent
        self.release = threading.Event()
        self.authorizations: list[str | None] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/store"


class _FakeHandler(http.server.BaseHTTPRequestHandler):
    server: _FakeServer

    def do_PUT(self) -> None:  # noqa: N802 - the name http.server dispatches to
        if self.server.silent:
            self.server.release.wait()
            return
        self.server.authorizations.append(self.headers.get("Authorization"))
        self.rfile.read(int(self.headers["Content-Length"]))
        body = b"Unauthorized\nsee the realm docs"
        self.send_response(401)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Keep the test output quiet."""


@pytest.fixture(params=[True, False], ids=["silent", "refusing"])
def fake_server(request: pytest.FixtureRequest) -> Iterator[_FakeServer]:
    server = _FakeServer(silent=request.param)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("fake_server", [True], indirect=True)
def test_a_server_that_does_not_answer_times_out(
    store_dir: Path, fake_server: _FakeServer
) -> None:
    with pytest.raises(StoreError, match="no answer within 0.5 s"):
        push_store(store_dir, fake_server.url, timeout=0.5)


@pytest.mark.parametrize("fake_server", [False], indirect=True)
def test_credentials_from_the_environment_are_sent_but_never_shown(
    store_dir: Path, fake_server: _FakeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KG_ENDPOINT_USER", "inspector")
    monkeypatch.setenv("KG_ENDPOINT_PASSWORD", "s3cret-pw")
    report = push_store(store_dir, fake_server.url, timeout=5)
    token = base64.b64encode(b"inspector:s3cret-pw").decode()
    assert fake_server.authorizations == [f"Basic {token}"]
    assert "HTTP 401: Unauthorized (set KG_ENDPOINT_USER" in report.summary()
    assert "s3cret" not in report.summary()


@pytest.mark.parametrize("fake_server", [False], indirect=True)
def test_credentials_come_from_netrc_without_the_environment(
    store_dir: Path, fake_server: _FakeServer, monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.delenv("KG_ENDPOINT_USER", raising=False)
    monkeypatch.delenv("KG_ENDPOINT_PASSWORD", raising=False)
    netrc_file = tmp_path / ".netrc"
    netrc_file.write_text("machine 127.0.0.1 login reader password pw-from-netrc\n")
    netrc_file.chmod(0o600)
    monkeypatch.setenv("HOME", str(tmp_path))
    push_store(store_dir, fake_server.url, timeout=5)
    token = base64.b64encode(b"reader:pw-from-netrc").decode()
    assert fake_server.authorizations == [f"Basic {token}"]
