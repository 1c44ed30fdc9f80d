"""Query results → table, CSV or JSON text for the terminal and for pipes."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Protocol

from rich.console import Console
from rich.table import Table


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
    """An aligned table; rich measures CJK characters as two columns wide."""
    table = Table(show_edge=False, header_style="bold", pad_edge=False)
    for column in result.columns:
        table.add_column(column, overflow="fold")
    for row in result.rows:
        table.add_row(*("" if cell is None else cell for cell in row))
    console = Console(width=200, record=True, file=io.StringIO(), color_system=None)
    console.print(table)
    footer = f"({len(result.rows)} row{'s' if len(result.rows) != 1 else ''})"
    return console.export_text().rstrip("\n") + "\n" + footer
