"""`kg build`: many notice files → the store, per-notice files and graph dumps.

    inputs ─find─▶ files (sorted) ─sha256─▶ new or changed? ─workers─▶ results
           ─one writer, in input order─▶ store graph + notices/<id>.ttl/.json
                                          + cache record and citations
           ─after the loop─▶ ontology, build activity, summary graph (the
                             regulations whose citations changed),
                             graph.trig, graph.ttl (unless --no-dump)

Extraction runs in worker processes (jieba and the gazetteer load once per
worker); the parent is the single writer of the store and of every file. It
bulk-loads the N-Quads of the workers in batches of at most BATCH_BYTES and
commits each batch to the build cache (kg/buildcache.py), so memory does not
grow with the corpus, and assembles graph.trig and graph.ttl from the
notices' Turtle files instead of serialising the whole store again. An input
with the same bytes, kg version and extractor fingerprint as in the cache is
not extracted again, and a run in which nothing changed writes no file at all.

What the cache says is checked against what is there: the store's graphs
(a notice graph no record knows is pruned or kept like a gone input's, a
record whose graph the store lacks is forgotten), each notice's files and
the pages; anything missing is written again. One build at a time holds the
output folder (kg/outlock.py) from its first read to its last page, and
SIGTERM or SIGHUP end it as Ctrl-C does, workers included.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import functools
import hashlib
import json
import multiprocessing
import os
import queue
import re
import shutil
import signal
import threading
import time
import urllib.parse
from collections import deque
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import kg
from kg import buildreport, outlock
from kg.buildcache import FORMAT as CACHE_FORMAT
from kg.buildcache import BuildCache, cache_key, read_cache
from kg.buildreport import AbsentNotice, BuildReport, FileEntry
from kg.errors import InputError, OutputError, StoreError
from kg.ingest import CONVERT_HINT, UNSUPPORTED_SUFFIXES, open_input
from kg.noticeid import HASH_DIGITS, id_key, path_hash, shown_path, stem_id
from kg.rdf.ontology import ontology_files
from kg.store import Store, atomic_path

# The extractors, jieba and the RDF mapping are imported where they are used
# (kg.buildworker, the summary and the build activity): a build with nothing
# to do needs none of them, and importing them took 0.3 s of its 0.4.
if TYPE_CHECKING:
    from kg.buildworker import Result
    from kg.rdf.summary import ScopedCitation

    # The graphs of a batch (IRI, N-Quads), and the cache records to commit
    # once they are loaded (input key, record, citations).
    _LoadJob = tuple[list[tuple[str, bytes]],
                     list[tuple[str, dict[str, Any], tuple[ScopedCitation, ...]]]]

SUFFIXES = (".txt", ".htm", ".html")
CACHE_FILE = ".kg-cache.sqlite"  # kg.buildcache
LEGACY_CACHE_FILE = ".kg-cache.json"  # before CACHE_FORMAT 3: removed
REPORT_FILE = "build-report.json"
DUMPS = ("graph.trig", "graph.ttl")
# Where the build writes a file, and where it writes a folder (relative to
# the output folder): an existing one of the other kind stops the build first.
OUTPUT_FILES = (REPORT_FILE, *DUMPS, "index.html", "graph.html", CACHE_FILE)
OUTPUT_FOLDERS = ("notices", "regulations", "categories")
PAGE_FOLDERS = ("notices", "regulations", "categories")
# The IRIs of notice graphs (kg.rdf.iri.notice_iri; tests/test_reliability.py
# checks they agree), spelled out here so that a build with nothing to do
# does not import rdflib to recognise them.
NOTICE_GRAPHS = "https://w3id.org/kg-inspection/notice/"
# Cache keys of the notice graphs the store holds and the cache did not know.
ORPHAN_KEY = "store:"
# Signals that end a build as Ctrl-C does: workers stopped, nothing orphaned.
ENDING_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
# Results in flight per worker: enough to keep the workers busy while the
# writer waits for the loader, few enough to bound memory (~1.2 MB each).
WINDOW_PER_WORKER = 16
# N-Quads per bulk load into the store: the loader's cost per quad falls with
# the batch and its memory grows with it (Oxigraph 0.5.13, 1,000 generated
# notices, 617 MB of N-Quads: 33.8 s CPU in batches of 32 MB, 28.0 s in 64 MB,
# 24.2 s in 128 MB; the 64 MB loader holds ~370 MB, 128 MB ~200 MB more).
# Fewer, bigger loads also leave RocksDB less to compact as the store grows.
# Each batch is also one commit of the build cache: a killed build redoes at
# most one.
BATCH_BYTES = 128 << 20
# The summary graph is rewritten whole (bulk load) when at least this share of
# the regulations changed, else per changed regulation in transactions of
# SUMMARY_KEYS_PER_UPDATE regulations.
SUMMARY_REWRITE_SHARE = 0.25
SUMMARY_KEYS_PER_UPDATE = 2000
# What decides the graph and JSON of a notice: globs in the kg package. The
# lexicons are the files of data/ itself; data/viz/ holds page templates.
EXTRACTION_PARTS = ("extract/*.py", "data/*", "ingest.py", "outline.py",
                    "pipeline.py", "link.py", "model.py", "export.py",
                    "rdf/build.py", "rdf/iri.py", "rdf/namespaces.py",
                    "rdf/summary.py")


@dataclasses.dataclass(frozen=True, slots=True)
class _Input:
    path: str  # as given, or found under a folder given
    key: str  # absolute path (kg.buildcache.cache_key), the same from any folder
    sha256: str
    notice_id: str
    id_note: str = ""  # why notice_id is not the file stem


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
            return _build(inputs, out, jobs=jobs, prune=prune,
                          gazetteers=gazetteers, progress=progress, html=html,
                          dump=dump, repair=repair)
        except OSError as error:  # an output that cannot be written: one line
            raise OutputError(_write_failure(error, out)) from error


def _build(
    inputs: list[Path], out: Path, *, jobs: int | None, prune: bool,
    gazetteers: list[Path], progress: bool, html: bool, dump: bool, repair: bool,
) -> BuildReport:
    started = datetime.now(UTC)
    begun = clock = time.perf_counter()
    _check_gazetteers(gazetteers)
    _check_output_paths(out, repair=repair)
    if repair:
        _repair_store(out)
    fingerprint = _fingerprint(gazetteers)
    ontology = _digest(ontology_files())
    meta, old_files = read_cache(out / CACHE_FILE)
    if (meta.get("kg_version"), meta.get("fingerprint")) != (kg.__version__,
                                                            fingerprint):
        old_files = {k: r for k, r in old_files.items() if r.get("graph")}
        reusable: dict[str, dict[str, Any]] = {}
    else:
        reusable = old_files

    # The store decides: a record of a graph it does not hold describes
    # nothing (a cache of another folder, or a store removed), and a notice
    # graph no record describes is an orphan, pruned or kept like any other.
    # The store is only read here, so a build with nothing to do leaves it
    # untouched.
    built = _built_store(out)
    graphs = set(built.graphs()) if built is not None else set()
    old_files = {k: r for k, r in old_files.items()
                 if not r.get("graph") or r["graph"] in graphs}
    orphans = _orphans(graphs, old_files)
    old_files |= orphans

    entries, candidates = _find_inputs(inputs, out)
    found = {key for _, key in candidates}
    entries, todo = _identify(candidates, entries,
                               _held_ids(old_files, candidates, prune))
    new_files, pending = _reuse(todo, reusable, built, out, entries)
    del built  # let go of it before it is opened for writing
    seconds = {"find": time.perf_counter() - clock}

    stale, kept, absent = _reconcile(old_files, new_files, found, prune)
    outputs: tuple[str, ...] = (REPORT_FILE,)
    if dump:
        outputs += DUMPS
    if html:
        outputs += ("index.html", "graph.html")
    if not (pending or stale or orphans or not meta.get("outputs_current")
            or meta.get("ontology") != ontology
            or not all((out / name).is_file() for name in outputs)
            or (not dump and any((out / name).exists() for name in DUMPS))
            or sorted(g for g in graphs if not _is_notice_graph(g))
            != meta.get("derived_graphs")
            or (html and not all((out / page).is_file()
                                 for page in meta.get("pages", ())))):
        # Nothing to do: open nothing for writing, so not a file changes.
        seconds["total"] = time.perf_counter() - begun
        return BuildReport(_sorted(entries), absent, written=False, seconds=seconds)

    clock = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    # Closed on the way out, also after an error: a library caller (a test, a
    # notebook) can build into the same folder again in the same process.
    with contextlib.closing(Store(out / "store")) as store:
        _remove_temporaries(out)  # the folder's lock is ours: no other build writes
        (out / LEGACY_CACHE_FILE).unlink(missing_ok=True)
        with contextlib.closing(BuildCache(out / CACHE_FILE)) as cache:
            cache.set_meta({"format": CACHE_FORMAT, "kg_version": kg.__version__,
                            "fingerprint": fingerprint, "ontology": ontology,
                            # False while a build runs: the report, the
                            # summary graph and the dumps may be stale.
                            "outputs_current": False})
            loader = _Loader(store, cache)
            batch: list[tuple[_Input, Result]] = []
            size = 0  # bytes of N-Quads in the batch
            # Closed on the way out: a writer that fails ends the workers now,
            # not when the suspended generator is collected (at exit,
            # concurrent.futures waits for the pool it still holds).
            results = _extract_all(pending, jobs, gazetteers, progress)
            try:
                for item, result in results:
                    batch.append((item, result))
                    size += len(result.nquads)
                    if size >= BATCH_BYTES:
                        _write_batch(batch, loader, out, entries, new_files)
                        batch, size = [], 0
                _write_batch(batch, loader, out, entries, new_files)
            finally:
                results.close()
                loader.close()
            seconds["extract"] = time.perf_counter() - clock

            clock = time.perf_counter()
            stale, kept, absent = _reconcile(old_files, new_files, found, prune)
            for record in stale:
                _remove_notice(record, store, out, new_files)
            new_files |= kept
            cache.keep_only(new_files)
            cache.save([(key, record, ()) for key, record in kept.items()
                        if key in orphans])
            build_graph = _describe_build(store, new_files, started)
            cache.set_meta({"build_graph": build_graph})
            _summarise(store, cache)
            store.flush()
            seconds["summary"] = time.perf_counter() - clock
            clock = time.perf_counter()
            if dump:
                _write_dumps(store, new_files, out)
            else:
                for name in DUMPS:
                    (out / name).unlink(missing_ok=True)
            quads = _quad_count(store, new_files)
            derived = [g for g in store.graphs() if not _is_notice_graph(g)]
            store.close()
            seconds["dump"] = time.perf_counter() - clock
            if html:
                from kg.site import write_site

                clock = time.perf_counter()
                write_site(out / "store", out)
                seconds["html"] = time.perf_counter() - clock
            seconds["total"] = time.perf_counter() - begun
            report = BuildReport(_sorted(entries), absent, quads, seconds=seconds)
            _write_bytes(out / REPORT_FILE, _json_bytes(report.to_dict()))
            cache.set_meta({"outputs_current": True,
                            "derived_graphs": derived,
                            "pages": _pages(out) if html else []})
    return report


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


def _built_store(out: Path) -> Store | None:
    """The store of the last build, read-only; None when there is none."""
    store_dir = out / "store"
    if store_dir.is_dir() and any(store_dir.iterdir()):
        return Store(store_dir, read_only=True)
    return None


def _reuse(
    todo: list[_Input], reusable: dict[str, dict[str, Any]], built: Store | None,
    out: Path, entries: list[FileEntry],
) -> tuple[dict[str, dict[str, Any]], list[_Input]]:
    """The cache records still valid for `todo` (each reported "unchanged",
    or as the failure it was), and the inputs to extract."""
    valid: dict[str, dict[str, Any]] = {}
    pending: list[_Input] = []
    for item in todo:
        cached = reusable.get(item.key)
        if cached is not None and _still_built(cached, item, built, out):
            valid[item.key] = cached
            entries.append(_unchanged_entry(item, cached))
        else:
            pending.append(item)
    return valid, pending


def _is_notice_graph(graph: str) -> bool:
    return graph.startswith(NOTICE_GRAPHS) and "/" not in graph[len(NOTICE_GRAPHS):]


def _orphans(
    graphs: set[str], records: dict[str, dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    """Records for the notice graphs of the store that no record of the cache
    has (a cache lost, corrupt or from another folder): the store, not the
    cache, says what the graph holds, so these are pruned or kept like the
    notices of inputs that are gone."""
    recorded = {r["graph"] for r in records.values() if r.get("graph")}
    orphans = {}
    for graph in sorted(graphs - recorded):
        if _is_notice_graph(graph):
            notice_id = urllib.parse.unquote(graph[len(NOTICE_GRAPHS):])
            orphans[ORPHAN_KEY + graph] = {
                "path": f"(unknown input of notice {notice_id}: the build cache "
                        "did not record it)",
                "sha256": None, "notice_id": notice_id, "graph": graph,
            }
    return orphans


def _reconcile(
    old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]],
    found: set[str], prune: bool,
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]], tuple[AbsentNotice, ...]]:
    """The records of the last build whose graphs must go, those kept, and
    the notices whose input is not among this build's.

    A graph goes when its input was rebuilt under another graph, is no longer
    a notice (it fails now, or is a duplicate), or is gone and `prune` is set;
    a graph that a current input still produces always stays."""
    live = {r["graph"] for r in new.values() if r.get("graph")}
    stale: list[dict[str, Any]] = []
    kept: dict[str, dict[str, Any]] = {}
    absent: list[AbsentNotice] = []
    for key, record in old.items():
        if not record.get("graph") or record["graph"] in live:
            continue
        if key in new or key in found or prune:
            stale.append(record)
            if key not in found:
                absent.append(AbsentNotice(record["path"], record["notice_id"],
                                           pruned=True))
        else:
            kept[key] = record
            absent.append(AbsentNotice(record["path"], record["notice_id"],
                                       pruned=False))
    return stale, kept, tuple(absent)


# --- finding the input files -------------------------------------------------


def _find_inputs(
    inputs: Sequence[Path], out: Path
) -> tuple[list[FileEntry], list[tuple[str, str]]]:
    """Report entries for what cannot be read, and (path, key) of the files to
    read, sorted by path, each file once. Folders are searched recursively,
    following symbolic links; hidden files and the output folder are passed
    over."""
    entries: list[FileEntry] = []
    files: dict[str, str] = {}
    own_output = out.resolve()
    for given in inputs:
        if given.is_dir():
            for path, problem in _walk(given, own_output, ancestors=()):
                _sort_file(path, problem, entries, files)
        else:
            _sort_file(given, _file_problem(given), entries, files)
    return entries, sorted(files.items())


def _sort_file(
    path: Path, problem: FileEntry | None, entries: list[FileEntry],
    files: dict[str, str],
) -> None:
    if problem is not None:
        entries.append(problem)
    else:
        files.setdefault(str(path), cache_key(os.path.abspath(path)))


def _walk(
    folder: Path, own_output: Path, ancestors: tuple[tuple[int, int], ...]
) -> Iterator[tuple[Path, FileEntry | None]]:
    stat = folder.stat()
    here = (stat.st_dev, stat.st_ino)
    ancestors = (*ancestors, here)
    for child in sorted(folder.iterdir()):
        if child.name.startswith("."):
            continue
        if child.is_dir():
            if child.resolve() == own_output:
                continue
            child_stat = child.stat()
            if (child_stat.st_dev, child_stat.st_ino) in ancestors:
                yield child, FileEntry(
                    str(child), buildreport.FAILED,
                    f"symbolic link loop: leads back to {child.resolve()} "
                    "(remove the link)",
                )
            else:
                yield from _walk(child, own_output, ancestors)
        else:
            yield child, _file_problem(child)


def _file_problem(path: Path) -> FileEntry | None:
    """Why `path` is not read as a notice, or None when it is. A file that
    cannot be opened (a dangling link, a link loop, a named pipe) fails
    when it is hashed, in the words of `kg.ingest.open_input`."""
    if not path.exists() and not path.is_symlink():
        return FileEntry(str(path), buildreport.FAILED,
                         "no such file or folder (check the path)")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        hint = (CONVERT_HINT if suffix in UNSUPPORTED_SUFFIXES
                else "rename it to .txt if it is a notice's text")
        return FileEntry(str(path), buildreport.SKIPPED,
                         f"unsupported type ({suffix or 'no suffix'}); "
                         f"kg reads .txt, .htm and .html ({hint})")
    return None


def _held_ids(
    records: dict[str, dict[str, Any]], candidates: list[tuple[str, str]],
    prune: bool,
) -> dict[str, tuple[str, str]]:
    """The ids taken before this build's inputs are numbered, by
    `kg.noticeid.id_key`: (input key, who holds it).

    The notices of earlier builds whose inputs are not among this build's
    keep their ids (unless `prune` removes them); an input keeps the id it
    had, so that adding a file of the same name elsewhere does not move a
    notice to another id (and its links with it)."""
    given = {key: path for path, key in candidates}
    held: dict[str, tuple[str, str]] = {}
    for key, record in records.items():
        if not record.get("graph") or key.startswith(ORPHAN_KEY):
            continue
        if key not in given:
            if not prune:
                held[id_key(record["notice_id"])] = (
                    key, f"{shown_path(record['path'])} (a notice of an earlier "
                    "build, still in the store)")
        elif _derived_from(record["notice_id"], stem_id(given[key])[0]):
            held.setdefault(id_key(record["notice_id"]),
                            (key, shown_path(given[key])))
    return held


def _derived_from(notice_id: str, stem: str) -> bool:
    """`notice_id` is `stem`, or `stem` and a hash (`_identify`)."""
    return notice_id == stem or re.fullmatch(
        re.escape(stem) + r"-[0-9a-f]{8,}", notice_id) is not None


def _identify(
    candidates: list[tuple[str, str]], entries: list[FileEntry],
    held: dict[str, tuple[str, str]],
) -> tuple[list[FileEntry], list[_Input]]:
    """Hash each file, skip repeated contents, and give each notice an id no
    other notice has, in this build or in the store (`held`), compared
    NFC-normalised and case-folded: the cleaned file stem (`kg.noticeid`), or,
    for an id taken, the stem and a hash of the file's absolute path
    (a longer hash if even that is taken)."""
    first_with: dict[str, str] = {}  # sha256 → path
    taken = dict(held)  # id_key → (input key, who)
    todo: list[_Input] = []
    for path, key in candidates:
        try:
            digest = _sha256(Path(path))
        except InputError as error:
            entries.append(FileEntry(path, buildreport.FAILED, error.without_path))
            continue
        if digest in first_with:
            entries.append(FileEntry(path, buildreport.SKIPPED,
                                     f"duplicate of {shown_path(first_with[digest])}",
                                     sha256=digest))
            continue
        first_with[digest] = path
        stem, why = stem_id(path)
        notice_id, note = stem, (f"{why}; this notice is {stem}" if why else "")
        digits = HASH_DIGITS
        while (holder := taken.get(id_key(notice_id), (key, "")))[0] != key:
            note = f"notice id {notice_id} is taken by {holder[1]}"
            notice_id = f"{stem}-{path_hash(os.path.abspath(path), digits)}"
            note += f"; this notice is {notice_id}"
            digits *= 2
        taken[id_key(notice_id)] = (key, shown_path(path))
        todo.append(_Input(path, key, digest, notice_id, note))
    return entries, todo


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open_input(path) as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- extraction in worker processes ------------------------------------------

def _extract_all(
    items: list[_Input], jobs: int | None, gazetteers: list[Path], progress: bool
) -> Generator[tuple[_Input, Result], None, None]:
    """(input, result) in input order, extracted by a pool of processes with
    a bounded window of results in flight. A worker that dies (killed, out of
    memory) fails the file it held and the pool is started again."""
    if not items:
        return
    workers = jobs or os.cpu_count() or 1
    queue = deque(items)
    from rich.console import Console
    from rich.progress import Progress

    from kg import buildworker

    console = Console(stderr=True)  # stdout may be piped; the bar is for people
    with Progress(console=console, disable=not progress, transient=True) as bar:
        task = bar.add_task("extracting", total=len(items))
        while queue:
            # spawn, not fork: the parent holds the store's RocksDB threads.
            with concurrent.futures.ProcessPoolExecutor(
                max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                initializer=buildworker.start_worker, initargs=(gazetteers,),
            ) as pool:
                try:
                    window: deque[tuple[_Input, concurrent.futures.Future[Result]]] = (
                        deque())
                    while queue or window:
                        while queue and len(window) < workers * WINDOW_PER_WORKER:
                            item = queue.popleft()
                            window.append((item, pool.submit(
                                buildworker.extract, item.path, item.sha256,
                                item.notice_id)))
                        item, future = window.popleft()
                        try:
                            result = future.result()
                        except BrokenProcessPool:
                            queue.extendleft(reversed([i for i, _ in window]))
                            yield item, buildworker.Result(
                                item.notice_id, cacheable=False,
                                error="internal error: the worker process died "
                                "extracting it (out of memory?)")
                            bar.advance(task)
                            break
                        yield item, result
                        bar.advance(task)
                except BaseException:
                    # Ctrl-C, SIGTERM, SIGHUP or an error of the writer: the
                    # pool's exit would wait for every task submitted.
                    _stop_workers(pool)
                    raise


def _stop_workers(pool: concurrent.futures.ProcessPoolExecutor) -> None:
    """End the worker processes now, not after the tasks in flight."""
    # The executor has no public way to end its processes before Python
    # 3.14 (terminate_workers); they are in `_processes`, which shutdown
    # empties, so they are taken first.
    processes = dict(getattr(pool, "_processes", None) or {})
    for process in processes.values():
        with contextlib.suppress(Exception):
            process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
    for process in list(processes.values()):
        with contextlib.suppress(Exception):
            process.join(timeout=5)


# --- the single writer -------------------------------------------------------


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
        self._jobs: queue.Queue[_LoadJob | None] = queue.Queue(maxsize=1)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="kg-loader",
                                         daemon=True)
        self._thread.start()

    def put(self, job: _LoadJob) -> None:
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
            graphs, saved = job
            try:
                self._store.load_graphs(graphs)
                self._cache.save(saved)
            except BaseException as error:  # noqa: BLE001 - raised in the main thread
                self._error = error

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error


def _write_batch(
    batch: list[tuple[_Input, Result]], loader: _Loader, out: Path,
    entries: list[FileEntry], records: dict[str, dict[str, Any]],
) -> None:
    """Write each notice's files and report entry, and give the loader the
    batch's graphs and cache records. A record is committed only once its
    graph is loaded: a build killed in between leaves no record, so the next
    build extracts that notice again and replaces its graph whole."""
    if not batch:
        return
    saved = []
    for item, result in batch:
        entry, record = _write_notice(item, result, out)
        entries.append(entry)
        if record is not None:
            records[item.key] = record
            saved.append((item.key, record, result.citations))
    loader.put(([(r.graph, r.nquads) for _, r in batch if not r.error], saved))


def _write_notice(
    item: _Input, result: Result, out: Path
) -> tuple[FileEntry, dict[str, Any] | None]:
    """The files of one stored result; the report entry and the cache record
    (None: do not remember this outcome)."""
    record: dict[str, Any] = {"path": item.path, "sha256": item.sha256,
                              "notice_id": item.notice_id}
    if result.error:
        entry = FileEntry(item.path, buildreport.FAILED, result.error,
                          notice_id=item.notice_id, sha256=item.sha256)
        return entry, ({**record, "graph": None, "error": result.error}
                       if result.cacheable else None)
    json_bytes = result.json_text.encode("utf-8")
    _write_bytes(_notice_file(out, item.notice_id, ".ttl"), result.turtle)
    _write_bytes(_notice_file(out, item.notice_id, ".json"), json_bytes)
    warnings = result.warnings + ((item.id_note,) if item.id_note else ())
    state = buildreport.OK_WITH_WARNINGS if warnings else buildreport.OK
    entry = FileEntry(item.path, state, warnings=warnings,
                      notice_id=item.notice_id, sha256=item.sha256,
                      triples=result.triples)
    return entry, {**record, "graph": result.graph,
                   "warnings": list(warnings), "triples": result.triples,
                   "sizes": {".ttl": len(result.turtle), ".json": len(json_bytes)}}


def _still_built(
    cached: dict[str, Any], item: _Input, store: Store | None, out: Path
) -> bool:
    """The cache record describes `item` and what it produced is still there:
    its graph in the store, its files of the size they were written."""
    if cached.get("sha256") != item.sha256 or cached.get("notice_id") != item.notice_id:
        return False
    if cached.get("graph") is None:
        return True  # a failure: the same bytes fail the same way
    if store is None or not store.contains_graph(cached["graph"]):
        return False
    sizes = cached.get("sizes") or {}
    for suffix in (".ttl", ".json"):
        path = _notice_file(out, item.notice_id, suffix)
        if not path.is_file() or (suffix in sizes
                                  and path.stat().st_size != sizes[suffix]):
            return False
    return True


def _unchanged_entry(item: _Input, cached: dict[str, Any]) -> FileEntry:
    if cached.get("graph") is None:
        return FileEntry(item.path, buildreport.FAILED, cached.get("error", ""),
                         notice_id=item.notice_id, sha256=item.sha256)
    return FileEntry(item.path, buildreport.UNCHANGED,
                     warnings=tuple(cached.get("warnings", ())),
                     notice_id=item.notice_id, sha256=item.sha256,
                     triples=int(cached.get("triples", 0)))


def _remove_notice(
    record: dict[str, Any], store: Store, out: Path, live: dict[str, dict[str, Any]]
) -> None:
    """Remove the graph of a notice of an earlier build, and its files unless
    a current input's notice has the same id."""
    store.remove_graph(record["graph"])
    if any(r.get("notice_id") == record["notice_id"] and r.get("graph")
           for r in live.values()):
        return
    for suffix in (".ttl", ".json"):
        _notice_file(out, record["notice_id"], suffix).unlink(missing_ok=True)


def _describe_build(
    store: Store, files: dict[str, dict[str, Any]], started: datetime
) -> str:
    """Replace the ontology graph and every earlier build's activity graph
    (PROV-O) in the store, whatever the cache remembers, with this build's;
    the IRI of the new activity graph."""
    from kg.rdf import iri
    from kg.rdf.build import build_activity_quads
    from kg.rdf.ontology import static_quads
    from kg.rdf.summary import SUMMARY_GRAPHS

    store.replace_graph(iri.ONTOLOGY.value, static_quads())
    notices = sorted({r["notice_id"] for r in files.values() if r.get("graph")})
    activity = build_activity_quads(
        [iri.notice_iri(n) for n in notices], kg.__version__, started,
        datetime.now(UTC), generated=list(SUMMARY_GRAPHS.values()),
    )
    graph = iri.build_iri(started).value
    builds = iri.build_iri(started).value.rsplit("/", 1)[0] + "/"
    for previous in store.graphs():
        if previous.startswith(builds) and previous != graph:
            store.remove_graph(previous)
    store.replace_graph(graph, activity)
    return graph


def _summarise(store: Store, cache: BuildCache) -> None:
    """Bring the summary graphs up to date with the citations in the cache
    (kg.rdf.summary): rewrite the usages of the regulations whose citations
    changed, or all of them when the graphs are missing or most changed."""
    from kg.rdf.build import to_nquads
    from kg.rdf.summary import SUMMARY_GRAPH, SUMMARY_GRAPHS, usage_quads, usages

    dirty = cache.dirty_keys()
    if store.contains_graph(SUMMARY_GRAPH.value) and (
        len(dirty) < SUMMARY_REWRITE_SHARE * cache.key_count()
    ):
        for start in range(0, len(dirty), SUMMARY_KEYS_PER_UPDATE):
            keys = dirty[start:start + SUMMARY_KEYS_PER_UPDATE]
            quads = [q for of_key in usages(cache.citations(keys))
                     for q in usage_quads(of_key)]
            store.replace_subjects(_usage_nodes(keys), quads)
            cache.clean(keys)
        return
    # A key at a time, loaded in batches: at 10,000 notices the graph is
    # ~1.5 M quads, which as Quad objects held ~1 GB.
    for graph in SUMMARY_GRAPHS.values():
        store.remove_graph(graph.value)
    chunk: list[bytes] = []
    size = 0
    for of_key in usages(cache.citations()):
        chunk.append(to_nquads(usage_quads(of_key)))
        size += len(chunk[-1])
        if size >= BATCH_BYTES:
            store.add_nquads(b"".join(chunk))
            chunk, size = [], 0
    store.add_nquads(b"".join(chunk))
    cache.clean(dirty)


def _usage_nodes(keys: Sequence[str]) -> dict[str, list[str]]:
    """Every usage node the summary graphs can have for `keys`, per graph."""
    from kg.rdf import iri
    from kg.rdf.summary import SUMMARY_GRAPHS

    return {graph.value: [iri.usage_iri(key, scope).value for key in keys]
            for scope, graph in SUMMARY_GRAPHS.items()}


def _quad_count(store: Store, files: dict[str, dict[str, Any]]) -> int:
    """Quads in the store: the notice graphs' as their records say (counting
    the whole store scans every quad), and the other graphs' counted."""
    notice_graphs = {r["graph"]: int(r.get("triples", 0))
                     for r in files.values() if r.get("graph")}
    others = [g for g in store.graphs() if g not in notice_graphs]
    return (sum(notice_graphs.values())
            + sum(store.triple_count(graph) for graph in others))


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


def _write_dumps(store: Store, files: dict[str, dict[str, Any]], out: Path) -> None:
    """graph.trig (every graph as itself) and graph.ttl (the union, a triple
    stated in several graphs written once per graph) from the Turtle file of
    each notice, which the workers wrote already, and the store's other graphs
    (ontology, build, summary). Copying files instead of serialising the store
    again keeps a one-file rebuild from re-serialising the whole corpus (37 s
    of a 50 s build of 1,000 notices). A Turtle body is the triples block of a
    TriG graph (TriG §2.2) with the same prefixes; a header that differs is
    written again where it changes, which both syntaxes allow."""
    notices = sorted((r["graph"], r["notice_id"]) for r in files.values()
                     if r.get("graph"))
    named = {graph for graph, _ in notices}
    sources: list[tuple[str, Callable[[], bytes]]] = [
        (graph, _notice_file(out, notice_id, ".ttl").read_bytes)
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


def _after_prefixes(turtle: bytes) -> int:
    """Where the @prefix lines that open a Turtle document end."""
    position = 0
    while turtle.startswith(b"@prefix ", position):
        position = turtle.index(b"\n", position) + 1
    return position


def _notice_file(out: Path, notice_id: str, suffix: str) -> Path:
    return out / "notices" / (notice_id + suffix)


def _write_bytes(path: Path, data: bytes) -> None:
    with atomic_path(path) as temporary:
        Path(temporary).write_bytes(data)


def _json_bytes(value: object) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _fingerprint(gazetteers: Sequence[Path]) -> str:
    """A hash of everything that decides what a notice becomes: the modules
    and data of extraction, RDF mapping and JSON export (EXTRACTION_PARTS),
    and the gazetteers given. An edit to any of them makes the next build
    extract every notice again."""
    package = Path(kg.__file__).parent
    files = [p for part in EXTRACTION_PARTS for p in sorted(package.glob(part))
             if p.is_file()]
    return _digest([*files, *gazetteers])


def _digest(paths: Sequence[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
