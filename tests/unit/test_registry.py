"""The raw registry: which entries of raw/ are read, and what a build must land."""

import os
import time
from datetime import datetime
from pathlib import Path

import pytest

from orchestration.config import Settings
from orchestration.land import extraction_version, registry
from orchestration.land.registry import hash_raw, plan, scan_raw
from orchestration.land.store import LandedDocument, land_entry, landed_documents


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    (tmp_path / "raw").mkdir()
    return tmp_path / "raw"


def test_scan_skips_the_manifest_and_hidden_files(raw: Path) -> None:
    (raw / "sub").mkdir()
    for name in ("a.txt", "sub/b.pdf", ".DS_Store", "manifest.csv", "sub/.~lock"):
        (raw / name).write_text("x")
    entries = scan_raw(raw)
    assert list(entries) == ["a.txt", "sub/b.pdf"]
    assert all(e.rejected is None for e in entries.values())


def test_links_out_of_raw_fifos_and_devices_are_not_read(raw: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("password")
    (raw / "inside.txt").write_text("目標 1 人")
    (raw / "to_secret.txt").symlink_to(secret)
    (raw / "to_passwd.txt").symlink_to("/etc/passwd")
    (raw / "to_inside.txt").symlink_to(raw / "inside.txt")
    (raw / "dangling.txt").symlink_to(tmp_path / "nowhere")
    os.mkfifo(raw / "pipe.txt")
    (raw / "null.txt").symlink_to("/dev/null")
    entries = scan_raw(raw)
    reasons = {d: e.rejected for d, e in entries.items()}
    assert reasons["inside.txt"] is None and reasons["to_inside.txt"] is None
    assert reasons["to_secret.txt"] == reasons["to_passwd.txt"] == "a symbolic link to a file outside raw/: not read"
    assert reasons["pipe.txt"] == "a FIFO, not a regular file: not read"
    assert reasons["null.txt"].startswith("a symbolic link to a file outside raw/")
    assert reasons["dangling.txt"].startswith("cannot be inspected")
    assert hash_raw(entries)["pipe.txt"] == ""  # hashing does not open it (it would block)


def test_an_entry_that_is_not_read_lands_as_an_error_row_with_its_reason(raw: Path, tmp_path: Path) -> None:
    settings = Settings(root=tmp_path, raw_dir=raw, warehouse_dir=tmp_path / "wh")
    os.mkfifo(raw / "pipe.txt")
    (raw / "leak.txt").symlink_to("/etc/passwd")
    for entry in scan_raw(raw).values():
        land_entry(entry, settings)  # would block on the FIFO, or read /etc/passwd, if opened
    landed = landed_documents(settings)
    assert landed["pipe.txt"].error == "pipe.txt: a FIFO, not a regular file: not read"
    assert landed["leak.txt"].error == "leak.txt: a symbolic link to a file outside raw/: not read"
    assert all(d.read_status == "error" and d.n_observations == 0 for d in landed.values())


def test_file_names_of_any_legal_length_and_bytes_land(raw: Path, tmp_path: Path) -> None:
    settings = Settings(root=tmp_path, raw_dir=raw, warehouse_dir=tmp_path / "wh")
    long_name = "長" * 80 + "_report.txt"  # 254 bytes in UTF-8: ext4's limit is 255
    assert len(long_name.encode()) == 251
    (raw / long_name).write_text("目標 100 人 実績 143 人", encoding="utf-8")
    os.close(os.open(os.fsencode(raw) + b"/bad\xff\xfe.txt", os.O_CREAT | os.O_WRONLY))
    entries = scan_raw(raw)
    assert set(entries) == {long_name, "bad\\xff\\xfe.txt"}
    for entry in entries.values():
        land_entry(entry, settings)
    assert set(landed_documents(settings)) == set(entries)


def _landed(sha: str, version: str) -> LandedDocument:
    return LandedDocument(
        doc_id="",
        sha256=sha,
        read_status="ok",
        error=None,
        n_observations=0,
        n_review=0,
        landed_at=datetime(2026, 1, 1),
        reader_version=version,
    )


def test_plan_lands_new_changed_and_other_version_documents(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extraction_version, "EXTRACTION_VERSION", "v2")
    landed = {
        "same": _landed("1", "v2"),
        "edited": _landed("1", "v2"),
        "old": _landed("1", "v1"),
        "gone": _landed("1", "v2"),
    }
    now = {"same": "1", "edited": "2", "old": "1", "fresh": "3"}
    result = plan(landed, now)
    assert (result.new, result.changed, result.reextracted) == (["fresh"], ["edited"], ["old"])
    assert (result.unchanged, result.removed) == (["same"], ["gone"])
    assert result.to_land == ["edited", "fresh", "old"]


def test_a_version_covers_single_files_and_skips_run_outputs(tmp_path: Path) -> None:
    (tmp_path / "publish.py").write_text("A = 1\n")
    (tmp_path / "expectations").mkdir()
    (tmp_path / "expectations" / "great_expectations.yml").write_text("x: 1\n")
    parts = ("publish.py", "expectations")
    before = extraction_version.version_of_files(tmp_path, parts)
    (tmp_path / "expectations" / "uncommitted").mkdir()
    (tmp_path / "expectations" / "uncommitted" / "index.html").write_text("<html>")
    assert extraction_version.version_of_files(tmp_path, parts) == before  # Data Docs are output
    (tmp_path / "publish.py").write_text("A = 2\n")
    assert extraction_version.version_of_files(tmp_path, parts) != before


def _hashed_files(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files hash_raw reads from now on."""
    read: list[Path] = []
    original = registry.sha256_file
    monkeypatch.setattr(registry, "sha256_file", lambda path: read.append(path) or original(path))
    return read


def _write_aged(path: Path, text: str, age_s: int = 60) -> None:
    path.write_text(text, encoding="utf-8")
    past = time.time_ns() - age_s * 1_000_000_000
    os.utime(path, ns=(past, past))


def test_the_hash_cache_spares_reading_files_whose_stat_is_unchanged(raw: Path, tmp_path, monkeypatch) -> None:
    cache = tmp_path / "wh" / "raw_hashes.json"
    for name in ("a.txt", "b.txt"):
        _write_aged(raw / name, f"{name} 目標 1 人")
    first = hash_raw(scan_raw(raw), cache)
    read = _hashed_files(monkeypatch)
    assert hash_raw(scan_raw(raw), cache) == first and read == []
    _write_aged(raw / "b.txt", "b.txt 目標 2 人")  # same size, and its mtime set back: ctime moved
    again = hash_raw(scan_raw(raw), cache)
    assert [p.name for p in read] == ["b.txt"] and again["b.txt"] != first["b.txt"]
    assert again == hash_raw(scan_raw(raw))  # what hashing everything gives


def test_a_file_written_just_before_the_cache_is_hashed_again(raw: Path, tmp_path, monkeypatch) -> None:
    """Its next write could land within the same timestamp, so its stat alone proves nothing."""
    cache = tmp_path / "raw_hashes.json"
    (raw / "fresh.txt").write_text("目標 1 人", encoding="utf-8")
    hash_raw(scan_raw(raw), cache)
    read = _hashed_files(monkeypatch)
    hash_raw(scan_raw(raw), cache)
    assert [p.name for p in read] == ["fresh.txt"]


def test_an_unreadable_cache_means_hashing_everything(raw: Path, tmp_path) -> None:
    cache = tmp_path / "raw_hashes.json"
    cache.write_text("{not json", encoding="utf-8")
    _write_aged(raw / "a.txt", "目標 1 人")
    assert hash_raw(scan_raw(raw), cache) == hash_raw(scan_raw(raw))
