"""One build at a time, and nothing left behind by a killed one.

`exclusive_build` takes an exclusive lock on `<warehouse>/build.lock` (released by the kernel when
the holder dies, even by kill -9); a second build waits and says who holds it. Every process of a
build (landing workers, dbt) inherits a token in its environment. A watchdog process, told by the
kernel when the build's process dies, kills whatever still carries the token; the next build does
the same for a build that was not released cleanly.
"""

from __future__ import annotations

import ctypes
import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

TOKEN_ENV = "SOSEI_BUILD_TOKEN"
_PR_SET_PDEATHSIG = 1


class BuildLocked(RuntimeError):
    """Another build holds the lock and the caller would not wait."""


def _holder(fd: int) -> dict:
    os.lseek(fd, 0, os.SEEK_SET)
    text = os.read(fd, 1 << 16).decode("utf-8", "replace")
    try:
        return json.loads(text) if text.strip() else {}
    except ValueError:
        return {}


def _write_holder(fd: int, record: dict) -> None:
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, json.dumps(record).encode())
    os.fsync(fd)


def describe(holder: dict) -> str:
    if not holder:
        return "a build"
    return f"pid {holder.get('pid')} on {holder.get('host')}, started {holder.get('started')}: {holder.get('command')}"


def processes_with_token(token: str) -> list[int]:
    """Pids (other than this one) whose environment carries the build token.

    multiprocessing's resource tracker is left out: it belongs to this process's lifetime and
    exits by itself when this process does."""
    needle = f"{TOKEN_ENV}={token}".encode()
    pids = []
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else []:
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if (
                needle in (entry / "environ").read_bytes().split(b"\0")
                and b"resource_tracker" not in (entry / "cmdline").read_bytes()
            ):
                pids.append(int(entry.name))
        except OSError:  # gone, or another user's
            continue
    return pids


def kill_token(token: str) -> list[int]:
    pids = processes_with_token(token)
    for pid in pids:
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return pids


def _lock(fd: int, path: Path, wait: bool) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = describe(_holder(fd))
        if not wait:
            raise BuildLocked(f"another build holds {path} ({holder})") from None
        print(f"sosei: waiting for the build that holds {path} ({holder})", file=sys.stderr, flush=True)
        fcntl.flock(fd, fcntl.LOCK_EX)


def _start_watchdog(token: str) -> subprocess.Popen:
    # Its own session: Ctrl-C at the terminal is for the build, not for the watchdog.
    return subprocess.Popen(
        [sys.executable, "-m", "orchestration.cli.buildlock", token, str(os.getpid())],
        start_new_session=True,
        stdin=subprocess.DEVNULL,
    )


@contextmanager
def exclusive_build(warehouse_dir: Path, wait: bool = True) -> Iterator[str]:
    """Hold the build lock; yields this build's token (also in os.environ for child processes)."""
    warehouse_dir.mkdir(parents=True, exist_ok=True)
    path = warehouse_dir / "build.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _lock(fd, path, wait)
        previous = _holder(fd)
        if previous.get("token") and not previous.get("released"):
            left = kill_token(previous["token"])
            if left:
                print(f"sosei: stopped {len(left)} process(es) left by a killed build", file=sys.stderr)
        token = uuid.uuid4().hex
        _write_holder(
            fd,
            {
                "pid": os.getpid(),
                "host": socket.gethostname(),
                "token": token,
                "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "command": " ".join(sys.argv),
            },
        )
        saved = os.environ.get(TOKEN_ENV)
        os.environ[TOKEN_ENV] = token
        watchdog = _start_watchdog(token)
        try:
            yield token
        finally:
            watchdog.kill()
            watchdog.wait()
            kill_token(token)  # a dbt or worker that an interrupt left running
            _restore(saved)
            _write_holder(fd, {**_holder(fd), "released": True})
    finally:
        os.close(fd)  # releases the lock


def _restore(saved: str | None) -> None:
    if saved is None:
        os.environ.pop(TOKEN_ENV, None)
    else:
        os.environ[TOKEN_ENV] = saved


def _watch(token: str, parent: int) -> None:
    """The watchdog: when the build's process dies, kill what carries its token, then exit."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGUSR1, lambda *_: (kill_token(token), os._exit(0)))
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGUSR1)
    if os.getppid() != parent:  # it died before the request was in place
        kill_token(token)
        return
    while True:
        signal.pause()


if __name__ == "__main__":
    _watch(sys.argv[1], int(sys.argv[2]))
