"""What an earlier `kg build` left, as the store and the files say, not as
the cache says: which cache records still describe an input, which notice
graphs the cache did not know (orphans), and which graphs go.

The store decides: a record of a graph it does not hold describes nothing
(a cache of another folder, or a store removed), and a notice graph no
record describes is an orphan, pruned or kept like the notice of an input
that is gone.
"""

from __future__ import annotations

import os
import stat
import urllib.parse
from collections.abc import Mapping, Set
from pathlib import Path

from kg.buildcache import ORPHAN_KEY, Record
from kg.buildreport import AbsentNotice, FileEntry, FileState
from kg.discover import Input
from kg.store import Store
from kg.vocab import BASE
from kg.writer import notice_file

# The IRIs of notice graphs (kg.rdf.iri.notice_iri; tests/test_reliability.py
# checks they agree), from kg.vocab, which imports nothing: a build with
# nothing to do need not import rdflib to recognise them.
NOTICE_GRAPHS = BASE + "notice/"


def is_notice_graph(graph: str) -> bool:
    return graph.startswith(NOTICE_GRAPHS) and "/" not in graph[len(NOTICE_GRAPHS):]


def built_store(out: Path) -> Store | None:
    """The store of the last build, read-only; None when there is none."""
    store_dir = out / "store"
    if store_dir.is_dir() and any(store_dir.iterdir()):
        return Store(store_dir, read_only=True)
    return None


def known_records(
    records: Mapping[str, Record], graphs: set[str]
) -> dict[str, Record]:
    """The records of failures, and of notices whose graphs the store holds."""
    return {k: r for k, r in records.items() if r.graph is None or r.graph in graphs}


def notice_listing(records: Mapping[str, Record]) -> list[tuple[str, str]]:
    """(IRI, id) of the notice of each record with a graph, sorted by id: the
    notices the store holds once a build has brought it in line with its
    records, as `kg.pagedata.Corpus.listing` reads them from the store (a
    notice graph is named by its notice's IRI)."""
    return sorted({(r.graph, r.notice_id) for r in records.values()
                   if r.graph is not None}, key=lambda item: (item[1], item[0]))


def orphans(graphs: set[str], records: Mapping[str, Record]) -> dict[str, Record]:
    """Records for the notice graphs of the store that no record of the cache
    has (a cache lost, corrupt, of an older kg or from another folder): the
    store, not the cache, says what the graph holds, so these are pruned or
    kept like the notices of inputs that are gone."""
    recorded = {r.graph for r in records.values() if r.graph is not None}
    found = {}
    for graph in sorted(graphs - recorded):
        if is_notice_graph(graph):
            notice_id = urllib.parse.unquote(graph[len(NOTICE_GRAPHS):])
            found[ORPHAN_KEY + graph] = Record(
                f"(unknown input of notice {notice_id}: the build cache did not "
                "record it)", None, notice_id, graph)
    return found


def reuse(
    todo: list[Input], reusable: Mapping[str, Record], graphs: Set[str],
    out: Path, entries: list[FileEntry],
) -> tuple[dict[str, Record], list[Input]]:
    """The cache records still valid for `todo` (each reported "unchanged",
    or as the failure it was, in `entries`), and the inputs to extract;
    `graphs` are the store's named graphs."""
    valid: dict[str, Record] = {}
    pending: list[Input] = []
    folder = str(notice_file(out, "_", "").parent)
    for item in todo:
        cached = reusable.get(item.key)
        if cached is not None and _still_built(cached, item, graphs, folder):
            valid[item.key] = cached
            entries.append(_unchanged_entry(item, cached))
        else:
            pending.append(item)
    return valid, pending


def _still_built(cached: Record, item: Input, graphs: Set[str], folder: str) -> bool:
    """The cache record describes `item` and what it produced is still there:
    its graph in the store, its files (in `folder`) of the size they were
    written. One stat per file, on a string path: at 10,000 notices the
    pathlib checks (is_file, then stat) took 0.4 s of every build."""
    if cached.sha256 != item.sha256 or cached.notice_id != item.notice_id:
        return False
    if cached.graph is None:
        return True  # a failure: the same bytes fail the same way
    if cached.graph not in graphs:
        return False
    for suffix, size in ((".ttl", cached.ttl_bytes), (".json", cached.json_bytes)):
        try:
            found = os.stat(os.path.join(folder, item.notice_id + suffix))
        except OSError:
            return False
        if not stat.S_ISREG(found.st_mode) or (size is not None
                                               and found.st_size != size):
            return False
    return True


def _unchanged_entry(item: Input, cached: Record) -> FileEntry:
    if cached.graph is None:
        return FileEntry(item.path, FileState.FAILED, cached.error,
                         notice_id=item.notice_id, sha256=item.sha256)
    return FileEntry(item.path, FileState.UNCHANGED, warnings=cached.warnings,
                     notice_id=item.notice_id, sha256=item.sha256,
                     triples=cached.triples)


def reconcile(
    old: Mapping[str, Record], new: Mapping[str, Record], found: set[str],
    prune: bool,
) -> tuple[list[Record], dict[str, Record], tuple[AbsentNotice, ...]]:
    """The records of the last build whose graphs must go, those kept, and
    the notices whose input is not among this build's.

    A graph goes when its input was rebuilt under another graph, is no longer
    a notice (it fails now, or is a duplicate), or is gone and `prune` is set;
    a graph that a current input still produces always stays."""
    live = {r.graph for r in new.values() if r.graph is not None}
    stale: list[Record] = []
    kept: dict[str, Record] = {}
    absent: list[AbsentNotice] = []
    for key, record in old.items():
        if record.graph is None or record.graph in live:
            continue
        if key in new or key in found or prune:
            stale.append(record)
            if key not in found:
                absent.append(AbsentNotice(record.path, record.notice_id,
                                           pruned=True))
        else:
            kept[key] = record
            absent.append(AbsentNotice(record.path, record.notice_id, pruned=False))
    return stale, kept, tuple(absent)
