"""Whether the published warehouse is current, decided from Dagster's records.

The published warehouse is current when its last materialization
- carries the code version the published warehouse has now (`rebuild_version`: the code between
  landing and the release),
- came after every materialization of a landed document, and
- came after the last load of the raw manifest and corrections, which read raw/manifest.csv and
  raw/corrections.csv at their present data versions (sha256).
A build whose documents are all landed asks this before it starts a run. Only public instance
methods are used; the landed documents themselves are planned by `orchestration.land.registry`.
"""

import dagster as dg

from orchestration.defs.keys import LANDED_DOCUMENT, PUBLISHED_WAREHOUSE, raw_table

DATA_VERSION_TAG = "dagster/data_version"  # the tag Dagster stores a materialization's data version in


def _latest(instance: dg.DagsterInstance, key: dg.AssetKey) -> dg.EventLogRecord | None:
    records = instance.fetch_materializations(key, limit=1).records
    return records[0] if records else None


def _materialized_since(instance: dg.DagsterInstance, key: dg.AssetKey, storage_id: int) -> bool:
    records_filter = dg.AssetRecordsFilter(asset_key=key, after_storage_id=storage_id)
    return bool(instance.fetch_materializations(records_filter, limit=1).records)


def stale_reason(instance: dg.DagsterInstance, code_version: str, file_versions: dict[str, str]) -> str | None:
    """Why the published warehouse is stale, or None when its last materialization is current.
    `file_versions`: the data version of each hand-kept file of raw/ by its raw table
    (`registry.raw_file_versions`: manifest, corrections)."""
    published = _latest(instance, PUBLISHED_WAREHOUSE)
    if published is None:
        return "never published"
    if instance.get_latest_materialization_code_versions([PUBLISHED_WAREHOUSE])[PUBLISHED_WAREHOUSE] != code_version:
        return "the code after landing changed"
    if _materialized_since(instance, LANDED_DOCUMENT, published.storage_id):
        return "documents landed since the last publish"
    for table, version in file_versions.items():
        loaded = _latest(instance, raw_table(table))
        if loaded is None or loaded.storage_id > published.storage_id:
            return f"raw/{table}.csv loaded since the last publish"
        if loaded.asset_materialization.tags.get(DATA_VERSION_TAG) != version:
            return f"raw/{table}.csv changed"
    return None


def published_run(instance: dg.DagsterInstance) -> str:
    """The run that materialised the published warehouse last."""
    published = _latest(instance, PUBLISHED_WAREHOUSE)
    return published.run_id if published else ""
