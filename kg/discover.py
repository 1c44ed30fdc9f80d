"""The inputs of `kg build`: the notice files under the paths given, each
hashed and given a notice id no other notice has.

    paths ─find_inputs─▶ files (sorted, each once) ─identify─▶ `Input`s

What cannot be read as a notice (a missing path, an unsupported type, a
symbolic link loop, a duplicate of another file's bytes) becomes a report
entry instead (`kg.buildreport.FileEntry`), and the build goes on.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from kg.buildcache import ORPHAN_KEY, Hashed, Record, Stat, cache_key
from kg.buildreport import FileEntry, FileState
from kg.errors import InputError
from kg.ingest import CONVERT_HINT, UNSUPPORTED_SUFFIXES, open_input
from kg.noticeid import HASH_DIGITS, id_key, path_hash, shown_path, stem_id

SUFFIXES = (".txt", ".htm", ".html")
# A file modified this close to the moment its stat was taken is hashed again
# next time, whatever its stat: a write in the same tick of the file system's
# clock, of the same size, would leave the stat as it was ("racy git").
_SETTLED_NS = 2_000_000_000


@dataclasses.dataclass(frozen=True, slots=True)
class Input:
    """A notice file to build, or to find unchanged."""

    path: str  # as given, or found under a folder given
    key: str  # absolute path (kg.buildcache.cache_key), the same from any folder
    sha256: str
    notice_id: str
    id_note: str = ""  # why notice_id is not the file stem
    # (size, mtime_ns, inode) taken before it was hashed; None when the file
    # was too freshly modified for the stat to vouch for its bytes next time.
    stat: Stat | None = None


def find_inputs(
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
                    str(child), FileState.FAILED,
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
        return FileEntry(str(path), FileState.FAILED,
                         "no such file or folder (check the path)")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        hint = (CONVERT_HINT if suffix in UNSUPPORTED_SUFFIXES
                else "rename it to .txt if it is a notice's text")
        return FileEntry(str(path), FileState.SKIPPED,
                         f"unsupported type ({suffix or 'no suffix'}); "
                         f"kg reads .txt, .htm and .html ({hint})")
    return None


def held_ids(
    records: Mapping[str, Record], candidates: list[tuple[str, str]], prune: bool,
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
        if record.graph is None or key.startswith(ORPHAN_KEY):
            continue
        if key not in given:
            if not prune:
                held[id_key(record.notice_id)] = (
                    key, f"{shown_path(record.path)} (a notice of an earlier "
                    "build, still in the store)")
        elif _derived_from(record.notice_id, stem_id(given[key])[0]):
            held.setdefault(id_key(record.notice_id),
                            (key, shown_path(given[key])))
    return held


def _derived_from(notice_id: str, stem: str) -> bool:
    """`notice_id` is `stem`, or `stem` and a hash (`identify`)."""
    return notice_id == stem or re.fullmatch(
        re.escape(stem) + r"-[0-9a-f]{8,}", notice_id) is not None


def identify(
    candidates: list[tuple[str, str]], entries: list[FileEntry],
    held: dict[str, tuple[str, str]], hashed: Mapping[str, Hashed] | None = None,
) -> list[Input]:
    """Hash each file (unless `hashed`, input key → (stat, sha256) as the
    last build hashed it, has its stat as it is now: then that sha256), skip
    repeated contents, and give each notice an id no
    other notice has, in this build or in the store (`held`), compared
    NFC-normalised and case-folded: the cleaned file stem (`kg.noticeid`), or,
    for an id taken, the stem and a hash of the file's absolute path
    (a longer hash if even that is taken). What is not a notice to build is
    added to `entries`."""
    first_with: dict[str, str] = {}  # sha256 → path
    taken = dict(held)  # id_key → (input key, who)
    todo: list[Input] = []
    for path, key in candidates:
        try:
            digest, stat = _hash(Path(path), (hashed or {}).get(key))
        except InputError as error:
            entries.append(FileEntry(path, FileState.FAILED, error.without_path))
            continue
        if digest in first_with:
            entries.append(FileEntry(path, FileState.SKIPPED,
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
        todo.append(Input(path, key, digest, notice_id, note, stat))
    return todo


def _hash(path: Path, known: Hashed | None) -> tuple[str, Stat | None]:
    """The sha256 of `path` (that of `known` when the file's stat is its),
    and the stat taken before it was read, if it can vouch for the bytes
    next time: any write after it changes the modification time."""
    try:
        status = path.stat()
    except OSError:
        return _sha256(path), None  # open_input says what is wrong, or reads it
    stat = (status.st_size, status.st_mtime_ns, status.st_ino)
    if known is not None and known[0] == stat:
        return known[1], stat
    settled = status.st_mtime_ns < time.time_ns() - _SETTLED_NS
    return _sha256(path), stat if settled else None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open_input(path) as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
