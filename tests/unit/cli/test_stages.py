"""Failed stages named honestly: a full disk is a full disk, a dbt failure names its nodes."""

import errno
import json

import dagster as dg
import duckdb
import pytest

import orchestration.defs.landing_assets as landing_assets
from orchestration.cli.stages import dbt_failures, failed_stage, stage_times, was_interrupted
from orchestration.defs.landing_assets import raw_tables


def test_a_full_disk_while_loading_is_named_so(instance, settings, sosei, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_space(*_args):  # what DuckDB's or the OS's write raises on a full file system
        raise OSError(errno.ENOSPC, "No space left on device", str(settings.candidate_db))

    monkeypatch.setattr(landing_assets, "load_raw_schema", no_space)
    result = dg.materialize([raw_tables], instance=instance, resources={"sosei": sosei}, raise_on_error=False)
    assert not result.success
    reason = failed_stage(instance, result.run_id, settings)
    assert reason.startswith("load raw: the disk is full (")
    assert "No space left on device" in reason
    assert stage_times(instance, result.run_id)["raw_tables"][0] == "failure"
    assert not was_interrupted(instance, result.run_id)


def test_dbt_failures_name_the_model_or_test_and_dbt_message(tmp_path) -> None:
    results = {
        "results": [
            {"unique_id": "model.sosei.int_kpis__identity", "status": "error", "message": "Out of Memory Error"},
            {"unique_id": "test.sosei.assert_observations_reconcile", "status": "fail", "message": "Got 3 results"},
            {"unique_id": "model.sosei.dim_issuer", "status": "success", "message": "OK"},
        ]
    }
    (tmp_path / "run_results.json").write_text(json.dumps(results), encoding="utf-8")
    assert dbt_failures(tmp_path) == [
        "model.sosei.int_kpis__identity: error: Out of Memory Error",
        "test.sosei.assert_observations_reconcile: fail: Got 3 results",
    ]
    assert dbt_failures(tmp_path / "none") == []


def test_a_failed_dbt_test_names_the_documents_behind_it(tmp_path) -> None:
    db = tmp_path / "candidate.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("create table marts_review as select 'a/report.pdf' as doc_id, 3 as page, 'bad' as reason")
    results = {
        "results": [
            {
                "unique_id": "test.sosei.assert_published_text_has_no_host_paths",
                "status": "fail",
                "message": "Got 1 result, configured to fail if != 0",
                "compiled_code": "select doc_id, page, reason from marts_review where reason = 'bad'",
            }
        ]
    }
    (tmp_path / "run_results.json").write_text(json.dumps(results), encoding="utf-8")
    assert dbt_failures(tmp_path, db) == [
        "test.sosei.assert_published_text_has_no_host_paths: fail: Got 1 result, configured to fail if != 0"
        " (rows: doc_id=a/report.pdf page=3)"
    ]
    assert dbt_failures(tmp_path) == [
        "test.sosei.assert_published_text_has_no_host_paths: fail: Got 1 result, configured to fail if != 0"
    ]
