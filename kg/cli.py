"""The `kg` command line. The only place errors become messages and exit codes.

Exit codes: 0 all ok, 1 some input failed (or a check failed), 2 usage error.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO, TypeVar

import click

from kg import __version__
from kg.errors import KgError

DEFAULT_OUT = Path("output")
Command = TypeVar("Command", bound=Callable[..., Any])
# The folder a build writes and the other commands read (holds store/).
_build_folder = functools.partial(
    click.option,
    type=click.Path(path_type=Path),
    default=DEFAULT_OUT,
    show_default=True,
)


def _fail(message: str, code: int = 1) -> None:
    click.echo(f"kg: {message}", err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def main() -> None:
    """Knowledge graphs from Party inspection rectification notices
    (巡察/巡视整改进展情况的通报)."""


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    help="text: a readable summary; json: the contract of DESIGN.md.",
)
@click.option(
    "--gazetteer",
    "gazetteers",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Extra regulation gazetteer TSV (e.g. laws.tsv); repeatable.",
)
def extract(files: tuple[Path, ...], fmt: str, gazetteers: tuple[Path, ...]) -> None:
    """Extract the facts of each notice FILE and print them."""
    from kg.export import notice_summary, notice_to_dict
    from kg.ingest import read_source
    from kg.link import Gazetteer
    from kg.pipeline import extract_source

    gazetteer = Gazetteer.load(gazetteers)
    failed = 0
    documents = []
    for path in files:
        try:
            notice = extract_source(read_source(path), gazetteer=gazetteer)
        except KgError as error:
            click.echo(f"kg: {error}", err=True)
            failed += 1
            continue
        if fmt == "json":
            documents.append(notice_to_dict(notice))
        else:
            click.echo(notice_summary(notice))
    if fmt == "json":
        payload = documents[0] if len(files) == 1 and documents else documents
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    if failed:
        sys.exit(1)


@main.command(name="eval")
@click.option(
    "--gold",
    "gold_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of gold <id>.json files for FILES.",
)
@click.option(
    "--devset",
    "devset_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A dev set folder (gold/<id>.json, texts/<id>.txt): score every text.",
)
@click.option(
    "--errors", "show_errors", is_flag=True,
    help="With --devset: list every disagreement (notice, field, gold, found).",
)
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
def evaluate_command(
    gold_dir: Path | None, devset_dir: Path | None, show_errors: bool,
    files: tuple[Path, ...],
) -> None:
    """Precision/recall per field of the extraction of FILES against gold,
    or of every text of a dev set.

    \b
    Examples:
      kg eval --gold tests/gold examples/notices/*.txt
      kg eval --devset tests/devset --errors
    """
    from kg.evaluate import evaluate_files, format_table
    from kg.export import notice_to_dict
    from kg.pipeline import extract_notice

    if (gold_dir is None) == (devset_dir is None) or (gold_dir and not files):
        raise click.UsageError("give --gold DIR FILES... or --devset DIR")
    try:
        if devset_dir is not None:
            from kg.devset import evaluate_devset

            result = evaluate_devset(
                devset_dir, lambda path: notice_to_dict(extract_notice(path)),
                only=[Path(f).stem for f in files],
            )
            if show_errors:
                for miss in result.misses:
                    click.echo(f"{miss.notice}\t{miss.field}\tgold={miss.gold}"
                               f"\tfound={miss.predicted}")
            click.echo(format_table(result.scores))
            click.echo(f"({len(result.scored)} notices scored; "
                       f"{len(result.missing_texts)} without text in "
                       f"{devset_dir / 'texts'})")
            return
        assert gold_dir is not None
        predicted = [notice_to_dict(extract_notice(path)) for path in files]
        scores = evaluate_files(gold_dir, predicted)
    except KgError as error:
        _fail(str(error))
    click.echo(format_table(scores))


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@_build_folder("-o", "--out", help="Output folder.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default: all cores).",
)
@click.option(
    "--prune",
    is_flag=True,
    help="Remove notices whose input file is gone from the graph.",
)
@click.option("--strict", is_flag=True, help="Warnings count as failures.")
@click.option(
    "--gazetteer",
    "gazetteers",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Extra regulation gazetteer TSV (e.g. laws.tsv); repeatable.",
)
@click.option("--no-html", is_flag=True, help="Skip the HTML pages.")
@click.option(
    "--no-dump",
    is_flag=True,
    help="Skip graph.trig and graph.ttl: whole-corpus files that every build "
    "changing anything rewrites (the store and notices/*.ttl stay current).",
)
def build(
    inputs: tuple[Path, ...],
    out: Path,
    jobs: int | None,
    prune: bool,
    strict: bool,
    gazetteers: tuple[Path, ...],
    no_html: bool,
    no_dump: bool,
) -> None:
    """Build the knowledge graph of the notices in INPUTS (files or folders)."""
    from kg.build import build_corpus

    try:
        report = build_corpus(
            list(inputs),
            out,
            jobs=jobs,
            prune=prune,
            gazetteers=list(gazetteers),
            progress=sys.stderr.isatty(),
            html=not no_html,
            dump=not no_dump,
        )
    except KgError as error:
        _fail(str(error))
    click.echo(report.summary(), err=True)
    sys.exit(report.exit_code(strict=strict))


@main.command()
@_build_folder("-o", "--out", help="The build's output folder.")
@click.option(
    "--graph",
    "graph_file",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    help="Validate this Turtle/TriG file instead.",
)
def validate(out: Path, graph_file: Path | None) -> None:
    """Check the built graph against the SHACL shapes in ontology/shapes.ttl."""
    from kg.rdf.validate import validate_graph

    target = graph_file if graph_file is not None else out / "graph.ttl"
    if not target.exists():
        _fail(f"{target}: no graph to validate; run `kg build` first "
              "(without --no-dump)", 1)
    try:
        report = validate_graph(target)
    except KgError as error:
        _fail(str(error))
    click.echo(report.text)
    sys.exit(0 if report.conforms else 1)


def _result_options(function: Command) -> Command:
    function = click.option(
        "--format",
        "fmt",
        type=click.Choice(["table", "csv", "json", "markdown"]),
        default="table",
        show_default=True,
    )(function)
    function = click.option(
        "--endpoint",
        default=None,
        help="A SPARQL 1.1 query endpoint URL instead of the local store.",
    )(function)
    function = _build_folder(
        "-o", "--out", help="The build's output folder (holds store/)."
    )(function)
    return function


@main.command()
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
) -> None:
    """Run a SPARQL QUERY against the store (or --endpoint)."""
    from kg.store import run_query
    from kg.tables import render

    if (query is None) == (query_file is None):
        _fail("give either a QUERY or -f FILE", 2)
    text = query if query is not None else query_file.read() if query_file else ""
    try:
        result = run_query(text, store_dir=out / "store", endpoint=endpoint)
    except KgError as error:
        _fail(str(error))
    click.echo(render(result, fmt))


@main.command()
@click.option(
    "--endpoint",
    required=True,
    help="Graph Store Protocol URL of the server (e.g. http://host/store).",
)
@_build_folder("-o", "--out", help="The build's output folder (holds store/).")
@click.option(
    "--timeout",
    type=float,
    default=60.0,
    show_default=True,
    help="Seconds to wait for each request.",
)
def push(endpoint: str, out: Path, timeout: float) -> None:
    """Load every notice's named graph into a SPARQL 1.1 server (PUT per graph).

    Credentials come from KG_ENDPOINT_USER / KG_ENDPOINT_PASSWORD or ~/.netrc,
    never from the command line.
    """
    from kg.store import push_store

    try:
        report = push_store(out / "store", endpoint, timeout=timeout)
    except KgError as error:
        _fail(str(error))
    click.echo(report.summary())
    sys.exit(0 if report.ok else 1)


@main.command()
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
@_result_options
def query(
    name: str,
    min_notices: int | None,
    kind: str | None,
    relation: str | None,
    category: str | None,
    limit: int,
    explain: bool,
    fmt: str,
    endpoint: str | None,
    out: Path,
) -> None:
    """Run the named query NAME: regulations, categories, inspections,
    measures, enacted or timeline."""
    from kg.queries import QueryError, query_text, run_named
    from kg.tables import left_out_note, render

    params = {
        "min_notices": min_notices,
        "kind": kind,
        "relation": relation,
        "category": category,
        "limit": limit,
    }
    try:
        if explain:
            click.echo(query_text(name, **params), err=True)
        answer = run_named(name, store_dir=out / "store", endpoint=endpoint, **params)
    except QueryError as error:  # a usage error: unknown name, bad option value
        _fail(str(error), 2)
    except KgError as error:
        _fail(str(error))
    click.echo(render(answer, fmt, more=answer.more))
    if answer.more and fmt in ("csv", "json"):  # their output stays pure data
        click.echo(f"kg: {left_out_note(len(answer.rows))}", err=True)


@main.command()
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
@_build_folder("--store", "out", help="The build's output folder (holds store/).")
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(path_type=Path),
    required=True,
    help="The HTML file to write.",
)
def view(
    notice: str | None,
    regulation: str | None,
    category: str | None,
    max_nodes: int,
    out: Path,
    output: Path,
) -> None:
    """Write an interactive graph page: a notice, a regulation's or a
    category's neighbourhood, or the corpus overview."""
    from kg.site import view_page

    try:
        page = view_page(
            out / "store",
            notice=notice,
            regulation=regulation,
            category=category,
            max_nodes=max_nodes,
        )
    except KgError as error:
        _fail(str(error))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(page, encoding="utf-8")
    click.echo(f"wrote {output}", err=True)
