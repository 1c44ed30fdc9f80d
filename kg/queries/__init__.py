"""The named queries users run: ``kg query NAME [options]``.

Each query is a SPARQL 1.1 file ``kg/queries/<name>.rq`` that documents itself
in its leading comments. Parameters are never pasted into the text as the user
wrote them: a query marks where a parameter goes with a line

    # PARAM name: <SPARQL fragment holding $value>

and `query_text` replaces that line by the fragment, with ``$value`` replaced
by a SPARQL term built from the validated value (an integer, an IRI minted by
`kg.rdf.iri`, or an escaped string literal). A parameter left out leaves the
line a comment, so every file also runs as it is (``kg sparql -f``).

Every query takes ``limit``, marked ``# PARAM limit: LIMIT $value`` where the
first rows are known: after the final ORDER BY, and in `regulations` also in
the subqueries that pick the rows before the other columns are looked up. A
limit of N asks SPARQL for N + 1 rows, so that `run_named` can tell whether
rows were left out (`Answer.more`) and still give N; 0 asks for every row.

A line ``# OXIGRAPH: <fragment>`` is the fragment on the embedded store and a
comment elsewhere: Oxigraph's ``LATERAL { … }`` (an extension, not SPARQL 1.1)
makes it look up the rows of a few kept keys one key at a time, where it
would otherwise read every row of the corpus and join them by hash (the
`categories` query: 1.2 s instead of 0.1 at 10,000 notices). The text between
such lines must give the same rows either way.

The queries read every notice graph with ``GRAPH ?g { … }`` patterns and
never the default graph: the embedded store's default graph is the union of
all graphs, but a SPARQL server's is not (SPARQL 1.1 Query §13.3), and the same
text must give the same answer from both.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Final

from kg.errors import QueryError
from kg.model import MeasureKind, RegulationKind, Relation
from kg.queries.kept import Kept, kept_answer, kept_batches, kept_csv
from kg.store import QUERY_TIMEOUT, Cell, QueryResult, run_query
from kg.vocab import iri_term, string_term

QUERY_NAMES: Final = (
    "regulations",
    "categories",
    "inspections",
    "measures",
    "enacted",
    "timeline",
)
# Large enough for any corpus: a larger --limit is a slip, and SPARQL engines
# refuse a LIMIT past 2**63 with a syntax error.
MAX_LIMIT: Final = 1_000_000_000

_MARKER: Final = re.compile(
    r"^(?P<indent>[ \t]*)# PARAM (?P<name>\w+): (?P<fragment>.*)$", re.MULTILINE
)
_EMBEDDED: Final = re.compile(r"^(?P<indent>[ \t]*)# OXIGRAPH: ", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Answer:
    """The rows of a named query: every row, or the first `limit`."""

    result: QueryResult | Kept  # Kept: the rows the build kept (kg.queries.kept)
    limit: int | None  # None: every row was asked for
    more: bool  # the query has rows past `limit`, left out of `result`

    @property
    def columns(self) -> list[str]:
        return self.result.columns

    @property
    def rows(self) -> list[list[str | None]]:
        return self.result.rows

    @property
    def cells(self) -> list[list[Cell | None]]:
        return self.result.cells

    @property
    def kept(self) -> bool:
        """Read from the rows the build kept, not by running the SPARQL."""
        return isinstance(self.result, Kept)

    @property
    def csv_records(self) -> Sequence[str] | None:
        """The rows as CSV records where the build kept them so (else None:
        `kg.tables.to_csv` writes the cells)."""
        return self.result.lines if isinstance(self.result, Kept) else None


def query_text(name: str, **params: object) -> str:
    """The SPARQL text of query `name` with `params` filled in.

    A parameter whose value is None counts as not given, so a caller can pass
    every option it has (``limit=0``, every row, leaves the text as it is too);
    a parameter the query does not take, or a value that is not valid for it,
    raises `QueryError`.
    """
    text = _template(name)
    accepted = sorted({m["name"] for m in _MARKER.finditer(text)})
    given = {key: value for key, value in params.items() if value is not None}
    for key in sorted(given):
        if key not in accepted:
            takes = ", ".join(_option(a) for a in accepted) or "no options"
            raise QueryError(f"query {name!r} does not take {_option(key)} "
                             f"(it takes {takes})")
    terms = {key: _term(name, key, value) for key, value in given.items()}

    def fill(match: re.Match[str]) -> str:
        term = terms.get(match["name"])
        if term is None:  # not given, or a value that asks for nothing
            return match[0]
        return match["indent"] + match["fragment"].replace("$value", term)

    return _MARKER.sub(fill, text)


def text_to_run(name: str, endpoint: str | None, **params: object) -> str:
    """The text `run_named` sends: `query_text`, with its ``# OXIGRAPH:``
    fragments where it runs on the embedded store (no `endpoint`)."""
    text = query_text(name, **params)
    return text if endpoint else _EMBEDDED.sub(r"\g<indent>", text)


def run_named(
    name: str, *, store_dir: Path, endpoint: str | None = None,
    timeout: float = QUERY_TIMEOUT, from_store: bool = False, **params: object
) -> Answer:
    """Run query `name` against the store in `store_dir`, or against the SPARQL
    query service at `endpoint` (waiting at most `timeout` seconds for its
    answer); with ``limit=N`` (N ≥ 1), the first N rows.

    On the store, the rows the build kept answer where they are current
    (kg.queries.kept); `from_store` runs the SPARQL all the same."""
    text = text_to_run(name, endpoint, **params)  # also checks the parameters
    asked = params.get("limit")
    fetched = None if asked is None else _term(name, "limit", asked)
    if endpoint is None and not from_store:
        kept = _kept(name, store_dir, fetched, params)
        if kept is not None:
            return _cut(kept, fetched)
    result: QueryResult | Kept = run_query(text, store_dir=store_dir,
                                           endpoint=endpoint, timeout=timeout)
    return _cut(result, fetched)


def _kept(name: str, store_dir: Path, fetched: str | None,
          params: dict[str, object]) -> Kept | None:
    return kept_answer(name, store_dir.parent,
                       limit=None if fetched is None else int(fetched),
                       **_kept_terms(name, params))


def kept_batches_of(name: str, *, store_dir: Path, **params: object
                  ) -> Iterator[Kept] | None:
    """Every row of query `name`, streamed a batch at a time from the rows the
    build kept for the store in `store_dir`; None where they are not
    current (`run_named` then runs the SPARQL). Checks the parameters."""
    query_text(name, **params)
    return kept_batches(name, store_dir.parent, **_kept_terms(name, params))


def kept_csv_of(name: str, *, store_dir: Path, **params: object
                ) -> Iterator[bytes] | None:
    """Every row of query `name` as CSV lines (UTF-8 bytes, the header not
    included), streamed from the rows the build kept for the store in
    `store_dir`; None where they are not current. Checks the parameters."""
    query_text(name, **params)
    return kept_csv(name, store_dir.parent, **_kept_terms(name, params))


def _kept_terms(name: str, params: dict[str, object]) -> dict[str, str | None]:
    """The parameters kept rows are selected by, as SPARQL terms."""
    return {key: _term(name, key, value) for key, value in params.items()
            if key in ("kind", "category", "min_notices") and value is not None}


def _cut(result: QueryResult | Kept, fetched: str | None) -> Answer:
    """The answer of `result`, the rows SPARQL gave for a LIMIT of `fetched`
    (one more than asked, None for all): the rows asked for, and whether
    more were left out."""
    if fetched is None:
        return Answer(result, limit=None, more=False)
    limit = int(fetched) - 1
    if isinstance(result, Kept):
        return Answer(result.first(limit), limit=limit,
                      more=len(result.lines) > limit)
    return Answer(QueryResult(result.columns, result.cells[:limit]), limit=limit,
                  more=len(result.cells) > limit)


def _template(name: str) -> str:
    if name not in QUERY_NAMES:
        raise QueryError(f"no query named {name!r} (the queries are: "
                         f"{', '.join(QUERY_NAMES)})")
    return resources.files(__name__).joinpath(f"{name}.rq").read_text("utf-8")


def _option(parameter: str) -> str:
    return "--" + parameter.replace("_", "-")


# --- parameter values → SPARQL terms ------------------------------------------


def _term(query: str, parameter: str, value: object) -> str | None:
    converter = _CONVERTERS.get((query, parameter)) or _CONVERTERS[("*", parameter)]
    try:
        return converter(value)
    except (ValueError, TypeError) as error:
        raise QueryError(f"query {query!r}: {_option(parameter)} {value!r}: "
                         f"{error}") from error


def _count(value: object) -> str:
    number = _whole_number(value)
    if number < 1:
        raise ValueError("must be 1 or more")
    return str(number)


def _limit(value: object) -> str | None:
    """--limit N as the LIMIT asked of SPARQL: one row more than N, to tell
    whether rows were left out; None (no LIMIT) for 0, every row."""
    number = _whole_number(value)
    if not 0 <= number <= MAX_LIMIT:
        raise ValueError(f"must be 0 (every row) to {MAX_LIMIT:,}")
    return str(number + 1) if number else None


def _whole_number(value: object) -> int:
    # bool is an int subclass; True is not a count anybody means.
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError("must be a whole number")
    return int(value) if isinstance(value, int) else _parse_int(value)


def _parse_int(text: str) -> int:
    if not re.fullmatch(r"\s*\+?\d+\s*", text):
        raise ValueError("must be a whole number")
    return int(text)


def _choice(value: object, choices: dict[str, str]) -> str:
    if not isinstance(value, str) or value.strip() not in choices:
        raise ValueError("must be one of " + ", ".join(sorted(choices)))
    return choices[value.strip()]


def _document_kind(value: object) -> str:
    from kg.rdf.iri import document_kind_iri

    choices = {k.value: iri_term(document_kind_iri(k).value)
               for k in RegulationKind}
    return _choice(value, choices)


def _measure_kind(value: object) -> str:
    """A measure kind by its value (学习教育) or by its IRI's slug (study)."""
    from kg.rdf.iri import measure_kind_iri

    choices: dict[str, str] = {}
    for kind in MeasureKind:
        iri = measure_kind_iri(kind).value
        choices[kind.value] = choices[iri.rsplit("/", 1)[1]] = iri_term(iri)
    return _choice(value, choices)


def _relation(value: object) -> str:
    return _choice(value, {r.value: string_term(r.value) for r in Relation})


def _relation_summary(value: object) -> str:
    """A relation as the summary graph of its usages (kg.rdf.summary)."""
    from kg.rdf.iri import summary_graph_iri

    return _choice(value, {r.value: iri_term(summary_graph_iri(r.value).value)
                           for r in Relation})


def _category(value: object) -> str:
    """A category of ontology/categories.ttl by its id or its Chinese label."""
    from kg.extract.categories import categories
    from kg.rdf.iri import category_iri

    choices: dict[str, str] = {}
    for category in categories():
        choices[category.id] = choices[category.label_zh] = iri_term(
            category_iri(category.id).value
        )
    if isinstance(value, str) and value.strip() not in choices:
        ids = ", ".join(sorted(c.id for c in categories()))
        raise ValueError(f"no such category; give an id ({ids}) or its Chinese label")
    return _choice(value, choices)


# A converter gives the SPARQL term of a value, or None for a value that asks
# for nothing (limit 0) and leaves the marker line a comment.
_CONVERTERS: Final[dict[tuple[str, str], Callable[[object], str | None]]] = {
    ("*", "limit"): _limit,
    ("*", "min_notices"): _count,
    ("*", "kind"): _document_kind,
    ("*", "relation"): _relation,
    ("*", "category"): _category,
    ("measures", "kind"): _measure_kind,
    ("regulations", "relation"): _relation_summary,
}
