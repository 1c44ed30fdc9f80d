"""`kg push`: every named graph of the store to a SPARQL 1.1 Graph Store
HTTP Protocol server, one PUT per graph."""

from __future__ import annotations

import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from kg import remote
from kg.errors import StoreError
from kg.store import Store


@dataclass(frozen=True, slots=True)
class GraphPush:
    graph: str
    triples: int
    state: str  # loaded | failed | not attempted
    reason: str = ""


@dataclass(frozen=True, slots=True)
class PushReport:
    endpoint: str
    graphs: tuple[GraphPush, ...]
    seconds: float

    @property
    def ok(self) -> bool:
        return all(g.state == "loaded" for g in self.graphs)

    def summary(self) -> str:
        lines = [
            f"{g.graph}: {g.state}" + (f": {g.reason}" if g.reason else "")
            for g in self.graphs
            if g.state != "loaded"
        ]
        loaded = [g for g in self.graphs if g.state == "loaded"]
        lines.append(
            f"{len(loaded)} of {len(self.graphs)} graphs "
            f"({sum(g.triples for g in loaded)} triples) loaded into "
            f"{self.endpoint} in {self.seconds:.1f} s"
        )
        return "\n".join(lines)


def push_store(store_dir: Path, endpoint: str, timeout: float) -> PushReport:
    """PUT every named graph of the store to the graph store at `endpoint`,
    each request given at most `timeout` seconds in all.

    SPARQL 1.1 Graph Store HTTP Protocol §5.3: PUT replaces the graph's
    content, so pushing twice leaves one copy on the server. Stops at the
    first graph that fails: the report then names the loaded graphs, the one
    that failed and why, and those not attempted. A server that cannot be
    reached at all raises `StoreError` instead.
    """
    remote.check_timeout(timeout)
    session = remote.Session.for_url(endpoint)
    store = Store(store_dir, read_only=True)
    started = time.perf_counter()
    done: list[GraphPush] = []
    graphs = store.graphs()
    for index, graph in enumerate(graphs):
        data = store.graph_ntriples(graph)
        triples = data.count(b"\n")  # N-Triples: one triple per line
        url = _graph_url(endpoint, graph)
        try:
            answer = session.request(
                "PUT", url, data, {"Content-Type": "application/n-triples"}, timeout
            )
        except StoreError as error:
            if not done:
                raise
            # A timed-out PUT may or may not have been applied: not "loaded".
            done.append(GraphPush(graph, triples, "failed", str(error)))
            done.extend(GraphPush(g, 0, "not attempted") for g in graphs[index + 1:])
            break
        if answer.status >= 300:
            done.append(GraphPush(graph, triples, "failed",
                                  remote.failure(url, answer.status, answer.body)))
            done.extend(GraphPush(g, 0, "not attempted") for g in graphs[index + 1:])
            break
        done.append(GraphPush(graph, triples, "loaded"))
    return PushReport(remote.shown_url(endpoint), tuple(done),
                      time.perf_counter() - started)


def _graph_url(endpoint: str, graph: str) -> str:
    # GSP §4.2: the graph IRI goes percent-encoded in the `graph` parameter.
    separator = "&" if urllib.parse.urlsplit(endpoint).query else "?"
    return endpoint + separator + "graph=" + urllib.parse.quote(graph, safe="")
