"""What the README tells a new user to run, run as the user would."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from tests.readme import READMES, query_blocks, run_block

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
EXAMPLES = ROOT / "examples" / "notices"


def test_readme_states_exactly_two_setup_commands() -> None:
    setup = README.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    commands = [line.strip() for line in setup.splitlines() if line.startswith("    ")]
    assert len(commands) == 2
    assert "kg build examples/notices" in commands[0]
    assert commands[1] == "bash .ci/run"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("output")
    notices = tmp_path_factory.mktemp("notices")
    for path in EXAMPLES.glob("*.txt"):
        shutil.copy(path, notices / path.name)
    result = CliRunner().invoke(main, ["build", str(notices), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_build_on_the_examples_writes_every_output(built: Path) -> None:
    for name in (
        "graph.trig",
        "graph.ttl",
        "build-report.json",
        "index.html",
        "graph.html",
    ):
        assert (built / name).stat().st_size > 0
    report = json.loads((built / "build-report.json").read_text(encoding="utf-8"))
    states = [entry["state"] for entry in report["files"]]
    assert len(states) == 5
    assert set(states) <= {"ok", "ok-with-warnings"}
    stems = sorted(p.stem for p in EXAMPLES.glob("*.txt"))
    for suffix in ("ttl", "json", "html"):
        written = sorted(p.stem for p in (built / "notices").glob(f"*.{suffix}"))
        assert written == stems, suffix
    index = (built / "index.html").read_text(encoding="utf-8")
    assert all(f"notices/{stem}.html" in index for stem in stems)


def test_extract_json_follows_the_contract_for_each_example() -> None:
    files = sorted(str(p) for p in EXAMPLES.glob("*.txt"))
    result = CliRunner().invoke(main, ["extract", *files, "--format", "json"])
    assert result.exit_code == 0, result.output
    documents = json.loads(result.output)
    assert [d["id"] for d in documents] == [Path(f).stem for f in files]
    assert all(d["inspection_group"] for d in documents)


def test_extract_text_summary_names_the_inspection() -> None:
    path = EXAMPLES / "luozhuang-2021.txt"
    result = CliRunner().invoke(main, ["extract", str(path)])
    assert result.exit_code == 0, result.output
    assert "区委第一巡察组" in result.output
    assert re.search(r"5 aspects, 28 problems", result.output)


@pytest.mark.parametrize("readme", READMES, ids=lambda p: p.parent.name or "README")
def test_readme_query_tables_are_what_the_commands_print(
    built: Path, readme: Path
) -> None:
    blocks = query_blocks(readme.read_text(encoding="utf-8"))
    assert blocks
    for command, table in blocks:
        assert run_block(command, built) == table, (
            f"{readme.name}: `{command}` prints something else now; after "
            "reviewing the change, refresh with `python -m tests.readme`"
        )


def test_the_built_graph_conforms_to_the_shapes(built: Path) -> None:
    # graph.ttl is dumped from the store, so this also checks what the store
    # gives back (Oxigraph returns xsd:nonNegativeInteger offsets as xsd:integer).
    result = CliRunner().invoke(main, ["validate", "-o", str(built)])
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output
