"""A `kg build` killed midway (SIGKILL: no handler, no cleanup) leaves the
outputs of the last complete build whole and usable, and the next build
completes and clears what the killed one left behind.

Outputs are written to temporary files and renamed into place
(`kg.store.atomic_path`), and the store takes one transaction per notice, so
a reader sees the old version of a file or the new one, never half of one.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.rdf.iri import notice_iri
from kg.store import Store

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "notices"
MAKE_CORPUS = ROOT / "benchmarks" / "make_corpus.py"
pytestmark = pytest.mark.slow  # builds 100 notices and kills one midway

BIG = 100  # notices: the build runs for many seconds, so the kill lands midway
# What a killed build may leave: `atomic_path` names its temporary files
# ".<name>.<12 hex digits>.tmp" next to the file they replace.
STALE = (".graph.trig.0123456789ab.tmp", ".build-report.json.0123456789ab.tmp")


def kg(*args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        cwd=ROOT,
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def temporaries(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob(".*.tmp") if "store" not in p.parts)


def assert_outputs_load(out: Path, notice_ids: list[str]) -> int:
    """graph.trig parses, build-report.json parses, every notice JSON parses,
    and the store opens and answers a query naming each notice; the number of
    quads in graph.trig."""
    quads = list(ox.parse(path=str(out / "graph.trig"), format=ox.RdfFormat.TRIG))
    report = json.loads((out / "build-report.json").read_bytes())
    assert report["totals"]["quads"] == len(quads)
    for path in (out / "notices").glob("*.json"):
        json.loads(path.read_bytes())
    store = Store(out / "store", read_only=True)
    graphs = {
        row[0]
        for row in store.query(
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
        ).rows
    }
    assert {notice_iri(n).value for n in notice_ids} <= graphs
    return len(quads)


def test_a_killed_build_leaves_the_last_outputs_whole(tmp_path: Path) -> None:
    out = tmp_path / "out"
    small = sorted(p.stem for p in EXAMPLES.glob("*.txt"))
    first = kg("build", "-o", str(out), str(EXAMPLES))
    assert first.returncode == 0, first.stderr
    validated = kg("validate", "-o", str(out))
    before = {
        name: digest(out / name)
        for name in ("graph.trig", "graph.ttl", "build-report.json")
    }
    quads = assert_outputs_load(out, small)

    big = tmp_path / "big"
    subprocess.run(
        [sys.executable, str(MAKE_CORPUS), str(BIG), str(big)], check=True, timeout=300
    )
    written_before = set((out / "notices").glob("*.json"))
    build = subprocess.Popen(
        [sys.executable, "-m", "kg", "build", "-o", str(out), str(big)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the workers die too
    )
    try:
        deadline = time.monotonic() + 600
        while len(set((out / "notices").glob("*.json")) - written_before) < 3:
            assert build.poll() is None, "the build ended before it was killed"
            assert time.monotonic() < deadline, "no notice written in 10 minutes"
            time.sleep(0.05)
    finally:
        os.killpg(build.pid, signal.SIGKILL)
        build.wait(timeout=60)
    assert build.returncode == -signal.SIGKILL
    new_notices = set((out / "notices").glob("*.json")) - written_before
    print(f"killed after {len(new_notices)} of {BIG} notices were written")

    # The last complete build's outputs: untouched, loading, validating as before.
    assert {name: digest(out / name) for name in before} == before
    assert assert_outputs_load(out, small) == quads
    again = kg("validate", "-o", str(out))
    assert (again.returncode, again.stdout) == (validated.returncode, validated.stdout)

    # Whatever temporary files the kill left, and two planted ones, go with
    # the next build, which completes.
    for name in STALE:
        (out / name).write_bytes(b"half a file")
    (out / "notices" / ".notice-000001.json.0123456789ab.tmp").write_bytes(b"{")
    rebuilt = kg("build", "-o", str(out), str(big))
    assert rebuilt.returncode == 0, rebuilt.stderr
    report = json.loads((out / "build-report.json").read_bytes())
    states = {Path(e["path"]).name: e["state"] for e in report["files"]}
    assert len(states) == BIG
    assert set(states.values()) <= {"ok", "ok-with-warnings", "unchanged"}
    assert temporaries(out) == []
    big_ids = sorted(p.stem for p in big.iterdir())
    assert_outputs_load(out, small + big_ids)
    assert {p.stem for p in (out / "notices").glob("*.json")} >= set(big_ids)
