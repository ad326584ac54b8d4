"""One build at a time, seen from other processes, and nothing left behind by a killed build."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from orchestration.cli.buildlock import BuildLocked, exclusive_build, processes_with_token

HOLD = """
import sys, time, subprocess
from pathlib import Path
from orchestration.cli.buildlock import exclusive_build
with exclusive_build(Path(sys.argv[1])) as token:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])  # a 'dbt'
    print(token, child.pid, flush=True)
    time.sleep(120)
"""


def _holder(warehouse: Path) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(warehouse)], stdout=subprocess.PIPE, text=True)
    return proc


def _wait_gone(pids: list[int], seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any(Path(f"/proc/{pid}").exists() and "Z" not in _state(pid) for pid in pids):
            return True
        time.sleep(0.1)
    return False


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1].split()[0]
    except OSError:
        return "gone"


def test_a_second_build_is_refused_naming_the_holder_or_waits(tmp_path: Path) -> None:
    holder = _holder(tmp_path)
    token, _child = holder.stdout.readline().split()
    try:
        with pytest.raises(BuildLocked, match=rf"pid {holder.pid} "), exclusive_build(tmp_path, wait=False):
            pass
        record = json.loads((tmp_path / "build.lock").read_text())
        assert record["pid"] == holder.pid and record["token"] == token
    finally:
        holder.kill()
        holder.wait()
    with exclusive_build(tmp_path, wait=False) as mine:  # the kernel released the dead holder's lock
        assert mine != token


def test_a_killed_build_leaves_no_process_behind(tmp_path: Path) -> None:
    holder = _holder(tmp_path)
    token, child = holder.stdout.readline().split()
    assert processes_with_token(token) != []
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    assert _wait_gone([int(child)]), "the watchdog did not stop the killed build's child"
    deadline = time.monotonic() + 10  # the watchdog itself exits once it has stopped the others
    while processes_with_token(token) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert processes_with_token(token) == []


def test_a_build_leaves_its_children_stopped_on_the_way_out(tmp_path: Path) -> None:
    with exclusive_build(tmp_path) as token:
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
        assert child.pid in processes_with_token(token)
    assert child.wait(10) == -signal.SIGKILL
    assert processes_with_token(token) == []
    assert json.loads((tmp_path / "build.lock").read_text())["released"] is True
