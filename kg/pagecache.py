"""What the last site write read and rendered, kept in `.kg-pages.sqlite`
beside the pages, so that the next write reads and renders only what
changed.

For each notice: the stamp of the Turtle file it was read from (inode, size,
modification time: a build replaces a notice's file whenever its graph
changes), the digests of what it gives the pages (`content_digests`), its
summary (what the index, the overview and the lists of the
regulation and category pages read), its detail (findings, measures,
persons, spans: what its own page reads) and its link items (what a
regulation's page shows of the items that mention it), each pickled. For
each page: the digest of its inputs, so a page whose inputs are those it was
rendered from is not rendered again.

The file is a cache: when it is missing or unreadable the site is read and
rendered whole, and the file is made again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import pickle
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final, TypeVar

from kg.pagedata import (
    Corpus,
    Finding,
    LinkItem,
    Measure,
    NoticeData,
    PersonNode,
    RegulationTable,
    file_stamp,
    gather_notices,
    lean,
    notice_file,
)
from kg.pageinputs import code_digest
from kg.sitejobs import Jobs

T = TypeVar("T")
CACHE_FILE: Final = ".kg-pages.sqlite"
FORMAT: Final = "6"
# id, stamp, digests (`content_digests`), summary, detail, and (regulation IRI,
# its link items) pairs
Row = tuple[str, str, "Digests", bytes, bytes, list[tuple[str, bytes]]]
# What a notice gives the pages but its own (summary, link items), and all
# it gives (its detail too): `kg.pageinputs` reads the one or the other.
Digests = tuple[str, str]
_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS notice (id TEXT PRIMARY KEY, stamp TEXT NOT NULL,
                                   shared TEXT NOT NULL, own TEXT NOT NULL,
                                   summary BLOB NOT NULL, detail BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS link (regulation TEXT NOT NULL, notice TEXT NOT NULL,
                                 items BLOB NOT NULL,
                                 PRIMARY KEY (regulation, notice));
CREATE INDEX IF NOT EXISTS link_notice ON link (notice);
CREATE TABLE IF NOT EXISTS page (path TEXT PRIMARY KEY, inputs TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS context (digest TEXT NOT NULL, tables BLOB NOT NULL);
"""


class PageCache:
    def __init__(self, out: Path) -> None:
        self.path = out / CACHE_FILE
        try:
            self._db = self._open()
        except sqlite3.DatabaseError:
            self.path.unlink(missing_ok=True)  # damaged: it is only a cache
            self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path)
        db.executescript(_SCHEMA)
        # Summaries made by other code may not be what this code reads.
        version = f"{FORMAT}:{code_digest()}"
        row = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        if row is None or row[0] != version:
            # Dropped rather than emptied: an older format's has other columns.
            db.executescript("DROP TABLE notice; DROP TABLE IF EXISTS link;")
            db.executescript(_SCHEMA)
            with db:
                db.execute("DELETE FROM page")
                db.execute("DELETE FROM context")
                db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)",
                           (version,))
        return db

    def summaries(self) -> Iterator[tuple[str, str, Digests, NoticeData]]:
        """(notice id, stamp, digests, summary) of every notice read last
        time, one at a time (the caller keeps what it needs of each)."""
        for notice_id, stamp, shared, own, summary in self._db.execute(
                "SELECT id, stamp, shared, own, summary FROM notice"):
            yield notice_id, stamp, (shared, own), pickle.loads(summary)

    def summaries_of(self, ids: list[str]) -> dict[str, NoticeData]:
        """Notice id → its summary, of those of `ids` read last time."""
        found = {}
        for notice_id in ids:
            row = self._db.execute("SELECT summary FROM notice WHERE id = ?",
                                   (notice_id,)).fetchone()
            if row is not None:
                found[notice_id] = pickle.loads(row[0])
        return found

    def digests(self) -> dict[str, tuple[str, Digests]]:
        """Notice id → (stamp, digests) of every notice read last time."""
        return {notice_id: (stamp, (shared, own)) for notice_id, stamp, shared, own
                in self._db.execute("SELECT id, stamp, shared, own FROM notice")}

    def context(self) -> tuple[str, bytes] | None:
        """The context digest (`kg.pageinputs.context_digest`) of the last
        whole write, and its tables (the regulation pages' names and the
        regulations' labels, pickled)."""
        row = self._db.execute("SELECT digest, tables FROM context").fetchone()
        return None if row is None else (row[0], row[1])

    def set_context(self, digest: str, tables: bytes) -> None:
        with self._db:
            self._db.execute("DELETE FROM context")
            self._db.execute("INSERT INTO context VALUES (?, ?)", (digest, tables))

    def link_items(self, regulations: list[str]) -> dict[str, dict[str, LinkItem]]:
        """Notice id → the link items (`NoticeData.link_items`) of its items
        that mention one of `regulations`: one query for a regulation's page."""
        found: dict[str, dict[str, LinkItem]] = {}
        for regulation in regulations:
            for notice_id, items in self._db.execute(
                    "SELECT notice, items FROM link WHERE regulation = ?",
                    (regulation,)):
                found.setdefault(notice_id, {}).update(pickle.loads(items))
        return found

    def put(self, rows: Iterable[Row]) -> None:
        """Remember notices read whole, each as its `cache_row`."""
        rows = list(rows)
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO notice VALUES (?, ?, ?, ?, ?, ?)",
                [(*row[:2], *row[2], *row[3:5]) for row in rows])
            self._db.executemany("DELETE FROM link WHERE notice = ?",
                                 [(row[0],) for row in rows])
            self._db.executemany("INSERT INTO link VALUES (?, ?, ?)",
                                 [(regulation, row[0], items) for row in rows
                                  for regulation, items in row[5]])

    def keep_only(self, ids: set[str]) -> None:
        gone = [(i,) for (i,) in self._db.execute("SELECT id FROM notice")
                if i not in ids]
        with self._db:
            self._db.executemany("DELETE FROM notice WHERE id = ?", gone)
            self._db.executemany("DELETE FROM link WHERE notice = ?", gone)

    def whole(self, summary: NoticeData) -> NoticeData:
        """The notice of `summary` with its detail."""
        row = self._db.execute("SELECT detail FROM notice WHERE id = ?",
                               (summary.id,)).fetchone()
        if row is None:
            raise KeyError(summary.id)
        findings, measures, persons, spans = pickle.loads(row[0])
        return dataclasses.replace(
            summary, links={*summary.links, *summary.item_links}, item_links=(),
            findings=[Finding(*item) for item in findings],
            measures=[Measure(*item) for item in measures],
            persons=[PersonNode(*item) for item in persons], spans=spans,
            complete=True)

    def inputs(self) -> dict[str, str]:
        """Page path → the digest of the inputs it was rendered from."""
        return dict(self._db.execute("SELECT path, inputs FROM page"))

    def set_inputs(self, inputs: dict[str, str]) -> None:
        with self._db:
            self._db.execute("DELETE FROM page")
            self._db.executemany("INSERT INTO page VALUES (?, ?)", inputs.items())

    def update_inputs(self, inputs: dict[str, str]) -> None:
        """Those of some pages, the others' kept."""
        with self._db:
            self._db.executemany("INSERT OR REPLACE INTO page VALUES (?, ?)",
                                 inputs.items())

    def close(self) -> None:
        self._db.close()


def cache_row(stamp: str, notice: NoticeData) -> Row:
    """What the cache keeps of a notice read whole from a file of `stamp`:
    its id, the stamp, its digests, its summary, its detail and its link
    items by the regulation they mention, pickled (made by the process that
    read it, so the writing one only stores it). The link items apart: a
    regulation's page reads back only those that mention it
    (`kg.pagedata.lean`)."""
    summary = summary_of(notice)
    digests = content_digests(summary, notice)
    summary.link_items = {}
    by_regulation: dict[str, dict[str, LinkItem]] = {}
    for source, _, regulation in notice.links:
        item = notice.link_items.get(source)
        if item is not None:
            by_regulation.setdefault(regulation, {})[source] = item
    return (notice.id, stamp, digests, pickle.dumps(summary, protocol=5),
            pickle.dumps(_detail(notice), protocol=5),
            [(regulation, pickle.dumps(items, protocol=5))
             for regulation, items in sorted(by_regulation.items())])


def _detail(notice: NoticeData) -> tuple[object, ...]:
    """The detail of `notice` as plain tuples: frozen dataclasses unpickle
    field by field in Python, several times slower."""
    def plain(items: Iterable[Finding | Measure | PersonNode]
              ) -> list[tuple[object, ...]]:
        return [tuple(getattr(item, f.name) for f in dataclasses.fields(item))
                for item in items]
    return (plain(notice.findings), plain(notice.measures), plain(notice.persons),
            notice.spans)


def summary_of(notice: NoticeData) -> NoticeData:
    """`notice` without its detail, its row worked out while it is whole,
    each IRI of its own one string wherever the summary names it (its links,
    subjects and problem facts): pickled once, and so read back once (the
    notice's IRI was in each of its ~65 links to a regulation)."""
    row = notice.row
    summary = dataclasses.replace(notice, findings=[], measures=[], persons=[],
                                  spans={}, complete=False)
    summary.__dict__["row"] = row
    own = {notice.iri: notice.iri}
    summary.links = {(own.setdefault(source, source), relation, regulation)
                     for source, relation, regulation in notice.links}
    summary.subjects = {(own.setdefault(problem, problem), category)
                        for problem, category in notice.subjects}
    summary.problem_facts = {own.setdefault(problem, problem): facts
                             for problem, facts in notice.problem_facts.items()}
    return summary


def content_digests(summary: NoticeData, notice: NoticeData) -> Digests:
    """Digests of what `notice` gives the pages that show other notices too
    (`summary` with its row and link items) and of all it gives its own
    page (its detail too): a page whose notices' digests are those it was
    rendered from shows the same, even when their files were written again
    (a line added to an input changes its graph's full text, which no page
    shows)."""
    shared = [summary.row, summary.link_items,
              *(getattr(summary, f.name) for f in dataclasses.fields(summary)
                if f.name not in _DETAIL)]
    digest = _digest(shared)
    return digest, _digest([digest, _detail(notice)])


_DETAIL: Final = ("findings", "measures", "persons", "spans", "link_items")


def _digest(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=_plain)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _plain(value: object) -> object:
    """A set sorted, a dataclass as its fields: JSON the same in any process
    (a set's order follows the string hashes, which differ per process)."""
    if isinstance(value, set | frozenset):
        return sorted(value, key=repr)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [getattr(value, f.name) for f in dataclasses.fields(value)]
    raise TypeError(f"no digest of {type(value).__name__}")


def gather_corpus(store_dir: Path, cache: PageCache, jobs: Jobs,
                  listing: Sequence[tuple[str, str]]) -> Corpus:
    """The corpus of the notices of `listing` ((IRI, id) of each notice in
    the store, sorted by id): each from the cache when its Turtle file is the
    one it was read from, else read again (by `jobs`). The cache then holds
    the corpus's notices and no other (a pages' worker reads them:
    kg.site)."""
    iris = {notice_id: iri for iri, notice_id in listing}
    stamps = {notice_id: file_stamp(notice_file(store_dir, notice_id))
              for _, notice_id in listing}
    regulations = RegulationTable()
    kept: list[NoticeData] = []
    digests: dict[str, Digests] = {}
    for notice_id, stamp, digest, summary in cache.summaries():
        if stamp and stamp == stamps.get(notice_id) and summary.iri == iris[notice_id]:
            kept.append(lean(summary, regulations))
            digests[notice_id] = digest
    todo = [(iri, notice_id, stamps[notice_id]) for iri, notice_id in listing
            if notice_id not in digests]
    # Each chunk stored as it comes: the details of the whole corpus are
    # never held here at once.
    for part in jobs.run(read_notices, store_dir, _chunks(todo, 32)):
        cache.put(part)
        for row in part:
            kept.append(lean(pickle.loads(row[3]), regulations))
            digests[row[0]] = row[2]
    cache.keep_only(set(digests))
    return Corpus.of(store_dir, kept, cache, digests, regulations)


def read_notices(store_dir: Path, listing: list[tuple[str, str, str]]) -> list[Row]:
    """The notices of `listing` ((IRI, id, stamp of its file)) read, as the
    cache keeps them."""
    stamps = {notice_id: stamp for _, notice_id, stamp in listing}
    return [cache_row(stamps[notice.id], notice) for notice in gather_notices(
        store_dir, [(iri, notice_id) for iri, notice_id, _ in listing])]


@dataclass(frozen=True, slots=True)
class Folder:
    """What a worker reading notices needs: the store's folder."""

    store_dir: Path

    def __call__(self) -> Path:
        return self.store_dir


def _chunks(items: list[T], size: int) -> list[list[T]]:
    return [items[i:i + size] for i in range(0, len(items), size)]
