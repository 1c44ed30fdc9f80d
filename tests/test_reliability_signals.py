"""Issue 16, case 13: SIGTERM and SIGHUP end a build as Ctrl-C does. The
spawned workers and multiprocessing's resource tracker end with it, a pipe
to the build closes, the exit status names the signal, and the next build
completes on the outputs it left.

Before this round, a SIGTERM in the first seconds of a build left both
workers (~125 MB each) and the resource tracker running for good (PPID 1).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.store import Store

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "examples" / "notices"

pytestmark = pytest.mark.slow


def _descendants(pid: int) -> set[int]:
    """The processes under `pid`, from /proc (children of children too)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces and parentheses
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items()
                    if parent in frontier} - found
        found |= frontier
    return found


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":  # a zombie has ended; its parent has not reaped it yet
            alive.add(pid)
    return alive


def _start_build(out: Path, inputs: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "kg", "build", "-j", "2", "-o", str(out), str(inputs)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )


def _assert_none_left(seen: set[int]) -> None:
    """None of `seen` runs 15 s on; any that does is killed, not left to the
    next test."""
    deadline = time.monotonic() + 15
    while _alive(seen) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = _alive(seen)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == set(), "processes left running after the build ended"


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for path in CORPUS.glob("*.txt"):
        shutil.copyfile(path, folder / path.name)
        # more notices than workers, so the build is midway when signalled
        for copy in range(3):
            (folder / f"{path.stem}-{copy}.txt").write_text(
                path.read_text(encoding="utf-8") + f"\n附件{copy}\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_ends_the_build_and_its_workers(
    inputs: Path, tmp_path: Path, signum: int
) -> None:
    out = tmp_path / "out"
    build = _start_build(out, inputs)
    seen: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        # Wait for both workers (and the resource tracker) to be running.
        while len(seen) < 3:
            assert build.poll() is None, "the build ended before it was signalled"
            assert time.monotonic() < deadline, "no workers started in 2 minutes"
            seen |= _descendants(build.pid)
            time.sleep(0.02)
        build.send_signal(signum)
        # The pipe closes: nothing that holds it is left running.
        build.communicate(timeout=60)
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()
    assert build.returncode == -signum
    _assert_none_left(seen)

    # The next build completes on what the ended one left.
    again = subprocess.run(
        [sys.executable, "-m", "kg", "build", "-j", "2", "--no-html", "-o", str(out),
         str(inputs)],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )
    assert again.returncode == 0, again.stderr
    store = Store(out / "store", read_only=True)
    assert len([g for g in store.graphs() if "/notice/" in g]) == 20


@pytest.mark.parametrize("after", [0.05, 0.3, 1.0])
def test_a_signal_in_the_first_moments_leaves_no_process(
    inputs: Path, tmp_path: Path, after: float
) -> None:
    out = tmp_path / "out"
    build = _start_build(out, inputs)
    seen: set[int] = set()
    started = time.monotonic()
    while time.monotonic() - started < after and build.poll() is None:
        seen |= _descendants(build.pid)
        time.sleep(0.01)
    build.send_signal(signal.SIGTERM)
    try:
        build.communicate(timeout=60)
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()
    assert build.returncode == -signal.SIGTERM
    _assert_none_left(seen)


def test_two_builds_started_together_one_runs_and_the_other_says_why(
    inputs: Path, tmp_path: Path
) -> None:
    """Issue 16, case 1, as it happened: a second build (here with --prune and
    fewer inputs) started while the first runs. One builds; the other is
    refused at once; the report, the store and the pages agree."""
    out = tmp_path / "out"
    few = tmp_path / "few"
    few.mkdir()
    for path in sorted(inputs.iterdir())[:3]:
        shutil.copyfile(path, few / path.name)
    whole = subprocess.Popen(
        [sys.executable, "-m", "kg", "build", "-j", "2", "-o", str(out), str(inputs)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 120
    while not (out / ".kg-lock").exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    pruning = subprocess.run(
        [sys.executable, "-m", "kg", "build", "--prune", "-o", str(out), str(few)],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )
    _, whole_err = whole.communicate(timeout=600)
    assert whole.returncode == 0, whole_err
    assert pruning.returncode == 1
    assert pruning.stderr.strip().splitlines() == [
        f"kg: {out}: another kg command is using this output folder (a kg build "
        "writing it, or kg view or kg push reading it); wait for it to finish, "
        "then run this build again"]
    report = json.loads((out / "build-report.json").read_bytes())
    store = Store(out / "store", read_only=True)
    notices = [g for g in store.graphs() if "/notice/" in g]
    assert len(notices) == report["totals"]["files"] == 20
    quads = sum(store.triple_count(g) for g in store.graphs())
    assert report["totals"]["quads"] == quads
    pages = list((out / "notices").glob("*.html"))
    assert len(pages) == 20
