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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from kg.buildcache import FORMAT, ORPHAN_KEY
from kg.rdf.answers import COUNT_CELL, KEPT_COLUMNS, selector
from kg.store import Cell

CACHE_FILE: Final = ".kg-cache.sqlite"  # kg.build.CACHE_FILE
_XSD = "http://www.w3.org/2001/XMLSchema#"


@dataclass(frozen=True, slots=True)
class Kept:
    """The rows of a kept answer: CSV lines and their cells' type codes."""

    columns: list[str]
    lines: Sequence[str]
    types: Sequence[str]
    _cells: list[list[Cell | None]] = field(default_factory=list, compare=False)

    @property
    def cells(self) -> list[list[Cell | None]]:
        if not self._cells and self.lines:
            self._cells.extend(_cells(self.lines, self.types))
        return self._cells

    @property
    def rows(self) -> list[list[str | None]]:
        return [[None if cell is None else cell.value for cell in row]
                for row in self.cells]


def kept_answer(name: str, out: Path, *, limit: int | None, kind: str | None,
                category: str | None, min_notices: int | None) -> Kept | None:
    """The first `limit` rows (None: all) of query `name` with these
    parameters (SPARQL terms, as kg.queries makes them), read from the
    build's cache in `out`; None where it has no current rows for it."""
    if name not in KEPT_COLUMNS:
        return None
    with _opened(out / CACHE_FILE) as db:
        if db is None:
            return None
        columns = list(KEPT_COLUMNS[name])
        if name == "categories":
            return Kept(columns, *_categories(db, limit, min_notices))
        where, parameters = "query = ?", [name]
        for parameter, term in (("kind", kind), ("category", category)):
            if term is not None:
                where += " AND instr(selectors, ?) > 0"
                parameters.append(selector(parameter, term) + " ")
        rows = db.execute(
            f"SELECT line, types FROM answers WHERE {where} "
            f"ORDER BY k1, k2, k3, k4{_limit(limit)}", parameters).fetchall()
        types = _types(db)
        return Kept(columns, [line for line, _ in rows],
                    [types[number] for _, number in rows])


def _limit(limit: int | None) -> str:
    return "" if limit is None else f" LIMIT {int(limit)}"


@contextlib.contextmanager
def _opened(path: Path) -> Iterator[sqlite3.Connection | None]:
    """The cache, read-only, where its rows are current; else None."""
    if not path.is_file():
        yield None
        return
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        yield None
        return
    with contextlib.closing(db):
        try:
            current = _current(db)
        except (sqlite3.Error, ValueError):
            current = False
        yield db if current else None


def _current(db: sqlite3.Connection) -> bool:
    meta = {name: json.loads(value) for name, value
            in db.execute("SELECT name, value FROM meta WHERE name IN "
                          "('format', 'outputs_current')")}
    if meta.get("format") != FORMAT or meta.get("outputs_current") is not True:
        return False
    orphan = db.execute("SELECT 1 FROM inputs WHERE key >= ? AND key < ? LIMIT 1",
                        (ORPHAN_KEY, ORPHAN_KEY[:-1] + chr(ord(ORPHAN_KEY[-1]) + 1)))
    return orphan.fetchone() is None


def _categories(db: sqlite3.Connection, limit: int | None, min_notices: int | None
                ) -> tuple[list[str], list[str]]:
    """Rows ranked by their category's notices and problems over every
    notice (the category summary graph's counts), written into each line."""
    having = "" if min_notices is None else f" HAVING COUNT(*) >= {int(min_notices)}"
    rows = db.execute(
        "WITH counts AS (SELECT k1 AS category, COUNT(*) AS notices, "
        f"SUM(k3) AS problems FROM answers WHERE query = 'categories' GROUP BY k1"
        f"{having}) "
        "SELECT line, types, notices, problems FROM answers "
        "JOIN counts ON answers.k1 = counts.category WHERE query = 'categories' "
        f"ORDER BY notices DESC, problems DESC, k1, k2{_limit(limit)}").fetchall()
    lines = [line.replace(COUNT_CELL, str(notices), 1).replace(COUNT_CELL,
                                                                str(problems), 1)
             for line, _, notices, problems in rows]
    types = _types(db)
    return lines, [types[number] for _, number, _, _ in rows]


def _types(db: sqlite3.Connection) -> dict[int, str]:
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

