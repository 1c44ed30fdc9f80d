"""The whole-corpus dumps of `kg build`: graph.trig (every graph as itself)
and graph.ttl (the union of the graphs).

They are assembled from the Turtle file of each notice, which the workers
wrote already, and the store's other graphs (ontology, build, summary).
Copying files instead of serialising the store again keeps a one-file
rebuild from re-serialising the whole corpus (37 s of a 50 s build of 1,000
notices). A Turtle body is the triples block of a TriG graph (TriG §2.2)
with the same prefixes; a header that differs is written again where it
changes, which both syntaxes allow.

Each notice graph takes a whole number of 4 KiB blocks in each dump (its
block, then spaces and a line break: whitespace to both syntaxes), the
notices sorted by graph IRI, then the other graphs. So a rebuild in which
some notices changed rewrites only those notices' blocks in place, and the
other graphs after them, instead of the 2 × 2.2 GB of 10,000 notices (9–14 s
of a one-file rebuild, most of it waiting on the disk); a notice that needs
more or fewer blocks than it had has blocks put in or taken out where it is
(fallocate(2) on Linux, ext4 and XFS), what follows moving without being
copied. `.kg-dumps.json` says where each notice's blocks are and which
Turtle file they were made from (its inode, size and time); the bytes are
those a whole write of the same graphs gives, and whatever the patch cannot
do (a notice added or gone, blocks a file system cannot shift, dumps that
are not those the index describes) is done by a whole write, which goes to
temporary files renamed into place. The index is removed before a patch
and written after it: a build killed in the milliseconds of a patch leaves
dumps the next build cannot patch, so it writes them whole.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import sys
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from kg.buildcache import Record
from kg.store import Store, atomic_path
from kg.writer import notice_file, write_bytes

DUMPS = ("graph.trig", "graph.ttl")
INDEX = ".kg-dumps.json"
BLOCK = 4096  # a notice's share of each dump is a whole number of these
_FORMAT = 1


class _Unit(NamedTuple):
    """A notice graph's place in the dumps, in order."""

    graph: str
    stamp: str  # of the Turtle file it was made from (`_stamp`)
    header: str  # digest of that file's prefixes
    trig: int  # bytes it takes in graph.trig (whole blocks)
    ttl: int  # and in graph.ttl


def write_dumps(store: Store, records: Mapping[str, Record], out: Path,
                graphs: Sequence[str] | None = None) -> None:
    """graph.trig and graph.ttl in `out`, of the notices of `records` and the
    store's other graphs (`graphs`: the store's, when the caller has them).
    The union Turtle writes a triple stated in several graphs once per graph
    (a parser reads the repeats as one triple)."""
    dumps_of(store, records, out, graphs).write()


class Dumps(NamedTuple):
    """What graph.trig and graph.ttl are made of, read from the store: the
    dumps can then be written once the store is closed, while the pages are
    rendered (kg.build), from files alone."""

    out: Path
    files: list[tuple[str, Path]]  # (graph IRI, its Turtle file), in order
    others: list[tuple[str, bytes]]  # (graph IRI, its Turtle), after them

    def write(self) -> None:
        """Patch the dumps in place, or write them whole (module docstring)."""
        index = _read_index(self.out)
        if index is None or not _patch(index, self.files, self.others, self.out):
            _write_whole(self.files, self.others, self.out)


def dumps_of(store: Store, records: Mapping[str, Record], out: Path,
             graphs: Sequence[str] | None = None) -> Dumps:
    """The dumps in `out` of the notices of `records` and the store's other
    graphs (`graphs`: the store's, when the caller has them), not written."""
    notices = sorted((r.graph, r.notice_id) for r in records.values()
                     if r.graph is not None)
    files = [(graph, notice_file(out, notice_id, ".ttl"))
             for graph, notice_id in notices]
    named = {graph for graph, _ in notices}
    others = [(graph, store.graph_turtle(graph))
              for graph in (store.graphs() if graphs is None else graphs)
              if graph not in named]
    return Dumps(out, files, others)


def remove_dumps(out: Path) -> None:
    """Remove the dumps of an earlier build: a build without them would leave
    them describing another corpus."""
    (out / INDEX).unlink(missing_ok=True)
    for name in DUMPS:
        (out / name).unlink(missing_ok=True)


def _write_whole(files: list[tuple[str, Path]], others: list[tuple[str, bytes]],
                 out: Path) -> None:
    (out / INDEX).unlink(missing_ok=True)
    units: list[_Unit] = []
    header = b""
    with ExitStack() as stack:
        trig, ttl = (stack.enter_context(open(stack.enter_context(atomic_path(
            out / name)), "wb")) for name in DUMPS)
        for graph, path in files:
            stamp = _stamp(path)
            text = path.read_bytes()
            body_at = _after_prefixes(text)
            trig_unit, ttl_unit = _units(graph, text, body_at, header)
            header = text[:body_at]
            _write_parts(trig, trig_unit)
            _write_parts(ttl, ttl_unit)
            units.append(_Unit(graph, stamp, _digest(header), _size(trig_unit),
                               _size(ttl_unit)))
        _write_others(trig, ttl, others, header)
    _save_index(out, units, header)


def _patch(index: dict[str, Any], files: list[tuple[str, Path]],
           others: list[tuple[str, bytes]], out: Path) -> bool:
    """Rewrite in place the blocks of the notices whose Turtle files changed
    and the other graphs after them; False, having written nothing, when
    the dumps are not those `index` describes, or when a changed notice no
    longer fits its blocks where blocks cannot be inserted or taken out
    (and after such a shift failed, the index gone)."""
    old = [_Unit(*unit) for unit in index["units"]]
    if ([unit.graph for unit in old] != [graph for graph, _ in files]
            or index.get("files") != _file_stamps(out)):
        return False
    changes: list[tuple[_Unit, int, list[bytes], int, list[bytes]]] = []
    units: list[_Unit] = []
    trig_at = ttl_at = 0
    for (graph, path), unit in zip(files, old, strict=True):
        stamp = _stamp(path)
        if stamp != unit.stamp:
            text = path.read_bytes()
            body_at = _after_prefixes(text)
            if _digest(text[:body_at]) != unit.header:
                return False
            # The header is written where it differs from the one before,
            # which no changed notice changed.
            same = bool(units) and units[-1].header == unit.header
            before = text[:body_at] if same else b""
            trig_unit, ttl_unit = _units(graph, text, body_at, before)
            changes.append((unit, trig_at, trig_unit, ttl_at, ttl_unit))
            unit = unit._replace(stamp=stamp, trig=_size(trig_unit),
                                 ttl=_size(ttl_unit))
        units.append(unit)
        trig_at, ttl_at = trig_at + unit.trig, ttl_at + unit.ttl
    resized = any((_size(trig), _size(ttl)) != (unit.trig, unit.ttl)
                  for unit, _, trig, _, ttl in changes)
    if resized and not (sys.platform.startswith("linux") and others):
        return False
    header = str(index["header"]).encode("utf-8")
    (out / INDEX).unlink()
    with open(out / DUMPS[0], "r+b") as trig, open(out / DUMPS[1], "r+b") as ttl:
        try:
            # From the end: a shift moves only what comes after it.
            for unit, trig_offset, trig_unit, ttl_offset, ttl_unit in reversed(changes):
                _replace_blocks(trig.fileno(), trig_offset, unit.trig, trig_unit)
                _replace_blocks(ttl.fileno(), ttl_offset, unit.ttl, ttl_unit)
        except OSError:  # the file system cannot shift blocks: write whole
            return False
        for handle, at in ((trig, trig_at), (ttl, ttl_at)):
            handle.seek(at)
            handle.truncate()
        _write_others(trig, ttl, others, header)
    _save_index(out, units, header)
    return True


# fallocate(2) modes (linux/falloc.h): take whole blocks out of a file, or
# put empty ones in, moving what follows (ext4 and XFS; others refuse).
_COLLAPSE_RANGE, _INSERT_RANGE = 0x08, 0x20


def _replace_blocks(fd: int, offset: int, length: int, parts: list[bytes]) -> None:
    """The `length` bytes at `offset` (whole blocks) replaced by `parts`
    (whole blocks), what follows moved up or down by the difference."""
    data = b"".join(parts)
    if len(data) > length:
        _fallocate(fd, _INSERT_RANGE, offset + length, len(data) - length)
    elif len(data) < length:
        _fallocate(fd, _COLLAPSE_RANGE, offset + len(data), length - len(data))
    os.pwrite(fd, data, offset)


def _fallocate(fd: int, mode: int, offset: int, length: int) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.fallocate.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_longlong,
                               ctypes.c_longlong]
    if libc.fallocate(fd, mode, offset, length) != 0:
        error = ctypes.get_errno()
        raise OSError(error, os.strerror(error))


def _units(graph: str, text: bytes, body_at: int, header: bytes
           ) -> tuple[list[bytes], list[bytes]]:
    """A notice's parts of graph.trig and graph.ttl, each padded to whole
    blocks; its prefixes first unless they are `header`, those in effect."""
    body = memoryview(text)[body_at:]
    prefixes = text[:body_at] if text[:body_at] != header else b""
    trig = [prefixes, b"<" + graph.encode() + b"> {\n", body, b"}\n"]
    ttl = [prefixes, body]
    return _padded(trig), _padded(ttl)


def _padded(parts: list[bytes]) -> list[bytes]:
    short = -_size(parts) % BLOCK
    if short:
        parts.append(b" " * (short - 1) + b"\n")
    return parts


def _size(parts: list[bytes]) -> int:
    return sum(len(part) for part in parts)


def _write_parts(handle: BinaryIO, parts: list[bytes]) -> None:
    for part in parts:
        handle.write(part)


def _write_others(trig: BinaryIO, ttl: BinaryIO, others: list[tuple[str, bytes]],
                  header: bytes) -> None:
    """The graphs that are not notices, after the notices' blocks."""
    for graph, text in others:
        body_at = _after_prefixes(text)
        if text[:body_at] != header:
            header = text[:body_at]
            trig.write(header)
            ttl.write(header)
        trig.write(b"<" + graph.encode() + b"> {\n")
        trig.write(memoryview(text)[body_at:])
        trig.write(b"}\n")
        ttl.write(memoryview(text)[body_at:])


def _read_index(out: Path) -> dict[str, Any] | None:
    try:
        index = json.loads((out / INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(index, dict) or index.get("format") != _FORMAT:
        return None
    return index


def _save_index(out: Path, units: list[_Unit], header: bytes) -> None:
    write_bytes(out / INDEX, json.dumps({
        "format": _FORMAT, "header": header.decode("utf-8"),
        "files": _file_stamps(out), "units": units}).encode("utf-8"))


def _file_stamps(out: Path) -> list[str]:
    """What tells the dumps are those the index was saved with."""
    return [_stamp(out / name) for name in DUMPS]


def _stamp(path: Path) -> str:
    """Inode, size and modification time of a file ("" when it is missing):
    a build replaces a notice's Turtle file whenever its graph changes."""
    try:
        status = path.stat()
    except OSError:
        return ""
    return f"{status.st_ino}:{status.st_size}:{status.st_mtime_ns}"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def _after_prefixes(turtle: bytes) -> int:
    """Where the @prefix lines that open a Turtle document end."""
    position = 0
    while turtle.startswith(b"@prefix ", position):
        position = turtle.index(b"\n", position) + 1
    return position
