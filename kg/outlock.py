"""One writer per output folder: the lock a build holds on ``out/`` from its
first read of the cache to its last page, and that `kg view` and `kg push`
hold shared while they read.

The store's own RocksDB lock covers only the store, and a build lets go of it
before it writes the pages; a second build in that gap (or a `--prune`
between two steps of the first) left a report, a store and pages that
describe different corpora. This lock is an advisory ``flock`` on
``out/.kg-lock``: the kernel drops it when the process ends however it
ends (SIGKILL included), so a killed build never leaves the folder locked,
and it is taken without waiting, so a second run says at once what holds
the folder instead of hanging.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from kg.errors import OutputBusyError, OutputError

LOCK_FILE = ".kg-lock"
_held: set[Path] = set()  # the folders this process holds for writing


@contextlib.contextmanager
def writing(out: Path) -> Iterator[None]:
    """Hold `out` for a build: no other build, view or push at the same time.
    Creates `out` if need be; `OutputBusyError` when another kg holds it."""
    require_folder(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a parent is a file
        raise OutputError(f"{out}: a parent of the output folder is a file, not a "
                          "folder (give -o a folder path)") from None
    except NotADirectoryError:
        raise OutputError(f"{out}: a parent of the output folder is a file, not a "
                          "folder (give -o a folder path)") from None
    except OSError as error:
        raise OutputError(f"{out}: cannot create the output folder "
                          f"({error.strerror or error})") from None
    fd = _open(out, create=True)
    assert fd is not None  # create=True: raises instead of returning None
    try:
        _take(fd, fcntl.LOCK_EX, out, (
            "another kg command is using this output folder (a kg build writing "
            "it, or kg view or kg push reading it); wait for it to finish, then "
            "run this build again"))
        _held.add(out.resolve())
        yield
    finally:
        _held.discard(out.resolve())
        os.close(fd)  # closing the only descriptor releases the lock


@contextlib.contextmanager
def reading(out: Path) -> Iterator[None]:
    """Hold `out` for reading: builds wait until the reader is done (they
    fail with a message), readers run side by side. A folder without a lock
    file that cannot take one (read-only, or never built) is read unlocked:
    no build can be writing it."""
    fd = _open(out, create=False)
    if fd is None:
        yield
        return
    try:
        _take(fd, fcntl.LOCK_SH, out, (
            "a kg build is writing this output folder; wait for it to finish, "
            "then try again"))
        yield
    finally:
        os.close(fd)


def held_here(out: Path) -> bool:
    """Whether this process holds `out` for writing (a build in it)."""
    return out.resolve() in _held


def build_running(out: Path) -> bool:
    """Whether a kg build holds `out` now (a shared lock is refused), this
    process's own build included."""
    fd = _open(out, create=False)
    if fd is None:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)
    return False


def require_folder(out: Path) -> None:
    """`OutputError` when `out` exists and is not a folder."""
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: is a file, not a folder (give -o a folder, or "
                          "remove or rename the file)")


def _open(out: Path, *, create: bool) -> int | None:
    path = out / LOCK_FILE
    flags = os.O_RDWR | os.O_CLOEXEC | (os.O_CREAT if create else 0)
    try:
        return os.open(path, flags, 0o666)
    except FileNotFoundError:
        if create:
            raise OutputError(f"{out}: cannot create {LOCK_FILE} in the output "
                              "folder") from None
        return None
    except IsADirectoryError:
        raise OutputError(f"{path}: is a folder where kg keeps its lock file "
                          "(remove or rename it)") from None
    except PermissionError:
        try:  # a read-only folder: flock needs only read access
            return os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        except OSError:
            if not create:
                return None
        raise OutputError(f"{out}: cannot write the output folder (permission "
                          "denied; make it writable or give another -o)") from None
    except OSError as error:
        if not create and error.errno in (errno.EROFS, errno.ENOTDIR):
            return None
        raise OutputError(f"{path}: cannot open the lock file "
                          f"({error.strerror or error})") from None


def _take(fd: int, kind: int, out: Path, busy: str) -> None:
    try:
        fcntl.flock(fd, kind | fcntl.LOCK_NB)
    except BlockingIOError:
        raise OutputBusyError(f"{out}: {busy}") from None
    except OSError as error:
        if error.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
            raise OutputBusyError(f"{out}: {busy}") from None
        raise OutputError(f"{out}: cannot lock the output folder "
                          f"({error.strerror or error})") from None
