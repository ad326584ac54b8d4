"""raw/manifest.csv is read in any encoding the documents use; only an unusable file raises."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration.land.manifest import COLUMNS, ManifestError, read_manifest

HEADER = "file,issuer_name,issuer_code,doc_kind,fiscal_year,title,publisher,retrieved_on"
ROWS = [
    "a.txt,盛岡市,032018,results,2020,令和2年度 実績,盛岡市,2026-11-22",
    "b.txt,苫小牧市,12131,plan,R2,計画,,2026-13-01",
]
TEXT = "\r\n".join([HEADER, *ROWS]) + "\r\n"


def _write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "manifest.csv"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932", "utf-16", "utf-16-le", "utf-16-be"])
def test_every_encoding_reads_the_same_rows(tmp_path, encoding):
    rows = read_manifest(_write(tmp_path, TEXT.encode(encoding)))
    assert [r["file"] for r in rows] == ["a.txt", "b.txt"]
    assert rows[0]["issuer_name"] == "盛岡市" and rows[0]["title"] == "令和2年度 実績"
    assert [r["line"] for r in rows] == [2, 3]
    assert set(rows[0]) == set(COLUMNS)


def test_values_are_kept_as_printed_for_the_dbt_checks(tmp_path):
    rows = read_manifest(_write(tmp_path, TEXT.encode()))
    assert (rows[1]["issuer_code"], rows[1]["fiscal_year"], rows[1]["retrieved_on"]) == ("12131", "R2", "2026-13-01")
    assert rows[1]["publisher"] is None


def test_fields_beyond_the_header_and_short_rows_are_kept(tmp_path):
    text = HEADER + "\na.txt,盛岡市\nb.txt,x,1,results,2020,t,p,2026-11-22,余分,more\n"
    rows = read_manifest(_write(tmp_path, text.encode()))
    assert rows[0]["issuer_code"] is None and rows[0]["extra"] is None
    assert rows[1]["extra"] == "余分,more"


def test_header_names_match_without_case_or_spaces(tmp_path):
    rows = read_manifest(_write(tmp_path, " File , Issuer_Name \na.txt,盛岡市\n".encode()))
    assert (rows[0]["file"], rows[0]["issuer_name"]) == ("a.txt", "盛岡市")


def test_undecodable_bytes_name_their_line(tmp_path):
    data = (HEADER + "\n" + ROWS[0] + "\n").encode() + b"c.txt,\xff\xfe\xfd\x80,1\n"
    with pytest.raises(ManifestError, match=r"^manifest\.csv: line 3: unknown text encoding"):
        read_manifest(_write(tmp_path, data))


def test_no_file_column_names_line_1(tmp_path):
    with pytest.raises(ManifestError, match=r"^manifest\.csv: line 1: no column file"):
        read_manifest(_write(tmp_path, "issuer_name\n盛岡市\n".encode()))


def test_a_malformed_csv_names_its_line(tmp_path):
    with pytest.raises(ManifestError, match=r"^manifest\.csv: line 3: ',' expected after '\"'"):
        read_manifest(_write(tmp_path, (HEADER + '\na.txt,x\nb.txt,"盛岡"市\n').encode()))


def test_no_manifest_is_no_rows(tmp_path):
    assert read_manifest(tmp_path / "manifest.csv") == []
