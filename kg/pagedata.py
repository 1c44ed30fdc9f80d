"""Everything the pages read from the store, gathered in one pass.

A site of N notices is written from a dozen whole-store SELECTs, each of
which walks every notice graph once (``GRAPH ?n { … }``), so gathering grows
with the corpus and no page runs a query of its own (a query per page that
scans the corpus made the site quadratic). Each pattern is matched inside one
notice graph: in the union default graph a committee or group that many
notices state would join once per graph that states it, and rows multiply.

The store is opened once per `Corpus`; the prefixes come from
`kg.rdf.namespaces`, and the one IRI a query may be given (`kg view --notice`)
is minted by `kg.rdf.iri` and written as a term by pyoxigraph.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Final

from kg.errors import KgError
from kg.rdf.namespaces import KG, PREFIXES
from kg.store import Store

PROLOGUE: Final = "".join(f"PREFIX {name}: <{iri}>\n"
                          for name, iri in sorted(PREFIXES.items()))
CATEGORY_BASE: Final = "https://w3id.org/kg-inspection/category/"
INSPECTED: Final = str(KG.inspected)
PROBLEM: Final = str(KG.Problem)
MEASURE: Final = str(KG.Measure)
_NOTICE_VARIABLE: Final = re.compile(r"\?n\b")
# How a measure, a problem or the notice points at a regulation → the
# relation shown on the edge (kg/rdf/build.py mints them).
REGULATION_LINKS: Final = {
    "http://purl.org/dc/terms/references": "cites",
    str(KG.studies): "studies",
    str(KG.enacts): "enacts",
    str(KG.violates): "violates",
}
def tail(iri: str) -> str:
    """The last segment of an IRI (a category id, a kind)."""
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


@dataclass(frozen=True, slots=True)
class NoticeRow:
    """One notice as the index and the side panel show it."""

    id: str
    iri: str
    title: str | None
    issued: str | None  # YYYY-MM-DD
    organization: str | None  # the inspected unit
    committee: str | None  # the inspecting body (党委)
    group: str | None  # the inspection group
    inspection_start: str | None
    inspection_end: str | None
    feedback_date: str | None
    source: str | None  # the input file name
    problems: int
    measures: int
    regulations: int
    announced: dict[str, int] = field(default_factory=dict)  # count kind → value

    @property
    def period(self) -> str:
        """The inspection's dates, "" when neither is known."""
        if self.inspection_start is None and self.inspection_end is None:
            return ""
        return f"{self.inspection_start or '?'} – {self.inspection_end or '?'}"


@dataclass(frozen=True, slots=True)
class Party:
    """An agent of the notice's inspection: the inspected unit, or a group
    or committee inspecting it (with the committee it is a unit of)."""

    iri: str
    label: str
    inspected: bool
    committee: bool  # the agent is itself a party committee
    unit_of: tuple[str, str] | None  # (committee IRI, label)


@dataclass(frozen=True, slots=True)
class Finding:
    iri: str
    problem: bool  # a kg:Problem; otherwise an aspect or a problem group
    label: str
    parent: str | None  # None: hangs on the notice
    path: str  # its outline identifier: 1-2-g1-3


@dataclass(frozen=True, slots=True)
class Measure:
    iri: str
    label: str
    problem: str
    kind: str  # the tail of its dcterms:type: study, rules, …


@dataclass(frozen=True, slots=True)
class PersonNode:
    iri: str
    name: str
    role: str | None
    organization: str | None


@dataclass
class NoticeData:
    """One notice graph as the pages read it."""

    iri: str
    id: str = ""
    basics: dict[str, str] = field(default_factory=dict)
    announced: dict[str, int] = field(default_factory=dict)
    parties: list[Party] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    links: set[tuple[str, str, str]] = field(default_factory=set)  # (x, p, r)
    subjects: set[tuple[str, str]] = field(default_factory=set)  # (problem, category)
    persons: list[PersonNode] = field(default_factory=list)
    spans: dict[str, tuple[int, int, str]] = field(default_factory=dict)

    @cached_property
    def row(self) -> NoticeRow:
        b = self.basics
        return NoticeRow(
            id=self.id, iri=self.iri, title=b.get("title"), issued=b.get("issued"),
            organization=b.get("org"), committee=b.get("com"), group=b.get("grp"),
            inspection_start=b.get("start"), inspection_end=b.get("end"),
            feedback_date=b.get("fb"), source=b.get("source"),
            problems=sum(f.problem for f in self.findings),
            measures=len({m.iri for m in self.measures}),
            regulations=len({r for x, _, r in self.links if x == self.iri}),
            announced=self.announced,
        )

    @property
    def regulations(self) -> set[str]:
        return {r for _, _, r in self.links}

    @cached_property
    def by_iri(self) -> dict[str, Finding | Measure]:
        """The findings and measures by IRI (read once the notice is whole)."""
        return {**{f.iri: f for f in self.findings},
                **{m.iri: m for m in self.measures}}

    @cached_property
    def measure_counts(self) -> dict[str, int]:
        """Problem IRI → how many measures address it."""
        counts: dict[str, set[str]] = defaultdict(set)
        for measure in self.measures:
            counts[measure.problem].add(measure.iri)
        return {problem: len(measures) for problem, measures in counts.items()}


class Corpus:
    """The store opened once, and the notices read from it in one pass."""

    def __init__(self, store_dir: Path, notice_id: str | None = None) -> None:
        """With `notice_id`, only that notice's graph is read (`kg view`)."""
        self.store_dir = store_dir
        self._store = Store(store_dir, read_only=True)
        self._only = notice_id

    def select(self, query: str) -> list[dict[str, str]]:
        """The rows of a SELECT as dicts, unbound variables left out."""
        result = self._store.query(PROLOGUE + query)
        return [
            {name: value for name, value in zip(result.columns, row, strict=True)
             if value is not None}
            for row in result.rows
        ]

    def per_notice(
        self, pattern: str, select: str = "*", group_by: str = ""
    ) -> list[dict[str, str]]:
        """Rows of `pattern` matched inside each notice graph ``?n`` (or only
        the one notice this corpus reads)."""
        grouped = f"GROUP BY {group_by}" if group_by else ""
        inside = f"?n a kg:Notice .\n{pattern}"
        if self._only is None:
            where = f"GRAPH ?n {{\n{inside}\n}}"
        else:
            # The IRI written into the pattern: the store then reads one
            # graph, where a VALUES or BIND of ?n still walked them all.
            iri = self._iri
            one = _NOTICE_VARIABLE.sub(lambda _: iri, inside)
            where = f"GRAPH {iri} {{\n{one}\n}} BIND({iri} AS ?n)"
        return self.select(f"SELECT {select} WHERE {{ {where} }} {grouped}")

    @cached_property
    def _iri(self) -> str:
        # The notice's IRI as kg.rdf.iri mints it, written by pyoxigraph as
        # an N-Triples term (SPARQL's IRIREF syntax): nothing pasted raw.
        from kg.rdf.iri import notice_iri

        assert self._only is not None
        return str(notice_iri(self._only))

    @cached_property
    def notices(self) -> dict[str, NoticeData]:
        """Notice IRI → its data, in the order of their ids."""
        from kg.gather import gather_notices

        notices = gather_notices(self)
        if self._only is not None and not notices:
            raise KgError(f"no notice {self._only!r} in the store; `kg sparql "
                          "'SELECT ?id {?n dcterms:identifier ?id}'` lists them")
        return notices

    @cached_property
    def citing(self) -> dict[str, list[NoticeData]]:
        """Regulation IRI → the notices that mention it, by id."""
        by_regulation: dict[str, list[NoticeData]] = defaultdict(list)
        for notice in self.notices.values():
            for regulation in sorted(notice.regulations):
                by_regulation[regulation].append(notice)
        return by_regulation

    @cached_property
    def filed(self) -> dict[str, list[tuple[NoticeData, str]]]:
        """Category IRI → (notice, problem IRI) of each problem filed there."""
        by_category: dict[str, list[tuple[NoticeData, str]]] = defaultdict(list)
        for notice in self.notices.values():
            for problem, category in sorted(notice.subjects):
                by_category[category].append((notice, problem))
        return by_category

    @cached_property
    def regulation_labels(self) -> dict[str, tuple[str, str | None]]:
        """IRI → (canonical label, kind) of every regulation a notice read
        here mentions. Each graph repeats a regulation's labels with the
        canonical one first (kg/rdf/build.py), so any graph's will do."""
        rows = self.per_notice("""
?r a eli:LegalResource ; skos:prefLabel ?label .
OPTIONAL { ?r eli:type_document ?kind }""",
                               "?r (MIN(?label) AS ?l) (SAMPLE(?kind) AS ?k)", "?r")
        return {
            row["r"]: (row["l"], tail(row["k"]).replace("-", "_") if "k" in row
                       else None)
            for row in rows
        }

    @cached_property
    def regulation_names(self) -> dict[str, list[str]]:
        """IRI → every label (canonical and as written) of each regulation."""
        names: dict[str, set[str]] = defaultdict(set)
        for row in self.per_notice(
            "?r a eli:LegalResource ; skos:prefLabel|skos:altLabel ?label .",
            "DISTINCT ?r ?label",
        ):
            names[row["r"]].add(row["label"])
        return {iri: sorted(labels) for iri, labels in names.items()}

    @cached_property
    def category_labels(self) -> dict[str, str]:
        """Category IRI → Chinese label: from the scheme the build loaded,
        else from the classifier's lexicon."""
        labels = {
            row["c"]: row["l"]
            for row in self.select(f"""
SELECT ?c (MIN(?label) AS ?l) WHERE {{
  ?c a skos:Concept ; skos:prefLabel ?label . FILTER(LANGMATCHES(LANG(?label), "zh"))
  FILTER(STRSTARTS(STR(?c), "{CATEGORY_BASE}")) }}
GROUP BY ?c""")
        }
        if labels:
            return labels
        # Imported here: it loads jieba, which only a store without the scheme needs.
        from kg.extract.categories import categories

        return {CATEGORY_BASE + c.id: c.label_zh for c in categories()}

