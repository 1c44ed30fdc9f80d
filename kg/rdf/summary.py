"""How each regulation is used across the corpus: one summary graph.

Counting mentions per regulation over every notice graph is a GROUP BY over
every mention annotation of the corpus: about 3.5 s at 1,000 notices and ten
times that at 10,000 on Oxigraph. Users ask "which regulations recur?" first
and often, so the build keeps the answer: each worker reduces its notice to
`Citation`s (one per regulation it mentions), the cache keeps them with the
notice, and after every build that changed something the writer replaces the
graph `SUMMARY_GRAPH` with their aggregate, a `kg:RegulationUsage` node per
regulation (all mentions) and per regulation and relation. The node is
derived data: `prov:wasGeneratedBy` the build, and every figure can be
checked against the notice graphs (tests/test_summary.py does).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from pyoxigraph import Literal, NamedNode, Quad

from kg.link import canonical_regulation
from kg.model import Notice, Relation
from kg.rdf import iri
from kg.rdf.namespaces import (
    ox_eli,
    ox_kg,
    ox_prov,
    ox_rdf,
    ox_skos,
    ox_xsd,
)

SUMMARY_GRAPH = iri.summary_graph_iri()
ALL = "all"  # the scope of the usage node that counts every mention


@dataclass(frozen=True, slots=True)
class Citation:
    """How one notice mentions one regulation (by its normalisation key)."""

    key: str
    label: str
    kind: str | None
    level: str | None
    relations: dict[str, int]  # relation → mentions; 《》 and bare together
    bare: int  # mentions without 《》

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Citation:
        return cls(
            key=data["key"],
            label=data["label"],
            kind=data.get("kind"),
            level=data.get("level"),
            relations={str(k): int(v) for k, v in data["relations"].items()},
            bare=int(data.get("bare", 0)),
        )

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


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
            known = canonical_regulation(rule.canonical)
            found[rule.key] = {
                "label": rule.canonical,
                "kind": known.kind.value if known.kind else None,
                "level": known.level,
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


@dataclass
class _Usage:
    labels: set[str]
    kinds: set[str]
    levels: set[str]
    notices: dict[str, tuple[int, int, str | None]]  # id → mentions, bare, date


def summary_quads(
    notices: Iterable[tuple[str, str | None, Iterable[Citation]]],
    build: NamedNode | None = None,
) -> list[Quad]:
    """The summary graph of (notice id, notice date, citations) of every
    notice in the store; deterministic, sorted."""
    usages: dict[tuple[str, str], _Usage] = {}
    for notice_id, date, citations in notices:
        for citation in citations:
            scopes = {ALL: sum(citation.relations.values())}
            scopes.update(citation.relations)
            for scope, mentions in scopes.items():
                usage = usages.setdefault(
                    (citation.key, scope), _Usage(set(), set(), set(), {})
                )
                usage.labels.add(citation.label)
                if citation.kind:
                    usage.kinds.add(citation.kind)
                if citation.level:
                    usage.levels.add(citation.level)
                bare = citation.bare if scope in (ALL, Relation.CITES.value) else 0
                usage.notices[notice_id] = (mentions, bare, date)
    relations_of: dict[str, list[str]] = defaultdict(list)
    for key, scope in usages:
        if scope != ALL:
            relations_of[key].append(scope)
    triples: list[tuple[NamedNode, NamedNode, NamedNode | Literal]] = []
    for (key, scope), usage in usages.items():
        node = iri.usage_iri(key, scope)
        regulation = iri.regulation_iri(key)
        dates = sorted(d for _, _, d in usage.notices.values() if d)
        ids = sorted(usage.notices)
        relations = [r.value for r in Relation if r.value in relations_of[key]]
        add = triples.append
        add((node, ox_rdf.type, ox_kg.RegulationUsage))
        add((node, ox_kg.regulation, regulation))
        add((node, ox_kg.scope, Literal(scope)))
        add((node, ox_skos.prefLabel, Literal(min(usage.labels), language="zh")))
        if usage.kinds:
            kind = min(usage.kinds)
            add((node, ox_eli.type_document, iri.document_kind_iri_of(kind)))
        if usage.levels:
            add((node, ox_kg.level, Literal(min(usage.levels), language="zh")))
        add((node, ox_kg.noticeCount, _integer(len(ids))))
        counts = usage.notices.values()
        add((node, ox_kg.mentionCount, _integer(sum(m for m, _, _ in counts))))
        add((node, ox_kg.bareMentionCount, _integer(sum(b for _, b, _ in counts))))
        add((node, ox_kg.noticeIds, Literal(" ".join(ids))))
        add((node, ox_kg.relations, Literal(" ".join(relations))))
        if dates:
            add((node, ox_kg.firstDate, Literal(dates[0], datatype=ox_xsd.date)))
            add((node, ox_kg.lastDate, Literal(dates[-1], datatype=ox_xsd.date)))
        if build is not None:
            add((node, ox_prov.wasGeneratedBy, build))
    return sorted((Quad(s, p, o, SUMMARY_GRAPH) for s, p, o in triples), key=str)


def _integer(value: int) -> Literal:
    return Literal(str(value), datatype=ox_xsd.integer)
