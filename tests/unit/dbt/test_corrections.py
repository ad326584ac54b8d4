"""raw/corrections.csv: the data team's fixes, applied after staging and kept beside what
extraction read, through to the marts.

A warehouse is built from the gold observations with a corrections file (CP932, as Excel saves
it) that sets a value, rejects one, adds one extraction missed, and has lines that cannot apply:
a document no longer landed, a target no longer read, an unknown action, a line with no author.
The same raw schema is then changed as landing changes it and built incrementally, as a build
does: the document re-landed by another extraction version (new observation ids, the same
content), then the document's content changed (another sha256).
"""

from __future__ import annotations

import shutil
from datetime import datetime

import duckdb
import pytest
from dbt_harness import query, run_dbt
from raw_fixture import GOLD_CSV, fixture_sha256, load_corrections, load_raw

DOC = "000_00acd0e69fcd4ebe.txt"  # 盛岡市, 地方創生推進交付金, FY2020: four KPIs with a target and an actual
PROJECT = "盛岡ファン・コミュニティの活動支援 関係人口当と地域課題のマッチング支援等 官民連携による移住・交流"
VISITORS, TAX = "事業を通して、盛岡を訪問した人数", "事業を通して、ふるさと納税を行った人数"  # lines 6 and 8
# a KPI with an actual and no target
FIRMS_PROJECT, FIRMS = "成長分野拠点形成支援事業(ものづくり推進課)", "TOLIC 会員ものづくり企業数"
HEADER = (
    "sha256,file,page,line,cell,project_name,kpi_name,measure,fiscal_year,action,value,unit,author,corrected_on,reason"
)
SHA = fixture_sha256(DOC)
LINES = [
    HEADER,
    f"{SHA},{DOC},,6,,,{VISITORS},actual,2020,set_value,43,,山田,2026-11-02,143は43の誤植",  # line 2
    f"{SHA},{DOC},,8,,,{TAX},actual,2020,reject,,,佐藤,2026-11-03,実績値は前年度の値",  # line 3
    f"{SHA},{DOC},,40,,{FIRMS_PROJECT},{FIRMS},target,2020,add,25,社,鈴木,2026-11-04,目標値が抽出されていない",  # 4
    f"{'ab' * 32},gone.txt,,6,,,{VISITORS},actual,2020,set_value,1,,山田,2026-11-02,消えた文書",  # line 5
    f"{SHA},{DOC},,999,,,{VISITORS},actual,2020,set_value,1,,山田,2026-11-02,ない行",  # line 6
    f"{SHA},{DOC},,6,,,{VISITORS},actual,2020,fix,1,,山田,2026-11-02,不明な操作",  # line 7
    f"{SHA},{DOC},,6,,,{VISITORS},actual,2020,set_value,1,,,2026-11-02,訂正者なし",  # line 8
    f"{SHA},{DOC},,12,,,,,,resolve,extraction,,田中,2026-11-05,表の注記で数値ではない",  # line 9
    f"{SHA},{DOC},,13,,,,,,resolve,extraction,,田中,2026-11-05,ない要確認行",  # line 10
    f"{SHA},{DOC},,5,,,{VISITORS},target,2020,confirm,,,高橋,2026-11-06,原本と照合",  # line 11
]
LATER = datetime(2030, 1, 1)


def _observation(db, kpi: str, measure: str = "actual") -> tuple:
    rows = query(
        db,
        """select o.observation_id, o.value, o.extracted_value, o.corrected_by, o.correction_reason, o.origin
        from marts.fct_kpi_observation o join marts.dim_kpi k using (kpi_id)
        where o.doc_id = ? and k.kpi_name = ? and o.measure = ?""",
        [DOC, kpi, measure],
    )
    assert len(rows) <= 1, rows
    return rows[0] if rows else None


def _result(db, kpi: str) -> tuple:
    ((row),) = query(
        db,
        """select target, actual, target_met, actual_extracted, actual_corrected_by, target_corrected_by
        from marts.kpi_result_detail where kpi_name = ? and fiscal_year = 2020""",
        [kpi],
    )
    return row


def _rates(db) -> tuple:
    return query(
        db,
        """select n_kpis_with_result, n_kpis_met from marts.summary_kpi_achievement
        where issuer_code = '032018' and grant_program_id = 'suishin' and fiscal_year = 2020""",
    )[0]


def _corrections_reviews(db) -> dict[int, tuple[str, str]]:
    rows = query(
        db,
        "select cast(regexp_extract(reason, 'corrections.csv line ([0-9]+)', 1) as integer), review_source, reason"
        " from marts.review_queue where review_source in ('correction', 'stale_correction')",
    )
    return {line: (source, reason) for line, source, reason in rows}


def _build(db, work, *args: str) -> None:
    result = run_dbt(db, work, "build", *args)
    assert result.returncode == 0, result.stdout[-4000:]


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """(clean, corrected, re-extracted, changed): the warehouse without corrections, with them,
    after an extraction-version change of DOC and after a change of DOC's content."""
    if not GOLD_CSV.is_file():
        pytest.skip(f"{GOLD_CSV} not found: the shared gold observations are needed")
    work = tmp_path_factory.mktemp("dbt_corrections")
    clean = work / "clean.duckdb"
    load_raw(clean)
    _build(clean, work)
    corrections = work / "corrections.csv"
    corrections.write_bytes("\r\n".join(LINES).encode("cp932"))
    corrected = work / "corrected.duckdb"
    shutil.copy(clean, corrected)
    load_corrections(corrected, corrections)
    with duckdb.connect(str(corrected)) as con:  # a fragment extraction could not read, at line 12
        con.execute(
            "insert into raw.review_items (review_id, doc_id, doc, seq, reason, fragment, line)"
            " values (?, ?, ?, 1, 'KPI-looking fragment no reader read', '※1 目標100', 12)",
            [f"{DOC}#r1", DOC, DOC],
        )
    _build(corrected, work)  # the same code: an incremental build, as after an edit of corrections.csv
    reextracted = work / "reextracted.duckdb"
    shutil.copy(corrected, reextracted)
    with duckdb.connect(str(reextracted)) as con:  # new landing ids, same content and provenance
        con.execute(
            "update raw.kpi_observations set observation_id = doc_id || '#' || (seq + 50), seq = seq + 50,"
            " reader_version = 'next' where doc_id = ?",
            [DOC],
        )
        con.execute("update raw.documents set reader_version = 'next', landed_at = ? where doc_id = ?", [LATER, DOC])
    _build(reextracted, work)
    changed = work / "changed.duckdb"
    shutil.copy(reextracted, changed)
    with duckdb.connect(str(changed)) as con:
        con.execute("update raw.documents set sha256 = ?, landed_at = ? where doc_id = ?", ["cd" * 32, LATER, DOC])
    _build(changed, work)
    return clean, corrected, reextracted, changed


def test_a_set_value_keeps_the_extracted_value_beside_it_with_who_and_why(builds):
    _, corrected, _, _ = builds
    _, value, extracted, by, why, origin = _observation(corrected, VISITORS)
    assert (value, extracted, by, origin) == (43.0, 143.0, "山田", "extracted")
    assert why == "143は43の誤植 (corrections.csv line 2)"
    target, actual, met, actual_extracted, actual_by, _ = _result(corrected, VISITORS)
    assert (target, actual, met, actual_extracted, actual_by) == (100.0, 43.0, False, 143.0, "山田")


def test_a_reject_removes_a_number_from_the_headline_rates(builds):
    clean, corrected, _, _ = builds
    assert _observation(clean, TAX)[1] == 322.0 and _result(clean, TAX)[2] is True
    assert _observation(corrected, TAX) is None
    ((reason,),) = query(
        corrected,
        "select quarantine_reason from marts.quarantine_kpi_observation where doc_id = ? and kpi_name_printed = ?"
        " and measure = 'actual'",
        [DOC, TAX],
    )
    assert reason == "rejected by 佐藤 on 2026-11-03 (corrections.csv line 3): 実績値は前年度の値"
    assert _result(corrected, TAX)[1:3] == (None, None)
    # clean: four KPIs judged, four met; corrected: the rejected one is not judged, the one set to
    # 43 missed its target, and the added target judges one more KPI (20 社 against 25: missed)
    assert _rates(clean) == (4, 4)
    assert _rates(corrected) == (4, 2)


def test_an_added_observation_carries_its_author_into_the_marts(builds):
    _, corrected, _, _ = builds
    observation_id, value, extracted, by, why, origin = _observation(corrected, FIRMS, "target")
    assert (observation_id, value, extracted, by, origin) == (f"{DOC}#c4", 25.0, None, "鈴木", "added")
    assert why == "目標値が抽出されていない (corrections.csv line 4)"
    target, actual, met, _, _, target_by = _result(corrected, FIRMS)
    assert (target, actual, met, target_by) == (25.0, 20.0, False, "鈴木")


def test_lines_that_cannot_apply_are_review_rows_naming_the_line(builds):
    clean, corrected, _, _ = builds
    reviews = _corrections_reviews(corrected)
    assert set(reviews) == {5, 6, 7, 8, 10}
    assert reviews[5] == (
        "stale_correction",
        f"corrections.csv line 5: stale correction: no landed document has sha256 {'ab' * 32} (gone.txt): "
        "it changed or was removed since the correction",
    )
    assert reviews[6][0] == "stale_correction" and "the document no longer reads" in reviews[6][1]
    assert reviews[7][0] == "correction" and "action fix is not one of" in reviews[7][1]
    assert reviews[8] == ("correction", "corrections.csv line 8: no author")
    # none of them touched anything: the corrected value is line 2's
    assert _observation(corrected, VISITORS)[1] == 43.0
    assert _corrections_reviews(clean) == {}


def test_a_resolve_closes_the_review_row_at_its_place_and_one_that_finds_none_is_stale(builds):
    _, corrected, _, changed = builds
    rows = query(
        corrected,
        "select line, resolved_by, resolved_on, resolution from marts.review_queue"
        " where review_source = 'extraction' and doc_id = ?",
        [DOC],
    )
    assert [(line, by, str(on), why) for line, by, on, why in rows] == [
        (12, "田中", "2026-11-05", "表の注記で数値ではない (corrections.csv line 9)")
    ]
    assert _corrections_reviews(corrected)[10] == (
        "stale_correction",
        f"corrections.csv line 10: stale correction: no extraction review row of {DOC} at line 13",
    )
    # the document changed: the row is open again, the resolution stale
    assert query(
        changed, "select resolved_by from marts.review_queue where doc_id = ? and review_source = 'extraction'", [DOC]
    ) == [(None,)]
    assert _corrections_reviews(changed)[9][0] == "stale_correction"


def test_a_correction_survives_an_extraction_version_change(builds):
    _, corrected, reextracted, _ = builds
    assert _observation(reextracted, VISITORS)[0] != _observation(corrected, VISITORS)[0]  # new landing ids
    assert _observation(reextracted, VISITORS)[1:] == _observation(corrected, VISITORS)[1:]
    assert _observation(reextracted, TAX) is None
    assert _observation(reextracted, FIRMS, "target")[1:] == _observation(corrected, FIRMS, "target")[1:]
    assert _rates(reextracted) == _rates(corrected)
    assert set(_corrections_reviews(reextracted)) == {5, 6, 7, 8, 10}


def test_a_changed_document_makes_its_corrections_stale(builds):
    clean, _, _, changed = builds
    reviews = _corrections_reviews(changed)
    assert {line: source for line, (source, _) in reviews.items() if line in (2, 3, 4)} == dict.fromkeys(
        (2, 3, 4), "stale_correction"
    )
    assert reviews[2][1] == (
        f"corrections.csv line 2: stale correction: {DOC} changed since the correction (sha256 {SHA}, now {'cd' * 32})"
    )
    # applied to nothing: the document's numbers are what extraction reads
    assert _observation(changed, VISITORS)[1:4] == (143.0, 143.0, None)
    assert _observation(changed, TAX)[1] == 322.0
    assert _observation(changed, FIRMS, "target") is None
    assert _rates(changed) == _rates(clean)


def test_a_confirmed_number_is_verified_by_the_person_and_not_corrected(builds):
    clean, corrected, reextracted, changed = builds
    verification = """select o.value, o.verification, o.verification_evidence, o.corrected_by
        from marts.fct_kpi_observation o join marts.dim_kpi k using (kpi_id)
        where o.doc_id = ? and k.kpi_name = ? and o.measure = 'target'"""
    assert query(clean, verification, [DOC, VISITORS])[0][1] != "verified"
    ((value, verified, evidence, by),) = query(corrected, verification, [DOC, VISITORS])
    assert (value, verified, by) == (100.0, "verified", None)
    assert evidence == "confirmed by 高橋 on 2026-11-06 (corrections.csv line 11): 原本と照合"
    assert query(reextracted, verification, [DOC, VISITORS])[0][1] == "verified"
    # the document changed: the confirmation is stale, the number unchecked again
    assert query(changed, verification, [DOC, VISITORS])[0][1] != "verified"
    assert _corrections_reviews(changed)[11][0] == "stale_correction"
