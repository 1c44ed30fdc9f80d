"""kg/sitejobs.py: the site's work shared by this process and forked
workers, each item done once."""

from __future__ import annotations

import os
import time

from kg.sitejobs import run_jobs


def _double(shared: int, item: int) -> tuple[int, int]:
    time.sleep(0.01)  # long enough that both processes take items
    return os.getpid(), shared * item


def test_every_item_is_done_once_by_this_process_and_a_forked_one() -> None:
    done = list(run_jobs(_double, 2, list(range(60)), jobs=2))
    assert sorted(value for _, value in done) == [2 * i for i in range(60)]
    pids = {pid for pid, _ in done}
    assert os.getpid() in pids and len(pids) == 2


def test_one_job_does_the_work_here_in_order() -> None:
    done = list(run_jobs(_double, 3, [1, 2, 3], jobs=1))
    assert done == [(os.getpid(), 3), (os.getpid(), 6), (os.getpid(), 9)]
