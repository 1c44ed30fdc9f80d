"""The worker pool of `kg build`: notices extracted in worker processes
(`kg.buildworker`), their results handed back in input order.

Workers are started with ``spawn``: the parent holds the store's RocksDB
threads, which a fork would copy mid-flight. A bounded window of results is
in flight, so the workers stay busy while the writer loads the store and
memory does not grow with the corpus. A worker that dies (killed, out of
memory) fails the file it held and the pool is started again.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Generator
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from kg.discover import Input

if TYPE_CHECKING:
    from kg.rdf.answers import KeptRow
    from kg.rdf.summary import ScopedCitation

# Results in flight per worker: enough to keep the workers busy while the
# writer waits for the loader, few enough to bound memory (~1.2 MB each).
WINDOW_PER_WORKER = 16
# Seconds a stopped worker has to finish its task before it is terminated
# (`stop_workers`): a notice takes 0.02-0.1 s, one at the input limits a few.
STOP_GRACE_SECONDS = 2.0


@dataclasses.dataclass(frozen=True, slots=True)
class Result:
    """What a worker sends back (kg.buildworker.extract): small and
    picklable, no model objects. Defined here, not beside `extract`, so that
    the parent unpickles it without importing the extractors."""

    notice_id: str
    graph: str = ""
    nquads: bytes = b""
    turtle: bytes = b""
    json: bytes = b""  # notices/<id>.json
    warnings: tuple[str, ...] = ()
    triples: int = 0
    error: str = ""
    cacheable: bool = True  # False for internal errors: retry them next time
    citations: tuple[ScopedCitation, ...] = ()  # what it adds to the summary
    categories: tuple[tuple[str, int], ...] = ()  # (category id, problems)
    answers: tuple[KeptRow, ...] = ()  # its rows of the named queries


class EarlyPool(NamedTuple):
    """A pool started before the build knows its inputs (`early_pool`), and
    the task that started its first worker."""

    pool: concurrent.futures.ProcessPoolExecutor
    ready: concurrent.futures.Future[None]


def early_pool(jobs: int | None, gazetteers: list[Path]) -> EarlyPool:
    """A pool of up to `jobs` workers (None: one per core) whose first
    worker starts now, before the build knows what it will extract: it loads
    the extractors and jieba (~1 s) while the build finds what changed (~1 s
    at 10,000 notices), which a one-file rebuild otherwise waited for one
    after the other. Further workers start as files are submitted (a
    ``spawn`` pool starts them when none is idle). Give it to `extract_all`,
    which ends it; `stop_workers` ends it when nothing is extracted."""
    pool = _new_pool(jobs or os.cpu_count() or 1, gazetteers)
    return EarlyPool(pool, pool.submit(_ready))


def _ready() -> None:
    """The task that starts an early pool's first worker (its initializer
    does the work)."""


def _start_worker(gazetteers: list[Path]) -> None:
    # Defined here, not as buildworker.start_worker, so that starting a pool
    # does not import the extractors into the parent: a build with nothing
    # to extract never needs them there.
    from kg import buildworker

    buildworker.start_worker(gazetteers)


def _extract(path: str, sha256: str, notice_id: str) -> Result:
    # The task submitted: kg.buildworker.extract, named here for the reason
    # of `_start_worker` (importing the extractors took 0.15-0.6 s of a
    # one-file rebuild's parent, waiting for the one result it needs).
    from kg import buildworker

    return buildworker.extract(path, sha256, notice_id)


def _new_pool(workers: int, gazetteers: list[Path]
              ) -> concurrent.futures.ProcessPoolExecutor:
    return concurrent.futures.ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker, initargs=(gazetteers,))


def extract_all(
    items: list[Input], jobs: int | None, gazetteers: list[Path], progress: bool,
    early: EarlyPool | None = None,
) -> Generator[tuple[Input, Result], None, None]:
    """(input, result) in input order, extracted by `jobs` processes (None:
    one per core), with a progress bar on stderr when `progress`; by the
    `early` pool first when given, which is ended with the extraction.
    Close the generator to stop the workers (`stop_workers`)."""
    if not items:
        if early is not None:
            stop_workers(early.pool, grace=0)  # it extracted nothing
        return
    from rich.console import Console
    from rich.progress import Progress

    # No more workers than files: each starts an interpreter and loads the
    # extractors and jieba (~0.7 s of CPU), which a one-file rebuild paid
    # once per core.
    cores = jobs or os.cpu_count() or 1
    workers = min(cores, len(items))
    pool = None
    if early is not None:
        pool = early.pool
        if workers < cores:
            # Fewer files than workers: a file submitted while the first
            # worker still starts would start another.
            concurrent.futures.wait([early.ready])
    waiting = deque(items)
    console = Console(stderr=True)  # stdout may be piped; the bar is for people
    with Progress(console=console, disable=not progress, transient=True) as bar:
        task = bar.add_task("extracting", total=len(items))
        while waiting:
            # A pool whose worker died is not used again: a new one is.
            started = pool or _new_pool(workers, gazetteers)
            pool = None
            yield from _extract_in_one_pool(
                waiting, workers, started, lambda: bar.advance(task))


def _extract_in_one_pool(
    waiting: deque[Input], workers: int, pool: concurrent.futures.ProcessPoolExecutor,
    advance: Callable[[], None],
) -> Generator[tuple[Input, Result], None, None]:
    """Take inputs off `waiting` and yield their results until it is empty or
    a worker dies; then the inputs still in flight go back on `waiting`. The
    pool is ended on the way out."""
    with pool:
        try:
            window: deque[tuple[Input, concurrent.futures.Future[Result]]] = deque()
            while waiting or window:
                while waiting and len(window) < workers * WINDOW_PER_WORKER:
                    item = waiting.popleft()
                    window.append((item, pool.submit(
                        _extract, item.path, item.sha256, item.notice_id)))
                item, future = window.popleft()
                try:
                    result = future.result()
                except BrokenProcessPool:
                    waiting.extendleft(reversed([i for i, _ in window]))
                    yield item, Result(
                        item.notice_id, cacheable=False,
                        error="internal error: the worker process died "
                        "extracting it (out of memory?)")
                    advance()
                    return
                yield item, result
                advance()
        except BaseException:
            # Ctrl-C, SIGTERM, SIGHUP or an error of the writer: the pool's
            # exit would wait for every task submitted.
            stop_workers(pool)
            raise


def stop_workers(pool: concurrent.futures.ProcessPoolExecutor, *,
                 grace: float = STOP_GRACE_SECONDS) -> None:
    """End the worker processes soon, not after every task submitted: the
    tasks not started are cancelled, the workers are given `grace` seconds
    to finish the task they hold and leave, and those still running are
    terminated.

    Why not terminate at once: a worker ended while it writes a result
    (a notice's result is ~1 MB, many pipe buffers) leaves half a message in
    the pool's result pipe, and the pool's manager thread then waits for the
    rest for good; Python's exit waits for that thread, so the build (or a
    test run) never ended. A worker still running after `grace` is almost
    surely extracting, not writing (its writes are read as they come while
    this waits). A pool whose tasks are all small (an early pool that
    extracted nothing: its one result fits in a pipe's atomic write) can be
    ended at once (`grace` 0)."""
    # The executor has no public way to end its processes before Python
    # 3.14 (terminate_workers); they are in `_processes`, which shutdown
    # empties, so they are taken first.
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + grace
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(timeout=max(0.0, deadline - time.monotonic()))
    for process in processes:
        with contextlib.suppress(Exception):
            if process.is_alive():
                process.terminate()
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(timeout=5)
