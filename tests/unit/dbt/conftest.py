"""Build the dbt project once per session into temporary DuckDB files.

`warehouse` is built from the gold observations of the sample corpus; `faulty_warehouse` adds
rows that break the row-level rules and documents the manifest does not list, so the
quarantine, review and resolution paths are exercised.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from dbt_harness import run_dbt
from manifest_faults import MANIFEST_FAULTS, OUTSIDE_RAW, UNLISTED_SAMPLE, faulty_manifest_lines
from raw_fixture import GOLD_CSV, load_raw


def _build(db_path: Path, work_dir: Path) -> Path:
    result = run_dbt(db_path, work_dir, "build")
    assert result.returncode == 0, result.stdout[-4000:]
    return db_path


def _workspace(tmp_path_factory, name: str) -> tuple[Path, Path]:
    """A fresh directory and warehouse path, once the shared gold observations are there."""
    if not GOLD_CSV.is_file():
        pytest.skip(f"{GOLD_CSV} not found: the shared gold observations are needed")
    work = tmp_path_factory.mktemp(name)
    return work, work / "warehouse.duckdb"


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory) -> Path:
    work, db = _workspace(tmp_path_factory, "dbt_clean")
    load_raw(db)
    return _build(db, work)


# Rows that each break one rule, or exercise one resolution path, added to the clean corpus.
FAULT_DOCS = [
    # doc_id, inferred issuer name
    ("extra/fuchu.txt", "府中市"),
    ("extra/tokyo_fuchu.txt", "東京都府中市"),
    ("extra/tokyo_fuchu_2022.txt", "東京都 府中市"),
    ("extra/nobody.txt", "どこにもない村"),
]
TOURISM = "観光振興事業"
TOURISM_DEPT = "観光振興事業（観光課）"
SHOPS, SHOPS_2022 = "商店街活性化事業", "商店街にぎわい創出事業"
SUISHIN = "地方創生推進交付金"
DIGITAL = "デジタル田園都市国家構想交付金（デジタル実装タイプ　ＴＹＰＥ２）"
FUCHU, TOKYO_FUCHU, TOKYO_FUCHU_2022 = "extra/fuchu.txt", "extra/tokyo_fuchu.txt", "extra/tokyo_fuchu_2022.txt"
HOST_RAW = "/srv/sosei data/raw"  # where raw/ is on the host (a space in it, as on a desktop)
HOST_TMP = "/tmp/sosei-1a2b"
FAULT_OBSERVATIONS = [
    # doc_id, seq, grant programme as printed, project, kpi, measure, fiscal year, value, unit, status
    (FUCHU, 1, "謎の交付金", TOURISM, "来訪者数", "forecast", 2021, 10.0, "人", None),
    (FUCHU, 2, SUISHIN, TOURISM, "満足度", "actual", 2021, 150.0, "%", None),
    (FUCHU, 3, SUISHIN, TOURISM, "満足度の変化", "target_increment", 2021, -150.0, "%", None),
    (FUCHU, 4, SUISHIN, TOURISM, "延べ宿泊日数", "actual", 2021, 30.0, "人日", None),
    (FUCHU, 5, SUISHIN, TOURISM, "参加者数", "actual", 2021, 3.0, "人", None),
    (TOKYO_FUCHU, 1, DIGITAL, TOURISM_DEPT, "利用者数", "actual", 2009, 5.0, "千人", None),
    (TOKYO_FUCHU, 2, DIGITAL, TOURISM_DEPT, "利用者数", "target", 2023, None, "千人", None),
    (TOKYO_FUCHU, 3, SUISHIN, TOURISM_DEPT, "来訪者数", "actual", 2021, 900.0, "人", None),
    (TOKYO_FUCHU, 4, SUISHIN, SHOPS, "参加店舗数", "actual", 2021, 12.0, "店舗", None),
    # a common KPI name under two projects that the 2022 report prints side by side: no rename
    (TOKYO_FUCHU, 5, SUISHIN, TOURISM_DEPT, "参加者数", "actual", 2021, 40.0, "人", None),
    # an actual printed with no year of its own: the year the report covers
    (TOKYO_FUCHU, 6, SUISHIN, SHOPS, "空き店舗数", "actual", None, 4.0, "店舗", None),
    (TOKYO_FUCHU_2022, 1, SUISHIN, "観光振興事業【観光課】", "来 訪 者 数", "actual", 2022, 1100.0, "人", None),
    (TOKYO_FUCHU_2022, 2, SUISHIN, SHOPS_2022, "参加店舗数", "actual", 2022, 15.0, "店舗", None),
    (TOKYO_FUCHU_2022, 3, SUISHIN, SHOPS_2022, "参加店舗数", "target", 2022, 20.0, "店舗", None),
    (TOKYO_FUCHU_2022, 4, SUISHIN, SHOPS_2022, "参加店舗数", "target", 2022, 20.0, "店舗", None),
    (TOKYO_FUCHU_2022, 5, SUISHIN, SHOPS_2022, "参加者数", "actual", 2022, 300.0, "人", None),
    (TOKYO_FUCHU_2022, 6, SUISHIN, SHOPS_2022, "参加者数", "actual", 2022, 3000.0, "人", None),
    ("extra/nobody.txt", 1, SUISHIN, TOURISM, "参加者数", "actual", 2021, 7.0, "人", None),
    ("extra/nobody.txt", 2, SUISHIN, None, "会員数", "actual", 2021, 8.0, "人", None),
]


@pytest.fixture(scope="session")
def faulty_warehouse(tmp_path_factory) -> Path:
    work, db = _workspace(tmp_path_factory, "dbt_faulty")
    manifest = work / "manifest.csv"
    manifest.write_bytes("\r\n".join(faulty_manifest_lines()).encode("cp932"))  # as Excel saves it
    load_raw(db, GOLD_CSV, manifest)
    with duckdb.connect(str(db)) as con:
        con.execute("update raw.documents set issuer_name = '東北六市' where doc_id = ?", [UNLISTED_SAMPLE])
        for doc_id, issuer, year, _ in MANIFEST_FAULTS:
            if doc_id:
                con.execute(
                    "update raw.documents set issuer_name = ?, fiscal_year = ? where doc_id = ?", [issuer, year, doc_id]
                )
        con.execute("delete from raw.documents where doc_id = 'extra/ghost.txt'")  # listed, never landed
        for file in OUTSIDE_RAW:  # no document under raw/ is named so
            con.execute("delete from raw.documents where doc_id = ?", [file])
        for doc_id, issuer in FAULT_DOCS:
            con.execute(
                "insert into raw.documents (doc_id, doc, path, read_status, issuer_name, fiscal_year, doc_kind)"
                " values (?, ?, ?, 'ok', ?, 2021, 'results')",
                [doc_id, doc_id, f"{HOST_RAW}/{doc_id}", issuer],
            )
        for doc_id, seq, program, project, kpi, measure, year, value, unit, status in FAULT_OBSERVATIONS:
            con.execute(
                "insert into raw.kpi_observations (observation_id, doc_id, doc, seq, grant_program,"
                " project_name, kpi_name, measure, fiscal_year, value, unit, status, line, reader)"
                " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'test')",
                [
                    f"{doc_id}#{seq}",
                    doc_id,
                    doc_id,
                    seq,
                    program,
                    project,
                    kpi,
                    measure,
                    year,
                    value,
                    unit,
                    status,
                    seq,
                ],
            )
        # one number read from a scan, with Tesseract's confidence
        con.execute(
            "update raw.kpi_observations set ocr_confidence = 91.5 where observation_id ="
            " (select min(observation_id) from raw.kpi_observations where reader <> 'test')"
        )
        # and how sure extraction is of one number's labels
        con.execute(
            "update raw.kpi_observations set confidence = 0.72 where observation_id ="
            " (select max(observation_id) from raw.kpi_observations where reader <> 'test')"
        )
        # the reasons as the readers give them: with the host's absolute paths
        con.execute(
            "insert into raw.documents (doc_id, doc, path, read_status, error) values"
            " ('extra/broken.pdf', 'broken.pdf', ?, 'error', ?)",
            [f"{HOST_RAW}/extra/broken.pdf", f"{HOST_RAW}/extra/broken.pdf: not a PDF ({HOST_TMP}/x.pdf)"],
        )
        con.execute(
            "insert into raw.review_items (review_id, doc_id, doc, seq, reason, fragment) values"
            " ('extra/fuchu.txt#r1', 'extra/fuchu.txt', 'fuchu.txt', 1, ?, '目標 / 実績')",
            [f"cell of {HOST_RAW}/extra/fuchu.txt read as text"],
        )
    return _build(db, work)
