"""Golden files: what kg writes for each example notice, kept in tests/golden/.

Two files per notice of examples/notices/:

- `<id>.json`: the JSON contract as `kg extract --format json` prints it
  (docs/json.md); `kg build` writes the same object as `notices/<id>.json`,
  which is checked against it too.
- `<id>.ttl`: the notice's graph as `kg build` writes `notices/<id>.ttl`, in
  a canonical form: one triple per line, sorted, vocabularies as prefixed
  names and kg's own IRIs relative to its namespace. It is still Turtle (it
  loads as the same graph), and a change to the graph shows as the lines
  added and removed.

Neither output holds a time or a build-dependent value (the build activity
and its times are in the build's own graph, not in a notice's), so nothing
is normalised; a notice graph with a blank node fails, since kg mints an IRI
for everything (docs/architecture.md, Identity).

A change to kg's output that is meant makes these tests fail. Refresh the
files, then read the diff before committing it (STYLE.md: an update to a
golden file is a reviewed diff):

    .venv/bin/python -m tests.test_golden && git diff --stat tests/golden
"""

from __future__ import annotations

import difflib
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "notices"
GOLDEN = ROOT / "tests" / "golden"
NOTICES = sorted(p.stem for p in EXAMPLES.glob("*.txt"))
REFRESH = ".venv/bin/python -m tests.test_golden"

# kg's namespace: its IRIs are written relative to it (<notice/sanmen-2023>).
BASE = "https://w3id.org/kg-inspection/"
# The prefixes kg's own Turtle declares (kg.rdf.namespaces), longest first
# where one namespace starts with another (kg: starts with BASE).
PREFIXES = {
    "kg": "https://w3id.org/kg-inspection/ontology#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "oa": "http://www.w3.org/ns/oa#",
    "time": "http://www.w3.org/2006/time#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "eli": "http://data.europa.eu/eli/ontology#",
}
RDF_TYPE = PREFIXES["rdf"] + "type"
XSD_STRING = PREFIXES["xsd"] + "string"
# Local names written as prefixed names: a part of Turtle's PN_LOCAL that
# needs no escapes (others stay IRIs).
PLAIN_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
HEADER = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items()) + (
    f"@base <{BASE}> .\n"
)


@dataclass(frozen=True, slots=True)
class Fresh:
    """What kg writes now, per notice id: the JSON of `kg extract`, the JSON
    and the canonical Turtle of `kg build`."""

    extract_json: dict[str, str]
    build_json: dict[str, str]
    turtle: dict[str, str]


def run_kg(workdir: Path) -> Fresh:
    """`kg extract --format json` and `kg build` on the examples, side by side
    (two processes for two cores), from the repository's root so that each
    notice's `source` is the same relative path wherever the clone is."""
    out = workdir / "out"
    inputs = [str(p.relative_to(ROOT)) for p in sorted(EXAMPLES.glob("*.txt"))]
    commands = {
        "extract": ["extract", "--format", "json", *inputs],
        "build": ["build", "--no-html", "--no-dump", "-j", "1", "-o", str(out),
                  str(EXAMPLES.relative_to(ROOT))],
    }
    running = {
        name: subprocess.Popen([sys.executable, "-m", "kg", *args], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
        for name, args in commands.items()
    }
    done = {name: process.communicate(timeout=600) for name, process in
            running.items()}
    for name, process in running.items():
        assert process.returncode == 0, f"kg {name}: {done[name][1][-2000:]}"
    extracted = json.loads(done["extract"][0])
    notices = out / "notices"
    return Fresh(
        extract_json={n["id"]: contract_text(n) for n in extracted},
        build_json={n: (notices / f"{n}.json").read_text("utf-8") for n in NOTICES},
        turtle={n: canonical_turtle(notices / f"{n}.ttl") for n in NOTICES},
    )


def contract_text(notice: object) -> str:
    """One notice's JSON as kg prints it: its field order, two-space indents."""
    return json.dumps(notice, ensure_ascii=False, indent=2) + "\n"


def canonical_turtle(path: Path) -> str:
    return canonical(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))


def canonical(triples: Iterable[ox.Triple]) -> str:
    """The prefixes, then the triples as sorted lines `subject predicate object .`"""
    lines = sorted(
        f"{term(t.subject)} {predicate(t.predicate)} {term(t.object)} ."
        for t in triples
    )
    return HEADER + "".join(line + "\n" for line in lines)


def predicate(node: ox.NamedNode) -> str:
    return "a" if node.value == RDF_TYPE else iri(node.value)


def term(node: object) -> str:
    if isinstance(node, ox.NamedNode):
        return iri(node.value)
    if isinstance(node, ox.Literal):
        return literal(node)
    raise AssertionError(
        f"{node}: kg gives every node of a notice graph an IRI (docs/"
        "architecture.md, Identity), so the golden Turtle has no blank nodes"
    )


def iri(value: str) -> str:
    """A prefixed name where the local part needs no escaping, else an IRI
    written relative to kg's namespace where that is exact, else the IRI."""
    for prefix, namespace in PREFIXES.items():
        local = value.removeprefix(namespace)
        if local != value and plain_local_name(local):
            return f"{prefix}:{local}"
    relative = value.removeprefix(BASE)
    if relative != value and resolves_to_itself(relative):
        return f"<{relative}>"
    return f"<{value}>"


def plain_local_name(local: str) -> bool:
    return PLAIN_LOCAL.fullmatch(local) is not None


def resolves_to_itself(relative: str) -> bool:
    """Whether <relative> against BASE is BASE + relative (RFC 3986 §5.2): no
    scheme-like first segment, no dot segments, no leading / ? #."""
    segments = relative.split("/")
    return (bool(relative) and relative[0] not in "/?#" and ":" not in segments[0]
            and not any(s in (".", "..") for s in segments))


def literal(node: ox.Literal) -> str:
    quoted = str(ox.Literal(node.value))  # N-Triples escapes: one line per triple
    if node.language:
        return f"{quoted}@{node.language}"
    if node.datatype.value == XSD_STRING:
        return quoted
    return f"{quoted}^^{iri(node.datatype.value)}"


def golden_files(fresh: Fresh) -> dict[Path, str]:
    """Every golden file and the text it should hold."""
    files = {GOLDEN / f"{n}.json": text for n, text in fresh.extract_json.items()}
    files.update({GOLDEN / f"{n}.ttl": text for n, text in fresh.turtle.items()})
    return files


def assert_same(path: Path, fresh: str) -> None:
    kept = path.read_text("utf-8") if path.exists() else ""
    if kept == fresh:
        return
    diff = list(difflib.unified_diff(
        kept.splitlines(), fresh.splitlines(), str(path.relative_to(ROOT)),
        "what kg writes now", n=0, lineterm=""))
    changed = sum(1 for line in diff[2:] if line[:1] in "+-")
    shown = "\n".join(diff[:60]) + ("\n..." if len(diff) > 60 else "")
    pytest.fail(
        f"{path.relative_to(ROOT)}: {changed} line(s) differ from what kg writes "
        f"now.\n{shown}\nIf the change is meant, refresh the golden files "
        f"and review the diff: {REFRESH} && git diff tests/golden",
        pytrace=False,
    )


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Fresh:
    return run_kg(tmp_path_factory.mktemp("golden"))


def test_golden_folder_holds_two_files_per_example_notice() -> None:
    expected = {f"{n}{suffix}" for n in NOTICES for suffix in (".json", ".ttl")}
    kept = {p.name for p in GOLDEN.iterdir() if p.suffix in (".json", ".ttl")}
    assert kept == expected, f"refresh with {REFRESH}"


@pytest.mark.parametrize("notice", NOTICES)
def test_extract_json_matches_golden(fresh: Fresh, notice: str) -> None:
    assert_same(GOLDEN / f"{notice}.json", fresh.extract_json[notice])


@pytest.mark.parametrize("notice", NOTICES)
def test_build_writes_the_json_kg_extract_prints(fresh: Fresh, notice: str) -> None:
    assert fresh.build_json[notice] == fresh.extract_json[notice]


@pytest.mark.parametrize("notice", NOTICES)
def test_notice_turtle_matches_golden(fresh: Fresh, notice: str) -> None:
    assert_same(GOLDEN / f"{notice}.ttl", fresh.turtle[notice])


def test_golden_turtle_loads_as_the_graph_kg_writes(fresh: Fresh) -> None:
    # The canonical form is Turtle itself: a reviewer can load it, and it
    # loses nothing of the graph (relative IRIs and prefixes resolve back).
    for notice in NOTICES:
        text = fresh.turtle[notice]
        again = ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE)
        assert canonical(again) == text, notice


def refresh() -> None:
    """Write what kg writes now into tests/golden/ and say which files changed."""
    with tempfile.TemporaryDirectory() as workdir:
        files = golden_files(run_kg(Path(workdir)))
    GOLDEN.mkdir(exist_ok=True)
    for stale in sorted(GOLDEN.glob("*.json")) + sorted(GOLDEN.glob("*.ttl")):
        if stale not in files:
            stale.unlink()
            print(f"removed {stale.relative_to(ROOT)}")
    for path, text in files.items():
        if not path.exists() or path.read_text("utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    print("review with: git diff tests/golden")


if __name__ == "__main__":
    refresh()
