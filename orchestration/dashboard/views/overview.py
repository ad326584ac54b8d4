"""The Cabinet Office's two headline rates by fiscal year, grant programme or prefecture."""

import altair as alt
import streamlit as st

from orchestration.dashboard import data, texts, ui
from orchestration.dashboard.texts import jst, md

release = ui.release()
st.title(ui.t("overview.title"))
st.caption(
    ui.t(
        "overview.freshness",
        published=md(jst(release.record.get("recorded_at"))),
        latest=md(data.latest_fiscal_year(release)),
        run=md(release.record.get("run_id")),
    )
)

axes = {ui.t(f"axes.{a}"): a for a in data.AXES}  # the name shown (and kept in the URL) → the axis
ui.keep_choice("axis", {ui.t(f"axes.{a}"): texts.catalogue()["ui"]["axes"][a] for a in data.AXES})
axis_name = st.radio(ui.t("overview.axis"), list(axes), horizontal=True, key="axis", bind="query-params")
axis = axes[axis_name]
year = ui.fiscal_year_picker(release)

total = data.headline_rates(release, "年度", year).sum(numeric_only=True).astype(int)
for column, (name, rate) in zip(st.columns(2), texts.catalogue()["rates"].items(), strict=True):
    met, judged = total[rate["numerator"]], total[rate["denominator"]]
    words = rate[ui.lang()]
    column.metric(words["name"], md(ui.percent(met / judged if judged else None)), help=md(words["definition"]))
    column.caption(ui.t("overview.counts", met=f"{met:,}", judged=f"{judged:,}", noun=words["counted"]))
    column.caption(md(ui.rate_definition(name)))

unresolved = ui.t("overview.unresolved_program" if axis == "交付金" else "overview.unresolved_issuer")
rates = data.headline_rates(release, axis, year, unresolved)
chart_data = rates.melt(
    id_vars=["label"], value_vars=["share_projects_with_kpi_met", "share_kpis_met"], var_name="rate", value_name="share"
)
chart_data["rate"] = chart_data["rate"].map(
    {"share_projects_with_kpi_met": ui.t("overview.project_rate"), "share_kpis_met": ui.t("overview.kpi_rate")}
)
st.altair_chart(
    alt.Chart(chart_data)
    .mark_bar()
    .encode(
        x=alt.X("label:N", title=axis_name, sort=None, axis=alt.Axis(labelAngle=-90 if axis == "都道府県" else 0)),
        xOffset="rate:N",
        y=alt.Y("share:Q", title=ui.t("common.share"), axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("rate:N", title=ui.t("common.rate")),
        tooltip=[
            alt.Tooltip("label", title=axis_name),
            alt.Tooltip("rate", title=ui.t("common.rate")),
            alt.Tooltip("share:Q", title=ui.t("common.share"), format=".1%"),
        ],
    ),
    width="stretch",
)
st.subheader(ui.t("overview.by_axis", axis=axis_name))
ui.table(rates.drop(columns=["key"]), ui.labels("summary_kpi_achievement"), key="rates")
slices = dict(zip(rates["label"], rates["key"], strict=True))  # labels are unique; a key may be null
chosen = st.selectbox(
    ui.t("overview.slice"),
    [None, *slices],
    format_func=lambda label: ui.t("overview.no_slice") if label is None else label,
    key="slice",
    bind="query-params",
)
if chosen is not None:
    behind = ui.with_provenance_links(
        data.results_behind(release, axis, slices[chosen], year), {"actual_observation_id": ui.LINK_COLUMN}
    )
    st.subheader(ui.t("overview.behind", slice=md(chosen), count=len(behind)))
    ui.table(behind, ui.labels("kpi_result_detail"))
