"""sosei's one Dagster `Definitions`: `dagster dev -m orchestration.definitions` shows it all."""

import dagster as dg

from orchestration.config import Settings
from orchestration.defs.dbt import dbt_resource, sosei_dbt
from orchestration.defs.gate import quality_gate
from orchestration.defs.jobs import sosei_build, sosei_rebuild
from orchestration.defs.landing_assets import landed_document, raw_tables
from orchestration.defs.publish import published_warehouse, record_failed_builds
from orchestration.defs.resources import SoseiSettings
from orchestration.defs.schedules import annual_refresh
from orchestration.defs.sensors import raw_files_sensor


def build_definitions(settings: Settings) -> dg.Definitions:
    return dg.Definitions(
        assets=[landed_document, raw_tables, sosei_dbt, published_warehouse],
        asset_checks=[quality_gate],
        jobs=[sosei_build, sosei_rebuild],
        sensors=[raw_files_sensor, record_failed_builds],
        schedules=[annual_refresh],
        resources={"sosei": SoseiSettings.from_settings(settings), "dbt": dbt_resource()},
    )


defs = build_definitions(Settings.from_env())
