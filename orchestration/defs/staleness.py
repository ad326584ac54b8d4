"""Whether the published warehouse is current, decided from Dagster's records.

The published warehouse is current when its last materialization
- carries the code version the published warehouse has now (`rebuild_version`: the code between
  landing and the release),
- came after every materialization of a landed document, and
- came after the raw manifest's last load, which read raw/manifest.csv at its present data
  version (sha256).
A build whose documents are all landed asks this before it starts a run. Only public instance
methods are used; the landed documents themselves are planned by `orchestration.registry`.
"""

import dagster as dg

from orchestration.defs.keys import LANDED_DOCUMENT, PUBLISHED_WAREHOUSE, RAW_MANIFEST

DATA_VERSION_TAG = "dagster/data_version"  # the tag Dagster stores a materialization's data version in


def _latest(instance: dg.DagsterInstance, key: dg.AssetKey) -> dg.EventLogRecord | None:
    records = instance.fetch_materializations(key, limit=1).records
    return records[0] if records else None


def _materialized_since(instance: dg.DagsterInstance, key: dg.AssetKey, storage_id: int) -> bool:
    records_filter = dg.AssetRecordsFilter(asset_key=key, after_storage_id=storage_id)
    return bool(instance.fetch_materializations(records_filter, limit=1).records)


def stale_reason(instance: dg.DagsterInstance, code_version: str, manifest_version: str) -> str | None:
    """Why the published warehouse is stale, or None when its last materialization is current."""
    published = _latest(instance, PUBLISHED_WAREHOUSE)
    if published is None:
        return "never published"
    if instance.get_latest_materialization_code_versions([PUBLISHED_WAREHOUSE])[PUBLISHED_WAREHOUSE] != code_version:
        return "the code after landing changed"
    if _materialized_since(instance, LANDED_DOCUMENT, published.storage_id):
        return "documents landed since the last publish"
    manifest = _latest(instance, RAW_MANIFEST)
    if manifest is None or manifest.storage_id > published.storage_id:
        return "raw/manifest.csv loaded since the last publish"
    if manifest.asset_materialization.tags.get(DATA_VERSION_TAG) != manifest_version:
        return "raw/manifest.csv changed"
    return None


def published_run(instance: dg.DagsterInstance) -> str:
    """The run that materialised the published warehouse last."""
    published = _latest(instance, PUBLISHED_WAREHOUSE)
    return published.run_id if published else ""
