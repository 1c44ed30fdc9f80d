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


def render(result: Tabular, fmt: str) -> str:
    if fmt == "csv":
        return to_csv(result)
    if fmt == "json":
        return to_json(result)
    return to_table(result)


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


def to_table(result: Tabular) -> str:
    """An aligned table for people; rich measures CJK characters as two columns
    wide. Columns holding only IRIs are left out (they are for machines and
    make the table unreadable); CSV and JSON keep them."""
    iri_columns = [
        i
        for i, _ in enumerate(result.columns)
        if result.rows
        and all(row[i] is None or _IRI.match(row[i] or "") for row in result.rows)
    ]
    shown = [i for i in range(len(result.columns)) if i not in iri_columns]
    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    for i in shown:
        table.add_column(result.columns[i], overflow="fold")
    for row in result.rows:
        table.add_row(*("" if row[i] is None else row[i] for i in shown))
    # Wide enough never to fold a cell: a terminal or pager wraps long lines.
    console = Console(width=10_000, record=True, file=io.StringIO(), color_system=None)
    console.print(table)
    footer = f"({len(result.rows)} row{'s' if len(result.rows) != 1 else ''}"
    if iri_columns:
        names = ", ".join(result.columns[i] for i in iri_columns)
        footer += f"; IRI columns {names} in --format csv or json"
    return console.export_text().rstrip("\n") + "\n" + footer + ")"
