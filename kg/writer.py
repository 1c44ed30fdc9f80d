"""The single writer of `kg build`: the workers' results → the store, the
notices' files and the build cache.

    results (input order) ─each as it comes──────▶ notices/<id>.ttl, .json
                                                    + report entries (main thread)
                          ─batches of BATCH_BYTES─▶ store graphs, then the
                                                    batch's cache records
                                                    (the loader thread)

The parent is the only writer of the store and of every file. A notice's
cache record is committed only once its graph is loaded: a build killed in
between leaves no record, so the next build extracts that notice again and
replaces its graph whole (tests/test_kill.py).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Generator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from kg.buildcache import BuildCache, Record
from kg.buildreport import FileEntry, FileState
from kg.discover import Input
from kg.store import Store, atomic_path

if TYPE_CHECKING:
    from kg.rdf.answers import KeptRow
    from kg.rdf.summary import ScopedCitation
    from kg.workers import Result

# N-Quads per bulk load into the store. The loader's memory grows with the
# batch; its CPU hardly moves (Oxigraph 0.5.13, benchmarks/load_floor.py and
# benchmarks/README.md, "The store's floor"). Loaded alone, the N-Quads of
# 10,000 city-shaped notices (3.7 GB) took 223 s of CPU and 272 MB peak in
# 32 MB batches, 244 s / 474 MB in 64 MB, 250 s / 776 MB in 128 MB. In the
# whole build the smaller batches cost more in one A/B: a store-only build took
# 496 s (906 s CPU, 940 MB) with 64 MB and 518 s (950 s CPU, 707 MB) with
# 32 MB, RocksDB compacting 209 against 235 s. The time targets are the ones
# missed, the memory one is met: 64 MB.
# Each batch is also one commit of the build cache: a killed build redoes at
# most one.
BATCH_BYTES = 64 << 20


def notice_file(out: Path, notice_id: str, suffix: str) -> Path:
    """notices/<id>.ttl or .json under the output folder `out`."""
    return out / "notices" / (notice_id + suffix)


def write_bytes(path: Path, data: bytes) -> None:
    """Replace the file at `path` with `data` atomically."""
    with atomic_path(path) as temporary:
        Path(temporary).write_bytes(data)


def write_results(
    results: Generator[tuple[Input, Result], None, None], store: Store,
    cache: BuildCache, out: Path, entries: list[FileEntry],
    records: dict[str, Record],
) -> None:
    """Write every result: its files and report entry (added to `entries`)
    as it comes, and its graph into the store and its cache record (added to
    `records` too) in batches of at least BATCH_BYTES of N-Quads.

    A batch holds the N-Quads alone: a result's Turtle and JSON (as many
    bytes again) are written and let go of at once. `results` is closed on
    the way out, before the loader is waited for: a writer that fails ends
    the workers now, not when the suspended generator is collected (at exit,
    concurrent.futures waits for the pool it holds)."""
    loader = _Loader(store, cache)
    batch = _Batch()
    try:
        for item, result in results:
            entry, record = _write_notice(item, result, out)
            entries.append(entry)
            if record is not None:
                records[item.key] = record
            batch.add(item, result, record)
            if batch.size >= BATCH_BYTES:
                loader.put(batch)
                batch = _Batch()
        if batch.saved or batch.graphs:
            loader.put(batch)
    finally:
        results.close()
        loader.close()


class _Batch:
    """The graphs to load in one bulk load (IRI, N-Quads), and the cache
    records to commit once they are loaded (input key, record, citations)
    with the graphs' rows of the named queries."""

    def __init__(self) -> None:
        self.graphs: list[tuple[str, bytes]] = []
        self.saved: list[tuple[str, Record, tuple[ScopedCitation, ...]]] = []
        self.answers: list[tuple[str, tuple[KeptRow, ...]]] = []
        self.size = 0  # bytes of N-Quads

    def add(self, item: Input, result: Result, record: Record | None) -> None:
        if not result.error:
            self.graphs.append((result.graph, result.nquads))
            self.answers.append((result.graph, result.answers))
            self.size += len(result.nquads)
        if record is not None:
            self.saved.append((item.key, record, result.citations))


class _Loader:
    """The thread that writes the store and the cache while the main thread
    takes in the workers' results and writes the notices' files.

    Oxigraph's bulk loader releases the GIL (measured: a Python loop runs on
    during a load), so loading one batch overlaps with receiving the next,
    and the workers are not left waiting for the writer. One batch waits at
    most (`queue.Queue(maxsize=1)`): memory stays bounded. A batch's cache
    records are committed after its graphs are loaded."""

    def __init__(self, store: Store, cache: BuildCache) -> None:
        self._store, self._cache = store, cache
        self._jobs: queue.Queue[_Batch | None] = queue.Queue(maxsize=1)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="kg-loader",
                                         daemon=True)
        self._thread.start()

    def put(self, job: _Batch) -> None:
        self._raise()
        self._jobs.put(job)

    def close(self) -> None:
        """Wait for the batches given so far; raise what failed in them."""
        self._jobs.put(None)
        self._thread.join()
        self._raise()

    def _run(self) -> None:
        while (job := self._jobs.get()) is not None:
            if self._error is not None:
                continue  # a batch failed: take the rest off the queue, load none
            try:
                self._store.load_graphs(job.graphs)
                self._cache.save(job.saved, job.answers)
            except BaseException as error:  # noqa: BLE001 - raised in the main thread
                self._error = error

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error


def _write_notice(
    item: Input, result: Result, out: Path
) -> tuple[FileEntry, Record | None]:
    """The files of one stored result; the report entry and the cache record
    (None: do not remember this outcome)."""
    if result.error:
        entry = FileEntry(item.path, FileState.FAILED, result.error,
                          notice_id=item.notice_id, sha256=item.sha256)
        return entry, (Record(item.path, item.sha256, item.notice_id,
                              error=result.error)
                       if result.cacheable else None)
    json_bytes = result.json
    write_bytes(notice_file(out, item.notice_id, ".ttl"), result.turtle)
    write_bytes(notice_file(out, item.notice_id, ".json"), json_bytes)
    warnings = result.warnings + ((item.id_note,) if item.id_note else ())
    state = FileState.OK_WITH_WARNINGS if warnings else FileState.OK
    entry = FileEntry(item.path, state, warnings=warnings,
                      notice_id=item.notice_id, sha256=item.sha256,
                      triples=result.triples)
    return entry, Record(item.path, item.sha256, item.notice_id, result.graph,
                         warnings=warnings, triples=result.triples,
                         ttl_bytes=len(result.turtle), json_bytes=len(json_bytes),
                         categories=result.categories)


def remove_notice(
    record: Record, store: Store, out: Path, live: Mapping[str, Record]
) -> None:
    """Remove the graph of a notice of an earlier build, and its files unless
    a current input's notice has the same id."""
    assert record.graph is not None  # a failure has no graph to remove
    store.remove_graph(record.graph)
    if any(r.notice_id == record.notice_id and r.graph is not None
           for r in live.values()):
        return
    for suffix in (".ttl", ".json"):
        notice_file(out, record.notice_id, suffix).unlink(missing_ok=True)
