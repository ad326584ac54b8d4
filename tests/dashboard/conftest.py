"""A published warehouse built once per session from the sample raw/, by `sosei build`'s code."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import pytest
from dashboard_shared import HOSTILE, HOSTILE_LINK, SOURCE_URLS

from orchestration.cli.build import build
from orchestration.config import Settings
from orchestration.dashboard.data import Release
from orchestration.publish.release import current_release


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
