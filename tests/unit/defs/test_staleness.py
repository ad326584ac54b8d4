"""The published warehouse is current or stale according to Dagster's records alone."""

import dagster as dg
import pytest

from orchestration.defs.keys import LANDED_DOCUMENT, PUBLISHED_WAREHOUSE, RAW_MANIFEST
from orchestration.defs.staleness import published_run, stale_reason


@dg.asset(key=LANDED_DOCUMENT)
def landed() -> None: ...


@dg.asset(key=RAW_MANIFEST)
def manifest() -> dg.MaterializeResult:
    return dg.MaterializeResult(data_version=dg.DataVersion("sha-1"))


@dg.asset(key=PUBLISHED_WAREHOUSE, code_version="v1", deps=[landed, manifest])
def published() -> None: ...


@pytest.fixture
def instance() -> dg.DagsterInstance:
    with dg.DagsterInstance.ephemeral() as instance:
        yield instance


def test_current_after_a_publish_and_stale_for_each_cause(instance: dg.DagsterInstance) -> None:
    assert stale_reason(instance, "v1", "sha-1") == "never published"
    result = dg.materialize([landed, manifest, published], instance=instance)
    assert stale_reason(instance, "v1", "sha-1") is None
    assert published_run(instance) == result.run_id
    assert stale_reason(instance, "v2", "sha-1") == "the code after landing changed"
    assert stale_reason(instance, "v1", "sha-2") == "raw/manifest.csv changed"
    dg.materialize([landed], instance=instance)
    assert stale_reason(instance, "v1", "sha-1") == "documents landed since the last publish"


def test_a_manifest_loaded_by_a_run_that_did_not_publish_is_stale(instance: dg.DagsterInstance) -> None:
    dg.materialize([landed, manifest, published], instance=instance)
    dg.materialize([manifest], instance=instance)  # e.g. a rebuild whose gate failed
    assert stale_reason(instance, "v1", "sha-1") == "raw/manifest.csv loaded since the last publish"
