"""The dashboard's forms append a line to raw/corrections.csv (corrections.append_correction):
under a file lock, in the file's own encoding, column order and line ends, read back by the
build's reader before the file is replaced."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from filelock import FileLock, Timeout

from orchestration.land import corrections
from orchestration.land.corrections import FIELDS, append_correction, lock_path, read_corrections
from orchestration.land.manifest import ManifestError
from orchestration.land.registry import scan_raw

SHA = "b" * 64
ROW = {
    "sha256": SHA,
    "file": "盛岡市/r2.txt",
    "line": "6",
    "kpi_name": "訪問した人数, 延べ",  # a comma: the line quotes it
    "measure": "actual",
    "fiscal_year": "2020",
    "action": "set_value",
    "value": "43",
    "author": "山田",
    "corrected_on": "2026-12-07",
    "reason": '143は"43"の誤植',
}
HEADER = ",".join(FIELDS)
OLD = f"{SHA},a.txt,,8,,,来訪者数,actual,2020,reject,,,佐藤,2026-11-03,前年度の値"


def _read_back(path: Path) -> dict:
    return {name: value for name, value in read_corrections(path)[-1].items() if name in ROW}


def test_a_missing_file_is_created_with_the_header_and_the_line(tmp_path):
    path = tmp_path / "raw" / "corrections.csv"
    assert append_correction(path, ROW) == 2
    assert path.read_text(encoding="utf-8").splitlines()[0] == HEADER
    assert _read_back(path) == ROW


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932", "euc-jp", "utf-16"])
def test_a_line_is_appended_in_the_files_encoding_and_line_ends(tmp_path, encoding):
    path = tmp_path / "corrections.csv"
    old = f"{HEADER}\r\n{OLD}\r\n".encode(encoding)
    path.write_bytes(old)
    assert append_correction(path, ROW) == 3
    data = path.read_bytes()
    assert data.startswith(old)
    assert data[len(old) :].decode(encoding.replace("-sig", "").replace("utf-16", "utf-16-le")).endswith("\r\n")
    rows = read_corrections(path)
    assert rows[0]["action"] == "reject" and _read_back(path) == ROW


def test_the_files_column_order_is_kept_and_a_last_line_without_an_end_gets_one(tmp_path):
    path = tmp_path / "corrections.csv"
    header = "action,sha256,author,reason,value,line,kpi_name,measure,fiscal_year,corrected_on,file,page,cell,"
    header += "project_name,unit"
    path.write_text(f"{header}\nreject,{SHA},佐藤,r,,8,来訪者数,actual,2020,2026-11-03,a.txt,,,,", encoding="utf-8")
    append_correction(path, ROW)
    assert path.read_text(encoding="utf-8").splitlines()[2].startswith(f"set_value,{SHA},山田,")
    assert _read_back(path) == ROW


@pytest.mark.parametrize(
    ("old", "reason"),
    [
        pytest.param(
            b"sha256,action,author,reason\n",
            r"corrections\.csv: line 1: no column file, line, kpi_name",
            id="without-a-column-the-line-needs",
        ),
        pytest.param(f'{HEADER}\n{SHA},"a.txt,,\n'.encode(), r"corrections\.csv: line", id="unclosed-quote"),
    ],
)
def test_a_file_the_line_cannot_go_into_is_refused_and_left_as_it_was(tmp_path, old: bytes, reason: str):
    path = tmp_path / "corrections.csv"
    path.write_bytes(old)
    with pytest.raises(ManifestError, match=reason):
        append_correction(path, ROW)
    assert path.read_bytes() == old


def test_a_name_the_files_encoding_cannot_hold_is_refused(tmp_path):
    path = tmp_path / "corrections.csv"
    old = f"{HEADER}\n{OLD}\n".encode("cp932")
    path.write_bytes(old)
    with pytest.raises(ManifestError, match="cannot be written in its encoding"):
        append_correction(path, {**ROW, "reason": "😀"})
    assert path.read_bytes() == old


def test_a_writer_waits_for_the_lock_and_the_lock_is_not_taken_for_a_report(tmp_path, monkeypatch):
    path = tmp_path / "corrections.csv"
    monkeypatch.setattr(corrections, "LOCK_TIMEOUT", 0.2)
    with FileLock(lock_path(path)), pytest.raises(Timeout):
        append_correction(path, ROW)
    assert not path.exists()
    assert scan_raw(tmp_path) == {}  # the lock file is hidden from raw/'s scan


def test_concurrent_writers_each_append_their_own_line(tmp_path):
    path = tmp_path / "corrections.csv"
    writers = [threading.Thread(target=append_correction, args=(path, {**ROW, "value": str(n)})) for n in range(8)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    assert sorted(int(r["value"]) for r in read_corrections(path)) == list(range(8))


def test_an_unknown_column_is_refused(tmp_path):
    with pytest.raises(ValueError, match=r"not columns of corrections\.csv: colour"):
        append_correction(tmp_path / "corrections.csv", {**ROW, "colour": "red"})
