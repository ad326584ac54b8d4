"""The quality gate: every expectation suite of `orchestration.quality` as a blocking asset check.

One check op validates all suites at once (one GX context, Data Docs built once) and reports one
check result per suite on the asset the suite is about. A failing check stops
`published_warehouse` in the same run, so BI tools keep the last good warehouse.
"""

from typing import Any

import dagster as dg
from dagster import AssetCheckExecutionContext
from dagster_dbt import get_asset_key_for_model

from orchestration.defs.dbt import sosei_dbt
from orchestration.defs.resources import SoseiSettings
from orchestration.quality import preload
from orchestration.quality.catalog import SUITES, SuiteSpec

# Suites on the landed extracts read dbt's reference seeds too, so they are evaluated once dbt
# has built; they then guard the fact table that publication is about.
_RAW_SUITES_CHECKED_ON = "fct_kpi_observation"
GATE_VALIDATED_AT = "gate_validated_at"


def checked_asset(spec: SuiteSpec) -> dg.AssetKey:
    schema, table = spec.relation.split(".", 1)
    return get_asset_key_for_model([sosei_dbt], _RAW_SUITES_CHECKED_ON if schema == "raw" else table)


@dg.multi_asset_check(
    specs=[
        dg.AssetCheckSpec(
            spec.name,
            asset=checked_asset(spec),
            blocking=True,
            description=f"Quality gate (GX suite on {spec.relation}, blocks publication): {spec.description}",
        )
        for spec in SUITES.values()
    ],
    name="quality_gate",
)
def quality_gate(context: AssetCheckExecutionContext, sosei: SoseiSettings):
    preload.wait()  # the dbt asset may have begun importing GX (seconds) while dbt ran
    from orchestration.quality.gate import run_gate  # GX import costs seconds: only when run

    settings = sosei.settings()
    gate = run_gate(settings.candidate_db, settings.quality_dir, run_name=context.op_execution_context.run_id)
    context.log.info(f"gate {'passed' if gate.passed else 'FAILED'}; Data Docs: {gate.data_docs}")
    # Publication reads these results back from Dagster's event log (`gate_of_run`).
    shared = {GATE_VALIDATED_AT: gate.validated_at, "data_docs": dg.MetadataValue.path(str(gate.data_docs))}
    for outcome in gate.suites:
        yield dg.AssetCheckResult(
            check_name=outcome.suite,
            asset_key=checked_asset(SUITES[outcome.suite]),
            passed=outcome.passed,
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={**outcome.metadata, **shared},
        )


def gate_of_run(instance: dg.DagsterInstance, run_id: str) -> dict[str, Any]:
    """The gate's result in a run, from its asset check evaluations: the shape of
    `GateResult.summary()` that run records keep. A run without them did not pass the gate."""
    records = instance.get_records_for_run(run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION).records
    evaluations = [
        e for r in records if (e := r.event_log_entry.dagster_event.event_specific_data).check_name in SUITES
    ]  # dbt's tests are asset checks too
    suites = {
        e.check_name: {"passed": e.passed, **{k: v.value for k, v in e.metadata.items() if k != GATE_VALIDATED_AT}}
        for e in evaluations
    }
    first = suites[evaluations[0].check_name] if evaluations else {}
    return {
        "passed": set(suites) == set(SUITES) and all(s["passed"] for s in suites.values()),
        "validated_at": evaluations[0].metadata[GATE_VALIDATED_AT].value if evaluations else None,
        "data_docs": first.get("data_docs"),
        "suites": suites,
        "missing_suites": sorted(set(SUITES) - set(suites)),
    }
