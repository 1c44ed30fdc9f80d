"""Throughput, memory and incremental-rebuild benchmark of `kg build`.

    python benchmarks/bench.py                      # N = 100, 1,000, 10,000
    python benchmarks/bench.py --sizes 100 --smoke  # CI smoke run, no README

For each N it generates the corpus (benchmarks/make_corpus.py), then measures
in the same run, on the same files:
  - the floor: read every file and scan it with one regex for 《…》;
  - the tokenizer alone: `jieba.lcut` over all text;
  - `kg build --jobs J` (wall time, notices/s, MB/s, peak RSS of the whole
    process tree, triples), and its single-core extraction throughput;
  - a no-change rebuild, a one-file-changed rebuild, and
    `kg query regulations` on the built store.
Ratios are computed from figures of this one run. With --write-readme the
results table in benchmarks/README.md is regenerated.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TITLE = re.compile("《[^《》]*》")
README = HERE / "README.md"
MARK_BEGIN = "<!-- results:begin -->"
MARK_END = "<!-- results:end -->"


@dataclass
class Row:
    notices: int
    megabytes: float
    regex_s: float
    jieba_s: float
    extract_1core_s: float
    build_s: float
    jobs: int
    peak_rss_mb: float
    triples: int
    rebuild_unchanged_s: float
    rebuild_one_file_s: float
    query_regulations_s: float

    @property
    def notices_per_s(self) -> float:
        return self.notices / self.build_s

    @property
    def mb_per_s(self) -> float:
        return self.megabytes / self.build_s


def tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
            with open(f"/proc/{entry}/statm", "rb") as handle:
                pages = int(handle.read().split()[1])
        except (OSError, IndexError, ValueError):
            continue
        parent = int(fields[1])
        children.setdefault(parent, []).append(int(entry))
        rss[int(entry)] = pages * os.sysconf("SC_PAGE_SIZE") // 1024
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += rss.get(current, 0)
        stack.extend(children.get(current, []))
    return total


def run_measured(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of the process tree of `command`."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tree_rss_kb(process.pid))
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    stop.set()
    sampler.join()
    elapsed = time.perf_counter() - started
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed:\n{stderr[-2000:]}")
    return elapsed, peak / 1024


def floor_regex(files: list[Path]) -> float:
    started = time.perf_counter()
    found = 0
    for path in files:
        found += len(TITLE.findall(path.read_bytes().decode("utf-8")))
    return time.perf_counter() - started


def jieba_alone(files: list[Path]) -> float:
    import jieba

    jieba.initialize()
    texts = [path.read_bytes().decode("utf-8") for path in files]
    started = time.perf_counter()
    for text in texts:
        jieba.lcut(text)
    return time.perf_counter() - started


def extraction_one_core(files: list[Path]) -> float:
    """Extraction alone (no RDF, no I/O of outputs) in this one process."""
    from kg.ingest import read_source
    from kg.pipeline import extract_source

    extract_source(read_source(files[0]))  # load dictionaries before timing
    started = time.perf_counter()
    for path in files:
        extract_source(read_source(path))
    return time.perf_counter() - started


def kg(*args: str) -> list[str]:
    return [sys.executable, "-m", "kg", *args]


def bench(n: int, jobs: int, workdir: Path) -> Row:
    corpus = workdir / f"corpus-{n}"
    out = workdir / f"out-{n}"
    if not corpus.exists():
        subprocess.run(
            [sys.executable, str(HERE / "make_corpus.py"), str(n), str(corpus)],
            check=True,
        )
    shutil.rmtree(out, ignore_errors=True)
    files = sorted(corpus.iterdir())
    megabytes = sum(p.stat().st_size for p in files) / 1e6
    text_files = [p for p in files if p.suffix == ".txt"]
    sample = text_files[: max(1, min(len(text_files), 1000))]
    regex_s = floor_regex(sample)
    jieba_s = jieba_alone(sample)
    extract_s = extraction_one_core(sample)
    scale = len(files) / len(sample)
    build_s, peak = run_measured(
        kg("build", str(corpus), "-o", str(out), "--jobs", str(jobs), "--no-html")
    )
    report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
    triples = int(report.get("totals", {}).get("triples", 0))
    unchanged_s, _ = run_measured(
        kg("build", str(corpus), "-o", str(out), "--jobs", str(jobs), "--no-html")
    )
    victim = text_files[len(text_files) // 2]
    original = victim.read_bytes()
    victim.write_bytes(original + "\n(更正)".encode())
    try:
        one_file_s, _ = run_measured(
            kg("build", str(corpus), "-o", str(out), "--jobs", str(jobs), "--no-html")
        )
    finally:
        victim.write_bytes(original)
    query_s, _ = run_measured(
        kg("query", "regulations", "-o", str(out), "--format", "csv")
    )
    return Row(
        notices=len(files),
        megabytes=round(megabytes, 2),
        regex_s=regex_s * scale,
        jieba_s=jieba_s * scale,
        extract_1core_s=extract_s * scale,
        build_s=build_s,
        jobs=jobs,
        peak_rss_mb=peak,
        triples=triples,
        rebuild_unchanged_s=unchanged_s,
        rebuild_one_file_s=one_file_s,
        query_regulations_s=query_s,
    )


def table(rows: list[Row]) -> str:
    header = (
        "| notices | MB | build s (jobs) | notices/s | MB/s | peak RSS MB"
        " | triples | regex floor s | jieba alone s | extract 1-core s"
        " | extract ÷ jieba speed | no-change rebuild | one-file rebuild s"
        " | query regulations s |"
    )
    lines = [header, "|" + "---|" * 14]
    for r in rows:
        lines.append(
            f"| {r.notices:,} | {r.megabytes:.1f} | {r.build_s:.1f} ({r.jobs})"
            f" | {r.notices_per_s:.1f} | {r.mb_per_s:.2f} | {r.peak_rss_mb:.0f}"
            f" | {r.triples:,} | {r.regex_s:.2f} | {r.jieba_s:.1f}"
            f" | {r.extract_1core_s:.1f} | {r.jieba_s / r.extract_1core_s:.0%}"
            f" | {r.rebuild_unchanged_s:.1f} s"
            f" = {r.rebuild_unchanged_s / r.build_s:.1%}"
            f" | {r.rebuild_one_file_s:.1f} | {r.query_regulations_s:.2f} |"
        )
    return "\n".join(lines)


def check(claim: str, target: str, ok: bool) -> str:
    return f"{claim} (target {target}): {'met' if ok else 'MISSED'}"


def targets(rows: list[Row]) -> list[str]:
    by_n = {r.notices: r for r in rows}
    checks: list[str] = []
    big, mid = by_n.get(10_000), by_n.get(1_000)
    if big:
        minutes = big.build_s / 60
        checks.append(
            check(f"10,000 notices built in {minutes:.1f} min", "≤ 10", minutes <= 10)
        )
        checks.append(
            check(
                f"peak RSS at 10,000: {big.peak_rss_mb:.0f} MB",
                "≤ 2,048",
                big.peak_rss_mb <= 2048,
            )
        )
        query = big.query_regulations_s
        checks.append(
            check(f"query regulations on 10,000: {query:.2f} s", "≤ 2", query <= 2)
        )
    if big and mid:
        ratio = big.build_s / mid.build_s
        checks.append(check(f"time 10,000 ÷ 1,000 = {ratio:.1f}", "≤ 12", ratio <= 12))
        rss = big.peak_rss_mb / mid.peak_rss_mb
        checks.append(check(f"RSS 10,000 ÷ 1,000 = {rss:.2f}", "≤ 1.5", rss <= 1.5))
    for r in rows:
        n = f"N={r.notices:,}"
        speed = r.jieba_s / r.extract_1core_s
        checks.append(
            check(
                f"{n}: extraction at {speed:.0%} of jieba-alone speed",
                "≥ 40%",
                speed >= 0.4,
            )
        )
        share = r.rebuild_unchanged_s / r.build_s
        checks.append(
            check(
                f"{n}: no-change rebuild {share:.1%} of the build",
                "≤ 5%",
                share <= 0.05,
            )
        )
        one = r.rebuild_one_file_s
        checks.append(check(f"{n}: one-file rebuild {one:.1f} s", "≤ 10 s", one <= 10))
    return checks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1_000, 10_000])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--workdir", type=Path, default=HERE / "corpus")
    parser.add_argument("--write-readme", action="store_true")
    parser.add_argument(
        "--smoke", action="store_true", help="print the figures only (CI smoke test)"
    )
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    rows = [bench(n, args.jobs, args.workdir) for n in args.sizes]
    machine = (
        f"{platform.machine()}, {os.cpu_count()} cores, Python"
        f" {platform.python_version()}, {platform.system()}"
    )
    result = "\n".join(
        [
            f"Machine: {machine}",
            "",
            table(rows),
            "",
            *[f"- {line}" for line in targets(rows)],
        ]
    )
    print(result)
    print(json.dumps([asdict(r) for r in rows], indent=1), file=sys.stderr)
    if args.write_readme and not args.smoke:
        text = README.read_text(encoding="utf-8")
        before, rest = text.split(MARK_BEGIN, 1)
        _, after = rest.split(MARK_END, 1)
        README.write_text(
            f"{before}{MARK_BEGIN}\n{result}\n{MARK_END}{after}", encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
