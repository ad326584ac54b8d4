"""What a person should look at: the review queue and the quarantine, with reasons, filterable."""

import streamlit as st

from orchestration.dashboard import correct, data, texts, ui

release = ui.release()
st.title(ui.t("review.title"))
text = st.text_input(ui.t("review.filter"), key="text", bind="query-params")

queue = data.review_queue(release)
if ui.lang() == "ja":  # the warehouse records sources and reasons in English, shown as recorded in English
    queue.insert(
        queue.columns.get_loc("reason"),
        "reason_ja",
        [texts.review_reason(r, s) for r, s in zip(queue["reason"], queue["review_source"], strict=True)],
    )
    # the recorded (English) reason is kept only where the catalogue has no translation for it
    queue["reason"] = [None if texts.missing(r) or texts.is_translated(r) else r for r in queue["reason"]]
    queue["review_source"] = queue["review_source"].map(texts.review_source)
st.subheader(ui.t("review.queue", count=len(queue)))
sources = st.multiselect(
    ui.t("review.sources"),
    sorted(queue["review_source"].dropna().unique()),
    key="sources",
    bind="query-params",
    placeholder=ui.choose(),
)
ui.table(
    data.filtered(queue, "review_source", sources, text),
    ui.labels("review_queue") | {"reason": ui.t("columns.reason_recorded")},
)

held = data.quarantine(release)
st.subheader(ui.t("review.held", count=len(held)))
reasons = st.multiselect(
    ui.t("review.reasons"),
    sorted(held["quarantine_reason"].dropna().unique()),
    key="reasons",
    bind="query-params",
    placeholder=ui.choose(),
)
ui.table(data.filtered(held, "quarantine_reason", reasons, text), ui.labels("quarantine_kpi_observation"))

# correct, reject or confirm a number the queue or the quarantine holds
st.divider()
reviewable = data.reviewable_observations(release)
if reviewable.empty:
    st.caption(ui.t("correction.none_to_choose"))
    st.stop()
names = {
    row.observation_id: "・".join(  # each part on its own: a missing KPI name or measure shows as —
        texts.plain(part)
        for part in (
            row.kpi_name,
            texts.measure(row.measure, ui.lang()),
            ui.cell(row.fiscal_year, grouped=False),
            row.doc_id,
        )
    )
    for row in reviewable.itertuples()
}
chosen = st.selectbox(
    ui.t("correction.choose"), list(names), format_func=names.get, key="observation", bind="query-params"
)
st.page_link("views/provenance.py", label=ui.t("correction.open_source"), query_params={"observation": chosen})
correct.form(data.correction_target(release, chosen), "review_correction")
