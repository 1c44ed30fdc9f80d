"""How each regulation is used across the corpus: one summary graph.

Counting mentions per regulation over every notice graph is a GROUP BY over
every mention annotation of the corpus: about 3.5 s at 1,000 notices and ten
times that at 10,000 on Oxigraph. Users ask "which regulations recur?" first
and often, so the build keeps the answer: each worker reduces its notice to
`Citation`s (one per regulation it mentions), the build cache keeps them as
`ScopedCitation` rows (kg/buildcache.py), and after every build that changed
something the writer rewrites the usage nodes of the regulations whose
citations changed: a `kg:RegulationUsage` node per regulation for all its
mentions, in the graph `SUMMARY_GRAPH`, and per regulation and relation, in a
graph per relation (`SUMMARY_GRAPHS`). A graph per scope, so that ranking the
regulations of one scope reads one index range (`?usage kg:noticeCount ?n`
in that graph) instead of joining every usage with its scope: at 10,000
notices 0.1 s instead of 0.6. The nodes are derived data (the build activity
that last revised them `prov:generated` the graphs), and every figure can be
checked against the notice graphs (tests/test_summary.py does).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from pyoxigraph import Literal, NamedNode, Quad

from kg.model import Notice, Relation
from kg.rdf import iri
from kg.rdf.namespaces import ox_eli, ox_kg, ox_rdf, ox_skos, ox_xsd

ALL = "all"  # the scope of the usage node that counts every mention
SUMMARY_GRAPH = iri.summary_graph_iri(ALL)
# The graph of each scope: ALL, then each relation.
SUMMARY_GRAPHS = {scope: iri.summary_graph_iri(scope)
                  for scope in (ALL, *(r.value for r in Relation))}


@dataclass(frozen=True, slots=True)
class Citation:
    """How one notice mentions one regulation (by its normalisation key)."""

    key: str
    label: str
    kind: str | None
    level: str | None
    relations: dict[str, int]  # relation → mentions; 《》 and bare together
    bare: int  # mentions without 《》


class ScopedCitation(NamedTuple):
    """One notice's mentions of one regulation in one scope: a row of the
    build cache, and what `usages` adds up."""

    key: str
    scope: str  # ALL, or a relation
    notice_id: str
    date: str | None
    label: str
    kind: str | None
    level: str | None
    mentions: int
    bare: int


@dataclass(frozen=True, slots=True)
class Usage:
    """How one regulation is used in one scope across the notices."""

    key: str
    scope: str
    label: str
    kind: str | None
    level: str | None
    notice_ids: tuple[str, ...]  # sorted
    mentions: int
    bare: int
    first_date: str | None
    last_date: str | None


def notice_date(notice: Notice) -> str | None:
    """The date a notice stands for in the summary: its publication, else the
    latest date of its inspection it states."""
    for date in (
        notice.published,
        notice.feedback_date,
        notice.inspection_end,
        notice.inspection_start,
    ):
        if date is not None:
            return date.iso
    return None


def notice_citations(notice: Notice) -> list[Citation]:
    """The regulations `notice` mentions, each with its mentions per relation."""
    found: dict[str, dict[str, Any]] = {}
    for regulation in notice.regulations:
        entry = found.setdefault(
            regulation.key,
            {
                "label": regulation.canonical,
                "kind": regulation.kind.value,
                "level": regulation.level,
                "relations": defaultdict(int),
                "bare": 0,
            },
        )
        for mention in regulation.mentions:
            entry["relations"][mention.relation.value] += 1
    for rule in notice.rule_mentions:
        if rule.key not in found:
            found[rule.key] = {
                "label": rule.canonical,
                "kind": rule.kind.value if rule.kind else None,
                "level": rule.level,
                "relations": defaultdict(int),
                "bare": 0,
            }
        found[rule.key]["relations"][Relation.CITES.value] += 1
        found[rule.key]["bare"] += 1
    return [
        Citation(
            key=key,
            label=entry["label"],
            kind=entry["kind"],
            level=entry["level"],
            relations=dict(sorted(entry["relations"].items())),
            bare=entry["bare"],
        )
        for key, entry in sorted(found.items())
    ]


def scoped_citations(
    notice_id: str, date: str | None, citations: Iterable[Citation]
) -> list[ScopedCitation]:
    """The rows of one notice: per citation, one for all its mentions and one
    per relation. Bare names are cited (kg:BareMention), so they count in the
    scopes "all" and "cites" only."""
    rows = []
    for citation in citations:
        scopes = {ALL: sum(citation.relations.values()), **citation.relations}
        for scope, mentions in scopes.items():
            bare = citation.bare if scope in (ALL, Relation.CITES.value) else 0
            rows.append(ScopedCitation(citation.key, scope, notice_id, date,
                                       citation.label, citation.kind,
                                       citation.level, mentions, bare))
    return rows


def usages(rows: Iterable[ScopedCitation]) -> Iterator[list[Usage]]:
    """The usages of each regulation, from `rows` sorted by (key, scope): a
    list per key, one `Usage` per scope. Streams: memory holds one key."""
    for key, of_key in itertools.groupby(rows, key=lambda row: row.key):
        found = []
        for scope, group in itertools.groupby(of_key, key=lambda row: row.scope):
            cited = list(group)
            kinds = [r.kind for r in cited if r.kind]
            levels = [r.level for r in cited if r.level]
            dates = sorted(r.date for r in cited if r.date)
            found.append(Usage(
                key=key,
                scope=scope,
                label=min(r.label for r in cited),
                kind=min(kinds) if kinds else None,
                level=min(levels) if levels else None,
                notice_ids=tuple(sorted({r.notice_id for r in cited})),
                mentions=sum(r.mentions for r in cited),
                bare=sum(r.bare for r in cited),
                first_date=dates[0] if dates else None,
                last_date=dates[-1] if dates else None,
            ))
        yield found


def usage_quads(of_key: Sequence[Usage]) -> list[Quad]:
    """The summary graph's nodes for the usages of one regulation."""
    scopes = {usage.scope for usage in of_key}
    relations = " ".join(r.value for r in Relation if r.value in scopes)
    quads = []
    for usage in of_key:
        node = iri.usage_iri(usage.key, usage.scope)
        triples: list[tuple[NamedNode, Literal | NamedNode]] = [
            (ox_rdf.type, ox_kg.RegulationUsage),
            (ox_kg.regulation, iri.regulation_iri(usage.key)),
            (ox_kg.scope, Literal(usage.scope)),
            (ox_skos.prefLabel, Literal(usage.label, language="zh")),
            (ox_kg.noticeCount, _integer(len(usage.notice_ids))),
            (ox_kg.mentionCount, _integer(usage.mentions)),
            (ox_kg.bareMentionCount, _integer(usage.bare)),
            (ox_kg.noticeIds, Literal(" ".join(usage.notice_ids))),
            (ox_kg.relations, Literal(relations)),
        ]
        if usage.kind:
            triples.append((ox_eli.type_document, iri.document_kind_iri_of(usage.kind)))
        if usage.level:
            triples.append((ox_kg.level, Literal(usage.level, language="zh")))
        if usage.first_date and usage.last_date:
            triples.append((ox_kg.firstDate, Literal(usage.first_date,
                                                     datatype=ox_xsd.date)))
            triples.append((ox_kg.lastDate, Literal(usage.last_date,
                                                    datatype=ox_xsd.date)))
        graph = SUMMARY_GRAPHS[usage.scope]
        quads += [Quad(node, p, o, graph) for p, o in triples]
    return quads


CATEGORY_SUMMARY_GRAPH = iri.category_summary_graph_iri()


def category_usage_quads(counts: Iterable[Sequence[tuple[str, int]]]) -> list[Quad]:
    """The category summary graph: per issue category, in how many notices
    it has problems (`kg:noticeCount`) and how many problems in all
    (`kg:problemsFound`). `counts` gives each notice's (category id,
    problems) pairs (kg.rdf.rows.category_counts); the `categories` query
    ranks categories by these two figures, which counted over every notice
    graph took 5 s at 10,000 notices."""
    notices: dict[str, int] = defaultdict(int)
    problems: dict[str, int] = defaultdict(int)
    for pairs in counts:
        for category, found in pairs:
            notices[category] += 1
            problems[category] += found
    quads = []
    for category in sorted(notices):
        node = iri.category_usage_iri(category)
        quads += [Quad(node, p, o, CATEGORY_SUMMARY_GRAPH) for p, o in (
            (ox_rdf.type, ox_kg.CategoryUsage),
            (ox_kg.category, iri.category_iri(category)),
            (ox_kg.noticeCount, _integer(notices[category])),
            (ox_kg.problemsFound, _integer(problems[category])),
        )]
    return quads


def _integer(value: int) -> Literal:
    return Literal(str(value), datatype=ox_xsd.integer)
