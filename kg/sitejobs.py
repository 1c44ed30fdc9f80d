"""The site's work spread over processes: the notices read, then the pages
rendered, each by this process and `jobs` - 1 workers.

The workers are started afresh (``spawn``), not forked: a forked worker
counts every page it shares with its parent again in its resident size, and
the build's process holds the summaries of every notice and some 200 MB
the pages never read (what the extraction and the store left); at 10,000
notices a forked page worker began at the parent's 480 MB. A worker started
afresh holds what its `recipe` makes (a small picklable callable, made once
per worker) and what its tasks read: the page worker renders notices' own
pages, each notice read from the page cache, while this process renders the
pages that show many notices. A task is a few page keys, and what comes
back is small (the notices of a chunk; the pages' paths and hashes).
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from types import TracebackType
from typing import Any, TypeVar

Shared = TypeVar("Shared")
Work = TypeVar("Work")
Result = TypeVar("Result")

# In a worker: what its recipe made.
_made: Any = None
# What takes the place of a future whose result was yielded.
_LET_GO: Future[Any] = Future()
_LET_GO.cancel()


class Jobs:
    """This process and `jobs` - 1 workers, each making its state by
    `recipe` when it starts (at the first work given, or `start`)."""

    def __init__(self, jobs: int, recipe: Callable[[], object]) -> None:
        self._pool = (ProcessPoolExecutor(
            jobs - 1, mp_context=multiprocessing.get_context("spawn"),
            initializer=_make, initargs=(recipe,)) if jobs > 1 else None)

    def __enter__(self) -> Jobs:
        return self

    def __exit__(self, kind: type[BaseException] | None,
                 error: BaseException | None, trace: TracebackType | None) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def start(self) -> None:
        """Start the workers now, making their state while this process
        goes on."""
        if self._pool is not None:
            self._pool.submit(_nothing)

    def run(self, function: Callable[[Shared, Work], Result], shared: Shared,
            work: list[Work], first: list[Work] | None = None) -> Iterator[Result]:
        """`function(shared, item)` for each item of `first` and `work`, in
        no set order: `first` by this process, while the workers take `work`
        (with what their recipe made instead of `shared`); then this process
        takes `work` too."""
        # What is made so far is left out of the collector's full passes
        # while the work runs: each would walk every summary held here.
        gc.freeze()
        try:
            yield from self._share(function, shared, work, first or [])
        finally:
            gc.unfreeze()

    def _share(self, function: Callable[[Shared, Work], Result], shared: Shared,
               work: list[Work], first: list[Work]) -> Iterator[Result]:
        if self._pool is None or not work:
            for item in [*first, *work]:
                yield function(shared, item)
            return
        futures = [self._pool.submit(_call, function, item) for item in work]
        done = 0  # the futures before it are yielded

        def taken() -> Iterator[Result]:
            nonlocal done
            while done < len(futures) and futures[done].done():
                yield from _take(futures, done)
                done += 1

        for item in first:
            yield function(shared, item)
            yield from taken()
        # This process is one of the jobs, taking items from the end as the
        # workers take them from the front. The workers' results are yielded
        # as they come in between, each let go of once yielded (a future
        # keeps it: the notices read at 10,000 held ~800 MB).
        for index in range(len(work) - 1, -1, -1):
            if index < done or not futures[index].cancel():
                break
            yield function(shared, work[index])
            yield from taken()
        for index in range(done, len(futures)):
            yield from _take(futures, index)


def _take(futures: list[Future[Result]], index: int) -> Iterator[Result]:
    """The result of future `index`, unless this process did its item, the
    future let go of."""
    future, futures[index] = futures[index], _LET_GO
    if not future.cancelled():
        yield future.result()


def _make(recipe: Callable[[], object]) -> None:
    global _made
    _made = recipe()
    gc.freeze()  # kept for the worker's life: see `Jobs.run`


def _call(function: Callable[[Any, Any], Result], item: object) -> Result:
    return function(_made, item)


def _nothing() -> None:
    return None
