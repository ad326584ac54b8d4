"""Faults a scheduler, an operator or the kernel cause: `sosei build` killed with -9 at a stage,
stopped with SIGTERM, started twice at once. The published release is compared before and after;
no worker or dbt may outlive the build; the next build runs through.

Each build here is a `sosei build` child process on a copy of the sample raw/.
"""

import json
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from cli_build import build_command, run_build, slow_scans

from orchestration.cli.buildlock import processes_with_token
from orchestration.config import REPO_ROOT, Settings
from orchestration.land.store import RAW_TABLES, arrow_schema, landed_documents, landing_path
from orchestration.publish.release import fingerprint

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory, copy_sample_raw) -> Path:
    root = tmp_path_factory.mktemp("faults")
    copy_sample_raw(root / "raw")
    assert run_build(root).returncode == 0  # a published release to protect
    return root


def _published(root: Path) -> dict[str, str]:
    return fingerprint(root / "warehouse" / "published")


def _children(pid: int) -> list[str]:
    """The command lines of `pid`'s descendants."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            if ppid == pid:
                child = int(stat.parent.name)
                found.append((stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode())
                found += _children(child)
        except (OSError, ValueError, IndexError):
            continue
    return found


def _touch_a_report(root: Path) -> None:
    report = sorted((root / "raw").glob("*.txt"))[0]
    report.write_text(report.read_text(encoding="utf-8") + "\n", encoding="utf-8")


def _token(root: Path) -> str:
    return json.loads((root / "warehouse" / "build.lock").read_text())["token"]


def _start_and_kill_when(root: Path, ready: Callable[[list[str]], bool], sig: int) -> subprocess.Popen:
    build = subprocess.Popen(build_command(root), cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 600
    while not ready(_children(build.pid)):
        assert build.poll() is None, "the build ended before reaching the stage"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    build.send_signal(sig)
    build.wait(120)
    return build


def _nothing_left(token: str) -> bool:
    deadline = time.monotonic() + 15
    while processes_with_token(token) and time.monotonic() < deadline:
        time.sleep(0.2)
    return processes_with_token(token) == []


def _landing(cmds: list[str]) -> bool:
    return any("multiprocessing" in c for c in cmds)


def _dbt(cmds: list[str]) -> bool:
    return any("dbt" in c and " build " in c for c in cmds)


@pytest.mark.parametrize(("stage", "ready"), [("landing", _landing), ("dbt", _dbt)])
def test_kill_9_at_a_stage_leaves_the_release_and_no_process(tree: Path, stage: str, ready) -> None:
    before = _published(tree)
    _touch_a_report(tree)
    build = _start_and_kill_when(tree, ready, signal.SIGKILL)
    assert build.returncode == -signal.SIGKILL
    assert _nothing_left(_token(tree)), f"processes of the build killed at {stage} are still running"
    assert _published(tree) == before


def test_sigterm_stops_a_build_promptly_with_its_dbt(tree: Path) -> None:
    before = _published(tree)
    _touch_a_report(tree)
    started = time.monotonic()
    build = _start_and_kill_when(tree, _dbt, signal.SIGTERM)
    assert build.returncode == 130
    assert time.monotonic() - started < 300
    assert _nothing_left(_token(tree))
    assert _published(tree) == before


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_5_s_into_landing_stops_the_workers_and_publishes_nothing(tree: Path, sig: int) -> None:
    """Today's landing of slow documents (OCR) takes minutes; SIGTERM (a scheduler) or SIGINT (an
    operator's Ctrl-C, sent here to the build alone) stops it within seconds."""
    before = _published(tree)
    scans = slow_scans(tree / "raw", documents=4, pages=6)
    try:
        build = subprocess.Popen(
            build_command(tree),
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            # as from a terminal: a test run started in the background inherits SIGINT ignored
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        while not _landing(_children(build.pid)):
            assert build.poll() is None, "the build ended before landing"
            time.sleep(0.05)
        time.sleep(5)
        build.send_signal(sig)
        try:
            out, _ = build.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            build.kill()
            pytest.fail(f"the build went on for a minute after {signal.Signals(sig).name}")
        assert build.returncode == 130, out.decode()[-2000:]
        assert _nothing_left(_token(tree))
        assert _published(tree) == before
    finally:
        for path in scans:
            path.unlink()


def _published_observations(root: Path) -> int:
    with duckdb.connect(str(root / "warehouse" / "published" / "sosei.duckdb"), read_only=True) as con:
        published = con.execute("SELECT count(*) FROM marts.fct_kpi_observation").fetchone()[0]
        return published + con.execute("SELECT count(*) FROM marts.quarantine_kpi_observation").fetchone()[0]


def test_an_emptied_landing_file_is_landed_again_and_the_release_holds_every_observation(tree: Path) -> None:
    settings = Settings(root=tree, raw_dir=tree / "raw", warehouse_dir=tree / "warehouse")
    before = _published_observations(tree)
    doc_id = max(landed_documents(settings).values(), key=lambda d: d.n_observations).doc_id
    path = landing_path(settings, "kpi_observations", doc_id)
    pq.write_table(arrow_schema(RAW_TABLES["kpi_observations"]).empty_table(), path)
    settings.candidate_db.unlink()  # a candidate loaded in full reads every landing file
    build = run_build(tree, "--force")
    assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-2000:]
    assert f"landing damaged: {doc_id}: kpi_observations landing file differs" in build.stdout
    assert _published_observations(tree) == before
    assert f"observations:   {before}" in build.stdout


def test_two_builds_at_once_one_waits_and_the_next_build_runs_through(tree: Path) -> None:
    _touch_a_report(tree)
    first = subprocess.Popen(
        build_command(tree), cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    lock = tree / "warehouse" / "build.lock"
    while not (lock.exists() and f'"pid": {first.pid},' in lock.read_text()):
        assert first.poll() is None
        time.sleep(0.05)
    refused = run_build(tree, "--no-wait")
    assert refused.returncode == 3 and f"pid {first.pid} " in refused.stderr
    out, _err = first.communicate(timeout=900)
    assert first.returncode == 0, out[-2000:]
    leftovers = [p for p in (tree / "warehouse").rglob("*.tmp")]
    assert leftovers == []  # the killed builds' temporary files were cleaned
    assert "gate:           passed" in out
