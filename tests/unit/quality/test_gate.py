"""The gate on candidates built by the real dbt project, and what it lets through to publication."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from orchestration.config import REPO_ROOT
from orchestration.publish.release import fingerprint, publish, record_failed_run
from orchestration.quality import catalog
from orchestration.quality.gate import run_gate, validate_suite
from orchestration.quality.rules import current_fiscal_year

DUPLICATED_TABLE = """
insert into raw.kpi_observations
select * replace (observation_id || '-again' as observation_id, seq + 100000 as seq)
from raw.kpi_observations
where doc_id = (select min(doc_id) from raw.kpi_observations)
"""

# The report prints 円; the extractor landed 千円.
TARGET_IN_WRONG_SCALE = """
update raw.kpi_observations
set unit = '千円', fragment = '目標 ' || value_text || ' 円'
where observation_id = (select min(observation_id) from raw.kpi_observations
                        where measure = 'target' and value is not null)
"""

# An actual for a year that has not happened: a row-level fault the dbt models quarantine.
FUTURE_ACTUAL = """
insert into raw.kpi_observations
select * replace (observation_id || '-future' as observation_id, seq + 100000 as seq,
                  2099 as fiscal_year)
from raw.kpi_observations
where observation_id = (select min(observation_id) from raw.kpi_observations where measure = 'actual')
"""


def _errors(result, suite: str) -> list[str]:
    return [f.describe() for o in result.suites if o.suite == suite for f in o.errors]


@pytest.fixture
def published(tmp_path, clean_candidate) -> Path:
    """A warehouse already published from a clean candidate (what a failed run must not touch)."""
    gate = run_gate(clean_candidate, tmp_path / "quality")
    publish(clean_candidate, tmp_path / "published", "run-1", 5, gate.summary(), tmp_path / "runs")
    return tmp_path / "published"


def test_clean_candidate_passes_every_suite_and_publishes(tmp_path, clean_candidate):
    gate = run_gate(clean_candidate, tmp_path / "quality")

    assert gate.passed, json.dumps(gate.summary(), ensure_ascii=False, indent=1)
    assert [o.suite for o in gate.suites] == list(catalog.SUITES)
    record = publish(clean_candidate, tmp_path / "published", "run-1", 5, gate.summary(), tmp_path / "runs")
    with duckdb.connect(str(clean_candidate), read_only=True) as con:
        landed = con.execute("select count(*) from raw.kpi_observations").fetchone()[0]
    assert record.row_counts["fct_kpi_observation"] == landed > 0


def _repo_results() -> set[Path]:
    uncommitted = REPO_ROOT / "expectations" / "gx" / "uncommitted"
    return {p for p in uncommitted.rglob("*") if p.suffix in (".html", ".json")}


def test_data_docs_are_written_under_the_callers_directory_and_name_the_suites(tmp_path, clean_candidate):
    in_repo_before = _repo_results()

    gate = run_gate(clean_candidate, tmp_path / "quality")

    assert gate.data_docs.is_file() and gate.data_docs.is_relative_to(tmp_path)
    index = gate.data_docs.read_text(encoding="utf-8")
    for suite in catalog.SUITES:
        assert suite in index
    site = gate.data_docs.parent
    validated = {p.relative_to(site / "validations").parts[0] for p in site.glob("validations/**/*.html")}
    assert validated == set(catalog.SUITES)
    assert _repo_results() == in_repo_before


@pytest.mark.parametrize(
    ("fault", "caught_by"),
    [
        # The dbt models quarantine the repeated rows; the gate still blocks, on the landed data.
        (DUPLICATED_TABLE, {"raw_kpi_observations": "expect_compound_columns_to_be_unique"}),
        (TARGET_IN_WRONG_SCALE, {"raw_kpi_observations": "unit_scale_contradicts_fragment"}),
    ],
    ids=["duplicated_table", "target_in_wrong_scale"],
)
def test_batch_fault_fails_the_gate_and_leaves_the_published_warehouse_untouched(
    tmp_path, published, candidate_with, fault, caught_by
):
    before = fingerprint(published)
    candidate = candidate_with(fault)

    gate = run_gate(candidate, tmp_path / "quality")

    assert not gate.passed
    for suite, expectation in caught_by.items():
        assert any(expectation in e for e in _errors(gate, suite)), gate.summary()["suites"][suite]
    record = record_failed_run(tmp_path / "runs", "run-2", 5, gate.summary())
    assert fingerprint(published) == before
    saved = json.loads((tmp_path / "runs" / "run-2.json").read_text(encoding="utf-8"))
    assert saved["status"] == "failed" == record.status
    assert all(saved["gate"]["suites"][suite]["errors"] for suite in caught_by)


def test_wrong_scale_names_the_observation(tmp_path, candidate_with):
    candidate = candidate_with(TARGET_IN_WRONG_SCALE)
    with duckdb.connect(str(candidate), read_only=True) as con:
        (bad_id,) = con.execute(
            "select observation_id from raw.kpi_observations "
            "where unit = '千円' and fragment like '%円' "
            "and fragment not like '%千円%'"
        ).fetchone()

    outcome = validate_suite(candidate, "raw_kpi_observations", tmp_path / "quality")

    (failure,) = [f for f in outcome.errors if f.kwargs.get("column") == "unit_scale_contradicts_fragment"]
    assert failure.rows == [bad_id]
    assert outcome.metadata["failed_errors"] == 1 and bad_id in outcome.metadata["details"]


def test_row_level_fault_is_quarantined_with_its_reason_and_the_rest_publishes(tmp_path, candidate_with):
    candidate = candidate_with(FUTURE_ACTUAL)

    gate = run_gate(candidate, tmp_path / "quality")

    assert gate.passed, gate.summary()
    raw = next(o for o in gate.suites if o.suite == "raw_kpi_observations")
    assert any(w.kwargs["column"] == "actual_fiscal_year" and w.examples == [2099] for w in raw.warnings)
    record = publish(candidate, tmp_path / "published", "run-1", 5, gate.summary(), tmp_path / "runs")
    assert record.row_counts["quarantine_kpi_observation"] == 1
    with duckdb.connect(str(tmp_path / "published" / "sosei.duckdb"), read_only=True) as con:
        (reason,) = con.execute(
            "select quarantine_reason from marts.quarantine_kpi_observation where observation_id like '%-future'"
        ).fetchone()
        published_future = con.execute(
            "select count(*) from marts.fct_kpi_observation where fiscal_year = 2099"
        ).fetchone()[0]
    assert "2099" in reason and "future" in reason
    assert published_future == 0
    assert record.row_counts["fct_kpi_observation"] > 0


def test_too_many_quarantined_observations_block_publication(tmp_path, candidate_with):
    # Half the actuals in an impossible year: the extraction itself is off.
    candidate = candidate_with(
        "update raw.kpi_observations set fiscal_year = 2099 where measure = 'actual' and seq % 2 = 0"
    )

    gate = run_gate(candidate, tmp_path / "quality", suites=["reconciliation"])

    assert not gate.passed
    assert any("quarantine_share" in e for e in _errors(gate, "reconciliation"))


def test_observations_lost_between_raw_and_marts_fail_reconciliation(tmp_path, clean_candidate):
    candidate = tmp_path / "candidate.duckdb"
    shutil.copy(clean_candidate, candidate)
    with duckdb.connect(str(candidate)) as con:
        con.execute(
            "delete from marts.fct_kpi_observation where observation_id in "
            "(select observation_id from marts.fct_kpi_observation limit 3)"
        )

    gate = run_gate(candidate, tmp_path / "quality", suites=["reconciliation"])

    (error,) = _errors(gate, "reconciliation")
    assert "landed,accounted" in error


def test_a_missing_mart_is_a_failure_that_names_it(tmp_path, clean_candidate):
    candidate = tmp_path / "candidate.duckdb"
    shutil.copy(clean_candidate, candidate)
    with duckdb.connect(str(candidate)) as con:
        con.execute("drop table marts.review_queue")

    outcome = validate_suite(candidate, "review_queue", tmp_path / "quality")

    assert not outcome.passed
    assert str(candidate) in outcome.problem and "marts.review_queue" in outcome.problem


def test_a_missing_candidate_is_an_error_naming_the_file(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"nowhere\.duckdb"):
        run_gate(tmp_path / "nowhere.duckdb", tmp_path / "quality")


def test_the_gate_holds_no_lock_on_the_candidate_afterwards(tmp_path, clean_candidate):
    candidate = tmp_path / "candidate.duckdb"
    shutil.copy(clean_candidate, candidate)
    run_gate(candidate, tmp_path / "quality", suites=["dim_issuer"])

    with duckdb.connect(str(candidate)) as writer:  # dbt's next build must be able to write
        writer.execute("create table t as select 1")


@pytest.mark.parametrize(
    ("today", "fiscal_year"), [(dt.date(2026, 3, 31), 2025), (dt.date(2026, 4, 1), 2026), (dt.date(2026, 12, 31), 2026)]
)
def test_fiscal_years_start_in_april(today, fiscal_year):
    assert current_fiscal_year(today) == fiscal_year


def test_an_actual_in_the_current_fiscal_year_passes_and_next_year_fails(tmp_path, clean_candidate):
    with duckdb.connect(str(clean_candidate), read_only=True) as con:
        latest = con.execute(
            "select max(fiscal_year) from marts.fct_kpi_observation where measure = 'actual'"
        ).fetchone()[0]
    in_that_year = dt.date(latest, 4, 1)

    assert validate_suite(clean_candidate, "fct_kpi_observation", tmp_path / "q", today=in_that_year).passed
    outcome = validate_suite(
        clean_candidate, "fct_kpi_observation", tmp_path / "q", today=in_that_year - dt.timedelta(days=1)
    )
    assert not outcome.passed
    assert {f.kwargs["column"] for f in outcome.errors} == {"actual_fiscal_year"}
    (failure,) = outcome.errors
    assert failure.examples == [latest] * len(failure.examples) and failure.examples
    assert all(type(year) is int for year in failure.examples)  # the year as read, not 2024.0
    assert failure.printed_in and all(p.startswith("raw/") for p in failure.printed_in)


def test_data_docs_keep_a_bounded_history_grouped_by_run(tmp_path, clean_candidate):
    out = tmp_path / "quality"
    for run in ("run-a", "run-b", "run-c"):
        run_gate(clean_candidate, out, suites=["dim_kpi", "review_queue"], run_name=run, keep_results=2)

    for root in (out / "uncommitted" / "validations", out / "uncommitted" / "data_docs" / "local_site" / "validations"):
        for suite in ("dim_kpi", "review_queue"):
            assert sorted(p.name for p in (root / suite).iterdir()) == ["run-b", "run-c"]


# The samples with no raw/manifest.csv; 001 prints 東北六市, which is no government.
NO_MANIFEST = """
update raw.documents set issuer_name = '東北六市' where doc_id like '001%';
delete from raw.manifest;
"""


def test_the_samples_without_a_manifest_pass_dbt_and_the_gate_and_publish(tmp_path, candidate_with, run_dbt_tests):
    candidate = candidate_with(NO_MANIFEST)
    tests = run_dbt_tests(candidate, tmp_path)
    assert tests.returncode == 0, tests.stdout[-3000:]

    gate = run_gate(candidate, tmp_path / "quality")

    assert gate.passed, gate.summary()
    record = publish(candidate, tmp_path / "published", "run-1", 5, gate.summary(), tmp_path / "runs")
    with duckdb.connect(str(tmp_path / "published" / "sosei.duckdb"), read_only=True) as con:
        review = dict(con.execute("select review_source, count(*) from marts.review_queue group by all").fetchall())
        unresolved = con.execute(
            "select sum(n_kpis_with_result) from marts.summary_kpi_achievement where issuer_code is null"
        ).fetchone()[0]
    assert review["not_in_manifest"] == 5 and review["unresolved_issuer"] >= 1
    assert unresolved > 0 and record.row_counts["fct_kpi_observation"] > 0


# Units a hostile or broken report could carry; unknown units are listed in Data Docs.
HOSTILE_UNITS = ["<script>alert(1)</script>", "<img src=x onerror=alert(2)>", '"><svg onload=alert(3)>']
HOSTILE = "\n".join(
    f"update raw.kpi_observations set unit = '{unit}' where seq % 7 = {n} and doc_id like '000%';"
    for n, unit in enumerate(HOSTILE_UNITS, start=1)
)


def test_hostile_values_are_escaped_in_data_docs_and_kept_in_the_outcome(tmp_path, candidate_with):
    gate = run_gate(candidate_with(HOSTILE), tmp_path / "quality")

    raw = next(o for o in gate.suites if o.suite == "raw_kpi_observations")
    reported = {e for w in raw.warnings for e in w.examples}
    assert set(HOSTILE_UNITS) <= reported  # the verdict keeps what landed
    pages = [p.read_text(encoding="utf-8") for p in gate.data_docs.parent.rglob("*.html")]
    text = "\n".join(pages)
    for unit in HOSTILE_UNITS:
        assert unit not in text
        assert html.escape(unit) in text
    assert "alert(" in text and "<svg" not in text and "onerror=alert(2)>" not in text


def test_the_gate_page_is_named_after_the_run_links_its_pages_and_needs_no_internet(tmp_path, clean_candidate):
    gate = run_gate(clean_candidate, tmp_path / "quality", suites=["dim_kpi", "review_queue"], run_name="dagster-7")

    page = gate.data_docs.read_text(encoding="utf-8")
    assert "dagster-7" in page and all(o.data_docs == gate.data_docs for o in gate.suites)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # no script or style from elsewhere
    links = [link for link in re.findall(r'href="([^"#]+)"', page) if link != "index.html"]
    assert {Path(link).parts[1:3] for link in links} == {("dim_kpi", "dagster-7"), ("review_queue", "dagster-7")}
    assert all((gate.data_docs.parent / link).is_file() for link in links)
    index = (gate.data_docs.parent / "index.html").read_text(encoding="utf-8")
    assert 'src="https://great-expectations-web-assets' not in index  # no call home from GX's index
    unnamed = run_gate(clean_candidate, tmp_path / "quality", suites=["dim_kpi"])
    assert "__none__" not in {
        p.name for p in (tmp_path / "quality" / "uncommitted" / "validations" / "dim_kpi").iterdir()
    }
    assert unnamed.validated_at


def test_a_broken_published_row_is_named_by_its_document_page_and_line(tmp_path, clean_candidate):
    candidate = tmp_path / "candidate.duckdb"
    shutil.copy(clean_candidate, candidate)
    with duckdb.connect(str(candidate)) as con:
        bad_id, doc, line = con.execute(
            "select observation_id, doc_id, line from marts.fct_kpi_observation"
            " where page is null and line is not null and cell is null order by observation_id limit 1"
        ).fetchone()
        con.execute(f"update marts.fct_kpi_observation set unit_status = 'bogus' where observation_id = '{bad_id}'")

    outcome = validate_suite(candidate, "fct_kpi_observation", tmp_path / "quality")

    (failure,) = [f for f in outcome.errors if f.kwargs.get("column") == "unit_status" and not f.kwargs.get("mostly")]
    assert failure.rows == [bad_id]
    assert failure.printed_in == [f"raw/{doc} line {line}"]
    assert f"raw/{doc} line {line}" in outcome.metadata["details"]


def test_a_published_id_that_names_no_row_of_its_dimension_fails_the_gate(tmp_path, clean_candidate):
    candidate = tmp_path / "candidate.duckdb"
    shutil.copy(clean_candidate, candidate)
    with duckdb.connect(str(candidate)) as con:
        (kpi,) = con.execute("select min(kpi_id) from marts.fct_kpi_result").fetchone()
        con.execute(f"delete from marts.dim_kpi where kpi_id = '{kpi}'")

    gate = run_gate(candidate, tmp_path / "quality", suites=["fct_kpi_result", "fct_kpi_observation"])

    assert not gate.passed
    failures = [f for o in gate.suites for f in o.errors if f.kwargs.get("column") == "kpi_id_in_dim_kpi"]
    assert {len(f.rows) > 0 for f in failures} == {True} and len(failures) == 2
