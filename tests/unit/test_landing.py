"""Landing: per-document parquet files and the typed raw schema built from them."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest

from orchestration.config import SAMPLES_DIR, Settings
from orchestration.extract.model import Evidence, ExtractionResult, Observation, Project, ReviewItem
from orchestration.land.manifest import ManifestError
from orchestration.land.raw_schema import load_raw_schema
from orchestration.land.registry import scan_raw
from orchestration.land.store import (
    RAW_SCHEMA_TABLES,
    RAW_TABLES,
    land_document,
    land_many,
    landed_documents,
    landing_file_stem,
    prune_landing,
    remove_document,
)

MANIFEST_HEADER = "file,issuer_name,issuer_code,doc_kind,fiscal_year,title,publisher,retrieved_on\n"


def _observation(doc: str, kpi: str, measure: str, value: float | None, status: str = "") -> Observation:
    return Observation(
        doc=doc,
        grant_program="地方創生推進交付金",
        project_name="事業A",
        kpi_name=kpi,
        measure=measure,
        fiscal_year=2021,
        value=value,
        unit="人",
        status=status,
        value_text="" if value is None else str(value),
        page=None,
        line=3,
        cell=None,
        fragment=f"{kpi} {value}",
        reader="block_table",
    )


def _result(doc: str, n_obs: int = 2, error: str | None = None) -> ExtractionResult:
    observations = [] if error else [_observation(doc, f"指標{i}", "actual", 100.0 + i) for i in range(n_obs)]
    return ExtractionResult(
        doc=doc,
        path=f"/raw/{doc}",
        sha256="ab" * 32,
        size_bytes=123,
        format="text",
        pages=1,
        title="t",
        doc_kind="results",
        fiscal_year=2021,
        issuer_name="盛岡市",
        layouts=["block_table"],
        observations=observations,
        projects=[] if error else [Project(doc=doc, grant_program="g", project_name="事業A", fiscal_year=2021)],
        review=[] if error else [ReviewItem(doc=doc, reason="no number", fragment="目標 多数")],
        evidence=[] if error else [_rate(doc)],
        error=error,
    )


def _rate(doc: str) -> Evidence:
    """A printed 達成率 beside 指標0's actual, in cell G4 of page 1."""
    return Evidence(
        doc=doc,
        kind="achievement_rate",
        grant_program="地方創生推進交付金",
        project_name="事業A",
        kpi_name="指標0",
        measure="",
        fiscal_year=2021,
        value=95.2,
        value_text="95.2%",
        unit="%",
        page=1,
        line=None,
        cell="G4",
        fragment="指標0 | 95.2%",
        reader="wide",
    )


def _rows(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_landed_document_loads_with_ids_and_provenance(settings: Settings) -> None:
    counts = land_document(_result("a.txt", n_obs=3), "sub/a.txt", settings)
    assert counts == {"documents": 1, "kpi_observations": 3, "projects": 1, "review_items": 1, "evidence": 1}
    db = settings.candidate_db
    load = load_raw_schema(db, settings)
    assert load.row_counts["kpi_observations"] == 3
    rows = _rows(db, "SELECT observation_id, doc_id, seq, kpi_name, value, line FROM raw.kpi_observations ORDER BY seq")
    assert rows[0] == ("sub/a.txt#1", "sub/a.txt", 1, "指標0", 100.0, 3)
    assert _rows(db, "SELECT project_id FROM raw.projects") == [("sub/a.txt#p1",)]
    assert _rows(db, "SELECT review_id, reason FROM raw.review_items") == [("sub/a.txt#r1", "no number")]
    sql = "SELECT evidence_id, kind, kpi_name, fiscal_year, value, page, cell, fragment FROM raw.evidence"
    evidence = _rows(db, sql)
    assert evidence == [("sub/a.txt#e1", "achievement_rate", "指標0", 2021, 95.2, 1, "G4", "指標0 | 95.2%")]
    doc = _rows(db, "SELECT read_status, n_observations, n_review, layouts FROM raw.documents")
    assert doc == [("ok", 3, 1, "block_table")]


def test_each_observation_records_the_extraction_version_that_landed_it(settings: Settings) -> None:
    land_document(_result("a.txt", n_obs=3), "a.txt", settings, version="v-landing")
    load_raw_schema(settings.candidate_db, settings)
    assert _rows(settings.candidate_db, "SELECT DISTINCT reader_version FROM raw.kpi_observations") == [("v-landing",)]
    assert _rows(settings.candidate_db, "SELECT reader_version FROM raw.documents") == [("v-landing",)]


def test_each_observation_lands_with_its_confidence(settings: Settings) -> None:
    result = _result("a.txt", n_obs=2)
    result.observations = [replace(o, confidence=c) for o, c in zip(result.observations, (0.9, 0.54), strict=True)]
    land_document(result, "a.txt", settings)
    load_raw_schema(settings.candidate_db, settings)
    assert _rows(settings.candidate_db, "SELECT confidence FROM raw.kpi_observations ORDER BY seq") == [(0.9,), (0.54,)]


def test_unreadable_document_lands_its_error_row(settings: Settings) -> None:
    land_document(_result("bad.pdf", error="bad.pdf: not a PDF"), "bad.pdf", settings)
    load_raw_schema(settings.candidate_db, settings)
    assert _rows(settings.candidate_db, "SELECT doc_id, read_status, error FROM raw.documents") == [
        ("bad.pdf", "error", "bad.pdf: not a PDF")
    ]
    assert _rows(settings.candidate_db, "SELECT count(*) FROM raw.kpi_observations") == [(0,)]


def test_empty_landing_gives_typed_empty_tables(settings: Settings) -> None:
    load = load_raw_schema(settings.candidate_db, settings)
    assert load.row_counts == dict.fromkeys(RAW_SCHEMA_TABLES, 0)
    types = dict(
        _rows(
            settings.candidate_db,
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'raw' AND table_name = 'kpi_observations'",
        )
    )
    assert types["value"] == "DOUBLE" and types["fiscal_year"] == "INTEGER"
    manifest_types = dict(
        _rows(
            settings.candidate_db,
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'raw' AND table_name = 'manifest'",
        )
    )
    assert manifest_types["line"] == "INTEGER" and manifest_types["retrieved_on"] == "VARCHAR"


def test_relanding_overwrites_and_removal_deletes(settings: Settings) -> None:
    land_document(_result("a.txt", n_obs=3), "a.txt", settings)
    land_document(_result("a.txt", n_obs=1), "a.txt", settings)
    land_document(_result("b.txt", n_obs=2), "b.txt", settings)
    load_raw_schema(settings.candidate_db, settings)
    assert _rows(settings.candidate_db, "SELECT doc_id, count(*) FROM raw.kpi_observations GROUP BY 1 ORDER BY 1") == [
        ("a.txt", 1),
        ("b.txt", 2),
    ]
    assert remove_document("a.txt", settings)
    assert not remove_document("a.txt", settings)
    assert set(landed_documents(settings)) == {"b.txt"}
    load_raw_schema(settings.candidate_db, settings)
    assert _rows(settings.candidate_db, "SELECT DISTINCT doc_id FROM raw.kpi_observations") == [("b.txt",)]


def _raw_contents(db: Path) -> dict[str, list[tuple]]:
    return {t: _rows(db, f"SELECT * FROM raw.{t} ORDER BY ALL") for t in RAW_SCHEMA_TABLES}


def test_a_load_replaces_only_the_documents_landed_or_removed_since_the_last(settings: Settings) -> None:
    for doc_id in ("a.txt", "b.txt", "c.txt"):
        land_document(_result(doc_id), doc_id, settings)
    first = load_raw_schema(settings.candidate_db, settings)
    assert first.loaded == ["a.txt", "b.txt", "c.txt"] and first.deleted == []
    assert load_raw_schema(settings.candidate_db, settings).loaded == []  # nothing landed since

    land_document(_result("b.txt", n_obs=5), "b.txt", settings)
    remove_document("c.txt", settings)
    land_document(_result("d.txt"), "d.txt", settings)
    load = load_raw_schema(settings.candidate_db, settings)
    assert (load.loaded, load.deleted) == (["b.txt", "d.txt"], ["c.txt"])
    assert _rows(settings.candidate_db, "SELECT doc_id, count(*) FROM raw.kpi_observations GROUP BY 1 ORDER BY 1") == [
        ("a.txt", 2),
        ("b.txt", 5),
        ("d.txt", 2),
    ]
    # The same rows as a load from nothing.
    full = Settings(root=settings.root, raw_dir=settings.raw_dir, warehouse_dir=settings.warehouse_dir / "full")
    load_raw_schema(full.candidate_db, settings)
    assert _raw_contents(settings.candidate_db) == _raw_contents(full.candidate_db)


def test_a_raw_table_with_other_columns_is_loaded_again_in_full(settings: Settings) -> None:
    """A candidate left by another version of the landing schema converges to this one."""
    land_document(_result("a.txt"), "a.txt", settings)
    load_raw_schema(settings.candidate_db, settings)
    with duckdb.connect(str(settings.candidate_db)) as con:
        con.execute("ALTER TABLE raw.projects DROP COLUMN cost_unit")
    load = load_raw_schema(settings.candidate_db, settings)
    assert load.loaded == ["a.txt"] and load.row_counts["projects"] == 1
    assert "cost_unit" in dict(
        _rows(
            settings.candidate_db, "SELECT column_name, 1 FROM information_schema.columns WHERE table_name = 'projects'"
        )
    )


def test_prune_landing_keeps_only_registered_documents(settings: Settings) -> None:
    for doc_id in ("a.txt", "b.txt", "c.txt"):
        land_document(_result(doc_id), doc_id, settings)
    assert prune_landing({"b.txt"}, settings) == ["a.txt", "c.txt"]
    assert set(landed_documents(settings)) == {"b.txt"}
    assert len(list(settings.landing_dir.glob("*/*.parquet"))) == len(RAW_TABLES)  # one per table; the index beside


def test_manifest_loads_and_unlisted_documents_warn(settings: Settings, caplog) -> None:
    settings.manifest_path.write_text(
        MANIFEST_HEADER + "a.txt,盛岡市,032018,results,2020,題,盛岡市,2026-11-22\n", encoding="utf-8"
    )
    land_document(_result("a.txt"), "a.txt", settings)
    land_document(_result("new.txt"), "new.txt", settings)
    with caplog.at_level(logging.WARNING):
        load = load_raw_schema(settings.candidate_db, settings)
    assert load.missing_from_manifest == ["new.txt"]
    assert "new.txt" in caplog.text
    assert _rows(settings.candidate_db, "SELECT file, issuer_code, fiscal_year FROM raw.manifest") == [
        ("a.txt", "032018", "2020")
    ]  # as printed: the dbt project checks the values
    assert load.row_counts["documents"] == 2  # the unlisted document still loads


def test_a_manifest_without_a_file_column_names_the_line(settings: Settings) -> None:
    settings.manifest_path.write_text("issuer_name,issuer_code\n盛岡市,032018\n", encoding="utf-8")
    with pytest.raises(ManifestError, match=r"manifest\.csv: line 1: no column file"):
        load_raw_schema(settings.candidate_db, settings)


def test_connection_is_closed_after_load(settings: Settings) -> None:
    """DuckDB lets a second read-write connection open in the same process, so the writer that
    would be locked out is another process, as dbt is."""
    load_raw_schema(settings.candidate_db, settings)
    probe = "import duckdb, sys; duckdb.connect(sys.argv[1]).execute('CREATE TABLE probe AS SELECT 1')"
    done = subprocess.run(
        [sys.executable, "-c", probe, str(settings.candidate_db)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr


def test_a_connection_left_open_is_seen_from_another_process(settings: Settings) -> None:
    """The check above can fail: while this process holds the file, another cannot write it."""
    load_raw_schema(settings.candidate_db, settings)
    probe = "import duckdb, sys; duckdb.connect(sys.argv[1])"
    with duckdb.connect(str(settings.candidate_db)):
        done = subprocess.run(
            [sys.executable, "-c", probe, str(settings.candidate_db)], capture_output=True, text=True, timeout=60
        )
    assert done.returncode != 0 and "lock" in done.stderr.lower()


@pytest.mark.parametrize(
    "doc_id",
    ["a.txt", "sub/dir/b.pdf", "50%.csv", "weird...name.txt", ".x/y", "長" * 84 + ".txt", "bad\\xff\\xfebytes.txt"],
)
def test_landing_file_names_derive_from_a_hash(settings: Settings, doc_id: str) -> None:
    stem = landing_file_stem(doc_id)
    assert "/" not in stem and not stem.startswith(".") and len(stem) == 40
    land_document(_result("x"), doc_id, settings)
    assert set(landed_documents(settings)) == {doc_id}


def test_land_many_in_worker_processes_lands_each_document_once(settings: Settings) -> None:
    """Enough documents for the process pool: each lands its own files; a bad one does not stop the rest."""
    samples = sorted(SAMPLES_DIR.glob("*.txt"))
    docs = []
    for i in range(2):
        for sample in samples:
            target = settings.raw_dir / f"copy{i}" / sample.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(sample.read_bytes())
            docs.append(f"copy{i}/{sample.name}")
    (settings.raw_dir / "empty.txt").write_bytes(b"")
    # Hostile files among the copies (issue 24's probe of copies with hostile files among them).
    os.mkfifo(settings.raw_dir / "fifo.pdf")  # a reader would block on it forever
    (settings.root / "secret.txt").write_text("目標 100 人 実績 143 人", encoding="utf-8")
    (settings.raw_dir / "out.txt").symlink_to(settings.root / "secret.txt")
    (settings.raw_dir / "junk.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(4096))
    docs += ["empty.txt", "fifo.pdf", "out.txt", "junk.pdf"]
    assert len(docs) >= 8

    entries = scan_raw(settings.raw_dir)
    outcomes = {
        doc: (counts, error) for doc, counts, error in land_many([entries[d] for d in docs], settings, workers=2)
    }

    assert set(outcomes) == set(docs)
    assert all(error is None for _counts, error in outcomes.values())  # an unreadable file lands as an error row
    assert outcomes["empty.txt"][0]["kpi_observations"] == 0
    per_copy = [sum(outcomes[f"copy{i}/{s.name}"][0]["kpi_observations"] for s in samples) for i in range(2)]
    assert per_copy[0] == per_copy[1] > 0
    assert set(landed_documents(settings)) == set(docs)
    errors = {doc: d.error for doc, d in landed_documents(settings).items() if d.read_status == "error"}
    assert sorted(errors) == ["empty.txt", "fifo.pdf", "junk.pdf", "out.txt"]
    assert "a FIFO, not a regular file" in errors["fifo.pdf"] and "outside raw/" in errors["out.txt"]
    assert errors["junk.pdf"].startswith("junk.pdf: not a readable PDF")


def test_landing_records_come_from_the_index_and_files_it_does_not_know(settings: Settings, monkeypatch) -> None:
    for doc_id in ("a.txt", "b.txt"):
        land_document(_result(doc_id), doc_id, settings)
    first = landed_documents(settings)
    assert (settings.landing_dir / "index.parquet").is_file()
    land_document(_result("b.txt", n_obs=4), "b.txt", settings)  # re-landed since the index
    remove_document("a.txt", settings)
    land_document(_result("c.txt"), "c.txt", settings)
    now = landed_documents(settings)
    assert set(now) == {"b.txt", "c.txt"} and now["b.txt"].n_observations == 4
    assert now["b.txt"].landed_at > first["b.txt"].landed_at
    (settings.landing_dir / "index.parquet").write_bytes(b"not parquet")  # a damaged index is rebuilt
    assert landed_documents(settings) == now


def test_the_index_spares_reading_files_it_already_holds(settings: Settings, monkeypatch) -> None:
    import orchestration.land.store as landing

    land_document(_result("a.txt"), "a.txt", settings)
    monkeypatch.setattr(landing, "_RACY_NS", 0)  # as if the files were written long before the index
    expected = landed_documents(settings)
    read: list[list[str]] = []
    original = landing._read_records
    monkeypatch.setattr(
        landing,
        "_read_records",
        lambda folder, names, everything: read.append(names) or original(folder, names, everything),
    )
    assert landed_documents(settings) == expected and read == [[]]


def test_a_rewritten_index_is_parsed_again_though_its_mtime_size_and_inode_repeat(settings: Settings) -> None:
    """A rewrite can repeat the index file's (mtime, size, inode): a coarse clock (a kernel tick),
    rows of the same widths, and the inode that the previous replace freed. Forced here: the new
    index's bytes written over the old one in place, its mtime set back."""
    import orchestration.land.store as landing

    land_document(_result("a.txt"), "a.txt", settings)
    landed_documents(settings)  # writes the index
    index = settings.landing_dir / "index.parquet"
    ((name, entry),) = landing._read_index(index)[0].items()  # parsed and kept
    before = index.stat()
    newer = replace(entry["record"], landed_at=entry["record"].landed_at + timedelta(seconds=1))
    rewritten = index.with_name("rewritten.parquet")
    landing._write_index(rewritten, {name: entry["key"]}, {name: newer})
    with open(index, "r+b") as out:
        out.write(rewritten.read_bytes())
    os.utime(index, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = index.stat()
    assert (after.st_mtime_ns, after.st_size, after.st_ino) == (before.st_mtime_ns, before.st_size, before.st_ino)
    assert landing._read_index(index)[0][name]["record"] == newer


def test_control_characters_and_bidi_overrides_are_removed_at_landing_with_a_review_row(settings: Settings) -> None:
    result = _result("a.txt", n_obs=2)
    hostile = replace(result.observations[0], kpi_name="来訪者数\u202e\x1b[2J", project_name="事業\u2066A\u2069")
    result = replace(result, observations=[hostile, result.observations[1]], title="題\x07")
    counts = land_document(result, "a.txt", settings)
    load_raw_schema(settings.candidate_db, settings)
    names = _rows(settings.candidate_db, "SELECT kpi_name, project_name FROM raw.kpi_observations ORDER BY seq")
    assert names[0] == ("来訪者数[2J", "事業A")
    reviews = _rows(settings.candidate_db, "SELECT reason FROM raw.review_items WHERE reader = 'landing'")
    assert reviews == [
        (
            "control characters or bidirectional overrides removed from documents.title, "
            "kpi_observations.kpi_name, kpi_observations.project_name",
        )
    ]
    assert counts["review_items"] == 2
    assert _rows(settings.candidate_db, "SELECT title, n_review FROM raw.documents") == [("題", 2)]


def test_a_file_name_with_control_characters_is_escaped_in_every_row_with_a_review_row(settings: Settings) -> None:
    """ESC and U+202E in a file's name (and so in its doc_id, the manifest's file column, every
    id) are shown escaped in every raw table the marts and CSVs are built from; the manifest line
    naming the file still names its document."""
    from orchestration.land.store import land_entry
    from orchestration.land.unsafe_text import UNSAFE

    sample = Path(__file__).parents[2] / "raw" / "000_00acd0e69fcd4ebe.txt"
    name = "実績\x1b[2J\u202etxt.txt"
    (settings.raw_dir / name).write_bytes(sample.read_bytes())
    (settings.raw_dir / "manifest.csv").write_text(MANIFEST_HEADER + f"{name},盛岡市,032018,results,2020,,,\n")
    (entry,) = scan_raw(settings.raw_dir).values()
    counts = land_entry(entry, settings)
    load_raw_schema(settings.candidate_db, settings)

    doc_id = "実績\\x1b[2J\\u202etxt.txt"
    assert entry.doc_id == doc_id and counts["kpi_observations"] > 0
    for table in ("documents", "kpi_observations", "projects", "review_items", "manifest"):
        for row in _rows(settings.candidate_db, f"SELECT * FROM raw.{table}"):
            assert not [v for v in row if isinstance(v, str) and UNSAFE.search(v)], (table, row)
    assert _rows(settings.candidate_db, "SELECT file FROM raw.manifest") == [(doc_id,)]
    reviews = "SELECT doc_id, doc, reason FROM raw.review_items WHERE reader = 'landing'"
    assert _rows(settings.candidate_db, reviews) == [
        (
            doc_id,
            doc_id,
            "the file's name has control characters or bidirectional overrides: its doc_id shows them "
            "escaped (\\xNN, \\uNNNN); rename the file",
        )
    ]


def test_the_not_in_manifest_line_names_a_hostile_file_escaped(settings: Settings, caplog) -> None:
    """What `sosei build` prints of a document the manifest does not list (the Dagster log line
    'document(s) not in the manifest') names the file by its doc_id: no ESC or U+202E reaches it."""
    from orchestration.land.store import land_entry
    from orchestration.land.unsafe_text import UNSAFE

    (settings.raw_dir / "\x1b[2J\u202egnp.txt").write_text("目標 100 人 実績 143 人", encoding="utf-8")
    land_entry(next(iter(scan_raw(settings.raw_dir).values())), settings)
    with caplog.at_level(logging.WARNING):
        load = load_raw_schema(settings.candidate_db, settings)
    assert load.missing_from_manifest == ["\\x1b[2J\\u202egnp.txt"]
    assert "\\x1b[2J\\u202egnp.txt" in caplog.text and not UNSAFE.search(caplog.text)


@pytest.mark.parametrize(("budget_mb", "expected"), [("8192", 2), ("8191", 1), ("100", 1)])
def test_the_worker_pool_stays_within_its_memory_budget(settings, monkeypatch, budget_mb: str, expected: int) -> None:
    """Workers × the per-document memory limit fits the pool's budget; at least one worker runs."""
    from orchestration.land import store as landing
    from orchestration.land.workers import Limits

    started = {}

    def pool(fn, tasks, args, workers, limits, warm=None):
        started["workers"] = workers
        return iter(())

    monkeypatch.setattr(landing, "run_limited", pool)
    monkeypatch.setenv("SOSEI_LANDING_MEMORY_MB", budget_mb)
    for name in ("a.txt", "b.txt", "c.txt"):
        (settings.raw_dir / name).write_text("目標 100 人", encoding="utf-8")
    entries = list(scan_raw(settings.raw_dir).values())
    list(land_many(entries, settings, workers=3, limits=Limits(memory_mb=4096)))
    assert started["workers"] == expected
