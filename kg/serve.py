"""`kg serve`: the built pages and a read-only SPARQL 1.1 endpoint, on
127.0.0.1, until Ctrl-C or SIGTERM.

The endpoint is Oxigraph's own server (``oxigraph serve-read-only`` of the
PyPI `oxigraph` package, a dependency of kg) over ``out/store``: a maintained
implementation of the SPARQL 1.1 Protocol, with a query form at its root and
the query service at ``/query``. It runs with ``--union-default-graph``, so a
query without ``GRAPH`` sees every notice graph, as ``kg sparql`` does. The
pages are static files, served by Python's `http.server` from ``out/``.

The output folder is held for reading (`kg.outlock`) while serving: a build
cannot rewrite the store under the server's feet.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import Final

from kg.errors import KgError, StoreError

HOST: Final = "127.0.0.1"
STARTUP_SECONDS: Final = 30.0
STOP_SECONDS: Final = 10.0
_STOPPING_SIGNALS: Final = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class _Stop(KeyboardInterrupt):
    """SIGTERM or SIGHUP: leave the serving loop as Ctrl-C does."""


def serve_build(
    out: Path, *, port: int, sparql_port: int, announce: Callable[[str], None]
) -> None:
    """Serve `out` (pages on `port`, SPARQL on `sparql_port`; 0 picks a free
    one) until interrupted; says both URLs through `announce`."""
    from kg import outlock

    store = out / "store"
    if not store.is_dir():
        raise StoreError(f"{store}: no store here; run `kg build` first")
    with outlock.reading(out), _ending_signals_stop():
        with contextlib.suppress(KeyboardInterrupt):  # the way to stop
            _serve(out, port, sparql_port, announce)
    announce("stopped")


def _serve(out: Path, port: int, sparql_port: int,
           announce: Callable[[str], None]) -> None:
    pages = _pages_server(out, port)
    try:
        with _sparql_server(out / "store", sparql_port) as sparql_url:
            pages_url = f"http://{HOST}:{pages.server_address[1]}/"
            if not (out / "index.html").is_file():
                pages_url += " (no pages: the build ran with --no-html)"
            announce(f"pages:  {pages_url}")
            announce(f"SPARQL: {sparql_url}/query  (a query form at {sparql_url}/)")
            announce("Ctrl-C stops both.")
            pages.serve_forever()
    finally:
        pages.server_close()


@contextlib.contextmanager
def _ending_signals_stop() -> Iterator[None]:
    """SIGINT, SIGTERM and SIGHUP raise `_Stop` (a KeyboardInterrupt), once:
    after the first, the others are ignored while the servers are ended."""

    def stop(number: int, frame: FrameType | None) -> None:
        for each in _STOPPING_SIGNALS:
            signal.signal(each, signal.SIG_IGN)
        raise _Stop(signal.Signals(number).name)

    previous = {number: signal.signal(number, stop) for number in _STOPPING_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """No line per request on the terminal."""


def _pages_server(out: Path, port: int) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(_QuietHandler, directory=str(out))
    try:
        server = http.server.ThreadingHTTPServer((HOST, port), handler)
    except OSError as error:
        raise KgError(f"cannot serve the pages on {HOST}:{port} ({error.strerror}); "
                      "give another --port, or 0 for any free one") from error
    server.daemon_threads = True
    return server


@contextlib.contextmanager
def _sparql_server(store: Path, port: int) -> Iterator[str]:
    """`oxigraph serve-read-only` over `store` on `port`, ended (and waited
    for) on the way out; its base URL."""
    port = port or _free_port()
    if not _port_free(port):
        raise KgError(f"cannot serve SPARQL on {HOST}:{port} (in use); give "
                      "another --sparql-port, or 0 for any free one")
    command = [_oxigraph(), "serve-read-only", "--location", str(store),
               "--bind", f"{HOST}:{port}", "--union-default-graph", "--cors"]
    # Its own session: a Ctrl-C on the terminal reaches kg, which ends it in
    # order; the parent-death signal ends it if kg itself is killed.
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               start_new_session=True,
                               preexec_fn=_end_with_parent)
    errors: list[bytes] = []
    reader = threading.Thread(target=lambda: errors.extend(process.stderr or ()),
                              daemon=True)
    reader.start()
    url = f"http://{HOST}:{port}"
    try:
        _wait_until_answering(url, process, errors)
        yield url
    finally:
        _end(process)
        reader.join(timeout=1)


def _wait_until_answering(url: str, process: subprocess.Popen[bytes],
                          errors: list[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            said = b"".join(errors).decode("utf-8", "replace").strip()
            last = (said.splitlines()[-1] if said
                    else f"exit status {process.returncode}")
            raise StoreError(f"the SPARQL server stopped at start: {last}")
        try:
            with urllib.request.urlopen(url + "/query?query=ASK%7B%7D", timeout=1):
                return
        except urllib.error.HTTPError:
            return  # it answers HTTP: it is up
        except OSError:
            time.sleep(0.05)
    raise StoreError(f"the SPARQL server did not answer within {STARTUP_SECONDS:g} s")


def _end(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _end_with_parent() -> None:
    """In the child, before exec: SIGTERM when the parent dies (Linux)."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _oxigraph() -> str:
    """The `oxigraph` command beside this Python (a venv's bin/), else on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if found is None:
        raise KgError("the `oxigraph` server is not installed (pip install "
                      "'oxigraph>=0.5,<0.6' in kg's environment)")
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
        return True
