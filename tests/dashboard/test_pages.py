"""The dashboard's pages on the sample warehouse, run by Streamlit's AppTest (no browser)."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from conftest import RATES_FROM_RESULTS, published_rows
from streamlit.testing.v1 import AppTest

from orchestration.dashboard import data, ui
from orchestration.dashboard.serve import APP

pytestmark = pytest.mark.integration  # builds the sample warehouse once per session
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _app(page: str | None = None, **params: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    if page:
        for name, value in params.items():
            at.query_params[name] = value
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_overview_shows_the_headline_rates_recomputed_from_fct_kpi_result(dashboard_env):
    projects_met, projects_judged, kpis_met, kpis_judged = published_rows(dashboard_env, RATES_FROM_RESULTS)[0]
    assert kpis_judged > 0

    at = _app()

    assert [m.value for m in at.metric] == [
        ui.percent(projects_met / projects_judged),
        ui.percent(kpis_met / kpis_judged),
    ]
    captions = [c.value for c in at.caption]
    assert f"{projects_met:,} / {projects_judged:,} 事業（年度別の延べ）" in captions
    assert f"{kpis_met:,} / {kpis_judged:,} 指標（年度別の延べ）" in captions
    assert at.get("vega_lite_chart"), "no chart"


def test_rates_by_prefecture_match_the_results_and_each_rate_lists_what_it_counts(dashboard_env, release):
    at = _app()
    at.radio(key="axis").set_value("都道府県").run()
    shown = at.dataframe[0].value
    expected = dict(
        published_rows(
            dashboard_env,
            """
        select i.prefecture, count(*) filter (where r.target_met) / count(r.target_met)
        from marts.fct_kpi_result r join marts.dim_issuer i using (issuer_code)
        group by all having count(r.target_met) > 0""",
        )
    )
    judged = shown[shown["n_kpis_with_result"] > 0]
    assert dict(zip(judged["label"], judged["share_kpis_met"], strict=True)) == pytest.approx(expected)
    for row in judged.itertuples():
        behind = data.results_behind(release, "都道府県", row.key)
        assert len(behind) == row.n_kpis_with_result
        assert (behind["target_met_ja"] == "達成").sum() == row.n_kpis_met


def test_issuer_page_charts_each_kpi_with_target_met_and_provenance_links(dashboard_env, release):
    issuers = data.issuers(release)
    at = _app("views/issuer.py")
    code = issuers["issuer_code"].iloc[0]
    at.selectbox(key="issuer").set_value(code).run()

    assert at.get("vega_lite_chart"), "no chart of the KPI's series"
    projects, results = at.dataframe[0].value, at.dataframe[1].value
    assert len(projects) == len(data.issuer_projects(release, code))
    assert set(results["target_met_ja"].dropna()) <= {"達成", "未達成"}
    assert results["target_met_ja"].notna().any(), "the default KPI is one with a judged result"
    for link, value in ((ui.LINK_LABEL, "actual"), (ui.TARGET_LINK_LABEL, "target")):
        links = results[link].dropna()
        assert len(links) == results[value].notna().sum() > 0
        assert all(u.startswith("provenance?observation=") for u in links)


def test_provenance_page_shows_the_document_place_and_printed_fragment(dashboard_env):
    observation_id, doc, fragment, value_text, unit = published_rows(
        dashboard_env,
        """
        select observation_id, doc_id, fragment, value_text, unit from marts.fct_kpi_observation
        where unit like '千%' order by observation_id limit 1""",
    )[0]

    at = _app("views/provenance.py", observation=observation_id)

    assert [c.value for c in at.code] == [fragment]
    assert at.metric[0].value == f"{value_text} {unit}"
    assert doc in at.markdown[0].value


def test_review_page_filters_the_queue_by_source_and_text(dashboard_env, release):
    queue = data.review_queue(release)
    assert len(queue) > 0, "the sample corpus has review rows"
    source = queue["review_source"].iloc[0]
    at = _app("views/review.py")
    at.multiselect(key="sources").set_value([source]).run()
    shown = at.dataframe[0].value
    assert len(shown) == (queue["review_source"] == source).sum()
    word = str(queue["doc_id"].iloc[0])
    at.text_input(key="text").set_value(word).run()
    assert set(at.dataframe[0].value["doc_id"]) == {word}


def test_gate_page_shows_each_suite_of_the_published_run(dashboard_env, release):
    at = _app("views/gate.py")
    suites = release.record["gate"]["suites"]
    assert at.subheader[0].value.startswith("公開版のゲート: 合格")
    assert sorted(at.dataframe[0].value["suite"]) == sorted(suites)


def test_every_column_shown_has_a_japanese_label(release):
    for table in ("kpi_result_detail", "summary_kpi_achievement", "review_queue", "fct_kpi_observation"):
        labels = release.labels(table)
        columns = [
            c
            for (c,) in release.con.execute(
                "select column_name from duckdb_columns() where schema_name = 'marts' and table_name = ?", [table]
            ).fetchall()
        ]
        assert [c for c in columns if not JAPANESE.search(labels.get(c, ""))] == [], table


def test_the_spreadsheet_export_opens_as_utf8_with_bom_and_holds_the_mart(dashboard_env, release):
    path = release.path / "csv" / "kpi_result_detail.csv"
    frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    (rows,) = release.con.execute("select count(*) from marts.kpi_result_detail").fetchone()
    assert len(frame) == rows and list(frame.columns)[:4] == [
        "kpi_result_id",
        "kpi_id",
        "fiscal_year",
        "fiscal_year_ja",
    ]
    assert frame["fiscal_year_ja"].str.match(r"^(平成|令和)(元|\d+)年度$").all()
    assert JAPANESE.search(" ".join(frame["kpi_name"]))
