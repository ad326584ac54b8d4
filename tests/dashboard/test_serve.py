"""`sosei dashboard` starts Streamlit on this host only, with nothing sent out."""

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import suppress
from pathlib import Path

from orchestration.cli import main
from orchestration.config import REPO_ROOT
from orchestration.dashboard import serve


def _options(argv: list[str]) -> dict[str, str]:
    flags = argv[argv.index("run") + 2 :]
    return dict(zip(flags[::2], flags[1::2], strict=True))


def test_the_dashboard_binds_to_localhost_and_sends_no_usage_statistics() -> None:
    options = _options(serve.command())
    assert options["--server.address"] == "127.0.0.1"
    assert options["--browser.gatherUsageStats"] == "false"
    assert options["--server.headless"] == "true"


def test_sosei_dashboard_serves_the_warehouse_it_is_given(tmp_path, monkeypatch) -> None:
    started = {}

    def fake_exec(path, argv, env):
        started.update(argv=argv, env=env)

    monkeypatch.setattr(serve.os, "execve", fake_exec)
    main(["dashboard", "--warehouse", str(tmp_path / "wh"), "--port", "9999"])
    assert _options(started["argv"])["--server.port"] == "9999"
    assert started["env"]["SOSEI_WAREHOUSE_DIR"] == str(tmp_path / "wh")


def _descendants(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError, ValueError, IndexError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found += [int(stat.parent.name), *_descendants(int(stat.parent.name))]
    return found


def test_sigterm_to_sosei_dashboard_stops_streamlit_and_leaves_no_process(tmp_path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    argv = [sys.executable, "-m", "orchestration.cli", "dashboard", "--warehouse", str(tmp_path), "--port", str(port)]
    dashboard = subprocess.Popen(argv, cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while socket.socket().connect_ex(("127.0.0.1", port)) != 0:
            assert dashboard.poll() is None and time.monotonic() < deadline
            time.sleep(0.2)
        streamlit = [dashboard.pid, *_descendants(dashboard.pid)]
        dashboard.send_signal(signal.SIGTERM)
        dashboard.wait(30)
        time.sleep(1)
        assert [pid for pid in streamlit if Path(f"/proc/{pid}").exists()] == []
        assert socket.socket().connect_ex(("127.0.0.1", port)) != 0
    finally:
        for pid in [dashboard.pid, *_descendants(dashboard.pid)]:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
