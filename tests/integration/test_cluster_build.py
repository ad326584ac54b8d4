"""`sosei build` on Dask gives what a plain build gives: one plain build of a few sample reports
is the reference for a build with `SOSEI_DASK_SCHEDULER=local:2` and for a build on a scheduler and
workers started as separate processes on 127.0.0.1, whose workers cannot read raw/. A worker that
runs other extraction code is refused; SIGTERM while a LocalCluster lands slow documents stops the
build promptly, publishes nothing and leaves no process."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cloudpickle
import duckdb
import psutil
import pytest
from cli_build import build_command, run_build, slow_scans

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))  # the cluster unit tests' helpers
from cluster_documents import comparable_landing
from distributed import Client

from orchestration.cli.buildlock import processes_with_token
from orchestration.config import REPO_ROOT, Settings
from orchestration.land import extraction_version
from orchestration.land.cluster import SCHEDULER_ENV, StaleWorkers, land_on_cluster
from orchestration.land.registry import scan_raw
from orchestration.land.workers import Limits
from orchestration.publish.release import fingerprint

pytestmark = pytest.mark.integration

DASK = Path(sys.executable).parent / "dask"
# Loaded first by every Python process of the workers: any reading of the forbidden folder fails.
GUARD = """
import os, sys
_forbidden = os.environ.get("SOSEI_TEST_FORBIDDEN")
def _audit(event, args):
    if event in ("open", "os.listdir", "os.scandir") and args and isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.path.abspath(os.fsdecode(args[0]))
        if path == _forbidden or path.startswith(_forbidden + os.sep):
            raise PermissionError(f"{path}: a worker may not read raw/")
if _forbidden:
    sys.addaudithook(_audit)
"""


def _start(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.Popen:
    log = open(cwd / f"{args[1]}-{time.monotonic_ns()}.log", "w")  # noqa: SIM115 (kept open for the process)
    return subprocess.Popen([str(DASK), *args], env=env, cwd=cwd, stdout=log, stderr=log, start_new_session=True)


def _stop(process: subprocess.Popen) -> None:
    """Stop a scheduler or worker this test started, and its children (one session each)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _workers(scheduler_file: Path, pythonpath: Path, forbidden: Path, cwd: Path, n: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "PYTHONPATH": f"{cwd / 'guard'}{os.pathsep}{pythonpath}",
        "SOSEI_TEST_FORBIDDEN": str(forbidden),
        "DASK_DISTRIBUTED__WORKER__DAEMON": "False",
    }
    args = ["worker", "--scheduler-file", str(scheduler_file), "--nworkers", str(n), "--nthreads", "1"]
    return _start([*args, "--no-dashboard", "--host", "127.0.0.1"], env, cwd)


@dataclass(frozen=True)
class Built:
    """A tree built by `sosei build`, and what it landed and published, read as the build left it."""

    root: Path
    landing: dict[str, list[tuple]]
    marts: dict[str, list[tuple]]


def _tree(root: Path, copy_sample_raw) -> Path:
    """The sample raw/ with two of its reports again in a sub-folder (paths travel to the workers)."""
    copy_sample_raw(root / "raw")
    (root / "raw" / "more").mkdir()
    for sample in sorted((REPO_ROOT / "raw").glob("*.txt"))[:2]:
        shutil.copy(sample, root / "raw" / "more" / sample.name)
    return root


def _build(root: Path, *extra: str) -> Built:
    build = run_build(root, *extra)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    return Built(root, comparable_landing(root / "warehouse" / "landing"), _marts(root))


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory, copy_sample_raw) -> Built:
    """The reference: a build on this machine's worker processes."""
    built = _build(_tree(tmp_path_factory.mktemp("plain"), copy_sample_raw))
    assert len(built.landing["documents"]) == 7 and built.marts["fct_kpi_observation"]
    return built


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory, copy_sample_raw) -> Built:
    """A build with SOSEI_DASK_SCHEDULER=local:2; Dask's scratch folder shows its workers ran."""
    root = _tree(tmp_path_factory.mktemp("local"), copy_sample_raw)
    with pytest.MonkeyPatch.context() as env:
        env.setenv(SCHEDULER_ENV, "local:2")
        env.setenv("DASK_TEMPORARY_DIRECTORY", str(root / "dask"))
        built = _build(root)
    assert (root / "dask" / "dask-scratch-space").is_dir()  # a LocalCluster's workers started
    return built


@pytest.fixture(scope="module")
def cluster_root(tmp_path_factory: pytest.TempPathFactory, copy_sample_raw) -> Path:
    return _tree(tmp_path_factory.mktemp("cluster"), copy_sample_raw)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory, cluster_root: Path) -> Iterator[dict]:
    """A scheduler and two workers, as separate processes, that may not read the cluster tree's raw/."""
    work = tmp_path_factory.mktemp("cluster")
    (work / "guard").mkdir()
    (work / "guard" / "sitecustomize.py").write_text(GUARD)
    scheduler_file = work / "scheduler.json"
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    args = ["scheduler", "--host", "127.0.0.1", "--port", "0", "--scheduler-file", str(scheduler_file)]
    scheduler = _start([*args, "--no-dashboard"], env, work)
    workers = _workers(scheduler_file, REPO_ROOT, cluster_root / "raw", work, 2)
    try:
        deadline = time.monotonic() + 120
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(scheduler_file.read_text())["address"]
        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        yield {"address": address, "scheduler_file": scheduler_file, "work": work}
    finally:
        _stop(workers)
        _stop(scheduler)


def _marts(root: Path) -> dict[str, list[tuple]]:
    """Every published mart's rows, its timestamp columns left out."""
    with duckdb.connect(str(root / "warehouse" / "published" / "sosei.duckdb"), read_only=True) as con:
        columns: dict[str, list[str]] = {}
        for table, column, kind in con.execute(
            "select table_name, column_name, data_type from information_schema.columns"
            " where table_schema = 'marts' order by table_name, ordinal_position"
        ).fetchall():
            if not kind.startswith("TIMESTAMP"):
                columns.setdefault(table, []).append(f'"{column}"')
        return {
            t: con.execute(f"select {', '.join(c)} from marts.{t} order by all").fetchall() for t, c in columns.items()
        }


def test_a_build_with_a_local_cluster_equals_a_plain_build(plain: Built, local: Built) -> None:
    assert local.landing == plain.landing
    assert local.marts == plain.marts


def test_the_workers_cannot_read_raw(cluster: dict, cluster_root: Path) -> None:
    sample = next((cluster_root / "raw").glob("*.txt"))
    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the workers cannot import this module
    with Client(cluster["address"], timeout=60) as client:
        outcomes = client.run(_try_to_read, str(sample))
    assert len(outcomes) == 2 and set(outcomes.values()) == {"PermissionError"}


def _try_to_read(path: str) -> str:
    try:
        Path(path).read_bytes()
    except OSError as e:
        return type(e).__name__
    return "read"


def test_a_build_on_a_cluster_of_separate_processes_equals_a_plain_build(
    plain: Built, cluster: dict, cluster_root: Path
) -> None:
    built = _build(cluster_root, "--dask", cluster["address"])
    assert built.landing == plain.landing
    assert built.marts == plain.marts


def test_a_worker_with_other_extraction_code_is_refused(cluster: dict, cluster_root: Path) -> None:
    stale = cluster["work"] / "stale"
    shutil.copytree(REPO_ROOT / "orchestration", stale / "orchestration", ignore=shutil.ignore_patterns("__pycache__"))
    with open(stale / "orchestration" / "extract" / "engine.py", "a") as engine:
        engine.write("\n# a later reader\n")
    worker = _workers(cluster["scheduler_file"], stale, cluster_root / "raw", cluster["work"], 1)
    try:
        with Client(cluster["address"], timeout=60) as client:
            client.wait_for_workers(3, timeout=120)
        settings = Settings(cluster_root, cluster_root / "raw", cluster["work"] / "wh", cluster["address"])
        entries = list(scan_raw(settings.raw_dir).values())
        with pytest.raises(StaleWorkers, match="refused, their extraction code differs") as refused:
            list(land_on_cluster(entries, settings, extraction_version.EXTRACTION_VERSION, Limits()))
        assert str(refused.value).count("tcp://127.0.0.1:") == 1  # the stale worker alone is named
        assert not (cluster["work"] / "wh" / "landing").exists()  # nothing landed
    finally:
        _stop(worker)


def _ocr_running(build: subprocess.Popen) -> list[psutil.Process]:
    """The build's processes once Tesseract runs in one of them (a document is being read on a
    worker), else []."""
    with_children = [psutil.Process(build.pid), *psutil.Process(build.pid).children(recursive=True)]
    names = []
    for process in with_children:
        try:
            names.append(process.name())
        except psutil.NoSuchProcess:
            continue
    return with_children if "tesseract" in names else []


def _gone(process: psutil.Process) -> bool:
    try:
        return not process.is_running() or process.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_sigterm_while_a_local_cluster_lands_stops_the_build_publishes_nothing_and_leaves_no_process(
    local: Built,
) -> None:
    before = fingerprint(local.root / "warehouse" / "published")
    scans = slow_scans(local.root / "raw", documents=3, pages=4)
    try:
        build = subprocess.Popen(
            build_command(local.root, "--dask", "local:2"),
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 600
        while not (processes := _ocr_running(build)):
            assert build.poll() is None, build.communicate()[0].decode()[-3000:]
            assert time.monotonic() < deadline, "no document was read on the cluster in 10 minutes"
            time.sleep(0.1)
        build.send_signal(signal.SIGTERM)
        stopped = time.monotonic()
        try:
            out, _ = build.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            build.kill()
            pytest.fail("the build went on for a minute after SIGTERM")
        assert build.returncode == 130, out.decode()[-3000:]
        print(f"exited {time.monotonic() - stopped:.1f} s after SIGTERM; {len(processes)} processes then")
        token = json.loads((local.root / "warehouse" / "build.lock").read_text())["token"]
        while (processes_with_token(token) or not all(map(_gone, processes))) and time.monotonic() - stopped < 75:
            time.sleep(0.2)
        assert processes_with_token(token) == []
        assert [p.pid for p in processes if not _gone(p)] == []  # Dask's workers, their children, Tesseract
        assert fingerprint(local.root / "warehouse" / "published") == before
    finally:
        for path in scans:
            path.unlink()
