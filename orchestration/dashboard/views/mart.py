"""Any published mart, filtered by its facets (prefecture, issuer, programme, year, measure, result)."""

import streamlit as st

from orchestration.dashboard import data, ui
from orchestration.dashboard.texts import md

release = ui.release()
st.title("データ一覧")
names = data.marts(release)
mart = st.selectbox("表", names, key="table", bind="query-params")
labels = release.labels(mart)
columns = set(release.frame(f'select * from marts."{mart}" limit 0').columns)
chosen = {
    column: st.multiselect(
        labels.get(column, column),
        data.facet_values(release, mart, column),
        key=column,
        bind="query-params",
        placeholder=ui.CHOOSE,
    )
    for column in data.FACETS
    if column in columns
}
count, rows = data.mart_rows(release, mart, chosen)
st.subheader(f"{md(mart)}: {count:,}行" + (f"（先頭の{data.MART_ROWS_SHOWN:,}行を表示）" if count > len(rows) else ""))
ui.table(rows[sorted(rows.columns, key=lambda c: c.endswith("_id"))], labels)  # ids last
st.caption("全行は公開版の Parquet・CSV・DuckDB ファイルにあります。")
