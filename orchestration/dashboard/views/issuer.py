"""One government: its projects, each KPI's series across fiscal years, target met or not, cost."""

import altair as alt
import streamlit as st

from orchestration.dashboard import data, ui
from orchestration.dashboard.texts import md

release = ui.release()
labels = release.labels("kpi_result_detail") | release.labels("dim_project")
st.title("団体別")
issuers = data.issuers(release)
if issuers.empty:
    st.info("KPIの結果がある団体がありません。")
    st.stop()
prefecture = st.selectbox(
    "都道府県",
    [None, *data.prefectures(release)],
    format_func=lambda p: "すべて" if p is None else p,
    key="prefecture",
    bind="query-params",
)
if prefecture is not None:
    issuers = issuers[issuers["prefecture"] == prefecture]
names = {r.issuer_code: ui.issuer_label(r.issuer_name, r.prefecture, r.issuer_code) for r in issuers.itertuples()}
code = st.selectbox("団体", list(names), format_func=names.get, key="issuer", bind="query-params")

st.subheader("事業")
ui.table(data.issuer_projects(release, code).drop(columns=["project_id"]), labels)

results = data.issuer_results(release, code)
kpis = results.drop_duplicates("kpi_id")
kpi_names = {r.kpi_id: f"{r.project_name} ／ {r.kpi_name}" for r in kpis.itertuples()}
kpi_id = st.selectbox("KPI", list(kpi_names), format_func=kpi_names.get, key="kpi", bind="query-params")
series = results[results["kpi_id"] == kpi_id]
unit = series["base_unit"].dropna().iloc[0] if series["base_unit"].notna().any() else ""
st.subheader(f"{md(kpi_names[kpi_id])} の推移（{md(unit) if unit else '単位なし'}）")
long = data.series_for_chart(series)
if long["fiscal_year"].nunique() >= 2:
    st.altair_chart(
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x=alt.X("fiscal_year_ja:N", title="年度", sort=alt.SortField("fiscal_year"), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("value:Q", title=f"値（{unit}）" if unit else "値"),
            color=alt.Color("measure:N", title="区分", scale=alt.Scale(domain=["基準値", "目標値", "実績値"])),
            strokeDash=alt.condition(alt.datum.measure == "基準値", alt.value([4, 4]), alt.value([1, 0])),
            tooltip=[
                alt.Tooltip("fiscal_year_ja", title="年度"),
                alt.Tooltip("measure", title="区分"),
                alt.Tooltip("value", title="値"),
            ],
        ),
        width="stretch",
    )
else:
    st.info("値のある年度が一つだけのため、推移のグラフは描きません（表をご覧ください）。")
shown = ui.with_provenance_links(
    series.drop(columns=["kpi_id", "project_name", "kpi_name"]),
    {"actual_observation_id": ui.LINK_LABEL, "target_observation_id": ui.TARGET_LINK_LABEL},
)
ui.table(shown, labels)
st.caption("実績値は基準単位、原表記は報告書に印刷された値と単位です。「出典を見る」で印刷箇所を表示します。")
