"""The release's .xlsx of the headline marts: what Excel would damage in a CSV stays whole."""

from __future__ import annotations

import duckdb
import pandas as pd
from openpyxl import load_workbook

from orchestration.publish.release import publish

PASSED = {"passed": True, "suites": {}}


def _candidate(path):
    with duckdb.connect(str(path)) as con:
        con.execute("""
            create schema marts;
            create table marts.summary_kpi_achievement (
                summary_id varchar, issuer_code varchar, fiscal_year integer, note varchar,
                share_kpis_met double, n_kpis integer);
            insert into marts.summary_kpi_achievement values
                ('md5-1', '012131', 2023, '=HYPERLINK("http://x")', 0.6103896103896104, 77),
                ('md5-2', '350001', 2022, 'bell' || chr(7) || '音', null, 0);
            create table main.column_labels (table_name varchar, column_name varchar, label_ja varchar);
            insert into main.column_labels values
                ('summary_kpi_achievement', 'summary_id', '集計ID'),
                ('summary_kpi_achievement', 'issuer_code', '全国地方公共団体コード'),
                ('summary_kpi_achievement', 'share_kpis_met', 'KPI達成率');
        """)
    return path


def test_the_xlsx_keeps_codes_as_text_rates_as_percent_japanese_headers_and_ids_last(tmp_path):
    publish(_candidate(tmp_path / "c.duckdb"), tmp_path / "published", "run-1", 1, PASSED, tmp_path / "runs")
    release = tmp_path / "published" / "current" / "csv"

    sheet = load_workbook(release / "summary_kpi_achievement.xlsx").active
    rows = [[cell for cell in row] for row in sheet.iter_rows()]
    header = [c.value for c in rows[0]]
    assert header == ["全国地方公共団体コード", "fiscal_year", "note", "KPI達成率", "n_kpis", "集計ID"]
    first, second = rows[1], rows[2]
    assert first[0].value == "012131" and first[0].data_type == "s"  # the leading zero stays
    assert first[2].value == '=HYPERLINK("http://x")' and first[2].data_type == "s"  # text, not a formula
    assert first[3].value == 0.6103896103896104 and first[3].number_format == "0.0%"
    assert first[5].value == "md5-1"
    assert second[2].value == "bell\ufffd音"  # a character XML cannot hold, marked, the row kept
    assert second[3].value is None

    csv = (release / "summary_kpi_achievement.csv").read_text(encoding="utf-8-sig")
    assert '"012131"' in csv  # codes quoted text in the CSV
    assert pd.read_csv(release / "summary_kpi_achievement.csv", dtype=str)["issuer_code"].tolist() == [
        "012131",
        "350001",
    ]
