"""The `kg` command line, and the one place errors become messages and exit
codes (`EXIT_CODES`):

0  everything worked;
1  an input, the store or a server failed, or a check failed (`kg validate`,
   a build with failed files);
2  a usage error: an unknown option, a value an option cannot take;
3  an internal error: a bug in kg. One line, with the traceback under --debug.

Every failure is one line on stderr starting ``kg:`` (click's usage errors
too), never a traceback unless ``kg --debug`` asks for one.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final, NoReturn, TypeVar

import click

from kg import __version__
from kg.errors import InputError, KgError, QueryError, StoreError

DEFAULT_OUT = Path("output")
# KgError subclasses → exit codes; the first class an error is an instance of
# decides. Anything that is not a KgError is an internal error (3).
EXIT_CODES: Final[tuple[tuple[type[KgError], int], ...]] = (
    (QueryError, 2),
    (InputError, 1),
    (StoreError, 1),
    (KgError, 1),
)
INTERNAL_ERROR: Final = 3
USAGE_ERROR: Final = 2

Command = TypeVar("Command", bound=Callable[..., Any])
# The folder a build writes and the other commands read (holds store/).
build_folder = functools.partial(
    click.option,
    "-o",
    "--out",
    type=click.Path(path_type=Path),
    default=DEFAULT_OUT,
    show_default=True,
    help="The build folder (kg build writes it; it holds store/).",
)


class _Failure(click.ClickException):
    """A message and an exit code, shown as one line."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.code = exit_code


def _fail(message: str, code: int = 1) -> NoReturn:
    raise _Failure(message, code)


def exit_code(error: KgError) -> int:
    """The exit code of `error` (see `EXIT_CODES`)."""
    return next(code for kind, code in EXIT_CODES if isinstance(error, kind))


def _one_line(text: str) -> str:
    return " ".join(text.split())


class _Kg(click.Group):
    """The `kg` group: maps errors to messages and exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.Abort, click.ClickException):
            raise
        except KgError as error:
            if ctx.params.get("debug"):
                raise
            raise _Failure(str(error), exit_code(error)) from error
        except Exception as error:
            if ctx.params.get("debug"):
                raise
            what = f"{type(error).__name__}: {error}" if str(error) else repr(error)
            raise _Failure(f"internal error: {what} (a bug in kg; `kg --debug …` "
                           "shows where)", INTERNAL_ERROR) from error

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """click's main, with every usage error and failure as one line."""
        kwargs["standalone_mode"] = False
        try:
            returned = super().main(*args, **kwargs)
        except click.UsageError as error:
            where = error.ctx.command_path if error.ctx is not None else "kg"
            usage = (error.ctx.get_usage().replace("\n", " ")
                     if error.ctx is not None else "Usage: kg")
            click.echo(_one_line(f"{usage} -- error: {error.format_message()} "
                                 f"(`{where} -h` for help)"), err=True)
            sys.exit(USAGE_ERROR)
        except click.ClickException as error:
            click.echo(f"kg: {_one_line(error.format_message())}", err=True)
            sys.exit(error.code if isinstance(error, _Failure) else error.exit_code)
        except click.Abort:
            click.echo("kg: interrupted", err=True)
            sys.exit(130)
        sys.exit(returned if isinstance(returned, int) else 0)


@click.group(name="kg", cls=_Kg,
             context_settings={"help_option_names": ["-h", "--help"]},
             epilog="""\b
Start here:
  kg build examples/notices          # writes output/
  kg query regulations               # which rules recur
  kg serve                           # pages and SPARQL on 127.0.0.1

`kg COMMAND -h` shows a command's options and examples.""")
@click.version_option(__version__, prog_name="kg")
@click.option("--debug", is_flag=True,
              help="Show the traceback of an internal error.")
def main(debug: bool) -> None:
    """Knowledge graphs from Party inspection rectification notices
    (巡察/巡视整改进展情况的通报)."""


def examples(*lines: str) -> str:
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


@main.command(epilog=examples(
    "kg extract examples/notices/luozhuang-2021.txt",
    "kg extract examples/notices/*.txt --format json > notices.json",
))
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    help="text: a readable summary; json: one object per notice, as "
    "docs/schema/notice.json describes (an array for several files).",
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
        except KgError as error:  # the other files still go on
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


@main.command(name="eval", epilog=examples(
    "kg eval --gold tests/gold examples/notices/*.txt",
    "kg eval --devset tests/devset --errors",
))
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
    or of every text of a dev set (FILES, if given, pick ids of it)."""
    from kg.evaluate import evaluate_files, format_table
    from kg.export import notice_to_dict
    from kg.pipeline import extract_notice

    if (gold_dir is None) == (devset_dir is None) or (gold_dir and not files):
        raise click.UsageError("give --gold DIR FILES... or --devset DIR")
    if devset_dir is None:
        assert gold_dir is not None
        predicted = [notice_to_dict(extract_notice(path)) for path in files]
        click.echo(format_table(evaluate_files(gold_dir, predicted)))
        return
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
    click.echo(f"({len(result.scored)} notices scored; {len(result.missing_texts)} "
               f"without text in {devset_dir / 'texts'})")


@main.command(epilog=examples(
    "kg build examples/notices                 # into output/",
    "kg build ~/notices -o ~/kg-out -j 2 --prune",
    "kg build big-corpus/ --no-html --no-dump  # store only: fastest",
))
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@build_folder()
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
@click.option(
    "--repair",
    is_flag=True,
    help="Remove a damaged store (and the build cache) and build it again "
    "from INPUTS; notices whose inputs are not given are lost.",
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
    repair: bool = False,
) -> None:
    """Build the knowledge graph of the notices in INPUTS (files or folders)."""
    from kg.build import build_corpus

    report = build_corpus(
        list(inputs),
        out,
        jobs=jobs,
        prune=prune,
        gazetteers=list(gazetteers),
        progress=sys.stderr.isatty(),
        html=not no_html,
        dump=not no_dump,
        repair=repair,
    )
    click.echo(report.summary(), err=True)
    sys.exit(report.exit_code(strict=strict))


@main.command(epilog=examples(
    "kg validate                     # output/graph.ttl",
    "kg validate --graph notices/sanmen-2023.ttl",
))
@build_folder()
@click.option(
    "--graph",
    "graph_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Validate this Turtle/TriG file instead.",
)
def validate(out: Path, graph_file: Path | None) -> None:
    """Check the built graph against the SHACL shapes in ontology/shapes.ttl."""
    from kg.rdf.validate import validate_graph

    target = graph_file if graph_file is not None else out / "graph.ttl"
    if not target.is_file():
        _fail(f"{target}: no graph to validate; run `kg build` first "
              "(without --no-dump)")
    report = validate_graph(target)
    click.echo(report.text)
    sys.exit(0 if report.conforms else 1)


# The commands that read a build's store register themselves on `main`.
from kg import cli_store  # noqa: E402, F401
