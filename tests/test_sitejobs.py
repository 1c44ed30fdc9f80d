"""kg/sitejobs.py: the site's work shared by this process and workers
started afresh, each item done once, each worker making its state once."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from kg.sitejobs import Jobs


@dataclass(frozen=True)
class _Recipe:
    """What a worker makes once: its factor, its pid and when it made them."""

    factor: int

    def __call__(self) -> tuple[int, int, float]:
        return self.factor, os.getpid(), time.perf_counter()


def _times(shared: tuple[int, int, float], item: int) -> tuple[int, float, int]:
    time.sleep(0.01)  # long enough that both processes take items
    factor, _, made = shared
    return os.getpid(), made, factor * item


def test_every_item_is_done_once_by_this_process_and_a_worker() -> None:
    with Jobs(2, _Recipe(2)) as jobs:
        done = list(jobs.run(_times, _Recipe(2)(), list(range(100)),
                             first=list(range(100, 110))))
    assert sorted(value for _, _, value in done) == [2 * i for i in range(110)]
    pids = {pid for pid, _, _ in done}
    assert os.getpid() in pids and len(pids) == 2


def test_the_first_items_are_done_here() -> None:
    with Jobs(2, _Recipe(2)) as jobs:
        done = list(jobs.run(_times, _Recipe(2)(), list(range(50)),
                             first=list(range(100, 120))))
    assert {value for pid, _, value in done if pid != os.getpid()} <= {
        2 * i for i in range(50)}


def test_a_worker_makes_its_state_once() -> None:
    with Jobs(2, _Recipe(3)) as jobs:
        jobs.start()
        done = list(jobs.run(_times, _Recipe(3)(), list(range(100))))
    assert len({(pid, made) for pid, made, _ in done if pid != os.getpid()}) == 1


def test_one_job_does_the_work_here_in_order() -> None:
    with Jobs(1, _Recipe(3)) as jobs:
        done = list(jobs.run(_times, (3, 0, 0.0), [1, 2, 3], first=[0]))
    assert [(pid, value) for pid, _, value in done] == [
        (os.getpid(), 0), (os.getpid(), 3), (os.getpid(), 6), (os.getpid(), 9)]
