"""Where one number was printed: document, page / line / cell and the printed fragment."""

import streamlit as st

from orchestration.dashboard import correct, data, texts, ui
from orchestration.dashboard.texts import md, missing

release = ui.release()
st.title(ui.t("provenance.title"))
observation_id = st.text_input(ui.t("provenance.observation"), key="observation", bind="query-params")
if not observation_id:
    st.info(ui.t("provenance.hint"))
    st.stop()
found = data.observation(release, observation_id)
if found.empty:
    st.warning(ui.t("provenance.not_found", id=md(observation_id)))
    st.stop()
row = found.iloc[0]
st.subheader(f"{md(row['kpi_name'])}（{md(row['project_name'])}）")
where = "・".join(
    f"{ui.t(f'provenance.{col}')} {ui.cell(row[col], grouped=False)}"
    for col in ("page", "line", "cell")
    if not missing(row[col]) and str(row[col]) != ""
)
title = md(row["title"]) if not missing(row["title"]) else ui.t("provenance.no_title")
issuer = md(row["issuer_name"]) if not missing(row["issuer_name"]) else ui.t("provenance.unresolved")
year = md(row["fiscal_year_label"]) if not missing(row["fiscal_year_label"]) else ui.t("provenance.no_year")
st.markdown(
    f"**{ui.t('provenance.document')}**: {md(row['doc_name'])}（{title}）  \n**{ui.t('provenance.issuer')}**: {issuer}"
    f"  \n**{ui.t('provenance.place')}**: {md(where) if where else ui.t('provenance.not_recorded')}"
    f"  \n**{ui.t('provenance.fiscal_year')}**: {year}"
    f"  \n**{ui.t('provenance.retrieved_on')}**: {md(row['retrieved_on'])}"
    f"  \n**{ui.t('provenance.source_url')}**: {md(row['source_url'])}"
)
if url := texts.web_url(row["source_url"]):  # a link only to an http(s) address; anything else stays text
    st.link_button(ui.t("provenance.open_source"), url)
left, right = st.columns(2)
left.metric(ui.t("provenance.printed"), md(ui.printed(row["value_text"], row["value"], row["unit"])))
right.metric(ui.t("provenance.base"), md(ui.number(row["value_base"], row["base_unit"])))
correct.verification(row)
st.caption(ui.t("provenance.fragment"))
st.code(row["fragment"] or "", language=None)
ui.table(found, ui.labels("fct_kpi_observation", "dim_document"))
target = data.correction_target(release, observation_id)
correct.history(row, target)
correct.form(target, "correction")
