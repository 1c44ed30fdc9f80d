"""A notice's identifier from its file name: readable where it can be, and
always usable as a file name under ``notices/``, as an IRI path segment and
as a key that no other notice shares.

A file name is data: any bytes the OS accepts (not UTF-8, hundreds of bytes
long, control characters, code points an IRI may not hold, one letter as one
code point or as a letter and a combining accent). The id is the file stem in
NFC with every character an IRI or a file name cannot hold replaced by ``_``,
cut to `MAX_ID_BYTES`; when anything was replaced or cut, a hash of the file's
path follows (``-`` and 8 hex digits), so two names that clean to the same
text stay two notices. `kg.build` then makes ids unique across inputs and the
store, case-insensitively (a case-insensitive file system holds one of
``A.ttl`` and ``a.ttl``).
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from pathlib import Path

# Bytes of UTF-8: notices/<id>.json and the writer's temporary
# .<id>.json.<12 hex>.tmp stay far below the 255 bytes of a file name
# (NAME_MAX of ext4, XFS, APFS, NTFS in UTF-16 units), with room for a suffix.
MAX_ID_BYTES = 120
HASH_DIGITS = 8
# General categories no id holds (Unicode §4.5): controls, format characters
# (bidi marks, tags), surrogates (a file name's bytes that are not UTF-8 come
# in as lone surrogates), private use, unassigned, line and paragraph separators.
_UNUSABLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_UNUSABLE_CHARS = frozenset("/\\")


def shown_path(path: str) -> str:
    """`path` as text that any terminal and any UTF-8 file can hold: a file
    name's bytes that are not UTF-8 (which Python holds as lone surrogates)
    are written as \\xNN escapes, as `ls -b` shows them."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def path_hash(path: str, digits: int = HASH_DIGITS) -> str:
    """A short hash of `path`'s bytes as the OS holds them."""
    return hashlib.sha256(os.fsencode(path)).hexdigest()[:digits]


def stem_id(path: str) -> tuple[str, str]:
    """The id of the notice in the file at `path` (not yet checked against
    other notices), and why it is not the stem as written ("" when it is)."""
    stem = unicodedata.normalize("NFC", Path(path).stem)
    kept = "".join(char if _usable(char) else "_" for char in stem)
    reasons = []
    if kept != stem:
        reasons.append("its file name holds characters an identifier cannot")
    if len(kept.encode("utf-8")) > MAX_ID_BYTES:
        kept = kept.encode("utf-8")[:MAX_ID_BYTES].decode("utf-8", "ignore")
        reasons.append(f"its file name is longer than {MAX_ID_BYTES} bytes")
    if not kept.strip(" ._"):
        kept = "notice"
        reasons.append("its file name has no usable characters")
    if not reasons:
        return kept, ""
    return f"{kept}-{path_hash(os.path.abspath(path))}", "; ".join(reasons)


def id_key(notice_id: str) -> str:
    """What two ids must not share: their case-folded NFC form."""
    return unicodedata.normalize("NFC", notice_id).casefold()


def _usable(char: str) -> bool:
    if char in _UNUSABLE_CHARS:
        return False
    if unicodedata.category(char) in _UNUSABLE_CATEGORIES:
        return False
    return char.isascii() or _is_ucschar(char)


def _is_ucschar(char: str) -> bool:
    """RFC 3987 §2.2 ``ucschar``: the non-ASCII code points an IRI may hold
    as they are (U+E0100 and the other variation selectors of plane 14 are
    not among them, nor are the noncharacters)."""
    code = ord(char)
    if code < 0xA0 or 0xD800 <= code <= 0xF8FF or 0xFDD0 <= code <= 0xFDEF:
        return False
    if (code & 0xFFFE) == 0xFFFE:
        return False
    if 0xE0000 <= code <= 0xE0FFF:
        return False
    return code <= 0xEFFFD
