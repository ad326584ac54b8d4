"""The whole asset graph, materialised in process on a copy of raw/ by `sosei build`.

Asserts on what the published warehouse holds, then on incremental rebuilds. Build times are
printed (run with -s to see them), never asserted.
"""

import time
from pathlib import Path

import duckdb
import pytest

from orchestration.cli.build import build
from orchestration.cli.summary import BuildSummary
from orchestration.config import Settings
from orchestration.land import extraction_version
from orchestration.land.corrections import FIELDS as CORRECTION_FIELDS
from orchestration.land.store import landed_documents

pytestmark = pytest.mark.integration

MORIOKA_2020 = "000_00acd0e69fcd4ebe.txt"
YAMAGUCHI = "004_9c18c498f3630c95.txt"
TOMAKOMAI = "002_3c71721faf290fed.txt"


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory, copy_sample_raw) -> Settings:
    root = tmp_path_factory.mktemp("sosei")
    copy_sample_raw(root / "raw")
    return Settings(root=root, raw_dir=root / "raw", warehouse_dir=root / "warehouse")


def _timed_build(settings: Settings, label: str) -> BuildSummary:
    started = time.perf_counter()
    summary = build(settings)
    print(f"\n[timing] {label}: {time.perf_counter() - started:.1f} s")
    return summary


def _runs(settings: Settings) -> set[str]:
    import dagster as dg

    return set(dg.DagsterInstance.from_config(str(settings.warehouse_dir / "dagster_home")).get_run_ids())


def _published(settings: Settings, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(settings.published_db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


FACT_SQL = """
select f.measure, f.fiscal_year, f.value, f.unit, f.value_base
from marts.fct_kpi_observation f join marts.dim_kpi k using (kpi_id)
where f.issuer_code = ? and k.kpi_name = ?
order by f.measure, f.fiscal_year
"""


@pytest.fixture(scope="module")
def first_build(settings: Settings) -> BuildSummary:
    return _timed_build(settings, "full build on raw/")


def test_full_build_publishes_facts_of_several_issuers(settings: Settings, first_build: BuildSummary) -> None:
    assert first_build.gate_passed, first_build
    assert first_build.published_db == str(settings.published_db)
    assert Path(first_build.data_docs).is_file()
    assert first_build.documents == 5 and first_build.documents_in_error == 0
    dbt_lines = (settings.dbt_log_dir / "dbt-build.log").read_text(encoding="utf-8")
    assert " START sql " in dbt_lines and " START unit_test " not in dbt_lines  # unit tests are the suite's
    # 山口県 (350001): a wide KPI table, in 千円 with its base-unit value.
    hydrogen_sales = "水素分野におけるコネクタースタートアップ・サプライヤー企業の売上額"
    assert _published(settings, FACT_SQL, ["350001", hydrogen_sales]) == [
        ("actual", 2021, 434000.0, "千円", 434000000.0),
        ("baseline", None, 0.0, "千円", 0.0),
        ("target", 2021, 1839000.0, "千円", 1839000000.0),
    ]
    # 盛岡市 (032018): a block table with free-text KPIs.
    assert ("actual", 2020, 20.0, "社", 20.0) in _published(
        settings, FACT_SQL, ["032018", "TOLIC 会員ものづくり企業数"]
    )
    issuers = {r[0] for r in _published(settings, "select distinct issuer_code from marts.fct_kpi_observation")}
    assert {"350001", "032018", "012131"} <= issuers


def test_no_change_rebuild_lands_nothing(settings: Settings, first_build: BuildSummary) -> None:
    before = {d: doc.landed_at for d, doc in landed_documents(settings).items()}
    summary = _timed_build(settings, "no-change rebuild")
    assert summary.landed == [] and summary.removed == []
    assert sorted(summary.skipped) == sorted(before)
    assert {d: doc.landed_at for d, doc in landed_documents(settings).items()} == before
    # Nothing that the warehouse is built from changed: the published one is still current.
    assert summary.run_id == first_build.run_id and summary.gate_passed


def test_an_edited_manifest_alone_rebuilds_once(settings: Settings, first_build: BuildSummary) -> None:
    manifest = settings.manifest_path
    original = manifest.read_bytes()
    title = "地方創生推進交付金等を活用した事業（令和2年度）実績について"
    manifest.write_bytes(original.replace(title.encode(), "令和2年度 実績（改題）".encode()))
    try:
        summary = _timed_build(settings, "manifest edited")
        assert summary.landed == [] and summary.gate_passed
        assert summary.run_id != first_build.run_id  # Dagster's records: the manifest's data version moved
        titles = {r[0] for r in _published(settings, "select title from marts.dim_document")}
        assert "令和2年度 実績（改題）" in titles
        assert _timed_build(settings, "the build after it").run_id == summary.run_id
    finally:
        manifest.write_bytes(original)


def test_a_corrections_file_alone_rebuilds_once_and_publishes_the_correction(
    settings: Settings, first_build: BuildSummary
) -> None:
    firms = "TOLIC 会員ものづくり企業数"
    ((sha256, page, line, cell),) = _published(
        settings,
        "select d.sha256, f.page, f.line, f.cell from marts.fct_kpi_observation f join marts.dim_kpi k using (kpi_id)"
        " join marts.dim_document d using (doc_id) where d.doc_id = ? and k.kpi_name = ? and f.measure = 'actual'",
        [MORIOKA_2020, firms],
    )
    keys = ",".join("" if v is None else str(v) for v in (sha256, MORIOKA_2020, page, line, cell))
    corrections = settings.corrections_path
    header = ",".join(CORRECTION_FIELDS)
    corrections.write_bytes(
        f"{header}\r\n{keys},,{firms},actual,2020,set_value,21,,山田,2026-12-01,誤読\r\n".encode("cp932")
    )
    try:
        summary = _timed_build(settings, "corrections.csv written")
        assert summary.landed == [] and summary.gate_passed
        assert summary.run_id != first_build.run_id  # Dagster's records: the corrections' data version moved
        assert _published(
            settings,
            "select f.value, f.extracted_value, f.corrected_by from marts.fct_kpi_observation f"
            " join marts.dim_kpi k using (kpi_id) where f.doc_id = ? and k.kpi_name = ? and f.measure = 'actual'",
            [MORIOKA_2020, firms],
        ) == [(21.0, 20.0, "山田")]
        assert _timed_build(settings, "the build after it").run_id == summary.run_id
        corrections.write_bytes(b"sha256,action\r\n")  # no author, no reason: the file cannot be used
        failed = _timed_build(settings, "corrections.csv unusable")
        assert not failed.gate_passed and "corrections.csv: line 1: no column author, reason" in (failed.failure or "")
    finally:
        corrections.unlink(missing_ok=True)


def test_one_changed_and_one_removed_document(settings: Settings, first_build: BuildSummary) -> None:
    before = {d: doc.landed_at for d, doc in landed_documents(settings).items()}
    runs = _runs(settings)
    changed = settings.raw_dir / TOMAKOMAI
    changed.write_text(changed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    (settings.raw_dir / MORIOKA_2020).unlink()
    summary = _timed_build(settings, "one document changed + one removed")
    assert _runs(settings) - runs == {summary.run_id}  # landed in the run that published it
    assert summary.landed == [TOMAKOMAI]
    assert summary.removed == [MORIOKA_2020]
    after = {d: doc.landed_at for d, doc in landed_documents(settings).items()}
    assert set(after) == set(before) - {MORIOKA_2020}
    assert [d for d in after if after[d] != before[d]] == [TOMAKOMAI]
    assert summary.gate_passed
    # The removed report's facts are gone from the published warehouse; the others stay.
    docs = {r[0] for r in _published(settings, "select distinct doc_id from marts.fct_kpi_observation")}
    assert MORIOKA_2020 not in docs and YAMAGUCHI in docs


def test_documents_apart_in_the_registration_order_land_in_a_run_each(
    settings: Settings, first_build: BuildSummary
) -> None:
    before = {d: doc.landed_at for d, doc in landed_documents(settings).items()}
    first, *_, last = sorted(before)
    runs = _runs(settings)
    for doc in (first, last):
        path = settings.raw_dir / doc
        path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    summary = _timed_build(settings, "two documents apart changed")
    assert summary.landed == [first, last] and summary.gate_passed
    # The first range lands in a run of its own, the last in the run that publishes both.
    assert len(_runs(settings) - runs) == 2 and summary.run_id in _runs(settings) - runs
    after = {d: doc.landed_at for d, doc in landed_documents(settings).items()}
    assert sorted(d for d in after if after[d] != before[d]) == [first, last]  # in the index's order, not by id


def test_a_new_extraction_version_relands_every_document_once(
    settings: Settings, first_build: BuildSummary, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = sorted(landed_documents(settings))
    monkeypatch.setattr(extraction_version, "EXTRACTION_VERSION", "a-newer-extraction")
    summary = _timed_build(settings, "after an extraction version change")
    assert summary.reextracted == docs and summary.landed == docs
    assert summary.new == [] and summary.changed == [] and summary.gate_passed
    assert {d.reader_version for d in landed_documents(settings).values()} == {"a-newer-extraction"}
    again = _timed_build(settings, "the build after it")
    assert again.landed == [] and again.skipped == docs
    assert again.run_id == summary.run_id  # nothing to rebuild either
