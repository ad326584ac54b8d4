"""A number is checked against all the evidence bearing on it (fct_kpi_observation.verification):
the next year's report of 盛岡市 repeats the FY2020 targets, one of them with another value; the
report prints a 達成率 beside two KPIs, one agreeing with its actual ÷ target, one not (the actual
misread). A contradicted number is reviewed and held out of the rates."""

from __future__ import annotations

import duckdb
import pytest
from dbt_harness import query, run_dbt
from raw_fixture import GOLD_CSV, load_raw

DOC, NEXT = "000_00acd0e69fcd4ebe.txt", "extra/morioka_next.txt"
VISITORS, TAX = "事業を通して、盛岡を訪問した人数", "事業を通して、ふるさと納税を行った人数"
REGISTERED = "事業を通して,データベースに登録した人数"
MIGRANTS = "事業を通して,移住した移住者数"  # target 20, actual 37: 185.0%, printed 158.0% below
RATES = {TAX: "161.0%", MIGRANTS: "158.0%"}  # TAX: 322 ÷ 200


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
        # both reports print the rates (the next one reprints this year's table)
        for doc in (DOC, NEXT):
            for seq, (kpi, rate) in enumerate(RATES.items(), start=1):
                con.execute(
                    "insert into raw.evidence (evidence_id, doc_id, doc, seq, kind, grant_program, project_name,"
                    " kpi_name, measure, fiscal_year, value, value_text, unit, page, line, cell, fragment, reader)"
                    " select doc_id || '#e' || ?, doc_id, doc, ?, 'achievement_rate', grant_program, project_name,"
                    " kpi_name, '', fiscal_year, ?, ?, '%', 1, line, 'C7', kpi_name || ' | ' || ?, 'wide'"
                    " from raw.kpi_observations where doc_id = ? and kpi_name = ? and measure = 'actual'",
                    [seq, seq, float(rate.rstrip("%")), rate, rate, doc, kpi],
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
    assert _verification(warehouse_with_next_report, DOC, REGISTERED, "target") == (
        "consistent",
        f"{NEXT}: 1000 人 (agrees)",
    )


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
        " and reason not like '%達成率%' order by doc_id",
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
    # TAX's target (the later report's): its 達成率 agrees (verified); VISITORS': the reports differ, held out
    assert rows == [(TAX, 200.0, "verified"), (VISITORS, None, None)]


def test_a_printed_rate_that_agrees_verifies_the_actual_and_the_target(warehouse_with_next_report):
    assert _verification(warehouse_with_next_report, DOC, TAX, "actual") == (
        "verified",
        "printed 達成率 161.0% (p.1 line 8 C7) against actual 322 ÷ target 200 = 161.0% (agrees)",
    )
    state, evidence = _verification(warehouse_with_next_report, DOC, TAX, "target")
    assert state == "verified" and f"{NEXT}: 200 人 (agrees)" in evidence


def test_a_printed_rate_that_differs_contradicts_both_and_holds_them_out_of_the_rates(warehouse_with_next_report):
    db = warehouse_with_next_report
    reading = "printed 達成率 158.0% (p.1 line 10 C7) against actual 37 ÷ target 20 = 185.0% (differs)"
    assert _verification(db, DOC, MIGRANTS, "actual") == ("contradicted", reading)
    reasons = query(
        db,
        "select reason from marts.review_queue where review_source = 'contradicted_observation' and doc_id = ?"
        " and reason like '%158.0%' order by reason",
        [DOC],
    )
    assert reasons == [
        (f"actual FY2020 is 37 人 here, but {reading}",),
        (f"target FY2020 is 20 人 here, but {NEXT}: 20 人 (agrees); {reading}",),
    ]
    results = query(
        db,
        "select r.target_met, r.actual, r.target from marts.fct_kpi_result r join marts.dim_kpi k using (kpi_id)"
        " where k.kpi_name = ? and r.fiscal_year = 2020",
        [MIGRANTS],
    )
    assert results in ([], [(None, None, None)])  # neither number is judged


def test_the_headline_rates_count_their_verified_kpis(warehouse_with_next_report):
    ((judged, verified, share),) = query(
        warehouse_with_next_report,
        "select sum(n_kpis_with_result), sum(n_kpis_verified), sum(n_kpis_verified) / sum(n_kpis_with_result)"
        " from marts.summary_kpi_achievement where fiscal_year = 2020",
    )
    ((expected,),) = query(
        warehouse_with_next_report,
        "select count(distinct kpi_id) from marts.fct_kpi_result where fiscal_year = 2020 and target_met is not null",
    )
    assert (judged, verified) == (expected, 1) and share == 1 / expected  # TAX alone


def test_what_no_other_report_prints_is_unchecked(warehouse_with_next_report):
    assert _verification(warehouse_with_next_report, DOC, VISITORS, "actual") == ("unchecked", None)
    counts = dict(
        query(warehouse_with_next_report, "select verification, count(*) from marts.fct_kpi_observation group by 1")
    )
    assert set(counts) <= {"verified", "consistent", "contradicted", "unchecked"}
    assert counts["unchecked"] > counts["consistent"]
