"""`sosei build`: one build at a time: register raw/, land what the plan says in Dagster runs,
then raw → dbt → gate → publish, a line per stage, and the failed stage named."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import dagster as dg

from orchestration.cli.buildlock import BuildLocked, exclusive_build
from orchestration.cli.instance import instance as dagster_instance
from orchestration.cli.instance import repairing_storage
from orchestration.cli.stages import failed_stage, print_stages, was_interrupted
from orchestration.cli.staleness import published_run, stale_reason
from orchestration.cli.summary import (
    DBT_LINES_FILE,
    BuildSummary,
    landing_line,
    print_failed_documents,
    print_summary,
    summarise,
)
from orchestration.config import DAGSTER_ENV, DBT_LINES_ENV, DBT_MANIFEST, DBT_PROJECT_DIR, Settings, environment
from orchestration.defs.keys import LANDED_DOCUMENT
from orchestration.defs.partitions import contiguous_ranges, partition_key, partition_range_tags, sync_partitions
from orchestration.defs.resources import SoseiSettings
from orchestration.land.progress import PROGRESS_ENV
from orchestration.land.registry import hash_raw, plan, raw_file_versions, scan_raw
from orchestration.land.store import landed_documents, prune_landing, sound_landed_documents
from orchestration.publish.rebuild_version import rebuild_version


def _refresh_dbt_manifest(settings: Settings) -> None:
    """Re-parse the dbt project when its manifest is missing or older than any of its files.

    The Dagster assets are built from target/manifest.json when the definitions are imported,
    so a stale one would not know a model that `dbt build` then runs.
    """
    manifest, project = DBT_MANIFEST, DBT_PROJECT_DIR
    sources = [p for folder in ("models", "seeds", "macros", "tests") for p in (project / folder).rglob("*")]
    newest = max((p.stat().st_mtime for p in [*sources, project / "dbt_project.yml"] if p.is_file()), default=0.0)
    if manifest.exists() and manifest.stat().st_mtime >= newest:
        return
    print("dbt project changed: dbt parse")
    env = {**os.environ, "SOSEI_DBT_DB_PATH": str(settings.candidate_db), "DBT_VERSION_CHECK": "false"}
    subprocess.run(
        [
            str(Path(sys.executable).parent / "dbt"),
            "parse",
            "--quiet",
            "--project-dir",
            str(project),
            "--profiles-dir",
            str(project),
        ],
        env=env,
        check=True,
    )


def _current_publication(settings: Settings, instance) -> str | None:
    """The run id of the published warehouse when Dagster's records say it is current (see
    `orchestration.cli.staleness`), else None."""
    if not settings.published_db.exists():
        return None
    if stale_reason(instance, rebuild_version(), raw_file_versions(settings.raw_dir)):
        return None
    return published_run(instance)


def _log_config(verbose: bool) -> dict:
    # Quiet by default: errors only (the summary names what failed); -v shows every Dagster event and dbt line.
    return {"loggers": {"console": {"config": {"log_level": "DEBUG" if verbose else "ERROR"}}}}


def run(settings: Settings, verbose: bool, force: bool, wait: bool) -> int:
    """`sosei build`: 0 when the gate passed and the warehouse is published, 1 when a stage or
    the gate failed, 3 when another build holds the warehouse, 130 when stopped."""
    try:
        summary = repairing_storage(settings, lambda: build(settings, verbose=verbose, force=force, wait=wait))
    except BuildLocked as e:
        print(f"sosei: {e}", file=sys.stderr)
        return 3
    except BuildFailed as e:
        print(f"sosei: FAILED: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt as e:
        print(f"sosei: build stopped ({e or 'interrupted'}); the published warehouse is unchanged", file=sys.stderr)
        return 130
    print_summary(summary)
    return 0 if summary.gate_passed else 1


def build(settings: Settings, verbose: bool = False, force: bool = False, wait: bool = True) -> BuildSummary:
    """One build at a time: register raw/, land what the plan says, rebuild, gate and publish."""
    # Landing draws a progress bar; dbt's per-node lines go to a log file unless -v.
    env = DAGSTER_ENV | {PROGRESS_ENV: "1"}
    env |= {} if verbose else {DBT_LINES_ENV: str(settings.dbt_log_dir / DBT_LINES_FILE)}
    with exclusive_build(settings.warehouse_dir, wait=wait), _stop_on_sigterm(), environment(env):
        return _build(settings, verbose, force)


@contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    """SIGTERM stops a build as Ctrl-C does: workers and dbt are stopped on the way out. (While a
    run executes, Dagster maps SIGTERM to its own interrupt, which forwards SIGINT to dbt; the
    interrupted run is then reported as stopped, not failed: see `stages.was_interrupted`.)"""

    def interrupt(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _build(settings: Settings, verbose: bool, force: bool) -> BuildSummary:
    # Before anything reads the manifest: the Dagster assets and the rebuild's version (the
    # published warehouse's code version, hashed when `defs.publish` is imported).
    _refresh_dbt_manifest(settings)
    entries = scan_raw(settings.raw_dir)
    now = hash_raw(entries, settings.raw_hashes)
    landed, damaged = sound_landed_documents(settings)  # read once per phase: 10,000 files cost a second
    changes = plan(landed, now)
    print(f"raw/: {len(now)} documents ({changes.describe()})")
    for doc_id, reason in damaged.items():
        fate = "landed again" if doc_id in now else "its raw file is gone: removed"
        print(f"  landing damaged: {doc_id}: {reason}; {fate}")
    instance = dagster_instance(settings)
    # Nothing to land or remove: Dagster's records say whether the published warehouse is current
    # (the partitions match the landing records then, or the sensor syncs them).
    published_run = None if force or changes.to_land or changes.removed else _current_publication(settings, instance)
    if published_run:
        print(f"raw → dbt → gate → publish: skipped, nothing changed since run {published_run} (--force rebuilds)")
        return summarise(settings, published_run, True, changes, landed)

    order = sync_partitions(instance, now)
    prune_landing(now, settings, landed)  # a removed report's facts go at this build, whatever is skipped
    for entry in entries.values():
        if entry.rejected and entry.doc_id in changes.to_land:
            print(f"  not read: {entry.doc_id}: {entry.rejected}")
    *earlier, last = _landing_ranges(order, changes.to_land) or [None]
    for first_last in earlier:
        _land(settings, instance, first_last, verbose)
    run_id, success, failure = _rebuild(settings, instance, verbose, last)
    landed = landed_documents(settings) if changes.to_land or changes.removed else landed
    return replace(summarise(settings, run_id, success, changes, landed), failure=failure)


def _landing_ranges(order: list[str], doc_ids: list[str]) -> list[tuple[str, str]]:
    """The partition ranges (in registration order) that cover the documents to land: one run
    each; the last is landed in the rebuild's own run, as the sensor's runs do."""
    return contiguous_ranges(order, {partition_key(d) for d in doc_ids})


def _definitions(settings: Settings):
    # The single-run backfill policy is beta in Dagster 1.13; the build's output says so once, in
    # the README, not on every run.
    warnings.filterwarnings("ignore", category=dg.BetaWarning)
    from orchestration.definitions import build_definitions  # reads the dbt manifest: after its refresh

    return build_definitions(settings)


def _land(settings: Settings, instance, first_last: tuple[str, str], verbose: bool) -> None:
    """A landing-only run for one range of documents, before the range the rebuild lands."""
    started = time.perf_counter()
    result = (
        _definitions(settings)
        .resolve_job_def("sosei_build")
        .execute_in_process(
            instance=instance,
            tags=partition_range_tags(*first_last),
            run_config=_log_config(verbose),
            asset_selection=[LANDED_DOCUMENT],
            raise_on_error=False,
        )
    )
    _raise_unless_success(instance, result, settings)
    print(f"land:      {landing_line(result)} ({time.perf_counter() - started:.1f} s)")
    print_failed_documents(result)


def _raise_unless_success(instance, result, settings: Settings) -> None:
    if was_interrupted(instance, result.run_id):
        raise KeyboardInterrupt("interrupted")
    if not result.success:
        raise BuildFailed(failed_stage(instance, result.run_id, settings))


class BuildFailed(RuntimeError):
    """A stage failed outside the rebuild (which records its failure and publishes nothing)."""


def _rebuild(
    settings: Settings, instance, verbose: bool, landing: tuple[str, str] | None
) -> tuple[str, bool, str | None]:
    """Land the `landing` range of documents (if any), then raw → dbt → gate → publish, in one
    Dagster run; a line per stage; the failed stage named."""
    job = _definitions(settings).resolve_job_def("sosei_build" if landing else "sosei_rebuild")
    from orchestration.defs.publish import record_run_failure  # imported with the definitions

    tags = partition_range_tags(*landing) if landing else {}
    result = job.execute_in_process(instance=instance, tags=tags, run_config=_log_config(verbose), raise_on_error=False)
    landed = bool(landing) and bool(result.asset_materializations_for_node("landed_document"))
    print_stages(instance, result.run_id, {"land": landing_line(result)} if landed else None)
    if landed:
        print_failed_documents(result)
    if was_interrupted(instance, result.run_id):
        raise KeyboardInterrupt("interrupted")
    if result.success:
        return result.run_id, True, None
    failure = failed_stage(instance, result.run_id, settings)
    record_run_failure(instance, result.run_id, SoseiSettings.from_settings(settings), failure)
    return result.run_id, False, failure
