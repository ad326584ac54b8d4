"""Where one number was printed: document, page / line / cell and the printed fragment."""

import streamlit as st

from orchestration.dashboard import data, ui

release = ui.release()
st.title("出典")
observation_id = st.text_input("観測ID", value=st.query_params.get("observation", ""), key="observation")
if not observation_id:
    st.info("団体別・達成率の表の「出典を見る」から開くか、観測IDを入力してください。")
    st.stop()
found = data.observation(release, observation_id)
if found.empty:
    st.warning(f"観測ID {observation_id} は公開版にありません（隔離されたか、別の公開版の値です）。")
    st.stop()
row = found.iloc[0]
st.subheader(f"{row['kpi_name']}（{row['project_name']}）")
where = "・".join(
    f"{name} {row[col]}"
    for col, name in (("page", "頁"), ("line", "行"), ("cell", "セル"))
    if row[col] is not None and str(row[col]) not in ("", "nan", "None", "<NA>")
)
st.markdown(
    f"**文書**: {row['doc_name']}（{row['title'] or '表題なし'}）  \n**団体**: {row['issuer_name'] or '未解決'}"
    f"  \n**位置**: {where or '記録なし'}  \n**年度**: {row['fiscal_year_label'] or '年度なし（基準値）'}"
)
left, right = st.columns(2)
left.metric("印刷された値", f"{row['value_text'] or row['value']} {row['unit'] or ''}".strip())
right.metric("基準単位の値", ui.number(row["value_base"], row["base_unit"]))
st.caption("印刷された原文")
st.code(row["fragment"] or "", language=None)
ui.table(found, release.labels("fct_kpi_observation") | release.labels("dim_document"))
