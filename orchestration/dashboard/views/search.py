"""Search KPI and project names: which governments have KPIs about 移住, 観光, 子育て…"""

import streamlit as st

from orchestration.dashboard import data, ui
from orchestration.dashboard.texts import md

release = ui.release()
st.title(ui.t("search.title"))
text = st.text_input(ui.t("search.words"), key="q", bind="query-params", placeholder=ui.t("search.example"))
if not text.strip():
    st.info(ui.t("search.hint"))
    st.stop()
found = data.search(release, text.strip())
st.subheader(ui.t("search.found", words=md(text.strip()), count=len(found)))
if found.empty:
    st.stop()
found.insert(
    0,
    ui.ISSUER_LINK_COLUMN,
    [ui.issuer_url(r.issuer_name, r.prefecture, r.issuer_code) for r in found.itertuples()],
)
ui.table(ui.with_provenance_links(found, {"actual_observation_id": ui.LINK_COLUMN}), ui.labels("kpi_result_detail"))
