"""Smoke tests of the benchmark scripts: bench.py runs end to end on a small
corpus and prints its tables, load_floor.py loads a build's quads in batches,
make_corpus.py makes the corpora they run on. No time is asserted: CI
machines are shared."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow  # builds 100 notices seven times, runs 12 queries: 1-3 min
def test_bench_smoke_run_prints_the_results_tables(tmp_path: Path) -> None:
    readme = ROOT / "benchmarks" / "README.md"
    before = readme.read_bytes()
    completed = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--sizes", "100",
         "--smoke", "--workdir", str(tmp_path)],
        capture_output=True, text=True, timeout=600, cwd=ROOT,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    tables = [block.splitlines() for block in completed.stdout.split("\n\n")
              if block.startswith("| ")]
    assert len(tables) == 5
    for header, _, *rows in tables:
        assert rows and all(row.count("|") == header.count("|") for row in rows)
    build, rebuilds, extraction, queries, threads = (table[0] for table in tables)
    assert all(part in build for part in ("| store s |", "| dumps s |",
                                          "| pages s |", "default build s"))
    assert tables[0][2].startswith("| 100 |")
    assert "no-change rebuild, default s" in rebuilds
    assert "one-file rebuild, default s" in rebuilds
    assert "extract ÷ jieba speed" in extraction
    named = {path.stem for path in (ROOT / "kg" / "queries").glob("*.rq")}
    assert {row.split("|")[1].strip(" `") for row in tables[3][2:]} == named
    assert "all rows (csv) s" in queries
    # CPU by thread, of the store-only and the default build: the workers and
    # the parent did some work, and the parts add up to at most the CPU.
    assert all(part in threads for part in ("| workers s |", "| parent s |",
                                            "| compaction s |", "| not seen s |"))
    for row in tables[4][2:]:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        cpu, workers, parent, *_, unseen = (float(cell) for cell in cells[2:])
        assert workers > 0 and parent > 0 and unseen >= -0.5 and cpu > 0
    lines = completed.stdout.splitlines()
    assert any(line.startswith("- N=100: extraction at") for line in lines)
    assert any(line.startswith("- N=100: query regulations") for line in lines)
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


def _found(pattern: str, text: str) -> str:
    match = re.search(pattern, text)
    assert match is not None, (pattern, text)
    return match.group(1)


def test_make_corpus_city_shape_shares_one_committee_and_its_groups(
    tmp_path: Path,
) -> None:
    script = ROOT / "benchmarks" / "make_corpus.py"
    subprocess.run([sys.executable, str(script), "60", str(tmp_path), "--shape",
                    "city", "--html-share", "0", "--gb18030-share", "0"],
                   check=True, timeout=120)
    texts = [p.read_text(encoding="utf-8") for p in sorted(tmp_path.iterdir())]
    openings = [next(line for line in text.split("\n") if "统一部署" in line)
                for text in texts]
    committees = {_found(r"(?:根据|按照)(\w+?市委)统一部署", line) for line in openings}
    assert len(committees) == 1
    [committee] = committees
    groups = Counter(_found(rf"({committee}第\w+?巡察组)对", line)
                     for line in openings)
    assert len(groups) == 3 and min(groups.values()) >= 20
    units = Counter(_found(r"巡察组对(.+?)(?:进行了|开展了)", line)
                    for line in openings)
    second_looks = [line for line in openings if "巡察“回头看”" in line]
    assert second_looks and max(units.values()) >= 2
    assert len(units) > len(openings) // 2  # mostly distinct units


def _script(name: str) -> Any:
    """benchmarks/<name>.py imported as module `name` (its dataclasses need
    it in sys.modules)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks"
                                                  / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_pages_targets_hold_time_to_the_corpus_size() -> None:
    bench = _script("bench")

    def row(n: int, seconds: float, kb: float) -> object:
        return bench.PagesRow(n, "city", seconds, seconds / 2, 1.0, kb, 1.0, n, 1.0, 7)

    met = bench.pages_targets([row(100, 10, 120), row(400, 49, 110)])
    assert met == ["city: build 400 ÷ 100 = 4.9 (target ≤ 5.0): met",
                   "city N=100: 120 KB per notice page (target ≤ 150): met",
                   "city N=400: 110 KB per notice page (target ≤ 150): met"]
    missed = bench.pages_targets([row(100, 10, 120), row(400, 90, 160)])
    assert sum("MISSED" in line for line in missed) == 2
    assert "| 400 | city | 90.0 | 45.0 | 50% |" in bench.pages_table(
        [row(400, 90, 160)])


def test_load_floor_splits_at_line_ends_and_keeps_every_byte(tmp_path: Path) -> None:
    floor = _script("load_floor")
    whole = tmp_path / "whole.nq"
    lines = [f"<urn:s{i}> <urn:p> \"{'值' * (i % 7)}\" <urn:g{i % 3}> .\n"
             for i in range(500)]
    whole.write_text("".join(lines), encoding="utf-8")
    parts = floor.split(whole, tmp_path / "parts", 1000)
    assert len(parts) > 10
    assert b"".join(p.read_bytes() for p in parts) == whole.read_bytes()
    assert all(p.read_bytes().endswith(b" .\n") for p in parts)
    assert all(p.stat().st_size >= 1000 for p in parts[:-1])


@pytest.mark.slow  # builds the five examples once, loads their quads twice: ~15 s
def test_load_floor_loads_a_builds_quads_in_batches(tmp_path: Path) -> None:
    out = tmp_path / "out"
    subprocess.run([sys.executable, "-m", "kg", "build", str(ROOT / "examples"
                    / "notices"), "-o", str(out), "--no-html"],
                   check=True, capture_output=True, timeout=300, cwd=ROOT)
    floor = _script("load_floor")
    whole = tmp_path / "whole.nq"
    quads = floor.write_nquads(out / "graph.trig", whole)
    import pyoxigraph

    built = pyoxigraph.Store.read_only(str(out / "store"))
    assert quads == len(built) > 10_000
    completed = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "load_floor.py"), str(out),
         "--batch-mb", "1", "2", "--json", "--workdir", str(tmp_path)],
        capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert completed.returncode == 0, completed.stderr[-2000:]
    small, large = json.loads(completed.stdout)
    size_mb = whole.stat().st_size / 2**20
    assert small["nquads_mb"] == large["nquads_mb"] == round(size_mb, 1)
    assert small["loads"] == len(floor.split(whole, tmp_path / "1", 2**20))
    assert large["loads"] == len(floor.split(whole, tmp_path / "2", 2 << 20))
    assert small["loads"] > large["loads"] > 1
    for run in (small, large):
        assert run["quads"] == quads
        assert run["cpu_s"] > 0 and run["wall_s"] > 0 and run["peak_rss_mb"] > 0
        assert 0 <= run["compaction_s"] + run["flush_s"] <= run["cpu_s"]
        assert run["loading_s"] == round(run["cpu_s"] - run["compaction_s"]
                                         - run["flush_s"], 1)
    # The temporary N-Quads and stores are gone.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["1", "2", "out", "whole.nq"]
