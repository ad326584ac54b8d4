"""The Cabinet Office's two headline rates by fiscal year, grant programme or prefecture."""

import altair as alt
import streamlit as st

from orchestration.dashboard import data, ui

release = ui.release()
labels = release.labels("summary_kpi_achievement")
st.title("KPI達成率")
st.caption(
    "一つ以上のKPIを達成した事業の割合と、目標を達成したKPIの割合（目標値と実績値の両方があるものが分母）。"
    f"公開版 {release.record.get('run_id')}（{release.record.get('recorded_at')}）"
)

axis = st.radio("集計軸", list(data.AXES), horizontal=True, key="axis")
years = data.fiscal_years(release)
year_labels = dict(zip(years["fiscal_year"], years["label"], strict=True))
year = st.selectbox(
    "年度", [None, *year_labels], format_func=lambda y: "全年度" if y is None else year_labels[y], key="fiscal_year"
)


def headline(column, title: str, met: int, judged: int, noun: str) -> None:
    column.metric(title, ui.percent(met / judged if judged else None))
    column.caption(f"{met:,} / {judged:,} {noun}（年度別の延べ）")


total = data.headline_rates(release, "年度", year).sum(numeric_only=True).astype(int)
left, right = st.columns(2)
headline(
    left, "KPIを一つ以上達成した事業の割合", total["n_projects_with_kpi_met"], total["n_projects_with_result"], "事業"
)
headline(right, "目標を達成したKPIの割合", total["n_kpis_met"], total["n_kpis_with_result"], "指標")

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
        x=alt.X("label:N", title=axis, sort=None, axis=alt.Axis(labelAngle=0, labelLimit=240)),
        xOffset="rate:N",
        y=alt.Y("share:Q", title="割合", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("rate:N", title="指標"),
        tooltip=["label", "rate", alt.Tooltip("share:Q", format=".1%")],
    ),
    width="stretch",
)
st.subheader(f"{axis}別")
chosen = ui.table(rates, labels, key="rates", on_select="rerun", selection_mode="single-row")
st.caption("行を選ぶと、その率の基になったKPIの結果と出典が表示されます。")
if chosen.selection.rows:
    row = rates.iloc[chosen.selection.rows[0]]
    behind = ui.with_provenance_links(
        data.results_behind(release, axis, row["key"], year), {"actual_observation_id": ui.LINK_LABEL}
    )
    st.subheader(f"{row['label']}：判定の基になったKPI（{len(behind)}件）")
    ui.table(behind, release.labels("kpi_result_detail"))
