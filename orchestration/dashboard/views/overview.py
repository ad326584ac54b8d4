"""The Cabinet Office's two headline rates by fiscal year, grant programme or prefecture."""

import altair as alt
import streamlit as st

from orchestration.dashboard import data, texts, ui
from orchestration.dashboard.texts import jst, md

release = ui.release()
labels = release.labels("summary_kpi_achievement")
st.title("KPI達成率")
st.caption(
    ui.t(
        "overview.freshness",
        published=md(jst(release.record.get("recorded_at"))),
        latest=md(data.latest_fiscal_year(release)),
        run=md(release.record.get("run_id")),
    )
)

axis = st.radio("集計軸", list(data.AXES), horizontal=True, key="axis", bind="query-params")
year = ui.fiscal_year_picker(release)


total = data.headline_rates(release, "年度", year).sum(numeric_only=True).astype(int)
for column, (name, rate) in zip(st.columns(2), texts.catalogue()["rates"].items(), strict=True):
    met, judged = total[rate["numerator"]], total[rate["denominator"]]
    words = rate[ui.lang()]
    column.metric(words["name"], md(ui.percent(met / judged if judged else None)), help=md(words["definition"]))
    column.caption(ui.t("overview.counts", met=f"{met:,}", judged=f"{judged:,}", noun=words["counted"]))
    column.caption(md(ui.rate_definition(name)))

rates = data.headline_rates(release, axis, year)
chart_data = rates.melt(
    id_vars=["label"], value_vars=["share_projects_with_kpi_met", "share_kpis_met"], var_name="rate", value_name="share"
)
chart_data["rate"] = chart_data["rate"].map(
    {"share_projects_with_kpi_met": "事業の達成率", "share_kpis_met": "KPIの達成率"}
)
st.altair_chart(
    alt.Chart(chart_data)
    .mark_bar()
    .encode(
        x=alt.X("label:N", title=axis, sort=None, axis=alt.Axis(labelAngle=-90 if axis == "都道府県" else 0)),
        xOffset="rate:N",
        y=alt.Y("share:Q", title="割合", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("rate:N", title="指標"),
        tooltip=[
            alt.Tooltip("label", title=axis),
            alt.Tooltip("rate", title="指標"),
            alt.Tooltip("share:Q", title="割合", format=".1%"),
        ],
    ),
    width="stretch",
)
st.subheader(f"{axis}別")
ui.table(rates.drop(columns=["key"]), labels, key="rates")
slices = dict(zip(rates["label"], rates["key"], strict=True))  # labels are unique; a key may be null
chosen = st.selectbox(
    "内訳を見る区分",
    [None, *slices],
    format_func=lambda label: "（選ばない）" if label is None else label,
    key="slice",
    bind="query-params",
)
if chosen is not None:
    behind = ui.with_provenance_links(
        data.results_behind(release, axis, slices[chosen], year), {"actual_observation_id": ui.LINK_LABEL}
    )
    st.subheader(f"{md(chosen)}：判定の基になったKPI（{len(behind)}件）")
    ui.table(behind, release.labels("kpi_result_detail"))
