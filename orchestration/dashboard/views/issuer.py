"""One government: its projects, each KPI's series across fiscal years, target met or not, cost."""

import altair as alt
import streamlit as st

from orchestration.dashboard import data, ui

release = ui.release()
labels = release.labels("kpi_result_detail") | release.labels("dim_project")
st.title("団体別")
issuers = data.issuers(release)
if issuers.empty:
    st.info("KPIの結果がある団体がありません。")
    st.stop()
names = {r.issuer_code: f"{r.issuer_name}（{r.prefecture}・{r.issuer_code}）" for r in issuers.itertuples()}
code = st.selectbox("団体", list(names), format_func=names.get, key="issuer")

st.subheader("事業")
ui.table(data.issuer_projects(release, code).drop(columns=["project_id"]), labels)

results = data.issuer_results(release, code)
kpis = results.drop_duplicates("kpi_id")
kpi_names = {r.kpi_id: f"{r.project_name} ／ {r.kpi_name}" for r in kpis.itertuples()}
kpi_id = st.selectbox("KPI", list(kpi_names), format_func=kpi_names.get, key="kpi")
series = results[results["kpi_id"] == kpi_id]
unit = series["base_unit"].dropna().iloc[0] if series["base_unit"].notna().any() else ""
st.subheader(f"{kpi_names[kpi_id]} の推移（{unit or '単位なし'}）")
long = data.series_for_chart(series)
st.altair_chart(
    alt.Chart(long)
    .mark_line(point=True)
    .encode(
        x=alt.X("fiscal_year_ja:N", title="年度", sort=alt.SortField("fiscal_year"), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", title=f"値（{unit}）" if unit else "値"),
        color=alt.Color("measure:N", title="区分", scale=alt.Scale(domain=["基準値", "目標値", "実績値"])),
        strokeDash=alt.condition(alt.datum.measure == "基準値", alt.value([4, 4]), alt.value([1, 0])),
        tooltip=["fiscal_year_ja", "measure", "value"],
    ),
    width="stretch",
)
shown = ui.with_provenance_links(
    series.drop(columns=["kpi_id", "project_name", "kpi_name"]),
    {"actual_observation_id": ui.LINK_LABEL, "target_observation_id": ui.TARGET_LINK_LABEL},
)
ui.table(shown, labels)
st.caption("実績値は基準単位、原表記は報告書に印刷された値と単位です。「出典を見る」で印刷箇所を表示します。")
