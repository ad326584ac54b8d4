"""The registry's checks run on each document at landing: a misread scale fails before dbt."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from orchestration.config import Settings
from orchestration.extract.model import ExtractionResult, Observation
from orchestration.land.raw_schema import load_raw_schema
from orchestration.land.store import RAW_TABLES, arrow_schema, document_rows, land_document
from orchestration.quality.landed import blocking_reason, check_landed_document

TODAY = dt.date(2026, 12, 1)


def _observation(
    kpi: str,
    measure: str = "actual",
    value: float | None = 10.0,
    unit: str = "人",
    fragment: str | None = None,
    year: int | None = 2021,
) -> Observation:
    return Observation(
        doc="a.txt",
        grant_program="地方創生推進交付金",
        project_name="事業A",
        kpi_name=kpi,
        measure=measure,
        fiscal_year=year,
        value=value,
        unit=unit,
        status="",
        value_text=str(value),
        page=1,
        line=3,
        cell=None,
        fragment=fragment or f"{kpi} {value}{unit}",
        reader="test",
    )


def _result(*observations: Observation) -> ExtractionResult:
    return ExtractionResult(
        doc="a.txt", path="/raw/a.txt", sha256="ab" * 32, size_bytes=1, format="text", observations=list(observations)
    )


def _frame(result: ExtractionResult) -> pa.Table:
    rows = document_rows(result, "a.txt", Path("/raw"), "test")["kpi_observations"]
    return pa.Table.from_pylist(rows, schema=arrow_schema(RAW_TABLES["kpi_observations"]))


def test_a_sound_document_breaks_nothing():
    assert (
        check_landed_document(
            _frame(_result(_observation("来訪者数"), _observation("事業費", unit="千円", fragment="事業費 10千円"))),
            TODAY,
        )
        == []
    )


def test_a_unit_read_at_the_wrong_scale_blocks_naming_the_observation():
    result = _result(_observation("来訪者数"), _observation("事業費", unit="千円", fragment="目標 5,000 円"))

    (violation,) = check_landed_document(_frame(result), TODAY)

    assert (violation.severity, violation.column, violation.observation_ids) == (
        "block",
        "unit_scale_contradicts_fragment",
        ("a.txt#2",),
    )
    assert "a.txt#2" in blocking_reason([violation])


@pytest.mark.parametrize(
    ("observation", "column", "severity"),
    [
        (_observation("来訪者数", measure="forecast"), "measure", "block"),
        (_observation("来訪者数", year=2099), "actual_fiscal_year", "quarantine"),
        (_observation("来訪者数", measure="target", year=2009), "target_fiscal_year", "quarantine"),
        (_observation("来訪者数", value=None), "has_value_or_status", "quarantine"),
    ],
)
def test_each_landed_rule_of_the_registry_is_checked(observation, column, severity):
    (violation,) = check_landed_document(_frame(_result(observation)), TODAY)
    assert (violation.column, violation.severity) == (column, severity)
    assert (blocking_reason([violation]) is None) == (severity != "block")


def test_landing_lands_a_misread_document_as_unreadable_and_the_others_as_read(tmp_path: Path):
    (tmp_path / "raw").mkdir()
    settings = Settings(root=tmp_path, raw_dir=tmp_path / "raw", warehouse_dir=tmp_path / "wh")
    land_document(_result(_observation("事業費", unit="千円", fragment="目標 5,000 円")), "bad.txt", settings)
    land_document(_result(_observation("来訪者数")), "good.txt", settings)

    load_raw_schema(settings.candidate_db, settings)

    with duckdb.connect(str(settings.candidate_db), read_only=True) as con:
        documents = dict(con.execute("select doc_id, error from raw.documents").fetchall())
        landed = con.execute("select doc_id, count(*) from raw.kpi_observations group by all").fetchall()
    assert documents["good.txt"] is None and landed == [("good.txt", 1)]
    assert documents["bad.txt"].startswith("bad.txt: quality rule 'unit read at the printed scale'")


def _units(unknown: int, known: int) -> ExtractionResult:
    """A document of `unknown` values in `m` (a unit the vocabulary does not know) and `known` in 人."""
    units = ["m"] * unknown + ["人"] * known
    return _result(*(_observation(f"指標{i}", unit=u, fragment=f"指標{i} 10{u}") for i, u in enumerate(units)))


@pytest.mark.parametrize(
    ("unknown", "known", "blocks"), [(80, 13, True), (16, 14, True), (14, 16, False), (6, 18, False), (2, 1, False)]
)
def test_a_document_with_units_mostly_unknown_blocks_unless_too_small_to_judge(unknown, known, blocks):
    violations = check_landed_document(_frame(_units(unknown, known)), TODAY)

    reason = blocking_reason(violations)
    assert (reason is not None) == blocks
    if blocks:
        assert reason.startswith(f"quality rule 'units mostly known' (unit) broken by {unknown} observation(s)")


def test_landing_sends_a_document_of_mostly_unknown_units_to_review_and_lands_the_other(tmp_path: Path):
    (tmp_path / "raw").mkdir()
    settings = Settings(root=tmp_path, raw_dir=tmp_path / "raw", warehouse_dir=tmp_path / "wh")
    land_document(_units(80, 13), "metres.txt", settings)
    land_document(_units(6, 24), "good.txt", settings)

    load_raw_schema(settings.candidate_db, settings)

    with duckdb.connect(str(settings.candidate_db), read_only=True) as con:
        documents = dict(con.execute("select doc_id, error from raw.documents").fetchall())
        landed = con.execute("select doc_id, count(*) from raw.kpi_observations group by all").fetchall()
    assert documents["good.txt"] is None and landed == [("good.txt", 30)]
    assert documents["metres.txt"].startswith("metres.txt: quality rule 'units mostly known' (unit) broken by 80")


def _quarantined(future: int, valueless: int, sound: int, both: int = 0) -> ExtractionResult:
    """A document of `future` actuals dated in the future, `valueless` with neither a value nor a
    status, `both` breaking both rules, and `sound` observations."""
    kinds = [{"year": 2099}] * future + [{"value": None}] * valueless + [{"year": 2099, "value": None}] * both
    kinds += [{}] * sound
    return _result(*(_observation(f"指標{i}", **kind) for i, kind in enumerate(kinds)))


@pytest.mark.parametrize(
    ("future", "valueless", "sound", "both", "blocks"),
    [
        (80, 0, 13, 0, True),
        (3, 3, 4, 0, True),  # 6 of 10 quarantined, by two rules
        (0, 0, 5, 5, False),  # a row breaking two rules is one quarantined row: 5 of 10
        (3, 0, 18, 0, False),
        (2, 0, 1, 0, False),  # too few to judge by a share: its rows are quarantined one by one
    ],
)
def test_a_document_with_observations_mostly_quarantined_blocks_unless_too_small_to_judge(
    future, valueless, sound, both, blocks
):
    violations = check_landed_document(_frame(_quarantined(future, valueless, sound, both)), TODAY)

    reason = blocking_reason(violations)
    assert (reason is not None) == blocks
    if blocks:
        n = future + valueless + both
        assert reason == (
            f"quality rule 'observations mostly not quarantined' (quarantined) broken by {n} observation(s): "
            + ", ".join(sorted(f"a.txt#{i}" for i in range(1, n + 1))[:5])
        )


def test_landing_sends_a_document_mostly_quarantined_to_review_and_lands_the_other(tmp_path: Path):
    (tmp_path / "raw").mkdir()
    settings = Settings(root=tmp_path, raw_dir=tmp_path / "raw", warehouse_dir=tmp_path / "wh")
    land_document(_quarantined(80, 0, 13), "future.txt", settings)
    land_document(_quarantined(3, 0, 18), "good.txt", settings)

    load_raw_schema(settings.candidate_db, settings)

    with duckdb.connect(str(settings.candidate_db), read_only=True) as con:
        documents = dict(con.execute("select doc_id, error from raw.documents").fetchall())
        landed = con.execute("select doc_id, count(*) from raw.kpi_observations group by all").fetchall()
    assert documents["good.txt"] is None and landed == [("good.txt", 21)]
    assert documents["future.txt"].startswith(
        "future.txt: quality rule 'observations mostly not quarantined' (quarantined) broken by 80"
    )


def test_the_process_wide_connection_is_freed_before_exit_so_duckdb_reports_no_leak():
    """A DuckDB object alive at interpreter exit while a daemon thread runs (Dagster, Dask and GX
    start them) makes duckdb's nanobind print 'leaked N instances' after the last line of output."""
    script = (
        "import threading, time\n"
        "from orchestration.quality.landed import _connection\n"
        "_connection()\n"
        "threading.Thread(target=lambda: time.sleep(60), daemon=True).start()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "nanobind" not in done.stderr, done.stderr
