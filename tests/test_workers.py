"""Stopping the build's workers (kg/workers.py): a worker is never ended
while it writes a result, which would leave the pool's manager thread
waiting for the rest of the message for good, and Python's exit with it."""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import time
from pathlib import Path

from kg.workers import stop_workers

# A thousand times a pipe's buffer: written in many pieces, each waiting
# for the parent to read the one before (tens of milliseconds here).
RESULT_BYTES = 64 << 20


def _big_result(marker: str) -> bytes:
    """A task that says it has started, then returns a result far larger
    than a pipe's buffer (spawned workers import this module by name)."""
    Path(marker).touch()
    return b"x" * RESULT_BYTES


def test_workers_stopped_while_they_write_a_result_leave_no_thread_waiting(
    tmp_path: Path,
) -> None:
    for attempt in range(3):
        marker = tmp_path / f"started-{attempt}"
        pool = concurrent.futures.ProcessPoolExecutor(
            max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        future = pool.submit(_big_result, str(marker))
        manager = pool._executor_manager_thread  # type: ignore[attr-defined]
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert time.monotonic() < deadline, "the worker did not start"
            time.sleep(0.001)
        time.sleep(0.05 * attempt)  # building the result, or writing it
        stop_workers(pool)
        assert manager is not None
        manager.join(timeout=30)
        assert not manager.is_alive(), "the pool's manager thread waits for good"
        # The task was let finish: its result came back whole.
        assert len(future.result(timeout=0)) == RESULT_BYTES
