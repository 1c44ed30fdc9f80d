"""The rows the named queries answer, stated in each notice's graph.

(Being written: issue 15, summaries for every question.)
"""

from __future__ import annotations

from collections.abc import Mapping

from kg.model import Notice
from kg.rdf.iri import NoticeTerms


def summary_rows(
    notice: Notice, iris: NoticeTerms[str], labels: Mapping[str, str]
) -> list[tuple[str, str, str]]:
    """The row statements of `notice` (N-Triples terms, kg.rdf.terms):
    `iris` are its IRIs as N-Triples text, `labels` the skos:prefLabel the
    RDF stage gave each shared node (by its N-Triples IRI)."""
    return []
