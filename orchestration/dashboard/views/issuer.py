"""One government: its projects, each KPI's series across fiscal years, target met or not, cost."""

import altair as alt
import streamlit as st

from orchestration.dashboard import data, texts, ui
from orchestration.dashboard.texts import md

release = ui.release()
labels = ui.labels("kpi_result_detail", "dim_project")
st.title(ui.t("issuer.title"))
issuers = data.issuers(release)
if issuers.empty:
    st.info(ui.t("issuer.none"))
    st.stop()
prefecture = st.selectbox(
    ui.t("common.prefecture"),
    [None, *data.prefectures(release)],
    format_func=lambda p: ui.t("common.all") if p is None else p,
    key="prefecture",
    bind="query-params",
)
if prefecture is not None:
    issuers = issuers[issuers["prefecture"] == prefecture]
names = {r.issuer_code: ui.issuer_label(r.issuer_name, r.prefecture, r.issuer_code) for r in issuers.itertuples()}
code = st.selectbox(ui.t("issuer.issuer"), list(names), format_func=names.get, key="issuer", bind="query-params")

st.subheader(ui.t("issuer.projects"))
ui.table(data.issuer_projects(release, code).drop(columns=["project_id"]), labels)

results = data.issuer_results(release, code)
kpis = results.drop_duplicates("kpi_id")
kpi_names = {r.kpi_id: f"{r.project_name} ／ {r.kpi_name}" for r in kpis.itertuples()}
kpi_id = st.selectbox("KPI", list(kpi_names), format_func=kpi_names.get, key="kpi", bind="query-params")
series = results[results["kpi_id"] == kpi_id]
unit = series["base_unit"].dropna().iloc[0] if series["base_unit"].notna().any() else ""
st.subheader(ui.t("issuer.series", kpi=md(kpi_names[kpi_id]), unit=md(unit) if unit else ui.t("issuer.no_unit")))
long = data.series_for_chart(series, ui.lang())
measures = [texts.measure(m, ui.lang()) for m in ("baseline", "target", "actual")]
if long["fiscal_year"].nunique() >= 2:
    st.altair_chart(
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x=alt.X(
                "fiscal_year_ja:N",
                title=ui.t("common.fiscal_year"),
                sort=alt.SortField("fiscal_year"),
                axis=alt.Axis(labelAngle=0),
            ),
            y=alt.Y("value:Q", title=ui.t("issuer.value_in", unit=unit) if unit else ui.t("common.value")),
            color=alt.Color("measure:N", title=ui.t("common.measure"), scale=alt.Scale(domain=measures)),
            strokeDash=alt.condition(alt.datum.measure == measures[0], alt.value([4, 4]), alt.value([1, 0])),
            tooltip=[
                alt.Tooltip("fiscal_year_ja", title=ui.t("common.fiscal_year")),
                alt.Tooltip("measure", title=ui.t("common.measure")),
                alt.Tooltip("value", title=ui.t("common.value")),
            ],
        ),
        width="stretch",
    )
else:
    st.info(ui.t("issuer.one_year"))
shown = ui.with_provenance_links(
    series.drop(columns=["kpi_id", "project_name", "kpi_name"]),
    {"actual_observation_id": ui.LINK_COLUMN, "target_observation_id": ui.TARGET_LINK_COLUMN},
)
ui.table(shown, labels)
st.caption(ui.t("issuer.note"))
