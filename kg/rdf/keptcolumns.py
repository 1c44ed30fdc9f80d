"""The named queries whose answers the build keeps, their columns, and how a
kept row says what selects it: shared by the rows' writer (kg.rdf.answers,
in the build's workers) and their reader (kg.queries.kept, in `kg query`).

A module of its own, importing nothing: `kg query` read these constants from
kg.rdf.answers, which loads rdflib and the RDF mapping (~70 ms of the
command's start-up, on a target of half a second).
"""

from __future__ import annotations

from typing import Final

# The queries whose answers the build keeps, with their columns (those of
# kg/queries/NAME.rq, in its order).
KEPT_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "inspections": (
        "notice_id", "inspecting_body", "group", "inspected_unit", "start", "end",
        "feedback", "published", "problems_stated", "problems_found",
        "measures_stated", "measures_found", "group_start", "group_end", "notice",
        "inspection",
    ),
    "timeline": ("date", "event", "notice_id", "group", "inspected_unit", "start",
                 "end", "node"),
    "categories": ("category", "category_label", "notices", "problems", "notice_id",
                   "notice_problems", "example", "start", "end", "problem"),
    "measures": ("notice_id", "problem_id", "categories", "measure_id", "kind",
                 "text", "start", "end", "measure"),
    "enacted": ("inspected_unit", "notice_id", "document", "kind", "measure_id",
                "start", "end", "regulation", "measure"),
}
# Where a categories row holds its corpus-wide counts (`notices`,
# `problems`): written when the query runs, from every notice's rows.
COUNT_CELL: Final = "\x00"


_OWN_IRIS: Final = "<https://w3id.org/kg-inspection/"


def selector(name: str, term: str) -> str:
    """How a kept row says that parameter `name` with value `term` (a SPARQL
    term) selects it. `KeptRow.selectors` holds one per value, each starting
    with a space, and ends with a space: a row is selected where its
    selectors hold this and a space. kg's own IRIs are cut short: half the
    bytes of a measure's selectors."""
    return f" {name}={term.replace(_OWN_IRIS, '<~', 1)}"
