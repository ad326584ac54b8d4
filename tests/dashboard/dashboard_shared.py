"""What the dashboard tests share besides fixtures: constants and a query helper. A module of its
own name (tests import it; `from conftest import` would find whichever conftest came first)."""

from __future__ import annotations

import duckdb

from orchestration.config import REPO_ROOT, Settings
from orchestration.publish.release import current_release

# Screenshots and page sources of the browser test, kept for people to look at (gitignored).
ARTIFACTS = REPO_ROOT / "tests" / "dashboard" / "artifacts"


# The sample manifest's optional source_url column, as the data team could fill it: a web address
# for the first document, a script for the second (to be shown as text, never as a link).
SOURCE_URLS = ("https://example.org/kpi/report.pdf", "javascript:alert(1)")


def published_rows(settings: Settings, sql: str) -> list[tuple]:
    with duckdb.connect(str(current_release(settings.published_dir) / "sosei.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


# The headline rates recomputed from fct_kpi_result alone (not from the summary mart the
# dashboard reads): KPIs and projects are judged per fiscal year and counted over all years.
RATES_FROM_RESULTS = """
with projects as (
    select bool_or(target_met) as any_met, bool_or(target_met is not null) as judged
    from marts.fct_kpi_result group by issuer_code, grant_program_id, fiscal_year, project_id
)
select (select count(*) filter (where any_met) from projects), (select count(*) filter (where judged) from projects),
       count(*) filter (where target_met), count(target_met)
from marts.fct_kpi_result
"""


# Markup that would fetch an image, make a live off-site link, bold text, colour it or typeset it
# if the dashboard rendered data as Markdown or HTML.
HOSTILE = "![x](http://127.0.0.1:9/x.png)"
HOSTILE_LINK = "[公式サイトで確認](http://127.0.0.1:9/go) **太字** :red[赤] $x^2$ <b>b</b>"
