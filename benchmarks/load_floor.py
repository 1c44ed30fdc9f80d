"""The floor of the store's writing: what Oxigraph takes to bulk-load a
build's quads alone, with no extraction and no Python around it, in the
batches `kg build` loads.

    kg build CORPUS -o OUT --no-html           # a build with its dumps
    python benchmarks/load_floor.py OUT        # in the build's batches (BATCH_BYTES)
    python benchmarks/load_floor.py OUT --batch-mb 64 128 256 --json

It reads OUT/graph.trig (the build's TriG dump: every graph of its store) and
writes the quads as N-Quads, cut into parts of the batch size at line ends
(not timed). Then, for each batch size, a process of its own loads the parts
one after the other into a new store, each with `kg.store.Store.add_nquads`
(one bulk load, as the build's loader thread does), and reports:

  - wall time and CPU of the whole process, RocksDB's threads included;
  - of that CPU, RocksDB's compaction (threads rocksdb:low) and flush
    (rocksdb:high); the rest is the loads themselves (parsing, encoding,
    sorting and writing the files to ingest, in Oxigraph's threads);
  - the CPU per load of the first and of the last quarter of the loads: how
    a load's cost grows as the store does;
  - peak RSS of the loading process.

What the build does besides (extraction, writing files, the cache) is not
here: this is what the store costs whatever kg does before it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.store import Store
from kg.writer import BATCH_BYTES

# How many quads are serialised at a time while writing the N-Quads.
_CHUNK_QUADS = 100_000


@dataclass(frozen=True)
class Floor:
    """One batch size's loading of the whole dump into a new store."""

    batch_mb: int
    loads: int
    nquads_mb: float
    quads: int  # in the store once loaded: every quad of the dump
    wall_s: float
    cpu_s: float
    compaction_s: float
    flush_s: float
    first_quarter_cpu_per_load_s: float
    last_quarter_cpu_per_load_s: float
    peak_rss_mb: float

    @property
    def loading_s(self) -> float:
        return self.cpu_s - self.compaction_s - self.flush_s


def write_nquads(trig: Path, target: Path) -> int:
    """The quads of `trig` as N-Quads in `target`; their number."""
    count = 0
    with target.open("wb") as out:
        chunk: list[ox.Quad] = []
        for quad in ox.parse(path=str(trig), format=ox.RdfFormat.TRIG, lenient=True):
            chunk.append(quad)
            if len(chunk) == _CHUNK_QUADS:
                out.write(ox.serialize(chunk, format=ox.RdfFormat.N_QUADS))
                count += len(chunk)
                chunk = []
        out.write(ox.serialize(chunk, format=ox.RdfFormat.N_QUADS))
        count += len(chunk)
    return count


def split(whole: Path, folder: Path, batch_bytes: int) -> list[Path]:
    """`whole` cut into files of at least `batch_bytes` (the last one less),
    each ending at a line end: N-Quads hold one quad per line."""
    folder.mkdir(parents=True, exist_ok=True)
    parts: list[Path] = []
    with whole.open("rb") as source:
        while chunk := source.read(batch_bytes):
            chunk += source.readline()
            part = folder / f"part-{len(parts):05d}.nq"
            part.write_bytes(chunk)
            parts.append(part)
    return parts


@dataclass(frozen=True)
class _Loading:
    wall_s: float
    cpu_s: float
    per_load_s: list[float]
    rocksdb_s: dict[str, float]  # compaction and flush threads
    quads: int


def load_parts(parts: list[Path], store_dir: Path) -> _Loading:
    """Load `parts` in order into a new store at `store_dir`."""
    store = Store(store_dir)
    per_load: list[float] = []
    start_wall, start_cpu = time.perf_counter(), _process_cpu()
    for part in parts:
        data = part.read_bytes()  # read outside the CPU counted for the load
        before = _process_cpu()
        store.add_nquads(data)
        per_load.append(_process_cpu() - before)
    # Read before the store closes: closing it ends RocksDB's threads, and
    # their CPU leaves /proc with them.
    wall, cpu, rocksdb = (time.perf_counter() - start_wall,
                          _process_cpu() - start_cpu, _rocksdb_cpu())
    store.close()
    quads = len(ox.Store.read_only(str(store_dir)))
    return _Loading(wall, cpu, per_load, rocksdb, quads)


def _process_cpu() -> float:
    """CPU of every thread of this process, those ended included."""
    times = os.times()
    return times.user + times.system


def _rocksdb_cpu() -> dict[str, float]:
    """CPU so far of RocksDB's compaction and flush threads in this process."""
    from bench import thread_cpu  # beside this script, as the child runs it

    pid = os.getpid()
    found = {"compaction": 0.0, "flush": 0.0}
    for part, seconds in thread_cpu(pid, [pid]).values():
        if part in found:
            found[part] += seconds
    return found


def _load_in_this_process(parts_dir: Path, store_dir: Path, batch_mb: int) -> Floor:
    parts = sorted(parts_dir.glob("part-*.nq"))
    loading = load_parts(parts, store_dir)
    per_load = loading.per_load_s
    quarter = max(1, len(per_load) // 4)
    return Floor(
        batch_mb=batch_mb, loads=len(parts),
        nquads_mb=round(sum(part.stat().st_size for part in parts) / 2**20, 1),
        quads=loading.quads,
        wall_s=round(loading.wall_s, 1), cpu_s=round(loading.cpu_s, 1),
        compaction_s=round(loading.rocksdb_s["compaction"], 1),
        flush_s=round(loading.rocksdb_s["flush"], 1),
        first_quarter_cpu_per_load_s=round(sum(per_load[:quarter]) / quarter, 2),
        last_quarter_cpu_per_load_s=round(sum(per_load[-quarter:]) / quarter, 2),
        peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    )


def measure(out: Path, batch_mbs: list[int], workdir: Path) -> list[Floor]:
    trig = out / "graph.trig"
    if not trig.is_file():
        raise SystemExit(f"{trig}: no TriG dump; build without --no-dump first")
    whole = workdir / "whole.nq"
    write_nquads(trig, whole)
    floors = []
    for batch_mb in batch_mbs:
        parts_dir = workdir / f"parts-{batch_mb}"
        split(whole, parts_dir, batch_mb << 20)
        completed = subprocess.run(
            [sys.executable, __file__, "--load", str(parts_dir),
             str(workdir / f"store-{batch_mb}"), str(batch_mb)],
            capture_output=True, text=True, check=True)
        floors.append(Floor(**json.loads(completed.stdout)))
        # A store of 10,000 notices takes 5 GB: one on disk at a time.
        shutil.rmtree(parts_dir)
        shutil.rmtree(workdir / f"store-{batch_mb}")
    return floors


def table(floors: list[Floor]) -> str:
    lines = ["| batch MB | loads | N-Quads MB | quads | wall s | CPU s | loads' CPU s "
             "| compaction s | flush s | CPU per load, first quarter s "
             "| CPU per load, last quarter s | peak RSS MB |",
             "|" + "---|" * 12]
    for f in floors:
        lines.append(
            f"| {f.batch_mb} | {f.loads} | {f.nquads_mb:,.1f} | {f.quads:,} "
            f"| {f.wall_s:.1f} "
            f"| {f.cpu_s:.1f} | {f.loading_s:.1f} | {f.compaction_s:.1f} "
            f"| {f.flush_s:.1f} | {f.first_quarter_cpu_per_load_s:.2f} "
            f"| {f.last_quarter_cpu_per_load_s:.2f} | {f.peak_rss_mb:,.0f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--load"]:  # the child process of one batch size
        parts_dir, store_dir, batch_mb = Path(args[1]), Path(args[2]), int(args[3])
        print(json.dumps(asdict(_load_in_this_process(parts_dir, store_dir, batch_mb))))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path,
                        help="a build's output folder, with graph.trig")
    parser.add_argument("--batch-mb", type=int, nargs="+",
                        default=[BATCH_BYTES >> 20],
                        help="batch sizes in MB of N-Quads (default: the build's)")
    parser.add_argument("--workdir", type=Path,
                        help="where the N-Quads and the stores go "
                        "(default: a temporary folder)")
    parser.add_argument("--json", action="store_true", help="every figure as JSON")
    options = parser.parse_args(args)
    with tempfile.TemporaryDirectory(dir=options.workdir) as workdir:
        floors = measure(options.out, options.batch_mb, Path(workdir))
    if options.json:
        print(json.dumps([asdict(f) | {"loading_s": round(f.loading_s, 1)}
                          for f in floors], indent=2))
    else:
        print(table(floors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
