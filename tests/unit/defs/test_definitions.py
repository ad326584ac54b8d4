"""The one Definitions object loads, and holds the graph the design describes."""

import subprocess
import sys
from pathlib import Path

import dagster as dg

from orchestration.config import REPO_ROOT
from orchestration.definitions import defs
from orchestration.defs.gate import quality_gate
from orchestration.land.store import RAW_SCHEMA_TABLES
from orchestration.quality.catalog import SUITES


def test_definitions_validate_loadable() -> None:
    dg.Definitions.validate_loadable(defs)


def test_dagster_cli_validates_the_module() -> None:
    dagster = Path(sys.executable).parent / "dagster"
    done = subprocess.run(
        [str(dagster), "definitions", "validate", "-m", "orchestration.definitions"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]


def test_graph_lands_raw_tables_that_dbt_sources_read() -> None:
    graph = defs.resolve_asset_graph()
    raw_keys = {dg.AssetKey(["raw", t]) for t in RAW_SCHEMA_TABLES}
    assert raw_keys <= graph.materializable_asset_keys
    # dbt's staging models read the raw tables that the landing assets produce.
    staging = dg.AssetKey(["staging", "stg_raw__kpi_observations"])
    assert dg.AssetKey(["raw", "kpi_observations"]) in graph.get(staging).parent_keys
    assert dg.AssetKey("landed_document") in graph.get(dg.AssetKey(["raw", "documents"])).parent_keys


def test_landing_is_per_document_in_one_run_with_retries() -> None:
    landed = defs.resolve_assets_def("landed_document")
    assert landed.partitions_def.name == "documents"
    assert landed.backfill_policy == dg.BackfillPolicy.single_run()
    assert landed.op.retry_policy.max_retries == 2
    assert landed.op.retry_policy.backoff == dg.Backoff.EXPONENTIAL


def test_every_suite_is_a_blocking_check_upstream_of_publication() -> None:
    specs = list(quality_gate.check_specs)
    assert {s.name for s in specs} == set(SUITES)
    assert all(s.blocking for s in specs)
    published = defs.resolve_asset_graph().get(dg.AssetKey("published_warehouse"))
    assert {s.asset_key for s in specs} <= published.parent_keys


def test_jobs_sensor_and_schedule_are_defined() -> None:
    assert defs.resolve_job_def("sosei_build").executor_def.name == "in_process"
    assert defs.resolve_job_def("sosei_rebuild")
    assert defs.resolve_sensor_def("raw_files_sensor")
    assert defs.resolve_schedule_def("annual_refresh")
