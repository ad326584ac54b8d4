"""`sosei build --dask` on a Dask scheduler and workers started as separate processes on
127.0.0.1, whose workers cannot read raw/: the build lands and publishes what a build on this
machine's processes does; a worker that runs other extraction code is refused."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import cloudpickle
import duckdb
import pytest
from cli_build import run_build

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))  # the cluster unit tests' helpers
from cluster_documents import comparable_landing
from distributed import Client

from orchestration.config import REPO_ROOT, Settings
from orchestration.land import extraction_version
from orchestration.land.cluster import StaleWorkers, land_on_cluster
from orchestration.land.registry import scan_raw
from orchestration.land.workers import Limits

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


@pytest.fixture(scope="module")
def trees(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two copies of the sample raw/ (with sub-folders, for batches), one built each way."""
    trees = {}
    for name in ("pool", "dask"):
        root = tmp_path_factory.mktemp(name)
        shutil.copytree(REPO_ROOT / "raw", root / "raw")
        for sample in sorted((REPO_ROOT / "raw").glob("*.txt"))[:3]:
            (root / "raw" / "more").mkdir(exist_ok=True)
            shutil.copy(sample, root / "raw" / "more" / sample.name)
        trees[name] = root
    return trees


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory, trees: dict[str, Path]) -> Iterator[dict]:
    """A scheduler and two workers, as separate processes, that may not read the dask tree's raw/."""
    work = tmp_path_factory.mktemp("cluster")
    (work / "guard").mkdir()
    (work / "guard" / "sitecustomize.py").write_text(GUARD)
    scheduler_file = work / "scheduler.json"
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    args = ["scheduler", "--host", "127.0.0.1", "--port", "0", "--scheduler-file", str(scheduler_file)]
    scheduler = _start([*args, "--no-dashboard"], env, work)
    workers = _workers(scheduler_file, REPO_ROOT, trees["dask"] / "raw", work, 2)
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


def _landing(root: Path) -> dict[str, list[tuple]]:
    return comparable_landing(root / "warehouse" / "landing")


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


def test_the_workers_cannot_read_raw(cluster: dict, trees: dict[str, Path]) -> None:
    sample = next((trees["dask"] / "raw").glob("*.txt"))
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


def test_a_build_on_the_cluster_equals_a_build_on_this_machine(cluster: dict, trees: dict[str, Path]) -> None:
    pool = run_build(trees["pool"])
    dask = run_build(trees["dask"], "--dask", cluster["address"])
    assert pool.returncode == 0, pool.stdout + pool.stderr
    assert dask.returncode == 0, dask.stdout + dask.stderr
    landed = _landing(trees["dask"])
    assert landed == _landing(trees["pool"]) and len(landed["documents"]) == 8
    assert _marts(trees["dask"]) == _marts(trees["pool"])


def test_a_worker_with_other_extraction_code_is_refused(cluster: dict, trees: dict[str, Path]) -> None:
    stale = cluster["work"] / "stale"
    shutil.copytree(REPO_ROOT / "orchestration", stale / "orchestration", ignore=shutil.ignore_patterns("__pycache__"))
    with open(stale / "orchestration" / "extract" / "engine.py", "a") as engine:
        engine.write("\n# a later reader\n")
    worker = _workers(cluster["scheduler_file"], stale, trees["dask"] / "raw", cluster["work"], 1)
    try:
        with Client(cluster["address"], timeout=60) as client:
            client.wait_for_workers(3, timeout=120)
        settings = Settings(trees["dask"], trees["dask"] / "raw", cluster["work"] / "wh", cluster["address"])
        entries = list(scan_raw(settings.raw_dir).values())
        with pytest.raises(StaleWorkers, match="refused, their extraction code differs") as refused:
            list(land_on_cluster(entries, settings, extraction_version.EXTRACTION_VERSION, Limits()))
        assert str(refused.value).count("tcp://127.0.0.1:") == 1  # the stale worker alone is named
        assert not (cluster["work"] / "wh" / "landing").exists()  # nothing landed
    finally:
        _stop(worker)
