"""The correction form the provenance and review pages share: correct, reject or confirm one
number by appending a line to raw/corrections.csv (`corrections.append_correction`, under its
file lock), and what the data team did to it (verification, correction history).

The line carries the keys the build matches observations by, taken from the published release
(`data.correction_target`), never typed; whether it checks out the build decides, as for a line
typed by hand. Words come from the catalogue ([ui.correction], [correction_actions],
[verifications]); data reaches Markdown through md.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st
from filelock import Timeout

from orchestration.dashboard import data, ui
from orchestration.dashboard.texts import JST, catalogue, md, missing
from orchestration.land.corrections import append_correction, read_corrections
from orchestration.land.manifest import ManifestError

LINE_COLUMNS = ("correction_line", "action", "value", "unit", "author", "corrected_on", "reason")


def _named(section: str, name: str) -> str:
    """A warehouse value (an action, a verification) in the chosen language; itself if unknown."""
    entry = catalogue()[section].get(name)
    return entry[ui.lang()] if entry else name


def verification(row) -> None:
    """A published number's verification and its evidence."""
    evidence = row["verification_evidence"]
    evidence = "" if missing(evidence) else f"  \n**{ui.t('correction.evidence')}**: {md(evidence)}"
    label = _named("verifications", row["verification"])
    st.markdown(f"**{ui.t('correction.verification')}**: {md(label)}{evidence}")


def history(row, target: dict | None) -> None:
    """What corrections did to a published number, and the corrections file's lines naming it."""
    st.subheader(ui.t("correction.history"))
    corrected = not missing(row["correction_actions"]) or row["origin"] == "added"
    if corrected:
        st.markdown(
            f"**{ui.t('correction.extracted')}**: {md(ui.printed(None, row['extracted_value'], row['extracted_unit']))}"
            f"  \n{md(row['correction_actions'])} — {md(row['corrected_by'])}（{md(row['corrected_on'])}）: "
            f"{md(row['correction_reason'])}"
        )
    try:
        lines = data.correction_lines(read_corrections(ui.settings().corrections_path), target) if target else None
    except ManifestError as e:  # a hand-edited file the build cannot read either: say why, as the form does
        st.error(str(e))
        return
    if lines is None or lines.empty:
        if not corrected:
            st.caption(ui.t("correction.no_history"))
        return
    st.caption(ui.t("correction.file_lines"))
    lines["action"] = lines["action"].map(lambda action: _named("correction_actions", action))
    headers = {c: ui.t(f"correction.{c if c == 'correction_line' else 'line_' + c}") for c in LINE_COLUMNS}
    ui.table(lines, headers)


def form(target: dict, key: str) -> None:
    """The correct / reject / confirm form for one number (`target`: data.correction_target)."""
    st.subheader(ui.t("correction.heading"))
    if target["origin"] == "added":
        st.info(ui.t("correction.not_correctable"))
        return
    st.caption(ui.t("correction.explain"))
    actions = list(catalogue()["correction_actions"])
    with st.form(f"correction_{key}"):
        action = st.selectbox(
            ui.t("correction.action"),
            actions,
            format_func=lambda a: _named("correction_actions", a),
            key=f"{key}_action",
        )
        value = st.text_input(ui.t("correction.value"), key=f"{key}_value")
        unit = st.text_input(ui.t("correction.unit"), key=f"{key}_unit")
        author = st.text_input(ui.t("correction.author"), key=f"{key}_author")
        reason = st.text_area(ui.t("correction.reason"), key=f"{key}_reason")
        submitted = st.form_submit_button(ui.t("correction.submit"))
    if submitted:
        _submit(target, action, value.strip(), unit.strip(), author.strip(), reason.strip())


def _submit(target: dict, action: str, value: str, unit: str, author: str, reason: str) -> None:
    if not author or not reason:
        st.error(ui.t("correction.needs_author_and_reason"))
        return
    if action.startswith("set_") and not value:
        st.error(ui.t("correction.needs_value"))
        return
    keys = ("sha256", "file", "page", "line", "cell", "project_name", "kpi_name", "measure", "fiscal_year")
    line = {
        **{name: target[name] for name in keys},
        "action": action,
        "value": value if action.startswith("set_") else "",
        "unit": unit if action == "set_value" else "",
        "author": author,
        "corrected_on": dt.datetime.now(JST).date().isoformat(),
        "reason": reason,
    }
    try:
        written = append_correction(ui.settings().corrections_path, line)
    except Timeout:
        st.error(ui.t("correction.busy"))
    except ManifestError as e:
        st.error(ui.t("correction.not_written", error=md(e)))
    else:
        st.success(ui.t("correction.written", line=written))
