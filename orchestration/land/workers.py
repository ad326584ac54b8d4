"""Worker processes that run one task (a document) at a time under limits.

Each worker is a spawned process with an address-space limit (`resource.setrlimit`); the parent
gives each task a wall-time limit and kills the worker that overruns it. A task that raises, hits a
limit or takes its worker down gets a reason, its worker is replaced, and the other tasks go on.
Workers die with the process that started them (Linux `PR_SET_PDEATHSIG`), so a killed build
leaves none behind, and they ignore SIGINT in a process group of their own: the parent decides
when they stop.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import resource
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from contextlib import suppress
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

_PR_SET_PDEATHSIG = 1
# How the reasons of a task stopped by a limit begin (the caller does not retry those).
LIMIT_REASONS = ("exceeded the memory limit", "exceeded the time limit", "its worker process died")


@dataclass(frozen=True)
class Limits:
    """Per-task limits; from SOSEI_DOC_TIMEOUT (seconds) and SOSEI_DOC_MEMORY_MB."""

    wall_seconds: float = 300.0
    memory_mb: int = 4096

    @classmethod
    def from_env(cls) -> Limits:
        return cls(
            wall_seconds=float(os.environ.get("SOSEI_DOC_TIMEOUT", cls.wall_seconds)),
            memory_mb=int(os.environ.get("SOSEI_DOC_MEMORY_MB", cls.memory_mb)),
        )


def _die_with_parent() -> None:
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def _limit_memory(memory_mb: int) -> None:
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def collect_less() -> None:
    """Fewer garbage collections in a process that extracts documents one after another.

    Reading a document makes a few objects per character and frees nearly all of them by
    reference counting; by default the collector runs every 700 allocations and now and then walks
    every object the per-process caches hold (a full collection: about 40 ms once they are full,
    landing on whichever document is being read). At 10,000 allocations it runs 40 times less
    often; 3,000 text and CSV reports read 3-4% faster for 1% more memory."""
    gc.set_threshold(10_000, 10, 10)


def _serve(conn: Connection, fn: Callable, args: tuple, memory_mb: int, warm: Callable[[], None] | None) -> None:
    """A worker's loop: receive (key, task), send (key, result, error, fatal) until told to stop.
    `warm` runs before the memory limit is set: what it imports is not a document's cost."""
    _die_with_parent()
    # Its own process group: Ctrl-C at the terminal reaches the parent alone, which stops the
    # workers, and not a worker's children (Tesseract), whose death would land as a failed read.
    os.setpgrp()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if warm is not None:
        warm()
    _limit_memory(memory_mb)
    collect_less()
    while (item := _next(conn)) is not None:
        key, task = item
        try:
            conn.send((key, fn(task, *args), None, False))
        except MemoryError:  # the process may be in a bad state: report and let the parent replace it
            conn.send((key, None, f"{LIMIT_REASONS[0]} ({memory_mb} MB)", True))
            return
        except Exception as e:
            conn.send((key, None, f"{type(e).__name__}: {e}", False))


def _next(conn: Connection) -> tuple[Any, Any] | None:
    """The next (key, task); None once told to stop, or once the parent has closed its end (a Dask
    worker exits without stopping its threads' children: an EOFError's traceback would say nothing)."""
    try:
        return conn.recv()
    except EOFError:
        return None


class _Worker:
    def __init__(self, fn: Callable, args: tuple, limits: Limits, warm: Callable[[], None] | None) -> None:
        context = multiprocessing.get_context("spawn")  # the caller may be a threaded Dagster process
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, fn, args, limits.memory_mb, warm), daemon=True)
        self.process.start()
        child.close()
        self.key: Any = None
        self.deadline = 0.0
        self.memory_mb = limits.memory_mb
        self.started_with = (fn, args, limits, warm)

    def give(self, key: Any, task: Any, wall_seconds: float) -> None:
        self.conn.send((key, task))
        self.key, self.deadline = key, time.monotonic() + wall_seconds

    def receive(self) -> tuple[Any, Any, str | None, bool]:
        try:
            return self.conn.recv()
        except (EOFError, OSError):
            self.process.join(5)
            return self.key, None, f"{LIMIT_REASONS[2]} ({_death(self.process.exitcode, self.memory_mb)})", True

    def stop(self) -> None:
        """Ask an idle worker to exit; kill a busy or unresponsive one."""
        if self.key is None and self.process.is_alive():
            with suppress(OSError):
                self.conn.send(None)
            self.process.join(5)
        self.kill()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.conn.close()


def run_limited(
    fn: Callable,
    tasks: Mapping[Any, Any],
    args: tuple,
    workers: int,
    limits: Limits,
    warm: Callable[[], None] | None = None,
) -> Iterator[tuple[Any, Any, str | None]]:
    """Run `fn(task, *args)` for every task in worker processes; yield (key, result, error) as each
    ends. `fn`, `warm` and the tasks are pickled to the workers (spawn): functions importable by name."""
    todo = deque(tasks.items())
    pool: list[_Worker] = []
    try:
        pool = [_Worker(fn, args, limits, warm) for _ in range(min(workers, len(todo)))]
        while busy := _assign(pool, todo, limits):
            ready = wait([w.conn for w in busy], timeout=max(0.0, min(w.deadline for w in busy) - time.monotonic()))
            for worker in busy:
                outcome = _outcome(worker, ready, limits)
                if outcome is None:
                    continue
                key, result, error, fatal = outcome
                worker.key = None
                if fatal:
                    pool[pool.index(worker)] = _replace(worker)
                yield key, result, error
    finally:
        for worker in pool:
            worker.stop()


def _assign(pool: list[_Worker], todo: deque, limits: Limits) -> list[_Worker]:
    """Give each idle worker the next task; returns the busy workers."""
    for worker in pool:
        if worker.key is None and todo:
            worker.give(*todo.popleft(), limits.wall_seconds)
    return [w for w in pool if w.key is not None]


def _outcome(worker: _Worker, ready: list, limits: Limits) -> tuple[Any, Any, str | None, bool] | None:
    if worker.conn in ready:
        return worker.receive()
    if time.monotonic() >= worker.deadline:
        return worker.key, None, f"{LIMIT_REASONS[1]} ({limits.wall_seconds:g} s)", True
    return None


def _replace(worker: _Worker) -> _Worker:
    worker.kill()
    return _Worker(*worker.started_with)


class Stopped(Exception):
    """A task was stopped before its end because its owner was told to stop."""


class Sandbox:
    """One limited worker process kept for many tasks, run one at a time, with the limits and
    reasons of `run_limited` (a Dask worker keeps one per thread: `orchestration.land.cluster`)."""

    def __init__(self, fn: Callable, args: tuple, limits: Limits, warm: Callable[[], None] | None = None) -> None:
        self.limits = limits
        self.worker = _Worker(fn, args, limits, warm)

    def run(self, task: Any, stopped: Callable[[], bool], poll_seconds: float = 0.5) -> tuple[Any, str | None]:
        """(result, None), or (None, the reason) for a task that raised, hit a limit or took the
        process down (which is then replaced); raises `Stopped` once `stopped()` is true, asked
        every `poll_seconds` while the task runs (the task's process is then replaced)."""
        if not self.worker.process.is_alive():  # died between tasks (its parent thread ended)
            self.worker = _replace(self.worker)
        self.worker.give("task", task, self.limits.wall_seconds)
        while (outcome := self._wait(poll_seconds)) is None:
            if stopped():
                self.worker = _replace(self.worker)
                raise Stopped
        _, result, error, fatal = outcome
        self.worker.key = None
        if fatal:
            self.worker = _replace(self.worker)
        return result, error

    def _wait(self, poll_seconds: float) -> tuple[Any, Any, str | None, bool] | None:
        timeout = max(0.0, min(poll_seconds, self.worker.deadline - time.monotonic()))
        return _outcome(self.worker, wait([self.worker.conn], timeout=timeout), self.limits)

    def close(self) -> None:
        self.worker.stop()


def _death(exitcode: int | None, memory_mb: int) -> str:
    """How a worker died: its exit code, and for a native abort what it most often means here."""
    if exitcode == -signal.SIGABRT:  # C/C++ code aborts when an allocation is refused (std::bad_alloc)
        return (
            f"exit code {exitcode}, SIGABRT: native code aborted, as it does when the memory limit "
            f"({memory_mb} MB) refuses it memory"
        )
    return f"exit code {exitcode}"
