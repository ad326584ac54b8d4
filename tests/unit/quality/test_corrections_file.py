"""raw/corrections.csv is read as the manifest is: any encoding it accepts, every line kept with
its number and values as printed; only a file that cannot be used stops the load, naming the
file and the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration.config import Settings
from orchestration.land.corrections import COLUMNS, read_corrections
from orchestration.land.manifest import ManifestError
from orchestration.land.raw_schema import load_raw_schema
from orchestration.land.registry import scan_raw

HEADER = (
    "sha256,file,page,line,cell,project_name,kpi_name,measure,fiscal_year,action,value,unit,author,corrected_on,reason"
)
SHA = "a" * 64
ROWS = [
    f"{SHA},a.txt,3,12,,事業A,来訪者数,actual,2021,set_value,1200,,山田,2026-11-02,桁の誤読",
    f"{SHA},a.txt,,,t1:r3:c2,,来訪者数,target,R3,reject,,,佐藤,2026-13-01,",
]
TEXT = "\r\n".join([HEADER, *ROWS]) + "\r\n"


def _write(folder: Path, data: bytes) -> Path:
    path = folder / "corrections.csv"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932", "utf-16", "euc-jp"])
def test_every_encoding_reads_the_same_rows_as_printed(tmp_path, encoding):
    rows = read_corrections(_write(tmp_path, TEXT.encode(encoding)))
    assert [r["correction_line"] for r in rows] == [2, 3]
    assert set(rows[0]) == set(COLUMNS)
    assert (rows[0]["line"], rows[0]["kpi_name"], rows[0]["value"], rows[0]["author"]) == (
        "12",
        "来訪者数",
        "1200",
        "山田",
    )
    # values as printed: the dbt project checks them (a year R3, a date 2026-13-01, no reason)
    assert (rows[1]["fiscal_year"], rows[1]["corrected_on"], rows[1]["reason"]) == ("R3", "2026-13-01", None)


def test_undecodable_bytes_name_the_file_and_line(tmp_path):
    data = (HEADER + "\n" + ROWS[0] + "\n").encode() + b"\xff\xfe\xfd\x80,1\n"
    with pytest.raises(ManifestError, match=r"^corrections\.csv: line 3: unknown text encoding.*save it as UTF-8"):
        read_corrections(_write(tmp_path, data))


def test_a_header_without_the_keys_names_line_1(tmp_path):
    with pytest.raises(ManifestError, match=r"^corrections\.csv: line 1: no column sha256, author in the header"):
        read_corrections(_write(tmp_path, b"file,action,reason\na.txt,reject,x\n"))


def test_a_malformed_line_names_its_line(tmp_path):
    text = HEADER + "\n" + ROWS[0] + '\n"' + SHA + '"x,a.txt\n'
    with pytest.raises(ManifestError, match=r"^corrections\.csv: line 3: "):
        read_corrections(_write(tmp_path, text.encode()))


def test_the_load_stops_on_a_file_it_cannot_read_and_loads_one_it_can(tmp_path):
    settings = Settings(root=tmp_path, raw_dir=tmp_path / "raw", warehouse_dir=tmp_path / "wh")
    settings.raw_dir.mkdir()
    _write(settings.raw_dir, TEXT.encode("cp932"))
    load = load_raw_schema(settings.candidate_db, settings)
    assert load.row_counts["corrections"] == 2
    assert "corrections.csv" not in scan_raw(settings.raw_dir)  # kept by hand, never landed as a report
    _write(settings.raw_dir, b"sha256,action\n")
    with pytest.raises(ManifestError, match=r"^corrections\.csv: line 1: no column author, reason"):
        load_raw_schema(settings.candidate_db, settings)


def test_no_file_is_no_rows(tmp_path):
    assert read_corrections(tmp_path / "corrections.csv") == []
