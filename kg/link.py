"""Normalisation keys, gazetteers and cross-notice identity.

docs/architecture.md §Identity: a shared entity is identified by a normalisation key
(NFKC, 《》 and whitespace stripped, full/half width unified, the
中华人民共和国 prefix handled); the text as written stays a label. This module
computes those keys and resolves 《》 titles against gazetteers:

* the project's own list, ``kg/data/regulations.tsv`` (columns key, aliases,
  canonical, kind, level): party regulations, the laws notices cite most and
  the bracket-less rules of ``kg/data/rules.tsv``;
* optional user lists in the format of LawRefBook/Laws exports (columns name,
  level, published, valid_from, expired, version; one row per version).

It is shared by the extractors and the RDF stage, so it imports neither rdflib
nor jieba (docs/architecture.md, import boundaries).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files
from pathlib import Path

from kg.errors import InputError
from kg.model import RegulationKind

# Title marks, quotes and book-title brackets carry no identity: 《会计法》,
# “三重一大” and 〔财务制度〕 name the same things as their bare text.
_MARKS = "《》〈〉〔〕【】〖〗“”‘’「」『』\"'"
_DASHES = "—–―‐‑‒"  # NFKC leaves these apart; － already becomes "-"
_KEY_TABLE = str.maketrans(
    {
        **dict.fromkeys(_MARKS, None),
        **dict.fromkeys(_DASHES, "-"),
        **dict.fromkeys("・•‧", "·"),
    }
)
_WHITESPACE = re.compile(r"\s+")
# Whitespace next to a non-ASCII character; between Latin words it is kept.
_SPACE_BY_CJK = re.compile(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])")
# Status marks of one and the same rule: (试行) is dropped once the rule is
# final, (修订)/(修订版) mark a revision. They are not part of identity, so
# 《中国共产党支部工作条例（试行）》 and 《中国共产党支部工作条例》 are one node
# and the variant becomes an altLabel. Years such as (2022-2025) stay: they
# tell different plans apart.
_STATUS = re.compile(r"\((?:试行|暂行|修订|修订版|修正|修正版)\)")
_PRC = "中华人民共和国"
# 中共 is the standard short form of 中国共产党 (中共三门县…党组).
_PARTY_PREFIX = re.compile(r"^(?:中国共产党|中共)(?!中央)")
_CATEGORY_EDGES = ":;,.。；，：、!?！？ "


@lru_cache(maxsize=65536)
def regulation_key(title: str) -> str:
    """The identity of a regulation title across notices.

    >>> regulation_key("《中华人民共和国会计法 》") == regulation_key("会计法")
    True
    """
    text = unicodedata.normalize("NFKC", title).translate(_KEY_TABLE)
    text = _WHITESPACE.sub("", text)
    text = _STATUS.sub("", text)
    if text.startswith(_PRC) and len(text) > len(_PRC):
        text = text[len(_PRC) :]
    return text


@lru_cache(maxsize=65536)
def display_label(title: str) -> str:
    """The one label of every title variant that shares a key, for titles no
    gazetteer knows: NFKC (one punctuation width), no whitespace, no status
    mark. Two notices writing 《X（试行）》 and 《X (试行)》 thus give the shared
    node the same skos:prefLabel; each variant as written stays an altLabel."""
    text = unicodedata.normalize("NFKC", title).strip().strip("《》")
    text = _SPACE_BY_CJK.sub("", text)  # 党风廉政 建设: a typing slip
    return _STATUS.sub("", _WHITESPACE.sub(" ", text))


@lru_cache(maxsize=65536)
def org_key(name: str) -> str:
    """The identity of an organisation, committee or group.

    The leading 中共/中国共产党 is dropped, so 中共三门县投资促进中心党组 and
    三门县投资促进中心党组 share a key; 中共中央 keeps its prefix (it is the
    name, not a qualifier).
    """
    text = unicodedata.normalize("NFKC", name).translate(_KEY_TABLE)
    text = _WHITESPACE.sub("", text)
    return _PARTY_PREFIX.sub("", text)


@lru_cache(maxsize=4096)
def category_key(label: str) -> str:
    """The identity of an issue category label: NFKC, no whitespace or quotes,
    no punctuation at either end (“党建工作抓而不实”、 and 党建工作抓而不实)."""
    text = unicodedata.normalize("NFKC", label).translate(_KEY_TABLE)
    return _WHITESPACE.sub("", text).strip(_CATEGORY_EDGES)


# --- gazetteers --------------------------------------------------------------

# Levels of the national database of laws and regulations (国家法律法规数据库)
# mapped to the kinds of docs/architecture.md: `law` is national laws and State Council
# regulations; ministry rules and judicial interpretations bind conduct but are
# issued below the State Council, hence normative documents.
LEVEL_KINDS: dict[str, RegulationKind] = {
    "宪法": RegulationKind.LAW,
    "法律": RegulationKind.LAW,
    "行政法规": RegulationKind.LAW,
    "党内法规": RegulationKind.PARTY_REGULATION,
    "部门规章": RegulationKind.NORMATIVE_DOCUMENT,
    "司法解释": RegulationKind.NORMATIVE_DOCUMENT,
    "地方性法规": RegulationKind.NORMATIVE_DOCUMENT,
}

_BUNDLED_COLUMNS = ("key", "aliases", "canonical", "kind", "level")
_USER_COLUMNS = ("name", "level", "published", "valid_from", "expired", "version")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class LawVersion:
    """One row of a user gazetteer: a version of a law as published."""

    name: str  # as written in the list
    level: str | None
    published: str | None  # YYYY-MM-DD
    valid_from: str | None  # YYYY-MM-DD
    expired: bool


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    key: str  # regulation_key of every name and alias of the entry
    canonical: str  # the full official title: 中华人民共和国会计法
    kind: RegulationKind | None
    level: str | None  # 法律, 行政法规, 党内法规 ...
    aliases: tuple[str, ...] = ()
    versions: tuple[LawVersion, ...] = ()  # from user lists, newest first

    @property
    def published(self) -> str | None:
        """Publication date of the newest version."""
        return self.versions[0].published if self.versions else None

    @property
    def valid_from(self) -> str | None:
        return self.versions[0].valid_from if self.versions else None

    @property
    def expired(self) -> bool | None:
        return self.versions[0].expired if self.versions else None


@dataclass(frozen=True, slots=True)
class CanonicalRegulation:
    """What a title resolves to: the label and facts shared across notices."""

    label: str
    key: str
    kind: RegulationKind | None
    level: str | None
    published: str | None


class Gazetteer:
    """Known regulations: the project's own list plus optional user TSVs."""

    def __init__(self, entries: Iterable[GazetteerEntry] = ()) -> None:
        self._entries: dict[str, GazetteerEntry] = {}
        self._aliases: dict[str, str] = {}  # alias key → entry key
        for entry in entries:
            self._add(entry)

    @classmethod
    def load(cls, paths: Sequence[Path] = ()) -> Gazetteer:
        """The bundled list plus the user lists at `paths` (laws.tsv format)."""
        gazetteer = cls(_bundled_entries())
        for path in paths:
            gazetteer._merge_versions(_read_user_tsv(Path(path)))
        return gazetteer

    def lookup(self, title: str) -> GazetteerEntry | None:
        """The entry for `title` (with or without 《》, 中华人民共和国, (试行))."""
        key = regulation_key(title)
        return self._entries.get(self._aliases.get(key, key))

    def canonical(self, title: str) -> CanonicalRegulation:
        """`title` resolved: the gazetteer's facts, or the title itself."""
        entry = self.lookup(title)
        if entry is None:
            return CanonicalRegulation(
                display_label(title), regulation_key(title), None, None, None
            )
        return CanonicalRegulation(
            entry.canonical, entry.key, entry.kind, entry.level, entry.published
        )

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[GazetteerEntry]:
        return iter(self._entries.values())

    def _add(self, entry: GazetteerEntry) -> None:
        self._entries[entry.key] = entry
        for alias in entry.aliases:
            alias_key = regulation_key(alias)
            if alias_key != entry.key:
                self._aliases[alias_key] = entry.key

    def _merge_versions(self, versions: dict[str, list[LawVersion]]) -> None:
        for key, rows in versions.items():
            rows.sort(key=_recency, reverse=True)
            target = self._entries.get(self._aliases.get(key, key))
            if target is None:
                newest = rows[0]
                self._entries[key] = GazetteerEntry(
                    key=key,
                    canonical=newest.name,
                    kind=LEVEL_KINDS.get(newest.level or ""),
                    level=newest.level,
                    versions=tuple(rows),
                )
                continue
            # The bundled list wins on canonical title and kind (it knows the
            # 中华人民共和国 prefix and party regulations); the user list adds
            # what the bundled one lacks: level, dates, versions.
            merged = sorted([*target.versions, *rows], key=_recency, reverse=True)
            self._entries[target.key] = GazetteerEntry(
                key=target.key,
                canonical=target.canonical,
                kind=target.kind or LEVEL_KINDS.get(rows[0].level or ""),
                level=target.level or rows[0].level,
                aliases=target.aliases,
                versions=tuple(merged),
            )


def _recency(version: LawVersion) -> tuple[bool, str, str]:
    # Sorted in reverse: a version in force before an expired one, then the
    # latest date first; undated rows (宪法 carries none) last.
    return (
        not version.expired,
        version.published or version.valid_from or "",
        version.valid_from or "",
    )


@cache
def default_gazetteer() -> Gazetteer:
    """The bundled list alone, loaded once per process."""
    return Gazetteer.load()


def canonical_regulation(
    title: str, gazetteer: Gazetteer | None = None
) -> CanonicalRegulation:
    """`title` resolved against `gazetteer` (default: the bundled list)."""
    return (gazetteer or default_gazetteer()).canonical(title)


def _bundled_entries() -> list[GazetteerEntry]:
    resource = files("kg") / "data" / "regulations.tsv"
    entries = []
    for line_no, cells in _tsv_rows(resource.read_text(encoding="utf-8").splitlines()):
        if cells[0] == "key":
            continue
        if len(cells) != len(_BUNDLED_COLUMNS):
            raise InputError(
                str(resource),
                f"line {line_no}: {len(cells)} columns, expected "
                + ", ".join(_BUNDLED_COLUMNS),
            )
        key, aliases, canonical, kind, level = cells
        if key != regulation_key(canonical):
            # The key column is there for people grepping the file; a stale
            # one would mislead them, so it must agree with the code.
            raise InputError(
                str(resource),
                f"line {line_no}: key {key!r} is not regulation_key({canonical!r})",
                f"write {regulation_key(canonical)!r}",
            )
        entries.append(
            GazetteerEntry(
                key=key,
                canonical=canonical,
                kind=RegulationKind(kind) if kind else None,
                level=level or None,
                aliases=tuple(a for a in aliases.split("|") if a),
            )
        )
    return entries


# A gazetteer is a small TSV (laws.tsv: 300 KB); a bigger file is not one.
MAX_GAZETTEER_BYTES = 64 * 1024 * 1024


def _read_user_tsv(path: Path) -> dict[str, list[LawVersion]]:
    """The rows of a user gazetteer; `InputError` naming the file (and what
    to do) for one that is missing, a folder, too big, binary, not UTF-8 or
    not TSV, before any of it is used."""
    try:
        rows = list(_tsv_rows(_user_tsv_lines(path)))
    except csv.Error as error:
        raise InputError(str(path), f"gazetteer is not TSV ({error})",
                         "save it as UTF-8 TSV") from error
    versions: dict[str, list[LawVersion]] = {}
    for line_no, cells in rows:
        if cells[0] == _USER_COLUMNS[0]:
            continue
        cells += [""] * (len(_USER_COLUMNS) - len(cells))
        name, level, published, valid_from, expired = (c.strip() for c in cells[:5])
        for label, value in (("published", published), ("valid_from", valid_from)):
            if value and not _DATE.match(value):
                raise InputError(
                    str(path),
                    f"line {line_no}: {label} {value!r} is not YYYY-MM-DD",
                    "columns are " + ", ".join(_USER_COLUMNS),
                )
        key = regulation_key(name)
        if not key:
            continue
        versions.setdefault(key, []).append(
            LawVersion(
                name=name,
                level=level or None,
                published=published or None,
                valid_from=valid_from or None,
                expired=expired == "1",
            )
        )
    return versions


def _user_tsv_lines(path: Path) -> list[str]:
    """The text lines of a user gazetteer file, or `InputError`."""
    where = str(path)
    try:
        if path.is_dir():
            raise InputError(where, "gazetteer is a folder, not a file",
                             "give the TSV file")
        if path.stat().st_size > MAX_GAZETTEER_BYTES:
            raise InputError(where, "gazetteer is too big (over "
                             f"{MAX_GAZETTEER_BYTES >> 20} MB)", "give the TSV file")
        data = path.read_bytes()
    except OSError as error:
        raise InputError(
            where, f"cannot read gazetteer ({error.strerror or error})",
            "check the path",
        ) from error
    nul = data.find(b"\0")
    if nul >= 0:
        raise InputError(where, f"gazetteer is binary data, not text (NUL at byte "
                         f"{nul})", "save it as UTF-8 TSV")
    try:
        return data.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError as error:
        raise InputError(
            where,
            f"gazetteer is not UTF-8 (byte {error.start})",
            "save it as UTF-8 TSV",
        ) from error


def _tsv_rows(lines: list[str]) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    for line_no, cells in enumerate(reader, start=1):
        if not cells or not cells[0].strip() or cells[0].startswith("#"):
            continue
        yield line_no, cells
