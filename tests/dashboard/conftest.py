"""A published warehouse built once per session from the sample raw/, by `sosei build`'s code."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import pytest

from orchestration.cli.build import build
from orchestration.config import REPO_ROOT, Settings
from orchestration.dashboard.data import Release
from orchestration.publish.release import current_release

# Screenshots and page sources of the browser test, kept for people to look at (gitignored).
ARTIFACTS = REPO_ROOT / "tests" / "dashboard" / "artifacts"


# The sample manifest's optional source_url column, as the data team could fill it: a web address
# for the first document, a script for the second (to be shown as text, never as a link).
SOURCE_URLS = ("https://example.org/kpi/report.pdf", "javascript:alert(1)")


def _with_source_urls(manifest: Path) -> None:
    with manifest.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    urls = ["source_url", *SOURCE_URLS] + [""] * (len(rows) - 1 - len(SOURCE_URLS))
    with manifest.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([*row, url] for row, url in zip(rows, urls, strict=True))


@pytest.fixture(scope="session")
def sample_settings(tmp_path_factory: pytest.TempPathFactory, copy_sample_raw) -> Settings:
    root = tmp_path_factory.mktemp("dashboard")
    copy_sample_raw(root / "raw")
    _with_source_urls(root / "raw" / "manifest.csv")
    settings = Settings(root=root, raw_dir=root / "raw", warehouse_dir=root / "warehouse")
    summary = build(settings)
    assert summary.gate_passed, summary
    return settings


@pytest.fixture
def dashboard_env(sample_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The app reads the sample warehouse and its raw/ (as `sosei dashboard --warehouse --raw` makes it)."""
    monkeypatch.setenv("SOSEI_WAREHOUSE_DIR", str(sample_settings.warehouse_dir))
    monkeypatch.setenv("SOSEI_RAW_DIR", str(sample_settings.raw_dir))
    return sample_settings


@pytest.fixture
def release(sample_settings: Settings) -> Release:
    opened = Release.at(current_release(sample_settings.published_dir))
    yield opened
    opened.con.close()


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


@pytest.fixture(scope="session")
def hostile(sample_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, str]:
    """Settings reading a copy of the sample release whose first judged KPI is named HOSTILE, its project, title and
    document name HOSTILE_LINK (as a report or manifest could print them); and that KPI's id."""
    root = tmp_path_factory.mktemp("hostile")
    settings = Settings(root=root, raw_dir=root / "raw", warehouse_dir=root / "warehouse")
    source = current_release(sample_settings.published_dir)
    release = settings.published_dir / "releases" / source.name
    shutil.copytree(source, release)
    (settings.published_dir / "current").symlink_to(Path("releases") / source.name)
    with duckdb.connect(str(release / "sosei.duckdb")) as con:
        (kpi_id, doc_id) = con.execute(
            "select kpi_id, actual_doc_id from marts.kpi_result_detail where target_met is not null "
            "order by kpi_id limit 1"
        ).fetchone()
        for table in ("kpi_result_detail", "dim_kpi"):
            con.execute(
                f"update marts.{table} set kpi_name = ?, project_name = ? where kpi_id = ?",
                [HOSTILE, HOSTILE_LINK, kpi_id],
            )
        con.execute(
            "update marts.dim_document set title = ?, doc_name = ? where doc_id = ?", [HOSTILE_LINK, HOSTILE, doc_id]
        )
    return settings, kpi_id
