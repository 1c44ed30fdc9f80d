"""Query results → table, CSV or JSON text for the terminal and for pipes."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from typing import Protocol

from rich.console import Console
from rich.table import Table

_IRI = re.compile(r"^(?:https?|urn|file):")


class Tabular(Protocol):
    @property
    def columns(self) -> Sequence[str]: ...

    @property
    def rows(self) -> Sequence[Sequence[str | None]]: ...


def render(result: Tabular, fmt: str, *, more: bool = False) -> str:
    """`result` as `fmt`; `more`: the query has rows past these, left out by a
    limit, which the table and Markdown footers say (CSV and JSON stay data)."""
    if fmt == "markdown":
        return to_markdown(result, more=more)
    if fmt == "csv":
        return to_csv(result)
    if fmt == "json":
        return to_json(result)
    return to_table(result, more=more)


def left_out_note(shown: int) -> str:
    """What to say when a limit left rows out after the first `shown`."""
    first = "first row" if shown == 1 else f"first {shown} rows"
    return f"{first}; --limit 0 lists all"


def to_csv(result: Tabular) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(result.columns)
    for row in result.rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return buffer.getvalue().rstrip("\n")


def to_json(result: Tabular) -> str:
    records = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
    return json.dumps(records, ensure_ascii=False, indent=2)


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


def _footer(result: Tabular, iri_columns: list[int], more: bool) -> str:
    shown = len(result.rows)
    if more:
        footer = "(" + left_out_note(shown)
    else:
        footer = f"({shown} row{'s' if shown != 1 else ''}"
    if iri_columns:
        names = ", ".join(result.columns[i] for i in iri_columns)
        footer += f"; IRI columns {names} in --format csv or json"
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


def to_table(result: Tabular, *, more: bool = False) -> str:
    """An aligned table for people; rich measures CJK characters as two columns
    wide. Columns holding only IRIs are left out (they are for machines and
    make the table unreadable); CSV and JSON keep them."""
    shown, iri_columns = _shown_columns(result)
    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    for i in shown:
        table.add_column(result.columns[i], overflow="fold")
    for row in result.rows:
        table.add_row(*("" if row[i] is None else row[i] for i in shown))
    # Wide enough never to fold a cell: a terminal or pager wraps long lines.
    console = Console(width=10_000, record=True, file=io.StringIO(), color_system=None)
    console.print(table)
    return console.export_text().rstrip("\n") + "\n" + _footer(
        result, iri_columns, more
    )
