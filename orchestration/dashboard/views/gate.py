"""The last quality gate's result per suite, readable offline (no Data Docs needed)."""

import streamlit as st

from orchestration.dashboard import data, texts, ui
from orchestration.dashboard.texts import md

release = ui.release()
st.title("品質ゲート")
published = release.record
latest = data.last_run(ui.settings().runs_dir) or published
RUN_LABELS = {
    "suite": "スイート",
    "description": "内容",
    "passed": "合格",
    "rows": "行数",
    "problem": "問題",
    "n_errors": "エラー数",
    "n_warnings": "警告数",
}


def show(record: dict, title: str) -> None:
    gate = record.get("gate", {})
    verdict = "合格" if gate.get("passed") else "不合格"
    st.subheader(f"{title}: {verdict}（実行 {md(record.get('run_id'))}、{md(texts.jst(record.get('recorded_at')))}）")
    if gate.get("reason"):
        st.warning(f"理由: {md(gate['reason'])}")
    ui.table(data.gate_suites(gate), RUN_LABELS)
    for name, suite in gate.get("suites", {}).items():
        findings = [("エラー", f) for f in suite.get("errors", [])] + [("警告", f) for f in suite.get("warnings", [])]
        if findings:
            with st.expander(f"{md(name)}: {len(findings)}件（検査の記録、原文）"):
                for kind, finding in findings:
                    st.text(f"{kind}: {finding}")


if latest.get("run_id") != published.get("run_id"):
    show(latest, "最新の実行（公開されていません）")
show(published, "公開版のゲート")
