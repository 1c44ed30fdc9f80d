"""The build cache, ``out/.kg-cache.sqlite``: what each input was built from,
and what its notice adds to the summary graph.

One row per input (its path, sha256, notice id and graph, or the error it
failed with), and the notice's `ScopedCitation` rows (kg/rdf/summary.py). An
input with the same bytes, kg version and extractor fingerprint is not
extracted again.

SQLite (Python's own sqlite3) and not one JSON file, because of scale: the
writer commits each batch it loaded into the store as one small transaction,
where the JSON file (90 MB at 10,000 notices) was rewritten whole every 10
seconds, quadratic in the corpus and the largest allocation of the build; and
the summary reads the citations of just the regulations that changed, in key
order, streaming (`dirty` holds those keys until the summary graph has them,
so a build killed in between leaves them for the next one).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:  # imported where rows are made: it imports the extractors
    from kg.rdf.answers import KeptRow
    from kg.rdf.summary import ScopedCitation

# 7: each input's stat when it was hashed (table hashed); 6: the named
# queries' rows of each graph (table answers); 5: a record
# holds its notice's category counts; 4: a record is `Record` as JSON; 3: a
# free-form dict; 1, 2: a JSON file. A cache of another format is read as
# lost: the store then decides what exists (its notice graphs no record knows
# are orphans) and every input is extracted again.
FORMAT = 7
# The cache's file in the output folder.
CACHE_FILE: Final = ".kg-cache.sqlite"
# An input's (size, modification time in ns, inode) when it was hashed, and
# its sha256.
Stat = tuple[int, int, int]
Hashed = tuple[Stat, str]
# The key of a record made for a notice graph the store holds and the cache
# did not know (an orphan): no input's key starts so (see `cache_key`).
ORPHAN_KEY = "store:"


@dataclasses.dataclass(frozen=True, slots=True)
class Record:
    """What the cache remembers of one input: what it was built from, and
    what its notice became (a graph and two files) or why it failed."""

    path: str  # as given, or found under a folder given
    sha256: str | None  # None: an orphan's, whose input is not known
    notice_id: str
    graph: str | None = None  # None: the input failed (`error` says why)
    error: str = ""
    warnings: tuple[str, ...] = ()
    triples: int = 0
    # Bytes of notices/<id>.ttl and .json as written: a file of another size
    # was changed or cut short, and is written again.
    ttl_bytes: int | None = None
    json_bytes: int | None = None
    # (category id, problems of the notice in it): the category summary
    # graph adds these up over every notice (kg.derived).
    categories: tuple[tuple[str, int], ...] = ()

    def to_json(self) -> str:
        fields = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        return _json_text({**fields, "warnings": list(self.warnings),
                           "categories": [list(pair) for pair in self.categories]})

    @classmethod
    def from_json(cls, text: str) -> Record:
        """The record of `to_json`; `ValueError` for anything else (a record
        of another format reads as a lost cache, `read_cache`)."""
        try:
            fields = json.loads(text)
            return cls(**{**fields, "warnings": tuple(fields["warnings"]),
                          "categories": tuple((str(category), int(problems))
                                              for category, problems
                                              in fields["categories"])})
        except (TypeError, KeyError) as error:
            raise ValueError(f"not a build cache record ({error})") from error

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS inputs (
    key TEXT PRIMARY KEY,       -- the input's absolute path
    record TEXT NOT NULL        -- its Record as JSON (Record.to_json)
);
CREATE TABLE IF NOT EXISTS citations (
    key TEXT NOT NULL, scope TEXT NOT NULL, graph TEXT NOT NULL,
    notice_id TEXT NOT NULL, date TEXT, label TEXT NOT NULL, kind TEXT,
    level TEXT, mentions INTEGER NOT NULL, bare INTEGER NOT NULL,
    PRIMARY KEY (key, scope, graph)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS citations_by_graph ON citations (graph);
CREATE TABLE IF NOT EXISTS dirty (key TEXT PRIMARY KEY) WITHOUT ROWID;
-- Each input's size, modification time and inode when it was hashed, and
-- its sha256 (kg.discover.identify): an input of that stat is not read again.
CREATE TABLE IF NOT EXISTS hashed (
    key TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    inode INTEGER NOT NULL, sha256 TEXT NOT NULL
) WITHOUT ROWID;
-- The rows each named query gives for one notice graph (kg.rdf.answers),
-- read by kg.queries.kept in the order of the query's sort keys k1..k4. A
-- graph's IRI and a row's cell types are stated once, by number: at 10,000
-- notices there are some 960,000 rows, of a few dozen kinds of cell types.
CREATE TABLE IF NOT EXISTS answer_graphs (
    id INTEGER PRIMARY KEY, graph TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS answer_types (
    id INTEGER PRIMARY KEY, types TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS answers (
    graph INTEGER NOT NULL, query TEXT NOT NULL, k1, k2, k3, k4,
    selectors TEXT NOT NULL, line TEXT NOT NULL, types INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS answers_by_graph ON answers (graph);
CREATE INDEX IF NOT EXISTS answers_in_order ON answers (query, k1, k2, k3, k4);
"""
_COLUMNS = "key, scope, notice_id, date, label, kind, level, mentions, bare"


def cache_key(absolute_path: str) -> str:
    """The key of an input: its absolute path, or for a path whose bytes are
    not UTF-8 (SQLite holds UTF-8 text only) ``bytes:`` and the path's bytes
    in hex, which no absolute path starts with."""
    try:
        absolute_path.encode("utf-8")
    except UnicodeEncodeError:
        return "bytes:" + os.fsencode(absolute_path).hex()
    return absolute_path


def _json_text(value: object) -> str:
    """JSON, readable (not ASCII-escaped) unless it holds a lone surrogate
    (a file name's bytes that are not UTF-8), which only escapes can carry."""
    text = json.dumps(value, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(value)
    return text


def read_cache(path: Path) -> tuple[dict[str, Any], dict[str, Record]]:
    """The meta values and the input records of the last build; nothing for a
    missing, unreadable or older cache (the build then extracts everything
    again). Opened read-only: reading never changes the file."""
    meta, records, _ = read_cache_and_hashes(path)
    return meta, records


def read_cache_and_hashes(path: Path) -> tuple[
        dict[str, Any], dict[str, Record], dict[str, Hashed]]:
    """`read_cache`, and input key → (stat, sha256) of each input as it was
    hashed (`BuildCache.set_hashed`)."""
    if not path.is_file():
        return {}, {}, {}
    try:
        with _read_only(path) as connection:
            meta = _meta(connection)
            if meta.get("format") != FORMAT:
                return {}, {}, {}
            records = {key: Record.from_json(record) for key, record
                       in connection.execute("SELECT key, record FROM inputs")}
            hashed = {key: ((size, mtime, inode), sha256)
                      for key, size, mtime, inode, sha256 in connection.execute(
                          "SELECT key, size, mtime_ns, inode, sha256 FROM hashed")}
    except (sqlite3.Error, ValueError):
        return {}, {}, {}
    return meta, records, hashed


def _read_format(path: Path) -> object:
    """The format number of the cache at `path` (which exists); None when it
    cannot be read. The meta table alone is read: at 10,000 notices reading
    the records too took 0.3 s."""
    try:
        with _read_only(path) as connection:
            return _meta(connection).get("format")
    except (sqlite3.Error, ValueError):
        return None


def _read_only(path: Path) -> contextlib.closing[sqlite3.Connection]:
    """The cache opened read-only: reading never changes the file."""
    return contextlib.closing(
        sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True))


def _meta(connection: sqlite3.Connection) -> dict[str, Any]:
    return {name: json.loads(value) for name, value
            in connection.execute("SELECT name, value FROM meta")}


class BuildCache:
    """The cache open for writing by the one build that holds the store."""

    def __init__(self, path: Path) -> None:
        """Open the cache at `path`, made anew when it is of an older kg or
        cannot be read. Only its format is looked at: a record that cannot be
        read (the build then extracts every input again) is replaced by the
        input's new record or, for an input gone, removed (`keep_only`)."""
        if path.exists() and _read_format(path) != FORMAT:
            path.unlink()
        self.path = path
        # isolation_level=None: transactions are the explicit BEGIN/COMMIT of
        # `_transaction`, one per call that writes.
        # check_same_thread=False: the build's loader thread commits batches
        # while the main thread waits (kg.build._Loader); never both at once.
        self._db = sqlite3.connect(path, isolation_level=None,
                                   check_same_thread=False)
        self._db.executescript(_SCHEMA)
        self._types: dict[str, int] = {}  # answer_types, as read or written

    def set_meta(self, values: Mapping[str, Any]) -> None:
        with self._transaction():
            self._db.executemany(
                "INSERT OR REPLACE INTO meta VALUES (?, ?)",
                [(name, json.dumps(value)) for name, value in values.items()],
            )

    def save(
        self, built: Sequence[tuple[str, Record, Sequence[ScopedCitation]]],
        answers: Sequence[tuple[str, Sequence[KeptRow]]] = (),
    ) -> None:
        """Record inputs whose graphs are in the store, with the citations of
        their notices (which replace those of the same graph), and the rows
        of the named queries of graphs (graph IRI, rows: which replace the
        graph's), in one transaction. The regulations whose citations change
        become dirty."""
        with self._transaction():
            for graph, kept in answers:
                self._save_answers(graph, kept)
            for key, record, rows in built:
                self._db.execute("INSERT OR REPLACE INTO inputs VALUES (?, ?)",
                                 (key, record.to_json()))
                if record.graph is not None:
                    self._drop_citations("graph = ?", (record.graph,))
                    self._db.executemany(
                        "INSERT INTO citations (key, scope, graph, notice_id, date, "
                        "label, kind, level, mentions, bare) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [(r.key, r.scope, record.graph, r.notice_id, r.date,
                          r.label, r.kind, r.level, r.mentions, r.bare) for r in rows],
                    )
                    self._db.executemany("INSERT OR IGNORE INTO dirty VALUES (?)",
                                         {(r.key,) for r in rows})

    def set_hashed(self, hashed: Mapping[str, Hashed],
                   known: Mapping[str, Hashed]) -> None:
        """Remember the inputs' stats and sha256 `hashed`, the cache knowing
        `known` (what `read_cache_and_hashes` read): only the difference is
        written."""
        gone = [(key,) for key in known.keys() - hashed.keys()]
        changed = [(key, *stat, sha256) for key, (stat, sha256) in hashed.items()
                   if known.get(key) != (stat, sha256)]
        if not gone and not changed:
            return
        with self._transaction():
            self._db.executemany("DELETE FROM hashed WHERE key = ?", gone)
            self._db.executemany("INSERT OR REPLACE INTO hashed VALUES (?, ?, ?, ?, ?)",
                                 changed)

    def keep_only(self, records: Mapping[str, Record]) -> None:
        """Forget every input but those of `records`, and the citations of
        every graph none of them has."""
        graphs = {r.graph for r in records.values() if r.graph is not None}
        with self._transaction():
            self._db.execute(
                "CREATE TEMP TABLE IF NOT EXISTS live (name TEXT PRIMARY KEY)")
            self._db.execute("DELETE FROM live")
            self._db.executemany("INSERT OR IGNORE INTO live VALUES (?)",
                                 [(k,) for k in records])
            self._db.execute(
                "DELETE FROM inputs WHERE key NOT IN (SELECT name FROM live)")
            self._db.execute("DELETE FROM live")
            self._db.executemany("INSERT INTO live VALUES (?)", [(g,) for g in graphs])
            # The graphs cited from, read off their index, and those gone
            # dropped one by one: a NOT IN over the citations read all their
            # rows (600,000 at 10,000 notices, 0.5-1 s of a one-file rebuild).
            cited = self._db.execute("SELECT DISTINCT graph FROM citations")
            for (graph,) in [row for row in cited if row[0] not in graphs]:
                self._drop_citations("graph = ?", (graph,))
            self._db.execute(
                "DELETE FROM answers WHERE graph IN (SELECT id FROM answer_graphs "
                "WHERE graph NOT IN (SELECT name FROM live))")
            self._db.execute(
                "DELETE FROM answer_graphs WHERE graph NOT IN (SELECT name FROM live)")
            self._db.execute("DELETE FROM live")

    def dirty_keys(self) -> list[str]:
        rows = self._db.execute("SELECT key FROM dirty ORDER BY key")
        return [key for (key,) in rows]

    def key_count(self, at_most: int | None = None) -> int:
        """How many regulations the notices cite, counted no further than
        `at_most`: the scan of the keys' index stops there (counting all of
        them read the 600,000 citations of 10,000 notices, 0.6 s of a
        one-file rebuild that only asks whether there are more than 240)."""
        (count,) = self._db.execute(
            "SELECT COUNT(*) FROM (SELECT DISTINCT key FROM citations LIMIT ?)",
            (-1 if at_most is None else at_most,)).fetchone()
        return int(count)

    def citations(self, keys: Iterable[str] | None = None) -> Iterator[ScopedCitation]:
        """The citation rows of `keys` (None: all), sorted by key and scope."""
        from kg.rdf.summary import ScopedCitation

        if keys is None:
            cursor = self._db.execute(
                f"SELECT {_COLUMNS} FROM citations ORDER BY key, scope")
            for row in cursor:
                yield ScopedCitation(*row)
            return
        # One query per key, not an IN list: SQLite caps a statement's
        # variables, and a key's rows are one index range.
        for key in sorted(set(keys)):
            for row in self._db.execute(
                f"SELECT {_COLUMNS} FROM citations WHERE key = ? ORDER BY scope",
                (key,),
            ):
                yield ScopedCitation(*row)

    def clean(self, keys: Iterable[str]) -> None:
        """The summary graph holds the usages of `keys` as they are now."""
        with self._transaction():
            self._db.executemany("DELETE FROM dirty WHERE key = ?",
                                 [(k,) for k in keys])

    def close(self) -> None:
        self._db.close()

    def _save_answers(self, graph: str, kept: Sequence[KeptRow]) -> None:
        """The rows of `graph` (replacing its rows) in the transaction open."""
        self._db.execute("INSERT OR IGNORE INTO answer_graphs (graph) VALUES (?)",
                         (graph,))
        (number,) = self._db.execute("SELECT id FROM answer_graphs WHERE graph = ?",
                                     (graph,)).fetchone()
        self._db.execute("DELETE FROM answers WHERE graph = ?", (number,))
        self._db.executemany(
            "INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(number, k.query, *k.keys, k.selectors, k.line, self._types_id(k.types))
             for k in kept])

    def _types_id(self, types: str) -> int:
        number = self._types.get(types)
        if number is None:
            self._db.execute("INSERT OR IGNORE INTO answer_types (types) VALUES (?)",
                             (types,))
            (number,) = self._db.execute(
                "SELECT id FROM answer_types WHERE types = ?", (types,)).fetchone()
            self._types[types] = number
        return int(number)

    def _drop_citations(self, where: str, parameters: tuple[str, ...]) -> None:
        self._db.execute(
            "INSERT OR IGNORE INTO dirty "
            f"SELECT DISTINCT key FROM citations WHERE {where}",
            parameters,
        )
        self._db.execute(f"DELETE FROM citations WHERE {where}", parameters)

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")
