"""Where one number was printed: document, page / line / cell and the printed fragment."""

import streamlit as st

from orchestration.dashboard import data, texts, ui
from orchestration.dashboard.texts import md, missing

release = ui.release()
st.title("出典")
observation_id = st.text_input("観測ID", key="observation", bind="query-params")
if not observation_id:
    st.info("団体別・達成率の表の「出典を見る」から開くか、観測IDを入力してください。")
    st.stop()
found = data.observation(release, observation_id)
if found.empty:
    st.warning(f"観測ID {md(observation_id)} は公開版にありません（隔離されたか、別の公開版の値です）。")
    st.stop()
row = found.iloc[0]
st.subheader(f"{md(row['kpi_name'])}（{md(row['project_name'])}）")
where = "・".join(
    f"{name} {ui.cell(row[col], grouped=False)}"
    for col, name in (("page", "頁"), ("line", "行"), ("cell", "セル"))
    if not missing(row[col]) and str(row[col]) != ""
)
title = md(row["title"]) if not missing(row["title"]) else "表題なし"
issuer = md(row["issuer_name"]) if not missing(row["issuer_name"]) else "未解決"
year = md(row["fiscal_year_label"]) if not missing(row["fiscal_year_label"]) else "年度なし（基準値）"
st.markdown(
    f"**文書**: {md(row['doc_name'])}（{title}）  \n**団体**: {issuer}"
    f"  \n**位置**: {md(where) if where else '記録なし'}  \n**年度**: {year}"
    f"  \n**{ui.t('provenance.retrieved_on')}**: {md(row['retrieved_on'])}"
    f"  \n**{ui.t('provenance.source_url')}**: {md(row['source_url'])}"
)
if url := texts.web_url(row["source_url"]):  # a link only to an http(s) address; anything else stays text
    st.link_button(ui.t("provenance.open_source"), url)
left, right = st.columns(2)
left.metric("印刷された値", md(ui.printed(row["value_text"], row["value"], row["unit"])))
right.metric("基準単位の値", md(ui.number(row["value_base"], row["base_unit"])))
st.caption("印刷された原文")
st.code(row["fragment"] or "", language=None)
ui.table(found, release.labels("fct_kpi_observation") | release.labels("dim_document"))
