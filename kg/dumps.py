"""The whole-corpus dumps of `kg build`: graph.trig (every graph as itself)
and graph.ttl (the union of the graphs).

They are assembled from the Turtle file of each notice, which the workers
wrote already, and the store's other graphs (ontology, build, summary).
Copying files instead of serialising the store again keeps a one-file
rebuild from re-serialising the whole corpus (37 s of a 50 s build of 1,000
notices). A Turtle body is the triples block of a TriG graph (TriG §2.2)
with the same prefixes; a header that differs is written again where it
changes, which both syntaxes allow.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from pathlib import Path

from kg.buildcache import Record
from kg.store import Store, atomic_path
from kg.writer import notice_file

DUMPS = ("graph.trig", "graph.ttl")


def write_dumps(store: Store, records: Mapping[str, Record], out: Path) -> None:
    """graph.trig and graph.ttl in `out`, of the notices of `records` and the
    store's other graphs. The union Turtle writes a triple stated in several
    graphs once per graph (a parser reads the repeats as one triple)."""
    notices = sorted((r.graph, r.notice_id) for r in records.values()
                     if r.graph is not None)
    named = {graph for graph, _ in notices}
    sources: list[tuple[str, Callable[[], bytes]]] = [
        (graph, notice_file(out, notice_id, ".ttl").read_bytes)
        for graph, notice_id in notices
    ]
    sources += [(graph, functools.partial(store.graph_turtle, graph))
                for graph in store.graphs() if graph not in named]
    with (atomic_path(out / "graph.trig") as trig_name,
          atomic_path(out / "graph.ttl") as ttl_name,
          open(trig_name, "wb") as trig, open(ttl_name, "wb") as ttl):
        header = b""
        for graph, read in sources:
            text = read()
            body_at = _after_prefixes(text)
            if text[:body_at] != header:
                header = text[:body_at]
                trig.write(header)
                ttl.write(header)
            trig.write(b"<" + graph.encode() + b"> {\n")
            trig.write(memoryview(text)[body_at:])
            trig.write(b"}\n")
            ttl.write(memoryview(text)[body_at:])


def remove_dumps(out: Path) -> None:
    """Remove the dumps of an earlier build: a build without them would leave
    them describing another corpus."""
    for name in DUMPS:
        (out / name).unlink(missing_ok=True)


def _after_prefixes(turtle: bytes) -> int:
    """Where the @prefix lines that open a Turtle document end."""
    position = 0
    while turtle.startswith(b"@prefix ", position):
        position = turtle.index(b"\n", position) + 1
    return position
