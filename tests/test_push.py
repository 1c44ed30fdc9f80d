"""kg/store.py against a real SPARQL server: push (Graph Store HTTP Protocol)
and remote queries (SPARQL 1.1 Protocol), with `oxigraph serve`."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import http.server
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import StoreError
from kg.push import push_store
from kg.store import Store, run_query
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


# --- issue 16 case 15: answers that are not HTTP, slow, or ask for Digest ----------


class _RawServer:
    """A TCP server on 127.0.0.1 that reads a request's head and then lets
    `answer` write whatever bytes it likes: not always HTTP."""

    def __init__(self, answer: Callable[[socket.socket], None]) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.answer = answer
        self.heads: list[bytes] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/store"

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.sock.accept()
            except OSError:
                return
            with connection:
                head = b""
                while b"\r\n\r\n" not in head:
                    chunk = connection.recv(65536)
                    if not chunk:
                        break
                    head += chunk
                self.heads.append(head.split(b"\r\n\r\n", 1)[0])
                with contextlib.suppress(OSError):
                    self.answer(connection)

    def close(self) -> None:
        self.sock.close()


@contextlib.contextmanager
def _raw(answer: Callable[[socket.socket], None]) -> Iterator[_RawServer]:
    server = _RawServer(answer)
    try:
        yield server
    finally:
        server.close()


def _ssh_banner(connection: socket.socket) -> None:
    connection.sendall(b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n")


def _many_headers(connection: socket.socket) -> None:
    connection.sendall(b"HTTP/1.1 200 OK\r\n"
                       + b"".join(b"X-H%d: v\r\n" % i for i in range(150))
                       + b"Content-Length: 0\r\n\r\n")


def _trickle(connection: socket.socket) -> None:
    connection.sendall(b"HTTP/1.1 201 Created\r\nContent-Length: 1000\r\n\r\n")
    for _ in range(1000):
        connection.sendall(b"x")
        time.sleep(0.05)


def _trickled_head(connection: socket.socket) -> None:
    for byte in b"HTTP/1.1 201 Created\r\n" + b"X-Slow: " + b"y" * 1000:
        connection.sendall(bytes([byte]))
        time.sleep(0.05)


@pytest.mark.parametrize(("answer", "says"), [
    (_ssh_banner, "not an HTTP answer (the status line is 'SSH-2.0-OpenSSH_9.2p1"),
    (_many_headers, "not an HTTP answer (got more than 100 headers)"),
], ids=["ssh-banner", "150-headers"])
def test_an_answer_that_is_not_http_is_one_line(
    store_dir: Path, answer: Callable[[socket.socket], None], says: str
) -> None:
    with _raw(answer) as server:
        for call in (lambda: push_store(store_dir, server.url, timeout=5),
                     lambda: run_query("ASK {}", store_dir, server.url)):
            with pytest.raises(StoreError) as caught:
                call()
            message = str(caught.value)
            assert message.startswith(f"{server.url}")
            assert says in message and "\n" not in message


@pytest.mark.parametrize("answer", [_trickle, _trickled_head],
                         ids=["body", "head"])
def test_timeout_bounds_the_whole_request_even_a_trickled_answer(
    store_dir: Path, answer: Callable[[socket.socket], None]
) -> None:
    with _raw(answer) as server:
        started = time.monotonic()
        with pytest.raises(StoreError, match=r"no answer within 0\.6 s"):
            push_store(store_dir, server.url, timeout=0.6)
        assert time.monotonic() - started < 2.5


@pytest.mark.parametrize("timeout", [0, -1, float("nan"), float("inf"), 1e300])
def test_a_timeout_that_cannot_bound_a_request_is_refused(
    store_dir: Path, timeout: float
) -> None:
    with pytest.raises(StoreError, match="give seconds above 0 and at most 86400"):
        push_store(store_dir, "http://127.0.0.1:9/store", timeout=timeout)


@pytest.mark.parametrize("fake_server", [False], indirect=True)
def test_a_user_in_the_url_is_the_login_not_a_host(
    store_dir: Path, fake_server: _FakeServer, monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("KG_ENDPOINT_USER", raising=False)
    monkeypatch.setenv("KG_ENDPOINT_PASSWORD", "pw-of-url-user")
    endpoint = fake_server.url.replace("http://", "http://archivist@")
    report = push_store(store_dir, endpoint, timeout=5)
    token = base64.b64encode(b"archivist:pw-of-url-user").decode()
    assert fake_server.authorizations == [f"Basic {token}"]
    assert "HTTP 401" in report.summary()
    assert "Name or service not known" not in report.summary()


class _DigestHandler(http.server.BaseHTTPRequestHandler):
    """A graph store asking for HTTP Digest (RFC 7616, qop=auth, MD5) as
    Virtuoso does: a bare 401 to Basic, the challenge to a request without
    credentials, 201 to a right answer, which it checks on its own."""

    server: _DigestServer

    def _reply(self, status: int, challenge: bool = False) -> None:
        self.send_response(status)
        if challenge:
            self.send_header("WWW-Authenticate",
                             f'Digest realm="SPARQL", nonce="{self.server.nonce}", '
                             'opaque="0pq", qop="auth", algorithm="MD5"')
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _check(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        authorization = self.headers.get("Authorization") or ""
        self.server.schemes.append(authorization.split(" ", 1)[0] or self.command)
        if not authorization:
            self._reply(401, challenge=True)
            return
        if not authorization.startswith("Digest "):
            self._reply(401)
            return
        fields = dict(re.findall(r'(\w+)="?([^",]*)"?', authorization[7:]))

        def md5(text: str) -> str:
            return hashlib.md5(text.encode()).hexdigest()

        ha1 = md5(f"{fields['username']}:SPARQL:{self.server.password}")
        ha2 = md5(f"{self.command}:{fields['uri']}")
        expected = md5(f"{ha1}:{fields['nonce']}:{fields['nc']}:{fields['cnonce']}"
                       f":auth:{ha2}")
        right = (fields["response"] == expected and fields["uri"] == self.path
                 and fields["opaque"] == "0pq" and fields["nc"] not in self.server.ncs)
        self.server.ncs.add(fields["nc"])
        self._reply(201 if right else 401)

    do_PUT = do_HEAD = _check  # noqa: N815 - http.server's names

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Keep the test output quiet."""


class _DigestServer(http.server.ThreadingHTTPServer):
    def __init__(self, password: str) -> None:
        super().__init__(("127.0.0.1", 0), _DigestHandler)
        self.password = password
        self.nonce = "n0nce"
        self.schemes: list[str] = []
        self.ncs: set[str] = set()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/sparql-graph-crud-auth"


@pytest.mark.parametrize(("password", "loaded"), [("right-pw", True),
                                                  ("wrong-pw", False)])
def test_digest_is_answered_when_the_server_asks_for_it(
    store_dir: Path, monkeypatch: pytest.MonkeyPatch, password: str, loaded: bool
) -> None:
    monkeypatch.setenv("KG_ENDPOINT_USER", "dba")
    monkeypatch.setenv("KG_ENDPOINT_PASSWORD", password)
    server = _DigestServer("right-pw")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        report = push_store(store_dir, server.url, timeout=5)
    finally:
        server.shutdown()
        server.server_close()
    assert report.ok is loaded, report.summary()
    if loaded:
        # Basic first, the HEAD that gets the challenge, then one Digest
        # request per graph: the challenge is reused, its count going up.
        assert server.schemes == ["Basic", "HEAD", "Digest", "Digest", "Digest"]
        assert len(server.ncs) == 3
    else:
        assert "HTTP 401" in report.summary()
        assert password not in report.summary()
