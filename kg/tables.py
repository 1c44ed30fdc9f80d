"""Query results → table, CSV or JSON text for the terminal and for pipes.

JSON carries each value with its type: numbers (xsd:integer, decimal, double
and their kin) as JSON numbers, booleans as true/false, dates and everything
else as strings in their XSD lexical form (ISO 8601 for dates), unbound as
null; docs/schema/query-result.json is the schema. CSV has no types: a number
is its digits, a date its ISO form, an unbound cell empty.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Final, Protocol

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table

from kg.vocab import NAMESPACES

if TYPE_CHECKING:
    from kg.store import Cell

_IRI = re.compile(r"^(?:https?|urn|file):")
_XSD: Final = NAMESPACES["xsd"]
_INTEGER_TYPES: Final = frozenset(_XSD + name for name in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger",
    "positiveInteger", "nonPositiveInteger", "negativeInteger", "unsignedLong",
    "unsignedInt", "unsignedShort", "unsignedByte"))
_REAL_TYPES: Final = frozenset(_XSD + name for name in ("decimal", "double", "float"))
# Rich draws " │ " between columns; a column narrower than this folds its
# cells into unreadable slivers, so columns are dropped before that.
_SEPARATOR: Final = 3
_NARROWEST: Final = 8
# A cell longer than this is cut in a table for people: the regulations
# query lists every notice id of a regulation (120,000 characters in one cell
# at 10,000 notices), which wrapped to a terminal made 18 MB of table.
CELL_MAX: Final = 200


class Tabular(Protocol):
    @property
    def columns(self) -> Sequence[str]: ...

    @property
    def rows(self) -> Sequence[Sequence[str | None]]: ...

    @property
    def cells(self) -> Sequence[Sequence[Cell | None]]: ...


def render(
    result: Tabular, fmt: str, *, more: bool = False, width: int | None = None
) -> str:
    """`result` as `fmt`; `more`: the query has rows past these, left out by a
    limit, which the table and Markdown footers say (CSV and JSON stay data);
    `width`: the terminal's, which a table must fit (None: no limit)."""
    if fmt == "markdown":
        return to_markdown(result, more=more)
    if fmt == "csv":
        return to_csv(result)
    if fmt == "json":
        return to_json(result)
    return to_table(result, more=more, width=width)


def left_out_note(shown: int) -> str:
    """What to say when a limit left rows out after the first `shown`."""
    first = "first row" if shown == 1 else f"first {shown} rows"
    return f"{first}; --limit 0 lists all"


def csv_record(cells: Sequence[str]) -> str:
    """One CSV record, without its line break, as `to_csv` writes it."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    return buffer.getvalue()[:-1]


def to_csv(result: Tabular) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(result.columns)
    # Rows the build kept are CSV records already (kg.queries.kept).
    if (records := getattr(result, "csv_records", None)) is not None:
        return "\n".join([buffer.getvalue()[:-1], *records])
    for row in result.rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return buffer.getvalue().rstrip("\n")


def to_json(result: Tabular) -> str:
    """An array of one object per row, column name → typed value: what
    ``json.dumps(records, ensure_ascii=False, indent=2)`` writes, an element
    at a time (`json_elements`), so that rows can be written in batches."""
    elements = json_elements(result)
    return "[\n" + ",\n".join(elements) + "\n]" if elements else "[]"


def json_elements(result: Tabular) -> list[str]:
    """Each row as an element of `to_json`'s array, indented as there."""
    return [
        "  " + json.dumps({name: json_value(cell) for name, cell
                           in zip(result.columns, row, strict=True)},
                          ensure_ascii=False, indent=2).replace("\n", "\n  ")
        for row in result.cells
    ]


def json_value(cell: Cell | None) -> str | int | float | bool | None:
    """A cell as JSON: numbers and booleans typed, the rest its text."""
    if cell is None:
        return None
    if cell.kind == "bnode":
        return "_:" + cell.value
    if cell.kind != "literal" or cell.datatype is None:
        return cell.value
    try:
        if cell.datatype in _INTEGER_TYPES:
            return int(cell.value)
        if cell.datatype in _REAL_TYPES:
            number = float(cell.value)
            # JSON has no NaN or infinity: those stay their XSD text.
            return number if math.isfinite(number) else cell.value
    except ValueError:  # an ill-typed literal: its text, as written
        return cell.value
    if cell.datatype == _XSD + "boolean" and cell.value in ("true", "false",
                                                           "1", "0"):
        return cell.value in ("true", "1")
    return cell.value


def _shown_columns(result: Tabular) -> tuple[list[int], list[int]]:
    """Indexes of the columns to show and of the IRI-only columns left out."""
    iri_columns = [
        i
        for i, _ in enumerate(result.columns)
        if any(row[i] is not None for row in result.rows)
        and all(row[i] is None or _IRI.match(row[i] or "") for row in result.rows)
    ]
    shown = [i for i in range(len(result.columns)) if i not in iri_columns]
    return shown, iri_columns


def _footer(
    result: Tabular, iri_columns: list[int], more: bool, dropped: Sequence[int] = ()
) -> str:
    shown = len(result.rows)
    if more:
        footer = "(" + left_out_note(shown)
    else:
        footer = f"({shown} row{'s' if shown != 1 else ''}"
    if iri_columns:
        names = ", ".join(result.columns[i] for i in iri_columns)
        footer += f"; IRI columns {names} in --format csv or json"
    if dropped:
        names = ", ".join(result.columns[i] for i in dropped)
        footer += (f"; columns {names} left out to fit the terminal: a wider one, "
                   "or --format csv or json, shows them")
    return footer + ")"


def to_markdown(result: Tabular, *, more: bool = False) -> str:
    """A GitHub-flavoured Markdown table, for reports and READMEs."""
    shown, iri_columns = _shown_columns(result)

    def cell(value: str | None) -> str:
        return "" if value is None else value.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(result.columns[i] for i in shown) + " |"]
    lines.append("|" + "---|" * len(shown))
    for row in result.rows:
        lines.append("| " + " | ".join(cell(row[i]) for i in shown) + " |")
    return "\n".join(lines) + "\n\n" + _footer(result, iri_columns, more)


def to_table(result: Tabular, *, more: bool = False, width: int | None = None) -> str:
    """An aligned table for people; rich measures CJK characters as two columns
    wide. Columns holding only IRIs are left out (they are for machines and
    make the table unreadable); CSV and JSON keep them. With a `width`, long
    cells wrap within their column, and the last columns are left out (the
    footer says which) when even wrapped they would not fit."""
    shown, iri_columns = _shown_columns(result)
    cut = any(len(cell or "") > CELL_MAX for row in result.rows for cell in row)
    if cut:
        result = _Cut(result, [[_cut(cell) for cell in row] for row in result.rows])
    dropped: list[int] = []
    widths: dict[int, int | None] = dict.fromkeys(shown)
    if width is not None:
        shown, dropped = _fitting(result, shown, width)
        widths = _widths(result, shown, width)
    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    for i in shown:
        table.add_column(result.columns[i], overflow="fold", width=widths[i])
    for row in result.rows:
        table.add_row(*("" if row[i] is None else row[i] for i in shown))
    # Without a width, wide enough never to fold a cell: a pager or an editor
    # shows long lines.
    console = Console(width=width or 10_000, record=True, file=io.StringIO(),
                      color_system=None)
    console.print(table)
    footer = _footer(result, iri_columns, more, dropped)
    if cut:
        footer = footer[:-1] + ("; long cells cut: --format csv or json gives "
                                "them whole)")
    if width is not None:
        footer = "\n".join(textwrap.wrap(footer, width, break_on_hyphens=False))
    return console.export_text().rstrip("\n") + "\n" + footer


class _Cut:
    """A result's rows with their long cells cut (`_cut`), as `to_table`
    shows them; its typed cells as they were."""

    def __init__(self, result: Tabular, rows: list[list[str | None]]) -> None:
        self.columns, self.cells = result.columns, result.cells
        self.rows: Sequence[Sequence[str | None]] = rows


def _cut(cell: str | None) -> str | None:
    """`cell` if it is at most CELL_MAX characters; else its start, cut at a
    space where it is a list (notice-1 notice-2 …), and how much is left out.

    >>> _cut("a " * 150).endswith(" a a … (and 51 more)")
    True
    >>> _cut("x" * 250)[-30:]
    'xxxxxxxx… (50 characters more)'
    """
    if cell is None or len(cell) <= CELL_MAX:
        return cell
    head = cell[:CELL_MAX]
    if " " in head.strip():
        head = head[:head.rstrip().rindex(" ")]
        return f"{head} … (and {len(cell[len(head):].split())} more)"
    return f"{head}… ({len(cell) - CELL_MAX:,} characters more)"


def _fitting(result: Tabular, shown: list[int], width: int) -> tuple[list[int],
                                                                       list[int]]:
    """The columns of `shown` that fit `width` with their cells wrapped to
    `_narrowest`, and those left out (the last ones)."""
    kept = list(shown)
    while len(kept) > 1 and (sum(_narrowest(result, i) for i in kept)
                             + _SEPARATOR * (len(kept) - 1)) > width:
        kept.pop()
    return kept, shown[len(kept):]


def _widths(result: Tabular, shown: list[int], width: int) -> dict[int, int | None]:
    """A width per column that fits `width` in all: each its narrowest, then
    the room left shared out, the columns that need least served first."""
    natural = {i: max([cell_len(result.columns[i])]
                      + [cell_len(row[i] or "") for row in result.rows])
               for i in shown}
    widths = {i: _narrowest(result, i) for i in shown}
    room = width - sum(widths.values()) - _SEPARATOR * (len(shown) - 1)
    waiting = sorted(shown, key=lambda i: natural[i] - widths[i])
    while waiting and room > 0:
        column = waiting.pop(0)
        extra = min(natural[column] - widths[column], room // (len(waiting) + 1))
        widths[column] += max(extra, 0)
        room -= max(extra, 0)
    return dict(widths)


def _narrowest(result: Tabular, column: int) -> int:
    """The narrowest a column may be: its header whole, its cells wrapped to
    at least `_NARROWEST` characters (fewer if none is longer)."""
    widest = max([0] + [cell_len(row[column] or "") for row in result.rows])
    return max(cell_len(result.columns[column]), min(widest, _NARROWEST))
