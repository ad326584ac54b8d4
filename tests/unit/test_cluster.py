"""Landing on a Dask LocalCluster of 2 workers: the same landing tables as the process pool, and
the same per-document limits (time, memory, an exception, a dead worker process)."""

from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path

import dask
import pytest
from cluster_documents import comparable_landing, executing, misbehave
from distributed import Client, LocalCluster

from orchestration.config import SAMPLES_DIR, Settings
from orchestration.defs.resources import SoseiSettings
from orchestration.land import extraction_version
from orchestration.land.cluster import (
    BATCH_DOCUMENTS,
    WORKER_CONFIG,
    ClusterError,
    land_on_cluster,
    parse_address,
    plan_tasks,
)
from orchestration.land.registry import scan_raw
from orchestration.land.store import RAW_TABLES, land_many
from orchestration.land.workers import Limits

SAMPLES = sorted(SAMPLES_DIR.glob("*.txt"))


def _settings(tmp_path: Path, name: str, raw: Path, dask: str = "") -> Settings:
    return Settings(root=tmp_path, raw_dir=raw, warehouse_dir=tmp_path / name, dask_scheduler=dask)


def _landing(settings: Settings) -> dict[str, list[tuple]]:
    return comparable_landing(settings.landing_dir)


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Sample reports in sub-folders, a file name that is not UTF-8, an unreadable and a rejected one."""
    raw = tmp_path_factory.mktemp("cluster") / "raw"
    for i in range(3):
        for sample in SAMPLES:
            (raw / f"copy{i}").mkdir(parents=True, exist_ok=True)
            (raw / f"copy{i}" / sample.name).write_bytes(sample.read_bytes())
    (raw / os.fsdecode(b"\xff\xfe-report.txt")).write_bytes(SAMPLES[0].read_bytes())
    (raw / "empty.txt").write_bytes(b"")
    (raw / "outside.txt").symlink_to("/etc/hostname")
    return raw


def test_a_local_cluster_of_two_workers_lands_what_the_pool_lands(tmp_path: Path, raw: Path) -> None:
    entries = list(scan_raw(raw).values())
    pool, dask = _settings(tmp_path, "pool", raw), _settings(tmp_path, "dask", raw, "local:2")

    by_pool = {doc: (counts, error) for doc, counts, error in land_many(entries, pool, workers=2)}
    by_dask = {doc: (counts, error) for doc, counts, error in land_many(entries, dask)}

    assert by_dask == by_pool and len(by_pool) == len(entries) >= 18
    assert _landing(dask) == _landing(pool)
    status = [c for c in RAW_TABLES["documents"] if c != "landed_at"].index("read_status")
    assert sum(row[status] == "error" for row in _landing(dask)["documents"]) == 2  # empty.txt and the link


def test_the_limits_hold_on_the_cluster_and_the_other_documents_land(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("sleep", "memory", "raise", "exit"):
        (raw / f"{name}.txt").write_bytes(name.encode())
    for sample in SAMPLES:
        (raw / sample.name).write_bytes(sample.read_bytes())
    settings = _settings(tmp_path, "wh", raw, "local:2")
    limits = Limits(wall_seconds=30, memory_mb=4096)  # the default: DuckDB writing Parquet needs room
    started = time.monotonic()

    outcomes = {
        doc: (counts, error)
        for doc, counts, error in land_on_cluster(
            list(scan_raw(raw).values()), settings, extraction_version.EXTRACTION_VERSION, limits, misbehave
        )
    }

    assert outcomes["sleep.txt"] == (None, "exceeded the time limit (30 s)")
    assert outcomes["memory.txt"] == (None, "exceeded the memory limit (4096 MB)")
    assert outcomes["raise.txt"] == (None, "ValueError: a reader bug")
    assert outcomes["exit.txt"] == (None, "its worker process died (exit code 3)")
    assert all(outcomes[s.name][1] is None and outcomes[s.name][0]["documents"] == 1 for s in SAMPLES), outcomes
    assert time.monotonic() - started < 120


def test_stopping_landing_stops_the_documents_running_on_the_cluster(tmp_path: Path) -> None:
    """A cluster that outlives the build: the Event stops a running document, which cancelling
    its future alone would leave running."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "slow.png").write_bytes(b"sleep")  # a scan: alone and first, and then asleep for 120 s
    for sample in SAMPLES:
        (raw / sample.name).write_bytes(sample.read_bytes())
    with (
        dask.config.set(WORKER_CONFIG),
        LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        settings = _settings(tmp_path, "wh", raw, cluster.scheduler_address)
        entries = list(scan_raw(raw).values())
        landing = land_on_cluster(entries, settings, extraction_version.EXTRACTION_VERSION, Limits(), misbehave)
        assert next(landing)[0] in {s.name for s in SAMPLES}  # the batch ran beside the slow one
        assert sum(client.run(executing).values()) == 1
        landing.close()  # as a SIGTERM's interrupt closes it
        stopped = time.monotonic()
        while sum(client.run(executing).values()) and time.monotonic() - stopped < 30:
            time.sleep(0.2)
        assert sum(client.run(executing).values()) == 0


def test_scans_and_large_documents_go_alone_and_first_the_others_in_batches(tmp_path: Path) -> None:
    (tmp_path / "small").mkdir()
    for i in range(BATCH_DOCUMENTS + 5):
        (tmp_path / "small" / f"{i:02}.txt").write_text("x")
    (tmp_path / "scan.png").write_bytes(b"p" * 10)
    (tmp_path / "big.pdf").write_bytes(b"%" * 3 * 1024**2)
    for name in ("scanned-1.pdf", "scanned-2.pdf"):  # a page's image each: not batched onto one worker
        (tmp_path / name).write_bytes(b"%" * 640 * 1024)
    tasks = plan_tasks(list(scan_raw(tmp_path).values()))
    alone = [[e.doc_id for e in t] for t in tasks[:4]]
    assert alone == [["big.pdf"], ["scanned-1.pdf"], ["scanned-2.pdf"], ["scan.png"]]
    assert [len(t) for t in tasks[4:]] == [BATCH_DOCUMENTS, 5]


def test_a_scheduler_address_is_local_n_or_a_scheduler_url() -> None:
    assert parse_address("local:3") == ("local", 3)
    assert parse_address("tcp://10.0.0.5:8786") == ("tcp://10.0.0.5:8786", None)
    for bad in ("local:0", "local:x", "10.0.0.5:8786"):
        with pytest.raises(ClusterError, match="expected local:N"):
            parse_address(bad)
    resource = SoseiSettings.from_settings(replace(Settings.from_env(), dask_scheduler="local:2"))
    assert resource.dask_scheduler == "local:2" and resource.settings().dask_scheduler == "local:2"  # UI runs see it
