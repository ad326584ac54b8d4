"""A baseline or target is checked against the same KPI's in the issuer's other reports
(fct_kpi_observation.verification): the next year's report of 盛岡市 repeats the FY2020 targets,
one of them with another value."""

from __future__ import annotations

import duckdb
import pytest
from dbt_harness import query, run_dbt
from raw_fixture import GOLD_CSV, load_raw

DOC, NEXT = "000_00acd0e69fcd4ebe.txt", "extra/morioka_next.txt"
VISITORS, TAX = "事業を通して、盛岡を訪問した人数", "事業を通して、ふるさと納税を行った人数"


@pytest.fixture(scope="module")
def warehouse_with_next_report(tmp_path_factory):
    if not GOLD_CSV.is_file():
        pytest.skip(f"{GOLD_CSV} not found: the shared gold observations are needed")
    work = tmp_path_factory.mktemp("dbt_verification")
    db = work / "warehouse.duckdb"
    load_raw(db)
    with duckdb.connect(str(db)) as con:
        con.execute(
            "insert into raw.kpi_observations select * replace (replace(observation_id, ?, ?) as observation_id,"
            " ? as doc_id, ? as doc, case when kpi_name = ? and measure = 'target' then 120 else value end as value,"
            " case when kpi_name = ? and measure = 'target' then '120' else value_text end as value_text)"
            " from raw.kpi_observations where doc_id = ?",
            [DOC, NEXT, NEXT, NEXT, VISITORS, VISITORS, DOC],
        )
        con.execute(
            "insert into raw.documents select * replace (? as doc_id, ? as doc, 'next' as sha256)"
            " from raw.documents where doc_id = ?",
            [NEXT, NEXT, DOC],
        )
        con.execute(
            "insert into raw.manifest select * replace ((select max(line) + 1 from raw.manifest) as line,"
            " ? as file, '2021' as fiscal_year) from raw.manifest where file = ?",
            [NEXT, DOC],
        )
    result = run_dbt(db, work, "build")
    assert result.returncode == 0, result.stdout[-4000:]
    return db


def _verification(db, doc: str, kpi: str, measure: str) -> tuple:
    ((row),) = query(
        db,
        "select o.verification, o.verification_evidence from marts.fct_kpi_observation o"
        " join marts.dim_kpi k using (kpi_id) where o.doc_id = ? and k.kpi_name = ? and o.measure = ?",
        [doc, kpi, measure],
    )
    return row


def test_a_target_another_report_prints_alike_is_consistent(warehouse_with_next_report):
    assert _verification(warehouse_with_next_report, DOC, TAX, "target") == ("consistent", f"{NEXT}: 200 人 (agrees)")


def test_a_target_another_report_prints_otherwise_is_contradicted_stating_both(warehouse_with_next_report):
    assert _verification(warehouse_with_next_report, DOC, VISITORS, "target") == (
        "contradicted",
        f"{NEXT}: 120 人 (differs)",
    )
    assert _verification(warehouse_with_next_report, NEXT, VISITORS, "target") == (
        "contradicted",
        f"{DOC}: 100 人 (differs)",
    )


def test_a_contradicted_observation_is_a_review_row_stating_both_readings(warehouse_with_next_report):
    rows = query(
        warehouse_with_next_report,
        "select doc_id, reason from marts.review_queue where review_source = 'contradicted_observation'"
        " order by doc_id",
    )
    assert rows == [
        (DOC, f"target FY2020 is 100 人 here, but {NEXT}: 120 人 (differs)"),
        (NEXT, f"target FY2020 is 120 人 here, but {DOC}: 100 人 (differs)"),
    ]


def test_the_result_detail_shows_its_targets_verification(warehouse_with_next_report):
    rows = query(
        warehouse_with_next_report,
        "select kpi_name, target, target_verification from marts.kpi_result_detail"
        " where kpi_name in (?, ?) and fiscal_year = 2020 order by kpi_name",
        [VISITORS, TAX],
    )
    assert rows == [(TAX, 200.0, "consistent"), (VISITORS, 120.0, "contradicted")]  # the later report's target


def test_what_no_other_report_prints_is_unchecked(warehouse_with_next_report):
    assert _verification(warehouse_with_next_report, DOC, VISITORS, "actual") == ("unchecked", None)
    counts = dict(
        query(warehouse_with_next_report, "select verification, count(*) from marts.fct_kpi_observation group by 1")
    )
    assert set(counts) <= {"consistent", "contradicted", "unchecked"} and counts["unchecked"] > counts["consistent"]
