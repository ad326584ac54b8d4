"""Widgets the pages share: the release being read, Japanese column labels, provenance links,
tables that show `—` for what is missing. Text from the data or the URL goes into Markdown only
through `md` (texts.py)."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

import numpy as np
import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from orchestration.config import Settings
from orchestration.dashboard import data, texts
from orchestration.dashboard.data import Release
from orchestration.dashboard.texts import MISSING, md, missing
from orchestration.publish.release import CURRENT, DB_NAME, current_release

PROVENANCE_PAGE = "provenance"
ISSUER_PAGE = "issuer"
# The pages after the default one (達成率), each views/<page>.py served at /<page>.
PAGES = ("map", "search", "issuer", "provenance", "review", "mart", "gate")
# Columns the pages add: links to a government's page, to where the actual and the target were printed.
ISSUER_LINK_COLUMN = "issuer_link"
LINK_COLUMN = "source_link"
TARGET_LINK_COLUMN = "target_source_link"
LINK_TEXTS = {
    ISSUER_LINK_COLUMN: "issuer_link_text",
    LINK_COLUMN: "source_link_text",
    TARGET_LINK_COLUMN: "source_link_text",
}
PERCENT_COLUMNS = {"share_projects_with_kpi_met", "share_kpis_met", "progress_ratio"}
YEN_COLUMNS = {"total_cost_yen", "cost_yen"}
UNGROUPED = ("year", "page", "line", "_code")  # numbers printed without thousands separators


def lang() -> str:
    """The language chosen by the switch (app.py): ja unless the URL says English."""
    return st.session_state.get("lang") or "ja"


def t(key: str, **fields) -> str:
    """The dashboard's words for `key` in the chosen language (texts.t)."""
    return texts.t(key, lang(), **fields)


def settings() -> Settings:
    return Settings.from_env()


@st.cache_resource(max_entries=2)
def _release_at(path: str) -> Release:
    return Release.at(Path(path))


def release() -> Release:
    """The published release, resolved once per page run (a new publish shows on the next run)."""
    published = settings().published_dir
    path = current_release(published)
    if path is None:
        st.warning(t("common.no_release", where=md(published)))
        st.stop()
    if not (path / DB_NAME).is_file():  # `current` points to a release removed by hand: no traceback
        st.warning(t("common.release_gone", gone=md(os.readlink(published / CURRENT))))
        st.stop()
    return _release_at(str(path))


def labels(*tables: str) -> dict[str, str]:
    """Column → header in the chosen language, from the marts' comments (earlier tables win)."""
    found: dict[str, str] = {}
    for table in reversed(tables):
        found |= release().labels(table, lang())
    return found


def keep_choice(key: str, choices: dict) -> None:
    """Keep the choice of the widget bound to `key` when the language changes: its URL value is the
    name shown (Streamlit's binding), so a name in the other language (a switch of language, a URL
    copied before it) is set to its value here. `choices`: value → {language: name}."""
    named = st.query_params.get(key)
    for value, names in choices.items():
        if named in names.values() and named != names[lang()]:
            st.session_state[key] = value


def choose() -> str:
    """An empty multiselect's placeholder (Streamlit's own is English)."""
    return t("common.choose")


def fiscal_year_picker(release: Release, where: DeltaGenerator | None = None) -> int | None:
    """The fiscal year chosen (None: all), labelled in 和暦, kept in the URL as `fiscal_year`."""
    years = data.fiscal_years(release)
    labels = dict(zip(years["fiscal_year"].astype(int), years["label"], strict=True))
    return (where or st).selectbox(
        t("common.fiscal_year"),
        [None, *labels],
        format_func=lambda y: t("common.all_years") if y is None else labels[y],
        key="fiscal_year",
        bind="query-params",
    )


def issuer_label(name: str, prefecture: str | None, code: str) -> str:
    """How the issuer picker (and its URL) names a government: 盛岡市（岩手県・032018）."""
    return f"{name}（{prefecture or t('common.unknown_prefecture')}・{code}）"


def issuer_url(name: str, prefecture: str | None, code: str) -> str:
    return f"{ISSUER_PAGE}?issuer={quote(issuer_label(name, prefecture, code))}"


def provenance_url(observation_id: str | None) -> str | None:
    return (
        None
        if missing(observation_id) or not observation_id
        else f"{PROVENANCE_PAGE}?observation={quote(observation_id)}"
    )


def with_provenance_links(frame: pd.DataFrame, links: dict[str, str]) -> pd.DataFrame:
    """`frame` with, per observation-id column of `links`, a column (named by its value) linking to
    the provenance page of that observation; the id columns themselves are dropped."""
    linked = frame.copy()
    for id_column, link_column in links.items():
        linked[link_column] = linked[id_column].map(provenance_url)
    return linked.drop(columns=list(links))


def header(column: str, labels: dict[str, str]) -> str:
    """A column's header: a rate's name (catalogue), else its label given, else the catalogue's
    for a column the pages derive, else its name."""
    rate = texts.catalogue()["rates"].get(column)
    derived = texts.catalogue()["ui"]["columns"].get(column)
    return (rate and rate[lang()]["name"]) or labels.get(column) or (derived and derived[lang()]) or column


def column_config(frame: pd.DataFrame, labels: dict[str, str]) -> dict:
    """A header in the chosen language for every column, its published description as its tooltip
    (a rate's definition, from the catalogue, for a rate); rates as percentages, yen as yen, links as links."""
    docs = release().docs()
    config = {}
    for column in frame.columns:
        label = header(column, labels)
        described = rate_definition(column) or docs.get(column)
        tip = md(described) if described else None  # the tooltip is Markdown
        if column in LINK_TEXTS:
            config[column] = st.column_config.LinkColumn(label, display_text=t(f"common.{LINK_TEXTS[column]}"))
        elif not pd.api.types.is_numeric_dtype(frame[column]):
            config[column] = st.column_config.Column(label, help=tip)
        elif column in PERCENT_COLUMNS:
            config[column] = st.column_config.NumberColumn(label, help=tip, format="percent")
        elif column in YEN_COLUMNS:
            config[column] = st.column_config.NumberColumn(label, help=tip, format="yen")
        else:
            config[column] = st.column_config.Column(label, help=tip)
    return config


def rate_definition(column: str) -> str | None:
    """A headline rate's definition, naming its denominator (the catalogue's [rates]); None for another column."""
    rate = texts.catalogue()["rates"].get(column)
    return rate[lang()]["definition"] if rate else None


def shown(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` as the table shows it: a column with a missing value becomes text, formatted as
    its column would be, with `—` where the value is missing (a grid prints None otherwise)."""
    out = frame.copy()
    for column in out.columns:
        if column in LINK_TEXTS or not out[column].map(missing).any():
            continue
        if column in PERCENT_COLUMNS:
            out[column] = out[column].map(percent)
        elif column in YEN_COLUMNS:
            out[column] = out[column].map(lambda v: number(v, t("common.yen")))
        else:
            out[column] = out[column].map(lambda v, c=column: cell(v, grouped=not c.endswith(UNGROUPED)))
    return out


def cell(value, grouped: bool = True) -> str:
    """One value as text: numbers as people read them, yes / no in Japanese, `—` when missing."""
    if missing(value):
        return MISSING
    if isinstance(value, bool | np.bool_):
        return t("common.yes") if value else t("common.no")
    if not pd.api.types.is_number(value):
        return str(value)
    return number(value) if grouped or not float(value).is_integer() else str(int(value))


def table(frame: pd.DataFrame, labels: dict[str, str], **kwargs):
    display = shown(frame)
    return st.dataframe(display, column_config=column_config(display, labels), hide_index=True, **kwargs)


def number(value: float | None, unit: str | None = "") -> str:
    """A value as people read it: thousands separated, no trailing .0, its unit after it."""
    if missing(value):
        return MISSING
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"
    return f"{text} {unit or ''}".strip()


def percent(share: float | None) -> str:
    return MISSING if missing(share) else f"{share:.1%}"


def printed(value_text: str | None, value: float | None, unit: str | None) -> str:
    """A value as printed with its unit once: `7,661万円` stays, `7,661` and `万円` make `7,661 万円`."""
    text = number(value) if missing(value_text) or not value_text else str(value_text)
    if missing(unit) or not unit or text.endswith(str(unit)):
        return text
    return f"{text} {unit}"
