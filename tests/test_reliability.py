"""Issue 16, round 2 of reliability: one build at a time per output folder,
notice ids that cannot collide, the store trusted over the cache, any file
name, occupied output paths, a damaged store and a bad gazetteer as one
message each. Every case checks the message, the exit code (through the real
command where it matters) and that nothing was lost.

The bounds on the cost of one input are in tests/test_reliability_cost.py,
the signals in tests/test_reliability_signals.py.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kg import outlock
from kg.build import build_corpus
from kg.buildreport import BuildReport, FileEntry
from kg.buildstate import NOTICE_GRAPHS
from kg.errors import OutputBusyError, OutputError, StoreDamagedError
from kg.noticeid import MAX_ID_BYTES, id_key, stem_id
from kg.rdf.iri import build_iri, notice_iri
from kg.store import Store, atomic_path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "examples" / "notices"
NOTICES = sorted(p.stem for p in CORPUS.glob("*.txt"))
SANMEN = (CORPUS / "sanmen-2023.txt").read_text(encoding="utf-8")


def _build(inputs: list[Path], out: Path, *, prune: bool = False, html: bool = False,
           repair: bool = False) -> BuildReport:
    return build_corpus(inputs, out, jobs=1, prune=prune, gazetteers=[],
                        progress=False, html=html, repair=repair)


def _kg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True,
                          text=True, timeout=600, check=False, cwd=ROOT)


def _variant(number: int) -> str:
    """A notice with its own bytes (the build skips repeated contents)."""
    return SANMEN + f"\n附件{number}：整改台账\n"


def _notice_graphs(out: Path) -> set[str]:
    store = Store(out / "store", read_only=True)
    return {g for g in store.graphs() if g.startswith(NOTICE_GRAPHS)}


def _by_name(report: BuildReport) -> dict[str, FileEntry]:
    return {Path(e.path).name: e for e in report.entries}


def _snapshot(out: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(out)): (p.stat().st_mtime_ns, p.stat().st_size)
            for p in out.rglob("*") if p.is_file() and p.name != outlock.LOCK_FILE}


@pytest.fixture(autouse=True)
def _steady_fingerprint(monkeypatch: pytest.MonkeyPatch) -> None:
    """The extractors' fingerprint held still: an edit to kg/extract while
    these tests run (in a working tree shared with others) would make a
    rebuild extract everything again, which is not what they test."""
    import kg.build

    monkeypatch.setattr(kg.build, "extraction_fingerprint",
                        lambda gazetteers: "steady")


@pytest.fixture
def two(tmp_path: Path) -> Path:
    """Two corpus notices in a folder of their own."""
    folder = tmp_path / "in"
    folder.mkdir()
    for stem in ("sanmen-2023", "luozhuang-2021"):
        shutil.copyfile(CORPUS / f"{stem}.txt", folder / f"{stem}.txt")
    return folder


# --- case 1: one build at a time ---------------------------------------------


def test_a_second_build_on_a_held_folder_is_refused_and_changes_nothing(
    two: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    _build([two], out)
    before = _snapshot(out)
    (two / "sanmen-2023.txt").unlink()
    with outlock.writing(out):
        with pytest.raises(OutputBusyError, match="another kg command is using"):
            _build([two], out, prune=True)
        # the command line: one line, exit 1
        done = _kg("build", "--prune", "-o", str(out), str(two))
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"kg: {out}: another kg command is using this output folder (a kg build "
        "writing it, or kg view or kg push reading it); wait for it to finish, "
        "then run this build again"]
    assert _snapshot(out) == before
    assert len(_notice_graphs(out)) == 2


def test_a_reader_holds_builds_off_and_a_build_holds_readers_off(
    two: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    _build([two], out)
    with outlock.reading(out), outlock.reading(out):  # readers side by side
        with pytest.raises(OutputBusyError):
            _build([two], out, prune=True)
    with outlock.writing(out):
        assert outlock.build_running(out)
        with pytest.raises(OutputBusyError, match="a kg build is writing"):
            with outlock.reading(out):
                pass
    assert not outlock.build_running(out)
    with outlock.reading(tmp_path / "never-built"):  # nothing to hold: no error
        pass


def test_the_lock_is_held_while_the_pages_are_written(
    two: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kg.site

    out = tmp_path / "out"
    seen: list[bool] = []
    real = kg.site.write_site

    def watched(store_dir: Path, into: Path, *args: object, **kwargs: object) -> object:
        seen.append(outlock.build_running(into))
        return real(store_dir, into, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(kg.site, "write_site", watched)
    _build([two], out, html=True)
    assert seen == [True]
    assert not outlock.build_running(out)


# --- case 2: a lost or corrupt cache -----------------------------------------


@pytest.mark.parametrize("damage", ["removed", "garbage", "empty", "other folder's"])
def test_prune_removes_a_gone_notice_whatever_happened_to_the_cache(
    two: Path, tmp_path: Path, damage: str
) -> None:
    out = tmp_path / "out"
    _build([two], out)
    cache = out / ".kg-cache.sqlite"
    if damage == "removed":
        cache.unlink()
    elif damage == "garbage":
        cache.write_bytes(b"SQLite format 3\x00" + os.urandom(4000))
    elif damage == "empty":
        cache.write_bytes(b"")
    else:
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()
        shutil.copyfile(CORPUS / "zaozhuang-2018.txt", elsewhere / "zaozhuang-2018.txt")
        _build([elsewhere], tmp_path / "out2")
        shutil.copyfile(tmp_path / "out2" / ".kg-cache.sqlite", cache)
    (two / "luozhuang-2021.txt").unlink()

    report = _build([two], out, prune=True)
    assert report.written
    assert report.exit_code(strict=False) == 0
    assert _notice_graphs(out) == {notice_iri("sanmen-2023").value}
    assert [(a.notice_id, a.pruned) for a in report.absent] == [
        ("luozhuang-2021", True)]
    assert not (out / "notices" / "luozhuang-2021.ttl").exists()
    assert not (out / "notices" / "luozhuang-2021.json").exists()
    assert "luozhuang-2021" not in (out / "graph.trig").read_text(encoding="utf-8")
    builds_prefix = build_iri(datetime.now(UTC)).value.rsplit("/", 1)[0] + "/"
    builds = [g for g in Store(out / "store", read_only=True).graphs()
              if g.startswith(builds_prefix)]
    assert len(builds) == 1  # the earlier build's activity graph went too
    # and the next build has nothing to do
    assert not _build([two], out, prune=True).written


def test_without_prune_a_notice_the_cache_lost_is_kept_and_reported(
    two: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    _build([two], out)
    (out / ".kg-cache.sqlite").unlink()
    (two / "luozhuang-2021.txt").unlink()
    report = _build([two], out)
    assert [(a.notice_id, a.pruned) for a in report.absent] == [
        ("luozhuang-2021", False)]
    assert "use --prune to remove it" in report.summary()
    assert len(_notice_graphs(out)) == 2  # nothing lost
    again = _build([two], out)
    assert not again.written  # the store and the cache agree now
    pruned = _build([two], out, prune=True)
    assert _notice_graphs(out) == {notice_iri("sanmen-2023").value}
    assert [a.pruned for a in pruned.absent] == [True]


# --- case 3: ids that cannot collide -----------------------------------------


def test_names_equal_after_nfc_or_case_folding_are_two_notices(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    names = ["caf\u00e9.txt", "cafe\u0301.txt", "CAF\u00c9.txt"]
    for number, name in enumerate(names):
        (folder / name).write_text(_variant(number), encoding="utf-8")
    if len(list(folder.iterdir())) < 3:
        pytest.skip("the file system folds these names into one")
    out = tmp_path / "out"
    report = _build([folder], out)
    entries = list(report.entries)
    assert [e.state for e in entries].count("failed") == 0
    ids = [e.notice_id for e in entries]
    assert None not in ids
    assert len({id_key(i) for i in ids if i}) == 3
    assert len(_notice_graphs(out)) == 3
    for entry in entries:
        assert entry.notice_id is not None
        turtle = out / "notices" / f"{entry.notice_id}.ttl"
        assert turtle.is_file()
        store = Store(out / "store", read_only=True)
        assert store.triple_count(notice_iri(entry.notice_id).value) == entry.triples
    assert sum("is taken by" in w for e in entries for w in e.warnings) == 2


def test_a_name_equal_to_another_notices_hashed_id_gets_its_own(tmp_path: Path) -> None:
    a, b, c = (tmp_path / name for name in ("a", "b", "c"))
    for number, folder in enumerate((a, b)):
        folder.mkdir()
        (folder / "x.txt").write_text(_variant(number), encoding="utf-8")
    out = tmp_path / "out"
    first = _build([a, b], out)
    hashed = [e.notice_id for e in first.entries if e.notice_id != "x"]
    assert len(hashed) == 1 and hashed[0] is not None
    c.mkdir()
    (c / f"{hashed[0]}.txt").write_text(_variant(7), encoding="utf-8")
    second = _build([a, b, c], out)
    ids = [e.notice_id for e in second.entries]
    assert len(set(ids)) == 3, ids
    assert {e.state for e in second.entries if Path(e.path).parent != c} == {
        "unchanged"}  # the earlier notices keep their ids
    assert len(_notice_graphs(out)) == 3


def test_an_id_held_in_the_store_by_a_kept_notice_is_not_taken(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "sanmen-2023.txt").write_text(_variant(1), encoding="utf-8")
    (b / "sanmen-2023.txt").write_text(_variant(2), encoding="utf-8")
    out = tmp_path / "out"
    _build([a], out)
    store_before = Store(out / "store", read_only=True)
    triples = store_before.triple_count(notice_iri("sanmen-2023").value)
    del store_before
    report = _build([b], out)  # a's notice is kept (no --prune): its id stays its
    (entry,) = report.entries
    assert entry.notice_id != "sanmen-2023"
    assert "a notice of an earlier build" in " ".join(entry.warnings)
    store = Store(out / "store", read_only=True)
    assert store.triple_count(notice_iri("sanmen-2023").value) == triples
    assert len(_notice_graphs(out)) == 2


def test_a_notice_keeps_its_id_when_a_file_of_the_same_name_comes_first(
    tmp_path: Path
) -> None:
    later = tmp_path / "z"
    later.mkdir()
    (later / "x.txt").write_text(_variant(1), encoding="utf-8")
    out = tmp_path / "out"
    assert [e.notice_id for e in _build([later], out).entries] == ["x"]
    earlier = tmp_path / "a"
    earlier.mkdir()
    (earlier / "x.txt").write_text(_variant(2), encoding="utf-8")
    report = _by_name_path(_build([earlier, later], out))
    assert report[str(later / "x.txt")].notice_id == "x"
    assert report[str(later / "x.txt")].state == "unchanged"
    assert report[str(earlier / "x.txt")].notice_id != "x"


def _by_name_path(report: BuildReport) -> dict[str, FileEntry]:
    return {e.path: e for e in report.entries}


# --- cases 5, 6, 7: any file name --------------------------------------------


# Names that broke builds (issue 16), and others of the same classes.
ODD_NAMES = [
    os.fsdecode(b"luo\xff.txt"),  # not UTF-8
    os.fsdecode(b"\xc3\x28\xa0\xa1-gbk\xb0\xa1.txt"),  # invalid sequences
    "罗" * 80 + ".txt",  # 240 bytes of stem
    "n" * 250 + ".txt",  # 250 bytes of stem (the limit is 255 with the suffix)
    "vs\U000e0100x.txt",  # variation selector of plane 14: not an IRI ucschar
    "tag\U000e0041.txt",  # a tag character (Cf)
    "ctrl\x01\x1f.txt",  # controls
    "line\nbreak.txt",
    "bidi\u202eevil.txt",  # right-to-left override
    "pua\ue000.txt",  # private use
    "nonchar\ufffe.txt",
    "pct%20sign?#.txt",
    "  .txt",  # nothing but spaces
    "emoji\U0001f600\ufe0f.txt",  # a plane-1 character and a variation selector
]


def test_any_file_name_gets_a_notice_and_a_readable_report(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    made = []
    for number, name in enumerate(ODD_NAMES):
        try:
            (folder / name).write_text(_variant(number), encoding="utf-8")
        except OSError:  # this file system refuses the name: nothing to test
            continue
        made.append(name)
    assert len(made) >= len(ODD_NAMES) - 2
    out = tmp_path / "out"
    report = _build([folder], out, html=True)
    assert {e.state for e in report.entries} <= {"ok", "ok-with-warnings"}
    assert len(report.entries) == len(made)
    ids = [e.notice_id for e in report.entries]
    assert len({id_key(i) for i in ids if i}) == len(made)
    for notice_id in ids:
        assert notice_id is not None
        assert len(notice_id.encode()) <= MAX_ID_BYTES + 20
        assert (out / "notices" / f"{notice_id}.ttl").is_file()
        assert (out / "notices" / f"{notice_id}.json").is_file()
    written = json.loads((out / "build-report.json").read_bytes())
    assert len(written["files"]) == len(made)
    assert any("\\xff" in f["path"] for f in written["files"])
    summary = report.summary()
    summary.encode("utf-8")  # printable: no lone surrogates
    assert len(_notice_graphs(out)) == len(made)
    # a rerun: everything unchanged, nothing written
    before = _snapshot(out)
    again = _build([folder], out, html=True)
    assert not again.written and _snapshot(out) == before


@pytest.mark.parametrize("name", ODD_NAMES)
def test_an_id_from_any_name_is_a_file_name_and_an_iri(name: str) -> None:
    notice_id, why = stem_id(name)
    assert notice_id and unicodedata.is_normalized("NFC", notice_id)
    assert len(notice_id.encode("utf-8")) <= MAX_ID_BYTES + 9
    assert "/" not in notice_id
    notice_iri(notice_id)  # pyoxigraph accepts it
    assert bool(why) == (notice_id != Path(name).stem)


def test_the_temporary_file_of_a_long_name_has_a_short_name(tmp_path: Path) -> None:
    target = tmp_path / ("长" * 83 + ".json")  # 254 bytes: at the limit
    with atomic_path(target) as temporary:
        assert len(os.fsencode(Path(temporary).name)) < 100
        Path(temporary).write_bytes(b"{}")
    assert target.read_bytes() == b"{}"


def test_the_notice_graph_prefix_is_the_notice_iri() -> None:
    assert notice_iri("x").value == NOTICE_GRAPHS + "x"


# --- case 4: deleted or changed outputs are written again --------------------


def test_deleted_pages_and_notice_files_are_written_again(
    two: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    _build([two], out, html=True)
    pages = sorted(str(p.relative_to(out)) for p in out.rglob("*.html"))
    for page in (out / "notices").glob("*.html"):
        page.unlink()
    shutil.rmtree(out / "regulations", ignore_errors=True)
    (out / "notices" / "sanmen-2023.ttl").unlink()
    with open(out / "notices" / "luozhuang-2021.json", "ab") as handle:
        handle.write(b" ")  # changed behind the build's back
    report = _build([two], out, html=True)
    assert report.written
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*.html")) == pages
    assert (out / "notices" / "sanmen-2023.ttl").is_file()
    json.loads((out / "notices" / "luozhuang-2021.json").read_bytes())
    assert not (out / "notices" / "luozhuang-2021.json").read_bytes().endswith(b"\n ")
    assert not _build([two], out, html=True).written


def test_a_deleted_asset_of_the_pages_is_written_again(
    two: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    _build([two], out, html=True)
    assets = sorted(p.name for p in (out / "assets").iterdir())
    assert assets
    (out / "assets" / assets[0]).unlink()
    assert _build([two], out, html=True).written
    assert sorted(p.name for p in (out / "assets").iterdir()) == assets
    assert not _build([two], out, html=True).written


# --- case 8: occupied output paths -------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind", "says"),
    [
        ("notices", "file", "is a file where kg build writes a folder"),
        ("regulations", "file", "is a file where kg build writes a folder"),
        ("graph.trig", "folder", "is a folder where kg build writes a file"),
        ("graph.ttl", "folder", "is a folder where kg build writes a file"),
        ("build-report.json", "folder", "is a folder where kg build writes a file"),
        ("index.html", "folder", "is a folder where kg build writes a file"),
        (".kg-cache.sqlite", "folder", "is a folder where kg build writes a file"),
        ("store", "file", "is a file where kg build keeps its store"),
        (".kg-lock", "folder", "is a folder where kg keeps its lock file"),
    ],
)
def test_an_occupied_output_path_is_one_line_and_nothing_is_lost(
    two: Path, tmp_path: Path, name: str, kind: str, says: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    path = out / name
    if kind == "file":
        path.write_bytes(b"the user's file")
    else:
        path.mkdir()
        (path / "keep.txt").write_bytes(b"the user's file")
    done = _kg("build", "-o", str(out), str(two))
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"kg: {path}: {says} ("), lines
    if kind == "file":
        assert path.read_bytes() == b"the user's file"
    else:
        assert (path / "keep.txt").read_bytes() == b"the user's file"


def test_an_output_folder_that_is_a_file_is_one_line(two: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    out.write_bytes(b"not a folder")
    done = _kg("build", "-o", str(out), str(two))
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"kg: {out}: is a file, not a folder (give -o a folder, or remove or "
        "rename the file)"]
    assert out.read_bytes() == b"not a folder"
    inside = out / "sub"
    done = _kg("build", "-o", str(inside), str(two))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("kg: ") and len(done.stderr.splitlines()) == 1


def test_repair_replaces_a_store_that_is_a_file(two: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "store").write_bytes(b"junk")
    with pytest.raises(OutputError, match="kg build --repair"):
        _build([two], out)
    report = _build([two], out, repair=True)
    assert report.exit_code(strict=False) == 0
    assert len(_notice_graphs(out)) == 2


# --- case 14: a damaged store ------------------------------------------------


def _damage(store: Path, how: str) -> str:
    """Damage the store as `how` says; a pattern of what the message must say.
    Every table file is damaged: one alone may be a leftover of a compaction
    that RocksDB has not deleted yet, which no longer matters."""
    if how in ("sst removed", "sst truncated"):
        tables = sorted(store.glob("*.sst"))
        for sst in tables:
            if how == "sst removed":
                sst.unlink()
            else:
                with open(sst, "r+b") as handle:
                    handle.truncate(sst.stat().st_size // 3)
        names = "|".join(re.escape(sst.name) for sst in tables)
        return f"({names}) is " + ("missing" if how == "sst removed" else "truncated")
    if how == "CURRENT removed":
        (store / "CURRENT").unlink()
        return "CURRENT is missing"
    (manifest,) = store.glob("MANIFEST-*")
    manifest.unlink()
    return re.escape(manifest.name) + " is missing"


@pytest.mark.parametrize(
    "how", ["sst removed", "sst truncated", "CURRENT removed", "MANIFEST removed"])
def test_a_damaged_store_says_what_is_wrong_and_repair_rebuilds_it(
    two: Path, tmp_path: Path, how: str
) -> None:
    out = tmp_path / "out"
    _build([two], out)
    what = _damage(out / "store", how)
    hint = (f"rebuild it: run `kg build --repair -o {out} INPUTS`, or remove "
            f"{out / 'store'} and run kg build again")
    with pytest.raises(StoreDamagedError) as raised:
        Store(out / "store", read_only=True)
    message = (re.escape(f"{out / 'store'}: the store is damaged (") + what
               + re.escape(f"); {hint}"))
    assert re.fullmatch(message, str(raised.value)), str(raised.value)
    for args in (["sparql", "-o", str(out), "SELECT * WHERE { ?s ?p ?o } LIMIT 1"],
                 ["build", "-o", str(out), str(two)]):
        done = _kg(*args)
        assert done.returncode == 1, done.stderr
        assert re.fullmatch("kg: " + message, done.stderr.strip()), done.stderr
        assert "changed while being opened" not in done.stderr
    report = _build([two], out, repair=True)
    assert report.exit_code(strict=False) == 0
    assert len(_notice_graphs(out)) == 2
    assert not _build([two], out).written


# --- case 16: a bad gazetteer ------------------------------------------------


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (bytes(range(256)) * 4, "gazetteer is binary data, not text (NUL at byte 0)"),
        ("会计法\t法律\n".encode("gb18030"), "gazetteer is not UTF-8 (byte 0)"),
        ("会计法\t法律\n".encode("utf-16"), "gazetteer is binary data, not text"),
        (b"\x89PNG\r\n\x1a\n" + os.urandom(64).replace(b"\0", b"1"),
         "gazetteer is not UTF-8 (byte 0)"),
    ],
)
def test_a_bad_gazetteer_is_one_line_before_any_notice_is_read(
    two: Path, tmp_path: Path, data: bytes, says: str
) -> None:
    gazetteer = tmp_path / "laws.tsv"
    gazetteer.write_bytes(data)
    out = tmp_path / "out"
    done = _kg("build", "--gazetteer", str(gazetteer), "-o", str(out), str(two))
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"kg: {gazetteer}: {says}"), lines
    assert not (out / "notices").exists() and not (out / "store").exists()


# --- the command line: --repair, readers, kg extract --------------------------


def test_kg_build_repair_rebuilds_a_damaged_store(two: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _build([two], out)
    what = _damage(out / "store", "sst removed")
    done = _kg("build", "-o", str(out), str(two))
    assert done.returncode == 1 and re.search(what, done.stderr), done.stderr
    repaired = _kg("build", "--repair", "--no-html", "-o", str(out), str(two))
    assert repaired.returncode == 0, repaired.stderr
    assert len(_notice_graphs(out)) == 2
    answer = _kg("sparql", "-o", str(out), "--format", "csv",
                 "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert answer.returncode == 0, answer.stderr


def test_view_and_push_wait_for_no_build_and_say_so(two: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _build([two], out)
    busy = (f"kg: {out}: a kg build is writing this output folder; wait for it to "
            "finish, then try again")
    page = tmp_path / "view.html"
    with outlock.writing(out):
        view = _kg("view", "--notice", "sanmen-2023", "--page", str(page),
                   "-o", str(out))
        push = _kg("push", "--endpoint", "http://127.0.0.1:9/store", "-o", str(out))
    for done in (view, push):
        assert done.returncode == 1
        assert done.stderr.strip().splitlines() == [busy]
    assert not page.exists()
    view = _kg("view", "--notice", "sanmen-2023", "--page", str(page), "-o", str(out))
    assert view.returncode == 0, view.stderr
    assert page.is_file()


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (bytes(range(256)) * 4, "gazetteer is binary data, not text (NUL at byte 0)"),
        ("会计法\t法律\n".encode("gb18030"), "gazetteer is not UTF-8 (byte 0)"),
    ],
)
def test_kg_extract_with_a_bad_gazetteer_is_one_line(
    tmp_path: Path, data: bytes, says: str
) -> None:
    gazetteer = tmp_path / "laws.tsv"
    gazetteer.write_bytes(data)
    done = _kg("extract", "--gazetteer", str(gazetteer),
               str(CORPUS / "sanmen-2023.txt"))
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        f"kg: {gazetteer}: {says} (save it as UTF-8 TSV)"]


def test_kg_extract_reads_a_file_whose_name_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / os.fsdecode(b"luo\xff.txt")
    path.write_text(SANMEN, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "kg", "extract", "--format", "json",
                           os.fsencode(path)], capture_output=True, timeout=600,
                          check=False, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    notice = json.loads(done.stdout)
    assert notice["source"].endswith("luo\\xff.txt")
    assert notice["id"].startswith("luo_xff-")


@pytest.mark.parametrize(
    "name", ["notices/sanmen-2023.ttl", "notices/sanmen-2023.json"])
def test_a_folder_in_place_of_a_notice_file_is_one_line(
    two: Path, tmp_path: Path, name: str
) -> None:
    out = tmp_path / "out"
    (out / name).mkdir(parents=True)
    (out / name / "keep.txt").write_bytes(b"the user's file")
    done = _kg("build", "--no-html", "-o", str(out), str(two))
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"kg: {out / name}: cannot write (Is a directory); check the free space and "
        "the permissions of the output folder"]
    assert (out / name / "keep.txt").read_bytes() == b"the user's file"
    assert not list(out.rglob(".*.tmp"))
