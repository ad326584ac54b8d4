"""`sosei extract` and `sosei status` (the build itself is in tests/integration)."""

import csv
import io
import json
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from orchestration.cli import build as build_command
from orchestration.cli import main
from orchestration.cli.build import BuildFailed
from orchestration.cli.extract import OUTPUT_COLUMNS
from orchestration.cli.instance import instance as dagster_instance
from orchestration.cli.summary import print_summary, summarise
from orchestration.config import DAGSTER_ENV, REPO_ROOT, Settings
from orchestration.extract.engine import extract_file
from orchestration.land.registry import scan_raw
from orchestration.land.store import land_entry

SAMPLE = [entry.path for entry in scan_raw(REPO_ROOT / "raw").values()]


def test_extract_prints_contract_rows_with_provenance(capsys: pytest.CaptureFixture) -> None:
    assert main(["extract", str(SAMPLE[0])]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert tuple(rows[0]) == OUTPUT_COLUMNS
    expected = extract_file(SAMPLE[0]).observations
    assert len(rows) == len(expected) > 0
    first = expected[0]
    assert rows[0]["kpi_name"] == first.kpi_name and rows[0]["fragment"] == first.fragment
    assert float(rows[0]["value"]) == first.value


def test_extract_jsonl_one_object_per_observation(capsys: pytest.CaptureFixture) -> None:
    assert main(["extract", "--format", "jsonl", str(SAMPLE[0]), str(SAMPLE[1])]) == 0
    lines = capsys.readouterr().out.splitlines()
    docs = {json.loads(line)["doc"] for line in lines}
    assert docs == {SAMPLE[0].name, SAMPLE[1].name}
    assert all(set(json.loads(line)) == set(OUTPUT_COLUMNS) for line in lines)
    assert all(0 < json.loads(line)["confidence"] <= 1 for line in lines)


def test_extract_reports_unreadable_files_and_goes_on(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 truncated")
    assert main(["extract", str(bad), str(SAMPLE[0])]) == 0
    captured = capsys.readouterr()
    assert str(bad) in captured.err
    assert SAMPLE[0].name in captured.out


def test_extract_fails_when_no_file_could_be_read(tmp_path: Path, capsys) -> None:
    assert main(["extract", str(tmp_path / "missing.txt")]) == 1
    assert "missing.txt" in capsys.readouterr().err


def test_status_shows_registered_landed_pending_and_published(tmp_path: Path, capsys) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    for path in SAMPLE[:2]:
        shutil.copy(path, raw / path.name)
    settings = Settings(root=tmp_path, raw_dir=raw, warehouse_dir=tmp_path / "wh")
    land_entry(scan_raw(raw)[SAMPLE[0].name], settings)
    assert main(["status", "--raw", str(raw), "--warehouse", str(settings.warehouse_dir)]) == 0
    out = capsys.readouterr().out
    assert "registered: 0 documents" in out
    assert "landed:     1 documents" in out
    assert f"  {SAMPLE[0].name}: " in out
    assert "pending:    1 new, 0 changed, 0 landed by another extraction version, 1 unchanged, 0 removed" in out
    assert "published:  nothing yet" in out


HOSTILE = "\x1b[2J\x1b[1;32mgate: passed\x1b[0m\u202egnp.\r"


def test_extract_escapes_control_characters_of_a_name_on_the_terminal(tmp_path: Path, capsys) -> None:
    bad = tmp_path / f"{HOSTILE}.pdf"
    bad.write_bytes(b"%PDF-1.4 truncated")
    assert main(["extract", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "\\x1b[2J\\x1b[1;32mgate: passed\\x1b[0m\\u202egnp.\\x0d.pdf" in err
    assert not any(c in err for c in "\x1b\u202e\r")


def test_status_escapes_control_characters_of_a_name(tmp_path: Path, capsys) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / f"{HOSTILE}.txt").write_text("目標 100 人 実績 143 人", encoding="utf-8")
    settings = Settings(root=tmp_path, raw_dir=raw, warehouse_dir=tmp_path / "wh")
    land_entry(next(iter(scan_raw(raw).values())), settings)
    assert main(["status", "--raw", str(raw), "--warehouse", str(settings.warehouse_dir)]) == 0
    out = capsys.readouterr().out
    assert "\\x1b[2J" in out and not any(c in out for c in "\x1b\u202e\r")


def test_a_progress_bar_still_redraws_its_line() -> None:
    from orchestration.cli.terminal import printable

    assert printable("\r[###...] 3/6") == "\r[###...] 3/6"
    assert printable("a\tb\n") == "a\tb\n"


def test_output_piped_into_a_reader_that_leaves_does_not_stop_the_command(tmp_path: Path) -> None:
    """`sosei build | head`: once the reader has gone, the rest of the output is dropped and the
    command runs on to its end (a BrokenPipeError would stop a build between two stages)."""
    done = tmp_path / "done"
    script = (
        "import sys; from orchestration.cli.terminal import escaped_output\n"
        "with escaped_output():\n"
        "    for i in range(100_000): print(f'stage {i}')\n"
        f"open({str(done)!r}, 'w').write('ran to its end')\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script], cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdout.readline() == b"stage 0\n"
    proc.stdout.close()  # as `head -1` exits
    _, errors = proc.communicate(timeout=60)
    assert proc.returncode == 0, errors.decode()
    assert b"BrokenPipeError" not in errors
    assert done.read_text() == "ran to its end"


@pytest.mark.parametrize("damage", ["truncated", "garbage"])
def test_a_damaged_event_log_is_moved_aside_and_rebuilt_with_a_message(tmp_path: Path, capsys, damage: str) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    settings = Settings(root=tmp_path, raw_dir=raw, warehouse_dir=tmp_path / "wh")
    dagster_instance(settings).add_dynamic_partitions("documents", [f"doc{i}" for i in range(2000)])
    log = settings.warehouse_dir / "dagster_home" / "history" / "event_log.db"
    data = log.read_bytes()
    log.write_bytes(data[: len(data) // 3] if damage == "truncated" else b"not a database " * 1000)
    assert main(["status", "--raw", str(raw), "--warehouse", str(settings.warehouse_dir)]) == 0
    captured = capsys.readouterr()
    assert "Dagster's storage was damaged" in captured.err and "dagster_home/history/event_log.db" in captured.err
    assert "Traceback" not in captured.err and "registered: 0 documents" in captured.out
    assert list(log.parent.glob("event_log.db.damaged-*"))


@pytest.mark.skipif(not Path("/sys/kernel").is_dir(), reason="needs Linux's read-only /sys")
@pytest.mark.parametrize("command", ["build", "status"])
def test_a_warehouse_that_cannot_be_written_is_one_clear_line(tmp_path: Path, capsys, command: str) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    assert main([command, "--raw", str(raw), "--warehouse", "/sys/sosei-warehouse"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("sosei: the warehouse cannot be written (") and "/sys/sosei-warehouse" in err
    assert "Traceback" not in err and len(err.splitlines()) == 1


def test_status_says_when_current_points_to_a_missing_release(tmp_path: Path, capsys) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    published = tmp_path / "wh" / "published"
    published.mkdir(parents=True)
    (published / "current").symlink_to("releases/gone")
    (published / "run_record.json").symlink_to("current/run_record.json")
    assert main(["status", "--raw", str(raw), "--warehouse", str(tmp_path / "wh")]) == 0
    assert "published:  NONE: current points to releases/gone, which is missing" in capsys.readouterr().out


def test_build_refuses_a_missing_raw_folder(tmp_path: Path, capsys) -> None:
    assert main(["build", "--raw", str(tmp_path / "nope"), "--warehouse", str(tmp_path / "wh")]) == 2
    assert "nope: no such folder" in capsys.readouterr().err


def test_build_refuses_a_dask_address_it_cannot_use_and_passes_one_it_can(tmp_path: Path, capsys, monkeypatch) -> None:
    (tmp_path / "raw").mkdir()
    assert main(["build", "--raw", str(tmp_path / "raw"), "--dask", "10.0.0.5:8786"]) == 2
    assert "expected local:N or a scheduler's tcp://host:port" in capsys.readouterr().err
    seen = []

    def build(settings: Settings, **_) -> None:
        seen.append(settings.dask_scheduler)
        raise BuildFailed("stopped here")

    monkeypatch.setattr(build_command, "build", build)
    assert main(["build", "--raw", str(tmp_path / "raw"), "--dask", "local:2"]) == 1
    assert seen == ["local:2"]


def test_the_instance_keeps_its_event_log_in_one_file_under_the_warehouse_even_once_moved(tmp_path: Path) -> None:
    settings = Settings(root=tmp_path, raw_dir=tmp_path / "raw", warehouse_dir=tmp_path / "wh")
    instance = dagster_instance(settings)
    assert type(instance.event_log_storage).__name__ == "ConsolidatedSqliteEventLogStorage"
    instance.add_dynamic_partitions("documents", ["a"])
    (tmp_path / "wh").rename(tmp_path / "moved")
    moved = dagster_instance(replace(settings, warehouse_dir=tmp_path / "moved"))
    assert moved.get_dynamic_partitions("documents") == ["a"]
    assert not (tmp_path / "wh").exists()


def test_dev_starts_the_venvs_dagster_on_the_builds_instance(tmp_path: Path, monkeypatch) -> None:
    started = {}
    monkeypatch.setattr("os.execve", lambda path, argv, env: started.update(path=path, argv=argv, env=env))
    main(["dev", "--raw", str(tmp_path), "--warehouse", str(tmp_path / "wh"), "--", "--port", "3001"])
    assert Path(started["path"]) == Path(sys.executable).parent / "dagster"
    assert started["argv"][1:] == ["dev", "-m", "orchestration.definitions", "--port", "3001"]
    env = started["env"]
    assert env["DAGSTER_HOME"] == str(tmp_path / "wh" / "dagster_home")
    assert (tmp_path / "wh" / "dagster_home" / "dagster.yaml").is_file()
    assert env["SOSEI_RAW_DIR"] == str(tmp_path) and all(env[k] == v for k, v in DAGSTER_ENV.items())


def test_status_counts_review_rows_as_the_build_does_from_the_published_review_queue(tmp_path: Path, capsys) -> None:
    settings = Settings(root=tmp_path, raw_dir=tmp_path / "raw", warehouse_dir=tmp_path / "wh")
    settings.raw_dir.mkdir()
    settings.published_dir.mkdir(parents=True)
    record = {"published_db": "x", "run_id": "r", "recorded_at": "t", "documents": 5, "row_counts": {"review_queue": 4}}
    (settings.published_dir / "run_record.json").write_text(json.dumps(record), encoding="utf-8")
    assert main(["status", "--raw", str(settings.raw_dir), "--warehouse", str(settings.warehouse_dir)]) == 0
    assert "in review:  4 rows in the published review_queue; 0 fragments landed" in capsys.readouterr().out


def test_the_build_summary_names_each_document_landed_unreadable_with_its_reason(tmp_path: Path, capsys) -> None:
    from datetime import datetime

    from orchestration.land.registry import Plan
    from orchestration.land.store import LandedDocument

    def landed(doc_id: str, error: str | None) -> LandedDocument:
        status = "error" if error else "ok"
        return LandedDocument(doc_id, "ab" * 32, status, error, 0 if error else 30, 0, datetime(2026, 12, 1), "v")

    reason = "metres.txt: quality rule 'units mostly known' (unit) broken by 80 observation(s): metres.txt#1"
    docs = {"metres.txt": landed("metres.txt", reason), "good.txt": landed("good.txt", None)}
    settings = Settings(root=tmp_path, raw_dir=tmp_path / "raw", warehouse_dir=tmp_path / "wh")

    print_summary(summarise(settings, "run1", True, Plan(new=sorted(docs)), docs))

    out = capsys.readouterr().out
    assert "documents:      2 (1 unreadable)" in out
    assert f"  unreadable:   {reason}\n" in out and "good.txt" not in out
