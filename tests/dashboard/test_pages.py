"""The dashboard's pages on the sample warehouse, run by Streamlit's AppTest (no browser)."""

from __future__ import annotations

import json
import re

import pandas as pd
import pyarrow as pa
import pytest
from dashboard_shared import HOSTILE, HOSTILE_LINK, RATES_FROM_RESULTS, SOURCE_URLS, published_rows
from streamlit.testing.v1 import AppTest

from orchestration.dashboard import data, texts, ui
from orchestration.dashboard.serve import APP

pytestmark = pytest.mark.integration  # builds the sample warehouse once per session
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _app(page: str | None = None, **params: str) -> AppTest:
    """The app opened at `page` with `params` in its URL (as a copied link opens it)."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _present(column: pd.Series) -> pd.Series:
    """Cells of a shown column that hold a value (a missing one shows as —)."""
    return column.map(lambda v: not texts.missing(v) and v != texts.MISSING)


def _rendered_texts(at: AppTest) -> list[str]:
    """Every string the page renders as Markdown or text (not the tables' cells)."""
    kinds = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success", "text")
    found = [str(e.value) for kind in kinds for e in at.get(kind)]
    found += [f"{m.label} {m.value}" for m in at.metric]
    return found + [str(w.label) for kind in ("selectbox", "multiselect", "radio", "text_input") for w in at.get(kind)]


def _chart(at: AppTest, index: int = 0) -> tuple[dict, pd.DataFrame]:
    """A drawn chart's Vega-Lite spec and the data it was given."""
    chart = at.get("vega_lite_chart")[index].proto
    return json.loads(chart.spec), pa.ipc.open_stream(chart.datasets[0].data.data).read_all().to_pandas()


def test_overview_shows_the_headline_rates_recomputed_from_fct_kpi_result(dashboard_env):
    projects_met, projects_judged, kpis_met, kpis_judged = published_rows(dashboard_env, RATES_FROM_RESULTS)[0]
    assert kpis_judged > 0

    at = _app()

    assert [m.value for m in at.metric] == [
        texts.md(ui.percent(projects_met / projects_judged)),
        texts.md(ui.percent(kpis_met / kpis_judged)),
    ]
    captions = [c.value for c in at.caption]
    assert f"{projects_met:,} / {projects_judged:,} 事業（年度別の延べ）" in captions
    assert f"{kpis_met:,} / {kpis_judged:,} 指標（年度別の延べ）" in captions
    assert at.get("vega_lite_chart"), "no chart"


def test_rates_by_prefecture_match_the_results_and_each_rate_lists_what_it_counts(dashboard_env, release):
    at = _app(axis="都道府県")
    assert at.radio(key="axis").value == "都道府県"
    shown = data.headline_rates(release, "都道府県")
    codes = dict(
        published_rows(dashboard_env, "select prefecture, min(prefecture_code) from marts.dim_issuer group by all")
    )
    listed = list(at.dataframe[0].value["label"])
    assert listed == list(shown["label"]) and listed == sorted(listed, key=codes.get), "not in 団体コード order"
    assert listed[0] == "北海道"
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
    rows = published_rows(
        dashboard_env,
        """
        select any_value(issuer_name), any_value(prefecture), issuer_code, kpi_id, any_value(project_name),
               any_value(kpi_name)
        from marts.kpi_result_detail group by issuer_code, kpi_id
        having count(distinct fiscal_year) filter (where coalesce(actual, target, baseline) is not null) >= 2
        order by count(actual) desc, issuer_code, kpi_id limit 1""",
    )
    assert rows, "the sample has a KPI with values in two fiscal years"
    name, prefecture, code, kpi_id, project, kpi = rows[0]
    at = _app("views/issuer.py", issuer=ui.issuer_label(name, prefecture, code), kpi=f"{project} ／ {kpi}")
    assert at.selectbox(key="issuer").value == code
    assert at.selectbox(key="kpi").value == kpi_id

    assert at.get("vega_lite_chart"), "no chart of the KPI's series"
    projects, results = at.dataframe[0].value, at.dataframe[1].value
    assert len(projects) == len(data.issuer_projects(release, code))
    assert set(results["target_met_ja"].dropna()) <= {"達成", "未達成", texts.MISSING}
    for link, value in ((ui.LINK_COLUMN, "actual"), (ui.TARGET_LINK_COLUMN, "target")):
        links = results[link].dropna()
        assert len(links) == _present(results[value]).sum()
        assert all(u.startswith("provenance?observation=") for u in links)
    assert _present(results["actual"]).sum() >= 2, "the chart's KPI has actuals in two years, each linked"


def test_a_kpi_with_one_year_of_values_gets_a_table_and_no_chart(dashboard_env, release):
    rows = published_rows(
        dashboard_env,
        """
        select any_value(issuer_name), any_value(prefecture), issuer_code, any_value(project_name), any_value(kpi_name)
        from marts.kpi_result_detail group by issuer_code, kpi_id
        having count(distinct fiscal_year) filter (where coalesce(actual, target, baseline) is not null) = 1
        order by issuer_code, kpi_id limit 1""",
    )
    assert rows, "the sample has a KPI with values in one fiscal year"
    name, prefecture, code, project, kpi = rows[0]
    at = _app("views/issuer.py", issuer=ui.issuer_label(name, prefecture, code), kpi=f"{project} ／ {kpi}")

    assert not at.get("vega_lite_chart")
    assert any("推移のグラフは描きません" in i.value for i in at.info)


def test_provenance_page_shows_the_document_place_and_printed_fragment(dashboard_env):
    observation_id, doc, fragment, value_text, unit = published_rows(
        dashboard_env,
        """
        select observation_id, doc_id, fragment, value_text, unit from marts.fct_kpi_observation
        where unit like '千%' order by observation_id limit 1""",
    )[0]

    at = _app("views/provenance.py", observation=observation_id)

    assert [c.value for c in at.code] == [fragment]
    assert at.metric[0].value == texts.md(ui.printed(value_text, None, unit))
    assert texts.md(doc) in at.markdown[0].value


def test_review_page_filters_the_queue_by_source_and_text(dashboard_env, release):
    queue = data.review_queue(release)
    assert len(queue) > 0, "the sample corpus has review rows"
    source = queue["review_source"].iloc[0]
    word = str(queue["doc_id"].iloc[0])
    at = _app("views/review.py", sources=texts.review_source(source), text=word)
    assert at.multiselect(key="sources").value == [texts.review_source(source)]
    shown = at.dataframe[0].value
    assert set(shown["doc_id"]) == {word}
    assert len(shown) == ((queue["review_source"] == source) & (queue["doc_id"] == word)).sum()
    # every reason in Japanese from the catalogue; the recorded English only where it has none
    assert all(JAPANESE.search(r) for r in shown["reason_ja"])
    assert all(texts.missing(r) or r == texts.MISSING for r in shown["reason"])


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


def test_the_search_lists_every_kpi_whose_name_or_project_contains_the_words(dashboard_env, release):
    expected = published_rows(
        dashboard_env,
        "select count(distinct kpi_id) from marts.kpi_result_detail where kpi_name like '%移住%' "
        "or project_name like '%移住%'",
    )[0][0]
    assert expected > 0, "the sample corpus has KPIs about 移住"

    at = _app("views/search.py", q="移住")

    assert at.text_input(key="q").value == "移住"
    found = at.dataframe[0].value
    assert len(found) == expected
    assert all("移住" in f"{r.kpi_name} {r.project_name}" for r in found.itertuples())
    assert all(u.startswith("issuer?issuer=") for u in found[ui.ISSUER_LINK_COLUMN])


@pytest.mark.parametrize(
    ("page", "params", "key"),
    [
        (None, {"axis": "交付金"}, "axis"),
        ("views/overview.py", {"axis": "都道府県", "slice": "岩手県"}, "slice"),
        ("views/issuer.py", {"prefecture": "岩手県"}, "prefecture"),
        ("views/review.py", {"text": "txt"}, "text"),
        ("views/search.py", {"q": "移住"}, "q"),
        ("views/map.py", {"prefecture": "岩手県"}, "prefecture"),
    ],
)
def test_each_page_opens_from_its_url_with_its_choices_and_shows_no_none_or_english(dashboard_env, page, params, key):
    at = _app(page, **params)

    assert at.get("radio" if key == "axis" else "selectbox" if key in ("slice", "prefecture") else "text_input")
    widget = next(w for kind in ("radio", "selectbox", "text_input") for w in at.get(kind) if w.key == key)
    assert widget.value == params[key]
    shown = _rendered_texts(at) + [str(v) for d in at.dataframe for v in d.value.to_numpy().ravel()]
    assert [t for t in shown if t in ("None", "nan", "NaN", "<NA>", "NaT")] == []
    english = [t for t in _rendered_texts(at) if re.search(r"\b[A-Za-z]{4,}\b", t) and not JAPANESE.search(t)]
    assert english == []


def test_data_and_the_url_render_as_text_never_as_markup(hostile, monkeypatch):
    settings, kpi_id = hostile
    monkeypatch.setenv("SOSEI_WAREHOUSE_DIR", str(settings.warehouse_dir))
    (issuer_code, issuer_name, prefecture, observation_id) = published_rows(
        settings,
        "select issuer_code, issuer_name, prefecture, actual_observation_id from marts.kpi_result_detail "
        f"where kpi_id = '{kpi_id}' and actual_observation_id is not null limit 1",
    )[0]
    pages = [
        _app("views/issuer.py", issuer=ui.issuer_label(issuer_name, prefecture, issuer_code)),
        _app("views/provenance.py", observation=observation_id),
        _app("views/provenance.py", observation=HOSTILE),
        _app("views/search.py", q=HOSTILE),
    ]
    rendered = [t for at in pages for t in _rendered_texts(at)]
    assert any(texts.md(HOSTILE) in t for t in rendered), "the hostile name is shown"
    assert any(texts.md(HOSTILE_LINK) in t for t in rendered)
    # no piece of their markup reached Markdown unescaped
    markup = ("![", "](", "**太字", ":red[", "$x", "<b>", "http://")
    unescaped = [re.sub(r"\\.", "", t) for t in rendered]  # what is left once every escaped character is gone
    assert [t for t in unescaped for m in markup if m in t] == []


def test_the_release_xlsx_keeps_every_issuer_code_whole(release):
    from openpyxl import load_workbook

    sheet = load_workbook(release.path / "csv" / "summary_kpi_achievement_detail.xlsx", read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[0].index("全国地方公共団体コード")
    codes = sorted(r[column] for r in rows[1:])
    expected = sorted(
        c for (c,) in release.con.sql("select issuer_code from marts.summary_kpi_achievement_detail").fetchall()
    )
    assert codes == expected and any(c.startswith("0") for c in codes)
    assert rows[0][-1].endswith("ID"), "ids last"


def test_the_mart_page_opens_any_mart_by_url_with_its_facets_applied(dashboard_env):
    ((expected,),) = published_rows(
        dashboard_env,
        "select count(*) from marts.kpi_result_detail where prefecture = '岩手県' and target_met_ja = '達成'",
    )
    assert expected > 0

    at = _app("views/mart.py", table="kpi_result_detail", prefecture="岩手県", target_met_ja="達成")

    assert at.selectbox(key="table").value == "kpi_result_detail"
    assert at.multiselect(key="prefecture").value == ["岩手県"]
    shown = at.dataframe[0].value
    assert len(shown) == expected and set(shown["prefecture"]) == {"岩手県"} and set(shown["target_met_ja"]) == {"達成"}
    assert at.subheader[0].value.endswith(f"{expected:,}行")


def test_the_map_colours_each_prefecture_by_the_rate_and_lists_the_governments_of_the_one_chosen(dashboard_env):
    judged = dict(
        published_rows(
            dashboard_env,
            """
        select i.prefecture, count(*) filter (where r.target_met) / count(r.target_met)
        from marts.fct_kpi_result r join marts.dim_issuer i using (issuer_code)
        group by all having count(r.target_met) > 0""",
        )
    )
    prefecture = next(iter(sorted(judged)))
    issuers = {
        code
        for (code,) in published_rows(
            dashboard_env,
            f"select distinct issuer_code from marts.kpi_result_detail where prefecture = '{prefecture}'",
        )
    }
    rate = texts.catalogue()["rates"]["share_kpis_met"]

    at = _app("views/map.py", rate=rate["ja"]["name"], prefecture=prefecture)

    assert at.selectbox(key="rate").value == "share_kpis_met" and at.selectbox(key="prefecture").value == prefecture
    spec, tiles = _chart(at)
    assert [p["select"]["fields"] for p in spec["params"]] == [["prefecture"]], "a click picks a prefecture"
    assert len(tiles) == 47 and tiles["prefecture"].iloc[0] == "北海道" and tiles["prefecture"].iloc[-1] == "沖縄県"
    assert len(set(zip(tiles["column"], tiles["row"], strict=True))) == 47
    coloured = tiles.dropna(subset=["share_kpis_met"])
    assert dict(zip(coloured["prefecture"], coloured["share_kpis_met"], strict=True)) == pytest.approx(judged)
    tooltip = [t["field"] for t in spec["layer"][0]["encoding"]["tooltip"]]
    assert tooltip == ["prefecture", "shown", "numerator", "denominator"]
    assert (tiles.loc[tiles["prefecture"].isin(judged), "denominator"] != texts.MISSING).all()
    assert rate["ja"]["definition"] in [c.value for c in at.caption], "the rate's definition beside it"
    listed = at.dataframe[0].value
    assert set(listed["issuer_code"]) == issuers and set(listed["prefecture"]) == {prefecture}
    assert all(u.startswith("issuer?issuer=") for u in listed[ui.ISSUER_LINK_COLUMN])


def test_a_current_pointing_to_a_missing_release_is_a_warning_not_a_traceback(tmp_path, monkeypatch):
    """`current` left pointing to a release removed by hand: the page says so (it raised DuckDB's
    IO Error, with the host's path, before)."""
    published = tmp_path / "warehouse" / "published"
    published.mkdir(parents=True)
    (published / "current").symlink_to("releases/gone")
    monkeypatch.setenv("SOSEI_WAREHOUSE_DIR", str(tmp_path / "warehouse"))
    at = _app()
    (warning,) = at.warning
    assert "current が指す releases\\/gone がありません" in warning.value
    assert str(tmp_path) not in " ".join(_rendered_texts(at))


def test_each_column_tooltip_is_its_published_comment_and_each_rate_is_defined_beside_it(dashboard_env, release):
    comments = dict(
        published_rows(
            dashboard_env,
            "select column_name, comment from duckdb_columns() "
            "where schema_name = 'marts' and table_name = 'summary_kpi_achievement'",
        )
    )
    rates = texts.catalogue()["rates"]

    at = _app(axis="都道府県")

    config = json.loads(at.dataframe[0].proto.columns)
    counts = [c for c in config if c.startswith("n_")]
    assert counts and all(config[c]["help"] == texts.md(comments[c]) for c in counts)
    assert {c: config[c]["help"] for c in rates} == {c: texts.md(r["ja"]["definition"]) for c, r in rates.items()}
    for rate in rates.values():  # each headline figure: its definition and its denominator beside it
        assert any(m.label == rate["ja"]["name"] and m.help == texts.md(rate["ja"]["definition"]) for m in at.metric)
        assert texts.md(rate["ja"]["definition"]) in [c.value for c in at.caption]
        assert rate["ja"]["definition"].endswith("（年度別の延べ）") and "分母" in rate["ja"]["definition"]


def test_freshness_shows_the_release_time_the_latest_year_and_each_documents_retrieval_and_source(dashboard_env):
    ((latest,),) = published_rows(
        dashboard_env,
        "select y.fiscal_year_label from marts.fct_kpi_result r join marts.dim_fiscal_year y using (fiscal_year) "
        "where r.target_met is not null order by r.fiscal_year desc limit 1",
    )
    documents = published_rows(
        dashboard_env,
        """
        select d.source_url, d.retrieved_on::varchar, min(o.observation_id) from marts.dim_document d
        join marts.fct_kpi_observation o using (doc_id) where d.source_url is not null group by all order by 1""",
    )
    assert sorted(url for url, _, _ in documents) == sorted(SOURCE_URLS), "source_url flows manifest → dim_document"

    at = _app()
    recorded = at.caption[0].value
    assert texts.md(latest) in recorded and "最終公開 " in recorded and recorded.count(" JST") == 1

    for url, retrieved_on, observation_id in documents:
        at = _app("views/provenance.py", observation=observation_id)
        shown = at.markdown[0].value
        assert f"取得日**: {texts.md(retrieved_on)}" in shown and f"取得元**: {texts.md(url)}" in shown
        links = [b.proto.url for b in at.get("link_button")]
        assert links == ([url] if url.startswith("https://") else []), "a link only to an http(s) address"


@pytest.mark.parametrize("page", [None, *(f"views/{page}.py" for page in ui.PAGES)])
def test_the_english_switch_in_the_url_shows_each_page_in_english_from_the_catalogue(dashboard_env, page):
    words = [w for section in texts.catalogue()["ui"].values() for w in section.values()]
    english = {w["en"] for w in words}
    japanese = {w["ja"] for w in words}

    at = _app(page, lang="English", q="移住", prefecture="岩手県")

    assert at.title[0].value in english
    fixed = [at.title[0].value] + [i.value for i in at.info]  # texts that hold no data
    fixed += [str(w.label) for kind in ("selectbox", "multiselect", "radio", "text_input") for w in at.get(kind)]
    assert [t for t in fixed if JAPANESE.search(t)] == [], "Japanese outside the data"
    assert [t for t in _rendered_texts(at) if t in japanese] == []
    shown = _rendered_texts(at) + [str(v) for d in at.dataframe for v in d.value.to_numpy().ravel()]
    assert [t for t in shown if t in ("None", "nan", "NaN", "<NA>", "NaT")] == []
    for frame in at.dataframe:  # headers in English: the comments' English, the catalogue's for the rest
        headers = [c["label"] for c in json.loads(frame.proto.columns).values() if "label" in c]
        assert [h for h in headers if JAPANESE.search(h)] == []
    if page == "views/gate.py":  # what each suite checks, from the catalogue
        assert not [d for d in at.dataframe[0].value["description"] if JAPANESE.search(d)]


def test_a_choice_named_in_the_other_language_keeps_the_view_when_the_language_changes(dashboard_env):
    rate = texts.catalogue()["rates"]["share_kpis_met"]
    overview = _app(lang="English", axis="都道府県", slice="岩手県")  # a Japanese URL switched to English
    assert overview.radio(key="axis").value == "Prefecture" and overview.selectbox(key="slice").value == "岩手県"
    assert _app("views/map.py", lang="English", rate=rate["ja"]["name"]).selectbox(key="rate").value == "share_kpis_met"
    assert _app(axis="Prefecture").radio(key="axis").value == "都道府県"  # and back
