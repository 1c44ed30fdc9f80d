"""kg/dumps.py: graph.trig and graph.ttl after a build and after rebuilds
that patch them in place, byte for byte those a whole write gives."""

from __future__ import annotations

import contextlib
import json
import re
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.build import CACHE_FILE, build_corpus
from kg.buildcache import read_cache
from kg.dumps import BLOCK, DUMPS, INDEX, write_dumps
from kg.store import Store

CORPUS = Path(__file__).resolve().parents[1] / "examples" / "notices"


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path]:
    """(inputs, output folder) of a build of the example notices."""
    folder = tmp_path / "in"
    folder.mkdir()
    for path in CORPUS.glob("*.txt"):
        shutil.copyfile(path, folder / path.name)
    out = tmp_path / "out"
    _build(folder, out)
    return folder, out


def _build(folder: Path, out: Path) -> None:
    build_corpus([folder], out, jobs=1, prune=False, gazetteers=[],
                 progress=False, html=False)


def _dumps(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in DUMPS}


def _whole(out: Path) -> dict[str, bytes]:
    """The dumps a whole write of the same store and notice files gives."""
    _, records = read_cache(out / CACHE_FILE)
    (out / INDEX).unlink()
    with contextlib.closing(Store(out / "store", read_only=True)) as store:
        write_dumps(store, records, out)
    return _dumps(out)


def _inodes(out: Path) -> list[int]:
    return [(out / name).stat().st_ino for name in DUMPS]


def test_a_small_change_patches_the_dumps_in_place_as_a_whole_write_would(
        built: tuple[Path, Path]) -> None:
    folder, out = built
    inodes = _inodes(out)
    victim = folder / "luozhuang-2021.txt"
    victim.write_bytes(victim.read_bytes() + "\n(更正)".encode())
    _build(folder, out)
    assert _inodes(out) == inodes  # patched, not written again
    patched = _dumps(out)
    assert "(更正)" in patched["graph.trig"].decode("utf-8")
    assert patched == _whole(out)


def _shifts_blocks(folder: Path) -> bool:
    """The file system under `folder` puts blocks into a file (fallocate)."""
    from kg.dumps import _INSERT_RANGE, _fallocate

    probe = folder / "probe"
    probe.write_bytes(b"x" * 2 * BLOCK)
    try:
        with open(probe, "r+b") as handle:
            _fallocate(handle.fileno(), _INSERT_RANGE, BLOCK, BLOCK)
    except (OSError, AttributeError):
        return False
    finally:
        probe.unlink()
    return True


@pytest.mark.parametrize("change", ["shrinks", "grows"])
def test_a_notice_needing_other_blocks_moves_what_follows_as_a_whole_write_would(
        built: tuple[Path, Path], tmp_path: Path, change: str) -> None:
    folder, out = built
    inodes = _inodes(out)
    victim = folder / "luozhuang-2021.txt"
    text = victim.read_text(encoding="utf-8")
    text = text[: len(text) // 2] if change == "shrinks" else text + text[-3000:]
    victim.write_text(text, encoding="utf-8")
    before = (out / "graph.trig").stat().st_size
    _build(folder, out)
    after = (out / "graph.trig").stat().st_size
    assert after < before if change == "shrinks" else after > before
    # In place where the file system shifts blocks, else written whole.
    assert (_inodes(out) == inodes) == _shifts_blocks(tmp_path)
    assert _dumps(out) == _whole(out)


def test_dumps_changed_by_hand_are_written_whole(built: tuple[Path, Path]) -> None:
    folder, out = built
    with open(out / "graph.ttl", "ab") as handle:
        handle.write(b"<urn:x:a> <urn:x:b> <urn:x:c> .\n")
    victim = folder / "luozhuang-2021.txt"
    victim.write_bytes(victim.read_bytes() + "\n(更正)".encode())
    _build(folder, out)
    assert b"urn:x:a" not in (out / "graph.ttl").read_bytes()
    assert _dumps(out) == _whole(out)


def test_each_notice_graph_starts_a_block_and_the_dumps_hold_the_stores_quads(
        built: tuple[Path, Path]) -> None:
    folder, out = built
    victim = folder / "sanmen-2023.txt"
    victim.write_bytes(victim.read_bytes() + "\n(更正)".encode())
    _build(folder, out)
    trig = (out / "graph.trig").read_bytes()
    starts = [m.start() for m in re.finditer(rb"^<[^>\n]*/notice/[^>\n]*> \{$", trig,
                                             re.MULTILINE)]
    assert len(starts) == len(list(folder.glob("*.txt")))
    assert [start % BLOCK for start in starts[1:]] == [0] * (len(starts) - 1)
    report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
    quads = list(ox.parse(path=str(out / "graph.trig"), format=ox.RdfFormat.TRIG))
    assert len(quads) == report["totals"]["quads"]
    union = ox.parse(path=str(out / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    assert ({(t.subject, t.predicate, t.object) for t in union}
            == {(q.subject, q.predicate, q.object) for q in quads})
