"""The last quality gate's result per suite, readable offline (no Data Docs needed)."""

import streamlit as st

from orchestration.dashboard import data, texts, ui
from orchestration.dashboard.texts import md

release = ui.release()
st.title(ui.t("gate.title"))
published = release.record
latest = data.last_run(ui.settings().runs_dir) or published


def show(record: dict, title: str) -> None:
    gate = record.get("gate", {})
    verdict = ui.t("gate.passed" if gate.get("passed") else "gate.failed")
    at = md(texts.jst(record.get("recorded_at")))
    st.subheader(ui.t("gate.run", title=title, verdict=verdict, run=md(record.get("run_id")), at=at))
    if gate.get("reason"):
        st.warning(ui.t("gate.reason", reason=md(gate["reason"])))
    ui.table(data.gate_suites(gate, ui.lang()), {})
    for name, suite in gate.get("suites", {}).items():
        findings = [(ui.t("gate.error"), f) for f in suite.get("errors", [])]
        findings += [(ui.t("gate.warning"), f) for f in suite.get("warnings", [])]
        if findings:
            with st.expander(ui.t("gate.findings", suite=md(name), count=len(findings))):
                for kind, finding in findings:
                    st.text(f"{kind}: {finding}")


if latest.get("run_id") != published.get("run_id"):
    show(latest, ui.t("gate.latest"))
show(published, ui.t("gate.published"))
