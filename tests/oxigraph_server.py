"""A throwaway `oxigraph serve` (the PyPI `oxigraph` package's CLI) for tests.

The server listens on 127.0.0.1 on a free port and keeps its data in a temp
folder; `OxigraphServer.query_url` and `.store_url` are the SPARQL 1.1 query
service and the Graph Store Protocol endpoint. Import the `oxigraph_server`
fixture into a test module to use it.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

STARTUP_SECONDS = 10.0


@dataclass(frozen=True)
class OxigraphServer:
    base_url: str
    location: Path

    @property
    def query_url(self) -> str:
        return self.base_url + "/query"

    @property
    def store_url(self) -> str:
        return self.base_url + "/store"


def stop(process: subprocess.Popen[bytes], timeout: float) -> None:
    """End a server the tests started: asked first, killed after `timeout`."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def free_port() -> int:
    """A port nobody listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=0.5):
            return True
    except urllib.error.HTTPError:
        return True  # any HTTP status means the server is listening
    except OSError:
        return False


@pytest.fixture
def oxigraph_server(tmp_path: Path) -> Iterator[OxigraphServer]:
    # The venv's own (a dependency of kg), found without an activated venv.
    beside = Path(sys.executable).parent / "oxigraph"
    executable = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if executable is None:
        pytest.skip("`oxigraph` CLI not installed (pip install oxigraph)")
    port = free_port()
    location = tmp_path / "oxigraph-data"
    log_path = tmp_path / "oxigraph.log"
    log = log_path.open("wb")  # a file, not a pipe: a full pipe would block it
    process = subprocess.Popen(
        [executable, "serve", "--location", str(location),
         "--bind", f"127.0.0.1:{port}"],
        stdout=log, stderr=subprocess.STDOUT,
    )
    server = OxigraphServer(f"http://127.0.0.1:{port}", location)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _answers(server.base_url + "/"):
            if process.poll() is not None:
                raise RuntimeError("oxigraph serve exited: " + log_path.read_text())
            if time.monotonic() > deadline:
                raise RuntimeError(f"oxigraph serve silent for {STARTUP_SECONDS} s")
            time.sleep(0.05)
        yield server
    finally:
        stop(process, timeout=10)
        log.close()
