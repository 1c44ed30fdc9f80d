"""Named queries answered from the rows the build kept (kg.rdf.answers).

The build cache (``out/.kg-cache.sqlite``) holds, for every notice graph of
the store, the rows each of `inspections`, `timeline`, `categories`,
`measures` and `enacted` gives for it. Where those rows are current, ``kg
query`` reads them instead of running the SPARQL: SQLite sorts them by an
index and cuts them, and every row's CSV line is kept as it is written, so all
618,101 measure rows of 10,000 notices come out in about a second where the
SPARQL took 105.

The rows are current when the last build ended (`outputs_current`), with a
cache of this format, and every graph of the store is one the cache knows:
a notice graph no input of the cache made (an orphan, which the build keeps
until told to prune) has no kept rows, so its queries run the SPARQL. A
store changed by another program than ``kg build`` is not seen:
``kg query --from-store`` runs the SPARQL whatever the cache holds.
"""

from __future__ import annotations

import contextlib
import csv
import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.buildcache import CACHE_FILE, FORMAT, ORPHAN_KEY
from kg.rdf.keptcolumns import COUNT_CELL, KEPT_COLUMNS, selector
from kg.store import Cell

_XSD = "http://www.w3.org/2001/XMLSchema#"


@dataclass(frozen=True, slots=True)
class Kept:
    """The rows of a kept answer: CSV lines, and their cells' type codes by
    number (`codes`), read into cells only when asked for."""

    columns: list[str]
    lines: Sequence[str]
    types: Sequence[int]
    codes: Mapping[int, str]  # table answer_types
    _cells: list[list[Cell | None]] = field(default_factory=list, compare=False)

    def first(self, count: int) -> Kept:
        return Kept(self.columns, self.lines[:count], self.types[:count], self.codes)

    @property
    def cells(self) -> list[list[Cell | None]]:
        if not self._cells and self.lines:
            self._cells.extend(_cells(self.lines, [self.codes[t] for t in self.types]))
        return self._cells

    @property
    def rows(self) -> list[list[str | None]]:
        return [[None if cell is None else cell.value for cell in row]
                for row in self.cells]


def kept_answer(name: str, out: Path, *, limit: int | None,
                **terms: str | None) -> Kept | None:
    """The first `limit` rows (None: all) of query `name` with the
    parameters `terms` (kind, category, min_notices: SPARQL terms as
    kg.queries makes them, None where not given), read from the build's
    cache in `out`; None where it has no current rows for it."""
    db = _connect(out / CACHE_FILE, name)
    if db is None:
        return None
    with contextlib.closing(db):
        sql, parameters = _select(name, limit, **terms)
        return _kept(name, db.execute(sql, parameters).fetchall(), _codes(db))


def kept_batches(name: str, out: Path, **terms: str | None) -> Iterator[Kept] | None:
    """Every row of query `name`, in batches of 10,000, read as they are written
    out (all 618,101 measure rows of 10,000 notices held at once took 1.1 GB
    as CSV, 3.4 GB as JSON); None where the cache has no current rows for
    it."""
    connection = _connect(out / CACHE_FILE, name)
    if connection is None:
        return None
    return _batches(connection, name, *_select(name, None, **terms))


def kept_csv(name: str, out: Path, **terms: str | None) -> Iterator[bytes] | None:
    """Every row of query `name` as its CSV line, UTF-8, each ended by a
    newline, in chunks of 10,000 lines; None where the cache has no current
    rows for it. The lines are read as bytes and written as bytes: decoding
    them into strings and encoding them again was most of the time of the
    618,101 measure rows of 10,000 notices (2.0 of 2.3 s)."""
    db = _connect(out / CACHE_FILE, name)
    if db is None:
        return None
    db.text_factory = bytes
    return _csv_chunks(db, name, *_select(name, None, **terms))


def _csv_chunks(db: sqlite3.Connection, name: str, sql: str,
                parameters: list[str]) -> Iterator[bytes]:
    with contextlib.closing(db):
        cursor = db.execute(sql, parameters)
        while rows := cursor.fetchmany(10_000):
            if name == "categories":
                lines = [_counted_bytes(line, notices, problems)
                         for line, _, notices, problems in rows]
            else:
                lines = [row[0] for row in rows]
            lines.append(b"")
            yield b"\n".join(lines)


_COUNT_BYTES = COUNT_CELL.encode("utf-8")


def _counted_bytes(line: bytes, notices: int, problems: int) -> bytes:
    """`_counted` of one line read as bytes."""
    return line.replace(_COUNT_BYTES, b"%d" % notices, 1).replace(
        _COUNT_BYTES, b"%d" % problems, 1)


def _batches(db: sqlite3.Connection, name: str, sql: str, parameters: list[str]
           ) -> Iterator[Kept]:
    with contextlib.closing(db):
        codes = _codes(db)
        cursor = db.execute(sql, parameters)
        while rows := cursor.fetchmany(10_000):
            yield _kept(name, rows, codes)


def _kept(name: str, rows: Sequence[Sequence[Any]], codes: Mapping[int, str]
          ) -> Kept:
    """The rows `_select` read (line, types, …) as a kept answer."""
    lines, types, *_ = zip(*rows, strict=True) if rows else ((), ())
    return Kept(list(KEPT_COLUMNS[name]), _counted(name, lines, rows), types, codes)


def _select(name: str, limit: int | None, *, kind: str | None = None,
            category: str | None = None, min_notices: str | None = None
            ) -> tuple[str, list[str]]:
    """The SQL of the kept rows (line, types, and for `categories` the
    category's notices and problems) in the query's order."""
    cut = "" if limit is None else f" LIMIT {int(limit)}"
    if name == "categories":
        having = ("" if min_notices is None
                  else f" HAVING COUNT(*) >= {int(min_notices)}")
        return (
            "WITH counts AS (SELECT k1 AS category, COUNT(*) AS notices, "
            "SUM(k3) AS problems FROM answers WHERE query = 'categories' "
            f"GROUP BY k1{having}) "
            "SELECT line, types, notices, problems FROM answers "
            "JOIN counts ON answers.k1 = counts.category "
            "WHERE query = 'categories' "
            f"ORDER BY notices DESC, problems DESC, k1, k2{cut}", [])
    where, parameters = "query = ?", [name]
    for parameter, term in (("kind", kind), ("category", category)):
        if term is not None:
            where += " AND instr(selectors, ?) > 0"
            parameters.append(selector(parameter, term) + " ")
    return (f"SELECT line, types FROM answers WHERE {where} "
            f"ORDER BY k1, k2, k3, k4{cut}", parameters)


def _counted(name: str, lines: Sequence[str], rows: Sequence[Sequence[Any]]
             ) -> Sequence[str]:
    """The lines, with a categories row's counts (the category summary
    graph's: notices and problems over every notice) written in."""
    if name != "categories":
        return lines
    return [line.replace(COUNT_CELL, str(row[2]), 1).replace(COUNT_CELL,
                                                              str(row[3]), 1)
            for line, row in zip(lines, rows, strict=True)]


def _connect(path: Path, name: str) -> sqlite3.Connection | None:
    """The cache, read-only, where it has current rows of query `name`."""
    if name not in KEPT_COLUMNS or not path.is_file():
        return None
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        if _current(db):
            return db
    except (sqlite3.Error, ValueError):
        pass
    db.close()
    return None


def _current(db: sqlite3.Connection) -> bool:
    meta = {name: json.loads(value) for name, value
            in db.execute("SELECT name, value FROM meta WHERE name IN "
                          "('format', 'outputs_current')")}
    if meta.get("format") != FORMAT or meta.get("outputs_current") is not True:
        return False
    orphan = db.execute("SELECT 1 FROM inputs WHERE key >= ? AND key < ? LIMIT 1",
                        (ORPHAN_KEY, ORPHAN_KEY[:-1] + chr(ord(ORPHAN_KEY[-1]) + 1)))
    if orphan.fetchone() is not None:
        return False
    # The tables read, with the columns read: a damaged or foreign cache
    # raises here (sqlite3.Error: not current), not halfway through a page.
    db.execute("SELECT id, types FROM answer_types LIMIT 1").fetchall()
    db.execute("SELECT line, types, selectors, k1, k2, k3, k4 FROM answers "
               "WHERE query = '' LIMIT 1").fetchall()
    return True


def _codes(db: sqlite3.Connection) -> dict[int, str]:
    return dict(db.execute("SELECT id, types FROM answer_types"))


def _cells(lines: Sequence[str], types: Sequence[str]) -> Iterator[list[Cell | None]]:
    for texts, codes in zip(csv.reader(lines), types, strict=True):
        yield [_cell(text, code) for text, code in zip(texts, codes.split(" "),
                                                     strict=True)]


def _cell(text: str, code: str) -> Cell | None:
    if code == "-":
        return None
    if code == "u":
        return Cell("uri", text)
    if code == "s":
        return Cell("literal", text)
    if code.startswith("@"):
        return Cell("literal", text, lang=code[1:])
    datatype = code[1:]
    return Cell("literal", text, _XSD + datatype[4:] if datatype.startswith("xsd:")
                else datatype)

