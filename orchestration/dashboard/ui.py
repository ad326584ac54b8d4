"""Widgets the pages share: the release being read, Japanese column labels, provenance links."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pandas as pd
import streamlit as st

from orchestration.config import Settings
from orchestration.dashboard.data import Release
from orchestration.publish import current_release

PROVENANCE_PAGE = "provenance"
LINK_LABEL = "出典"  # the link to where the actual was printed
TARGET_LINK_LABEL = "目標値の出典"
# Labels for columns that the pages derive (every mart column's label comes from its comment).
DERIVED_LABELS = {
    "label": "区分",
    "key": "区分コード",
    "measure": "区分",
    "value": "値",
    "n_kpis": "指標数",
    "total_cost_yen": "事業費合計（円）",
}
PERCENT_COLUMNS = {"share_projects_with_kpi_met", "share_kpis_met", "progress_ratio"}
YEN_COLUMNS = {"total_cost_yen", "cost_yen"}


def settings() -> Settings:
    return Settings.from_env()


@st.cache_resource(max_entries=2)
def _release_at(path: str) -> Release:
    return Release.at(Path(path))


def release() -> Release:
    """The published release, resolved once per page run (a new publish shows on the next run)."""
    path = current_release(settings().published_dir)
    if path is None:
        st.warning(f"公開済みのデータがありません（{settings().published_dir}）。`sosei build` を実行してください。")
        st.stop()
    return _release_at(str(path))


def provenance_url(observation_id: str | None) -> str | None:
    return f"{PROVENANCE_PAGE}?observation={quote(observation_id)}" if observation_id else None


def with_provenance_links(frame: pd.DataFrame, links: dict[str, str]) -> pd.DataFrame:
    """`frame` with, per observation-id column of `links`, a column (named by its value) linking to
    the provenance page of that observation; the id columns themselves are dropped."""
    linked = frame.copy()
    for id_column, link_column in links.items():
        linked[link_column] = linked[id_column].map(provenance_url)
    return linked.drop(columns=list(links))


def column_config(frame: pd.DataFrame, labels: dict[str, str]) -> dict:
    """Japanese header for every column; rates as percentages, yen as yen, links as links."""
    config = {}
    for column in frame.columns:
        label = labels.get(column) or DERIVED_LABELS.get(column) or column
        if column in (LINK_LABEL, TARGET_LINK_LABEL):
            config[column] = st.column_config.LinkColumn(column, display_text="出典を見る")
        elif column in PERCENT_COLUMNS:
            config[column] = st.column_config.NumberColumn(label, format="percent")
        elif column in YEN_COLUMNS:
            config[column] = st.column_config.NumberColumn(label, format="yen")
        else:
            config[column] = st.column_config.Column(label)
    return config


def table(frame: pd.DataFrame, labels: dict[str, str], **kwargs):
    return st.dataframe(frame, column_config=column_config(frame, labels), hide_index=True, **kwargs)


def number(value: float | None, unit: str | None = "") -> str:
    """A value as people read it: thousands separated, no trailing .0, its unit after it."""
    if value is None or pd.isna(value):
        return "—"
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"
    return f"{text} {unit or ''}".strip()


def percent(share: float | None) -> str:
    return "—" if share is None or pd.isna(share) else f"{share:.1%}"
