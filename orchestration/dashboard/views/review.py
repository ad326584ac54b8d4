"""What a person should look at: the review queue and the quarantine, with reasons, filterable."""

import streamlit as st

from orchestration.dashboard import data, ui

release = ui.release()
st.title("要確認・隔離")
text = st.text_input("絞り込み（文書・理由・原文を含むもの）", key="text")

queue = data.review_queue(release)
st.subheader(f"要確認（review_queue）: {len(queue)}件")
sources = st.multiselect("発生元", sorted(queue["review_source"].dropna().unique()), key="sources")
ui.table(data.filtered(queue, "review_source", sources, text), release.labels("review_queue"))

held = data.quarantine(release)
st.subheader(f"隔離（quarantine_kpi_observation）: {len(held)}件")
reasons = st.multiselect("隔離理由", sorted(held["quarantine_reason"].dropna().unique()), key="reasons")
ui.table(data.filtered(held, "quarantine_reason", reasons, text), release.labels("quarantine_kpi_observation"))
