"""The published warehouse is current or stale according to Dagster's records alone."""

import dagster as dg
import pytest

from orchestration.cli.staleness import published_run, stale_reason
from orchestration.defs.keys import LANDED_DOCUMENT, PUBLISHED_WAREHOUSE, RAW_MANIFEST, raw_table


@dg.asset(key=LANDED_DOCUMENT)
def landed() -> None: ...


@dg.asset(key=RAW_MANIFEST)
def manifest() -> dg.MaterializeResult:
    return dg.MaterializeResult(data_version=dg.DataVersion("sha-1"))


@dg.asset(key=raw_table("corrections"))
def corrections() -> dg.MaterializeResult:
    return dg.MaterializeResult(data_version=dg.DataVersion("none"))


@dg.asset(key=PUBLISHED_WAREHOUSE, code_version="v1", deps=[landed, manifest, corrections])
def published() -> None: ...


def versions(manifest: str = "sha-1", corrections: str = "none") -> dict[str, str]:
    return {"manifest": manifest, "corrections": corrections}


@pytest.fixture
def instance() -> dg.DagsterInstance:
    with dg.DagsterInstance.ephemeral() as instance:
        yield instance


def test_current_after_a_publish_and_stale_for_each_cause(instance: dg.DagsterInstance) -> None:
    assert stale_reason(instance, "v1", versions()) == "never published"
    result = dg.materialize([landed, manifest, corrections, published], instance=instance)
    assert stale_reason(instance, "v1", versions()) is None
    assert published_run(instance) == result.run_id
    assert stale_reason(instance, "v2", versions()) == "the code after landing changed"
    assert stale_reason(instance, "v1", versions("sha-2")) == "raw/manifest.csv changed"
    assert stale_reason(instance, "v1", versions(corrections="sha-3")) == "raw/corrections.csv changed"
    dg.materialize([landed], instance=instance)
    assert stale_reason(instance, "v1", versions()) == "documents landed since the last publish"


def test_a_manifest_loaded_by_a_run_that_did_not_publish_is_stale(instance: dg.DagsterInstance) -> None:
    dg.materialize([landed, manifest, corrections, published], instance=instance)
    dg.materialize([manifest], instance=instance)  # e.g. a rebuild whose gate failed
    assert stale_reason(instance, "v1", versions()) == "raw/manifest.csv loaded since the last publish"
