"""The quality gate: every expectation suite of `orchestration.quality` as a blocking asset check.

One check op validates all suites at once (one GX context, Data Docs built once) and reports one
check result per suite on the asset the suite is about. A failing check stops
`published_warehouse` in the same run, so BI tools keep the last good warehouse.
"""

import json
from pathlib import Path

import dagster as dg
from dagster import AssetCheckExecutionContext
from dagster_dbt import get_asset_key_for_model

from orchestration.config import Settings
from orchestration.defs.dbt import sosei_dbt
from orchestration.defs.resources import SoseiSettings
from orchestration.quality.catalog import SUITES, SuiteSpec

# Suites on the landed extracts read dbt's reference seeds too, so they are evaluated once dbt
# has built; they then guard the fact table that publication is about.
_RAW_SUITES_CHECKED_ON = "fct_kpi_observation"


def checked_asset(spec: SuiteSpec) -> dg.AssetKey:
    schema, table = spec.relation.split(".", 1)
    return get_asset_key_for_model([sosei_dbt], _RAW_SUITES_CHECKED_ON if schema == "raw" else table)


def quality_dir(settings: Settings) -> Path:
    return settings.warehouse_dir / "quality"


def gate_summary_path(settings: Settings, run_id: str) -> Path:
    """Where a run's gate result is kept for the publish step (and the run record)."""
    return quality_dir(settings) / "gate" / f"{run_id}.json"


@dg.multi_asset_check(
    specs=[dg.AssetCheckSpec(spec.name, asset=checked_asset(spec), blocking=True,
                             description=f"Quality gate (GX suite on {spec.relation}, blocks publication): "
                                         f"{spec.description}")
           for spec in SUITES.values()],
    name="quality_gate",
)
def quality_gate(context: AssetCheckExecutionContext, sosei: SoseiSettings):
    from orchestration.quality.gate import run_gate  # GX import costs seconds: only when run

    settings = sosei.settings()
    gate = run_gate(settings.candidate_db, quality_dir(settings))
    path = gate_summary_path(settings, context.run.run_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(gate.summary(), ensure_ascii=False, indent=2), encoding="utf-8")
    context.log.info(f"gate {'passed' if gate.passed else 'FAILED'}; Data Docs: {gate.data_docs}")
    for outcome in gate.suites:
        yield dg.AssetCheckResult(
            check_name=outcome.suite, asset_key=checked_asset(SUITES[outcome.suite]),
            passed=outcome.passed, severity=dg.AssetCheckSeverity.ERROR, metadata=outcome.metadata)
