"""What the dashboard prints, as text: data escaped for Markdown, Japanese for the warehouse's
English and the dashboard's own words in Japanese or English (one catalogue,
orchestration/dashboard/catalogue.toml), missing values, times in JST. No Streamlit.

Every Streamlit element that takes a string (titles, captions, metrics, alerts, widget labels)
renders it as Markdown: `md` is the one helper through which every value from the data or the
URL reaches such an element, so a KPI named `![x](http://…)` shows as those characters.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from functools import cache
from importlib import resources
from typing import Any

import pandas as pd

MISSING = "—"
JST = dt.timezone(dt.timedelta(hours=9), "JST")
# Every ASCII character Markdown, GFM (autolinks, tables, strikethrough), Streamlit's directives
# (:red[…], :material/…:), LaTeX ($) or HTML (<, &) give a meaning to. CommonMark lets any ASCII
# punctuation be escaped with a backslash, which makes it a literal character.
_MARKUP = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=^\"'@/%;?,])")
_LINE_BREAKS = re.compile(r"\s*[\r\n\u2028\u2029]+\s*")
# GFM turns a bare URL, www. address or e-mail address in the rendered text into a live link, escapes
# or not: an invisible WORD JOINER inside each such mark keeps it text.
_AUTOLINK = re.compile(r"(?i)(?<=:)(?=//)|(?<=@)|(?<=\bwww)(?=\.)")
JOINER = "\u2060"


def missing(value: Any) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def plain(value: Any) -> str:
    """A value as one line of text; `—` when missing."""
    return MISSING if missing(value) else _LINE_BREAKS.sub(" ", str(value)).strip() or MISSING


def md(value: Any) -> str:
    """A value (from the data or the URL) as literal text inside Markdown; `—` when missing."""
    return _MARKUP.sub(r"\\\1", _AUTOLINK.sub(JOINER, plain(value)))


@cache
def data_file(name: str) -> dict:
    """One of the dashboard's own data files beside its code (`catalogue`, `prefecture_grid`):
    not the extraction's vocabulary, so rewording the dashboard re-lands no document."""
    return tomllib.loads(resources.files(__package__).joinpath(f"{name}.toml").read_text(encoding="utf-8"))


def catalogue() -> dict:
    return data_file("catalogue")


@cache
def _reasons() -> list[tuple[re.Pattern, str]]:
    return [(re.compile(r["pattern"]), r["ja"]) for r in catalogue()["review_reasons"]]


def review_source(source: str) -> str:
    return catalogue()["review_sources"].get(source, [source])[0]


def review_reason(reason: str | None, source: str | None = None) -> str:
    """A review reason in Japanese: the catalogue's pattern that matches it whole, else what its
    source means (the recorded text stays in the table beside it)."""
    if missing(reason):
        return MISSING
    for pattern, ja in _reasons():
        if found := pattern.fullmatch(reason):
            return ja.format(**{k: measure(v) if k == "measure" else v for k, v in found.groupdict().items()})
    return catalogue()["review_sources"].get(source, [None, MISSING])[1]


def is_translated(reason: str) -> bool:
    return any(pattern.fullmatch(reason) for pattern, _ in _reasons())


def t(key: str, lang: str = "ja", **fields: Any) -> str:
    """The dashboard's own words for `key` (`page.name` in the catalogue's [ui]) in `lang` (ja / en),
    with `fields` filled in; a caller passes data through `md` first where the text is Markdown."""
    section, name = key.split(".")
    return catalogue()["ui"][section][name][lang].format(**fields)


def suite(name: str, lang: str = "ja") -> str:
    return catalogue()["gate_suites"][name][lang] if name in catalogue()["gate_suites"] else MISSING


def measure(name: str, lang: str = "ja") -> str:
    return catalogue()["measures"][name][lang] if name in catalogue()["measures"] else name


_WEB_URL = re.compile(r"https?://[^\s<>\"'`\\]+", re.IGNORECASE)


def web_url(value: Any) -> str | None:
    """`value` when it is one http(s) address (what may become a link); None for anything else,
    which is shown as text."""
    return value if isinstance(value, str) and _WEB_URL.fullmatch(value) else None


def jst(timestamp: str | None) -> str:
    """An ISO timestamp as Japan time: 2026-12-08 03:06 JST."""
    if missing(timestamp) or not timestamp:
        return MISSING
    moment = dt.datetime.fromisoformat(timestamp)
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).astimezone(JST).strftime("%Y-%m-%d %H:%M JST")
