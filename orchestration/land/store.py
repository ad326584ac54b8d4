"""Landing: one document's extraction → per-document parquet files → the `raw` schema.

Each document lands as one parquet file per raw table (`landing/<table>/<doc key>.parquet`), so a
document can be re-landed or removed alone; `raw_schema.load_raw_schema` then brings the
candidate's `raw` schema in step with them. No Dagster here: the assets are thin wrappers.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from orchestration.config import Settings
from orchestration.extract.formats import import_readers
from orchestration.extract.model import ExtractionResult
from orchestration.land import extraction_version
from orchestration.land.check import damaged_documents, file_record, records_text
from orchestration.land.registry import RawEntry, content_hash, doc_id_of
from orchestration.land.unsafe_text import UNSAFE, without_unsafe
from orchestration.land.workers import Limits, run_limited
from orchestration.quality.landed import blocking_reason, check_landed_document

log = logging.getLogger(__name__)

# Column name → DuckDB type, per raw table. Explicit so that an empty landing still yields typed
# (empty) tables and dbt sees the same columns whatever landed.
RAW_TABLES: dict[str, dict[str, str]] = {
    "documents": {
        "doc_id": "VARCHAR",
        "doc": "VARCHAR",
        "path": "VARCHAR",
        "sha256": "VARCHAR",
        "size_bytes": "BIGINT",
        "format": "VARCHAR",
        "pages": "INTEGER",
        "title": "VARCHAR",
        "doc_kind": "VARCHAR",
        "fiscal_year": "INTEGER",
        "issuer_name": "VARCHAR",
        "layouts": "VARCHAR",  # comma-separated layout families the readers recognised
        "read_status": "VARCHAR",
        "error": "VARCHAR",
        "n_observations": "INTEGER",
        "n_projects": "INTEGER",
        "n_review": "INTEGER",
        "reader_version": "VARCHAR",
        "landed_at": "TIMESTAMP",
        "landing_files": "VARCHAR",  # JSON: rows and sha256 of each other landing file (`landing_check`)
    },
    "kpi_observations": {
        "observation_id": "VARCHAR",
        "doc_id": "VARCHAR",
        "doc": "VARCHAR",
        "seq": "INTEGER",
        "grant_program": "VARCHAR",
        "project_name": "VARCHAR",
        "kpi_name": "VARCHAR",
        "kpi_seq": "INTEGER",
        "measure": "VARCHAR",
        "fiscal_year": "INTEGER",
        "value": "DOUBLE",
        "value_text": "VARCHAR",
        "unit": "VARCHAR",
        "status": "VARCHAR",
        "page": "INTEGER",
        "line": "INTEGER",
        "cell": "VARCHAR",
        "fragment": "VARCHAR",
        "reader": "VARCHAR",
        "reader_version": "VARCHAR",
        "ocr_confidence": "DOUBLE",  # Tesseract's 0–100, read from a scan
        "confidence": "DOUBLE",  # 0–1, from where its labels were found (extract/confidence.py)
    },
    "projects": {
        "project_id": "VARCHAR",
        "doc_id": "VARCHAR",
        "doc": "VARCHAR",
        "seq": "INTEGER",
        "grant_program": "VARCHAR",
        "project_name": "VARCHAR",
        "fiscal_year": "INTEGER",
        "cost_value": "DOUBLE",
        "cost_unit": "VARCHAR",
        "effect_rating": "VARCHAR",
        "future_plan": "VARCHAR",
        "page": "INTEGER",
        "line": "INTEGER",
        "cell": "VARCHAR",
        "reader": "VARCHAR",
    },
    "review_items": {
        "review_id": "VARCHAR",
        "doc_id": "VARCHAR",
        "doc": "VARCHAR",
        "seq": "INTEGER",
        "reason": "VARCHAR",
        "fragment": "VARCHAR",
        "page": "INTEGER",
        "line": "INTEGER",
        "cell": "VARCHAR",
        "reader": "VARCHAR",
    },
    # What a report prints that checks its numbers (extract/evidence.py): a 達成率, a mark with
    # what its legend says, a second printing; keyed by the KPI it bears on as extraction read it.
    "evidence": {
        "evidence_id": "VARCHAR",
        "doc_id": "VARCHAR",
        "doc": "VARCHAR",
        "seq": "INTEGER",
        "kind": "VARCHAR",
        "grant_program": "VARCHAR",
        "project_name": "VARCHAR",
        "kpi_name": "VARCHAR",
        "measure": "VARCHAR",
        "fiscal_year": "INTEGER",
        "value": "DOUBLE",
        "value_text": "VARCHAR",
        "unit": "VARCHAR",
        "meaning": "VARCHAR",
        "rate_min": "DOUBLE",
        "rate_max": "DOUBLE",
        "legend": "VARCHAR",
        "page": "INTEGER",
        "line": "INTEGER",
        "cell": "VARCHAR",
        "fragment": "VARCHAR",
        "reader": "VARCHAR",
        "reader_version": "VARCHAR",
    },
}
RAW_SCHEMA_TABLES = (*RAW_TABLES, "manifest", "corrections")

_ARROW_TYPES = {
    "VARCHAR": pa.string(),
    "INTEGER": pa.int32(),
    "BIGINT": pa.int64(),
    "DOUBLE": pa.float64(),
    "TIMESTAMP": pa.timestamp("us"),
    "DATE": pa.date32(),
}


def arrow_schema(columns: dict[str, str]) -> pa.Schema:
    return pa.schema([(name, _ARROW_TYPES[sql_type]) for name, sql_type in columns.items()])


# Built once: every landed document converts its rows with them.
_RAW_ARROW_SCHEMAS = {table: arrow_schema(columns) for table, columns in RAW_TABLES.items()}


def escape_reversibly(text: str, unsafe: str) -> str:
    """Percent-encode `%`, control characters and the `unsafe` pattern; `unquote` reverses it."""
    text = re.sub(r"[%\x00-\x1f\x7f]", lambda m: f"%{ord(m.group()):02X}", text)
    return re.sub(unsafe, lambda m: "".join(f"%{ord(c):02X}" for c in m.group()), text)


def landing_file_stem(doc_id: str) -> str:
    """The landing store's name for a doc_id: a hash, so a name of any length or bytes fits."""
    return hashlib.sha256(doc_id.encode("utf-8", "surrogatepass")).hexdigest()[:40]


def land_entry(entry: RawEntry, settings: Settings, version: str | None = None) -> dict[str, int]:
    """Read one raw/ entry and land it; returns rows per table (see `land_document`).

    An entry that is not to be read (a link out of raw/, a FIFO, a device) lands as an error row
    with its reason, without being opened. `version`: the extraction version to record (the
    caller's, which a worker process is given).
    """
    if entry.rejected:
        return land_document(failed_result(entry, entry.rejected), entry.doc_id, settings, version)
    # Imported here: the readers pull in pdfplumber and openpyxl, which `sosei status` and the
    # sensor never need.
    from orchestration.extract.engine import extract_file

    return land_document(extract_file(entry.path, entry.name), entry.doc_id, settings, version)


def read_to_parquet(task: tuple[str, str, str], version: str) -> dict[str, bytes]:
    """Read one document, (doc_id, its path, the raw/ folder it is in), and return its landing
    tables as Parquet bytes (a Dask worker's limited child: `orchestration.land.cluster`)."""
    from orchestration.extract.engine import extract_file

    doc_id, path, raw_dir = task
    tables = landing_tables(extract_file(path, doc_id.rsplit("/", 1)[-1]), doc_id, Path(raw_dir), version)
    parquet = {}
    for table, arrow in tables.items():
        out = pa.BufferOutputStream()
        pq.write_table(arrow, out)
        parquet[table] = out.getvalue().to_pybytes()
    return parquet


def land_many(
    entries: list[RawEntry], settings: Settings, workers: int | None = None, limits: Limits | None = None
) -> Iterator[tuple[str, dict[str, int] | None, str | None]]:
    """Land documents in worker processes, each under the per-document limits: this machine's
    (`SOSEI_LANDING_WORKERS`), or a Dask cluster's when `settings.dask_scheduler` names one.

    Yields (doc_id, rows per table, None) or (doc_id, None, reason) as each finishes; a failure
    (an exception, a limit hit, a worker that died) is per document and never stops the others.
    Each document writes only its own files, so the workers share nothing.
    """
    version = extraction_version.EXTRACTION_VERSION  # the version this process plans with
    if settings.dask_scheduler:  # imported here: distributed is not needed otherwise
        from orchestration.land.cluster import land_on_cluster

        yield from land_on_cluster(entries, settings, version, limits or Limits.from_env())
        return
    limits = limits or Limits.from_env()
    workers = workers or int(os.environ.get("SOSEI_LANDING_WORKERS", os.cpu_count() or 1))
    workers = max(1, min(workers, len(entries), pool_memory_mb() // limits.memory_mb))
    by_id = {entry.doc_id: entry for entry in entries}
    yield from run_limited(land_entry, by_id, (settings, version), workers, limits, warm=import_readers)


def pool_memory_mb() -> int:
    """The memory all landing workers together may take (`SOSEI_LANDING_MEMORY_MB`; by default
    this machine's physical memory): workers × the per-document limit stays within it, so that
    every worker reaching its limit at once cannot exhaust the machine (at least one worker runs)."""
    if "SOSEI_LANDING_MEMORY_MB" in os.environ:
        return int(os.environ["SOSEI_LANDING_MEMORY_MB"])
    return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 2**20


def failed_result(entry: RawEntry, reason: str) -> ExtractionResult:
    """The result that lands for a document that is not read or whose landing failed (for review)."""
    sha, size = "", 0
    if not entry.rejected and entry.path.is_file():
        sha, size = content_hash(entry), entry.path.stat().st_size
    return ExtractionResult(
        doc=entry.name,
        path=str(entry.path),
        sha256=sha,
        size_bytes=size,
        format=entry.path.suffix.lstrip(".").lower(),
        error=f"{entry.doc_id}: {reason}",
    )


# --- landing one document -------------------------------------------------------------------------


def document_rows(result: ExtractionResult, doc_id: str, raw_dir: Path, version: str) -> dict[str, list[dict]]:
    """The rows one document contributes to each raw table, landed by extraction `version`;
    paths in them are relative to raw/."""
    observations = [
        {
            **{k: v for k, v in o.as_dict().items() if k in RAW_TABLES["kpi_observations"]},
            "observation_id": f"{doc_id}#{seq}",
            "doc_id": doc_id,
            "seq": seq,
            "reader_version": version,
        }
        for seq, o in enumerate(result.observations, start=1)
    ]
    projects = [
        {**p.as_dict(), "project_id": f"{doc_id}#p{seq}", "doc_id": doc_id, "seq": seq}
        for seq, p in enumerate(result.projects, start=1)
    ]
    review = [
        {**r.as_dict(), "review_id": f"{doc_id}#r{seq}", "doc_id": doc_id, "seq": seq}
        for seq, r in enumerate(result.review, start=1)
    ]
    evidence = [
        {**e.as_dict(), "evidence_id": f"{doc_id}#e{seq}", "doc_id": doc_id, "seq": seq, "reader_version": version}
        for seq, e in enumerate(result.evidence, start=1)
    ]
    document = {
        "doc_id": doc_id,
        "doc": result.doc,
        "path": doc_id,
        "sha256": result.sha256,
        "size_bytes": result.size_bytes,
        "format": result.format,
        "pages": result.pages,
        "title": result.title,
        "doc_kind": result.doc_kind,
        "fiscal_year": result.fiscal_year,
        "issuer_name": result.issuer_name,
        "layouts": ",".join(result.layouts),
        "read_status": "ok" if result.ok else "error",
        "error": _relative(result.error, raw_dir),
        "n_observations": len(observations),
        "n_projects": len(projects),
        "n_review": len(review),
        "reader_version": version,
        "landed_at": datetime.now(UTC).replace(tzinfo=None),
    }
    return {
        "documents": [document],
        "kpi_observations": observations,
        "projects": projects,
        "review_items": review,
        "evidence": evidence,
    }


# Identities (a doc_id is the file's path under raw/, with unsafe characters escaped) are kept as they are.
_IDENTITY_COLUMNS = {"doc_id", "doc", "path", "observation_id", "project_id", "review_id", "evidence_id", "sha256"}


def _safe_rows(rows: dict[str, list[dict]], unsafe_name: bool) -> dict[str, list[dict]]:
    """`rows` with control characters and bidirectional overrides removed from every text but an
    identity (`unsafe_text`); a document that had any gets a review row naming the columns, and
    one whose file name had any (`unsafe_name`: its doc_id shows them escaped) a review row saying so."""
    cleaned = {
        f"{table}.{column}" for table, table_rows in rows.items() for row in table_rows for column in _clean_row(row)
    }
    reasons = []
    if unsafe_name:
        reasons.append(
            "the file's name has control characters or bidirectional overrides: its doc_id shows them "
            "escaped (\\xNN, \\uNNNN); rename the file"
        )
    if cleaned:
        reasons.append(f"control characters or bidirectional overrides removed from {', '.join(sorted(cleaned))}")
    document = rows["documents"][0]
    for reason in reasons:
        seq = len(rows["review_items"]) + 1
        review = {"review_id": f"{document['doc_id']}#r{seq}", "doc_id": document["doc_id"], "doc": document["doc"]}
        rows["review_items"].append({**review, "seq": seq, "reason": reason, "reader": "landing"})
        document["n_review"] += 1
    return rows


def _unsafe_name(path: str, raw_dir: Path) -> bool:
    """Whether the file's path under raw/ has control characters or bidirectional overrides."""
    for folder in (raw_dir.resolve(), raw_dir):
        path = path.removeprefix(f"{folder}{os.sep}")
    return UNSAFE.search(path) is not None


def _clean_row(row: dict) -> list[str]:
    """Remove unsafe characters from the row's texts in place; returns the columns changed."""
    changed = [
        column
        for column, value in row.items()
        if isinstance(value, str) and column not in _IDENTITY_COLUMNS and UNSAFE.search(value)
    ]
    for column in changed:
        row[column] = without_unsafe(row[column])
    return changed


def _relative(text: str | None, raw_dir: Path) -> str | None:
    """`text` with the host path of raw/ taken out (published text names files relative to raw/),
    and a file name's bytes that are not UTF-8 as \\xNN, as in its doc_id."""
    if not text:
        return text
    text = text.replace(f"{raw_dir.resolve()}{os.sep}", "").replace(f"{raw_dir}{os.sep}", "")
    return doc_id_of(text)


def _write_parquet_atomically(table: pa.Table | bytes, path: Path) -> int:
    """Write a table, or Parquet bytes as a Dask worker sent them (not decoded and encoded again:
    the driver writes every document's files), and return its rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")  # hidden, so a concurrent load's glob skips it
    with open(tmp, "wb") as out:  # an open file: pyarrow need not resolve a filesystem per write
        if isinstance(table, bytes):
            out.write(table)
        else:
            pq.write_table(table, out)
    os.replace(tmp, path)
    return table.num_rows if isinstance(table, pa.Table) else pq.read_metadata(pa.BufferReader(table)).num_rows


def _arrow_tables(rows: dict[str, list[dict]]) -> dict[str, pa.Table]:
    return {table: pa.Table.from_pylist(rows[table], schema=schema) for table, schema in _RAW_ARROW_SCHEMAS.items()}


def landing_path(settings: Settings, table: str, doc_id: str) -> Path:
    return settings.landing_dir / table / f"{landing_file_stem(doc_id)}.parquet"


def land_document(
    result: ExtractionResult, doc_id: str, settings: Settings, version: str | None = None
) -> dict[str, int]:
    """Write (or overwrite) the document's landing files, recording the extraction `version` that
    read it (by default this process's); returns rows per table.

    A document that could not be read still lands its `documents` row, with read_status 'error'
    and the reason, so it shows up for review instead of silently vanishing.
    """
    version = version or extraction_version.EXTRACTION_VERSION
    return write_landing(landing_tables(result, doc_id, settings.raw_dir, version), doc_id, settings)


def landing_tables(result: ExtractionResult, doc_id: str, raw_dir: Path, version: str) -> dict[str, pa.Table]:
    """The document's rows per raw table, as `land_document` writes them (a document whose numbers
    break a landing rule lands its error row instead)."""
    unsafe_name = _unsafe_name(result.path, raw_dir)
    tables = _arrow_tables(_safe_rows(document_rows(result, doc_id, raw_dir, version), unsafe_name))
    refused = blocking_reason(check_landed_document(tables["kpi_observations"]))
    if refused:  # numbers not to be trusted (e.g. a unit read at the wrong scale): review, not land
        result = replace(result, observations=[], projects=[], evidence=[], error=f"{doc_id}: {refused}")
        tables = _arrow_tables(_safe_rows(document_rows(result, doc_id, raw_dir, version), unsafe_name))
    return tables


def write_landing(tables: Mapping[str, pa.Table | bytes], doc_id: str, settings: Settings) -> dict[str, int]:
    """Write (or overwrite) a document's landing files, each an Arrow table or its Parquet bytes;
    returns rows per table."""
    # `documents` last: its file is what says the document has landed, so it goes once the rest
    # is, with the rows and checksum of each of them.
    records = {}
    for table in RAW_TABLES.keys() - {"documents"}:
        path = landing_path(settings, table, doc_id)
        records[table] = file_record(path, _write_parquet_atomically(tables[table], path))
    documents = tables["documents"]
    if isinstance(documents, bytes):
        documents = pq.ParquetFile(pa.BufferReader(documents)).read()  # read_table: 4x the time
    column = documents.schema.get_field_index("landing_files")
    documents = documents.set_column(column, "landing_files", pa.array([records_text(records)], pa.string()))
    _write_parquet_atomically(documents, landing_path(settings, "documents", doc_id))
    return {table: record["rows"] for table, record in records.items()} | {"documents": documents.num_rows}


def remove_document(doc_id: str, settings: Settings) -> bool:
    """Delete a document's landing files; True if any existed."""
    removed = False
    for table in RAW_TABLES:
        path = landing_path(settings, table, doc_id)
        if path.exists():
            path.unlink()
            removed = True
    return removed


@dataclass(frozen=True)
class LandedDocument:
    doc_id: str
    sha256: str
    read_status: str
    error: str | None
    n_observations: int
    n_review: int
    landed_at: datetime
    reader_version: str | None  # the extraction version that landed it
    landing_files: str | None = None  # rows and checksum of its other landing files (JSON)


_LANDED_COLUMNS = {name: RAW_TABLES["documents"][name] for name in LandedDocument.__dataclass_fields__}


_INDEX_KEY = {"name": pa.string(), "mtime_ns": pa.int64(), "size": pa.int64(), "ino": pa.int64()}
_RACY_NS = 2_000_000_000  # a file written this close before the index was is read again next time


def landed_documents(settings: Settings) -> dict[str, LandedDocument]:
    """What is in landing/ now, keyed by doc_id.

    The `documents` files say what landed; reading 10,000 of them costs seconds, so their records
    are kept in one index file (`landing/index.parquet`) keyed by each file's name, mtime, size
    and inode, and only files not in the index as they are now are read. The index is a cache:
    it is rebuilt from the files whenever they disagree, and deleting it costs one full read.
    """
    folder = settings.landing_dir / "documents"
    files = _document_files(folder)
    if not files:
        return {}
    index_path = settings.landing_dir / "index.parquet"
    cached, written_ns = _read_index(index_path)
    fresh = [
        name for name, key in files.items() if cached.get(name, {}).get("key") != key or key[0] >= written_ns - _RACY_NS
    ]
    records = {name: cached[name]["record"] for name in files if name not in fresh}
    records |= _read_records(folder, fresh, everything=len(fresh) == len(files))
    # A file read again only because it is recent (racy) and found as cached adds nothing to write.
    news = any(cached.get(name) != {"key": files[name], "record": records[name]} for name in fresh)
    if news or set(cached) - set(files):
        _write_index(index_path, files, records)
    return {record.doc_id: record for record in records.values()}


def sound_landed_documents(settings: Settings) -> tuple[dict[str, LandedDocument], dict[str, str]]:
    """What is in landing/ now less the documents whose landing files are not those that landed
    (`landing_check`), and those: doc_id → why. A damaged document is not landed: the plan
    lands it again."""
    landed = landed_documents(settings)
    damaged = damaged_documents(landed, lambda table, doc_id: landing_path(settings, table, doc_id))
    return {doc: record for doc, record in landed.items() if doc not in damaged}, damaged


def _document_files(folder: Path) -> dict[str, tuple[int, int, int]]:
    """name → (mtime_ns, size, inode) of each landed `documents` file."""
    if not folder.is_dir():
        return {}
    files = {}
    for entry in os.scandir(folder):
        if entry.name.endswith(".parquet") and not entry.name.startswith("."):
            info = entry.stat()
            files[entry.name] = (info.st_mtime_ns, info.st_size, info.st_ino)
    return files


def _read_records(folder: Path, names: list[str], everything: bool) -> dict[str, LandedDocument]:
    """The records of the `documents` files `names`. A file that cannot be read (truncated,
    garbage) has none: its document is not landed, and the next build lands it again."""
    if not names:
        return {}
    files = str(folder / "*.parquet") if everything else [str(folder / name) for name in names]  # a glob reads faster
    try:
        return _query_records(files)
    except duckdb.Error:
        records = {}
        for name in names:
            with suppress(duckdb.Error):
                records |= _query_records([str(folder / name)])
        log.warning("unreadable landing files, landed again: %s", ", ".join(sorted(set(names) - set(records))))
        return records


def _query_records(files: str | list[str]) -> dict[str, LandedDocument]:
    """By name: a file landed before `landing_files` existed has none."""
    sql = (
        "SELECT parse_filename(filename), * EXCLUDE (filename) "
        "FROM read_parquet(?, filename = true, union_by_name = true)"
    )
    with duckdb.connect() as con:
        result = con.execute(sql, [files])
        names = [column[0] for column in result.description][1:]
        rows = result.fetchall()
    fields = LandedDocument.__dataclass_fields__
    return {
        row[0]: LandedDocument(**{k: v for k, v in zip(names, row[1:], strict=True) if k in fields}) for row in rows
    }


def _read_index(path: Path) -> tuple[dict[str, dict], int]:
    """name → {"key": (mtime_ns, size, inode), "record": LandedDocument}, and when it was written.
    Parsed once per process for each write of the file (a build reads it several times), told by
    the time its writer put in it (read from the footer alone): a rewrite can repeat the file's
    mtime (a coarse clock), size and inode (the one the previous replace freed), and the sensor
    and a build both write it."""
    try:
        with open(path, "rb") as file:  # one file for both reads: the time read is the parsed file's
            state = (str(path), int((pq.read_metadata(file).metadata or {}).get(b"written_ns", b"0")))
            if _parsed_index.get("state") != state:
                _parsed_index.update(state=state, records=_parse_index(pq.read_table(file)))
    except (OSError, pa.ArrowException, KeyError):  # none yet, unreadable or older: every file is read
        return {}, 0
    return dict(_parsed_index["records"]), state[1]


_parsed_index: dict = {}


def _parse_index(table: pa.Table) -> dict[str, dict]:
    columns = table.to_pydict()
    keys = zip(*(columns[k] for k in list(_INDEX_KEY)[1:]), strict=True)
    records = zip(*(columns[f] for f in LandedDocument.__dataclass_fields__), strict=True)
    return {
        name: {"key": key, "record": LandedDocument(*record)}
        for name, key, record in zip(columns["name"], keys, records, strict=True)
    }


def _write_index(path: Path, files: dict[str, tuple[int, int, int]], records: dict[str, LandedDocument]) -> None:
    names = list(records)
    columns = {"name": names} | {key: [files[n][i] for n in names] for i, key in enumerate(list(_INDEX_KEY)[1:])}
    columns |= {field: [getattr(records[n], field) for n in names] for field in _LANDED_COLUMNS}
    schema = pa.schema(
        [*_INDEX_KEY.items(), *arrow_schema(_LANDED_COLUMNS)], metadata={"written_ns": str(time.time_ns())}
    )
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # the sensor and a build may both write
    pq.write_table(pa.Table.from_pydict(columns, schema=schema), tmp)
    os.replace(tmp, path)


def prune_landing(
    keep: Iterable[str], settings: Settings, landed: Mapping[str, LandedDocument] | None = None
) -> list[str]:
    """Delete landing files of documents not in `keep` (removed from raw/); returns their ids.
    `landed`: what `landed_documents` gave, when the caller has just read it.

    A landing file with no documents row (a crash mid-landing) and a temporary file that a killed
    landing left behind are removed too.
    """
    keep = set(keep)
    gone = sorted(set(landed_documents(settings) if landed is None else landed) - keep)
    for doc_id in gone:
        remove_document(doc_id, settings)
    stems = {landing_file_stem(doc_id) for doc_id in keep}
    for table in RAW_TABLES:
        for path in (settings.landing_dir / table).glob("*.parquet"):
            if path.stem not in stems:
                path.unlink()
        for path in (settings.landing_dir / table).glob(".*.tmp"):
            path.unlink(missing_ok=True)
    return gone
