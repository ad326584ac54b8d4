"""The quality gate: one blocking asset check per expectation suite of `orchestration.quality`.

A failing check stops `published_warehouse` in the same run, so BI tools keep the last good one.
"""

import dagster as dg
from dagster_dbt import get_asset_key_for_model

from orchestration.defs.dbt import sosei_dbt
from orchestration.defs.resources import SoseiSettings
from orchestration.quality.catalog import SUITES, SuiteSpec

# Suites on the landed extracts read dbt's reference seeds too, so they are evaluated once dbt
# has built; they then guard the fact table that publication is about.
_RAW_SUITES_CHECKED_ON = "fct_kpi_observation"


def checked_asset(spec: SuiteSpec) -> dg.AssetKey:
    schema, table = spec.relation.split(".", 1)
    return get_asset_key_for_model([sosei_dbt], _RAW_SUITES_CHECKED_ON if schema == "raw" else table)


def _gate_check(spec: SuiteSpec) -> dg.AssetChecksDefinition:
    @dg.asset_check(asset=checked_asset(spec), name=spec.name, blocking=True,
                    description=f"{spec.description} (GX suite `{spec.name}` on {spec.relation})")
    def _check(sosei: SoseiSettings) -> dg.AssetCheckResult:
        from orchestration.quality.gate import validate_suite  # GX import costs seconds: only when run

        settings = sosei.settings()
        outcome = validate_suite(settings.candidate_db, spec.name, settings.warehouse_dir / "quality")
        return dg.AssetCheckResult(
            passed=outcome.passed, metadata=outcome.metadata,
            severity=dg.AssetCheckSeverity.ERROR)

    return _check


gate_checks = [_gate_check(spec) for spec in SUITES.values()]
