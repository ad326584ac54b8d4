"""Any published mart, filtered by its facets (prefecture, issuer, programme, year, measure, result)."""

import streamlit as st

from orchestration.dashboard import data, ui
from orchestration.dashboard.texts import md

release = ui.release()
st.title(ui.t("mart.title"))
names = data.marts(release)
mart = st.selectbox(ui.t("mart.table"), names, key="table", bind="query-params")
labels = ui.labels(mart)
columns = set(release.frame(f'select * from marts."{mart}" limit 0').columns)
chosen = {
    column: st.multiselect(
        labels.get(column, column),
        data.facet_values(release, mart, column),
        key=column,
        bind="query-params",
        placeholder=ui.choose(),
    )
    for column in data.FACETS
    if column in columns
}
count, rows = data.mart_rows(release, mart, chosen)
first = ui.t("mart.first", shown=f"{data.MART_ROWS_SHOWN:,}") if count > len(rows) else ""
st.subheader(ui.t("mart.count", mart=md(mart), count=f"{count:,}") + first)
ui.table(rows[sorted(rows.columns, key=lambda c: c.endswith("_id"))], labels)  # ids last
st.caption(ui.t("mart.whole"))
