"""Publication: the audited candidate replaces the published warehouse; every run is recorded."""

import dagster as dg
from dagster import AssetExecutionContext

from orchestration.defs.dbt import sosei_dbt
from orchestration.defs.gate import gate_of_run
from orchestration.defs.jobs import sosei_build, sosei_rebuild
from orchestration.defs.keys import PUBLISHED_WAREHOUSE
from orchestration.defs.resources import SoseiSettings
from orchestration.land.store import landed_documents
from orchestration.publish.rebuild_version import rebuild_version
from orchestration.publish.release import publish, record_failed_run

REBUILD_VERSION = rebuild_version()


@dg.asset(
    key=PUBLISHED_WAREHOUSE,
    code_version=REBUILD_VERSION,  # compared with at the next build: `staleness`
    deps=list(sosei_dbt.keys),  # every model, so that any blocking check on one stops publication
    group_name="publish",
    kinds={"duckdb", "parquet"},
    description="The published warehouse (published/sosei.duckdb + parquet), replaced atomically "
    "by a candidate that passed the gate.",
)
def published_warehouse(context: AssetExecutionContext, sosei: SoseiSettings) -> dg.MaterializeResult:
    settings = sosei.settings()
    documents = len(landed_documents(settings))
    gate = gate_of_run(context.instance, context.run_id)
    if gate["missing_suites"]:
        raise dg.Failure(
            "the gate's checks did not run in this run: materialise the published "
            f"warehouse with its checks (missing: {', '.join(gate['missing_suites'])})"
        )
    if not gate["passed"]:
        record_failed_run(settings.runs_dir, context.run_id, documents, gate)
        raise dg.Failure(
            "the gate failed; the published warehouse is unchanged", metadata={"data_docs": str(gate["data_docs"])}
        )
    record = publish(
        settings.candidate_db,
        settings.published_dir,
        context.run_id,
        documents,
        gate,
        settings.runs_dir,
        code_version=REBUILD_VERSION,
    )
    return dg.MaterializeResult(
        metadata={
            "published_db": dg.MetadataValue.path(record.published_db),
            "parquet_dir": dg.MetadataValue.path(record.parquet_dir),
            "data_docs": dg.MetadataValue.path(str(gate["data_docs"])),
            "documents": documents,
            "row_counts": dg.MetadataValue.json(record.row_counts),
        }
    )


def failed_checks(instance: dg.DagsterInstance, run_id: str) -> dict[str, dict]:
    """The asset checks that failed in a run, with their metadata, for its run record."""
    records = instance.get_records_for_run(run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION).records
    failed = {}
    for record in records:
        evaluation = record.event_log_entry.dagster_event.event_specific_data
        if not evaluation.passed:
            failed[evaluation.check_name] = {k: v.value for k, v in evaluation.metadata.items()}
    return failed


def record_run_failure(instance: dg.DagsterInstance, run_id: str, sosei: SoseiSettings, reason: str) -> None:
    settings = sosei.settings()
    if (settings.runs_dir / f"{run_id}.json").exists():
        return  # the publish asset recorded it, with the full gate result
    gate = {"passed": False, "reason": reason, "failed_checks": failed_checks(instance, run_id)}
    record_failed_run(settings.runs_dir, run_id, len(landed_documents(settings)), gate)


@dg.run_failure_sensor(monitored_jobs=[sosei_build, sosei_rebuild], description="Records every failed build in runs/.")
def record_failed_builds(context: dg.RunFailureSensorContext, sosei: SoseiSettings) -> None:
    record_run_failure(
        context.instance, context.dagster_run.run_id, sosei, context.failure_event.message or "run failed"
    )
