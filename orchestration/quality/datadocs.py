"""Data Docs that are safe to open: data escaped before GX renders it.

GX writes the values it reports (unexpected values and their counts, the failing rows' ids, the
observed value, expectation arguments such as value sets) into its HTML pages unescaped, so a
landed unit `<script>…</script>` would run in the browser of whoever opens the Data Docs (stored
XSS). The gate therefore HTML-escapes every string of this run's validation results before it
stores them and builds the site from them. The gate's own verdicts (`SuiteOutcome`) are
taken from the results first and keep the values as landed.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any


def escape_values(value: Any) -> Any:
    """`value` with every string in it (nested in dicts, lists and tuples, keys included) escaped."""
    if isinstance(value, str):
        return html.escape(value, quote=True)
    if isinstance(value, dict):
        return {escape_values(k): escape_values(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(escape_values(v) for v in value)
    return value


def _escape_result(result) -> None:
    """One expectation's result, in place: its values, its arguments, any exception text."""
    result.result = escape_values(result.result or {})
    result.exception_info = escape_values(result.exception_info)
    config = result.expectation_config
    if config is not None:
        config.kwargs = escape_values(config.kwargs)


def escape_results(suite_result) -> None:
    """A suite's validation result with its data escaped, in place (before it is stored)."""
    for result in suite_result.results:
        _escape_result(result)


_REMOTE_LOGO = re.compile(r'src="https://great-expectations-web-assets\.[^"]*/(logo-long\.png)\?[^"]*"')
_OFFLINE_INDEX = "sosei-offline-index"


def _page_link(site: Path, page: Path) -> str:
    href = html.escape(page.relative_to(site).as_posix(), quote=True)
    label = html.escape(" / ".join(page.relative_to(site / "validations").parts[:-1]))
    return f'<li><a href="{href}">{label}</a></li>'


def work_offline(index: Path) -> None:
    """Make the site's index usable without the internet: GX fills its table with scripts from
    CDNs, so offline it is empty. A plain list of the validation pages (newest first) is added,
    and the logo GX loads from its own servers (with the context's id in the URL) is the local one."""
    site = index.parent
    pages = sorted((site / "validations").rglob("*.html"), key=lambda p: p.parent.name, reverse=True)
    section = (
        f'<section id="{_OFFLINE_INDEX}" style="margin:2em;font-family:sans-serif">'
        "<h2>Validation results</h2><ul>" + "".join(_page_link(site, p) for p in pages) + "</ul></section>"
    )
    text = _REMOTE_LOGO.sub(r'src="static/images/\1"', index.read_text(encoding="utf-8"))
    text = re.sub(rf'<section id="{_OFFLINE_INDEX}".*?</section>', "", text, flags=re.DOTALL)
    index.write_text(text.replace("</body>", section + "</body>", 1), encoding="utf-8")
