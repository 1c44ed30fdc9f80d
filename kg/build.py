"""`kg build`: many notice files → the store, per-notice files and graph dumps.

    inputs ─find─▶ files (sorted) ─sha256─▶ new or changed? ─workers─▶ results
           ─one writer, in input order─▶ store graph + notices/<id>.ttl/.json
                                          + cache record and citations
           ─after the loop─▶ ontology, build activity, summary graph (the
                             regulations whose citations changed),
                             graph.trig, graph.ttl (unless --no-dump)

This module is the orchestration; each stage is a module of its own:
finding and naming the inputs (kg/discover.py), what an earlier build left
(kg/buildstate.py), the worker pool (kg/workers.py, kg/buildworker.py), the
single writer of the store, the files and the cache (kg/writer.py,
kg/buildcache.py), the graphs derived from the notices (kg/derived.py) and
the dumps (kg/dumps.py).

Extraction runs in worker processes (jieba and the gazetteer load once per
worker); the parent is the single writer of the store and of every file. An
input with the same bytes, kg version and extractor fingerprint as in the
cache is not extracted again, and a run in which nothing changed writes no
file at all.

What the cache says is checked against what is there: the store's graphs
(a notice graph no record knows is pruned or kept like a gone input's, a
record whose graph the store lacks is forgotten), each notice's files and
the pages; anything missing is written again. One build at a time holds the
output folder (kg/outlock.py) from its first read to its last page, and
SIGTERM or SIGHUP end it as Ctrl-C does, workers included.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import json
import os
import re
import shutil
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import kg
from kg import outlock, writer
from kg.buildcache import (
    CACHE_FILE,
    BuildCache,
    Hashed,
    Record,
    read_cache_and_hashes,
)
from kg.buildcache import FORMAT as CACHE_FORMAT
from kg.buildreport import AbsentNotice, BuildReport, FileEntry
from kg.buildstate import (
    built_store,
    is_notice_graph,
    known_records,
    notice_listing,
    orphans,
    reconcile,
    reuse,
)
from kg.derived import describe_build, quad_count, summarise, summarise_categories
from kg.discover import Input, find_inputs, held_ids, identify
from kg.dumps import DUMPS, Dumps, dumps_of, remove_dumps
from kg.errors import OutputError, StoreError
from kg.fingerprint import digest
from kg.fingerprint import fingerprint as extraction_fingerprint
from kg.noticeid import shown_path
from kg.rdf.ontology import ontology_files
from kg.store import Store
from kg.workers import EarlyPool, early_pool, extract_all, stop_workers
from kg.writer import remove_notice, write_bytes, write_results

# The extractors, jieba and the RDF mapping are imported where they are used
# (kg.buildworker, kg.derived): a build with nothing to do needs none of
# them, and importing them took 0.3 s of its 0.4.

LEGACY_CACHE_FILE = ".kg-cache.json"  # before CACHE_FORMAT 3: removed
REPORT_FILE = "build-report.json"
# Where the build writes a file, and where it writes a folder (relative to
# the output folder): an existing one of the other kind stops the build first.
OUTPUT_FILES = (REPORT_FILE, *DUMPS, "index.html", "graph.html", CACHE_FILE)
OUTPUT_FOLDERS = ("notices", "regulations", "categories")
PAGE_FOLDERS = ("notices", "regulations", "categories")
# Signals that end a build as Ctrl-C does: workers stopped, nothing orphaned.
ENDING_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
# The summary graph is rewritten whole (bulk load) when at least this share of
# the regulations changed, else per changed regulation in transactions of
# SUMMARY_KEYS_PER_UPDATE regulations (kg.derived.summarise).
SUMMARY_REWRITE_SHARE = 0.25
SUMMARY_KEYS_PER_UPDATE = 2000
# What decides the graph and JSON of a notice: globs in the kg package. The
# lexicons are the files of data/ itself; data/viz/ holds page templates.
@dataclasses.dataclass(frozen=True, slots=True)
class _Options:
    """What `build_corpus` was asked to do (its arguments but `repair`)."""

    jobs: int | None
    prune: bool
    gazetteers: list[Path]
    progress: bool
    html: bool
    dump: bool


@dataclasses.dataclass(frozen=True, slots=True)
class _Plan:
    """What the build found before it opens anything for writing."""

    meta: dict[str, Any]  # the cache's meta values of the last build
    fingerprint: str  # of the extraction (kg.fingerprint)
    ontology: str  # digest of the ontology files
    graphs: set[str]  # the store's named graphs
    old: dict[str, Record]  # the last build's records the store confirms
    orphans: dict[str, Record]  # of notice graphs no record knew (in `old` too)
    found: set[str]  # the keys of the inputs found
    entries: list[FileEntry]  # the report's, so far
    reused: dict[str, Record]  # the records of the inputs found unchanged
    pending: list[Input]  # the inputs to extract
    known: dict[str, Hashed]  # input key → (stat, sha256) as the cache has them
    hashed: dict[str, Hashed]  # the same of this build's inputs


def build_corpus(
    inputs: list[Path], out: Path, *, jobs: int | None, prune: bool,
    gazetteers: list[Path], progress: bool, html: bool, dump: bool = True,
    repair: bool = False,
) -> BuildReport:
    """Build the graph of the notices in `inputs` (files or folders) into `out`.

    Worker processes are started with ``spawn`` (the parent holds the store's
    RocksDB threads, which a fork would copy mid-flight), so a script calling
    this must guard its entry point with ``if __name__ == "__main__"``.
    With `html`, the pages of `kg.site` (index.html, graph.html, one page per
    notice, regulation and category) are written from the store at the end;
    with `dump`, graph.trig and graph.ttl (whole-corpus files: a build without
    them removes those of an earlier build, which would no longer be current).

    The build holds `out` (`kg.outlock.writing`) from its first read to its
    last page: a second build, or a `kg view` or `kg push`, is refused with a
    message instead of running in between. What the store holds decides, not
    the cache: a notice graph no input gives is pruned (`prune`) or reported
    kept, and an output that is missing is written again. With `repair`, a
    damaged store is removed, with the cache, and built again from `inputs`
    (notices whose inputs are not among them are lost).
    """
    with _signals_end_the_build(), outlock.writing(out):
        try:
            options = _Options(jobs, prune, gazetteers, progress, html, dump)
            return _build(inputs, out, options, repair=repair)
        except OSError as error:  # an output that cannot be written: one line
            raise OutputError(_write_failure(error, out)) from error


def _build(
    inputs: list[Path], out: Path, options: _Options, *, repair: bool
) -> BuildReport:
    started = datetime.now(UTC)
    begun = time.perf_counter()
    _check_gazetteers(options.gazetteers)
    _check_output_paths(out, repair=repair)
    if repair:
        _repair_store(out)
    # A worker starts loading the extractors while the inputs are found.
    early = early_pool(options.jobs, options.gazetteers)
    try:
        plan = _plan(inputs, out, options.gazetteers, options.prune)
        seconds = {"find": time.perf_counter() - begun}
        stale, _, absent = reconcile(plan.old, plan.reused, plan.found,
                                     options.prune)
        if not stale and _up_to_date(plan, out, options):
            # Nothing to do: open nothing for writing, so not a file changes.
            seconds["total"] = time.perf_counter() - begun
            return BuildReport(_sorted(plan.entries), absent, written=False,
                               seconds=seconds)
        return _write(plan, out, options, started, begun, seconds, early)
    finally:
        # Ended already when it extracted anything; else its only task was
        # the small one that started it, so it can be ended at once.
        stop_workers(early.pool, grace=0)


def _plan(
    inputs: list[Path], out: Path, gazetteers: list[Path], prune: bool
) -> _Plan:
    """Read the cache and the store (read-only), find the inputs and decide
    which are to be extracted."""
    fingerprint = extraction_fingerprint(gazetteers)
    meta, old, known = read_cache_and_hashes(out / CACHE_FILE)
    reusable: dict[str, Record] = {}
    if (meta.get("kg_version"), meta.get("fingerprint")) == (kg.__version__,
                                                            fingerprint):
        reusable = old
    else:
        old = {k: r for k, r in old.items() if r.graph is not None}
    # The store is only read here, so a build with nothing to do leaves it
    # untouched; it is let go of before it is opened for writing.
    built = built_store(out)
    graphs = set(built.graphs()) if built is not None else set()
    old = known_records(old, graphs)
    orphaned = orphans(graphs, old)
    old |= orphaned
    entries, candidates = find_inputs(inputs, out)
    todo = identify(candidates, entries, held_ids(old, candidates, prune), known)
    reused, pending = reuse(todo, reusable, graphs, out, entries)
    return _Plan(meta, fingerprint, digest(ontology_files()), graphs, old,
                 orphaned, {key for _, key in candidates}, entries, reused, pending,
                 known, {i.key: (i.stat, i.sha256) for i in todo if i.stat is not None})


def _up_to_date(plan: _Plan, out: Path, options: _Options) -> bool:
    """Nothing to extract or remove, and every output of the last build is
    there and current for these options."""
    meta = plan.meta
    outputs: tuple[str, ...] = (REPORT_FILE,)
    if options.dump:
        outputs += DUMPS
    if options.html:
        outputs += ("index.html", "graph.html")
    return not (
        plan.pending or plan.orphans or not meta.get("outputs_current")
        or meta.get("ontology") != plan.ontology
        or not all((out / name).is_file() for name in outputs)
        or (not options.dump and any((out / name).exists() for name in DUMPS))
        or sorted(g for g in plan.graphs if not is_notice_graph(g))
        != meta.get("derived_graphs")
        or (options.html and not all((out / page).is_file()
                                     for page in meta.get("pages", ())))
    )


def _write(
    plan: _Plan, out: Path, options: _Options, started: datetime, begun: float,
    seconds: dict[str, float], early: EarlyPool,
) -> BuildReport:
    """Extract and write what changed, then the derived graphs, the dumps,
    the pages and the report."""
    clock = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    records = dict(plan.reused)  # input key → record, of this build
    # Closed on the way out, also after an error: a library caller (a test, a
    # notebook) can build into the same folder again in the same process.
    with contextlib.closing(Store(out / "store")) as store:
        _remove_temporaries(out)  # the folder's lock is ours: no other build writes
        (out / LEGACY_CACHE_FILE).unlink(missing_ok=True)
        with contextlib.closing(BuildCache(out / CACHE_FILE)) as cache:
            cache.set_meta({"format": CACHE_FORMAT, "kg_version": kg.__version__,
                            "fingerprint": plan.fingerprint,
                            "ontology": plan.ontology,
                            # False while a build runs: the report, the
                            # summary graph and the dumps may be stale.
                            "outputs_current": False})
            cache.set_hashed(plan.hashed, plan.known)
            write_results(extract_all(plan.pending, options.jobs,
                                      options.gazetteers, options.progress, early),
                          store, cache, out, plan.entries, records)
            seconds["extract"] = time.perf_counter() - clock
            clock = time.perf_counter()
            absent = _update_graphs(plan, store, cache, out, records,
                                    options.prune, started)
            seconds["summary"] = time.perf_counter() - clock
            clock = time.perf_counter()
            # Listed once: at 10,000 notices a listing takes 0.3 s.
            graphs = store.graphs()
            dumps = dumps_of(store, records, out, graphs) if options.dump else None
            if dumps is None:
                remove_dumps(out)
            quads = quad_count(store, records, graphs)
            derived = [g for g in graphs if not is_notice_graph(g)]
            store.close()
            seconds["dump"] = time.perf_counter() - clock
            _write_dumps_and_pages(dumps, out, options, seconds,
                                   notice_listing(records))
            seconds["total"] = time.perf_counter() - begun
            report = BuildReport(_sorted(plan.entries), absent, quads,
                                 seconds=seconds)
            write_bytes(out / REPORT_FILE, _json_bytes(report.to_dict()))
            cache.set_meta({"outputs_current": True, "derived_graphs": derived,
                            "pages": _pages(out) if options.html else []})
    return report


def _update_graphs(
    plan: _Plan, store: Store, cache: BuildCache, out: Path,
    records: dict[str, Record], prune: bool, started: datetime,
) -> tuple[AbsentNotice, ...]:
    """Remove the graphs that go, keep the others (adding them to `records`),
    and bring the derived graphs up to date; the notices whose input is not
    among this build's."""
    stale, kept, absent = reconcile(plan.old, records, plan.found, prune)
    for record in stale:
        remove_notice(record, store, out, records)
    records |= kept
    cache.keep_only(records)
    cache.save([(key, record, ()) for key, record in kept.items()
                if key in plan.orphans])
    cache.set_meta({"build_graph": describe_build(store, records, started)})
    summarise(store, cache, rewrite_share=SUMMARY_REWRITE_SHARE,
              keys_per_update=SUMMARY_KEYS_PER_UPDATE,
              batch_bytes=writer.BATCH_BYTES)
    summarise_categories(store, records)
    store.flush()
    return absent


def _write_dumps_and_pages(dumps: Dumps | None, out: Path, options: _Options,
                           seconds: dict[str, float],
                           listing: list[tuple[str, str]]) -> None:
    """The dumps, and the pages with `options.html`, the dumps written by a
    thread while the pages render: the dumps are file copies that wait on
    the disk (10,000 notices: 2 x 1.6 GB, 7-15 s), the pages use the CPU.
    The report's dump and html seconds are then each stage's own, and
    overlap. A build ended (an error, Ctrl-C, SIGTERM) while the pages
    render waits for the dumps to be written whole (kg.dumps). `listing`:
    the notices of the store (`notice_listing`)."""
    def write_dumps() -> None:
        if dumps is not None:
            clock = time.perf_counter()
            dumps.write()
            seconds["dump"] += time.perf_counter() - clock

    if not options.html:
        write_dumps()
        return
    from kg.site import write_site

    with ThreadPoolExecutor(1, thread_name_prefix="kg-dumps") as pool:
        dumping = pool.submit(write_dumps)
        clock = time.perf_counter()
        _release_freed_memory()
        write_site(out / "store", out, jobs=options.jobs or os.cpu_count() or 1,
                   dumps=DUMPS if dumps is not None else (), listing=listing)
        seconds["html"] = time.perf_counter() - clock
        dumping.result()


def _release_freed_memory() -> None:
    """Give the pages glibc's allocator holds free back to the system
    (malloc_trim): the extraction and the store's writing leave many,
    which would stay in this process's resident size through the pages.
    Elsewhere (no glibc) nothing is done."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return
    libc.malloc_trim(0)


def _sorted(entries: list[FileEntry]) -> tuple[FileEntry, ...]:
    return tuple(sorted(entries, key=lambda e: e.path))


# --- before anything is read -------------------------------------------------


def _check_gazetteers(gazetteers: Sequence[Path]) -> None:
    """Read each gazetteer once here: a missing, binary or mis-encoded one is
    one `InputError` naming it before any notice is read (in the workers it
    killed every worker, and every notice failed with a traceback)."""
    if not gazetteers:
        return
    from kg.link import Gazetteer

    Gazetteer.load(gazetteers)


def _check_output_paths(out: Path, *, repair: bool) -> None:
    """`OutputError` when a path the build writes is taken by the wrong kind
    (a folder where a file goes, a file where a folder goes), before any
    work: the build would otherwise fail midway with a traceback."""
    for name in OUTPUT_FILES:
        path = out / name
        if path.is_dir():
            raise OutputError(f"{path}: is a folder where kg build writes a file "
                              "(remove or rename it)")
    for name in OUTPUT_FOLDERS:
        path = out / name
        if path.exists() and not path.is_dir():
            raise OutputError(f"{path}: is a file where kg build writes a folder "
                              "(remove or rename it)")
    store = out / "store"
    if store.exists() and not store.is_dir() and not repair:
        raise OutputError(f"{store}: is a file where kg build keeps its store "
                          "(remove it, or run kg build --repair, which does)")


def _repair_store(out: Path) -> None:
    """Remove a store that does not open (damaged, or a file in its place),
    and the cache that describes it: the build then makes both again."""
    store = out / "store"
    if not store.exists() and not store.is_symlink():
        return
    if store.is_dir() and not store.is_symlink():
        try:
            Store(store, read_only=True).close()
            return  # opens: nothing to repair
        except StoreError:
            shutil.rmtree(store)
    else:
        store.unlink()
    (out / CACHE_FILE).unlink(missing_ok=True)


def _write_failure(error: OSError, out: Path) -> str:
    """What a failed write of an output says: the file (the one replaced, not
    its temporary file), why, and what to do."""
    where = error.filename2 or error.filename or out
    if isinstance(where, bytes):
        where = os.fsdecode(where)
    return (f"{shown_path(str(where))}: cannot write ({error.strerror or error}); "
            "check the free space and the permissions of the output folder")


def _pages(out: Path) -> list[str]:
    """The pages of the site under `out`, relative to it: what a build with
    nothing to do checks are still there."""
    pages = [name for name in ("index.html", "graph.html") if (out / name).is_file()]
    for folder in PAGE_FOLDERS:
        if (out / folder).is_dir():
            pages += sorted(f"{folder}/{p.name}" for p in (out / folder).iterdir()
                            if p.suffix == ".html" and not p.name.startswith("."))
    # the script, styles and charts every page loads (kg.site.ASSET_DIR)
    if (out / "assets").is_dir():
        pages += sorted(f"assets/{p.name}" for p in (out / "assets").iterdir()
                        if p.is_file() and not p.name.startswith("."))
    return pages


class _Ended(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised as Ctrl-C is (a KeyboardInterrupt), so that
    the same clean-up runs: workers stopped, the loader joined, the store
    closed."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@contextlib.contextmanager
def _signals_end_the_build() -> Iterator[None]:
    """SIGTERM and SIGHUP end the build as SIGINT does, and then end the
    process with the signal (its exit status says so). Their default action
    ended the parent at once and left the spawned workers and the resource
    tracker running for good, holding any pipe to the build open. Only the
    main thread can set handlers; elsewhere the build runs without."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def end(signum: int, frame: object) -> None:
        raise _Ended(signum)

    before = {number: signal.signal(number, end) for number in ENDING_SIGNALS}
    try:
        yield
    except _Ended as ended:
        for number, handler in before.items():
            signal.signal(number, handler)
        before = {}
        signal.signal(ended.signum, signal.SIG_DFL)
        os.kill(os.getpid(), ended.signum)
        raise  # only if the signal is blocked
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)


# --- files -------------------------------------------------------------------


# The temporary files of `kg.store.atomic_path` (.graph.trig.<12 hex>.tmp) and
# of `kg.site` (.index.html.<8 random>.tmp): what a killed build leaves.
_TEMPORARY = re.compile(r"\..+\.[A-Za-z0-9_]{6,}\.tmp")


def _remove_temporaries(out: Path) -> None:
    """Remove the temporary files a killed build left in `out` and in the
    folders kg writes there, so none is ever taken for an output."""
    folders = [out, *(p for p in out.iterdir() if p.is_dir() and p.name != "store")]
    for folder in folders:
        for path in folder.iterdir():
            if _TEMPORARY.fullmatch(path.name) and path.is_file():
                path.unlink(missing_ok=True)


def _json_bytes(value: object) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
