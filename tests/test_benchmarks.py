"""Smoke test of benchmarks/bench.py: the harness runs end to end on a small
corpus and prints its table. No time is asserted: CI machines are shared."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bench_smoke_run_prints_the_results_table(tmp_path: Path) -> None:
    readme = ROOT / "benchmarks" / "README.md"
    before = readme.read_bytes()
    completed = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--sizes", "100",
         "--smoke", "--workdir", str(tmp_path)],
        capture_output=True, text=True, timeout=600, cwd=ROOT,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    lines = completed.stdout.splitlines()
    header = next(line for line in lines if line.startswith("| notices |"))
    row = next(line for line in lines if line.startswith("| 100 |"))
    assert row.count("|") == header.count("|")
    assert "no-change rebuild" in header and "query regulations s" in header
    assert "one-file rebuild with dumps s" in header and "all rows s" in header
    assert any(line.startswith("- N=100: extraction at") for line in lines)
    # --smoke never rewrites the README's results.
    assert readme.read_bytes() == before


def test_make_corpus_is_deterministic_and_distinct(tmp_path: Path) -> None:
    script = ROOT / "benchmarks" / "make_corpus.py"
    for name in ("a", "b"):
        subprocess.run([sys.executable, str(script), "30", str(tmp_path / name)],
                       check=True, timeout=120)
    first = sorted((tmp_path / "a").iterdir())
    second = sorted((tmp_path / "b").iterdir())
    assert [p.name for p in first] == [p.name for p in second]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(first, second,
                                                               strict=True))
    assert len({p.read_bytes() for p in first}) == 30
