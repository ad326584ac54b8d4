"""Write–audit–publish: a validated candidate becomes the published release in one atomic step.

Layout under `published_dir` (see docs/ARCHITECTURE.md):

    current -> releases/<run_id>              the one pointer; a publish swaps it with one rename
    sosei.duckdb -> current/sosei.duckdb      stable paths for BI tools, resolved through `current`
    parquet -> current/parquet
    run_record.json -> current/run_record.json
    releases/<run_id>/                        one complete release; the last `keep` are kept
        sosei.duckdb                          the marts (schema `marts`), `main.sosei_run` and
                                              `main.column_labels`, with the dbt docs as table and
                                              column comments
        parquet/<mart>.parquet                one file per mart
        csv/<mart>.csv                        the headline marts for spreadsheets (UTF-8 with BOM,
                                              formula-leading text neutralised, codes quoted)
        csv/<mart>.xlsx                       the headline summaries as Excel workbooks (spreadsheet.py:
                                              codes as text, rates as %, Japanese headers, ids last)
        run_record.json
    releases/.<run_id>.tmp/                   a release being written; never pointed at

A release is written completely under a temporary name, renamed into `releases/`, and only then
does `current` move: a reader sees the old release or the new, never a mix. Readers that need
several files to agree resolve the pointer once (`current_release`) and read below it. The next
publish removes what a killed one left (temporary files and directories, releases never pointed
at that hold no run record).

The DuckDB file is written with STORAGE_VERSION 'v1.4.0': duckdb 2.x writes storage format 69
by default, which DuckDB 1.x shells and the BI drivers that embed it refuse to open.

Only `publish` touches `published_dir`, and only after everything new is complete on disk; a
failed gate calls `record_failed_run`, which writes `runs/<run_id>.json` and nothing else.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import duckdb

STORAGE_VERSION = "v1.4.0"
MARTS_SCHEMA = "marts"
DB_NAME = "sosei.duckdb"
# Each mart column's Japanese label (dbt's on-run-end writes it from the ymls' `meta.label_ja`).
LABELS_TABLE = "column_labels"
PARQUET_DIR = "parquet"
CSV_DIR = "csv"
RECORD_NAME = "run_record.json"
CURRENT = "current"
RELEASES = "releases"
KEEP_RELEASES = 3
# Marts exported as CSV for spreadsheets, when the candidate has them.
SPREADSHEET_MARTS = ("summary_kpi_achievement", "summary_kpi_achievement_detail", "fct_kpi_result", "kpi_result_detail")
# The headline marts also as .xlsx (one row per issuer, programme and year: openpyxl writes about
# 40,000 cells per CPU-second, so the per-KPI marts, 8.5 M cells at 10,000 documents, stay CSV).
WORKBOOK_MARTS = ("summary_kpi_achievement", "summary_kpi_achievement_detail")
# Text a spreadsheet would read as a formula starts with one of these (or a - not starting a number).
_FORMULA_LEADING = r"^[=+@\t\r]"
_RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_TMP_SUFFIX = ".tmp"


class PublishError(RuntimeError):
    pass


@dataclass
class RunRecord:
    run_id: str
    status: str  # "published" or "failed"
    recorded_at: str
    documents: int
    gate: Mapping[str, Any]  # GateResult.summary()
    row_counts: dict[str, int] = field(default_factory=dict)
    published_db: str | None = None
    parquet_dir: str | None = None
    release_dir: str | None = None
    files: dict[str, str] = field(default_factory=dict)  # sha256 of each file of the release
    mart_fingerprints: dict[str, str] = field(default_factory=dict)  # see `_mart_fingerprint`

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2, default=str)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}{_TMP_SUFFIX}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _sha256(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def fingerprint(root: Path) -> dict[str, str]:
    """sha256 of every file under `root`, following symlinks, keyed by relative path."""
    return dict(
        sorted(
            ((Path(dirpath) / name).relative_to(root).as_posix(), _sha256(Path(dirpath) / name))
            for dirpath, _dirs, names in os.walk(root, followlinks=True)
            for name in names
        )
    )


def current_release(published_dir: Path) -> Path | None:
    """The directory of the published release, resolved once; None before the first publish.

    Read every file of one answer below the returned directory: it stays whole while later
    publishes move `current` (until it is pruned, `keep` publishes later).
    """
    pointer = Path(published_dir) / CURRENT
    if not pointer.is_symlink():
        return None
    return (pointer.parent / os.readlink(pointer)).resolve()


def _check_run_id(run_id: str) -> None:
    if not _RUN_ID.match(run_id):
        raise ValueError(f"run id {run_id!r} must be letters, digits, '.', '_' or '-' (it names files)")


def record_failed_run(runs_dir: Path, run_id: str, documents: int, gate: Mapping[str, Any]) -> RunRecord:
    """Record a run whose gate failed in `runs/<run_id>.json`; the published files stay as they were."""
    _check_run_id(run_id)
    record = RunRecord(run_id=run_id, status="failed", recorded_at=_now(), documents=documents, gate=gate)
    Path(runs_dir).mkdir(parents=True, exist_ok=True)
    _write_atomically(Path(runs_dir) / f"{run_id}.json", record.to_json())
    return record


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _mart_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "select table_name from information_schema.tables "
        "where table_catalog = 'candidate' and table_schema = ? order by table_name",
        [MARTS_SCHEMA],
    ).fetchall()
    return [r[0] for r in rows]


def comment_statements(con: duckdb.DuckDBPyConnection, source_catalog: str, target: str) -> list[str]:
    """`COMMENT ON` statements giving the marts of `target` the comments they have in the source.

    dbt's persist_docs writes the model and column descriptions into the candidate as comments;
    `create table … as select` does not carry them, so the publish copies them, each column's
    with its Japanese label (`column_labels`) after it: "Document id (文書ID)".
    """
    tables = con.execute(
        "select table_name, comment from duckdb_tables() where database_name = ? and schema_name = ? "
        "union all select view_name, comment from duckdb_views() where database_name = ? and schema_name = ?",
        [source_catalog, MARTS_SCHEMA] * 2,
    ).fetchall()
    columns = con.execute(
        "select c.table_name, c.column_name, c.comment || coalesce(' (' || l.label_ja || ')', '') "
        f"from duckdb_columns() c left join {source_catalog}.main.{LABELS_TABLE} l using (table_name, column_name) "
        "where c.database_name = ? and c.schema_name = ? and c.comment is not null and c.comment <> ''",
        [source_catalog, MARTS_SCHEMA],
    ).fetchall()
    prefix = f"{target}.{MARTS_SCHEMA}"
    return [f"comment on table {prefix}.{_quote(t)} is {_literal(c)}" for t, c in tables if c] + [
        f"comment on column {prefix}.{_quote(t)}.{_quote(col)} is {_literal(c)}" for t, col, c in columns
    ]


def _spreadsheet_select(con: duckdb.DuckDBPyConnection, relation: str) -> str:
    """A select of `relation` whose text cells cannot run as formulas in a spreadsheet.

    A text cell that starts with =, +, @, a tab or a carriage return, or with a - that is not a
    number's sign, gets a leading apostrophe (OWASP's CSV-injection rule); numbers stay as they are.
    """
    columns = con.execute(f"select column_name, column_type from (describe {relation})").fetchall()
    items = []
    for name, data_type in columns:
        col = _quote(name)
        if data_type == "VARCHAR":
            risky = (
                f"regexp_matches({col}, '{_FORMULA_LEADING}') "
                f"or (starts_with({col}, '-') and try_cast({col} as double) is null)"
            )
            items.append(f"case when {risky} then chr(39) || {col} else {col} end as {col}")
        else:
            items.append(col)
    return f"select {', '.join(items)} from {relation}"


def _export_csv(con: duckdb.DuckDBPyConnection, relation: str, path: Path) -> None:
    """`relation` as CSV in UTF-8 with a byte-order mark, which Excel needs to read Japanese text;
    codes (`*_code`) quoted, which spreadsheets told to treat quoted fields as text keep whole."""
    body = path.with_name(f".{path.name}{_TMP_SUFFIX}")
    codes = [
        _quote(c)
        for (c,) in con.execute(
            f"select column_name from (describe {relation}) where column_name like '%\\_code' escape '\\'"
        ).fetchall()
    ]
    quoted = f", force_quote ({', '.join(codes)})" if codes else ""
    con.execute(f"copy ({_spreadsheet_select(con, relation)}) to ? (format csv, header true{quoted})", [str(body)])
    with open(path, "wb") as out, open(body, "rb") as src:
        out.write("\ufeff".encode())
        shutil.copyfileobj(src, out)
    body.unlink()


@dataclass(frozen=True)
class _Previous:
    """The release being replaced, whose files a mart with the same fingerprint reuses."""

    release: Path | None
    fingerprints: Mapping[str, str]
    code_version: str

    @classmethod
    def of(cls, published_dir: Path, code_version: str) -> _Previous:
        release = current_release(published_dir)
        try:
            record = json.loads((release / RECORD_NAME).read_text(encoding="utf-8")) if release else {}
        except (OSError, ValueError):
            record = {}  # unreadable: every mart is written anew
        fingerprints = record.get("mart_fingerprints") if isinstance(record, dict) else None
        return cls(release, fingerprints if isinstance(fingerprints, dict) else {}, code_version)

    def link(self, mart: str, fingerprint: str, release: Path) -> bool:
        """Hard-link the mart's files from the previous release when its rows, columns, labels and
        the code that writes them are the same; False (nothing linked) when they are not."""
        if self.release is None or self.fingerprints.get(mart) != fingerprint:
            return False
        linked = []
        try:
            for name in _mart_files(mart):
                os.link(self.release / name, release / name)
                linked.append(release / name)
        except OSError:  # a file gone, or another file system: written anew
            for path in linked:
                path.unlink()
            return False
        return True


def _mart_files(mart: str) -> list[str]:
    """A mart's files in a release, relative to it."""
    files = [f"{PARQUET_DIR}/{mart}.parquet"]
    files += [f"{CSV_DIR}/{mart}.csv"] if mart in SPREADSHEET_MARTS else []
    return files + ([f"{CSV_DIR}/{mart}.xlsx"] if mart in WORKBOOK_MARTS else [])


def labelled_columns(con: duckdb.DuckDBPyConnection, catalog: str, schema: str, table: str) -> list[tuple]:
    """(name, type, Japanese label or None) of each column of `catalog.schema.table`, in order."""
    return con.execute(
        "select column_name, data_type, label_ja from duckdb_columns() "
        f"left join {catalog}.main.{LABELS_TABLE} using (table_name, column_name) "
        "where database_name = ? and schema_name = ? and table_name = ? order by column_index",
        [catalog, schema, table],
    ).fetchall()


def _mart_fingerprint(con: duckdb.DuckDBPyConnection, mart: str, relation: str, code_version: str) -> str:
    """What a mart's files are made of: its rows (an order-free sum of row hashes, and the
    count), its columns with their types and labels, and the code that writes the files."""
    rows = con.execute(f"select count(*), sum(hash(t)::hugeint)::varchar from {relation} t").fetchone()
    columns = labelled_columns(con, "candidate", MARTS_SCHEMA, mart)
    text = json.dumps([code_version, rows, columns], ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _build_release(
    candidate_db: Path, release: Path, run_id: str, documents: int, published_at: str, previous: _Previous
) -> tuple[dict[str, int], dict[str, str]]:
    """Copy the candidate's marts into `release`: DuckDB (old storage format), Parquet, CSV;
    returns rows and fingerprint per mart."""
    (release / PARQUET_DIR).mkdir(parents=True)
    (release / CSV_DIR).mkdir()
    con = duckdb.connect()
    try:
        con.execute("attach ? as candidate (read_only)", [str(candidate_db)])
        con.execute(f"attach ? as release (storage_version '{STORAGE_VERSION}')", [str(release / DB_NAME)])
        marts = _mart_names(con)
        if not marts:
            raise PublishError(f"{candidate_db}: no tables in schema {MARTS_SCHEMA}; nothing to publish")
        if not con.execute(
            "select 1 from duckdb_tables() where database_name = 'candidate' and schema_name = 'main' "
            "and table_name = ?",
            [LABELS_TABLE],
        ).fetchone():
            raise PublishError(f"{candidate_db}: no main.{LABELS_TABLE} (dbt writes it at the end of a run)")
        # The files are written from the candidate on a second cursor while this one fills the
        # DuckDB file: DuckDB releases the GIL, and one writer alone keeps about one core busy.
        with ThreadPoolExecutor(1) as pool:
            files = pool.submit(_write_files, con.cursor(), marts, release, previous)
            counts = _write_database(con, marts, run_id, documents, published_at)
            fingerprints = files.result()
        con.execute("detach release")
    finally:
        con.close()
    return counts, fingerprints


def _write_files(
    con: duckdb.DuckDBPyConnection, marts: list[str], release: Path, previous: _Previous
) -> dict[str, str]:
    """One Parquet file per mart, a CSV of each spreadsheet mart, an .xlsx of each workbook mart;
    a mart unchanged since the previous release links its files (a correction changes a few
    marts, and the workbooks cost seconds). Returns each mart's fingerprint."""
    from orchestration.publish.spreadsheet import write_xlsx  # openpyxl: imported when a release is written

    fingerprints = {}
    try:
        for mart in marts:
            relation = f"candidate.{MARTS_SCHEMA}.{_quote(mart)}"
            fingerprints[mart] = _mart_fingerprint(con, mart, relation, previous.code_version)
            if previous.link(mart, fingerprints[mart], release):
                continue
            con.execute(f"copy {relation} to ? (format parquet)", [str(release / PARQUET_DIR / f"{mart}.parquet")])
            if mart in SPREADSHEET_MARTS:
                _export_csv(con, relation, release / CSV_DIR / f"{mart}.csv")
            if mart in WORKBOOK_MARTS:
                write_xlsx(con, "candidate", MARTS_SCHEMA, mart, release / CSV_DIR / f"{mart}.xlsx")
    finally:
        con.close()
    return fingerprints


def _write_database(
    con: duckdb.DuckDBPyConnection, marts: list[str], run_id: str, documents: int, published_at: str
) -> dict[str, int]:
    """The release's DuckDB file: the marts as tables with their comments, and `sosei_run`.

    One transaction for the whole file: a commit per statement (266 comments at 10,000
    documents) cost seconds of writes, and the file is whole or not at all."""
    con.execute("begin")
    con.execute(f"create schema release.{MARTS_SCHEMA}")
    counts = {}
    for mart in marts:
        # Views become tables: the published file must stand alone.
        table = f"release.{MARTS_SCHEMA}.{_quote(mart)}"
        con.execute(f"create table {table} as select * from candidate.{MARTS_SCHEMA}.{_quote(mart)}")
        counts[mart] = con.execute(f"select count(*) from {table}").fetchone()[0]
    for statement in comment_statements(con, "candidate", "release"):
        con.execute(statement)
    con.execute(
        "create table release.main.sosei_run as "
        "select ?::varchar as run_id, ?::timestamptz as published_at, ?::integer as documents",
        [run_id, published_at, documents],
    )
    con.execute(
        "comment on table release.main.sosei_run is "
        "'The release this file is (公開版): run id, when it was published, documents loaded'"
    )
    con.execute(f"create table release.main.{LABELS_TABLE} as from candidate.main.{LABELS_TABLE} order by all")
    con.execute(
        f"comment on table release.main.{LABELS_TABLE} is "
        "'Each mart column''s Japanese label and English description (列の日本語名): "
        "table_name, column_name, label_ja, description'"
    )
    con.execute("commit")
    return counts


def _fsync_tree(root: Path) -> None:
    """Make every file and directory under `root` durable before a rename makes it visible."""
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            with open(Path(dirpath) / name, "rb") as f:
                os.fsync(f.fileno())
        _fsync_dir(Path(dirpath))


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _point(link: Path, target: str) -> None:
    """Make `link` a symlink to `target` with one rename (a real file from an older layout included)."""
    if link.is_symlink() and os.readlink(link) == target:
        return
    if link.is_dir() and not link.is_symlink():
        raise PublishError(f"{link}: expected a symlink into the current release, found a directory")
    tmp = link.with_name(f".{link.name}{_TMP_SUFFIX}")
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(target)
    os.replace(tmp, link)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def clean_leftovers(published_dir: Path) -> list[Path]:
    """Remove what a killed publish left: temporary files and directories, and releases that
    `current` never pointed at and that hold no run record (the record is written last).
    Returns what was removed. Called at the start of every publish; one build runs at a time.
    """
    published_dir = Path(published_dir)
    releases = published_dir / RELEASES
    current = current_release(published_dir)
    leftovers = [p for p in _entries(published_dir, releases) if p.name.endswith(_TMP_SUFFIX)]
    if releases.is_dir():
        leftovers += [
            p
            for p in releases.iterdir()
            if p.is_dir()
            and p.resolve() != current
            and not (p / RECORD_NAME).is_file()
            and not p.name.endswith(_TMP_SUFFIX)
        ]
    for path in leftovers:
        _remove(path)
    return leftovers


def _entries(*dirs: Path) -> Iterable[Path]:
    for directory in dirs:
        if directory.is_dir():
            yield from directory.iterdir()


def _prune_releases(releases: Path, current: str, keep: int) -> None:
    """Keep the `keep` newest releases by the time each records (its run record's recorded_at):
    a copy, a backup restore or a `touch` changes a folder's mtime, not when it was published. A
    release without a readable record is the oldest; mtime only breaks ties."""
    others = sorted(
        (p for p in releases.iterdir() if p.is_dir() and p.name != current),
        key=lambda p: (_recorded_at(p), p.stat().st_mtime),
        reverse=True,
    )
    for old in others[max(keep - 1, 0) :]:
        shutil.rmtree(old)


def _recorded_at(release: Path) -> str:
    try:
        return str(json.loads((release / RECORD_NAME).read_text(encoding="utf-8")).get("recorded_at", ""))
    except (OSError, ValueError, AttributeError):
        return ""


def _release_files(release: Path) -> dict[str, str]:
    return {name: digest for name, digest in fingerprint(release).items() if name != RECORD_NAME}


def publish(
    candidate_db: Path,
    published_dir: Path,
    run_id: str,
    documents: int,
    gate: Mapping[str, Any],
    runs_dir: Path,
    keep: int = KEEP_RELEASES,
    code_version: str = "",
) -> RunRecord:
    """Publish the marts of a candidate that passed the gate; returns the run's record.

    `gate` is `GateResult.summary()`; a gate that did not pass is refused. `code_version`: the
    version of the code that writes the release (`rebuild_version`); a mart whose rows and
    columns are unchanged reuses the previous release's files only at the same version.
    """
    _check_run_id(run_id)
    if not gate.get("passed"):
        raise PublishError(f"run {run_id}: the gate did not pass; refusing to publish {candidate_db}")
    candidate_db, published_dir = Path(candidate_db), Path(published_dir)
    if not candidate_db.is_file():
        raise FileNotFoundError(f"{candidate_db}: candidate warehouse not found")
    releases = published_dir / RELEASES
    release = releases / run_id
    if release.exists():
        raise PublishError(f"{release}: run {run_id} was already published")
    releases.mkdir(parents=True, exist_ok=True)
    clean_leftovers(published_dir)
    building = releases / f".{run_id}{_TMP_SUFFIX}"
    published_at = _now()
    try:
        previous = _Previous.of(published_dir, code_version)
        counts, fingerprints = _build_release(candidate_db, building, run_id, documents, published_at, previous)
        record = RunRecord(
            run_id=run_id,
            status="published",
            recorded_at=published_at,
            documents=documents,
            gate=gate,
            row_counts=counts,
            published_db=str(published_dir / DB_NAME),
            parquet_dir=str(published_dir / PARQUET_DIR),
            release_dir=str(release),
            files=_release_files(building),
            mart_fingerprints=fingerprints,
        )
        (building / RECORD_NAME).write_text(record.to_json(), encoding="utf-8")
        _fsync_tree(building)
        os.rename(building, release)
        _fsync_dir(releases)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    # The release is complete on disk; this one rename publishes it.
    _point(published_dir / CURRENT, f"{RELEASES}/{run_id}")
    for name in (DB_NAME, PARQUET_DIR, RECORD_NAME):
        _point(published_dir / name, f"{CURRENT}/{name}")
    _fsync_dir(published_dir)
    Path(runs_dir).mkdir(parents=True, exist_ok=True)
    _write_atomically(Path(runs_dir) / f"{run_id}.json", record.to_json())
    _prune_releases(releases, run_id, keep)
    return record
