"""The per-document landing asset, materialised by Dagster over partitions of the sample corpus."""

import dagster as dg
import pytest

import orchestration.defs.landing_assets as landing_assets
from orchestration.config import DAGSTER_ENV
from orchestration.defs.landing_assets import landed_document, raw_tables
from orchestration.defs.partitions import DOCUMENTS, partition_range_tags
from orchestration.land.store import landed_documents, landing_path


def _land(instance, sosei, first: str, last: str) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [landed_document],
        instance=instance,
        resources={"sosei": sosei},
        tags=partition_range_tags(first, last),
        raise_on_error=False,
    )


def test_one_run_lands_a_range_of_documents(instance, settings, sosei, sample_docs) -> None:
    names = sample_docs(3)
    result = _land(instance, sosei, names[0], names[-1])
    assert result.success
    [materialization] = result.asset_materializations_for_node("landed_document")[-1:]
    assert materialization.metadata["documents"].value == 3
    landed = landed_documents(settings)
    assert set(landed) == set(names)
    assert all(d.read_status == "ok" for d in landed.values())
    assert materialization.metadata["observations"].value == sum(d.n_observations for d in landed.values())
    assert materialization.metadata["observations"].value > 0


def test_a_changed_file_re_lands_only_its_partition(instance, settings, sosei, sample_docs) -> None:
    names = sample_docs(3)
    assert _land(instance, sosei, names[0], names[-1]).success
    before = {n: landing_path(settings, "documents", n).stat().st_mtime_ns for n in names}
    changed = names[1]
    (settings.raw_dir / changed).write_text("交付金名称 なし\n", encoding="utf-8")
    result = dg.materialize([landed_document], instance=instance, resources={"sosei": sosei}, partition_key=changed)
    assert result.success
    after = {n: landing_path(settings, "documents", n).stat().st_mtime_ns for n in names}
    assert [n for n in names if after[n] != before[n]] == [changed]
    assert landed_documents(settings)[changed].n_observations == 0


def test_a_document_that_keeps_failing_lands_as_an_error_and_the_rest_land(
    instance, settings, sosei, sample_docs, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = sample_docs(2)
    real_land_many = landing_assets.land_many
    calls: list[str] = []

    def flaky(entries, settings):  # a transient failure, so that Dagster's retries are exercised
        calls.extend(e.doc_id for e in entries)
        yield from ((e.doc_id, None, "OSError: device not ready") for e in entries if e.doc_id == names[0])
        yield from real_land_many([e for e in entries if e.doc_id != names[0]], settings)

    monkeypatch.setattr(landing_assets, "land_many", flaky)
    result = _land(instance, sosei, names[0], names[-1])
    assert result.success
    landed = landed_documents(settings)
    assert landed[names[0]].read_status == "error"
    assert "failed 3 times" in landed[names[0]].error and "device not ready" in landed[names[0]].error
    assert landed[names[1]].read_status == "ok"
    assert calls.count(names[0]) == 3  # first try + 2 retries
    assert calls.count(names[1]) == 1  # landed once, not again on retries


def test_a_document_over_a_limit_lands_its_reason_without_retries(
    instance, settings, sosei, sample_docs, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = sample_docs(2)
    monkeypatch.setenv("SOSEI_DOC_TIMEOUT", "0.001")  # nothing is read that fast
    result = _land(instance, sosei, names[0], names[-1])
    assert result.success
    landed = landed_documents(settings)
    assert all(landed[n].read_status == "error" for n in names)
    assert all(landed[n].error == f"{n}: exceeded the time limit (0.001 s)" for n in names)
    assert len(result.get_step_success_events()) == 1  # no retry: a limit would be hit again


def test_raw_tables_drop_documents_no_longer_registered(instance, settings, sosei, sample_docs) -> None:
    names = sample_docs(2)
    assert _land(instance, sosei, names[0], names[-1]).success
    instance.delete_dynamic_partition(DOCUMENTS, names[0])
    result = dg.materialize([raw_tables], instance=instance, resources={"sosei": sosei})
    documents = next(
        m
        for m in result.asset_materializations_for_node("raw_tables")
        if m.asset_key == dg.AssetKey(["raw", "documents"])
    )
    assert documents.metadata["removed_documents"].value == [names[0]]
    assert documents.metadata["dagster/row_count"].value == 1
    assert set(landed_documents(settings)) == {names[1]}


def test_with_soseis_dagster_settings_a_landing_run_plans_its_range_in_one_event(
    instance, sosei, sample_docs, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One planned event per document is one sqlite write each: 10,000 for a fresh national build."""
    for name, value in DAGSTER_ENV.items():
        monkeypatch.setenv(name, value)
    names = sample_docs(3)
    result = _land(instance, sosei, names[0], names[-1])
    planned = instance.all_logs(result.run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION_PLANNED)
    assert result.success and len(planned) == 1
    assert len(result.asset_materializations_for_node("landed_document")) == 3  # still one per document
