"""Everything the pages read from the store, gathered in one pass.

The store gives the list of notices (one SELECT) and the category scheme;
each notice's data comes from its own graph, read from the Turtle file the
build writes beside the store (`notices/<id>.ttl`) or, without one, from the
store, and matched in Python (`kg.gather`). So gathering grows with the
corpus, no page runs a query of its own (a query per page that scans the
corpus made the site quadratic), and a notice can be read again alone when
its file changes (`kg.pagecache`). Matching inside one notice graph also
keeps rows from multiplying: in the union default graph a committee or
group that many notices state would join once per graph that states it.

The store is opened once per `Corpus`; the prefixes come from
`kg.rdf.namespaces`, and the one IRI a query may be given (`kg view --notice`)
is minted by `kg.rdf.iri` and written as a term by pyoxigraph.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from sys import intern
from typing import TYPE_CHECKING, Final, NamedTuple

import pyoxigraph

from kg.errors import KgError
from kg.rdf.iri import CATEGORY_BASE, category_iri
from kg.rdf.iri import ONTOLOGY as ONTOLOGY_GRAPH
from kg.rdf.namespaces import KG
from kg.store import Store
from kg.vocab import prologue, string_term, term

if TYPE_CHECKING:
    from kg.pagecache import PageCache

PROLOGUE: Final = prologue()
ONTOLOGY: Final = str(ONTOLOGY_GRAPH)  # an N-Triples term: <…>
INSPECTED: Final = str(KG.inspected)
PROBLEM: Final = str(KG.Problem)
MEASURE: Final = str(KG.Measure)
# How a measure, a problem or the notice points at a regulation → the
# relation shown on the edge (kg/rdf/build.py mints them).
REGULATION_LINKS: Final = {
    term("dcterms", "references"): "cites",
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


class LinkItem(NamedTuple):
    """A measure or problem that mentions a regulation, and the problem it
    addresses (None when none is known; itself for a problem). A tuple: a
    summary holds dozens, and tuples unpickle several times faster than
    frozen dataclasses."""

    kind: str  # measure | problem
    label: str
    addresses: tuple[str, str] | None  # (problem IRI, its label)


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
    # A summary's links from its problems and measures, sorted (`lean`):
    # `links` then holds the notice's own, which the overview reads.
    item_links: tuple[tuple[str, str, str], ...] = ()
    subjects: set[tuple[str, str]] = field(default_factory=set)  # (problem, category)
    persons: list[PersonNode] = field(default_factory=list)
    spans: dict[str, tuple[int, int, str]] = field(default_factory=dict)
    # Regulation IRI → (canonical label, kind), and every label it has here.
    regulation_labels: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    regulation_names: dict[str, list[str]] = field(default_factory=dict)
    # The measures and problems that mention a regulation, by IRI: what a
    # regulation's page shows of them, kept in the summary (kg.pagecache).
    link_items: dict[str, LinkItem] = field(default_factory=dict)
    # Problem IRI → (label, how many measures address it) of each problem
    # filed under a category: what a category's page shows of it, kept in
    # the summary so that the page reads no notice whole.
    problem_facts: dict[str, tuple[str, int]] = field(default_factory=dict)
    # False for a summary (kg.pagecache): findings, measures, persons and
    # spans left out; `Corpus.whole` gives the notice with them.
    complete: bool = True

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

    @cached_property
    def links_to(self) -> dict[str, list[tuple[str, str, str]]]:
        """Regulation IRI → the links to it, sorted."""
        by_regulation: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        for link in sorted((*self.links, *self.item_links)):
            by_regulation[link[2]].append(link)
        return by_regulation

    @property
    def regulations(self) -> set[str]:
        return {r for _, _, r in (*self.links, *self.item_links)}

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


class RegulationTable:
    """The regulations' labels and kinds folded over notices one at a time
    (`Corpus.regulation_labels` says which label and kind are kept)."""

    def __init__(self) -> None:
        self._labels: dict[str, str] = {}
        self._kinds: dict[str, Counter[str]] = defaultdict(Counter)

    def add(self, notice: NoticeData) -> None:
        labels, kinds = self._labels, self._kinds
        for iri, (label, kind) in notice.regulation_labels.items():
            if iri not in labels or label < labels[iri]:
                labels[iri] = label
            if kind is not None:
                kinds[iri][kind] += 1

    def labels(self) -> dict[str, tuple[str, str | None]]:
        kinds = self._kinds
        return {iri: (label, min(kinds[iri].items(), key=lambda k: (-k[1], k[0]))[0]
                      if kinds[iri] else None)
                for iri, label in self._labels.items()}


def lean(summary: NoticeData, regulations: RegulationTable) -> NoticeData:
    """`summary` folded into `regulations`, then without its regulations'
    labels and its link items (a regulation page reads those back from the
    cache: `Corpus.link_items`), with the IRIs many notices repeat made one
    string each, and its problems' and measures' links a sorted tuple
    (`NoticeData.item_links`): what the site keeps of a notice while it
    writes (a set takes 16 to 32 bytes an element more than a tuple; the
    overview reads `links`, which keeps the notice's own)."""
    regulations.add(summary)
    summary.regulation_labels = {}
    summary.regulation_names = {}
    summary.link_items = {}
    iri = summary.iri
    links = [(source, intern(relation), intern(regulation))
             for source, relation, regulation in summary.links]
    summary.links = {link for link in links if link[0] == iri}
    summary.item_links = tuple(sorted(link for link in links if link[0] != iri))
    summary.subjects = {(problem, intern(category))
                        for problem, category in summary.subjects}
    return summary


class Corpus:
    """The store opened once, and the notices read from their graphs."""

    def __init__(self, store_dir: Path, notice_id: str | None = None) -> None:
        """With `notice_id`, only that notice's graph is read (`kg view`)."""
        self.store_dir = store_dir
        self._only = notice_id
        self.cache: PageCache | None = None
        self.digests: dict[str, tuple[str, str]] = {}
        self._wholes: dict[str, NoticeData] = {}
        self._items: dict[tuple[str, ...], dict[str, dict[str, LinkItem]]] = {}
        self._lean = False
        self._of_cache = False

    @classmethod
    def of(cls, store_dir: Path, notices: Iterable[NoticeData],
           cache: PageCache | None = None,
           digests: dict[str, tuple[str, str]] | None = None,
           regulations: RegulationTable | None = None) -> Corpus:
        """A corpus of notices gathered already (by `gather_notices`, in
        worker processes, or summaries from `cache`), sorted by id; `digests`
        (notice id → `kg.pagecache.content_digests`) say what each gives the
        pages. With `regulations`, the table the notices' labels
        were folded into before `lean` dropped them (and their link items,
        which `link_items` reads back from `cache`)."""
        corpus = cls(store_dir)
        corpus.__dict__["notices"] = {
            notice.iri: notice for notice in sorted(notices, key=lambda n: n.id)}
        corpus.cache = cache
        corpus.digests = digests or {}
        if regulations is not None:
            assert cache is not None  # the link items are read back from it
            corpus.__dict__["regulation_labels"] = regulations.labels()
            corpus._lean = True
        return corpus

    @classmethod
    def of_cache(cls, store_dir: Path, cache: PageCache,
                 regulation_labels: dict[str, tuple[str, str | None]],
                 category_labels: dict[str, str]) -> Corpus:
        """A corpus whose notices are read from `cache` when asked for
        (`read_notices`) and let go of with the wholes (`forget_wholes`),
        with the tables of the corpus they belong to: what a worker needs
        for notices' own pages (kg.site), without every notice's summary."""
        corpus = cls(store_dir)
        corpus.cache = cache
        corpus.__dict__.update(notices={}, by_id={},
                               regulation_labels=regulation_labels,
                               category_labels=category_labels)
        corpus._of_cache = True
        return corpus

    def read_notices(self, ids: list[str]) -> None:
        """The notices `ids` in `by_id` (a corpus of the cache reads them)."""
        if self._of_cache:
            assert self.cache is not None
            self.by_id.update(self.cache.summaries_of(ids))

    def link_items(self, notice: NoticeData, regulations: list[str]
                   ) -> dict[str, LinkItem]:
        """The link items of `notice` (`NoticeData.link_items`), at least
        those of its items that mention one of `regulations`."""
        if not self._lean:
            return notice.link_items
        assert self.cache is not None
        key = tuple(regulations)
        if key not in self._items:
            self._items[key] = self.cache.link_items(regulations)
        return self._items[key].get(notice.id, {})

    def whole(self, notice: NoticeData) -> NoticeData:
        """`notice` with its findings, measures, persons and spans."""
        if notice.complete:
            return notice
        assert self.cache is not None  # only the cache gives summaries
        if notice.iri not in self._wholes:
            self._wholes[notice.iri] = self.cache.whole(notice)
        return self._wholes[notice.iri]

    def forget_wholes(self) -> None:
        """Let go of the notices `whole` read and the link items
        `link_items` read (the summaries stay, but those `read_notices`
        read)."""
        self._wholes.clear()
        self._items.clear()
        if self._of_cache:
            self.by_id.clear()

    @cached_property
    def _store(self) -> Store:
        # Opened when first asked: a corpus of summaries made elsewhere (a
        # pages' worker, kg.site) may never need it.
        return Store(self.store_dir, read_only=True)

    def close(self) -> None:
        """Let go of the store (what was read stays). Not `Store.close`,
        which flushes, and a read-only store cannot."""
        self.__dict__.pop("_store", None)

    def select(self, query: str) -> list[dict[str, str]]:
        """The rows of a SELECT as dicts, unbound variables left out."""
        result = self._store.query(PROLOGUE + query)
        return [
            {name: value for name, value in zip(result.columns, row, strict=True)
             if value is not None}
            for row in result.rows
        ]

    def listing(self) -> list[tuple[str, str]]:
        """(IRI, id) of each notice in the store (or of the one asked for),
        sorted by id."""
        if self._only is None:
            where = "GRAPH ?n { ?n a kg:Notice ; dcterms:identifier ?id }"
        else:
            # The IRI written into the pattern: the store then reads one
            # graph, where a VALUES or BIND of ?n still walked them all.
            iri = self._iri
            where = f"GRAPH {iri} {{ {iri} a kg:Notice ; dcterms:identifier ?id }}"
            where += f" BIND({iri} AS ?n)"
        rows = self.select(f"SELECT DISTINCT ?n ?id WHERE {{ {where} }}")
        return sorted(((row["n"], row["id"]) for row in rows),
                      key=lambda item: (item[1], item[0]))

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
        notices = gather_notices(self.store_dir, self.listing(), self._store)
        if self._only is not None and not notices:
            raise KgError(f"no notice {self._only!r} in the store; `kg sparql "
                          "'SELECT ?id {?n dcterms:identifier ?id}'` lists them")
        return {notice.iri: notice for notice in notices}

    @cached_property
    def by_id(self) -> dict[str, NoticeData]:
        """Notice id → its data."""
        return {notice.id: notice for notice in self.notices.values()}

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
        canonical one first (kg/rdf/build.py), so any graph's will do: the
        least is taken, and the kind most graphs give (notices can file a
        local document under different kinds), so that the choice does not
        depend on the order of the notices."""
        table = RegulationTable()
        for notice in self.notices.values():
            table.add(notice)
        return table.labels()

    @cached_property
    def regulation_names(self) -> dict[str, list[str]]:
        """IRI → every label (canonical and as written) of each regulation."""
        # `lean` drops them: the site, which makes a lean corpus, never asks.
        assert not self._lean, "a lean corpus keeps no regulation names"
        names: dict[str, set[str]] = defaultdict(set)
        for notice in self.notices.values():
            for iri, labels in notice.regulation_names.items():
                names[iri].update(labels)
        return {iri: sorted(labels) for iri, labels in names.items()}

    @cached_property
    def category_labels(self) -> dict[str, str]:
        """Category IRI → Chinese label: from the scheme the build loaded
        into the ontology graph, else from the classifier's lexicon."""
        # In the one graph, not the union: at 10,000 notices the union's
        # skos:Concept were looked for in every graph (1 s; 3 ms here).
        labels = {
            row["c"]: row["l"]
            for row in self.select(f"""
SELECT ?c (MIN(?label) AS ?l) WHERE {{ GRAPH {ONTOLOGY} {{
  ?c a skos:Concept ; skos:prefLabel ?label . FILTER(LANGMATCHES(LANG(?label), "zh"))
  FILTER(STRSTARTS(STR(?c), {string_term(CATEGORY_BASE)})) }} }}
GROUP BY ?c""")
        }
        if labels:
            return labels
        # Imported here: it loads jieba, which only a store without the scheme needs.
        from kg.extract.categories import categories

        return {category_iri(c.id).value: c.label_zh for c in categories()}


def notice_file(store_dir: Path, notice_id: str) -> Path:
    """The Turtle file a build writes beside its store for a notice."""
    return store_dir.parent / "notices" / f"{notice_id}.ttl"


def file_stamp(path: Path) -> str:
    """What tells a file replaced or changed: inode, size, modification time
    ("" when there is no file)."""
    try:
        status = path.stat()
    except OSError:
        return ""
    return f"{status.st_ino}:{status.st_size}:{status.st_mtime_ns}"


def gather_notices(store_dir: Path, listing: Iterable[tuple[str, str]],
                   store: Store | None = None) -> list[NoticeData]:
    """The notices of `listing` ((IRI, id) pairs), each from its Turtle file
    beside the store, or from the store's graph when there is none."""
    from kg.gather import notice_data

    gathered = []
    for iri, notice_id in listing:
        path = notice_file(store_dir, notice_id)
        if path.is_file():
            # Lenient: kg wrote the file from terms kg.rdf minted and checked.
            triples = pyoxigraph.parse(path=str(path), lenient=True,
                                       format=pyoxigraph.RdfFormat.TURTLE)
        else:
            store = store or Store(store_dir, read_only=True)
            triples = pyoxigraph.parse(store.graph_ntriples(iri),
                                       format=pyoxigraph.RdfFormat.N_TRIPLES)
        notice = notice_data(iri, ((t.subject.value, t.predicate.value, t.object.value)
                                   for t in triples))
        if notice is not None:
            gathered.append(notice)
    return gathered
