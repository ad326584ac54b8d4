"""The jobs, in one process each (DuckDB has one writer, and dbt runs after the raw load).

- `sosei_build`: land the documents of a partition range → raw → dbt → gate → publish.
- `sosei_rebuild`: everything after landing, for runs that land nothing (a removed file).
"""

import dagster as dg

from orchestration.defs.keys import LANDED_DOCUMENT

_EVERYTHING = dg.AssetSelection.all()

sosei_build = dg.define_asset_job(
    "sosei_build",
    selection=_EVERYTHING,
    executor_def=dg.in_process_executor,
    description="Land the requested documents, reload the raw schema, build dbt, gate and publish.",
)
sosei_rebuild = dg.define_asset_job(
    "sosei_rebuild",
    selection=_EVERYTHING - dg.AssetSelection.assets(LANDED_DOCUMENT),
    executor_def=dg.in_process_executor,
    description="Reload the raw schema from landing/, build dbt, gate and publish.",
)
