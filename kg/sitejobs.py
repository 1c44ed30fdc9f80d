"""The site's work spread over processes: the notices read, then the pages
rendered, each by this process and `jobs` - 1 forked workers.

What every worker needs (the gathered corpus, the regulation pages' names)
is set here before the pool forks, so the workers inherit it instead of
receiving it pickled with each task; a task is a few page keys, and what
comes back is small (the notices of a chunk; the pages' paths and hashes).
Where `fork` does not exist (Windows) the work runs in this process.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

Shared = TypeVar("Shared")
Work = TypeVar("Work")
Result = TypeVar("Result")

# What the forked workers inherit: set only while a pool runs.
_shared: Any = None
# What takes the place of a future whose result was yielded.
_LET_GO: Future[Any] = Future()
_LET_GO.cancel()


def run_jobs(function: Callable[[Shared, Work], Result], shared: Shared,
             work: list[Work], jobs: int) -> Iterator[Result]:
    """`function(shared, item)` for each item of `work`, in no set order; by
    this process and `jobs` - 1 forked ones when there is more than one item
    to share out."""
    if jobs <= 1 or len(work) <= 1 or not _can_fork():
        for item in work:
            yield function(shared, item)
        return
    global _shared
    _shared = shared
    # The objects made so far are moved out of the collector's reach: a
    # collection in a worker would otherwise write to each one's header and
    # so copy every page of the inherited heap (docs of gc.freeze).
    gc.freeze()
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(jobs - 1, mp_context=context) as pool:
            futures = [pool.submit(_call, function, item) for item in work]
            # This process is one of the jobs, taking items from the end as
            # the workers take them from the front: a forked worker counts
            # every page it shares with this one again in its resident size,
            # so one worker fewer is one copy of what they share fewer (at
            # 10,000 notices ~600 MB). The workers' results are yielded as
            # they come in between, each let go of once yielded (a future
            # keeps it: the notices read at 10,000 held ~800 MB).
            done = 0  # the futures before it are yielded
            for index in range(len(work) - 1, -1, -1):
                if not futures[index].cancel():
                    break
                yield function(shared, work[index])
                while done < index and futures[done].done():
                    yield from _take(futures, done)
                    done += 1
            for index in range(done, len(futures)):
                yield from _take(futures, index)
    finally:
        gc.unfreeze()
        _shared = None


def _take(futures: list[Future[Result]], index: int) -> Iterator[Result]:
    """The result of future `index`, unless this process did its item, the
    future let go of."""
    future, futures[index] = futures[index], _LET_GO
    if not future.cancelled():
        yield future.result()


def _call(function: Callable[[Any, Any], Result], item: object) -> Result:
    return function(_shared, item)


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()
