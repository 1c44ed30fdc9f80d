"""Bytes → text: the encoding of a notice file, and the one normal form every
span downstream is counted in.

Decodes UTF-8 with or without BOM, UTF-16 with BOM and GB18030/GBK (in the
WHATWG "decode" order: BOM, a page's declared charset, UTF-8, GB18030), refuses
binary data, and normalises: LF line ends, NFC, no zero-width characters or
controls, no trailing spaces.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from kg.errors import InputError, LimitError

__all__ = [
    "MAX_COMBINING_RUN",
    "NEVER_COMBINING",
    "check_combining_runs",
    "decode",
    "declared_charset",
    "looks_like_markup",
    "normalise",
]

_SAVE_AS_TEXT = "save it as UTF-8 text"

# --- decoding --------------------------------------------------------------

# C0 controls other than TAB, LF, VT, FF, CR, plus DEL: never part of a text file.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
_CONTROL_BYTE = re.compile(b"[" + re.escape(_CONTROL_BYTES) + b"]")
_CONTROL_CHAR = re.compile("[\x00-\x08\x0e-\x1f\x7f]")


def decode(
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


def _decode_to_cut(data: bytes, codec: str, name: str) -> tuple[str, list[str]]:
    """`data` decoded, an incomplete character at the very end (a file cut
    short) dropped with a warning; `UnicodeDecodeError` for any other fault."""
    try:
        return data.decode(codec), []
    except UnicodeDecodeError as err:
        if not _cut_at_end(err, len(data)):
            raise
        dropped = len(data) - err.start
        warning = f"truncated {name} sequence at the end dropped ({dropped} bytes)"
        return data[: err.start].decode(codec), [warning]


def _decode_utf8(
    data: bytes, path: str | None, start: int = 0
) -> tuple[str, list[str]]:
    try:
        return _decode_to_cut(data[start:], "utf-8", "UTF-8")
    except UnicodeDecodeError as err:
        offset = start + err.start
        raise InputError(
            path,
            f"not UTF-8 text (invalid byte 0x{data[offset]:02X} at byte {offset})",
            _SAVE_AS_TEXT,
        ) from None


def _decode_utf16(data: bytes, path: str | None) -> tuple[str, str, list[str]]:
    try:
        text, warnings = _decode_to_cut(data, "utf-16", "UTF-16")
    except UnicodeDecodeError as err:
        raise InputError(
            path,
            f"not UTF-16 text (invalid code unit at byte {err.start})",
            _SAVE_AS_TEXT,
        ) from None
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
    try:
        text, warnings = _decode_to_cut(data, "gb18030", "GB18030")
    except UnicodeDecodeError:
        return None
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


# --- a web page's declared charset ---------------------------------------

# WHATWG HTML "prescan a byte stream to determine its encoding" reads 1024
# bytes; CMS pages often put scripts and comments first, so look further.
_PRESCAN_BYTES = 4096
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([-\w.:]+)""", re.IGNORECASE
)
# WHATWG Encoding: gb2312 and gbk label the GBK decoder; GB18030 is its superset.
_GB_LABELS = frozenset({"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "windows-936"})


def looks_like_markup(data: bytes) -> bool:
    return data[:_PRESCAN_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def declared_charset(data: bytes) -> str | None:
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


# --- normalisation ---------------------------------------------------------

_LINE_BREAKS = re.compile("\r\n?|[\x0b\x0c\x85\u2028\u2029]")
# U+FEFF, zero-width space/joiners, LRM/RLM, word joiner, soft hyphen: invisible,
# and they would split words that downstream regexes must match.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")
_NO_BREAK_SPACES = re.compile("[\u00a0\u2007\u202f]")
_TRAILING_SPACE = " \t\u3000"


def normalise(text: str) -> tuple[str, list[str]]:
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


# --- the cost bound of NFC -----------------------------------------------

# NFC sorts each run of combining marks (canonical ordering), in time
# quadratic in the run: 100,000 marks after one letter took 18.8 s, 200,000
# 68.9 s. Unicode's Stream-Safe Text Format (UAX #15 §13) allows 30 in a row;
# no Chinese text has more than two.
MAX_COMBINING_RUN = 30
# Characters that are never combining marks (tests/test_ingest.py checks
# each against unicodedata): ASCII and Latin below U+0300, CJK
# punctuation, ideographs, hangul syllables and the full-width forms. A run of
# other characters is a candidate run of marks, looked at one by one.
NEVER_COMBINING = (
    "\x00-\u02ff\u3000-\u3029\u3030-\u3098\u309b-\u30ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uff00-\uffef"
)
_MAYBE_COMBINING_RUN = re.compile(
    f"[^{NEVER_COMBINING}]{{{MAX_COMBINING_RUN + 1},}}"
)


def check_combining_runs(text: str, path: str | None) -> None:
    """`LimitError` for a run of more than `MAX_COMBINING_RUN` combining marks,
    in time linear in the text: checked before `normalise` sorts them."""
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

