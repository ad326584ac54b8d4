"""The headline rates by prefecture on a tile-grid map of Japan (drawn offline by Altair, no map
tiles); clicking a prefecture or choosing it lists its governments, each linked to its page."""

import altair as alt
import streamlit as st

from orchestration.dashboard import data, texts, ui
from orchestration.dashboard.texts import md

release = ui.release()
st.title(ui.t("map.title"))
st.caption(ui.t("map.caption"))
rates = texts.catalogue()["rates"]
left, right = st.columns(2)
ui.keep_choice(
    "rate", {r: {lang: words["name"] for lang, words in rates[r].items() if lang in ("ja", "en")} for r in rates}
)
rate = left.selectbox(
    ui.t("common.rate"), list(rates), format_func=lambda r: rates[r][ui.lang()]["name"], key="rate", bind="query-params"
)
year = ui.fiscal_year_picker(release, right)
st.caption(md(rates[rate][ui.lang()]["definition"]))

tiles = data.prefecture_map(release, year)
tiles["shown"] = tiles[rate].map(lambda share: ui.t("map.no_result") if texts.missing(share) else ui.percent(share))
tiles["denominator"] = tiles[rates[rate]["denominator"]].map(ui.cell)
tiles["numerator"] = tiles[rates[rate]["numerator"]].map(ui.cell)
tiles["short"] = tiles["prefecture"].str.replace(r"(?<=.)[都府県]$", "", regex=True)
chosen = alt.selection_point(fields=["prefecture"], name="pick")
base = alt.Chart(tiles).encode(x=alt.X("column:O", axis=None), y=alt.Y("row:O", axis=None, sort="ascending"))
squares = (
    base.mark_rect(stroke="white", strokeWidth=2, invalid="show")  # grey (configured below), not dropped
    .encode(
        color=alt.Color(
            f"{rate}:Q",
            title=ui.t("common.share"),
            scale=alt.Scale(domain=[0, 1], scheme="blues"),
            legend=alt.Legend(format="%"),
        ),
        tooltip=[
            alt.Tooltip("prefecture:N", title=ui.t("common.prefecture")),
            alt.Tooltip("shown:N", title=rates[rate][ui.lang()]["name"]),
            alt.Tooltip("numerator:N", title=ui.t("common.met")),
            alt.Tooltip("denominator:N", title=ui.t("common.denominator")),
        ],
    )
    .add_params(chosen)
)
names = base.mark_text(fontSize=11).encode(text="short:N")
event = st.altair_chart(
    (squares + names)
    .properties(height=460)
    .configure_view(stroke=None)
    .configure_scale(invalid={"color": {"value": "#dddddd"}}),  # a prefecture with nothing judged
    on_select="rerun",
    key="map_chart",
    width="stretch",
)
clicked = next((p["prefecture"] for p in event.selection.get("pick", []) if "prefecture" in p), None)
if clicked and clicked != st.session_state.get("map_clicked"):
    st.session_state["map_clicked"] = st.session_state["prefecture"] = clicked  # a click chooses the prefecture
prefecture = st.selectbox(
    ui.t("map.choose_prefecture"),
    [None, *tiles["prefecture"]],
    format_func=lambda p: ui.t("common.all") if p is None else p,
    key="prefecture",
    bind="query-params",
)
if prefecture is not None:
    issuers = data.prefecture_issuers(release, prefecture, year)
    st.subheader(ui.t("map.issuers", prefecture=md(prefecture), count=len(issuers)))
    if issuers.empty:
        st.info(ui.t("map.no_issuers"))
    else:
        issuers.insert(
            0,
            ui.ISSUER_LINK_COLUMN,
            [ui.issuer_url(r.issuer_name, r.prefecture, r.issuer_code) for r in issuers.itertuples()],
        )
        ui.table(issuers, ui.labels("summary_kpi_achievement", "dim_issuer"))
