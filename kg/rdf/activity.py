"""The build run as a PROV-O activity, in a graph of its own."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from pyoxigraph import Literal, NamedNode, Quad

from kg.rdf import iri
from kg.rdf.namespaces import ox_owl, ox_prov, ox_rdf, ox_rdfs, ox_xsd


def build_activity_quads(
    notice_iris: Iterable[NamedNode], version: str, started: datetime, ended: datetime,
    generated: Iterable[NamedNode] = (),
) -> list[Quad]:
    """The build run as a `prov:Activity` (PROV-O §3.1) by the kg software at
    `version`, which used each notice and generated (the latest revision of)
    each derived graph in `generated`; in a graph of its own named by the run."""
    activity = iri.build_iri(started)
    software = iri.software_iri(version)
    triples: set[tuple[NamedNode, NamedNode, NamedNode | Literal]] = {
        (activity, ox_rdf.type, ox_prov.Activity),
        (activity, ox_rdfs.label, Literal("kg 构建", language="zh")),
        (activity, ox_rdfs.label, Literal("kg build", language="en")),
        (activity, ox_prov.startedAtTime, _datetime(started)),
        (activity, ox_prov.endedAtTime, _datetime(ended)),
        (activity, ox_prov.wasAssociatedWith, software),
        (software, ox_rdf.type, ox_prov.SoftwareAgent),
        (software, ox_rdfs.label, Literal(f"kg {version}", language="en")),
        (software, ox_owl.versionInfo, Literal(version)),
    }
    triples.update((activity, ox_prov.used, notice) for notice in notice_iris)
    triples.update((activity, ox_prov.generated, graph) for graph in generated)
    return sorted((Quad(s, p, o, activity) for s, p, o in triples), key=str)


def _datetime(moment: datetime) -> Literal:
    return Literal(moment.astimezone(UTC).isoformat(), datatype=ox_xsd.dateTime)
