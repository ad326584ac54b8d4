"""Asset keys that code beside the asset definitions names: the build's plan, its jobs, staleness."""

import dagster as dg

LANDED_DOCUMENT = dg.AssetKey("landed_document")
PUBLISHED_WAREHOUSE = dg.AssetKey("published_warehouse")


def raw_table(table: str) -> dg.AssetKey:
    """A table of the candidate's `raw` schema."""
    return dg.AssetKey(["raw", table])


RAW_MANIFEST = raw_table("manifest")
