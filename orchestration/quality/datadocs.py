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


def no_call_home(index: Path) -> None:
    """The logo GX's index loads from its own servers (with the context's id in the URL) is the
    local copy, so opening the page tells no one."""
    index.write_text(_REMOTE_LOGO.sub(r'src="static/images/\1"', index.read_text(encoding="utf-8")), encoding="utf-8")
