"""The gate's own report page: one self-contained HTML file, readable offline.

GX's Data Docs load Bootstrap, jQuery, Vega and Font Awesome from CDNs, so without the internet
their pages are unstyled and their index table stays empty. This page is written from the gate's
outcomes with its style inline and no script: each suite's verdict, what failed (the rows by id
and where they were printed) and a link to the suite's GX page of the run for the detail. Jinja
escapes every value (landed text is data, not HTML).
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment

PAGE_NAME = "gate.html"

_TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Quality gate {{ "passed" if passed else "FAILED" }}: {{ run_name }}</title>
<style>
body { font-family: sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; } th, td { border: 1px solid #ccc; padding: .3em .6em; text-align: left; }
.passed { color: #1a7f37; } .failed { color: #cf222e; } li { margin: .2em 0; font-family: monospace; }
</style></head><body>
<h1>Quality gate (品質ゲート): <span class="{{ "passed" if passed else "failed" }}">
{{- "passed" if passed else "FAILED" }}</span></h1>
<p>Run <b>{{ run_name }}</b>, validated at {{ validated_at }}. Critical failures block publication;
warnings are reported. <a href="index.html">GX Data Docs</a> (their styles need the internet).</p>
<table><tr><th>suite</th><th>relation</th><th>rows</th><th>verdict</th><th>critical</th><th>warnings</th>
<th>detail</th></tr>
{% for s in suites %}<tr><td><a href="#{{ s.suite }}">{{ s.suite }}</a></td><td>{{ s.relation }}</td>
<td>{{ s.rows }}</td><td class="{{ "passed" if s.passed else "failed" }}">{{ "passed" if s.passed else "FAILED" }}</td>
<td>{{ s.errors | length }}</td><td>{{ s.warnings | length }}</td>
<td>{% if pages[s.suite] %}<a href="{{ pages[s.suite] }}">GX page</a>{% endif %}</td></tr>
{% endfor %}</table>
{% for s in suites if s.problem or s.errors or s.warnings %}
<h2 id="{{ s.suite }}">{{ s.suite }}</h2><ul>
{% if s.problem %}<li class="failed">{{ s.problem }}</li>{% endif %}
{% for f in s.errors + s.warnings %}<li>{{ f.describe() }}</li>{% endfor %}
</ul>{% endfor %}
</body></html>
"""

_PAGE = Environment(autoescape=True).from_string(_TEMPLATE)


def write_gate_page(site: Path, gate, run_name: str, pages: dict[str, Path]) -> Path:
    """`site/gate.html` for `gate` (a GateResult), linking each suite's GX page in `pages`."""
    links = {s.suite: pages[s.suite].relative_to(site).as_posix() if s.suite in pages else None for s in gate.suites}
    path = site / PAGE_NAME
    path.write_text(
        _PAGE.render(
            passed=gate.passed, run_name=run_name, validated_at=gate.validated_at, suites=gate.suites, pages=links
        ),
        encoding="utf-8",
    )
    return path
