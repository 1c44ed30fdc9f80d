"""kg/build.py: `kg build` over a folder of notices, incremental re-runs,
prune, and the files a batch reports instead of stopping at."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from kg.build import build_corpus
from kg.buildreport import BuildReport, FileEntry
from kg.rdf.iri import notice_iri
from kg.store import run_query

CORPUS = Path(__file__).resolve().parents[1] / "examples" / "notices"
NOTICES = sorted(p.stem for p in CORPUS.glob("*.txt"))


def _extractors_ready() -> str | None:
    """Why the build cannot run yet, or None once the extractors have landed."""
    from kg.pipeline import extract_notice

    try:
        extract_notice(CORPUS / "sanmen-2023.txt")
    except NotImplementedError as error:
        return f"an extractor is not written yet ({error!r})"
    return None


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    reason = _extractors_ready()
    if reason is not None:
        pytest.skip(reason)
    folder = tmp_path / "in"
    folder.mkdir()
    for path in CORPUS.glob("*.txt"):
        shutil.copyfile(path, folder / path.name)
    return folder


def _build(inputs: list[Path], out: Path, prune: bool = False) -> BuildReport:
    return build_corpus(
        inputs, out, jobs=2, prune=prune, gazetteers=[], progress=False, html=False
    )


def _by_name(report: BuildReport) -> dict[str, FileEntry]:
    return {Path(e.path).name: e for e in report.entries}


def _graph_triples(out: Path, notice_id: str) -> int:
    graph = notice_iri(notice_id).value
    result = run_query(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}",
        out / "store",
        None,
    )
    return int(result.rows[0][0] or 0)


def _mtimes(folder: Path) -> dict[str, int]:
    return {str(path): path.stat().st_mtime_ns for path in [folder, *folder.rglob("*")]}


def test_a_corpus_builds_and_a_rerun_on_the_same_files_changes_nothing(
    corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    report = _build([corpus], out)

    assert [Path(e.path).stem for e in report.entries] == NOTICES
    assert {e.state for e in report.entries} <= {"ok", "ok-with-warnings"}
    assert report.exit_code(strict=False) == 0
    for entry in report.entries:
        assert entry.notice_id is not None and entry.triples > 100
        assert _graph_triples(out, entry.notice_id) == entry.triples
        assert (out / "notices" / f"{entry.notice_id}.ttl").stat().st_size > 0
        document = json.loads((out / "notices" / f"{entry.notice_id}.json").read_text())
        assert document["id"] == entry.notice_id
    written = json.loads((out / "build-report.json").read_text())
    assert written["totals"]["files"] == 5
    assert [f["state"] for f in written["files"]] == [e.state for e in report.entries]
    assert (out / "graph.trig").stat().st_size > (out / "graph.ttl").stat().st_size / 2

    before = _mtimes(out)
    again = _build([corpus], out)
    assert {e.state for e in again.entries} == {"unchanged"}
    assert not again.written
    assert "nothing changed" in again.summary()
    assert _mtimes(out) == before


def test_a_changed_file_replaces_its_graph_and_prune_removes_a_deleted_one(
    corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    first = _by_name(_build([corpus], out))
    changed = corpus / "luozhuang-2021.txt"
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text[: len(text) // 2], encoding="utf-8")

    second = _by_name(_build([corpus], out))
    assert second["luozhuang-2021.txt"].state in ("ok", "ok-with-warnings")
    assert second["luozhuang-2021.txt"].triples < first["luozhuang-2021.txt"].triples
    assert _graph_triples(out, "luozhuang-2021") == second["luozhuang-2021.txt"].triples
    assert second["sanmen-2023.txt"].state == "unchanged"

    (corpus / "sanmen-2023.txt").unlink()
    kept = _build([corpus], out)
    assert [(a.notice_id, a.pruned) for a in kept.absent] == [("sanmen-2023", False)]
    assert "use --prune" in kept.summary()
    assert _graph_triples(out, "sanmen-2023") > 0

    pruned = _build([corpus], out, prune=True)
    assert [(a.notice_id, a.pruned) for a in pruned.absent] == [("sanmen-2023", True)]
    assert _graph_triples(out, "sanmen-2023") == 0
    assert not (out / "notices" / "sanmen-2023.ttl").exists()
    assert not (out / "notices" / "sanmen-2023.json").exists()
    assert "sanmen-2023" not in (out / "graph.trig").read_text(encoding="utf-8")


def test_the_notices_the_build_lists_for_the_pages_are_the_stores(
    corpus: Path, tmp_path: Path
) -> None:
    from kg.buildcache import CACHE_FILE, read_cache
    from kg.buildstate import notice_listing
    from kg.pagedata import Corpus

    def both() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        _, records = read_cache(out / CACHE_FILE)
        return notice_listing(records), Corpus(out / "store").listing()

    out = tmp_path / "out"
    (corpus / "empty.txt").write_bytes(b"")  # a failure: no graph, not listed
    _build([corpus], out)
    built, stored = both()
    assert built == stored and len(stored) == len(NOTICES)
    # a notice gone but kept, then its record lost: an orphan graph
    (corpus / "sanmen-2023.txt").unlink()
    _build([corpus], out)
    assert both()[0] == stored
    (out / CACHE_FILE).unlink()
    _build([corpus], out)
    assert both()[0] == stored
    _build([corpus], out, prune=True)
    built, stored = both()
    assert built == stored and "sanmen-2023" not in {i for _, i in stored}


def test_bad_files_are_reported_and_the_batch_goes_on(
    corpus: Path, tmp_path: Path
) -> None:
    shutil.copyfile(corpus / "sanmen-2023.txt", corpus / "zz-copy.txt")
    (corpus / "scan.pdf").write_bytes(b"%PDF-1.4\n")
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "gone.txt").symlink_to(corpus / "nowhere.txt")
    (corpus / ".hidden.txt").write_text("not looked at", encoding="utf-8")
    out = tmp_path / "out"

    report = _build([corpus], out)
    entries = _by_name(report)
    assert entries["zz-copy.txt"].state == "skipped"
    assert entries["zz-copy.txt"].reason == f"duplicate of {corpus / 'sanmen-2023.txt'}"
    assert entries["scan.pdf"].state == "skipped"
    assert "unsupported type (.pdf)" in entries["scan.pdf"].reason
    assert entries["empty.txt"].state == "failed"
    assert "empty" in entries["empty.txt"].reason
    assert entries["gone.txt"].state == "failed"
    assert "dangling symbolic link" in entries["gone.txt"].reason
    assert ".hidden.txt" not in entries
    assert sum(e.state in ("ok", "ok-with-warnings") for e in report.entries) == 5
    assert report.exit_code(strict=False) == 1
    assert f"{corpus / 'empty.txt'}: {entries['empty.txt'].reason}" in report.summary()

    # The failure is remembered: the same empty file is not read again.
    again = _build([corpus], out)
    assert not again.written
    assert _by_name(again)["empty.txt"].state == "failed"


def test_a_file_that_now_fails_loses_its_old_graph(
    corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    _build([corpus], out)
    (corpus / "sanmen-2023.txt").write_bytes(b"")
    report = _build([corpus], out)
    assert _by_name(report)["sanmen-2023.txt"].state == "failed"
    assert _graph_triples(out, "sanmen-2023") == 0
    assert not (out / "notices" / "sanmen-2023.json").exists()


def test_the_same_stem_in_two_folders_gets_two_ids(
    corpus: Path, tmp_path: Path
) -> None:
    other = corpus / "2022"
    other.mkdir()
    text = (corpus / "sanmen-2023.txt").read_text(encoding="utf-8")
    (other / "sanmen-2023.txt").write_text(text + "\n补充说明。\n", encoding="utf-8")
    out = tmp_path / "out"

    report = _build([corpus / "sanmen-2023.txt", other], out)
    # In path order: in/2022/sanmen-2023.txt keeps the stem, the later file
    # gets the stem and a short hash of its path.
    assert [e.path for e in report.entries] == [
        str(other / "sanmen-2023.txt"),
        str(corpus / "sanmen-2023.txt"),
    ]
    ids = [e.notice_id for e in report.entries]
    assert ids[0] == "sanmen-2023"
    assert ids[1] is not None and re.fullmatch(r"sanmen-2023-[0-9a-f]{8}", ids[1])
    assert (
        f"notice id sanmen-2023 is taken by {other / 'sanmen-2023.txt'}; "
        f"this notice is {ids[1]}"
    ) in report.entries[1].warnings
    assert all(_graph_triples(out, i) > 0 for i in ids if i is not None)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_a_symbolic_link_loop_is_reported_not_followed(
    corpus: Path, tmp_path: Path
) -> None:
    (corpus / "again").symlink_to(corpus, target_is_directory=True)
    report = _build([corpus / "again", corpus / "luozhuang-2021.txt"], tmp_path / "out")
    entries = _by_name(report)
    assert entries["again"].state == "failed"
    assert "symbolic link loop" in entries["again"].reason


def test_the_summary_lists_a_few_files_with_warnings_and_points_to_the_report() -> None:
    from kg.buildreport import WARNING_LINES, BuildReport, FileEntry, FileState

    entries = tuple(
        FileEntry(
            f"n{i:03}.txt", FileState.OK_WITH_WARNINGS,
            warnings=("no feedback date found",),
        )
        for i in range(WARNING_LINES + 5)
    )
    summary = BuildReport(entries, (), 0).summary()
    assert summary.count("no feedback date found") == WARNING_LINES
    assert "and 5 more files with warnings" in summary
    assert "build-report.json" in summary


def test_without_dumps_the_earlier_dumps_go_and_the_index_does_not_link_them(
    corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    _build([corpus], out)
    assert (out / "graph.trig").is_file() and (out / "graph.ttl").is_file()

    report = build_corpus([corpus], out, jobs=1, prune=False, gazetteers=[],
                          progress=False, html=True, dump=False)
    assert report.written
    assert not (out / "graph.trig").exists() and not (out / "graph.ttl").exists()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="graph.html"' in index and "graph.ttl" not in index
    count = run_query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                      out / "store", None)
    assert report.graph_triples == int(count.rows[0][0] or 0)

    # nothing changed and no dump asked for: nothing is written
    before = _mtimes(out)
    again = build_corpus([corpus], out, jobs=1, prune=False, gazetteers=[],
                         progress=False, html=True, dump=False)
    assert not again.written and _mtimes(out) == before
    _build([corpus], out)  # asking for them again writes them
    assert (out / "graph.trig").is_file() and (out / "graph.ttl").is_file()


def test_the_dumps_are_written_while_the_pages_render_and_the_index_links_them(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kg.site
    from kg.buildcache import CACHE_FILE, read_cache
    from kg.dumps import DUMPS, INDEX, Dumps, dumps_of
    from kg.store import Store

    # The dumps are held back until the pages are written: with the dumps
    # written before the pages (one after the other), this build would wait
    # for ever; so would it if the pages waited for the dumps.
    pages_written = threading.Event()
    write_dumps, write_site = Dumps.write, kg.site.write_site

    def held_back(dumps: Dumps) -> None:
        assert pages_written.wait(120), "the dumps were written before the pages"
        write_dumps(dumps)

    def pages(*args: Any, **kwargs: Any) -> list[Path]:
        try:
            return write_site(*args, **kwargs)
        finally:
            pages_written.set()

    monkeypatch.setattr(Dumps, "write", held_back)
    monkeypatch.setattr(kg.site, "write_site", pages)
    out = tmp_path / "out"
    report = build_corpus([corpus], out, jobs=2, prune=False, gazetteers=[],
                          progress=False, html=True)
    assert pages_written.is_set() and report.written
    assert {"dump", "html"} <= report.seconds.keys()
    # The index was rendered before the dumps were there, and links them.
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="graph.trig"' in index and 'href="graph.ttl"' in index
    # They are the dumps of the store, as a build without pages writes them.
    dumped = {name: (out / name).read_bytes() for name in DUMPS}
    monkeypatch.setattr(Dumps, "write", write_dumps)
    (out / INDEX).unlink()  # written whole again
    _, records = read_cache(out / CACHE_FILE)
    with contextlib.closing(Store(out / "store", read_only=True)) as store:
        dumps_of(store, records, out).write()
    assert dumped == {name: (out / name).read_bytes() for name in DUMPS}


def test_a_store_that_fails_mid_build_stops_it_and_the_next_build_redoes_the_rest(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kg.buildcache import read_cache
    from kg.errors import StoreError
    from kg.store import Store

    out = tmp_path / "out"
    monkeypatch.setattr("kg.writer.BATCH_BYTES", 1)  # one notice per batch
    loads: list[int] = []
    real_load = Store.load_graphs

    def failing_load(self: Store, graphs: list[tuple[str, bytes]]) -> None:
        loads.append(len(graphs))
        if len(loads) == 2:
            raise StoreError(f"{self.path}: disk full")
        real_load(self, graphs)

    monkeypatch.setattr(Store, "load_graphs", failing_load)
    with pytest.raises(StoreError, match="disk full"):
        _build([corpus], out)
    # the loader thread stopped at the failed batch: one notice is recorded
    assert len(read_cache(out / ".kg-cache.sqlite")[1]) == 1

    monkeypatch.setattr(Store, "load_graphs", real_load)
    report = _build([corpus], out)
    states = sorted(e.state for e in report.entries)
    assert states.count("unchanged") == 1 and len(states) == 5
    for entry in report.entries:
        assert _graph_triples(out, entry.notice_id or "") == entry.triples


def _settled(folder: Path) -> None:
    """The inputs' modification time a minute ago: a stat taken now vouches
    for their bytes (kg.discover hashes a freshly written file again)."""
    past = os.stat(folder).st_mtime_ns - 60 * 10**9
    for path in folder.glob("*.txt"):
        os.utime(path, ns=(past, past))


def test_an_input_whose_stat_is_the_one_hashed_is_not_read_again(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kg.discover

    _settled(corpus)
    out = tmp_path / "out"
    _build([corpus], out)
    hashed: list[str] = []
    sha256 = kg.discover._sha256

    def counted(path: Path) -> str:
        hashed.append(path.name)
        return sha256(path)

    monkeypatch.setattr(kg.discover, "_sha256", counted)
    before = _mtimes(out)
    report = _build([corpus], out)
    assert hashed == []
    assert {e.state for e in report.entries} == {"unchanged"}
    assert _mtimes(out) == before
    # The same bytes written again: a new stat, hashed, and still unchanged.
    touched = corpus / "sanmen-2023.txt"
    touched.write_bytes(touched.read_bytes())
    report = _build([corpus], out)
    assert hashed == ["sanmen-2023.txt"]
    assert {e.state for e in report.entries} == {"unchanged"}
    # Other bytes of the same size: the stat tells, the notice is built again.
    text = touched.read_bytes()
    touched.write_bytes(text.replace("。".encode(), "，".encode(), 1))
    report = _build([corpus], out)
    assert _by_name(report)["sanmen-2023.txt"].state in {"ok", "ok-with-warnings"}


def test_a_cache_whose_records_cannot_be_read_is_made_anew(
    corpus: Path, tmp_path: Path
) -> None:
    import sqlite3

    from kg.buildcache import CACHE_FILE, read_cache

    out = tmp_path / "out"
    _build([corpus], out)
    # Its format is right, the record of an input then removed is not JSON:
    # the cache reads as lost, and no record the next build saves replaces
    # that one (the cache drops it).
    gone = corpus / "sanmen-2023.txt"
    with contextlib.closing(sqlite3.connect(out / CACHE_FILE)) as connection, \
            connection:
        connection.execute("UPDATE inputs SET record = '{' WHERE key = ?",
                           (str(gone),))
    gone.unlink()
    assert read_cache(out / CACHE_FILE) == ({}, {})

    report = _build([corpus], out)
    assert {e.state for e in report.entries} <= {"ok", "ok-with-warnings"}
    meta, records = read_cache(out / CACHE_FILE)
    assert meta["outputs_current"] and len(records) == len(NOTICES)  # one orphan
    assert {e.state for e in _build([corpus], out).entries} == {"unchanged"}


def test_an_early_pool_extracts_the_first_files_and_ends_with_them() -> None:
    import hashlib
    import multiprocessing

    from kg.discover import Input
    from kg.workers import early_pool, extract_all

    # Started before the build knows its inputs (kg.build): its worker loads
    # the extractors while the inputs are found, then extracts them.
    early = early_pool(2, [])
    started = {p.pid for p in multiprocessing.active_children()}
    assert started
    path = CORPUS / "sanmen-2023.txt"
    item = Input(str(path), str(path), hashlib.sha256(path.read_bytes()).hexdigest(),
                 "sanmen-2023")
    extraction = extract_all([item], 2, [], False, early)
    done, result = next(extraction)
    assert done == item and not result.error and result.triples > 1000
    # One file, one worker: the one started early (no more workers than files).
    assert {p.pid for p in multiprocessing.active_children()} == started
    assert list(extraction) == []
    assert not _running(started)  # the pool ended with the extraction


def test_an_early_pool_with_nothing_to_extract_is_ended() -> None:
    import multiprocessing

    from kg.workers import early_pool, extract_all

    early = early_pool(1, [])
    started = {p.pid for p in multiprocessing.active_children()}
    assert started
    assert list(extract_all([], 1, [], False, early)) == []
    assert not _running(started)


def _running(pids: set[int]) -> set[int]:
    """Those of `pids` the system still has. Asked of the system, not of
    multiprocessing.active_children(): the pool's manager thread joins its
    workers too, and when it reaps one first, the other join's poll sees no
    child and the process stays listed as alive until that thread runs again."""
    running = set()
    for pid in pids:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            continue
        running.add(pid)
    return running


# The parent of a build that extracts a file: the workers import the
# extractors and jieba, the parent only submits the task and unpickles its
# result (kg.workers), so a one-file rebuild does not wait for that import.
PARENT_IMPORTS = """
import sys
from pathlib import Path
from kg.build import build_corpus
report = build_corpus([Path(sys.argv[1])], Path(sys.argv[2]), jobs=1, gazetteers=[],
                      prune=False, progress=False, html=False, dump=False)
assert report.exit_code(strict=False) == 0, report.summary()
print(sorted(m for m in ("jieba", "kg.buildworker", "kg.pipeline") if m in sys.modules))
"""


def test_the_parent_of_a_build_never_imports_the_extractors(tmp_path: Path) -> None:
    example = sorted(CORPUS.glob("*.txt"))[0]
    done = subprocess.run(
        [sys.executable, "-c", PARENT_IMPORTS, str(example), str(tmp_path / "out")],
        capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.splitlines()[-1] == "[]"
    assert (tmp_path / "out" / "notices").is_dir()
