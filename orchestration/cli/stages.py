"""A build's stages as `sosei build` reports them: a line per stage, and the one that failed named
honestly (a dbt failure is dbt's, with its model or test; a full disk is a full disk).

Read from the run's events in the Dagster instance.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import dagster as dg

from orchestration.config import Settings

STAGES = {
    "landed_document": "land",
    "raw_tables": "load raw",
    "sosei_dbt": "dbt build",
    "quality_gate": "gate",
    "published_warehouse": "publish",
}
_DISK_FULL = ("No space left on device", "ENOSPC", "Disk quota exceeded")
_STEP_EVENTS = (
    dg.DagsterEventType.STEP_START,
    dg.DagsterEventType.STEP_SUCCESS,
    dg.DagsterEventType.STEP_FAILURE,
    dg.DagsterEventType.STEP_SKIPPED,
)


def _stage(step_key: str) -> str:
    return STAGES.get(step_key.split("[")[0], step_key)


def stage_times(instance: dg.DagsterInstance, run_id: str) -> dict[str, tuple[str, float]]:
    """step → (outcome, seconds), in the order the steps started."""
    started: dict[str, float] = {}
    outcome: dict[str, tuple[str, float]] = {}
    for entry in instance.all_logs(run_id, of_type=set(_STEP_EVENTS)):
        event, step = entry.dagster_event, entry.step_key
        if event.event_type == dg.DagsterEventType.STEP_START:
            started[step] = entry.timestamp
        else:
            kind = event.event_type.value.removeprefix("STEP_").lower()
            outcome[step] = (kind, entry.timestamp - started.get(step, entry.timestamp))
    return {step: outcome.get(step, ("running", 0.0)) for step in started} | {
        step: value for step, value in outcome.items() if step not in started
    }


def print_stages(instance: dg.DagsterInstance, run_id: str, details: Mapping[str, str] | None = None) -> None:
    """A line per stage: its outcome, or for a stage that succeeded its `details` when given."""
    for step, (outcome, seconds) in stage_times(instance, run_id).items():
        stage = _stage(step)
        text = (details or {}).get(stage, "ok") if outcome == "success" else outcome.upper()
        print(f"{stage + ':':<11}{text} ({seconds:.1f} s)")


def _error_text(error) -> str:
    parts = []
    while error is not None:
        parts.append(f"{error.cls_name}: {error.message.strip()}" if error.cls_name else error.message.strip())
        error = error.cause
    return " ← ".join(parts)


def dbt_failures(target: Path, db_path: Path | None = None) -> list[str]:
    """The models and tests that failed in dbt's last invocation, with dbt's message and, for a
    failed test, the first rows behind it in `db_path` (their document, manifest line …)."""
    from orchestration.quality.failing_rows import failing_rows

    path = target / "run_results.json"
    if not path.is_file():
        return []
    results = json.loads(path.read_text(encoding="utf-8")).get("results", [])
    failed = [r for r in results if r.get("status") in ("error", "fail")]
    rows = {
        r["unique_id"]: failing_rows(r["compiled_code"], db_path)
        for r in failed
        if db_path and r["status"] == "fail" and r.get("compiled_code")
    }
    return [
        f"{r['unique_id']}: {r['status']}: {(r.get('message') or '').strip()}"
        + (f" (rows: {'; '.join(rows[r['unique_id']])})" if rows.get(r["unique_id"]) else "")
        for r in failed
    ]


def was_interrupted(instance: dg.DagsterInstance, run_id: str) -> bool:
    """Whether the run ended because it was interrupted (SIGINT, or SIGTERM that Dagster maps to it)."""
    failures = instance.all_logs(run_id, of_type={dg.DagsterEventType.STEP_FAILURE, dg.DagsterEventType.RUN_FAILURE})
    for entry in failures:
        data = entry.dagster_event.event_specific_data
        error = getattr(data, "error", None)
        if "Interrupt" in (_error_text(error) if error else "") or "interrupt" in (entry.dagster_event.message or ""):
            return True
    return False


def failed_stage(instance: dg.DagsterInstance, run_id: str, settings: Settings) -> str:
    """The stage that failed and why, in one line."""
    failures = instance.all_logs(run_id, of_type=dg.DagsterEventType.STEP_FAILURE)
    if failures:
        entry = failures[0]
        text = _error_text(entry.dagster_event.step_failure_data.error)
        if any(marker in text for marker in _DISK_FULL):
            return f"{_stage(entry.step_key)}: the disk is full ({text[:300]})"
        if _stage(entry.step_key) == STAGES["sosei_dbt"]:
            nodes = dbt_failures(settings.dbt_target_dir, settings.candidate_db)
            return f"dbt build: {'; '.join(nodes) if nodes else text[:500]}"
        return f"{_stage(entry.step_key)}: {text[:500]}"
    from orchestration.defs.publish import failed_checks

    failed = failed_checks(instance, run_id)
    if failed:
        details = "; ".join(f"{name}: {failed[name].get('details', '')[:300]}" for name in sorted(failed))
        return f"gate: {len(failed)} suite(s) failed: {details} (see the Data Docs)"
    return "the run failed before any stage ran"
