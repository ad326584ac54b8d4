"""Worker processes under limits: each task ends with its result or a reason, and the rest go on."""

import gc
import os
import signal
import time

from orchestration.land.workers import Limits, Sandbox, run_limited


# Standard-library callables, so the spawned workers can import them by name.
def _run(fn, tasks: dict, limits: Limits, workers: int = 2) -> dict:
    return {key: (result, error) for key, result, error in run_limited(fn, tasks, (), workers, limits)}


def test_a_task_over_its_wall_time_is_stopped_and_the_others_finish() -> None:
    started = time.monotonic()
    outcomes = _run(time.sleep, {"slow": 60, "a": 0, "b": 0, "c": 0}, Limits(wall_seconds=3, memory_mb=2048))
    assert outcomes["slow"] == (None, "exceeded the time limit (3 s)")
    assert all(outcomes[k] == (None, None) for k in "abc")
    assert time.monotonic() - started < 30


def test_a_task_over_its_memory_limit_gets_the_reason() -> None:
    outcomes = _run(bytearray, {"huge": 3 * 1024**3, "small": 10}, Limits(wall_seconds=60, memory_mb=1024))
    assert outcomes["huge"] == (None, "exceeded the memory limit (1024 MB)")
    assert outcomes["small"] == (bytearray(10), None)


def test_an_exception_and_a_dead_worker_are_per_task() -> None:
    outcomes = _run(int, {"bad": "x", "good": "7"}, Limits(), workers=1)
    assert outcomes["good"] == (7, None)
    assert outcomes["bad"][1].startswith("ValueError: invalid literal")
    died = _run(os._exit, {"exit": 3}, Limits(), workers=1)
    assert died["exit"] == (None, "its worker process died (exit code 3)")
    aborted = _run(signal.raise_signal, {"abort": signal.SIGABRT}, Limits(memory_mb=2048), workers=1)
    assert aborted["abort"][1].startswith("its worker process died (exit code -6, SIGABRT: native code aborted")
    assert "memory limit (2048 MB)" in aborted["abort"][1]


def test_workers_collect_garbage_less_often_than_the_default() -> None:
    outcomes = _run(eval, {"threshold": "__import__('gc').get_threshold()"}, Limits(), workers=1)
    worker_gen0 = outcomes["threshold"][0][0]
    assert worker_gen0 > gc.get_threshold()[0]  # this process keeps Python's default (700)


def test_a_kept_worker_whose_parent_closes_its_end_exits_quietly() -> None:
    sandbox = Sandbox(int, (), Limits())
    sandbox.worker.conn.close()  # as a Dask worker's exit closes it, without stopping the child
    sandbox.worker.process.join(60)
    assert sandbox.worker.process.exitcode == 0  # not 1, with an EOFError's traceback on stderr
