"""Search KPI and project names: which governments have KPIs about 移住, 観光, 子育て…"""

import streamlit as st

from orchestration.dashboard import data, ui
from orchestration.dashboard.texts import md

release = ui.release()
st.title("KPI・事業の検索")
text = st.text_input("KPI名・事業名に含む語", key="q", bind="query-params", placeholder="例: 移住")
if not text.strip():
    st.info("語を入力すると、KPI名か事業名にその語を含むKPIを一覧します。")
    st.stop()
found = data.search(release, text.strip())
st.subheader(f"「{md(text.strip())}」を含むKPI: {len(found)}件")
if found.empty:
    st.stop()
found.insert(
    0,
    ui.ISSUER_LINK_LABEL,
    [ui.issuer_url(r.issuer_name, r.prefecture, r.issuer_code) for r in found.itertuples()],
)
labels = release.labels("kpi_result_detail") | {
    "first_fiscal_year": "最初の年度",
    "last_fiscal_year": "最後の年度",
    "n_judged": "判定した年度数",
    "n_met": "達成した年度数",
}
ui.table(ui.with_provenance_links(found, {"actual_observation_id": ui.LINK_LABEL}), labels)
