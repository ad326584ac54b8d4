"""What a person should look at: the review queue and the quarantine, with reasons, filterable."""

import streamlit as st

from orchestration.dashboard import data, texts, ui

release = ui.release()
st.title("要確認・隔離")
text = st.text_input("絞り込み（文書・理由・原文を含むもの）", key="text", bind="query-params")

queue = data.review_queue(release)
queue.insert(
    queue.columns.get_loc("reason"),
    "reason_ja",
    [texts.review_reason(r, s) for r, s in zip(queue["reason"], queue["review_source"], strict=True)],
)
# the recorded (English) reason is kept only where the catalogue has no translation for it
queue["reason"] = [None if texts.missing(r) or texts.is_translated(r) else r for r in queue["reason"]]
queue["review_source"] = queue["review_source"].map(texts.review_source)
st.subheader(f"要確認: {len(queue)}件")
sources = st.multiselect(
    "発生元",
    sorted(queue["review_source"].dropna().unique()),
    key="sources",
    bind="query-params",
    placeholder=ui.CHOOSE,
)
ui.table(
    data.filtered(queue, "review_source", sources, text),
    release.labels("review_queue") | {"reason_ja": "理由", "reason": "記録された理由（未翻訳のもの）"},
)

held = data.quarantine(release)
st.subheader(f"隔離: {len(held)}件")
reasons = st.multiselect(
    "隔離理由",
    sorted(held["quarantine_reason"].dropna().unique()),
    key="reasons",
    bind="query-params",
    placeholder=ui.CHOOSE,
)
ui.table(data.filtered(held, "quarantine_reason", reasons, text), release.labels("quarantine_kpi_observation"))
