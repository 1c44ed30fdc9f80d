"""The `kg` commands that read a build's store: sparql, query, push, view and
serve. They register on `kg.cli.main`, whose group maps their errors to
messages and exit codes (see `kg.cli`)."""

from __future__ import annotations

import math
import shutil
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

from kg.cli import Command, build_folder, examples, main
from kg.errors import InputError

if TYPE_CHECKING:
    from kg.queries.kept import Kept


class _Seconds(click.ParamType):
    """A duration in seconds: finite, above 0, at most a day."""

    name = "seconds"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> float:
        from kg.store import MAX_TIMEOUT

        try:
            seconds = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        if not (math.isfinite(seconds) and 0 < seconds <= MAX_TIMEOUT):
            self.fail(f"{value!r}: give seconds above 0 and at most "
                      f"{MAX_TIMEOUT:g}", param, ctx)
        return seconds


def _result_options(function: Command) -> Command:
    function = click.option(
        "--format",
        "fmt",
        type=click.Choice(["table", "csv", "json", "markdown"]),
        default="table",
        show_default=True,
        help="table for people; csv and json keep every column, with numbers "
        "as numbers (docs/schema/query-result.json).",
    )(function)
    function = click.option(
        "--endpoint",
        default=None,
        help="A SPARQL 1.1 query service URL instead of the local store "
        "(kg serve: http://127.0.0.1:7878/query).",
    )(function)
    function = build_folder()(function)
    function = click.option(
        "--timeout",
        type=_Seconds(),
        default=60.0,
        show_default=True,
        help="With --endpoint: seconds the query may take in all, its answer "
        "included.",
    )(function)
    return function


def _terminal_width() -> int | None:
    """The width a table must fit: the terminal's, or none when stdout is a
    pipe or a file (a pager or an editor shows long lines)."""
    if not sys.stdout.isatty():
        return None
    return shutil.get_terminal_size().columns


@main.command(epilog=examples(
    "kg sparql 'SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }'",
    "kg sparql -f examples/queries/regulations-by-level.rq --format csv",
    "kg sparql -f q.rq --endpoint http://127.0.0.1:7878/query",
))
@click.argument("query", required=False)
@click.option(
    "-f",
    "--file",
    "query_file",
    type=click.File("r", encoding="utf-8"),
    default=None,
    help="Read the query from a .rq file.",
)
@_result_options
def sparql(
    query: str | None,
    query_file: TextIO | None,
    fmt: str,
    endpoint: str | None,
    out: Path,
    timeout: float,
) -> None:
    """Run a SPARQL QUERY against the store (or --endpoint)."""
    from kg.store import run_query
    from kg.tables import render

    if (query is None) == (query_file is None):
        raise click.UsageError("give either a QUERY or -f FILE")
    text = query if query is not None else query_file.read() if query_file else ""
    result = run_query(text, store_dir=out / "store", endpoint=endpoint,
                       timeout=timeout)
    click.echo(render(result, fmt, width=_terminal_width()))


@main.command(epilog=examples(
    "kg push --endpoint http://127.0.0.1:7878/store          # oxigraph serve",
    "KG_ENDPOINT_USER=dba KG_ENDPOINT_PASSWORD=… \\",
    "  kg push --endpoint http://127.0.0.1:8890/sparql-graph-crud-auth  # Virtuoso",
))
@click.option(
    "--endpoint",
    required=True,
    help="Graph Store Protocol URL of the server (e.g. http://host/store).",
)
@build_folder()
@click.option(
    "--timeout",
    type=_Seconds(),
    default=60.0,
    show_default=True,
    help="Seconds each request may take in all, its answer included.",
)
def push(endpoint: str, out: Path, timeout: float) -> None:
    """Load every notice's named graph into a SPARQL 1.1 server (PUT per graph;
    pushing again replaces, never doubles).

    Credentials come from KG_ENDPOINT_USER / KG_ENDPOINT_PASSWORD or ~/.netrc
    (HTTP Basic, or Digest when the server asks for it), never from the
    command line.
    """
    from kg.outlock import reading
    from kg.push import push_store

    with reading(out):  # no build rewrites the store while it is pushed
        report = push_store(out / "store", endpoint, timeout=timeout)
    click.echo(report.summary())
    sys.exit(0 if report.ok else 1)


@main.command(epilog=examples(
    "kg query regulations --min-notices 2",
    "kg query measures --category democratic-centralism --kind 制度建设",
    "kg query inspections --format json > inspections.json",
    "kg query timeline --endpoint http://127.0.0.1:7878/query",
))
@click.argument("name")
@click.option(
    "--min-notices",
    type=click.IntRange(min=1),
    default=None,
    help="Only rows seen in at least N notices (regulations, categories).",
)
@click.option(
    "--kind",
    default=None,
    help="Regulation kind (law, party_regulation, normative_document, "
    "other) or measure kind (学习教育, 制度建设, ...).",
)
@click.option(
    "--relation", default=None, help="cites, studies, enacts or violates (regulations)."
)
@click.option(
    "--category", default=None, help="Issue category id or Chinese label (measures)."
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=100,
    show_default=True,
    help="Show the first N rows; 0 shows all.",
)
@click.option("--explain", is_flag=True, help="Print the SPARQL that is run first.")
@click.option(
    "--from-store",
    is_flag=True,
    help="Run the SPARQL on the store even where the build kept the rows "
    "(inspections, timeline, categories, measures, enacted).",
)
@_result_options
def query(
    name: str,
    min_notices: int | None,
    kind: str | None,
    relation: str | None,
    category: str | None,
    limit: int,
    explain: bool,
    from_store: bool,
    fmt: str,
    endpoint: str | None,
    out: Path,
    timeout: float,
) -> None:
    """Run the named query NAME: regulations, categories, inspections,
    measures, enacted or timeline (kg/queries/NAME.rq)."""
    from kg.queries import run_named, text_to_run
    from kg.tables import left_out_note, render

    params = {
        "min_notices": min_notices,
        "kind": kind,
        "relation": relation,
        "category": category,
        "limit": limit,
    }
    if explain:
        click.echo(text_to_run(name, endpoint, **params), err=True)
    if (fmt in ("csv", "json") and not limit and endpoint is None and not from_store
            and _write_kept(name, fmt, out / "store", params)):
        if explain:
            click.echo(_KEPT_NOTE, err=True)
        return
    answer = run_named(name, store_dir=out / "store", endpoint=endpoint,
                       timeout=timeout, from_store=from_store, **params)
    if explain and answer.kept:
        click.echo(_KEPT_NOTE, err=True)
    click.echo(render(answer, fmt, more=answer.more, width=_terminal_width()))
    if answer.more and fmt in ("csv", "json"):  # their output stays pure data
        click.echo(f"kg: {left_out_note(len(answer.rows))}", err=True)


_KEPT_NOTE = ("kg: answered from the rows the build kept "
              "(--from-store runs the SPARQL above)")


def _write_kept(name: str, fmt: str, store_dir: Path, params: dict[str, Any]
                ) -> bool:
    """Every row of query `name` as CSV or JSON, from the rows the build
    kept, written as it is read; False where they are not current."""
    from kg.queries import kept_batches_of, kept_csv_of
    from kg.rdf.keptcolumns import KEPT_COLUMNS

    if fmt == "csv":
        chunks = kept_csv_of(name, store_dir=store_dir, **params)
        if chunks is None:
            return False
        _write_csv(chunks, KEPT_COLUMNS[name])
        return True
    batches = kept_batches_of(name, store_dir=store_dir, **params)
    if batches is None:
        return False
    _echo_json(batches)
    return True


def _write_csv(chunks: Iterator[bytes], columns: Sequence[str]) -> None:
    """The CSV header and `chunks` (lines as bytes) on stdout: the bytes
    `kg.tables.render` writes for the same rows."""
    from kg.tables import csv_record

    sys.stdout.flush()  # what was echoed before goes first
    stdout = sys.stdout.buffer
    stdout.write(csv_record(columns).encode("utf-8") + b"\n")
    for chunk in chunks:
        stdout.write(chunk)
    stdout.flush()


def _echo_json(batches: Iterator[Kept]) -> None:
    """Every row of `batches` as JSON, the bytes `kg.tables.render` writes
    for them all at once."""
    from kg.tables import json_elements

    opened = False
    for batch in batches:
        elements = ",\n".join(json_elements(batch))
        click.echo((",\n" if opened else "[\n") + elements, nl=False)
        opened = True
    click.echo("\n]" if opened else "[]")


@main.command(epilog=examples(
    "kg view --notice sanmen-2023 --page sanmen.html",
    "kg view --regulation 中央八项规定 --page eight-rules.html",
    "kg view -o ~/kg-out --page overview.html    # the whole corpus",
))
@click.option("--notice", default=None, help="A notice id (its file stem).")
@click.option("--regulation", default=None, help="A regulation title, or part of it.")
@click.option("--category", default=None, help="An issue category id or label.")
@click.option(
    "--max-nodes",
    type=click.IntRange(min=10),
    default=1500,
    show_default=True,
    help="Keep at most N nodes, the most connected.",
)
@build_folder()
@click.option(
    "--page",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("view.html"),
    show_default=True,
    help="The HTML file to write.",
)
def view(
    notice: str | None,
    regulation: str | None,
    category: str | None,
    max_nodes: int,
    out: Path,
    page: Path,
) -> None:
    """Write one interactive graph page: a notice, a regulation's or a
    category's neighbourhood, or (none given) the corpus overview."""
    from kg.site import view_page

    if sum(choice is not None for choice in (notice, regulation, category)) > 1:
        raise click.UsageError("give at most one of --notice, --regulation, "
                               "--category")
    if page.is_dir():
        raise click.BadParameter(f"{page} is a folder; give a file name such as "
                                 f"{page / 'view.html'}", param_hint="'--page'")
    from kg.outlock import reading

    with reading(out):  # no build rewrites the store while it is read
        html = view_page(out / "store", notice=notice, regulation=regulation,
                         category=category, max_nodes=max_nodes)
    _write_page(page, html)
    click.echo(f"wrote {page}", err=True)


def _write_page(path: Path, html: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
    except OSError as error:
        raise InputError(str(path), f"cannot be written ({error.strerror})",
                         "give another --page") from error


@main.command(epilog=examples(
    "kg serve                        # output/ on ports 8000 and 7878",
    "kg serve -o ~/kg-out --port 0   # any free ports",
    "kg query regulations --endpoint http://127.0.0.1:7878/query",
))
@build_folder()
@click.option("--port", type=click.IntRange(0, 65535), default=8000,
              show_default=True, help="Port of the pages (0: any free port).")
@click.option("--sparql-port", type=click.IntRange(0, 65535), default=7878,
              show_default=True, help="Port of the SPARQL endpoint (0: any free port).")
def serve(out: Path, port: int, sparql_port: int) -> None:
    """Serve the built pages and a read-only SPARQL 1.1 endpoint over the
    built store, on 127.0.0.1, until Ctrl-C.

    The endpoint is Oxigraph's server (`oxigraph serve-read-only`) over
    OUT/store; its default graph is the union of the notice graphs, as in
    `kg sparql`. Its query service is /query (GET or POST, SPARQL 1.1
    Protocol), and a query form is at its root.
    """
    from kg.serve import serve_build

    serve_build(out, port=port, sparql_port=sparql_port,
                announce=lambda line: click.echo(line, err=True))

