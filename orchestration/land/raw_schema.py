"""The candidate warehouse's `raw` schema, kept in step with landing/ one document at a time.

A load compares what the candidate holds (`raw.documents`: doc_id and landed_at) with the landing
records and replaces only the rows of documents landed, re-landed or removed since the last load,
in one transaction: a build after a one-document change reads one document's files, not ten
thousand. The candidate converges whatever state it was left in; a table whose columns differ
from `RAW_TABLES` (a new version of the landing schema), or a candidate that is missing, is
loaded in full.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from orchestration.config import Settings
from orchestration.land.store import RAW_SCHEMA_TABLES, RAW_TABLES, arrow_schema, landed_documents, landing_path

log = logging.getLogger(__name__)


@dataclass
class RawLoad:
    """What `load_raw_schema` did: rows per table, the documents whose rows it replaced or
    deleted, and the documents the manifest does not list."""

    row_counts: dict[str, int]
    loaded: list[str] = field(default_factory=list)  # landed since the last load: rows (re)read
    deleted: list[str] = field(default_factory=list)  # no longer landed: rows dropped
    missing_from_manifest: list[str] = field(default_factory=list)


def load_raw_schema(db_path: Path, settings: Settings) -> RawLoad:
    """Bring the candidate's `raw` schema in step with landing/, raw/manifest.csv and
    raw/corrections.csv.

    The connection is closed on return: DuckDB allows one writer and dbt runs next.
    """
    # Imported here: the manifest reader pulls in the format readers (its encodings), which the
    # plan of a build that lands nothing never needs.
    from orchestration.land.corrections import COLUMNS as CORRECTION_COLUMNS
    from orchestration.land.corrections import read_corrections
    from orchestration.land.manifest import COLUMNS as MANIFEST_COLUMNS
    from orchestration.land.manifest import read_manifest

    manifest_rows = read_manifest(settings.manifest_path)
    correction_rows = read_corrections(settings.corrections_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(db_path)) as con:
        con.execute("BEGIN TRANSACTION")
        _ensure_tables(con)
        loaded, deleted = _landing_delta(con, settings)
        _replace_documents(con, settings, loaded, deleted)
        _replace_table(con, "manifest", manifest_rows, MANIFEST_COLUMNS)
        _replace_table(con, "corrections", correction_rows, CORRECTION_COLUMNS)
        counts = {t: con.execute(f"SELECT count(*) FROM raw.{t}").fetchone()[0] for t in RAW_SCHEMA_TABLES}
        missing = _missing_from_manifest(con)
        con.execute("COMMIT")
    if missing:
        log.warning(
            "%d document(s) not in %s, loaded with what extraction inferred: %s",
            len(missing),
            settings.manifest_path,
            ", ".join(missing),
        )
    return RawLoad(row_counts=counts, loaded=loaded, deleted=deleted, missing_from_manifest=missing)


def _create_table(con: duckdb.DuckDBPyConnection, table: str, columns: dict[str, str]) -> None:
    cols = ", ".join(f'"{name}" {sql_type}' for name, sql_type in columns.items())
    con.execute(f"CREATE OR REPLACE TABLE raw.{table} ({cols})")


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    rows = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'raw' AND table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return dict(rows)


def _ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    """The document tables with `RAW_TABLES`' columns; all recreated empty if any differs, since
    `raw.documents` must say which documents every other table holds."""
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    if all(_columns(con, table) == columns for table, columns in RAW_TABLES.items()):
        return
    for table, columns in RAW_TABLES.items():
        _create_table(con, table, columns)


def _landing_delta(con: duckdb.DuckDBPyConnection, settings: Settings) -> tuple[list[str], list[str]]:
    """(documents to read from landing/, documents to drop): a document whose landing record
    (doc_id, landed_at) the candidate lacks is read; one the landing store no longer has is dropped."""
    landed = landed_documents(settings).values()
    records = pa.table(
        {
            "doc_id": pa.array([d.doc_id for d in landed], pa.string()),
            "landed_at": pa.array([d.landed_at for d in landed], pa.timestamp("us")),
        }
    )
    con.register("landing_records", records)
    delta = "SELECT DISTINCT doc_id FROM (SELECT doc_id, landed_at FROM {0} EXCEPT SELECT doc_id, landed_at FROM {1})"
    loaded = [r[0] for r in con.execute(delta.format("landing_records", "raw.documents")).fetchall()]
    stale = {r[0] for r in con.execute(delta.format("raw.documents", "landing_records")).fetchall()}
    con.unregister("landing_records")
    return sorted(loaded), sorted(stale - set(loaded))


def _replace_documents(
    con: duckdb.DuckDBPyConnection, settings: Settings, loaded: list[str], deleted: list[str]
) -> None:
    """Drop the rows of `loaded` and `deleted` documents from every table, then read `loaded`'s files."""
    if not (loaded or deleted):
        return
    con.register("replaced_docs", pa.table({"doc_id": pa.array(loaded + deleted, pa.string())}))
    for table, columns in RAW_TABLES.items():
        con.execute(f"DELETE FROM raw.{table} WHERE doc_id IN (SELECT doc_id FROM replaced_docs)")
        if loaded:
            names = ", ".join(f'"{c}"' for c in columns)
            files = [str(landing_path(settings, table, doc)) for doc in loaded]
            con.execute(f"INSERT INTO raw.{table} SELECT {names} FROM read_parquet(?)", [files])
    con.unregister("replaced_docs")


def _replace_table(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict], columns: dict[str, str]) -> None:
    """A hand-kept file of raw/ (the manifest, the corrections), read whole at every load."""
    _create_table(con, table, columns)
    con.register("file_rows", pa.Table.from_pylist(rows, schema=arrow_schema(columns)))
    con.execute(f"INSERT INTO raw.{table} SELECT * FROM file_rows")
    con.unregister("file_rows")


def _missing_from_manifest(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        r[0]
        for r in con.execute(
            "SELECT doc_id FROM raw.documents WHERE doc_id NOT IN (SELECT file FROM raw.manifest "
            "WHERE file IS NOT NULL) ORDER BY doc_id"
        ).fetchall()
    ]
