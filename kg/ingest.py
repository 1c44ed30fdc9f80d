"""Bytes → `Source`: the only stage that changes the text.

Decodes (UTF-8 with or without BOM, UTF-16 with BOM, GB18030/GBK), reduces a
web page to its notice body, drops web-page chrome lines (无障碍浏览, 关闭窗口 …)
and normalises (LF line ends, NFC, no zero-width characters, no trailing
spaces, no blank lines). Every span downstream is an offset into the text produced here.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import hashlib
import os
import re
import stat
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from selectolax.lexbor import LexborHTMLParser, LexborNode

from kg.errors import InputError, LimitError
from kg.model import Source
from kg.noticeid import shown_path

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
# NFC sorts each run of combining marks (canonical ordering), in time
# quadratic in the run: 100,000 marks after one letter took 18.8 s, 200,000
# 68.9 s. Unicode's Stream-Safe Text Format (UAX #15 §13) allows 30 in a row;
# no Chinese text has more than two.
MAX_COMBINING_RUN = 30
# Nesting of HTML elements: the page's metadata tables and chrome are found
# by walking up and taking the text of each element, quadratic in the depth
# (20,000 nested tables, 1 MB: 101 s and 1.25 GB). Blink's HTML parser nests
# at most 512 deep; saved government pages nest under 40.
MAX_HTML_DEPTH = 512
_SAVE_AS_TEXT = "save it as UTF-8 text"
CONVERT_HINT = "convert it to text or HTML first"
_GIVE_TEXT = "put the notice's text in it, or leave the file out"
_SAVE_PAGE = "save the page that shows the notice, or copy the notice into a .txt file"

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
    normalised, warnings = _normalise(text)
    body = _without_chrome(path, normalised)
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
    html_hint = media_type == "text/html" or suffix in _HTML_SUFFIXES
    declared = (
        _declared_charset(data) if html_hint or _looks_like_markup(data) else None
    )
    text, encoding, warnings = _decode(data, path, declared)
    if media_type is not None:
        is_html = media_type == "text/html"
    else:
        is_html = html_hint or _sniff_html(text)
    metadata: tuple[tuple[str, str], ...] = ()
    if is_html:
        text, metadata = _page_text(text, path)
    _check_text_cost(text, path)
    normalised, more_warnings = _normalise(text)
    warnings.extend(more_warnings)
    return Source(
        text=_without_chrome(path, normalised),
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        media_type="text/html" if is_html else "text/plain",
        metadata=metadata,
        warnings=tuple(warnings),
    )


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
    _check_combining_runs(text, path)


# Characters that are never combining marks (tests/test_reliability.py
# checks each against unicodedata): ASCII and Latin below U+0300, CJK
# punctuation, ideographs, hangul syllables and the full-width forms. A run of
# other characters is a candidate run of marks, looked at one by one.
NEVER_COMBINING = (
    "\x00-\u02ff\u3000-\u3029\u3030-\u3098\u309b-\u30ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uff00-\uffef"
)
_MAYBE_COMBINING_RUN = re.compile(
    f"[^{NEVER_COMBINING}]{{{MAX_COMBINING_RUN + 1},}}"
)


def _check_combining_runs(text: str, path: str | None) -> None:
    for candidate in _MAYBE_COMBINING_RUN.finditer(text):
        run = 0
        for offset, char in enumerate(candidate.group()):
            run = run + 1 if unicodedata.combining(char) else 0
            if run > MAX_COMBINING_RUN:
                start = candidate.start() + offset - run + 1
                raise LimitError(
                    path,
                    f"more than {MAX_COMBINING_RUN} combining marks in a row at "
                    f"character {start:,} (kg reads at most {MAX_COMBINING_RUN}, "
                    "as Unicode's Stream-Safe Text Format allows)",
                    "remove the stray marks",
                )


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


# --- decoding --------------------------------------------------------------

# C0 controls other than TAB, LF, VT, FF, CR, plus DEL: never part of a text file.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
_CONTROL_BYTE = re.compile(b"[" + re.escape(_CONTROL_BYTES) + b"]")
_CONTROL_CHAR = re.compile("[\x00-\x08\x0e-\x1f\x7f]")


def _decode(
    data: bytes, path: str | None, declared: str | None
) -> tuple[str, str, list[str]]:
    """Text, the encoding used, and warnings; BOM first, then a declared
    charset, then strict UTF-8, then GB18030 (WHATWG "decode" order)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_utf16(data, path)
    if data.startswith(codecs.BOM_UTF8):
        text, cut = _decode_utf8(data, path, start=len(codecs.BOM_UTF8))
        return text, "utf-8-sig", cut
    _reject_binary(data, path)
    warnings: list[str] = []
    if declared is not None:
        try:
            return data.decode(declared), declared, warnings
        except UnicodeDecodeError as err:
            warnings.append(
                f"page declares charset {declared} but byte {err.start} is not "
                f"{declared}; detected the encoding instead"
            )
    try:
        return data.decode("utf-8"), "utf-8", warnings
    except UnicodeDecodeError as err:
        utf8_error = err
    cut_utf8 = _cut_at_end(utf8_error, len(data))
    if cut_utf8 and not data[: utf8_error.start].isascii():
        # Multibyte UTF-8 before the cut proves the encoding: a file cut mid-character.
        text, more = _decode_utf8(data, path)
        return text, "utf-8", warnings + more
    gb = _decode_gb18030(data)
    if gb is not None:
        return gb[0], "gb18030", warnings + gb[1]
    if cut_utf8:
        text, more = _decode_utf8(data, path)
        return text, "utf-8", warnings + more
    bad = data[utf8_error.start]
    raise InputError(
        path,
        "not UTF-8, GB18030 or UTF-16 text "
        f"(invalid byte 0x{bad:02X} at byte {utf8_error.start})",
        _SAVE_AS_TEXT,
    )


def _cut_at_end(err: UnicodeDecodeError, size: int) -> bool:
    """True when the only fault is an incomplete character at the very end."""
    return err.end == size and err.reason in (
        "unexpected end of data",
        "incomplete multibyte sequence",
        "truncated data",
    )


def _truncation_warning(encoding: str, dropped: int) -> str:
    return f"truncated {encoding} sequence at the end dropped ({dropped} bytes)"


def _decode_utf8(
    data: bytes, path: str | None, start: int = 0
) -> tuple[str, list[str]]:
    try:
        return data[start:].decode("utf-8"), []
    except UnicodeDecodeError as err:
        offset = start + err.start
        if not _cut_at_end(err, len(data) - start):
            raise InputError(
                path,
                f"not UTF-8 text (invalid byte 0x{data[offset]:02X} at byte {offset})",
                _SAVE_AS_TEXT,
            ) from None
    text = data[start:offset].decode("utf-8")
    return text, [_truncation_warning("UTF-8", len(data) - offset)]


def _decode_utf16(data: bytes, path: str | None) -> tuple[str, str, list[str]]:
    warnings: list[str] = []
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError as err:
        if not _cut_at_end(err, len(data)):
            raise InputError(
                path,
                f"not UTF-16 text (invalid code unit at byte {err.start})",
                _SAVE_AS_TEXT,
            ) from None
        text = data[: err.start].decode("utf-16")
        warnings.append(_truncation_warning("UTF-16", len(data) - err.start))
    control = _CONTROL_CHAR.search(text)
    if control is not None and _mostly_binary(
        text.count("\x00"), _CONTROL_CHAR.subn("", text)[1], len(text)
    ):
        # BOM + the UTF-16 code units before the offending character.
        offset = 2 + len(text[: control.start()].encode("utf-16-le"))
        raise _binary_error(path, offset)
    return text, "utf-16", warnings


def _reject_binary(data: bytes, path: str | None) -> None:
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if controls and _mostly_binary(data.count(b"\x00"), controls, len(data)):
        match = _CONTROL_BYTE.search(data)
        assert match is not None  # controls > 0
        raise _binary_error(path, match.start())


def _mostly_binary(nuls: int, controls: int, size: int) -> bool:
    """NUL never occurs in text; a stray form feed or DOS end-of-file mark (0x1A)
    does, so other control characters mark binary data only in bulk."""
    return nuls > 0 or controls > max(8, size // 100)


def _binary_error(path: str | None, offset: int) -> InputError:
    return InputError(
        path,
        f"not UTF-8, GB18030 or UTF-16 text (binary data at byte {offset})",
        _SAVE_AS_TEXT,
    )


def _decode_gb18030(data: bytes) -> tuple[str, list[str]] | None:
    """GB18030 (a superset of GBK and GB2312) if the bytes decode to Chinese text."""
    warnings: list[str] = []
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as err:
        if not _cut_at_end(err, len(data)):
            return None
        text = data[: err.start].decode("gb18030")
        warnings.append(_truncation_warning("GB18030", len(data) - err.start))
    return (text, warnings) if _plausibly_chinese(text) else None


# Ideographs, CJK and full-width punctuation, “”‘’…—, ①, ■: what GB2312 text holds.
_CHINESE_CHAR = re.compile(
    "[\u00b7\u00d7\u2010-\u2027\u2030-\u205e\u2160-\u217f\u2460-\u24ff"
    "\u2500-\u25ff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]"
)
_PLAUSIBILITY_SAMPLE = 200_000  # characters: enough to tell Chinese from mojibake


def _plausibly_chinese(text: str) -> bool:
    """Most byte soup also decodes as GB18030, but to rare ideographs mixed with
    private-use and Latin-1 characters; real Chinese text is almost all CJK."""
    sample = text[:_PLAUSIBILITY_SAMPLE]
    non_ascii = len(sample) - len(sample.encode("ascii", "ignore"))
    chinese = _CHINESE_CHAR.subn("", sample)[1]
    return non_ascii > 0 and chinese >= 0.9 * non_ascii


# --- normalisation ---------------------------------------------------------

_LINE_BREAKS = re.compile("\r\n?|[\x0b\x0c\x85\u2028\u2029]")
# U+FEFF, zero-width space/joiners, LRM/RLM, word joiner, soft hyphen: invisible,
# and they would split words that downstream regexes must match.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")
_NO_BREAK_SPACES = re.compile("[\u00a0\u2007\u202f]")
_TRAILING_SPACE = " \t\u3000"


def _normalise(text: str) -> tuple[str, list[str]]:
    """LF line ends, no invisible characters or controls, NBSP as space, NFC
    (not NFKC: full-width punctuation stays as written), no trailing spaces."""
    warnings: list[str] = []
    text = _LINE_BREAKS.sub("\n", text)
    text = _INVISIBLE.sub("", text)
    text, controls = _CONTROL_CHAR.subn("", text)
    if controls:
        warnings.append(f"{controls} control characters dropped")
    text = _NO_BREAK_SPACES.sub(" ", text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    text = "\n".join(line.rstrip(_TRAILING_SPACE) for line in text.split("\n"))
    return text, warnings


# --- web-page chrome in text -----------------------------------------------

_CHROME_MAX = 200  # characters; chrome lines are short, and this bounds the regex
_SEP = r"[\s\[\]【】()（）|｜/·•:：>＞»]"
_CHROME_ITEM = (
    r"(?:无障碍浏览|无障碍阅读|无障碍|长者模式|关怀版|适老化"
    r"|关闭窗口|关闭本页|关闭|打印本页|打印此页|打印正文|打印|下载\s*(?:word|pdf|wps)"
    r"|(?:字体|字号)(?:" + _SEP + r"*[大中小])+"
    r"|分享到|分享|微信|微博|QQ空间|朋友圈"
    r"|扫一扫(?:在手机上?(?:打开|查看|阅读)(?:当前|本)页面?)?|手机版"
    r"|收藏本页|加入收藏|返回顶部|返回首页|上一篇|下一篇)"
)
_CHROME_LINE = re.compile(
    r"(?:" + _SEP + r"*" + _CHROME_ITEM + r")+" + _SEP + r"*"
    r"|(?:您现在的位置|您当前的位置|您的位置|您所在的位置|当前位置|所在位置)\s*[:：].*"
    r"|首页\s*[>＞»].*"
    r"|(?:上一篇|下一篇|上一条|下一条)\s*[:：].*",
    re.IGNORECASE,
)


def _is_chrome(line: str) -> bool:
    """A line that holds nothing but navigation, print, share or font widgets."""
    stripped = line.strip()
    return (
        0 < len(stripped) <= _CHROME_MAX
        and _CHROME_LINE.fullmatch(stripped) is not None
        # 首页 > 中共某局党组关于巡察整改进展情况的通报: a breadcrumb that ends in
        # the notice's title is the only line with the title (kg.extract.head)
        and _CRUMB_TITLE.search(stripped) is None
    )


_CRUMB_TITLE = re.compile(
    r"[>＞»][^>＞»]*(?:巡[察视]|整改)[^>＞»]*(?:通报|报告|关于[^>＞»]*情况)$"
)


def _without_chrome(path: str | None, text: str) -> str:
    """The text without chrome lines and without blank lines: a web page gives
    one line per paragraph, and the same notice saved as text with blank lines
    between paragraphs (luozhuang-2021) must give the same text and spans."""
    if not text.strip():
        raise InputError(path, "no text, only whitespace", _GIVE_TEXT)
    lines = text.split("\n")
    kept = "\n".join(line for line in lines if line and not _is_chrome(line))
    if not kept.strip():
        raise InputError(
            path,
            "no notice text, only web-page navigation (关闭窗口, 打印本页 …)",
            _SAVE_PAGE,
        )
    return kept


# --- HTML ------------------------------------------------------------------

_HTML_SUFFIXES = frozenset({".html", ".htm", ".shtml", ".xhtml"})
# WHATWG HTML "prescan a byte stream to determine its encoding" reads 1024
# bytes; CMS pages often put scripts and comments first, so look further.
_PRESCAN_BYTES = 4096
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([-\w.:]+)""", re.IGNORECASE
)
# WHATWG Encoding: gb2312 and gbk label the GBK decoder; GB18030 is its superset.
_GB_LABELS = frozenset({"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "windows-936"})


def _looks_like_markup(data: bytes) -> bool:
    return data[:_PRESCAN_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def _declared_charset(data: bytes) -> str | None:
    """The codec a page declares in <meta>, None for UTF-8 or nothing usable."""
    match = _META_CHARSET.search(data[:_PRESCAN_BYTES])
    if match is None:
        return None
    label = match.group(1).decode("ascii", "replace").lower()
    if label in _GB_LABELS:
        return "gb18030"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # A prescan that finds UTF-16 means UTF-8 (WHATWG HTML, same algorithm).
    return None if name.startswith(("utf-8", "utf-16")) else name


def _sniff_html(text: str) -> bool:
    head = text[:1024].lstrip("\ufeff \t\r\n").lower()
    return head.startswith("<") and any(
        tag in head for tag in ("<!doctype html", "<html", "<head", "<body")
    )


# Never notice text: dropped with their content.
_ALWAYS_JUNK = ("script", "style", "noscript", "template", "iframe", "svg", "object")
# Page chrome, dropped unless it holds most of the page's Chinese text: ASP.NET
# pages wrap the whole body in one <form>, some templates the article in <header>.
_CHROME_TAGS = ("nav", "header", "footer", "form", "button", "select", "textarea")
# Elements the HTML Living Standard renders display: block ("Rendering", flow
# content): each starts a new line of text.
_BLOCK_TAGS = frozenset(
    "address article aside blockquote caption center dd details dialog dir div dl "
    "dt fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr "
    "li main menu nav ol p pre section summary table tbody tfoot thead tr ul".split()
)
_CELL_TAGS = frozenset({"td", "th"})
# Elements that may wrap the notice; descent stops at any other element.
_CONTAINER_TAGS = frozenset(
    "article aside center div form main section table tbody tfoot thead tr td th "
    "ul ol dl".split()
)
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_CONTENT_HINT = re.compile(
    r"trs_editor|custom_unionstyle|zoom|content|article|detail|main|text", re.I
)
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML's ASCII whitespace: U+00A0 is not
_PRE_SPACE = re.compile(r"[ \t\r\f]+")  # in <pre> line breaks are kept
_SPACE_RUN = re.compile(" {2,}")
_CELL_GAP = re.compile(r"[ \t]*\t[ \t]*")


def _page_text(page: str, path: str | None) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The notice body of a web page as lines, headed by its title (when the body
    lacks it) and its metadata as "发布机构: X" lines; and the metadata pairs."""
    tree = LexborHTMLParser(page)
    root = tree.body or tree.root
    if root is None:
        raise InputError(path, "no notice text found in the web page", _SAVE_PAGE)
    _check_depth(tree, path)
    if tree.root is not None:  # character references decode to marks too
        _check_combining_runs(tree.root.text(), path)
    # Reverse document order: descendants go before their ancestors, so no
    # node is touched after an ancestor's decompose freed it.
    for node in reversed(tree.css(", ".join(_ALWAYS_JUNK))):
        node.decompose()
    page_han = _han_count(root.text())
    for node in reversed(tree.css(", ".join(_CHROME_TAGS))):
        if _han_count(node.text()) * 2 <= page_han:
            node.decompose()
    metadata = _metadata_tables(tree)
    body = _notice_element(root)
    lines = _block_lines(body)
    if not lines:
        raise InputError(path, "no notice text found in the web page", _SAVE_PAGE)
    seen = {label for label, _ in metadata}
    for label, value in _info_bar_pairs(_block_lines(root, skip=body)):
        if label not in seen:
            seen.add(label)
            metadata.append((label, value))
    header = [f"{label}: {value}" for label, value in metadata]
    title = _page_title(tree)
    if title and _compact(title) not in _compact("".join(lines)):
        header.insert(0, title)
    return "\n".join(header + lines), tuple(metadata)


def _check_depth(tree: LexborHTMLParser, path: str | None) -> None:
    """`LimitError` for elements nested deeper than `MAX_HTML_DEPTH`: one
    pass over the elements, before any step whose cost grows with depth."""
    if tree.root is None:
        return
    depth: dict[int, int] = {}
    for node in tree.root.traverse():
        parent = node.parent
        level = depth.get(parent.mem_id, 0) + 1 if parent is not None else 0
        if level > MAX_HTML_DEPTH:
            raise LimitError(
                path,
                f"HTML elements nested more than {MAX_HTML_DEPTH} deep "
                f"(kg reads pages nested up to {MAX_HTML_DEPTH})",
                _SAVE_PAGE,
            )
        depth[node.mem_id] = level


def _han_count(text: str) -> int:
    return _HAN.subn("", text)[1]


def _notice_element(root: LexborNode) -> LexborNode:
    """The element holding the notice: descend from <body> into the child that
    holds nearly all the page's Chinese text outside links, and stop where the
    text sits in the element's own paragraphs (readability-style density)."""
    han = _non_link_han(root)
    node = root
    while True:
        total = han.get(node.mem_id, 0)
        best: LexborNode | None = None
        own_text = False
        for child in node.iter(include_text=True):
            if child.tag == "-text":
                own_text = own_text or _HAN.search(child.text_content or "") is not None
            elif child.tag in _CONTAINER_TAGS:
                if best is None or han.get(child.mem_id, 0) > han.get(best.mem_id, 0):
                    best = child
            elif child.tag not in _HEADING_TAGS and han.get(child.mem_id, 0):
                # A title beside the notice container is normal; paragraphs are not.
                own_text = True
        if own_text or best is None or total == 0:
            return node
        names = f"{best.id or ''} {best.attributes.get('class') or ''}"
        # A child named like a CMS article body (TRS_Editor, zoom …) may share
        # the page with a wordy sidebar; an anonymous one must hold nearly all.
        share = 0.6 if _CONTENT_HINT.search(names) else 0.9
        if han.get(best.mem_id, 0) < share * total:
            return node
        node = best


def _non_link_han(root: LexborNode) -> dict[int, int]:
    """Chinese characters outside <a> in each element's subtree, by mem_id."""
    han: dict[int, int] = {}
    in_link: dict[int, bool] = {}
    order: list[tuple[int, int | None]] = []
    for node in root.traverse(include_text=True):
        parent = node.parent
        parent_id = parent.mem_id if parent is not None else None
        linked = in_link.get(parent_id, False) if parent_id is not None else False
        if node.tag == "-text":
            if not linked and parent_id is not None:
                han[parent_id] = han.get(parent_id, 0) + _han_count(
                    node.text_content or ""
                )
        elif node.is_element_node:
            in_link[node.mem_id] = linked or node.tag == "a"
            order.append((node.mem_id, parent_id))
    for node_id, parent_id in reversed(order):
        if parent_id is not None and node_id != root.mem_id:
            han[parent_id] = han.get(parent_id, 0) + han.get(node_id, 0)
    return han


def _block_lines(node: LexborNode, skip: LexborNode | None = None) -> list[str]:
    """The element's text as rendered lines: block elements and <br> break
    lines, table cells are separated by a tab, HTML whitespace collapses."""
    parts: list[str] = []
    skip_id = skip.mem_id if skip is not None else None
    stack: list[tuple[LexborNode, bool]] = [(node, False)]
    in_pre = 0
    while stack:
        current, leaving = stack.pop()
        tag = current.tag
        if leaving:
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            elif tag in _CELL_TAGS:
                parts.append("\t")
            if tag == "pre":
                in_pre -= 1
        elif tag == "-text":
            text = current.text_content or ""
            if in_pre:
                parts.append(_PRE_SPACE.sub(" ", text))
            else:
                parts.append(_HTML_SPACE.sub(" ", text))
        elif tag == "br":
            parts.append("\n")
        elif current.is_element_node and current.mem_id != skip_id:
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            if tag == "pre":
                in_pre += 1
            stack.append((current, True))
            children = list(current.iter(include_text=True))
            stack.extend((child, False) for child in reversed(children))
    lines = []
    for raw in "".join(parts).split("\n"):
        line = _CELL_GAP.sub("\t", _SPACE_RUN.sub(" ", raw)).strip(" \t")
        if line:
            lines.append(line)
    return lines


# Field labels of the catalogue table government portals print above a
# 政府信息公开 article (索引号, 发布机构, 成文日期 …) and of the info bar
# under a title.
_META_LABELS = frozenset(
    "索引号 信息索引号 主题分类 信息分类 体裁分类 组配分类 服务对象分类 "
    "公开方式 公开范围 公开时限 公开形式 信息名称 文件名称 "
    "发布机构 发文机关 发文机构 发布单位 生成机构 所属机构 责任部门 "
    "标题 成文日期 生成日期 公开日期 发布日期 发布时间 更新时间 "
    "文号 发文字号 发文文号 文件编号 来源 信息来源 关键词 主题词 有效性 作者".split()
)
# Not metadata, but they end the value before them in an info bar.
_INFO_STOPS = "浏览次数 点击数 阅读次数 访问次数 字体 字号 分享到 打印 关闭".split()
_INFO_LABEL = re.compile(
    "("
    + "|".join(sorted(_META_LABELS, key=len, reverse=True))
    + r")\s*[:：]|(?:"
    + "|".join(_INFO_STOPS)
    + ")"
)
_INLINE_PAIR = re.compile(r"([^:：]{1,12})[:：](.*)", re.DOTALL)
_WHITESPACE = re.compile(r"\s+")


def _compact(text: str) -> str:
    return _WHITESPACE.sub("", text)


def _clean(text: str) -> str:
    return _normalise(_WHITESPACE.sub(" ", text).strip())[0]


def _label(cell: str) -> str | None:
    label = _compact(cell).rstrip(":：")
    return label if label in _META_LABELS else None


def _metadata_tables(tree: LexborHTMLParser) -> list[tuple[str, str]]:
    """Label/value pairs of the page's metadata tables, which are then removed
    so the pairs do not also appear in the body."""
    rows_by_table: dict[int, tuple[LexborNode, list[list[str]]]] = {}
    for row in tree.css("tr"):
        table = row.parent
        while table is not None and table.tag != "table":
            table = table.parent
        if table is None:
            continue
        cells = [c.text() for c in row.iter() if c.tag in _CELL_TAGS]
        rows_by_table.setdefault(table.mem_id, (table, []))[1].append(cells)
    pairs: list[tuple[str, str]] = []
    tables = []
    for table, rows in rows_by_table.values():
        found = [pair for cells in rows for pair in _row_pairs(cells)]
        cell_count = sum(len(row) for row in rows)
        # A metadata table is made of label/value cells; a notice's own table is not.
        labels = {label for label, _ in found}
        if len(labels) >= 2 and 2 * len(found) >= 0.6 * cell_count:
            pairs.extend(pair for pair in found if pair[1])
            tables.append(table)
    for table in reversed(tables):  # inner tables first: see _page_text
        table.decompose()
    return pairs


def _row_pairs(cells: list[str]) -> list[tuple[str, str]]:
    """(label, value) pairs of one row: a label cell and its value cell side by
    side, or one "发布机构：X" cell."""
    pairs = []
    i = 0
    while i < len(cells):
        label = _label(cells[i])
        if label is not None and i + 1 < len(cells) and _label(cells[i + 1]) is None:
            pairs.append((label, _clean(cells[i + 1])))
            i += 2
            continue
        inline = _INLINE_PAIR.fullmatch(cells[i])
        if inline is not None and (label := _label(inline.group(1))) is not None:
            pairs.append((label, _clean(inline.group(2))))
        i += 1
    return pairs


def _info_bar_pairs(lines: list[str]) -> list[tuple[str, str]]:
    """Pairs from the line under a page's title, outside the notice body:
    "发布时间：2021-03-11 来源：罗庄区投资促进服务中心 浏览次数：".
    """
    pairs = []
    for line in lines:
        if len(line) > _CHROME_MAX:
            continue
        marks = list(_INFO_LABEL.finditer(line))
        if not marks or line[: marks[0].start()].strip(" \t[]【】"):
            continue
        ends = [m.start() for m in marks[1:]] + [len(line)]
        for mark, end in zip(marks, ends, strict=True):
            value = _clean(line[mark.end() : end]).rstrip(" [【(（|｜")
            if mark.group(1) and value:
                pairs.append((mark.group(1), value))
    return pairs


_TITLE_SEPARATOR = re.compile(r"\s*(?:[_|｜]|\s[-－—–]+\s|--)\s*")
_TITLE_WORDS = re.compile("关于|通报|情况|整改|巡察|巡视|公告|通知|报告|决定|意见")


def _page_title(tree: LexborHTMLParser) -> str | None:
    """The page's <h1>, else the part of <title> that names a document (site
    names follow a separator: "…的通报_罗庄区人民政府")."""
    for heading in tree.css("h1"):
        text = _clean(heading.text())
        if _HAN.search(text):
            return text
    title = tree.css_first("title")
    if title is None:
        return None
    parts = _TITLE_SEPARATOR.split(_clean(title.text()))
    named = [part for part in parts if _TITLE_WORDS.search(part)]
    return max(named, key=len) if named else None
