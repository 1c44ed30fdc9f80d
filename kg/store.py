"""The embedded store on disk, SPARQL queries, and the push to a SPARQL server.

The corpus lives in an Oxigraph store (`pyoxigraph.Store`, RocksDB on disk):
one named graph per notice, whose graph IRI is the notice IRI (docs/architecture.md,
Vocabularies/provenance). Quads are streamed through pyoxigraph; rdflib is
kept for the ontology and SHACL (docs/architecture.md, measured speeds).

Remote servers are spoken to with the standard protocols only, so any SPARQL
1.1 server works; `--endpoint` means a different URL for each command:

* ``kg sparql --endpoint URL``: the *query* service of SPARQL 1.1 Protocol
  §2.1 (for ``oxigraph serve``: ``http://host:port/query``);
* ``kg push --endpoint URL``: the *graph store* of the SPARQL 1.1 Graph Store
  HTTP Protocol (for ``oxigraph serve``: ``http://host:port/store``); each
  named graph goes to ``URL?graph=<graph IRI>`` (indirect graph
  identification, GSP §4.2).

The HTTP itself (a total deadline per request, Basic and Digest credentials
from the environment or ``~/.netrc``, one-line failures) is `kg.remote`.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import urllib.parse
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import StoreDamagedError, StoreError
from kg.vocab import NAMESPACES, iri_term, term

QUERY_TIMEOUT = 60.0  # seconds; `kg sparql` has no option for it
# The longest timeout kg takes, for a query or a request to a server: longer
# than any should take; larger values (1e300, inf) are mistakes, and would
# overflow the socket layer. Here, not in kg.remote: `kg query` checks its
# --timeout without loading the HTTP client (~30 ms of its start-up).
MAX_TIMEOUT = 24 * 3600.0
# Oxigraph keeps written quads in RocksDB memtables until flushed: ~1 KB per
# quad of a notice graph, so a build of 200 notices held 1 GB. Flushing every
# so many quads keeps a writer's memory flat at no measurable cost.
FLUSH_EVERY_QUADS = 100_000
# Bytes of a file's name kept in its temporary file's name (`atomic_path`).
TEMPORARY_NAME_BYTES = 64

_XSD_STRING = term("xsd", "string")
_RDF_LANG_STRING = term("rdf", "langString")
_XSD_BOOLEAN = term("xsd", "boolean")


# --- the embedded store ------------------------------------------------------


class Store:
    """An Oxigraph store in a folder on disk, created on first open.

    Only one process may hold a store open for writing (RocksDB takes a lock);
    `read_only=True` opens it without the lock, for queries and pushes.
    """

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self._unflushed = 0  # quads written since the last flush
        if path.exists() and not path.is_dir():
            raise StoreDamagedError(
                f"{path}: is a file, not a store folder; {_rebuild_hint(path)}")
        try:
            if read_only:
                if not path.is_dir() or not any(path.iterdir()):
                    raise StoreError(f"{path}: no store here; run `kg build` first")
                self._store = ox.Store.read_only(str(path))
            else:
                path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(path))
        except (OSError, RuntimeError) as error:
            raise _open_error(path, error) from error

    def replace_graph(self, graph_iri: str | None, quads: Iterable[ox.Quad]) -> None:
        """Make the graph `graph_iri` (None: the default graph) hold exactly
        `quads`.

        Removal and insertion are one SPARQL update, which Oxigraph applies in
        one transaction ("either the full operation succeeds, or nothing is
        written", `pyoxigraph.Store.update`): a build killed midway leaves the
        graph as it was (SPARQL 1.1 Update §3.2.2 DROP, §3.1.1 INSERT DATA).
        """
        graph = ox.DefaultGraph() if graph_iri is None else ox.NamedNode(graph_iri)
        triples = []
        for quad in quads:
            if quad.graph_name != graph:
                raise StoreError(
                    f"a quad for graph {_term_text(quad.graph_name)} was given "
                    f"to replace graph {_term_text(graph)}"
                )
            triples.append(quad.triple)
        # N-Triples is a subset of the SPARQL triple syntax (SPARQL 1.1 Query
        # §19.5), so the serialisation can go inside INSERT DATA as it is.
        body = _serialized(triples, ox.RdfFormat.N_TRIPLES).decode("utf-8")
        # Drop only a graph that exists: a DROP of a missing graph still costs
        # as much as the insertion (measured on Oxigraph 0.5.13), and one
        # writer means nothing can create the graph in between.
        if graph_iri is None:
            update = f"DROP SILENT DEFAULT ;\nINSERT DATA {{\n{body}}}"
        elif self._store.contains_named_graph(graph):
            update = (
                f"DROP GRAPH {iri_term(graph_iri)} ;\n"
                f"INSERT DATA {{ GRAPH {iri_term(graph_iri)} {{\n{body}}} }}"
            )
        else:
            update = f"INSERT DATA {{ GRAPH {iri_term(graph_iri)} {{\n{body}}} }}"
        try:
            self._store.update(update)
        except (OSError, SyntaxError) as error:
            raise StoreError(f"{self.path}: cannot replace graph {graph_iri} "
                             f"({error})") from error
        self._unflushed += len(triples)
        if self._unflushed >= FLUSH_EVERY_QUADS:
            self.flush()

    def load_graphs(self, graphs: Sequence[tuple[str, bytes]]) -> None:
        """Make each named graph hold the N-Quads given for it (the quads of
        each must be in its graph).

        A graph new to the store is bulk-loaded with all the other new ones:
        Oxigraph's bulk loader writes sorted files straight into RocksDB, with
        no transaction and no read before each write, 2.5x less CPU per quad
        than an INSERT DATA update (Oxigraph 0.5.13, benchmarks/README.md,
        Profile). That is not atomic, so a process killed during it can leave a
        new graph partly written; the build records a notice only after its
        graph is loaded, and the next build loads it again whole.

        A graph the store already holds (a changed notice) is replaced in one
        transaction (`replace_graph`), so a killed build never leaves a graph
        of an earlier build broken.
        """
        new: list[bytes] = []
        for graph_iri, data in graphs:
            if self._store.contains_named_graph(ox.NamedNode(graph_iri)):
                self.replace_graph(graph_iri, nquads_to_quads(data))
            else:
                new.append(data)
        if new:
            self.add_nquads(b"".join(new))

    def replace_subjects(
        self, subjects: Mapping[str, Sequence[str]], quads: Sequence[ox.Quad]
    ) -> None:
        """Remove every triple about the subjects given per graph IRI, and add
        `quads` (in those graphs), in one transaction (one SPARQL update:
        SPARQL 1.1 Update §3.1.3 DELETE/WHERE, §3.1.1 INSERT DATA)."""
        values = "\n".join(f"  ({iri_term(graph)} {iri_term(subject)})"
                           for graph, of_graph in subjects.items()
                           for subject in of_graph)
        blocks = []
        for graph in subjects:
            node = ox.NamedNode(graph)
            triples = [q.triple for q in quads if q.graph_name == node]
            body = _serialized(triples, ox.RdfFormat.N_TRIPLES).decode("utf-8")
            blocks.append(f"GRAPH {iri_term(graph)} {{\n{body}}}")
        update = (
            "DELETE { GRAPH ?g { ?s ?p ?o } }\n"
            f"WHERE {{ VALUES (?g ?s) {{\n{values}\n}} GRAPH ?g {{ ?s ?p ?o }} }} ;\n"
            f"INSERT DATA {{\n{chr(10).join(blocks)}\n}}"
        )
        try:
            self._store.update(update)
        except (OSError, SyntaxError) as error:
            raise StoreError(f"{self.path}: cannot update graphs "
                             f"{', '.join(subjects)} ({error})") from error

    def add_nquads(self, data: bytes) -> None:
        """Add the quads of N-Quads `data` by bulk load (see `load_graphs`):
        for derived graphs, which a killed build makes again."""
        try:
            # Lenient: the IRIs and literals are not checked again. Every
            # quad loaded here is kg's own N-Quads (IRIs minted by kg.rdf.iri,
            # literals escaped by kg.rdf.terms, both tested), and the checks
            # cost a tenth of the load (7.9 → 7.2 s of CPU for 1.3 M quads).
            self._store.bulk_load(data, ox.RdfFormat.N_QUADS, lenient=True)
        except (OSError, SyntaxError) as error:
            raise StoreError(f"{self.path}: cannot load quads ({error})") from error

    def graph_turtle(self, graph_iri: str) -> bytes:
        """The triples of one named graph as Turtle with our prefixes."""
        data = self._store.dump(format=ox.RdfFormat.TURTLE, prefixes=NAMESPACES,
                                from_graph=ox.NamedNode(graph_iri))
        assert data is not None  # dump returns the bytes when given no output
        return data

    def remove_graph(self, graph_iri: str) -> None:
        try:
            self._store.remove_graph(ox.NamedNode(graph_iri))
        except OSError as error:
            raise StoreError(f"{self.path}: cannot remove graph {graph_iri} "
                             f"({error})") from error

    def contains_graph(self, graph_iri: str) -> bool:
        return self._store.contains_named_graph(ox.NamedNode(graph_iri))

    def graphs(self) -> list[str]:
        """The IRIs of the named graphs, sorted."""
        return sorted(
            g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode)
        )

    def triple_count(self, graph_iri: str | None = None) -> int:
        """Triples of one graph (None: the default graph), counted inside
        Oxigraph rather than by making a Python object per quad."""
        pattern = ("{ ?s ?p ?o }" if graph_iri is None
                   else f"{{ GRAPH {iri_term(graph_iri)} {{ ?s ?p ?o }} }}")
        answer = self._store.query(f"SELECT (COUNT(*) AS ?n) WHERE {pattern}")
        assert isinstance(answer, ox.QuerySolutions)
        count = next(answer)[0]
        assert isinstance(count, ox.Literal)
        return int(count.value)

    def graph_ntriples(self, graph_iri: str) -> bytes:
        """The triples of one named graph as N-Triples."""
        data = self._store.dump(
            format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph_iri)
        )
        assert data is not None  # dump returns the bytes when given no output
        return data

    def query(self, text: str) -> QueryResult:
        """Run a SPARQL query; the default graph is the union of all graphs,
        so a query needs no GRAPH clause to see every notice."""
        try:
            answer = self._store.query(text, use_default_graph_as_union=True)
        except SyntaxError as error:
            raise StoreError(f"SPARQL syntax error: {error}") from error
        except OSError as error:
            raise StoreError(f"{self.path}: query failed ({error})") from error
        return _result_of(answer)

    def flush(self) -> None:
        """Write what Oxigraph holds in memory to disk."""
        self._store.flush()
        self._unflushed = 0

    def close(self) -> None:
        """Flush and let go of the store. Until then RocksDB may compact in the
        background and delete files that a read-only opener in the same
        process (the HTML site, a test) has just listed ("No such file ...
        .sst"). pyoxigraph closes a store when its last reference goes.
        Closing a closed store does nothing."""
        if not hasattr(self, "_store"):
            return
        if not self.read_only:
            self.flush()
        del self._store


# What RocksDB says about a damaged store (its messages name the file).
_MISSING_FILE = re.compile(
    r"(\w+\.(?:sst|log|blob)|CURRENT|MANIFEST-\d+|OPTIONS-\d+|IDENTITY)"
    r": No such file or directory")
_SIZE_MISMATCH = re.compile(r"Sst file size mismatch.*?sstable: \S*?([^\s/]+\.sst)")


def _open_error(path: Path, error: BaseException) -> StoreError:
    """Why the store at `path` did not open, and what to do: a running build
    (a read-only open can race its compaction), a lock or permission, or
    damage, which only a rebuild repairs."""
    from kg.outlock import build_running, held_here

    text = str(error)
    if isinstance(error, PermissionError) or "Permission denied" in text:
        return StoreError(f"{path}: cannot open the store (permission denied; "
                          "make it readable and writable)")
    if "lock" in text.lower() and "LOCK" in text:
        return StoreError(f"{path}: another process has the store open for "
                          "writing (a kg build?); wait for it to finish")
    if build_running(path.parent) and not held_here(path.parent):
        return StoreError(
            f"{path}: the store changed while being opened ({text}); "
            "wait for the running kg build to finish and try again")
    mismatch = _SIZE_MISMATCH.search(text)
    missing = _MISSING_FILE.search(text)
    if mismatch is not None:
        what = f"{mismatch.group(1)} is truncated"
    elif missing is not None:
        what = f"{missing.group(1)} is missing"
    elif "wal_dir contains existing log file" in text:
        what = "CURRENT is missing"
    else:
        what = text.splitlines()[0] if text else type(error).__name__
    return StoreDamagedError(f"{path}: the store is damaged ({what}); "
                             + _rebuild_hint(path))


def _rebuild_hint(path: Path) -> str:
    return (f"rebuild it: run `kg build --repair -o {path.parent} INPUTS`, or "
            f"remove {path} and run kg build again")


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[str]:
    """A temp file next to `path` to write to, moved over `path` on success
    (os.replace is atomic within a file system), removed on failure: a reader
    sees the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # The name's first TEMPORARY_NAME_BYTES bytes only: a file name near the
    # 255-byte limit must not make its temporary file's name too long.
    name = os.fsdecode(os.fsencode(path.name)[:TEMPORARY_NAME_BYTES])
    temporary = str(path.with_name(f".{name}.{secrets.token_hex(6)}.tmp"))
    # os.open with 0o666, unlike mkstemp's 0o600, lets the umask decide the
    # mode, as for any file the user creates.
    os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    try:
        yield temporary
    except BaseException:
        os.unlink(temporary)
        raise
    try:
        os.replace(temporary, path)
    except OSError:  # `path` is a folder, say: leave no temporary file behind
        os.unlink(temporary)
        raise


# --- N-Quads from worker processes (kg.rdf.build.to_nquads) -----------------


def nquads_to_quads(data: bytes) -> Iterator[ox.Quad]:
    return ox.parse(data, format=ox.RdfFormat.N_QUADS)


def _serialized(items: Iterable[ox.Triple], fmt: ox.RdfFormat) -> bytes:
    data = ox.serialize(items, format=fmt)
    assert data is not None  # serialize returns the bytes when given no output
    return data


# --- query results -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cell:
    """One bound value, typed as SPARQL 1.1 Query Results JSON Format §3.2.2
    types it: ``uri``, ``literal`` (with ``datatype`` or ``lang``), ``bnode``,
    and ``triple`` for RDF 1.2 triple terms."""

    kind: str
    value: str
    datatype: str | None = None  # None for simple and language-tagged literals
    lang: str | None = None


@dataclass(frozen=True, slots=True)
class QueryResult:
    """A table of solutions. ASK gives one column ``ask``; CONSTRUCT and
    DESCRIBE give the columns ``subject``, ``predicate``, ``object``."""

    columns: list[str]
    cells: list[list[Cell | None]]  # None where a variable is unbound

    @property
    def rows(self) -> list[list[str | None]]:
        """The cells as plain text: IRIs and literals by their value, blank
        nodes as ``_:id``."""
        return [
            [None if cell is None else _cell_text(cell) for cell in row]
            for row in self.cells
        ]


def _cell_text(cell: Cell) -> str:
    return "_:" + cell.value if cell.kind == "bnode" else cell.value


def _cell(term: object) -> Cell:
    if isinstance(term, ox.NamedNode):
        return Cell("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return Cell("bnode", term.value)
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        plain = datatype in (_XSD_STRING, _RDF_LANG_STRING)
        return Cell("literal", term.value, None if plain else datatype, term.language)
    return Cell("triple", str(term))


def _result_of(answer: object) -> QueryResult:
    if isinstance(answer, ox.QueryBoolean):
        value = "true" if bool(answer) else "false"
        return QueryResult(["ask"], [[Cell("literal", value, _XSD_BOOLEAN)]])
    if isinstance(answer, ox.QuerySolutions):
        names = [v.value for v in answer.variables]
        return QueryResult(
            names,
            [[None if t is None else _cell(t) for t in solution]
             for solution in answer],
        )
    if isinstance(answer, Iterable):
        return QueryResult(
            ["subject", "predicate", "object"],
            [[_cell(t.subject), _cell(t.predicate), _cell(t.object)]
             for t in answer],
        )
    raise StoreError(f"unexpected query answer {type(answer).__name__}")


def run_query(text: str, store_dir: Path, endpoint: str | None,
              timeout: float = QUERY_TIMEOUT) -> QueryResult:
    """Run `text` against the store in `store_dir`, or against the SPARQL 1.1
    query service at `endpoint` when one is given (see the module docstring),
    waiting at most `timeout` seconds for the whole answer."""
    if endpoint is None:
        return Store(store_dir, read_only=True).query(text)
    from kg import remote

    # SPARQL 1.1 Protocol §2.1.2, query via URL-encoded POST: every server
    # takes it (Virtuoso 7 does not answer a direct application/sparql-query
    # POST), and a long query does not meet URL length limits as a GET would.
    answer = remote.Session.for_url(endpoint).request(
        "POST", endpoint, urllib.parse.urlencode({"query": text}).encode("ascii"),
        {
            "Content-Type": "application/x-www-form-urlencoded",
            # SELECT/ASK answer with results; CONSTRUCT/DESCRIBE with RDF.
            "Accept": "application/sparql-results+json, "
            "application/n-triples;q=0.9, text/turtle;q=0.8",
        },
        timeout,
    )
    shown = remote.shown_url(endpoint)
    if answer.status >= 300:
        raise StoreError(remote.failure(endpoint, answer.status, answer.body))
    media_type = answer.content_type.split(";")[0].strip().lower()
    try:
        if media_type in ("application/sparql-results+json", "application/json"):
            return _result_of(
                ox.parse_query_results(answer.body,
                                       format=ox.QueryResultsFormat.JSON)
            )
        if media_type in ("application/n-triples", "text/turtle", "text/plain"):
            rdf = (ox.RdfFormat.TURTLE if media_type == "text/turtle"
                   else ox.RdfFormat.N_TRIPLES)
            return _result_of(q.triple for q in ox.parse(answer.body, format=rdf))
    except (SyntaxError, ValueError) as error:
        raise StoreError(f"{shown}: unreadable {media_type} answer "
                         f"({str(error).splitlines()[0] if str(error) else error!r})"
                         ) from error
    raise StoreError(f"{shown}: answered with {media_type or 'no media type'}, "
                     "not SPARQL JSON results or N-Triples")


def _term_text(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<{term.value}>"
    return "the default graph" if isinstance(term, ox.DefaultGraph) else str(term)
