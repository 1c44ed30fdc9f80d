"""The command line as one surface: every error one line with its exit code
(usage 2, input 1, internal 3), -o/--out the build folder in every command,
an example in every --help, tables that fit the terminal, and JSON that
validates against the schemas in docs/schema/."""

from __future__ import annotations

import json
from pathlib import Path

import click
import jsonschema
import pytest
from click.testing import CliRunner, Result
from rich.cells import cell_len

from kg.cli import main
from kg.queries import QUERY_NAMES, run_named
from kg.tables import render

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "notices"
SCHEMAS = ROOT / "docs" / "schema"
QUERY_SCHEMA = json.loads((SCHEMAS / "query-result.json").read_text("utf-8"))
NOTICE_SCHEMA = json.loads((SCHEMAS / "notice.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kg.build import build_corpus

    out = tmp_path_factory.mktemp("cli")
    report = build_corpus([EXAMPLES], out, jobs=2, prune=False, gazetteers=[],
                          progress=False, html=False, dump=False)
    assert report.exit_code(strict=False) == 0, report.summary()
    return out


def kg(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def assert_one_line(result: Result, code: int) -> str:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    return lines[0]


# --- errors and exit codes ---------------------------------------------------------


@pytest.mark.parametrize("args", [
    ["no-such-command"],
    ["query"],
    ["query", "regulations", "--format", "yaml"],
    ["query", "regulations", "--limit", "-3"],
    ["sparql"],
    ["view", "--notice", "a", "--category", "b"],
    ["push"],
    ["build", "--jobs", "x", "in"],
    ["serve", "--port", "70000"],
    ["--no-such-flag"],
])
def test_usage_errors_are_one_line_and_exit_2(args: list[str]) -> None:
    line = assert_one_line(kg(*args), 2)
    assert line.startswith("Usage: kg")
    assert "-h` for help" in line


@pytest.mark.parametrize("value", ["-1", "0", "nan", "inf", "-inf", "1e300",
                                   "86401", "soon"])
def test_push_timeout_is_validated(value: str) -> None:
    line = assert_one_line(kg("push", "--endpoint", "http://127.0.0.1:9/store",
                              "--timeout", value), 2)
    assert "Invalid value for '--timeout'" in line


@pytest.mark.parametrize("command", [["query", "timeline"], ["sparql", "ASK {}"]])
def test_endpoint_timeout_is_validated_and_bounds_a_silent_server(
    command: list[str], tmp_path: Path
) -> None:
    import socket
    import time

    line = assert_one_line(kg(*command, "--endpoint", "http://127.0.0.1:9/q",
                              "--timeout", "nan"), 2)
    assert "Invalid value for '--timeout'" in line
    with socket.socket() as silent:  # accepts, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/query"
        started = time.monotonic()
        line = assert_one_line(kg(*command, "--endpoint", url, "--timeout", "0.5",
                                  "-o", str(tmp_path)), 1)
        assert time.monotonic() - started < 3
    assert line == f"kg: {url}: no answer within 0.5 s"


def test_an_unknown_query_name_is_a_usage_error(built: Path) -> None:
    line = assert_one_line(kg("query", "regulation", "-o", str(built)), 2)
    assert line == ("kg: no query named 'regulation' (the queries are: "
                    + ", ".join(QUERY_NAMES) + ")")


def test_an_input_error_exits_1_in_one_line(tmp_path: Path) -> None:
    line = assert_one_line(kg("query", "timeline", "-o", str(tmp_path)), 1)
    assert line.startswith(f"kg: {tmp_path / 'store'}")


def test_an_internal_error_exits_3_and_debug_shows_the_traceback(
    built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kg import queries

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(queries, "run_named", broken)
    line = assert_one_line(kg("query", "timeline", "-o", str(built)), 3)
    assert line == ("kg: internal error: ZeroDivisionError: division by zero "
                    "(a bug in kg; `kg --debug …` shows where)")
    debug = kg("--debug", "query", "timeline", "-o", str(built))
    assert isinstance(debug.exception, ZeroDivisionError)


def test_view_with_a_folder_as_build_says_there_is_no_store(tmp_path: Path) -> None:
    # issue 16 case 8: `kg view -o /tmp` was a traceback (IsADirectoryError)
    line = assert_one_line(kg("view", "-o", str(tmp_path), "--page",
                              str(tmp_path / "v.html")), 1)
    assert line == f"kg: {tmp_path / 'store'}: no store here; run `kg build` first"


def test_view_page_that_is_a_folder_is_a_usage_error(built: Path,
                                                     tmp_path: Path) -> None:
    line = assert_one_line(kg("view", "-o", str(built), "--page", str(tmp_path)), 2)
    assert "Invalid value for '--page'" in line


def test_view_writes_its_page_where_page_says(built: Path, tmp_path: Path) -> None:
    page = tmp_path / "pages" / "sanmen.html"
    result = kg("view", "--notice", "sanmen-2023", "-o", str(built), "--page",
                str(page))
    assert result.exit_code == 0, result.output
    assert "三门县投资促进中心党组" in page.read_text("utf-8")


def test_view_page_that_cannot_be_written_is_one_line(built: Path,
                                                     tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    line = assert_one_line(kg("view", "--notice", "sanmen-2023", "-o", str(built),
                              "--page", str(blocker / "page.html")), 1)
    assert line.startswith(f"kg: {blocker / 'page.html'}: cannot be written")


# --- one meaning of -o, and examples in every help ----------------------------------


def test_out_is_the_build_folder_in_every_command() -> None:
    reading = {"build", "validate", "sparql", "query", "push", "view", "serve"}
    for name, command in main.commands.items():
        options = {o.name: o for o in command.params if isinstance(o, click.Option)}
        if name in reading:
            assert options["out"].opts == ["-o", "--out"], name
        for option in options.values():
            if option.name != "out":
                assert "-o" not in option.opts, (name, option.opts)
    view = {o.name: o for o in main.commands["view"].params}
    assert view["page"].opts == ["--page"]


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_help_has_examples_that_name_the_command(name: str) -> None:
    result = kg(name, "--help")
    assert result.exit_code == 0
    examples = result.output.split("Examples:", 1)[1]
    assert f"kg {name}" in examples or (name == "eval" and "kg eval" in examples)
    assert kg("--help").output.count("kg build examples/notices") == 1


# --- tables and typed data -------------------------------------------------------


@pytest.mark.parametrize("width", [60, 80, 120])
def test_tables_fit_the_terminal(built: Path, width: int) -> None:
    answer = run_named("inspections", store_dir=built / "store", limit=0)
    table = render(answer, "table", width=width)
    widest = max(cell_len(line) for line in table.splitlines())
    assert widest <= width
    footer = " ".join(table.split("\n(", 1)[1].splitlines())
    shown_header = table.splitlines()[0]
    assert "notice_id" in shown_header  # the first column always stays
    if "left out to fit the terminal" in footer:
        dropped = footer.split("columns ", 2)[2].split(" left out")[0].split(", ")
        assert all(name in answer.columns for name in dropped)
        assert not any(name in shown_header for name in dropped)
    unlimited = render(answer, "table")
    assert "left out to fit" not in unlimited


def test_a_wide_terminal_shows_every_column(built: Path) -> None:
    answer = run_named("measures", store_dir=built / "store", limit=5)
    table = render(answer, "table", width=400)
    assert "left out to fit" not in table
    for name in ("notice_id", "problem_id", "kind", "text", "start", "end"):
        assert name in table.splitlines()[0]


def test_a_table_cuts_a_long_list_and_csv_keeps_it_whole() -> None:
    from kg.store import Cell, QueryResult

    ids = " ".join(f"notice-{n:06d}" for n in range(2_000))  # 28,000 characters
    answer = QueryResult(["regulation_label", "notices", "notice_ids"], [[
        Cell("literal", "中华人民共和国会计法", None),
        Cell("literal", "2000", None), Cell("literal", ids, None)]])
    table = render(answer, "table", width=100)
    assert len(table) < 3_000
    assert "notice-000000" in table and "more)" in table
    assert "long cells cut: --format csv or json gives them whole" in table
    assert ids in render(answer, "csv")
    # A cell within the limit is shown as it is, and nothing is said.
    short = QueryResult(["notice_ids"], [[Cell("literal", "notice-1 notice-2", None)]])
    assert "cut" not in render(short, "table")


def _json(*args: str) -> object:
    result = kg(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_query_json_validates_against_its_schema(built: Path, name: str) -> None:
    rows = _json("query", name, "--limit", "0", "-o", str(built))
    assert isinstance(rows, list) and rows
    jsonschema.validate(rows, QUERY_SCHEMA)
    jsonschema.validate(rows, {**QUERY_SCHEMA["$defs"][name],
                               "$defs": QUERY_SCHEMA["$defs"]})
    # every column the query gives is described
    described = set(QUERY_SCHEMA["$defs"][name]["items"]["properties"])
    assert set(rows[0]) == described


def test_the_schema_refuses_numbers_as_strings(built: Path) -> None:
    rows = _json("query", "regulations", "-o", str(built))
    assert isinstance(rows, list)
    assert isinstance(rows[0]["notices"], int)
    wrong = [{**rows[0], "notices": str(rows[0]["notices"])}]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(wrong, {**QUERY_SCHEMA["$defs"]["regulations"],
                                    "$defs": QUERY_SCHEMA["$defs"]})


def test_sparql_json_types_numbers_and_keeps_dates_iso(built: Path) -> None:
    rows = _json("sparql", """
        PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
        SELECT ?n ?real ?yes ?day ?unbound WHERE {
          { SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } }
          BIND (1.5 AS ?real) BIND (true AS ?yes)
          BIND ("2023-08-08"^^xsd:date AS ?day)
          OPTIONAL { ?nothing <urn:kg:no-such-property> ?unbound }
        }""", "-o", str(built))
    jsonschema.validate(rows, QUERY_SCHEMA)
    assert isinstance(rows, list)
    (row,) = rows
    assert isinstance(row["n"], int) and row["n"] > 10_000
    assert (row["real"], row["yes"], row["day"], row["unbound"]) == (
        1.5, True, "2023-08-08", None)


def test_csv_numbers_are_digits_and_dates_iso(built: Path) -> None:
    result = kg("query", "timeline", "--format", "csv", "-o", str(built))
    header, first, *_ = result.stdout.splitlines()
    row = dict(zip(header.split(","), first.split(","), strict=True))
    assert len(row["date"]) == 10 and row["date"][4] == "-"
    assert row["start"].isdigit()


def test_extract_json_validates_against_the_notice_schema() -> None:
    files = sorted(str(p) for p in EXAMPLES.glob("*.txt"))
    documents = _json("extract", *files)
    assert isinstance(documents, list) and len(documents) == len(files)
    for document in documents:
        jsonschema.validate(document, NOTICE_SCHEMA)
    single = _json("extract", files[0])
    jsonschema.validate(single, NOTICE_SCHEMA)
    wrong = {**documents[0], "feedback_date": "8 August 2023"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(wrong, NOTICE_SCHEMA)
