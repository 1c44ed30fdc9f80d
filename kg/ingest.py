"""Files → `Source`: the only stage that changes the text.

Reads one input file (a regular file only, within size and cost bounds),
refuses the document and image formats kg cannot read, and chooses the
reader: `kg.decode` turns the bytes into text, `kg.webpage` reduces a saved
web page to its notice, and web-page chrome lines (无障碍浏览, 关闭窗口 …) are
dropped from any text, as are blank lines. Every span downstream is an offset
into the text produced here.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from kg.decode import (
    MAX_COMBINING_RUN,
    check_combining_runs,
    declared_charset,
    decode,
    looks_like_markup,
    normalise,
)
from kg.errors import InputError, LimitError
from kg.model import Source
from kg.noticeid import shown_path
from kg.webpage import (
    HTML_SUFFIXES,
    MAX_HTML_DEPTH,
    looks_like_html,
    page_text,
    without_chrome,
)

# MAX_COMBINING_RUN and MAX_HTML_DEPTH are bounds of kg.decode and
# kg.webpage, named here with the other limits of reading a file.
__all__ = [
    "CONVERT_HINT",
    "MAX_COMBINING_RUN",
    "MAX_HTML_DEPTH",
    "MAX_NOTICE_CHARS",
    "UNSUPPORTED_SUFFIXES",
    "open_input",
    "read_source",
    "source_from_bytes",
    "source_from_text",
]

# A file this big is no single notice, even as a web page with inline images;
# reading it whole would only exhaust the memory of a worker.
MAX_FILE_BYTES = 64 * 1024 * 1024
_SPLIT = "split it into one file per notice"
# Cost bounds, checked before the step whose cost they bound (a message
# names each). The longest corpus notice has 18,512 characters. A text fifty
# times longer is a collection, not one notice, and extracting it as one
# takes minutes and gigabytes (a 20 MB single-line file: 260 s and 2.2 GB);
# counted before NFC normalisation, which is itself the next cost.
MAX_NOTICE_CHARS = 1_000_000
CONVERT_HINT = "convert it to text or HTML first"
_GIVE_TEXT = "put the notice's text in it, or leave the file out"

# --- public API ------------------------------------------------------------


def read_source(path: str | Path) -> Source:
    """Read and decode one input file (plain text or a saved web page)."""
    with open_input(path) as handle:
        _check_size(os.fstat(handle.fileno()).st_size, str(path))
        data = handle.read()
    # The source names its file as text: a name whose bytes are not UTF-8
    # goes into JSON, RDF and messages with \xNN escapes.
    return source_from_bytes(data, shown_path(str(path)))


def source_from_text(text: str, path: str | None = None) -> Source:
    """A `Source` for text given directly (already decoded, never HTML)."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as err:
        raise InputError(
            path,
            f"text has an unpaired surrogate at character {err.start}",
            "pass text decoded without errors='surrogateescape'",
        ) from None
    if not text:
        raise InputError(path, "empty text", _GIVE_TEXT)
    _check_size(len(data), path)
    _check_text_cost(text, path)
    normalised, warnings = normalise(text)
    body = _notice_lines(path, normalised)
    return Source(
        text=body,
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding="utf-8",
        media_type="text/plain",
        warnings=tuple(warnings),
    )


def source_from_bytes(
    data: bytes, path: str | None = None, media_type: str | None = None
) -> Source:
    """Decode raw input; `media_type` (text/html, text/plain) overrides sniffing."""
    suffix = Path(path).suffix.lower() if path else ""
    _reject_unsupported(data, path, suffix)
    if not data:
        raise InputError(path, "empty file", _GIVE_TEXT)
    _check_size(len(data), path)
    html_hint = media_type == "text/html" or suffix in HTML_SUFFIXES
    declared = (
        declared_charset(data) if html_hint or looks_like_markup(data) else None
    )
    text, encoding, warnings = decode(data, path, declared)
    if media_type is not None:
        is_html = media_type == "text/html"
    else:
        is_html = html_hint or looks_like_html(text)
    metadata: tuple[tuple[str, str], ...] = ()
    if is_html:
        text, metadata = page_text(text, path)
    _check_text_cost(text, path)
    normalised, more_warnings = normalise(text)
    warnings.extend(more_warnings)
    return Source(
        text=_notice_lines(path, normalised),
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        media_type="text/html" if is_html else "text/plain",
        metadata=metadata,
        warnings=tuple(warnings),
    )


def _notice_lines(path: str | None, text: str) -> str:
    """The normalised text without blank lines and web-page chrome lines."""
    if not text.strip():
        raise InputError(path, "no text, only whitespace", _GIVE_TEXT)
    return without_chrome(path, text)


# --- reading ---------------------------------------------------------------


def _check_size(size: int, path: str | None) -> None:
    if size > MAX_FILE_BYTES:
        raise InputError(
            path,
            f"too big for one notice ({size / 2**20:.1f} MB; "
            f"kg reads files up to {MAX_FILE_BYTES // 2**20} MB)",
            _SPLIT,
        )


def _check_text_cost(text: str, path: str | None) -> None:
    """`LimitError` for a text longer than `MAX_NOTICE_CHARS` or with a run of
    more than `MAX_COMBINING_RUN` combining marks, in time linear in the text."""
    if len(text) > MAX_NOTICE_CHARS:
        raise LimitError(
            path,
            f"too long for one notice ({len(text):,} characters; "
            f"kg reads notices of up to {MAX_NOTICE_CHARS:,})",
            _SPLIT,
        )
    check_combining_runs(text, path)


# What a path that is not a regular file is, by stat.S_IFMT (POSIX <sys/stat.h>).
_FILE_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}


@contextlib.contextmanager
def open_input(path: str | Path) -> Iterator[BinaryIO]:
    """An input file opened for binary reading; `InputError` when `path` is
    not a readable regular file, also for a read error inside the block.

    Opened without blocking and checked with fstat before any read: a named
    pipe would otherwise wait for a writer forever, and a device could be read
    without end."""
    where = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        if os.path.islink(path):
            raise InputError(
                where,
                f"dangling symbolic link to {os.readlink(path)}",
                "point the link at an existing file or remove it",
            ) from None
        raise InputError(where, "no such file", "check the path") from None
    except OSError as err:
        raise _unreadable(where, err) from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = _FILE_KINDS.get(stat.S_IFMT(mode), "not a regular file")
        hint = (
            "give the notice files in it"
            if stat.S_ISDIR(mode)
            else "give notices as .txt or .html files"
        )
        raise InputError(where, f"is {kind}, not a file", hint)
    with os.fdopen(fd, "rb") as handle:
        try:
            yield handle
        except OSError as err:
            raise _unreadable(where, err) from None


def _unreadable(where: str, err: OSError) -> InputError:
    if err.errno == errno.ELOOP:
        return InputError(
            where,
            "symbolic link loop: it leads back to itself",
            "point the link at a file or remove it",
        )
    if isinstance(err, PermissionError):
        return InputError(
            where,
            "cannot read: permission denied",
            "make it readable (chmod +r) or leave it out",
        )
    return InputError(
        where,
        f"cannot read: {err.strerror or err}",
        "check the disk or copy the file elsewhere",
    )


# --- file types we cannot read ---------------------------------------------

# Documents and images a notice is often published as: kg cannot read them,
# but a conversion to text can (CONVERT_HINT).
UNSUPPORTED_SUFFIXES = {
    ".pdf": "PDF",
    ".ofd": "OFD",
    ".doc": "DOC",
    ".docx": "DOCX",
    ".wps": "WPS",
    ".xls": "XLS",
    ".xlsx": "XLSX",
    ".et": "WPS spreadsheet",
    ".ppt": "PPT",
    ".pptx": "PPTX",
    ".odt": "ODT",
    ".rtf": "RTF",
    ".caj": "CAJ",
    ".png": "PNG image",
    ".jpg": "JPEG image",
    ".jpeg": "JPEG image",
    ".gif": "GIF image",
    ".bmp": "BMP image",
    ".tif": "TIFF image",
    ".tiff": "TIFF image",
    ".webp": "WebP image",
    ".zip": "ZIP",
    ".rar": "RAR",
    ".7z": "7Z",
    ".gz": "GZIP",
}

# File signatures as listed in Gary Kessler's "File Signatures Table".
_MAGIC = (
    (b"%PDF-", "PDF"),
    (b"PK\x03\x04", "ZIP container: DOCX, XLSX, OFD or ZIP"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE container: DOC, XLS or WPS"),
    (b"{\\rtf", "RTF"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"Rar!\x1a\x07", "RAR"),
    (b"7z\xbc\xaf\x27\x1c", "7Z"),
    (b"\x1f\x8b", "GZIP"),
)


def _reject_unsupported(data: bytes, path: str | None, suffix: str) -> None:
    kind = UNSUPPORTED_SUFFIXES.get(suffix)
    if kind is None:
        kind = next((k for magic, k in _MAGIC if data.startswith(magic)), None)
    if kind is not None:
        raise InputError(path, f"unsupported file type ({kind})", CONVERT_HINT)

